//! Rust name resolution (`resolve/rust.rs`, the shared lookup in
//! `resolve/mod.rs`, receiver types in `resolve/types.rs`), one fixture
//! per case: where go-to-definition at `$0` lands.

use expect_test::expect;

mod fixture;
use fixture::{check_def, check_refs};

#[test]
fn fixture_splits_files_and_finds_the_cursor() {
    let (files, at, pos) = fixture::parse(
        r#"
        //- /Cargo.toml
        [package]
        name = "demo"
        //- /src/lib.rs
        fn main() {
            he$0lper();
        }
        "#,
    );
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["Cargo.toml", "src/lib.rs"]);
    assert_eq!(files[1].1, "fn main() {\n    helper();\n}\n");
    assert_eq!(at, 1);
    assert_eq!((pos.line, pos.col), (1, 6));
}

#[test]
fn use_crate_path_across_files() {
    check_def(
        r#"
        //- /src/lib.rs
        mod a;
        use crate::a::helper;
        fn main() {
            hel$0per();
        }
        //- /src/a.rs
        pub fn helper() {}
        "#,
        expect!["scoped function crate::a::helper /src/a.rs:1:8"],
    );
}

#[test]
fn use_alias_names_the_original() {
    check_def(
        r#"
        //- /src/lib.rs
        mod a;
        use crate::a::helper as assist;
        fn main() {
            assi$0st();
        }
        //- /src/a.rs
        pub fn helper() {}
        "#,
        expect!["scoped function crate::a::helper /src/a.rs:1:8"],
    );
}

#[test]
fn qualified_call_through_a_module_declaration() {
    check_def(
        r#"
        //- /src/lib.rs
        mod a;
        fn main() {
            a::hel$0per();
        }
        //- /src/a.rs
        pub fn helper() {}
        "#,
        expect!["scoped function crate::a::helper /src/a.rs:1:8"],
    );
}

#[test]
fn module_segment_is_the_module_file() {
    check_def(
        r#"
        //- /src/lib.rs
        mod util;
        use crate::ut$0il::tidy;
        //- /src/util/mod.rs
        pub fn tidy() {}
        "#,
        expect!["module /src/util/mod.rs"],
    );
}

#[test]
fn super_names_the_parent_module() {
    check_def(
        r#"
        //- /src/lib.rs
        mod net;
        pub fn shared() {}
        //- /src/net/mod.rs
        mod tcp;
        pub fn shared() {}
        //- /src/net/tcp.rs
        fn connect() {
            super::sha$0red();
        }
        "#,
        expect!["scoped function crate::net::shared /src/net/mod.rs:2:8"],
    );
}

#[test]
fn self_path_names_the_current_module() {
    check_def(
        r#"
        //- /src/lib.rs
        mod a;
        pub fn helper() {}
        //- /src/a.rs
        pub fn helper() {}
        pub fn run() {
            self::hel$0per();
        }
        "#,
        expect!["scoped function crate::a::helper /src/a.rs:1:8"],
    );
}

#[test]
fn workspace_crate_by_its_cargo_name() {
    check_def(
        r#"
        //- /crates/core/Cargo.toml
        [package]
        name = "my-core"
        //- /crates/core/src/lib.rs
        pub fn boot() {}
        //- /crates/app/Cargo.toml
        [package]
        name = "app"
        //- /crates/app/src/main.rs
        fn main() {
            my_core::bo$0ot();
        }
        "#,
        expect!["scoped function my_core::boot /crates/core/src/lib.rs:1:8"],
    );
}

#[test]
fn pub_use_reexport_reaches_the_definition() {
    check_def(
        r#"
        //- /src/lib.rs
        mod api;
        use crate::api::Client;
        fn main() {
            let _c: Cli$0ent;
        }
        //- /src/api/mod.rs
        mod client;
        pub use self::client::Client;
        //- /src/api/client.rs
        pub struct Client;
        "#,
        expect!["scoped struct crate::api::client::Client /src/api/client.rs:1:12"],
    );
}

#[test]
fn glob_reexport_reaches_the_definition() {
    check_def(
        r#"
        //- /src/lib.rs
        mod prelude;
        mod types;
        use crate::prelude::Token;
        fn main() {
            let _t: Tok$0en;
        }
        //- /src/prelude.rs
        pub use crate::types::*;
        //- /src/types.rs
        pub struct Token;
        "#,
        expect!["scoped struct crate::types::Token /src/types.rs:1:12"],
    );
}

