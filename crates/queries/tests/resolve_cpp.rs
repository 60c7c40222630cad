//! C++ name resolution (`languages/c/cpp.rs`: C's includes and macros,
//! namespaces reopened across files, members in scope in methods defined
//! in or out of their class, `using`, overloads by arity; `.h` files are
//! C++ in a tree of mostly C++ sources), one fixture per case: where
//! go-to-definition at `$0` lands.

use expect_test::expect;

mod fixture;
use fixture::{check_def, check_refs};

const SHAPES: &str = r#"
//- /include/shape.h
#pragma once
namespace geo {
/// A shape.
class Shape {
 public:
  explicit Shape(int n);
  virtual ~Shape();
  virtual double area() const;
  double area(double scale) const;
  static Shape* make();
  int count_;
};
enum class Color { Red, Green };
enum Kind { Round, Square };
}  // namespace geo
//- /include/circle.h
#pragma once
#include "shape.h"
namespace geo {
class Circle : public Shape {
 public:
  double radius() const;
};
}
//- /src/shape.cpp
#include "shape.h"
namespace geo {
Shape::Shape(int n) : count_(n) {}
double Shape::area() const { return count_ + helper(); }
}
"#;

fn shapes(main: &str) -> String {
    format!("{SHAPES}//- /src/main.cpp\n{main}")
}

#[test]
fn headers_are_cpp_beside_cpp_sources() {
    check_def(
        &shapes("#include \"circle.h\"\nint main() { geo::Circ$0le c(1); }\n"),
        expect!["scoped class include/circle::geo::Circle /include/circle.h:4:7"],
    );
}

#[test]
fn a_member_call_binds_to_the_declaration_in_the_class() {
    check_def(
        &shapes(
            "#include \"shape.h\"\nint main() { geo::Shape* s = geo::Shape::make(); return s->ar$0ea(); }\n",
        ),
        expect!["scoped method include/shape::geo::Shape::area /include/shape.h:8:18"],
    );
}

#[test]
fn overloads_by_arity() {
    check_def(
        &shapes(
            "#include \"shape.h\"\nint main() { geo::Shape* s = geo::Shape::make(); return s->ar$0ea(2.0); }\n",
        ),
        expect!["scoped method include/shape::geo::Shape::area /include/shape.h:9:10"],
    );
}

#[test]
fn an_inherited_member_through_a_typed_local() {
    check_def(
        &shapes("#include \"circle.h\"\nint main() { geo::Circle c(1); return c.cou$0nt_; }\n"),
        expect!["scoped field include/shape::geo::Shape::count_ /include/shape.h:11:7"],
    );
}

#[test]
fn a_method_defined_out_of_line_sees_its_class_members() {
    check_def(
        &SHAPES.replace("return count_ + helper();", "return cou$0nt_ + helper();"),
        expect!["scoped field include/shape::geo::Shape::count_ /include/shape.h:11:7"],
    );
}

#[test]
fn using_namespace() {
    check_def(
        &shapes(
            "#include \"shape.h\"\nusing namespace geo;\nint main() { Sha$0pe* s = nullptr; }\n",
        ),
        expect!["scoped class include/shape::geo::Shape /include/shape.h:4:7"],
    );
}

#[test]
fn using_declaration() {
    check_def(
        &shapes("#include \"shape.h\"\nusing geo::Shape;\nint main() { Sha$0pe* s = nullptr; }\n"),
        expect!["scoped class include/shape::geo::Shape /include/shape.h:4:7"],
    );
}

#[test]
fn a_reopened_namespace_sees_its_other_blocks() {
    check_def(
        &shapes(
            "#include \"shape.h\"\nnamespace geo {\nint twice() { Sha$0pe* s = Shape::make(); return 2; }\n}\n",
        ),
        expect!["scoped class include/shape::geo::Shape /include/shape.h:4:7"],
    );
}

#[test]
fn scoped_enum_members_and_plain_enum_constants() {
    check_def(
        &shapes("#include \"shape.h\"\nint main() { auto c = geo::Color::Gr$0een; }\n"),
        expect!["scoped enum_member include/shape::geo::Color::Green /include/shape.h:13:25"],
    );
    check_def(
        &shapes("#include \"shape.h\"\nusing namespace geo;\nint main() { return Squ$0are; }\n"),
        expect!["scoped constant include/shape::geo::Square /include/shape.h:14:20"],
    );
}

#[test]
fn this_arrow_member() {
    check_def(
        "//- /a.cpp\nstruct Counter { int n; void bump() { this->$0n += 1; } };\n",
        expect!["scoped field a::Counter::n /a.cpp:1:22"],
    );
}

#[test]
fn std_is_external() {
    check_def(
        "//- /a.cpp\n#include <vector>\nint main() { std::vec$0tor<int> v; }\n",
        expect!["external (module std)"],
    );
}

#[test]
fn references_to_a_method_declared_in_a_header() {
    check_refs(
        &shapes("#include \"shape.h\"\nint main() { geo::Shape* s = geo::Shape::make(); return s->area() + s->area(); }\n")
            .replace("virtual double area() const;", "virtual double ar$0ea() const;"),
        expect![[r#"
            method include/shape::geo::Shape::area /include/shape.h:8:18
            /src/main.cpp:2:60 call scoped
            /src/main.cpp:2:72 call scoped
        "#]],
    );
}

#[test]
fn many_using_directives_of_outside_namespaces_stay_cheap() {
    // each `using namespace` of a namespace outside the tree used to look
    // its name up through every other `using`, exponentially (perf's
    // clang.cpp in the kernel never finished)
    let usings: String = (0..16)
        .map(|i| format!("using namespace ext{i};\n"))
        .collect();
    check_def(
        &format!("//- /a.cpp\n#include <vector>\n{usings}int f() {{ return mis$0sing(); }}\n"),
        expect!["external (module vector)"],
    );
}

#[test]
fn a_test_macro_with_a_body_is_a_call_of_the_macro() {
    check_def(
        r#"
        //- /include/gtest.h
        #define TEST_F(suite, name) class suite##_##name : public suite { void Body(); }; void suite##_##name::Body()
        //- /test/a_test.cc
        #include "gtest.h"
        class FooTest {};
        TEST$0_F(FooTest, Works) { int x = 1; }
        "#,
        expect!["scoped macro include/gtest::TEST_F /include/gtest.h:1:9"],
    );
}
