//! Extraction tests: small inline fixtures per language.

use weft_db::{Role, SymbolKind};

use super::{all, of_path, support};
use crate::extract::extract;
use crate::facts::{FileFacts, Receiver};

fn facts(path: &str, src: &str) -> FileFacts {
    let lang = of_path(path).unwrap();
    let s = support(lang);
    extract(s, s.grammar_for(path), src)
}

fn defs(f: &FileFacts) -> Vec<(String, SymbolKind)> {
    f.defs
        .iter()
        .map(|d| (d.local_name.to_string(), d.kind))
        .collect()
}

fn refs(f: &FileFacts, role: Role) -> Vec<String> {
    f.refs
        .iter()
        .filter(|r| r.role == role)
        .map(|r| {
            r.path
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect()
}

#[test]
fn every_query_compiles() {
    for l in all().all() {
        for i in 0..l.grammars.len() {
            let _ = l.grammar(i);
        }
    }
}

#[test]
fn rust_items_impls_and_uses() {
    let f = facts(
        "src/lib.rs",
        "use crate::a::{B, c as d};\npub use std::fmt::*;\n/// Doc line.\n#[derive(Debug)]\npub struct S { pub x: u8 }\nimpl Tr for S { fn m(&self) { self.n(); helper(1); let y = 2; y; } }\nenum E { A, B(u8) }\nmacro_rules! mac { () => {} }\n",
    );
    assert_eq!(
        defs(&f),
        vec![
            ("S".into(), SymbolKind::Struct),
            ("S::x".into(), SymbolKind::Field),
            ("S::m".into(), SymbolKind::Method),
            ("E".into(), SymbolKind::Enum),
            ("E::A".into(), SymbolKind::EnumMember),
            ("E::B".into(), SymbolKind::EnumMember),
            ("mac".into(), SymbolKind::Macro),
        ]
    );
    assert_eq!(f.defs[0].doc.as_deref(), Some("Doc line."));
    assert!(f.defs[0].exported && f.defs[1].exported && !f.defs[2].exported);
    assert_eq!(f.impls.len(), 1);
    assert_eq!(f.impls[0].self_type, "S");
    assert_eq!(f.impls[0].trait_path.as_deref(), Some(&["Tr".into()][..]));
    assert_eq!(refs(&f, Role::Call), vec!["self.n", "helper"]);
    // `y` is a local: not a reference to a symbol.
    assert!(!refs(&f, Role::Read).contains(&"y".to_string()));
    let imports: Vec<(String, Vec<String>, bool, bool)> = f
        .imports
        .iter()
        .map(|i| {
            (
                i.module.to_string(),
                i.names.iter().map(|n| n.local().to_string()).collect(),
                i.glob,
                i.reexport,
            )
        })
        .collect();
    assert_eq!(
        imports,
        vec![
            ("crate::a".into(), vec!["B".into()], false, false),
            ("crate::a".into(), vec!["d".into()], false, false),
            ("std::fmt".into(), vec![], true, true),
        ]
    );
}

#[test]
fn python_classes_methods_imports() {
    let f = facts(
        "pkg/m.py",
        "from .base import Base as B\nimport os.path\nX = 1\nclass C(B):\n    \"\"\"A class.\"\"\"\n    k = 2\n    def m(me, a):\n        me.n()\n        t = a\n        return helper(t)\n",
    );
    assert_eq!(
        defs(&f),
        vec![
            ("X".into(), SymbolKind::Variable),
            ("C".into(), SymbolKind::Class),
            ("C.k".into(), SymbolKind::Field),
            ("C.m".into(), SymbolKind::Method),
        ]
    );
    assert_eq!(f.defs[1].doc.as_deref(), Some("A class."));
    assert_eq!(f.inherits.len(), 1);
    assert_eq!(f.inherits[0].base, vec!["B"]);
    // the first parameter names the instance, whatever it is called
    assert_eq!(refs(&f, Role::Call), vec!["self.n", "helper"]);
    assert_eq!(f.imports[0].module, ".base");
    assert_eq!(f.imports[0].names[0].local(), "B");
    assert_eq!(f.imports[1].module, "os.path");
}

#[test]
fn typescript_and_javascript() {
    let ts = facts(
        "a.ts",
        "import D, { x as y } from './b';\nimport * as ns from '../c';\nexport * from './d';\nexport interface I { f(): void }\nexport class K extends Base implements I { private p = 1; f() { this.g(); ns.h(); } }\nexport const arrow = (a: number) => a;\nenum Color { Red, Green = 2 }\n",
    );
    assert_eq!(
        defs(&ts),
        vec![
            ("I".into(), SymbolKind::Interface),
            ("I.f".into(), SymbolKind::Method),
            ("K".into(), SymbolKind::Class),
            ("K.p".into(), SymbolKind::Field),
            ("K.f".into(), SymbolKind::Method),
            ("arrow".into(), SymbolKind::Function),
            ("Color".into(), SymbolKind::Enum),
            ("Color.Red".into(), SymbolKind::EnumMember),
            ("Color.Green".into(), SymbolKind::EnumMember),
        ]
    );
    assert!(ts.defs[0].exported && ts.defs[2].exported && !ts.defs[6].exported);
    assert_eq!(
        ts.inherits
            .iter()
            .map(|i| i.base.join("."))
            .collect::<Vec<_>>(),
        vec!["Base", "I"]
    );
    assert_eq!(refs(&ts, Role::Call), vec!["self.g", "ns.h"]);
    assert_eq!(ts.imports.len(), 3);
    assert!(ts.imports[2].glob && ts.imports[2].reexport);
    assert_eq!(ts.imports[1].alias.as_deref(), Some("ns"));
    let js = facts(
        "a.js",
        "const { a, b: c } = require('./m');\nclass Q extends P { run() { return c(a); } }\nmodule.exports = Q;\n",
    );
    assert_eq!(
        defs(&js),
        vec![
            ("Q".into(), SymbolKind::Class),
            ("Q.run".into(), SymbolKind::Method)
        ]
    );
    assert_eq!(
        js.imports[0]
            .names
            .iter()
            .map(|n| n.local().to_string())
            .collect::<Vec<_>>(),
        vec!["a", "c"]
    );
    assert_eq!(js.inherits[0].base, vec!["P"]);
    let tsx = facts(
        "v.tsx",
        "export function View() { return <Button onClick={go} />; }\n",
    );
    assert!(refs(&tsx, Role::Call).contains(&"Button".to_string()));
}

#[test]
fn go_packages_methods_embedding() {
    let f = facts(
        "svc/a.go",
        "package svc\n\nimport (\n\tf \"fmt\"\n\t\"example.com/m/util\"\n)\n\n// Server serves.\ntype Server struct {\n\tutil.Base\n\tName string\n}\n\nfunc (s *Server) Run() { s.stop(); f.Println(util.X) }\nfunc New() *Server { return &Server{} }\n",
    );
    assert_eq!(f.package.as_deref(), Some("svc"));
    assert_eq!(
        defs(&f),
        vec![
            ("Server".into(), SymbolKind::Struct),
            ("Server.Name".into(), SymbolKind::Field),
            ("Server.Run".into(), SymbolKind::Method),
            ("New".into(), SymbolKind::Function),
        ]
    );
    assert_eq!(f.defs[0].doc.as_deref(), Some("Server serves."));
    assert_eq!(f.defs[2].owner.as_deref(), Some("Server"));
    assert_eq!(f.inherits[0].base, vec!["util", "Base"]);
    assert_eq!(refs(&f, Role::Call), vec!["self.stop", "f.Println"]);
    assert_eq!(
        f.imports
            .iter()
            .map(|i| i.module.to_string())
            .collect::<Vec<_>>(),
        vec!["fmt", "example.com/m/util"]
    );
    assert_eq!(f.imports[0].alias.as_deref(), Some("f"));
}

#[test]
fn unknown_receivers_keep_only_the_member_name() {
    let f = facts("a.rs", "fn f() { (a + b).go(); make().run(); }\n");
    let member = |name: &str| {
        f.refs
            .iter()
            .find(|r| r.path.last().unwrap() == name)
            .unwrap()
    };
    assert_eq!(member("go").receiver, Receiver::Unknown);
    assert_eq!(member("go").path, vec!["go"]);
    // a call's result is typed through the callee's declaration
    let Receiver::Expr(e) = member("run").receiver else {
        panic!("`make().run` should have a typed receiver");
    };
    assert_eq!(member("run").path, vec!["run"]);
    let crate::facts::Expr::Call(callee) = &f.exprs[e as usize] else {
        panic!("receiver should be a call: {:?}", f.exprs);
    };
    assert_eq!(
        f.exprs[*callee as usize],
        crate::facts::Expr::Path(vec!["make".into()])
    );
}

#[test]
fn java_types_members_imports() {
    let f = facts(
        "src/main/java/a/B.java",
        "package a;\nimport java.util.List;\nimport static a.c.D.*;\n/** A thing. */\npublic class B extends Base implements I {\n  private int n;\n  public B(int n) { this.n = n; }\n  public void m(List<String> xs) { helper(1); xs.size(); }\n  enum E { X; }\n}\n",
    );
    assert_eq!(
        defs(&f),
        vec![
            ("B".into(), SymbolKind::Class),
            ("B.n".into(), SymbolKind::Field),
            ("B.B".into(), SymbolKind::Method),
            ("B.m".into(), SymbolKind::Method),
            ("B.E".into(), SymbolKind::Enum),
            ("B.E.X".into(), SymbolKind::EnumMember),
        ]
    );
    assert_eq!(f.defs[0].doc.as_deref(), Some("A thing."));
    assert!(f.defs[0].exported && !f.defs[1].exported && f.defs[3].exported);
    assert_eq!(f.package.as_deref(), Some("a"));
    let bases: Vec<String> = f.inherits.iter().map(|i| i.base.join(".")).collect();
    assert_eq!(bases, vec!["Base", "I"]);
    assert_eq!(refs(&f, Role::Call), vec!["helper", "size"]);
    let helper = f.refs.iter().find(|r| r.path == ["helper"]).unwrap();
    assert_eq!(helper.arity, Some(1));
    let imports: Vec<(String, bool)> = f
        .imports
        .iter()
        .map(|i| (i.module.to_string(), i.glob))
        .collect();
    assert_eq!(
        imports,
        vec![("java.util".into(), false), ("a.c.D".into(), true)]
    );
}

#[test]
fn csharp_namespaces_properties_usings_and_partials() {
    let f = facts(
        "Shop/A.cs",
        "using System;\nusing static Acme.Util.MathX;\nusing M = Acme.Models;\nnamespace Acme.Shop;\n/// <summary>A cart.</summary>\npublic partial class Cart : Base, ICart\n{\n    public int Count { get; set; }\n    private int n;\n    public Cart(int n) { this.n = n; }\n    public void Add(int v) { Clamp(v); base.Reset(); }\n    internal enum E { X }\n}\n",
    );
    assert_eq!(
        defs(&f),
        vec![
            ("Acme.Shop".into(), SymbolKind::Module),
            ("Acme.Shop.Cart".into(), SymbolKind::Class),
            ("Acme.Shop.Cart.Count".into(), SymbolKind::Field),
            ("Acme.Shop.Cart.n".into(), SymbolKind::Field),
            ("Acme.Shop.Cart.Cart".into(), SymbolKind::Method),
            ("Acme.Shop.Cart.Add".into(), SymbolKind::Method),
            ("Acme.Shop.Cart.E".into(), SymbolKind::Enum),
            ("Acme.Shop.Cart.E.X".into(), SymbolKind::EnumMember),
        ]
    );
    assert_eq!(f.defs[1].doc.as_deref(), Some("A cart."));
    // `public` and `internal` reach other files of the assembly, `private` does not
    assert!(f.defs[1].exported && f.defs[2].exported && !f.defs[3].exported);
    assert!(f.defs[6].exported);
    // a file-scoped namespace reaches the end of the file
    assert_eq!(f.defs[0].full_span.end.line, 13);
    let bases: Vec<String> = f.inherits.iter().map(|i| i.base.join(".")).collect();
    assert_eq!(bases, vec!["Base", "ICart"]);
    assert_eq!(refs(&f, Role::Call), vec!["Clamp", "base.Reset"]);
    let imports: Vec<(String, bool)> = f
        .imports
        .iter()
        .map(|i| (i.module.to_string(), i.glob))
        .collect();
    assert_eq!(
        imports,
        vec![
            ("System".into(), true),
            ("static Acme.Util.MathX".into(), true),
            ("Acme.Models".into(), false),
        ]
    );
}

#[test]
fn ruby_classes_methods_accessors_and_requires() {
    let f = facts(
        "lib/shop/cart.rb",
        "require \"json\"\nrequire_relative \"item\"\n\nmodule Shop\n  autoload :Tax, \"shop/tax\"\n  # A cart.\n  class Cart < Base\n    include Pricing\n    attr_reader :items\n    LIMIT = 3\n\n    def initialize(items = [])\n      @items = items\n    end\n\n    def self.build\n      new\n    end\n\n    private\n\n    def check(item)\n      item.valid?\n      helper 1\n    end\n  end\nend\n",
    );
    assert_eq!(
        defs(&f),
        vec![
            ("Shop".into(), SymbolKind::Module),
            ("Shop::Cart".into(), SymbolKind::Class),
            ("Shop::Cart::items".into(), SymbolKind::Method),
            ("Shop::Cart::LIMIT".into(), SymbolKind::Constant),
            ("Shop::Cart::initialize".into(), SymbolKind::Method),
            ("Shop::Cart::@items".into(), SymbolKind::Field),
            ("Shop::Cart::build".into(), SymbolKind::Method),
            ("Shop::Cart::check".into(), SymbolKind::Method),
        ]
    );
    assert_eq!(f.defs[1].doc.as_deref(), Some("A cart."));
    // after a bare `private`, methods are not public
    assert!(f.defs[4].exported && f.defs[6].exported && !f.defs[7].exported);
    let bases: Vec<String> = f.inherits.iter().map(|i| i.base.join("::")).collect();
    assert_eq!(bases, vec!["Base", "Pricing"]);
    // a parameter is a local, not a call; `helper 1` is a call without parentheses
    assert_eq!(
        refs(&f, Role::Call),
        vec![
            "include",
            "attr_reader",
            "new",
            "private",
            "valid?",
            "helper"
        ]
    );
    let helper = f.refs.iter().find(|r| r.path == ["helper"]).unwrap();
    assert_eq!(helper.arity, Some(1));
    let imports: Vec<&str> = f.imports.iter().map(|i| i.module.as_str()).collect();
    assert_eq!(imports, vec!["json", "./item", "shop/tax"]);
    assert!(f.imports.iter().all(|i| !i.glob && i.names.is_empty()));
}

#[test]
fn php_namespaces_classes_uses_and_properties() {
    let f = facts(
        "src/Shop/Cart.php",
        "<?php\nnamespace App\\Shop;\n\nuse App\\Models\\{Item, Line as OrderLine};\nuse function App\\Util\\clamp;\n\n/** A cart. */\nfinal class Cart extends Base implements \\Countable\n{\n    use Discounts;\n    public const LIMIT = 3;\n    private array $lines = [];\n    protected static int $made = 0;\n\n    public function add(Item $item, int $n = 1): void\n    {\n        $line = new OrderLine($item);\n        $this->lines[] = clamp($n, 1, self::LIMIT);\n    }\n}\n",
    );
    assert_eq!(
        defs(&f),
        vec![
            ("App\\Shop".into(), SymbolKind::Module),
            ("App\\Shop\\Cart".into(), SymbolKind::Class),
            ("App\\Shop\\Cart\\LIMIT".into(), SymbolKind::Constant),
            ("App\\Shop\\Cart\\lines".into(), SymbolKind::Field),
            ("App\\Shop\\Cart\\$made".into(), SymbolKind::Field),
            ("App\\Shop\\Cart\\add".into(), SymbolKind::Method),
        ]
    );
    assert_eq!(f.defs[1].doc.as_deref(), Some("A cart."));
    assert!(f.defs[2].exported && !f.defs[3].exported && !f.defs[4].exported && f.defs[5].exported);
    // `namespace A\B;` holds the whole file
    assert_eq!(f.defs[0].full_span.end.line, 20);
    let bases: Vec<String> = f.inherits.iter().map(|i| i.base.join("\\")).collect();
    assert_eq!(bases, vec!["Base", "\\\\Countable", "Discounts"]);
    // variables are never references; `new`, calls and `self::` are
    assert_eq!(refs(&f, Role::Call), vec!["OrderLine", "clamp"]);
    assert!(
        f.refs
            .iter()
            .all(|r| !r.path.iter().any(|s| s.starts_with('$') && s != "$made"))
    );
    let imports: Vec<(String, Vec<String>)> = f
        .imports
        .iter()
        .map(|i| {
            (
                i.module.to_string(),
                i.names.iter().map(|n| n.local().to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(
        imports,
        vec![
            ("App\\Models".into(), vec!["Item".into()]),
            ("App\\Models".into(), vec!["OrderLine".into()]),
            ("App\\Util".into(), vec!["clamp".into()]),
        ]
    );
}

#[test]
fn kotlin_packages_classes_properties_and_imports() {
    let f = facts(
        "src/main/kotlin/a/Cart.kt",
        "package com.acme.shop\n\nimport com.acme.model.Item\nimport com.acme.model.Line as OrderLine\nimport com.acme.util.*\n\n/** A cart. */\nclass Cart(private val owner: String, size: Int) : Base(), Priced {\n    val lines = mutableListOf<OrderLine>()\n\n    fun add(item: Item): Int {\n        val line = OrderLine(item)\n        return line.total()\n    }\n\n    companion object {\n        fun empty() = Cart(\"\", 0)\n    }\n}\n\nfun Int.twice(): Int = this * 2\n",
    );
    assert_eq!(
        defs(&f),
        vec![
            ("com.acme.shop".into(), SymbolKind::Module),
            ("com.acme.shop.Cart".into(), SymbolKind::Class),
            ("com.acme.shop.Cart.owner".into(), SymbolKind::Field),
            ("com.acme.shop.Cart.lines".into(), SymbolKind::Field),
            ("com.acme.shop.Cart.add".into(), SymbolKind::Method),
            ("com.acme.shop.Cart.empty".into(), SymbolKind::Method),
            ("com.acme.shop.Int.twice".into(), SymbolKind::Method),
        ]
    );
    assert_eq!(f.defs[1].doc.as_deref(), Some("A cart."));
    // `private val` is not exported; `size` (no `val`) is no property
    assert!(f.defs[1].exported && !f.defs[2].exported && f.defs[3].exported);
    // the package holds the whole file
    assert_eq!(f.defs[0].full_span.end.line, 21);
    // an extension hangs on its receiver's type
    assert_eq!(f.defs[6].owner.as_deref(), Some("Int"));
    let bases: Vec<String> = f.inherits.iter().map(|i| i.base.join(".")).collect();
    assert_eq!(bases, vec!["Base", "Priced"]);
    assert_eq!(
        refs(&f, Role::Call),
        vec!["mutableListOf", "OrderLine", "total", "Cart"]
    );
    let imports: Vec<(String, bool)> = f
        .imports
        .iter()
        .map(|i| (i.module.to_string(), i.glob))
        .collect();
    assert_eq!(
        imports,
        vec![
            ("com.acme.model".into(), false),
            ("com.acme.model".into(), false),
            ("com.acme.util".into(), true),
        ]
    );
    assert_eq!(f.imports[1].names[0].local().as_str(), "OrderLine");
}

#[test]
fn swift_types_extensions_properties_and_imports() {
    let f = facts(
        "Sources/Shop/Cart.swift",
        "import Foundation\nimport ShopCore\n\n/// A cart.\npublic final class Cart: Base, Priced {\n    private var items: [Item] = []\n    let owner: String\n\n    init(owner: String) {\n        self.owner = owner\n    }\n\n    func add(_ item: Item) -> Line {\n        let line = Line(item: item)\n        return line\n    }\n}\n\nstruct Line {}\nprotocol Priced { func total() -> Int }\nenum Suit { case hearts, spades }\nextension Cart {\n    func count() -> Int { items.count }\n}\n",
    );
    assert_eq!(
        defs(&f),
        vec![
            ("Cart".into(), SymbolKind::Class),
            ("Cart.items".into(), SymbolKind::Field),
            ("Cart.owner".into(), SymbolKind::Field),
            ("Cart.init".into(), SymbolKind::Method),
            ("Cart.add".into(), SymbolKind::Method),
            ("Line".into(), SymbolKind::Struct),
            ("Priced".into(), SymbolKind::Interface),
            ("Priced.total".into(), SymbolKind::Method),
            ("Suit".into(), SymbolKind::Enum),
            ("Suit.hearts".into(), SymbolKind::EnumMember),
            ("Suit.spades".into(), SymbolKind::EnumMember),
            // an extension's member is its type's
            ("Cart.count".into(), SymbolKind::Method),
        ]
    );
    assert_eq!(f.defs[0].doc.as_deref(), Some("A cart."));
    assert!(f.defs[0].exported && !f.defs[1].exported && f.defs[2].exported);
    let bases: Vec<String> = f.inherits.iter().map(|i| i.base.join(".")).collect();
    assert_eq!(bases, vec!["Base", "Priced"]);
    // `line` is a local, `Line(..)` a call
    assert_eq!(refs(&f, Role::Call), vec!["Line"]);
    let imports: Vec<(&str, bool)> = f
        .imports
        .iter()
        .map(|i| (i.module.as_str(), i.glob))
        .collect();
    assert_eq!(imports, vec![("Foundation", true), ("ShopCore", true)]);
}

#[test]
fn c_prototypes_typedefs_macros_and_export_markers() {
    let f = facts(
        "lib/a.h",
        "#include \"b.h\"\n#include <stdio.h>\n#define LIMIT 10\ntypedef struct pt { int x; } pt_t;\nenum color { RED };\nAPI int area(pt_t *p);\nstatic int helper(int v) { return v; }\n",
    );
    assert_eq!(
        defs(&f),
        vec![
            ("LIMIT".into(), SymbolKind::Macro),
            ("pt_t".into(), SymbolKind::TypeAlias),
            ("pt".into(), SymbolKind::Struct),
            ("pt.x".into(), SymbolKind::Field),
            ("color".into(), SymbolKind::Enum),
            ("RED".into(), SymbolKind::Constant),
            ("area".into(), SymbolKind::Function),
            ("helper".into(), SymbolKind::Function),
        ]
    );
    // `static`: file-local
    assert!(f.defs[6].exported && !f.defs[7].exported);
    let includes: Vec<&str> = f.imports.iter().map(|i| i.module.as_str()).collect();
    assert_eq!(includes, vec!["b.h", "<stdio.h>"]);
    assert!(f.imports.iter().all(|i| i.glob && i.reexport));
}

#[test]
fn cpp_namespaces_classes_and_out_of_line_methods() {
    let f = facts(
        "src/a.cpp",
        "#include \"a.h\"\nnamespace geo {\nclass EXPORT Shape : public Base {\n public:\n  double area() const;\n  int n_;\n};\nenum class Color { Red };\ndouble Shape::area() const { return n_; }\n}\nusing namespace geo;\n",
    );
    assert_eq!(
        defs(&f),
        vec![
            ("geo".into(), SymbolKind::Module),
            ("geo::Shape".into(), SymbolKind::Class),
            ("geo::Shape::area".into(), SymbolKind::Method),
            ("geo::Shape::n_".into(), SymbolKind::Field),
            ("geo::Color".into(), SymbolKind::Enum),
            ("geo::Color::Red".into(), SymbolKind::EnumMember),
            ("geo::Shape::area".into(), SymbolKind::Method),
        ]
    );
    // the out-of-line definition hangs on its class
    assert_eq!(f.defs[6].owner.as_deref(), Some("Shape"));
    assert_eq!(f.inherits[0].base, vec!["Base"]);
    let imports: Vec<(&str, bool)> = f
        .imports
        .iter()
        .map(|i| (i.module.as_str(), i.glob))
        .collect();
    assert_eq!(imports, vec![("a.h", true), ("namespace geo", true)]);
}

#[test]
fn a_header_is_cpp_only_in_a_tree_of_mostly_cpp() {
    // a set of its own, so the registry's choice for this process stays
    let langs = crate::lang::Languages::new(all().all().to_vec());
    let name = |p: &str| langs.of_path(p).map(|l| l.to_string());
    assert_eq!(name("a.h").as_deref(), Some("c"));
    // the Linux kernel: thousands of C files, a few C++ tools
    let chosen = langs.choose_shared(["a.c", "b.c", "c.c", "tool.cpp", "x.h"]);
    assert!(chosen.is_empty(), "{chosen:?}");
    assert_eq!(name("x.h").as_deref(), Some("c"));
    // googletest: C++ sources only
    let chosen = langs.choose_shared(["a.cc", "b.cpp", "c.c", "x.h"]);
    assert_eq!(chosen, vec![("h", "cpp")]);
    assert_eq!(name("x.h").as_deref(), Some("cpp"));
    assert_eq!(name("y.c").as_deref(), Some("c"));
}

/// A kind misspelled in a folder's occurrence tables would silently match
/// nothing: every kind named there exists in one of its grammars.
#[test]
fn occurrence_tables_name_real_kinds() {
    // (a folder's tables may serve several of its languages: C and C++)
    let mut unknown = Vec::new();
    for l in all().all() {
        let known = |kind: &str| {
            all().all().iter().flat_map(|l| l.grammars).any(|g| {
                let lang = (g.language)();
                (0..lang.node_kind_count() as u16).any(|id| {
                    lang.node_kind_is_named(id) && lang.node_kind_for_id(id) == Some(kind)
                })
            })
        };
        for g in l.grammars {
            let o = &g.occurrences;
            let kinds = o
                .leaves
                .iter()
                .map(|(k, _)| *k)
                .chain(o.paths.iter().map(|(k, ..)| *k))
                .chain(o.binders.iter().map(|(k, _)| *k))
                .chain(o.locals.iter().copied())
                .chain(o.typed_bindings.iter().copied())
                .chain(o.scopes.iter().copied());
            for k in kinds {
                if !known(k) {
                    unknown.push(format!("{}: {k}", l.name));
                }
            }
        }
    }
    unknown.sort();
    unknown.dedup();
    assert!(unknown.is_empty(), "kinds no grammar has: {unknown:?}");
}

/// (use's text, binding's line) for each use of a local, in order.
fn local_uses(f: &FileFacts, src: &str) -> Vec<(String, u32)> {
    let lines: Vec<&str> = src.lines().collect();
    f.local_refs
        .iter()
        .map(|r| {
            let line = lines[r.span.start.line as usize];
            let text = &line[r.span.start.col as usize..r.span.end.col as usize];
            (text.to_string(), f.locals[r.local as usize].span.start.line)
        })
        .collect()
}

#[test]
fn rust_locals_bind_to_the_visible_binding() {
    let src = "fn f(items: &[u32], x: u32) -> u32 {
    let x = x + 1;
    let total = items.iter().map(|c| c + x).sum::<u32>();
    match total {
        n if n > x => n,
        _ => {
            for x in items {
                g(x);
            }
            total + x
        }
    }
}
";
    let f = facts("a.rs", src);
    assert_eq!(
        local_uses(&f, src),
        vec![
            ("x".into(), 0),     // `x + 1`: the parameter, not the `let` it initializes
            ("items".into(), 0), // the parameter
            ("c".into(), 2),     // the closure's parameter
            ("x".into(), 1),     // the `let`
            ("total".into(), 2),
            ("n".into(), 4),
            ("x".into(), 1), // the arm's guard sees the `let`
            ("n".into(), 4),
            ("items".into(), 0),
            ("x".into(), 6), // the loop variable
            ("total".into(), 2),
            ("x".into(), 1), // after the loop: the `let` again
        ]
    );
    let params: Vec<_> = f
        .locals
        .iter()
        .filter(|l| l.parameter)
        .map(|l| l.name.as_str())
        .collect();
    assert_eq!(params, ["items", "x", "c"]);
}

#[test]
fn a_path_in_a_pattern_names_a_variant_and_binds_nothing() {
    let src = "fn f(w: Walk) -> u8 {
    if let Walk::Callers = w {
        return 1;
    }
    match w {
        Walk::Impact => 2,
        Walk::Other(n) => n,
    }
}
";
    let f = facts("a.rs", src);
    let bound: Vec<&str> = f.locals.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(bound, ["w", "n"]);
    assert_eq!(
        local_uses(&f, src),
        vec![("w".into(), 0), ("w".into(), 0), ("n".into(), 6)]
    );
}

#[test]
fn rust_self_and_type_parameters_are_locals() {
    let src = "struct Fat<V> { v: V }
impl<V: Vector> Fat<V> {
    fn go<W: Into<V>>(&self, w: W) -> V {
        V::load(w);
        helper(self, self.v)
    }
}
";
    let f = facts("a.rs", src);
    assert_eq!(
        local_uses(&f, src),
        vec![
            ("V".into(), 0), // the struct's own parameter
            ("V".into(), 1), // the impl's, in its self type
            ("V".into(), 1), // ... in the method's bound
            ("W".into(), 2),
            ("V".into(), 1),
            ("V".into(), 1),
            ("w".into(), 2),
            ("self".into(), 2),
            ("self".into(), 2),
        ]
    );
    // the bound `Vector` and `Into` name traits, not locals
    assert!(
        !f.locals
            .iter()
            .any(|l| l.name == "Vector" || l.name == "Into")
    );
}

#[test]
fn python_locals_are_function_scoped() {
    let src = "def f(self, items):
    seen = None
    for item in items:
        if seen:
            return item
        seen = item
    return [y for y in items if y], self.x, g(key=seen)
";
    let f = facts("a.py", src);
    assert_eq!(
        local_uses(&f, src),
        vec![
            ("items".into(), 0),
            ("seen".into(), 1), // one variable, bound first on line 1
            ("item".into(), 2),
            ("seen".into(), 1), // assigned again: a write
            ("item".into(), 2),
            ("y".into(), 6), // the comprehension's variable, bound after its use
            ("items".into(), 0),
            ("y".into(), 6),
            ("self".into(), 0),
            ("seen".into(), 1), // `key=` labels an argument: no use of anything
        ]
    );
    assert!(
        !f.refs
            .iter()
            .any(|r| r.path.last().is_some_and(|n| n == "key"))
    );
}

#[test]
fn go_and_typescript_locals_follow_blocks() {
    let src = "package p
func f(tests []T) int {
	n := 0
	for _, tt := range tests {
		n := tt.name
		use(n)
	}
	return n
}
";
    let f = facts("a.go", src);
    assert_eq!(
        local_uses(&f, src),
        vec![
            ("tests".into(), 1),
            ("tt".into(), 3),
            ("n".into(), 4),
            ("n".into(), 2),
        ]
    );
    let src = "function f(a: number) {
  let b = a;
  { const b = 2; use(b); }
  return (c: number) => b + c;
}
";
    let f = facts("a.ts", src);
    assert_eq!(
        local_uses(&f, src),
        vec![
            ("a".into(), 0),
            ("b".into(), 2),
            ("b".into(), 1),
            ("c".into(), 3),
        ]
    );
}

#[test]
fn typescript_type_parameters_are_locals() {
    let src = "export class Box<T> {
  get(): T { return this.v; }
}
export function first<U extends Base>(xs: U[]): U { return xs[0]; }
";
    let f = facts("a.ts", src);
    assert_eq!(
        local_uses(&f, src),
        vec![
            ("T".into(), 0),
            ("U".into(), 3),
            ("U".into(), 3),
            ("xs".into(), 3),
        ]
    );
    assert!(!f.locals.iter().any(|l| l.name == "Base"));
}