#[test]
fn glob_import_brings_names_into_scope() {
    check_def(
        r#"
        //- /src/lib.rs
        mod shapes;
        use shapes::*;
        fn main() {
            ar$0ea();
        }
        //- /src/shapes.rs
        pub fn area() {}
        "#,
        expect!["scoped function crate::shapes::area /src/shapes.rs:1:8"],
    );
}

#[test]
fn local_definition_shadows_a_glob_import() {
    check_def(
        r#"
        //- /src/lib.rs
        mod shapes;
        use shapes::*;
        fn area() {}
        fn main() {
            ar$0ea();
        }
        //- /src/shapes.rs
        pub fn area() {}
        "#,
        expect!["scoped function crate::area /src/lib.rs:3:4"],
    );
}

#[test]
fn external_crate_import_is_external() {
    check_def(
        r#"
        //- /src/lib.rs
        use serde::Deserialize;
        fn f(_: impl Deserial$0ize) {}
        //- /src/de.rs
        pub trait Deserialize {}
        "#,
        expect!["external (module serde)"],
    );
}

#[test]
fn std_path_is_external() {
    check_def(
        r#"
        //- /src/lib.rs
        mod collections;
        fn main() {
            let _m = std::collections::HashMap::<u8, u8>::ne$0w();
        }
        //- /src/collections.rs
        pub struct HashMap;
        impl HashMap {
            pub fn new() -> Self { HashMap }
        }
        "#,
        expect!["external (module std)"],
    );
}

#[test]
fn prelude_name_is_external() {
    check_def(
        r#"
        //- /src/lib.rs
        fn f() -> Opt$0ion<u8> {
            None
        }
        "#,
        expect!["external (module std)"],
    );
}

#[test]
fn method_on_a_typed_parameter() {
    check_def(
        r#"
        //- /src/lib.rs
        mod a;
        mod b;
        use crate::a::Part;
        fn go(p: &Part) {
            p.sp$0in();
        }
        //- /src/a.rs
        pub struct Part;
        impl Part {
            pub fn spin(&self) {}
        }
        //- /src/b.rs
        pub struct Other;
        impl Other {
            pub fn spin(&self) {}
        }
        "#,
        expect!["scoped method crate::a::Part::spin /src/a.rs:3:12"],
    );
}

#[test]
fn method_on_a_constructor_result() {
    check_def(
        r#"
        //- /src/lib.rs
        pub struct Engine;
        impl Engine {
            pub fn new() -> Self { Engine }
            pub fn fire(&self) {}
        }
        pub struct Rocket;
        impl Rocket {
            pub fn fire(&self) {}
        }
        fn main() {
            let e = Engine::new();
            e.fi$0re();
        }
        "#,
        expect!["scoped method crate::Engine::fire /src/lib.rs:4:12"],
    );
}

#[test]
fn self_method_in_an_impl() {
    check_def(
        r#"
        //- /src/lib.rs
        pub struct Counter { hits: u32 }
        impl Counter {
            fn bump(&mut self) {
                self.hits += 1;
            }
            pub fn tick(&mut self) {
                self.bu$0mp();
            }
        }
        pub struct Gauge;
        impl Gauge {
            fn bump(&mut self) {}
        }
        "#,
        expect!["scoped method crate::Counter::bump /src/lib.rs:3:8"],
    );
}

#[test]
fn self_field_in_an_impl() {
    check_def(
        r#"
        //- /src/lib.rs
        pub struct Counter { hits: u32 }
        impl Counter {
            fn bump(&mut self) {
                self.hi$0ts += 1;
            }
        }
        pub struct Gauge { hits: u32 }
        "#,
        expect!["scoped field crate::Counter::hits /src/lib.rs:1:22"],
    );
}

#[test]
fn provided_trait_method_on_an_implementing_type() {
    check_def(
        r#"
        //- /src/lib.rs
        pub trait Named {
            fn label(&self) -> u8 { 0 }
        }
        pub struct Part;
        impl Named for Part {}
        pub struct Other;
        impl Other {
            pub fn label(&self) -> u8 { 1 }
        }
        fn f(p: Part) {
            p.lab$0el();
        }
        "#,
        expect!["scoped method crate::Named::label /src/lib.rs:2:8"],
    );
}

#[test]
fn impl_in_another_file_attaches_methods() {
    check_def(
        r#"
        //- /src/lib.rs
        mod model;
        mod ops;
        use crate::model::Point;
        fn f(p: Point) {
            p.no$0rm();
        }
        //- /src/model.rs
        pub struct Point;
        //- /src/ops.rs
        use crate::model::Point;
        impl Point {
            pub fn norm(&self) -> u8 { 0 }
        }
        "#,
        expect!["scoped method crate::ops::Point::norm /src/ops.rs:3:12"],
    );
}

