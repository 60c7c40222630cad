public protocol Priced { // <def:Priced>
    func total() -> Int // <def:Priced.total>
}

public struct Line: Priced { // <def:Line> <ref:Priced=Priced>
    public let item: Item // <def:Line.item> <ref:Item=Item>
    public let quantity: Int // <def:Line.quantity>

    public func total() -> Int { // <def:Line.total>
        return item.price * quantity // <ref:item=Line.item> <ref:price=Item.price> <ref:quantity=Line.quantity>
    }
}

extension Item {
    public var label: String { // <def:Item.label>
        return name + " (\(price))" // <ref:name=Item.name> <ref:price=Item.price>
    }
}
