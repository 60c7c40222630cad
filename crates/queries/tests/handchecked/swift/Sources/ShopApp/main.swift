import ShopCore

let cart = Cart.empty("ada") // <def:cart> <ref:Cart=Cart> <ref:empty=Cart.empty>
let pen = Item(name: "pen", price: 3) // <def:pen> <ref:Item=Item>
let line = cart.add(pen, quantity: 2) // <def:line> <ref:cart=cart> <ref:add=Cart.add> <ref:pen=pen>
print(line.total(), pen.label) // <ref:print=!> <ref:line=line> <ref:total=Line.total> <ref:pen=pen> <ref:label=Item.label>
