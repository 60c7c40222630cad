//! Swift name resolution (`languages/swift/`: modules from `Package.swift`
//! targets, extensions as their types' declarations, members in scope
//! without `self.`, `let x = Foo()` typing), one fixture per case: where
//! go-to-definition at `$0` lands.

use expect_test::expect;

mod fixture;
use fixture::{check_def, check_refs};

const SHOP: &str = r#"
//- /Package.swift
// swift-tools-version:5.7
import PackageDescription
let package = Package(name: "Shop", targets: [.target(name: "ShopCore"), .target(name: "ShopApp", dependencies: ["ShopCore"])])
//- /Sources/ShopCore/Item.swift
/// Something sold.
public struct Item {
    public let price: Int

    public init(price: Int) {
        self.price = price
    }

    public static func free() -> Item {
        return Item(price: 0)
    }

    public func discounted(_ percent: Int) -> Int {
        return price - price * percent / 100
    }
}
//- /Sources/ShopCore/Base.swift
open class Base {
    open func reset() {}
}

public protocol Priced {
    func total() -> Int
}
"#;

fn shop(main: &str) -> String {
    format!("{SHOP}//- /Sources/ShopApp/Cart.swift\n{main}")
}

#[test]
fn a_type_of_an_imported_module() {
    check_def(
        &shop("import ShopCore\n\nfunc make() -> Item {\n    return It$0em(price: 1)\n}\n"),
        expect!["scoped struct Item /Sources/ShopCore/Item.swift:2:15"],
    );
}

#[test]
fn a_type_of_the_same_module_needs_no_import() {
    check_def(
        &shop(
            "import ShopCore\n\nstruct Line {}\n\nfunc make() -> Li$0ne {\n    return Line()\n}\n",
        ),
        expect!["scoped struct Line /Sources/ShopApp/Cart.swift:3:8"],
    );
}

#[test]
fn a_static_method_through_its_type() {
    check_def(
        &shop("import ShopCore\n\nfunc make() -> Item {\n    return Item.fr$0ee()\n}\n"),
        expect!["scoped method Item.free /Sources/ShopCore/Item.swift:9:24"],
    );
}

#[test]
fn a_method_of_a_let_made_by_an_initializer() {
    check_def(
        &shop(
            "import ShopCore\n\nfunc f() -> Int {\n    let item = Item(price: 3)\n    return item.disc$0ounted(10)\n}\n",
        ),
        expect!["scoped method Item.discounted /Sources/ShopCore/Item.swift:13:17"],
    );
}

#[test]
fn a_method_of_a_typed_parameter() {
    check_def(
        &shop("import ShopCore\n\nfunc f(item: Item) -> Int {\n    return item.pri$0ce\n}\n"),
        expect!["scoped field Item.price /Sources/ShopCore/Item.swift:3:16"],
    );
}

#[test]
fn an_inherited_method_without_self() {
    check_def(
        &shop(
            "import ShopCore\n\nclass Cart: Base {\n    func f() {\n        res$0et()\n    }\n}\n",
        ),
        expect!["scoped method Base.reset /Sources/ShopCore/Base.swift:2:15"],
    );
}

#[test]
fn super_calls_the_base_method() {
    check_def(
        &shop(
            "import ShopCore\n\nclass Cart: Base {\n    override func reset() {\n        super.res$0et()\n    }\n}\n",
        ),
        expect!["scoped method Base.reset /Sources/ShopCore/Base.swift:2:15"],
    );
}

#[test]
fn an_extensions_member_is_its_types() {
    check_def(
        &shop(
            "import ShopCore\n\nextension Item {\n    func doubled() -> Int { price * 2 }\n}\n\nfunc f(item: Item) -> Int {\n    return item.doub$0led()\n}\n",
        ),
        expect!["scoped method Item.doubled /Sources/ShopApp/Cart.swift:4:10"],
    );
}

#[test]
fn protocol_conformance_is_inheritance() {
    check_refs(
        &shop("import ShopCore\n\nstruct Line: Priced {\n    func total() -> Int { 1 }\n}\n")
            .replace("public protocol Priced", "public protocol Pri$0ced"),
        expect![[r#"
            interface Priced /Sources/ShopCore/Base.swift:5:17
            /Sources/ShopApp/Cart.swift:3:14 type scoped
        "#]],
    );
}

#[test]
fn the_standard_library_is_external() {
    check_def(
        &shop("func f() {\n    pri$0nt(1)\n}\n"),
        expect!["external (module Swift)"],
    );
}