#[test]
fn typed_receiver_without_the_member_stays_unresolved() {
    check_def(
        r#"
        //- /src/lib.rs
        pub struct Part;
        pub struct Other;
        impl Other {
            pub fn spin(&self) {}
        }
        fn f(p: Part) {
            p.sp$0in();
        }
        "#,
        expect!["unresolved"],
    );
}

#[test]
fn untyped_receiver_with_two_candidates_stays_unresolved() {
    check_def(
        r#"
        //- /src/lib.rs
        pub struct Part;
        impl Part {
            pub fn spin(&self) {}
        }
        pub struct Other;
        impl Other {
            pub fn spin(&self) {}
        }
        fn f(items: Bag) {
            let x = items.pick().clone();
            x.sp$0in();
        }
        "#,
        expect!["unresolved"],
    );
}

#[test]
fn untyped_receiver_with_one_candidate_is_heuristic() {
    check_def(
        r#"
        //- /src/lib.rs
        pub struct Part;
        impl Part {
            pub fn whirl(&self) {}
        }
        fn f(items: Bag) {
            let x = items.pick().clone();
            x.whi$0rl();
        }
        "#,
        expect!["heuristic method crate::Part::whirl /src/lib.rs:3:12"],
    );
}

#[test]
fn common_method_name_is_never_guessed() {
    check_def(
        r#"
        //- /src/lib.rs
        pub struct Part;
        impl Part {
            pub fn len(&self) -> usize { 0 }
        }
        fn f(items: Bag) {
            let x = items.pick();
            x.le$0n();
        }
        "#,
        expect!["unresolved"],
    );
}

#[test]
fn unknown_free_function_stays_unresolved() {
    check_def(
        r#"
        //- /src/lib.rs
        mod a;
        fn main() {
            a::miss$0ing();
        }
        //- /src/a.rs
        pub fn helper() {}
        //- /src/b.rs
        pub fn other() {}
        "#,
        expect!["unresolved"],
    );
}

