//! Java, Kotlin, Swift, C#, Ruby, PHP, C and C++ end to end through the
//! `weft` binary: one tree with all eight (and `.h` headers, which the C++ majority makes C++), indexed,
//! then asked for a definition, references, callers, implementations and
//! an outline in each, and exported to SCIP with each language named.

mod common;

use std::path::Path;

use common::{stderr, stdout, weft, write};
use protobuf::Message;
use serde_json::Value;

const JAVA_ITEM: &str = "package com.acme.model;\n\npublic class Item extends Base {\n    public int price() { return 1; }\n}\n";
const JAVA_BASE: &str = "package com.acme.model;\n\npublic abstract class Base {\n    public abstract int price();\n}\n";
const JAVA_CART: &str = "package com.acme.shop;\n\nimport com.acme.model.Item;\n\npublic class Cart {\n    int total(Item a) {\n        return a.price() + a.price();\n    }\n}\n";
const CS_SHAPE: &str = "namespace Acme.Geo;\n\npublic interface IShape { double Area(); }\n\npublic partial class Square : IShape\n{\n    public double Side { get; set; }\n    public double Area() { return Side * Side; }\n}\n";
const CS_PART: &str = "namespace Acme.Geo;\n\npublic partial class Square\n{\n    public double Twice() { return Area() + Area(); }\n}\n";
const CS_MAIN: &str = "using Acme.Geo;\n\nnamespace Acme.App;\n\npublic static class Program\n{\n    public static double Run(Square s) { return s.Area(); }\n}\n";
const RB_ITEM: &str = "module Shop\n  class Item\n    attr_reader :price\n\n    def initialize(price)\n      @price = price\n    end\n  end\n\n  class Gift < Item\n    def wrap\n      price + 1\n    end\n  end\nend\n";
const RB_CART: &str = "require_relative \"item\"\n\nmodule Shop\n  class Cart\n    def total(items)\n      gift = Gift.new(2)\n      gift.wrap + gift.wrap\n    end\n  end\nend\n";
const PHP_ITEM: &str = "<?php\nnamespace Shop;\n\ninterface Priced { public function price(): int; }\n\nclass Item implements Priced\n{\n    public function price(): int { return 1; }\n}\n";
const PHP_CART: &str = "<?php\nnamespace Shop\\Cart;\n\nuse Shop\\Item;\n\nfunction total(Item $a): int\n{\n    return $a->price() + $a->price();\n}\n";
const KT_ITEM: &str = "package com.acme.model\n\nopen class Item(val price: Int) {\n    open fun total(): Int = price\n}\n\nclass Gift : Item(0) {\n    override fun total(): Int = 1\n}\n";
const KT_CART: &str = "package com.acme.shop\n\nimport com.acme.model.Item\n\nfun sum(a: Item): Int {\n    return a.total() + a.total()\n}\n";
const SWIFT_ITEM: &str = "open class Shape {\n    open func area() -> Int { 0 }\n}\n\nfinal class Square: Shape {\n    override func area() -> Int { 4 }\n}\n";
const SWIFT_MAIN: &str = "func measure(_ s: Shape) -> Int {\n    return s.area() + s.area()\n}\n";
const C_H: &str = "#ifndef GEO_H\n#define GEO_H\nstruct point { int x; int y; };\nint area(struct point *p);\n#endif\n";
const C_SRC: &str = "#include \"geo.h\"\n\nint area(struct point *p) { return p->x * p->y; }\n\nint twice(struct point *p) { return area(p) + area(p); }\n";
const CPP_H: &str = "#pragma once\nnamespace shapes {\nclass Shape {\n public:\n  virtual double size() const;\n};\nclass Circle : public Shape {\n public:\n  double size() const override;\n};\n}\n";
const CPP_SRC: &str = "#include \"shapes.h\"\n\nnamespace shapes {\ndouble Shape::size() const { return 0; }\ndouble Circle::size() const { return 1; }\n}\n\ndouble measure(shapes::Shape* s) { return s->size(); }\n";

