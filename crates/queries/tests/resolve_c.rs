//! C name resolution (`languages/c/`: a file is a module, `#include`
//! makes the included file's names and its own includes' visible,
//! prototypes are definitions, enum constants are file-scope names,
//! members through typed locals and typedefs), one fixture per case:
//! where go-to-definition at `$0` lands.

use expect_test::expect;

mod fixture;
use fixture::{check_def, check_refs};

const LIB: &str = r#"
//- /include/geo.h
#ifndef GEO_H
#define GEO_H
#include "base.h"
/* A point. */
struct point { int x; int y; };
typedef struct point point_t;
typedef struct { int n; } count_t;
enum color { RED, GREEN };
int area(struct point *p);
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif
//- /include/base.h
int base_add(int a, int b);
//- /src/geo.c
#include "geo.h"
int area(struct point *p) { return p->x * p->y; }
"#;

fn lib(main: &str) -> String {
    format!("{LIB}//- /src/main.c\n{main}")
}

#[test]
fn a_call_binds_to_the_prototype_it_sees() {
    check_def(
        &lib("#include \"geo.h\"\nint main(void) { struct point p; return ar$0ea(&p); }\n"),
        expect!["scoped function include/geo.area /include/geo.h:9:5"],
    );
}

#[test]
fn includes_are_transitive() {
    check_def(
        &lib("#include <geo.h>\nint main(void) { return base_a$0dd(1, 2); }\n"),
        expect!["scoped function include/base.base_add /include/base.h:1:5"],
    );
}

#[test]
fn member_through_a_pointer_parameter() {
    check_def(
        &lib("#include \"geo.h\"\nint f(struct point *p) { return p->$0x; }\n"),
        expect!["scoped field include/geo.point.x /include/geo.h:5:20"],
    );
}

#[test]
fn member_through_a_typedef() {
    check_def(
        &lib("#include \"geo.h\"\nint f(void) { point_t q; return q.$0y; }\n"),
        expect!["scoped field include/geo.point.y /include/geo.h:5:27"],
    );
}

#[test]
fn member_of_an_anonymous_struct_typedef() {
    check_def(
        &lib("#include \"geo.h\"\nint f(count_t *c) { return c->$0n; }\n"),
        expect!["scoped field include/geo.count_t.n /include/geo.h:7:22"],
    );
}

#[test]
fn enum_constants_are_file_scope() {
    check_def(
        &lib("#include \"geo.h\"\nint f(void) { return GRE$0EN; }\n"),
        expect!["scoped constant include/geo.GREEN /include/geo.h:8:19"],
    );
}

#[test]
fn function_like_macro() {
    check_def(
        &lib("#include \"geo.h\"\nint f(int a) { return MA$0X(a, 1); }\n"),
        expect!["scoped macro include/geo.MAX /include/geo.h:10:9"],
    );
}

#[test]
fn static_functions_are_file_local_but_found_in_their_file() {
    check_def(
        "//- /a.c\nstatic int helper(int v) { return v; }\nint f(void) { return hel$0per(1); }\n",
        expect!["scoped function a.helper /a.c:1:12"],
    );
}

#[test]
fn a_system_header_outside_the_tree_is_external() {
    check_def(
        "//- /a.c\n#include <stdio.h>\nint f(void) { return pri$0ntf(\"\"); }\n",
        expect!["external (module libc)"],
    );
}

#[test]
fn include_paths_from_compile_commands() {
    check_def(
        r#"
        //- /compile_commands.json
        [{"directory": "/home/u/proj/build", "file": "../app/main.c", "command": "cc -I/home/u/proj/third/inc -c ../app/main.c"}]
        //- /third/inc/lib.h
        int lib_f(void);
        //- /app/main.c
        #include "lib.h"
        int main(void) { return lib$0_f(); }
        "#,
        expect!["scoped function third/inc/lib.lib_f /third/inc/lib.h:1:5"],
    );
}

#[test]
fn callers_of_a_prototype() {
    check_refs(
        &lib("#include \"geo.h\"\nint f(struct point *p) { return area(p) + area(p); }\n")
            .replace("int area(struct point *p);", "int ar$0ea(struct point *p);"),
        expect![[r#"
            function include/geo.area /include/geo.h:9:5
            /src/main.c:2:33 call scoped
            /src/main.c:2:43 call scoped
        "#]],
    );
}

#[test]
fn a_typedef_of_a_struct_completed_elsewhere() {
    check_def(
        r#"
        //- /include/api.h
        typedef struct StateStruct State;
        //- /src/state.h
        #include "../include/api.h"
        typedef struct StateStruct {
          int flint_;
        } StateStruct;
        typedef struct StateStruct StateInternal;
        #define State StateInternal
        //- /src/enc.c
        #include "state.h"
        int f(State* s) { return s->fli$0nt_; }
        "#,
        expect!["scoped field src/state.StateStruct.flint_ /src/state.h:3:7"],
    );
}

#[test]
fn a_macro_defined_per_platform_is_the_linux_builds() {
    check_def(
        r#"
        //- /include/arch.h
        #ifndef ARCH_H
        #define ARCH_H
        #ifdef __CYGWIN__
        #define OS_CYGWIN 1
        #elif defined(__MINGW__) || defined(__MINGW32__)
        #define OS_WINDOWS 1
        #elif defined _WIN32
        #define OS_WINDOWS 1
        #endif
        #endif
        //- /include/port.h
        #ifndef PORT_H
        #define PORT_H
        #include "arch.h"
        #if OS_WINDOWS
        #define PATH_SEP "\\"
        #else
        #define PATH_SEP "/"
        #endif
        #endif
        //- /src/main.c
        #include "port.h"
        const char *s = PATH$0_SEP;
        "#,
        expect!["heuristic macro include/port.PATH_SEP /include/port.h:7:9"],
    );
}

#[test]
fn a_default_definition_gives_way_to_the_taken_branch() {
    check_def(
        r#"
        //- /include/port.h
        #ifndef PORT_H
        #define PORT_H
        #ifndef API
        #ifdef _MSC_VER
        #define API 1
        #elif __GNUC__ >= 4 || defined(__clang__)
        #define API 2
        #endif
        #endif
        #ifndef API
        #define API 0
        #endif
        #endif
        //- /src/main.c
        #include "port.h"
        int level = AP$0I;
        "#,
        expect!["heuristic macro include/port.API /include/port.h:7:9"],
    );
}

#[test]
fn a_fragment_sees_the_macros_of_the_file_including_it() {
    check_def(
        r#"
        //- /src/split_inc.h
        static int F$0N(Count)(int n) { return n; }
        //- /src/split.c
        #define FN(X) X##Literal
        #include "split_inc.h"
        #undef FN
        "#,
        expect!["scoped macro src/split.FN /src/split.c:1:9"],
    );
}
