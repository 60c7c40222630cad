//! Python name resolution (`resolve/python.rs`: packages from
//! `__init__.py`, absolute and relative imports, imported names as module
//! attributes; receiver types from `resolve/types.rs`), one fixture per
//! case: where go-to-definition at `$0` lands.

use expect_test::expect;

mod fixture;
use fixture::{check_def, check_refs};

#[test]
fn absolute_from_import() {
    check_def(
        r#"
        //- /pkg/__init__.py
        //- /pkg/models.py
        class User:
            pass
        //- /pkg/app.py
        from pkg.models import User
        u = Us$0er()
        "#,
        expect!["scoped class pkg.models.User /pkg/models.py:1:7"],
    );
}

#[test]
fn relative_from_import() {
    check_def(
        r#"
        //- /pkg/__init__.py
        //- /pkg/helpers.py
        def tidy():
            pass
        //- /pkg/app.py
        from .helpers import tidy
        ti$0dy()
        "#,
        expect!["scoped function pkg.helpers.tidy /pkg/helpers.py:1:5"],
    );
}

#[test]
fn relative_import_two_levels_up() {
    check_def(
        r#"
        //- /pkg/__init__.py
        //- /pkg/core.py
        def base():
            pass
        //- /pkg/sub/__init__.py
        //- /pkg/sub/core.py
        def base():
            pass
        //- /pkg/sub/app.py
        from ..core import base
        ba$0se()
        "#,
        expect!["scoped function pkg.core.base /pkg/core.py:1:5"],
    );
}

#[test]
fn from_dot_import_a_module() {
    check_def(
        r#"
        //- /pkg/__init__.py
        //- /pkg/core.py
        def base():
            pass
        //- /pkg/app.py
        from . import core
        core.ba$0se()
        "#,
        expect!["scoped function pkg.core.base /pkg/core.py:1:5"],
    );
}

#[test]
fn imported_module_name_is_the_module_file() {
    check_def(
        r#"
        //- /pkg/__init__.py
        //- /pkg/core.py
        def base():
            pass
        //- /pkg/app.py
        from . import core
        co$0re.base()
        "#,
        expect!["module /pkg/core.py"],
    );
}

#[test]
fn dotted_import_then_attribute_path() {
    check_def(
        r#"
        //- /pkg/__init__.py
        //- /pkg/models.py
        class User:
            pass
        //- /app.py
        import pkg.models
        pkg.models.Us$0er()
        "#,
        expect!["scoped class pkg.models.User /pkg/models.py:1:7"],
    );
}

#[test]
fn import_as_alias() {
    check_def(
        r#"
        //- /pkg/__init__.py
        //- /pkg/models.py
        class User:
            pass
        //- /app.py
        import pkg.models as m
        m.Us$0er()
        "#,
        expect!["scoped class pkg.models.User /pkg/models.py:1:7"],
    );
}

#[test]
fn from_package_import_submodule() {
    check_def(
        r#"
        //- /pkg/__init__.py
        //- /pkg/sub/__init__.py
        //- /pkg/sub/deep.py
        def go():
            pass
        //- /app.py
        from pkg.sub import deep
        deep.g$0o()
        "#,
        expect!["scoped function pkg.sub.deep.go /pkg/sub/deep.py:1:5"],
    );
}

#[test]
fn reexport_through_package_init() {
    check_def(
        r#"
        //- /pkg/__init__.py
        from .models import User
        //- /pkg/models.py
        class User:
            pass
        //- /app.py
        from pkg import User
        Us$0er()
        "#,
        expect!["scoped class pkg.models.User /pkg/models.py:1:7"],
    );
}

#[test]
fn star_import() {
    check_def(
        r#"
        //- /pkg/__init__.py
        //- /pkg/helpers.py
        def tidy():
            pass
        //- /pkg/app.py
        from .helpers import *
        ti$0dy()
        "#,
        expect!["scoped function pkg.helpers.tidy /pkg/helpers.py:1:5"],
    );
}

#[test]
fn module_definition_shadows_a_star_import() {
    check_def(
        r#"
        //- /pkg/__init__.py
        //- /pkg/helpers.py
        def tidy():
            pass
        //- /pkg/app.py
        from .helpers import *
        def tidy():
            pass
        ti$0dy()
        "#,
        expect!["scoped function pkg.app.tidy /pkg/app.py:2:5"],
    );
}

#[test]
fn src_layout_package() {
    check_def(
        r#"
        //- /pyproject.toml
        [project]
        name = "pkg"
        //- /src/pkg/__init__.py
        //- /src/pkg/utils.py
        def tidy():
            pass
        //- /src/pkg/app.py
        from pkg.utils import tidy
        ti$0dy()
        "#,
        expect!["scoped function pkg.utils.tidy /src/pkg/utils.py:1:5"],
    );
}

#[test]
fn top_level_module_next_to_the_script() {
    check_def(
        r#"
        //- /utils.py
        def tidy():
            pass
        //- /app.py
        from utils import tidy
        ti$0dy()
        "#,
        expect!["scoped function utils.tidy /utils.py:1:5"],
    );
}