fn tree() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "jvm/src/main/java/com/acme/model/Item.java",
                JAVA_ITEM.as_bytes(),
            ),
            (
                "jvm/src/main/java/com/acme/model/Base.java",
                JAVA_BASE.as_bytes(),
            ),
            (
                "jvm/src/main/java/com/acme/shop/Cart.java",
                JAVA_CART.as_bytes(),
            ),
            ("dotnet/Geo/Square.cs", CS_SHAPE.as_bytes()),
            ("dotnet/Geo/Square.Twice.cs", CS_PART.as_bytes()),
            ("dotnet/App/Program.cs", CS_MAIN.as_bytes()),
            ("rb/lib/shop/item.rb", RB_ITEM.as_bytes()),
            ("rb/lib/shop/cart.rb", RB_CART.as_bytes()),
            ("php/src/Item.php", PHP_ITEM.as_bytes()),
            ("php/src/Cart/total.php", PHP_CART.as_bytes()),
            (
                "kt/src/main/kotlin/com/acme/model/Item.kt",
                KT_ITEM.as_bytes(),
            ),
            (
                "kt/src/main/kotlin/com/acme/shop/Cart.kt",
                KT_CART.as_bytes(),
            ),
            ("swift/Sources/Geo/Shape.swift", SWIFT_ITEM.as_bytes()),
            ("swift/Sources/Geo/main.swift", SWIFT_MAIN.as_bytes()),
            // the first five, so the tree holds every language
            ("rs/src/lib.rs", b"pub fn area() -> u32 { 1 }\n"),
            ("py/shop.py", b"def area():\n    return 1\n"),
            (
                "web/shop.ts",
                b"export function area(): number { return 1; }\n",
            ),
            ("web/legacy.js", b"function area() { return 1; }\n"),
            (
                "go/shop.go",
                b"package shop\n\nfunc Area() int { return 1 }\n",
            ),
            ("csrc/geo.c", C_SRC.as_bytes()),
            ("csrc/geo.h", C_H.as_bytes()),
            ("cpp/shapes.h", CPP_H.as_bytes()),
            ("cpp/shapes.cpp", CPP_SRC.as_bytes()),
            (
                "cpp/main.cpp",
                b"#include \"shapes.h\"\nint main() { return 0; }\n",
            ),
        ],
    );
    d
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let o = weft(dir, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stdout(&o)))
}

