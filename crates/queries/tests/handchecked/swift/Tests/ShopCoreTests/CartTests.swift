import XCTest
@testable import ShopCore

final class CartTests: XCTestCase { // <def:CartTests> <ref:XCTestCase=!>
    func testAdd() { // <def:CartTests.testAdd>
        let cart = Cart(owner: "ada") // <ref:Cart=Cart>
        let item = Item(name: "pen", price: 3) // <ref:Item=Item>
        let line = cart.add(item, quantity: 2) // <ref:add=Cart.add>
        XCTAssertEqual(line.total(), 6) // <ref:XCTAssertEqual=!> <ref:total=Line.total>
        XCTAssertEqual(item.discounted(50), 2) // <ref:discounted=Item.discounted>
        XCTAssertEqual(cart.total(), 6) // <ref:total=Cart.total>
        XCTAssertEqual(Category.food, .food) // <ref:Category=Category> <ref:food=Category.food>
    }
}
