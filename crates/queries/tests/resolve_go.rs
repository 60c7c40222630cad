//! Go name resolution (`resolve/go.rs`: a package is a directory, import
//! paths map to directories through `go.mod`, a package's files see each
//! other's names; receiver types from `resolve/types.rs`), one fixture per
//! case: where go-to-definition at `$0` lands.

use expect_test::expect;

mod fixture;
use fixture::{check_def, check_refs};

#[test]
fn package_imported_through_go_mod() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app

        go 1.21
        //- /geo/geo.go
        package geo

        func NewPoint() int { return 0 }
        //- /main.go
        package main

        import "example.com/app/geo"

        func main() {
            geo.NewPo$0int()
        }
        "#,
        expect!["scoped function example.com/app/geo.NewPoint /geo/geo.go:3:6"],
    );
}

#[test]
fn package_name_is_the_package_file() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /geo/geo.go
        package geo

        func NewPoint() int { return 0 }
        //- /main.go
        package main

        import "example.com/app/geo"

        func main() {
            ge$0o.NewPoint()
        }
        "#,
        expect!["module /geo/geo.go"],
    );
}

#[test]
fn aliased_import() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /geo/geo.go
        package geo

        func NewPoint() int { return 0 }
        //- /main.go
        package main

        import g "example.com/app/geo"

        func main() {
            g.NewPo$0int()
        }
        "#,
        expect!["scoped function example.com/app/geo.NewPoint /geo/geo.go:3:6"],
    );
}

#[test]
fn dot_import() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /geo/geo.go
        package geo

        func NewPoint() int { return 0 }
        //- /main.go
        package main

        import . "example.com/app/geo"

        func main() {
            NewPo$0int()
        }
        "#,
        expect!["scoped function example.com/app/geo.NewPoint /geo/geo.go:3:6"],
    );
}

#[test]
fn major_version_module_path() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app/v2
        //- /geo/geo.go
        package geo

        func NewPoint() int { return 0 }
        //- /main.go
        package main

        import "example.com/app/v2/geo"

        func main() {
            geo.NewPo$0int()
        }
        "#,
        expect!["scoped function example.com/app/v2/geo.NewPoint /geo/geo.go:3:6"],
    );
}

#[test]
fn nested_go_mod_is_its_own_module() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /tools/go.mod
        module example.com/tools
        //- /tools/lint/lint.go
        package lint

        func Run() {}
        //- /main.go
        package main

        import "example.com/tools/lint"

        func main() {
            lint.R$0un()
        }
        "#,
        expect!["scoped function example.com/tools/lint.Run /tools/lint/lint.go:3:6"],
    );
}

#[test]
fn std_module_maps_paths_directly() {
    check_def(
        r#"
        //- /go.mod
        module std
        //- /strings/strings.go
        package strings

        func Join() {}
        //- /net/http/http.go
        package http

        import "strings"

        func f() {
            strings.Jo$0in()
        }
        "#,
        expect!["scoped function strings.Join /strings/strings.go:3:6"],
    );
}

#[test]
fn function_in_another_file_of_the_package() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /main.go
        package main

        func main() {
            hel$0per()
        }
        //- /util.go
        package main

        func helper() {}
        //- /other/util.go
        package other

        func helper() {}
        "#,
        expect!["scoped function example.com/app.helper /util.go:3:6"],
    );
}

#[test]
fn local_variable_shadows_the_package_name() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /geo/geo.go
        package geo

        func NewPoint() int { return 0 }
        //- /main.go
        package main

        import "example.com/app/geo"

        type T struct{}

        func (t T) NewPoint() int { return 1 }

        func main() {
            geo := T{}
            geo.NewPo$0int()
        }
        "#,
        expect!["scoped method example.com/app.T.NewPoint /main.go:7:12"],
    );
}

#[test]
fn method_on_a_composite_literal() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /geo/geo.go
        package geo

        type Point struct{ X int }

        func (p *Point) Norm() int { return p.X }

        type Rect struct{}

        func (r Rect) Norm() int { return 0 }
        //- /main.go
        package main

        import "example.com/app/geo"

        func main() {
            p := &geo.Point{X: 1}
            p.No$0rm()
        }
        "#,
        expect!["scoped method example.com/app/geo.Point.Norm /geo/geo.go:5:17"],
    );
}