#[test]
fn references_to_a_function_across_files() {
    check_refs(
        r#"
        //- /src/lib.rs
        mod a;
        mod b;
        pub fn hel$0per() {}
        fn main() {
            helper();
        }
        //- /src/a.rs
        use crate::helper;
        fn f() {
            helper();
        }
        //- /src/b.rs
        fn helper() {}
        fn g() {
            helper();
        }
        "#,
        expect![[r#"
            function crate::helper /src/lib.rs:3:8
            /src/a.rs:1:12 import scoped
            /src/a.rs:3:5 call scoped
            /src/lib.rs:5:5 call scoped
        "#]],
    );
}

#[test]
fn own_crate_name_from_cargo_toml() {
    check_def(
        r#"
        //- /Cargo.toml
        [package]
        name = "demo"
        //- /src/lib.rs
        mod a;
        fn main() {
            demo::a::hel$0per();
        }
        //- /src/a.rs
        pub fn helper() {}
        "#,
        expect!["scoped function demo::a::helper /src/a.rs:1:8"],
    );
}

#[test]
fn nested_module_file_through_mod_rs() {
    check_def(
        r#"
        //- /src/lib.rs
        mod net;
        fn f() {
            net::tcp::conn$0ect();
        }
        //- /src/net/mod.rs
        pub mod tcp;
        //- /src/net/tcp.rs
        pub fn connect() {}
        "#,
        expect!["scoped function crate::net::tcp::connect /src/net/tcp.rs:1:8"],
    );
}

#[test]
fn inline_module_path() {
    check_def(
        r#"
        //- /src/lib.rs
        mod inner {
            pub fn helper() {}
        }
        pub fn helper() {}
        fn t() {
            inner::hel$0per();
        }
        "#,
        expect!["scoped function crate::inner::helper /src/lib.rs:2:12"],
    );
}

#[test]
fn use_inside_a_function_body() {
    check_def(
        r#"
        //- /src/lib.rs
        mod a;
        fn f() {
            use crate::a::helper;
            hel$0per();
        }
        //- /src/a.rs
        pub fn helper() {}
        "#,
        expect!["scoped function crate::a::helper /src/a.rs:1:8"],
    );
}

#[test]
fn nested_function_shadows_the_module_item() {
    check_def(
        r#"
        //- /src/lib.rs
        fn helper() -> u8 { 0 }
        fn main() {
            fn helper() -> u8 { 1 }
            hel$0per();
        }
        "#,
        expect!["scoped function crate::main::helper /src/lib.rs:3:8"],
    );
}

#[test]
fn enum_variant_of_the_named_enum() {
    check_def(
        r#"
        //- /src/lib.rs
        pub enum Color { Red, Green }
        pub enum Light { Red }
        fn f() -> Color {
            Color::Re$0d
        }
        "#,
        expect!["scoped enum_member crate::Color::Red /src/lib.rs:1:18"],
    );
}

#[test]
fn self_type_path_in_an_impl() {
    check_def(
        r#"
        //- /src/lib.rs
        pub struct A;
        impl A {
            pub fn new() -> Self { A }
            pub fn make() -> Self { Self::ne$0w() }
        }
        pub struct B;
        impl B {
            pub fn new() -> Self { B }
        }
        "#,
        expect!["scoped method crate::A::new /src/lib.rs:3:12"],
    );
}

#[test]
fn trait_impl_method_wins_over_another_types_method() {
    check_def(
        r#"
        //- /src/lib.rs
        pub trait Shape { fn area(&self) -> u8; }
        pub struct Sq;
        impl Shape for Sq { fn area(&self) -> u8 { 1 } }
        pub struct Other;
        impl Other { pub fn area(&self) -> u8 { 2 } }
        fn f(s: Sq) {
            s.ar$0ea();
        }
        "#,
        expect!["scoped method crate::Sq::area /src/lib.rs:3:24"],
    );
}

#[test]
fn method_on_a_dyn_trait_is_the_trait_method() {
    check_def(
        r#"
        //- /src/lib.rs
        pub trait Shape { fn area(&self) -> u8; }
        pub struct Sq;
        impl Sq { pub fn area(&self) -> u8 { 1 } }
        fn f(s: &dyn Shape) {
            s.ar$0ea();
        }
        "#,
        expect!["scoped method crate::Shape::area /src/lib.rs:1:22"],
    );
}

#[test]
fn method_through_a_field_type() {
    check_def(
        r#"
        //- /src/lib.rs
        pub struct Inner;
        impl Inner { pub fn go(&self) {} }
        pub struct Outer { pub inner: Box<Inner> }
        pub struct Other;
        impl Other { pub fn go(&self) {} }
        fn f(o: Outer) {
            o.inner.g$0o();
        }
        "#,
        expect!["scoped method crate::Inner::go /src/lib.rs:2:21"],
    );
}

#[test]
fn member_called_inside_assert_eq_is_typed() {
    check_def(
        r#"
        //- /src/lib.rs
        pub struct Parser;
        impl Parser {
            pub fn parse(&self) -> u32 { 1 }
        }
        fn parser() -> Parser { Parser }
        fn check() {
            assert_eq!(parser().pa$0rse(), 1, "{}", "x");
        }
        "#,
        expect!["scoped method crate::Parser::parse /src/lib.rs:3:12"],
    );
}

#[test]
fn a_vec_macro_value_keeps_its_annotated_element_type() {
    check_def(
        r#"
        //- /src/lib.rs
        pub struct Circle;
        impl Circle {
            pub fn area(&self) -> u32 { 1 }
        }
        fn total() -> u32 {
            let shapes: Vec<Circle> = vec![Circle, Circle];
            shapes.iter().map(|c| c.ar$0ea()).sum()
        }
        "#,
        expect!["scoped method crate::Circle::area /src/lib.rs:3:12"],
    );
}

#[test]
fn field_of_an_enum_variant_literal_is_the_variants_field() {
    check_def(
        r#"
        //- /src/lib.rs
        pub enum Query {
            ByName { name: u32 },
            ByValue { name: u32, value: u32 },
        }
        fn make() -> Query {
            Query::ByValue { na$0me: 1, value: 2 }
        }
        "#,
        expect!["scoped field crate::Query::ByValue::name /src/lib.rs:3:15"],
    );
}

#[test]
fn field_named_in_a_struct_pattern_is_the_variants_field() {
    check_def(
        r#"
        //- /src/lib.rs
        pub enum Query {
            ByName { name: u32 },
            ByValue { name: u32, value: u32 },
        }
        fn read(q: Query) -> u32 {
            match q {
                Query::ByValue { val$0ue: v, .. } => v,
                _ => 0,
            }
        }
        "#,
        expect!["scoped field crate::Query::ByValue::value /src/lib.rs:3:26"],
    );
}

#[test]
fn a_tuple_variants_value_has_its_enums_methods() {
    check_def(
        r#"
        //- /src/lib.rs
        pub enum Seq { One(u8), Two(u8, u8) }
        impl Seq {
            pub fn reverse(&mut self) {}
        }
        use Seq::*;
        fn flip() {
            let mut s = One(1);
            s.rev$0erse();
        }
        "#,
        expect!["scoped method crate::Seq::reverse /src/lib.rs:3:12"],
    );
}
