/// Something sold.
public struct Item { // <def:Item>
    public let name: String // <def:Item.name>
    public let price: Int // <def:Item.price>

    public init(name: String, price: Int) { // <def:Item.init>
        self.name = name // <ref:name=Item.name>
        self.price = price // <ref:price=Item.price>
    }

    public static func free(_ name: String) -> Item { // <def:Item.free> <ref:Item=Item>
        return Item(name: name, price: 0) // <ref:Item=Item>
    }

    public func discounted(_ percent: Int) -> Int { // <def:Item.discounted>
        return price - price * percent / 100 // <ref:price=Item.price> <ref:price#2=Item.price>
    }
}

public enum Category { // <def:Category>
    case food, tools // <def:Category.food> <def:Category.tools>
}
