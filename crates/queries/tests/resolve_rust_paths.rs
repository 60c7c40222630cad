//! Rust paths and type parameters (`extract/refs.rs`, `extract/bounds.rs`):
//! a `::` path starts at a module or a type, never at a variable of the
//! same name; a type parameter has the members of its bound.

use expect_test::expect;

mod fixture;
use fixture::check_def;

#[test]
fn a_path_in_a_let_initializer_names_the_module_the_let_shadows_later() {
    check_def(
        r#"
        //- /src/lib.rs
        mod ast;
        mod parse;
        //- /src/ast.rs
        pub enum Kind { Unclosed }
        //- /src/parse.rs
        use crate::ast;
        fn f() -> u8 {
            let ast = match 1 { _ => ast::Kind::Unc$0losed };
            ast
        }
        "#,
        expect!["scoped enum_member crate::ast::Kind::Unclosed /src/ast.rs:1:17"],
    );
}

#[test]
fn a_local_bound_in_another_block_does_not_shadow_a_module() {
    check_def(
        r#"
        //- /src/lib.rs
        mod ast;
        mod parse;
        //- /src/ast.rs
        pub fn build() {}
        //- /src/parse.rs
        use crate::ast;
        fn f() {
            { let ast = 1; }
            a$0st::build();
        }
        "#,
        expect!["module /src/ast.rs"],
    );
}

#[test]
fn a_local_never_heads_a_path_of_modules() {
    check_def(
        r#"
        //- /src/lib.rs
        mod ast;
        mod parse;
        //- /src/ast.rs
        pub enum Kind { Unclosed }
        //- /src/parse.rs
        use crate::ast;
        fn f() -> u8 {
            let ast = 1;
            g(ast::Kind::Unc$0losed);
            ast
        }
        "#,
        expect!["scoped enum_member crate::ast::Kind::Unclosed /src/ast.rs:1:17"],
    );
}

#[test]
fn a_type_parameter_has_the_members_of_its_bound() {
    check_def(
        r#"
        //- /src/lib.rs
        pub trait Vector { const BYTES: usize; fn splat(b: u8) -> Self; fn and(self, o: Self) -> Self; }
        pub trait Fat: Vector { type Half: Vector; }
        pub struct Other;
        impl Other { fn and(self, o: Self) -> Self { o } }
        fn f<V: Vector + Copy>(x: V) -> V { x.a$0nd(x) }
        "#,
        expect!["scoped method crate::Vector::and /src/lib.rs:1:68"],
    );
}

#[test]
fn a_type_parameter_heads_a_path_to_its_bound_items() {
    check_def(
        r#"
        //- /src/lib.rs
        pub trait Vector { const BYTES: usize; fn splat(b: u8) -> Self; }
        pub trait Fat: Vector { type Half: Vector; }
        struct S<V>(V);
        impl<V> S<V> where V: Vector { fn g() -> usize { V::BY$0TES } }
        "#,
        expect!["scoped constant crate::Vector::BYTES /src/lib.rs:1:26"],
    );
}

#[test]
fn a_bound_subtrait_has_its_supertrait_members() {
    check_def(
        r#"
        //- /src/lib.rs
        pub trait Vector { const BYTES: usize; fn splat(b: u8) -> Self; }
        pub trait Fat: Vector { type Half: Vector; }
        fn f<V: Fat>() -> V { V::spl$0at(0) }
        "#,
        expect!["scoped method crate::Vector::splat /src/lib.rs:1:43"],
    );
}