#[test]
fn index_lists_every_language_and_says_how_headers_are_read() {
    let d = tree();
    let o = weft(d.path(), &["index", "."]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // both headers are C++'s: the tree has more C++ sources than C
    assert!(out.contains(".h files are parsed as cpp"), "{out}");
    let v = json(d.path(), &["index", ".", "--json"]);
    assert_eq!(v["stats"]["files"]["java"], 3, "{v}");
    assert_eq!(v["stats"]["files"]["csharp"], 3, "{v}");
    assert_eq!(v["stats"]["files"]["ruby"], 2, "{v}");
    assert_eq!(v["stats"]["files"]["php"], 2, "{v}");
    assert_eq!(v["stats"]["files"]["kotlin"], 2, "{v}");
    assert_eq!(v["stats"]["files"]["swift"], 2, "{v}");
    let listed = v["stats"]["files"].as_object().map_or(0, |m| m.len());
    assert_eq!(listed, 13, "every language, each with its count: {v}");
    assert_eq!(v["stats"]["files"]["c"], 1, "{v}");
    assert_eq!(v["stats"]["files"]["cpp"], 4, "{v}");
}

#[test]
fn definitions_references_and_callers_in_each_language() {
    let d = tree();
    let dir = d.path();
    assert!(weft(dir, &["index"]).status.success());
    // Java: `a.price()` on a parameter typed by an import
    let v = json(
        dir,
        &[
            "def",
            "jvm/src/main/java/com/acme/shop/Cart.java:7:18",
            "--json",
        ],
    );
    assert_eq!(v["resolution"], "scoped", "{v}");
    assert_eq!(
        v["definition"]["qualified_name"],
        "com.acme.model.Item.price"
    );
    // C#: a method called on a parameter typed through `using`
    let v = json(dir, &["def", "dotnet/App/Program.cs:7:52", "--json"]);
    assert_eq!(v["resolution"], "scoped", "{v}");
    assert_eq!(v["definition"]["qualified_name"], "Acme.Geo.Square.Area");
    // ... and one called from the other part of a partial class
    let o = weft(dir, &["callers", "Acme.Geo.Square.Area"]);
    let out = stdout(&o);
    assert!(out.contains("Twice") && out.contains("Run"), "{out}");
    // Ruby: a method of a local made by `new`, inherited through `<`
    let v = json(dir, &["def", "rb/lib/shop/cart.rb:7:12", "--json"]);
    assert_eq!(v["resolution"], "scoped", "{v}");
    assert_eq!(v["definition"]["qualified_name"], "Shop::Gift::wrap");
    let o = weft(dir, &["refs", "Shop::Gift::wrap"]);
    assert_eq!(stdout(&o).matches("cart.rb").count(), 2, "{}", stdout(&o));
    let o = weft(dir, &["callers", "Shop::Item::initialize"]);
    assert!(stdout(&o).contains("total"), "{}", stdout(&o));
    // PHP: a method called on a parameter typed by a `use`d class
    let v = json(dir, &["def", "php/src/Cart/total.php:8:17", "--json"]);
    assert_eq!(v["resolution"], "scoped", "{v}");
    assert_eq!(v["definition"]["qualified_name"], "Shop\\Item\\price");
    let o = weft(dir, &["callers", "php/src/Item.php:8:21"]);
    assert!(stdout(&o).contains("total"), "{}", stdout(&o));
    // Kotlin: a method called on a parameter typed by an import
    let v = json(
        dir,
        &[
            "def",
            "kt/src/main/kotlin/com/acme/shop/Cart.kt:6:14",
            "--json",
        ],
    );
    assert_eq!(v["resolution"], "scoped", "{v}");
    assert_eq!(
        v["definition"]["qualified_name"],
        "com.acme.model.Item.total"
    );
    let o = weft(dir, &["callers", "com.acme.model.Item.total"]);
    assert!(stdout(&o).contains("sum"), "{}", stdout(&o));
    // Swift: a method called on a parameter, declared in its class
    let v = json(dir, &["def", "swift/Sources/Geo/main.swift:2:14", "--json"]);
    assert_eq!(v["resolution"], "scoped", "{v}");
    assert_eq!(v["definition"]["qualified_name"], "Shape.area");
    let o = weft(dir, &["callers", "Shape.area"]);
    assert!(stdout(&o).contains("measure"), "{}", stdout(&o));
    // C: a call binds to the function's declaration in the header it
    // includes, even in the file that defines it (one function, one name)
    let v = json(dir, &["def", "csrc/geo.c:5:37", "--json"]);
    assert_eq!(v["resolution"], "scoped", "{v}");
    assert_eq!(v["definition"]["file"], "csrc/geo.h", "{v}");
    // C++: a member call through a typed pointer, declared in the class
    let v = json(dir, &["def", "cpp/shapes.cpp:8:47", "--json"]);
    assert_eq!(v["definition"]["file"], "cpp/shapes.h", "{v}");
    assert_eq!(v["definition"]["span"]["start"]["line"], 4, "{v}");

    let o = weft(
        dir,
        &["refs", "jvm/src/main/java/com/acme/model/Item.java:4:16"],
    );
    assert_eq!(stdout(&o).matches("Cart.java").count(), 2, "{}", stdout(&o));
    let o = weft(dir, &["callers", "twice"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = weft(dir, &["callers", "csrc/geo.h:4:5"]);
    assert!(stdout(&o).contains("twice"), "{}", stdout(&o));
}

#[test]
fn implementations_and_outlines_in_each_language() {
    let d = tree();
    let dir = d.path();
    assert!(weft(dir, &["index"]).status.success());
    let o = weft(dir, &["impls", "com.acme.model.Base"]);
    assert!(stdout(&o).contains("Item"), "{}", stdout(&o));
    let o = weft(dir, &["impls", "cpp/shapes.h:3:7"]);
    assert!(stdout(&o).contains("Circle"), "{}", stdout(&o));
    let o = weft(dir, &["outline", "cpp/shapes.h"]);
    let out = stdout(&o);
    assert!(
        out.contains("class Shape") && out.contains("method size"),
        "{out}"
    );
    let o = weft(dir, &["impls", "Acme.Geo.IShape"]);
    assert!(stdout(&o).contains("Square"), "{}", stdout(&o));
    let o = weft(dir, &["outline", "dotnet/Geo/Square.cs"]);
    let out = stdout(&o);
    assert!(
        out.contains("interface IShape") && out.contains("method Area"),
        "{out}"
    );
    let o = weft(dir, &["impls", "Shop::Item"]);
    assert!(stdout(&o).contains("Gift"), "{}", stdout(&o));
    let o = weft(dir, &["outline", "rb/lib/shop/item.rb"]);
    let out = stdout(&o);
    assert!(
        out.contains("class Item") && out.contains("method price") && out.contains("method wrap"),
        "{out}"
    );
    let o = weft(dir, &["impls", "php/src/Item.php:4:11"]);
    assert!(stdout(&o).contains("Item"), "{}", stdout(&o));
    let o = weft(dir, &["outline", "php/src/Item.php"]);
    let out = stdout(&o);
    assert!(
        out.contains("interface Priced") && out.contains("class Item"),
        "{out}"
    );
    // (Java's tree has a `com.acme.model.Item` too: a position says which)
    let o = weft(
        dir,
        &["impls", "kt/src/main/kotlin/com/acme/model/Item.kt:3:12"],
    );
    assert!(stdout(&o).contains("Gift"), "{}", stdout(&o));
    let o = weft(
        dir,
        &["outline", "kt/src/main/kotlin/com/acme/model/Item.kt"],
    );
    let out = stdout(&o);
    assert!(
        out.contains("class Item") && out.contains("method total"),
        "{out}"
    );
    let o = weft(dir, &["impls", "Shape"]);
    assert!(stdout(&o).contains("Square"), "{}", stdout(&o));
    let o = weft(dir, &["outline", "swift/Sources/Geo/Shape.swift"]);
    let out = stdout(&o);
    assert!(
        out.contains("class Shape") && out.contains("method area"),
        "{out}"
    );
    let o = weft(dir, &["outline", "csrc/geo.h"]);
    let out = stdout(&o);
    assert!(
        out.contains("struct point") && out.contains("function area"),
        "{out}"
    );
    let o = weft(
        dir,
        &["outline", "jvm/src/main/java/com/acme/shop/Cart.java"],
    );
    assert!(stdout(&o).contains("method total"), "{}", stdout(&o));
}

#[test]
fn scip_export_names_each_language() {
    let d = tree();
    let dir = d.path();
    let out = dir.join("out.scip");
    let o = weft(dir, &["export", "--scip", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let index = scip::types::Index::parse_from_bytes(&std::fs::read(&out).unwrap()).unwrap();
    let mut langs: Vec<String> = index.documents.iter().map(|d| d.language.clone()).collect();
    langs.sort();
    langs.dedup();
    assert_eq!(
        langs,
        vec![
            "C",
            "CPP",
            "CSharp",
            "Go",
            "Java",
            "JavaScript",
            "Kotlin",
            "PHP",
            "Python",
            "Ruby",
            "Rust",
            "Swift",
            "TypeScript",
        ]
    );
}