#[test]
fn method_on_a_constructor_result() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /main.go
        package main

        type A struct{}

        func (a *A) Spin() {}

        type B struct{}

        func (b *B) Spin() {}

        func NewA() *A { return &A{} }

        func main() {
            a := NewA()
            a.Sp$0in()
        }
        "#,
        expect!["scoped method example.com/app.A.Spin /main.go:5:13"],
    );
}

#[test]
fn method_on_the_receiver() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /srv.go
        package main

        type Server struct{}

        func (s *Server) handle() {}

        func (s *Server) Start() {
            s.han$0dle()
        }

        type Client struct{}

        func (c *Client) handle() {}
        "#,
        expect!["scoped method example.com/app.Server.handle /srv.go:5:18"],
    );
}

#[test]
fn method_declared_in_another_file() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /a.go
        package main

        type A struct{}
        //- /b.go
        package main

        func (a *A) Spin() {}

        type B struct{}

        func (b *B) Spin() {}
        //- /main.go
        package main

        func f(a *A) {
            a.Sp$0in()
        }
        "#,
        expect!["scoped method example.com/app.A.Spin /b.go:3:13"],
    );
}

#[test]
fn method_promoted_from_an_embedded_struct() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /main.go
        package main

        type Base struct{}

        func (b *Base) Save() {}

        type User struct {
            *Base
        }

        type Other struct{}

        func (o *Other) Save() {}

        func f(u *User) {
            u.Sa$0ve()
        }
        "#,
        expect!["scoped method example.com/app.Base.Save /main.go:5:16"],
    );
}

#[test]
fn method_on_an_interface_value() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /main.go
        package main

        type Shape interface {
            Area() int
        }

        type Sq struct{}

        func (s Sq) Area() int { return 1 }

        func f(s Shape) {
            s.Ar$0ea()
        }
        "#,
        expect!["scoped method example.com/app.Shape.Area /main.go:4:5"],
    );
}

#[test]
fn field_of_a_typed_parameter() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /main.go
        package main

        type A struct{ Name string }
        type B struct{ Name string }

        func f(a A) string {
            return a.Na$0me
        }
        "#,
        expect!["scoped field example.com/app.A.Name /main.go:3:16"],
    );
}

#[test]
fn standard_library_is_external() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /fmt/fmt.go
        package fmt

        func Println() {}
        //- /main.go
        package main

        import "fmt"

        func main() {
            fmt.Print$0ln("x")
        }
        "#,
        expect!["external (module fmt)"],
    );
}

#[test]
fn third_party_module_is_external() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /main.go
        package main

        import "github.com/spf13/cobra"

        type Command struct{}

        func main() {
            _ = cobra.Comm$0and{}
        }
        "#,
        expect!["external (module github.com/spf13/cobra)"],
    );
}

#[test]
fn versioned_gopkg_path_is_external() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /main.go
        package main

        import "gopkg.in/yaml.v3"

        func main() {
            yaml.Mars$0hal(nil)
        }
        "#,
        expect!["external (module gopkg.in/yaml.v3)"],
    );
}

#[test]
fn builtin_is_external() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /main.go
        package main

        func f(xs []int) int {
            return le$0n(xs)
        }
        "#,
        expect!["external (module builtin)"],
    );
}

#[test]
fn range_variable_is_an_element_of_what_it_ranges_over() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /main.go
        package main

        type A struct{ X int }
        type B struct{ X int }

        func f(xs []A) {
            for _, q := range xs {
                _ = q.$0X
            }
        }
        "#,
        expect!["scoped field example.com/app.A.X /main.go:3:16"],
    );
}

#[test]
fn typed_receiver_without_the_member_stays_unresolved() {
    check_def(
        r#"
        //- /go.mod
        module example.com/app
        //- /main.go
        package main

        type A struct{}
        type B struct{}

        func (b B) Spin() {}

        func f(a A) {
            a.Sp$0in()
        }
        "#,
        expect!["unresolved"],
    );
}

#[test]
fn references_to_a_method() {
    check_refs(
        r#"
        //- /go.mod
        module example.com/app
        //- /geo/geo.go
        package geo

        type Point struct{ X int }

        func (p *Point) No$0rm() int { return p.X }

        type Rect struct{}

        func (r Rect) Norm() int { return 0 }
        //- /main.go
        package main

        import "example.com/app/geo"

        func main() {
            p := &geo.Point{X: 1}
            r := geo.Rect{}
            _ = p.Norm() + r.Norm()
        }
        "#,
        expect![[r#"
            method example.com/app/geo.Point.Norm /geo/geo.go:5:17
            /main.go:8:11 call scoped
        "#]],
    );
}
