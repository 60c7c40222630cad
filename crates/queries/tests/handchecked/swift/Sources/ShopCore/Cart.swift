import Foundation

let maxLines = 20 // <def:maxLines>

func clamp(_ v: Int, _ lo: Int, _ hi: Int) -> Int { // <def:clamp>
    return max(lo, min(v, hi)) // <ref:max=!> <ref:min=!>
}

open class Base { // <def:Base>
    var lines: [Line] = [] // <def:Base.lines> <ref:Line=Line>

    open func reset() { // <def:Base.reset>
        lines.removeAll()
    }
}

/// A customer's cart.
public final class Cart: Base { // <def:Cart> <ref:Base=Base>
    public let owner: String // <def:Cart.owner>

    public init(owner: String) { // <def:Cart.init>
        self.owner = owner // <ref:owner=Cart.owner>
    }

    @discardableResult
    public func add(_ item: Item, quantity: Int = 1) -> Line { // <def:Cart.add> <ref:Item=Item> <ref:Line=Line>
        precondition(lines.count < maxLines, "full") // <ref:precondition=!> <ref:lines=Base.lines> <ref:maxLines=maxLines>
        let line = Line(item: item, quantity: clamp(quantity, 1, 99)) // <ref:Line=Line> <ref:clamp=clamp>
        lines.append(line) // <ref:lines=Base.lines>
        return line
    }

    public func total() -> Int { // <def:Cart.total>
        var sum = 0
        for line in lines { // <ref:lines=Base.lines>
            sum += line.total()
        }
        return sum - discount(sum) // <ref:discount=Cart.discount>
    }

    private func discount(_ sum: Int) -> Int { // <def:Cart.discount>
        return sum / 10
    }

    public override func reset() { // <def:Cart.reset>
        super.reset() // <ref:reset=Base.reset>
        add(Item.free("gift")) // <ref:add=Cart.add> <ref:Item=Item> <ref:free=Item.free>
    }

    public static func empty(_ owner: String) -> Cart { // <def:Cart.empty> <ref:Cart=Cart>
        return Cart(owner: owner) // <ref:Cart=Cart>
    }
}
