//! Java name resolution (`languages/java/`: a package is a directory under
//! a source root, imports name classes, packages or static members, the
//! enclosing classes' members and their bases' are in scope), one fixture
//! per case: where go-to-definition at `$0` lands.

use expect_test::expect;

mod fixture;
use fixture::{check_def, check_refs};

const SHOP: &str = r#"
//- /src/main/java/com/acme/model/Item.java
package com.acme.model;

/** Something sold. */
public class Item {
    private final int price;
    public Item(int price) { this.price = price; }
    public int price() { return price; }
    public Item copy() { return new Item(price); }
    public static Item free() { return new Item(0); }
    public static class Tag { public String label() { return ""; } }
}
//- /src/main/java/com/acme/model/Base.java
package com.acme.model;

public abstract class Base {
    protected void reset() {}
    protected int total;
}
"#;

fn shop(main: &str) -> String {
    format!("{SHOP}//- /src/main/java/com/acme/shop/Cart.java\n{main}")
}

#[test]
fn single_type_import() {
    check_def(
        &shop(
            "package com.acme.shop;\nimport com.acme.model.Item;\nclass Cart { Item make() { return new It$0em(1); } }\n",
        ),
        expect!["scoped class com.acme.model.Item /src/main/java/com/acme/model/Item.java:4:14"],
    );
}

#[test]
fn on_demand_import() {
    check_def(
        &shop("package com.acme.shop;\nimport com.acme.model.*;\nclass Cart { It$0em x; }\n"),
        expect!["scoped class com.acme.model.Item /src/main/java/com/acme/model/Item.java:4:14"],
    );
}

#[test]
fn static_import_of_a_method() {
    check_def(
        &shop(
            "package com.acme.shop;\nimport static com.acme.model.Item.free;\nclass Cart { void f() { fr$0ee(); } }\n",
        ),
        expect![
            "scoped method com.acme.model.Item.free /src/main/java/com/acme/model/Item.java:9:24"
        ],
    );
}

#[test]
fn nested_class_through_its_outer_class() {
    check_def(
        &shop(
            "package com.acme.shop;\nimport com.acme.model.Item;\nclass Cart { void f() { Item.Tag t = new Item.Tag(); t.lab$0el(); } }\n",
        ),
        expect![
            "scoped method com.acme.model.Item.Tag.label /src/main/java/com/acme/model/Item.java:10:45"
        ],
    );
}

#[test]
fn member_of_a_declared_local() {
    check_def(
        &shop(
            "package com.acme.shop;\nimport com.acme.model.Item;\nclass Cart { void f(Item a) { Item b = a.copy(); b.pri$0ce(); } }\n",
        ),
        expect![
            "scoped method com.acme.model.Item.price /src/main/java/com/acme/model/Item.java:7:16"
        ],
    );
}

#[test]
fn var_takes_the_initializers_type() {
    check_def(
        &shop(
            "package com.acme.shop;\nimport com.acme.model.Item;\nclass Cart { void f() { var b = Item.free(); b.co$0py(); } }\n",
        ),
        expect![
            "scoped method com.acme.model.Item.copy /src/main/java/com/acme/model/Item.java:8:17"
        ],
    );
}

#[test]
fn enhanced_for_variable() {
    check_def(
        &shop(
            "package com.acme.shop;\nimport com.acme.model.Item;\nimport java.util.List;\nclass Cart { void f(List<Item> xs) { for (Item it : xs) { it.pr$0ice(); } } }\n",
        ),
        expect![
            "scoped method com.acme.model.Item.price /src/main/java/com/acme/model/Item.java:7:16"
        ],
    );
}

#[test]
fn inherited_member_without_this() {
    check_def(
        &shop(
            "package com.acme.shop;\nimport com.acme.model.Base;\nclass Cart extends Base { void f() { res$0et(); } }\n",
        ),
        expect![
            "scoped method com.acme.model.Base.reset /src/main/java/com/acme/model/Base.java:4:20"
        ],
    );
}

#[test]
fn own_field_through_this() {
    check_def(
        &shop("package com.acme.shop;\nclass Cart { int n; void f() { this.$0n = 2; } }\n"),
        expect!["scoped field com.acme.shop.Cart.n /src/main/java/com/acme/shop/Cart.java:2:18"],
    );
}

#[test]
fn same_package_needs_no_import() {
    check_def(
        r#"
        //- /src/main/java/com/acme/shop/Price.java
        package com.acme.shop;
        class Price { static int of(int x) { return x; } }
        //- /src/main/java/com/acme/shop/Cart.java
        package com.acme.shop;
        class Cart { int f() { return Price.o$0f(1); } }
        "#,
        expect![
            "scoped method com.acme.shop.Price.of /src/main/java/com/acme/shop/Price.java:2:26"
        ],
    );
}

#[test]
fn jdk_classes_are_external() {
    check_def(
        &shop(
            "package com.acme.shop;\nimport java.util.List;\nclass Cart { Li$0st<String> xs; }\n",
        ),
        expect!["external (module java.util)"],
    );
}

#[test]
fn a_method_of_an_unknown_type_stays_unresolved() {
    check_def(
        &shop(
            "package com.acme.shop;\nimport java.util.List;\nclass Cart { void f(List<String> xs) { xs.pri$0ce(); } }\n",
        ),
        expect!["external (module java.util)"],
    );
}

#[test]
fn callers_of_a_method_across_files() {
    check_refs(
        &shop(
            "package com.acme.shop;\nimport com.acme.model.Item;\nclass Cart { int f(Item a) { return a.price() + Item.free().price(); } }\n",
        )
        .replace("public int price()", "public int pri$0ce()"),
        expect![[r#"
            method com.acme.model.Item.price /src/main/java/com/acme/model/Item.java:7:16
            /src/main/java/com/acme/shop/Cart.java:3:39 call scoped
            /src/main/java/com/acme/shop/Cart.java:3:61 call scoped
        "#]],
    );
}

#[test]
fn a_field_read_beside_a_same_named_method() {
    check_def(
        "//- /src/It.java\nclass It {\n    Object next() { return ne$0xt; }\n    Object next = null;\n}\n",
        expect!["scoped field It.next /src/It.java:3:12"],
    );
}

#[test]
fn a_nested_type_beats_a_base_types_nested_type() {
    check_def(
        "//- /src/A.java\nclass A { interface Visitor {} }\n//- /src/B.java\nclass B extends A {\n    interface Visitor {}\n    static class Frame { void accept(Visi$0tor v) {} }\n}\n",
        expect!["scoped interface B.Visitor /src/B.java:2:15"],
    );
}

#[test]
fn a_type_name_is_not_a_same_named_field() {
    check_def(
        "//- /src/Sig.java\nclass Sig {}\n//- /src/A.java\nclass A { static final String Sig = \"\"; }\n//- /src/B.java\nclass B extends A { Object f() { return new S$0ig(); } }\n",
        expect!["scoped class Sig /src/Sig.java:1:7"],
    );
}

#[test]
fn overloads_by_arity() {
    check_def(
        "//- /src/W.java\nclass W {\n    void write(int a) {}\n    void write(int a, int b) {}\n    void f() { wri$0te(1, 2); }\n}\n",
        expect!["scoped method W.write /src/W.java:3:10"],
    );
}

#[test]
fn super_calls_the_base_method() {
    check_def(
        "//- /src/A.java\nclass A { void run() {} }\n//- /src/B.java\nclass B extends A { void run() { super.r$0un(); } }\n",
        expect!["scoped method A.run /src/A.java:1:16"],
    );
}