#[test]
fn nested_function_shadows_the_module_function() {
    check_def(
        r#"
        //- /app.py
        def helper():
            pass
        def outer():
            def helper():
                pass
            hel$0per()
        "#,
        expect!["scoped function app.outer.helper /app.py:4:9"],
    );
}

#[test]
fn self_method() {
    check_def(
        r#"
        //- /app.py
        class A:
            def helper(self):
                pass
            def go(self):
                self.hel$0per()
        class B:
            def helper(self):
                pass
        "#,
        expect!["scoped method app.A.helper /app.py:2:9"],
    );
}

#[test]
fn self_attribute_set_in_init() {
    check_def(
        r#"
        //- /app.py
        class A:
            def __init__(self):
                self.count = 0
            def total(self):
                return self.cou$0nt
        class B:
            def __init__(self):
                self.count = 1
        "#,
        expect!["scoped field app.A.count /app.py:3:14"],
    );
}

#[test]
fn method_on_an_annotated_parameter() {
    check_def(
        r#"
        //- /app.py
        class A:
            def save(self):
                pass
        class B:
            def save(self):
                pass
        def f(x: B):
            x.sa$0ve()
        "#,
        expect!["scoped method app.B.save /app.py:5:9"],
    );
}

#[test]
fn method_on_a_constructed_local() {
    check_def(
        r#"
        //- /app.py
        class A:
            def save(self):
                pass
        class B:
            def save(self):
                pass
        def f():
            a = A()
            a.sa$0ve()
        "#,
        expect!["scoped method app.A.save /app.py:2:9"],
    );
}

#[test]
fn method_inherited_from_a_base_in_another_module() {
    check_def(
        r#"
        //- /pkg/__init__.py
        //- /pkg/base.py
        class Base:
            def save(self):
                pass
        //- /pkg/user.py
        from .base import Base
        class User(Base):
            pass
        class Other:
            def save(self):
                pass
        def f(u: User):
            u.sa$0ve()
        "#,
        expect!["scoped method pkg.base.Base.save /pkg/base.py:2:9"],
    );
}

#[test]
fn third_party_import_is_external() {
    check_def(
        r#"
        //- /app.py
        import requests
        requests.g$0et("x")
        //- /http.py
        def get(url):
            pass
        "#,
        expect!["external (module requests)"],
    );
}

#[test]
fn stdlib_from_import_is_external() {
    check_def(
        r#"
        //- /app.py
        from os.path import join
        jo$0in("a")
        //- /paths.py
        def join(a):
            pass
        "#,
        expect!["external (module os)"],
    );
}

#[test]
fn aliased_third_party_module_is_external() {
    check_def(
        r#"
        //- /app.py
        import numpy as np
        np.ar$0ray([1])
        //- /np.py
        def array(x):
            pass
        "#,
        expect!["external (module numpy)"],
    );
}

#[test]
fn builtin_is_external() {
    check_def(
        r#"
        //- /lib.py
        def print(x):
            pass
        //- /app.py
        pri$0nt(1)
        "#,
        expect!["external (module builtins)"],
    );
}

#[test]
fn module_definition_shadows_a_builtin() {
    check_def(
        r#"
        //- /app.py
        def len(x):
            return 0
        le$0n([1])
        "#,
        expect!["scoped function app.len /app.py:1:5"],
    );
}

#[test]
fn untyped_parameter_stays_unresolved() {
    check_def(
        r#"
        //- /app.py
        class A:
            def save(self):
                pass
        class B:
            def save(self):
                pass
        def f(x):
            x.sa$0ve()
        "#,
        expect!["unresolved"],
    );
}

#[test]
fn typed_receiver_without_the_member_stays_unresolved() {
    check_def(
        r#"
        //- /app.py
        class A:
            pass
        class B:
            def save(self):
                pass
        def f(x: A):
            x.sa$0ve()
        "#,
        expect!["unresolved"],
    );
}

#[test]
fn missing_relative_module_stays_unresolved() {
    check_def(
        r#"
        //- /pkg/__init__.py
        //- /pkg/app.py
        from .missing import thing
        thi$0ng()
        "#,
        expect!["unresolved"],
    );
}

#[test]
fn references_to_a_function_across_modules() {
    check_refs(
        r#"
        //- /pkg/__init__.py
        //- /pkg/helpers.py
        def ti$0dy():
            pass
        //- /pkg/a.py
        from .helpers import tidy
        tidy()
        //- /pkg/b.py
        from pkg import helpers
        helpers.tidy()
        //- /pkg/c.py
        def tidy():
            pass
        tidy()
        "#,
        expect![[r#"
            function pkg.helpers.tidy /pkg/helpers.py:1:5
            /pkg/a.py:1:22 import scoped
            /pkg/a.py:2:1 call scoped
            /pkg/b.py:2:9 call scoped
        "#]],
    );
}
