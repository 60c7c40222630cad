//! TypeScript and JavaScript name resolution (`resolve/ecma.rs`: relative
//! specifiers with extension and index resolution, tsconfig `baseUrl` and
//! `paths`, bare specifiers as packages; receiver types from
//! `resolve/types.rs`), one fixture per case: where go-to-definition at
//! `$0` lands.

use expect_test::expect;

mod fixture;
use fixture::{check_def, check_refs};

#[test]
fn relative_named_import() {
    check_def(
        r#"
        //- /src/util.ts
        export function helper() {}
        //- /src/main.ts
        import { helper } from './util';
        hel$0per();
        "#,
        expect!["scoped function src/util.helper /src/util.ts:1:17"],
    );
}

#[test]
fn directory_import_reaches_its_index() {
    check_def(
        r#"
        //- /src/lib/index.ts
        export function helper() {}
        //- /src/main.ts
        import { helper } from './lib';
        hel$0per();
        "#,
        expect!["scoped function src/lib/index.helper /src/lib/index.ts:1:17"],
    );
}

#[test]
fn js_extension_in_the_specifier_names_the_ts_file() {
    check_def(
        r#"
        //- /src/util.ts
        export function helper() {}
        //- /src/main.ts
        import { helper } from './util.js';
        hel$0per();
        "#,
        expect!["scoped function src/util.helper /src/util.ts:1:17"],
    );
}

#[test]
fn parent_directory_specifier() {
    check_def(
        r#"
        //- /src/util.ts
        export function helper() {}
        //- /src/a/b/util.ts
        export function helper() {}
        //- /src/a/b/main.ts
        import { helper } from '../../util';
        hel$0per();
        "#,
        expect!["scoped function src/util.helper /src/util.ts:1:17"],
    );
}

#[test]
fn tsconfig_paths_pattern() {
    check_def(
        r#"
        //- /tsconfig.json
        { "compilerOptions": { "baseUrl": ".", "paths": { "@app/*": ["src/app/*"] } } }
        //- /src/app/util.ts
        export function helper() {}
        //- /src/main.ts
        import { helper } from '@app/util';
        hel$0per();
        "#,
        expect!["scoped function src/app/util.helper /src/app/util.ts:1:17"],
    );
}

#[test]
fn tsconfig_base_url_with_comments() {
    check_def(
        r#"
        //- /tsconfig.json
        {
          // tsconfig allows line comments
          "compilerOptions": { "baseUrl": "src" }
        }
        //- /src/app/util.ts
        export function helper() {}
        //- /src/main.ts
        import { helper } from 'app/util';
        hel$0per();
        "#,
        expect!["scoped function src/app/util.helper /src/app/util.ts:1:17"],
    );
}

#[test]
fn nearest_tsconfig_in_a_monorepo() {
    check_def(
        r#"
        //- /packages/web/tsconfig.json
        { "compilerOptions": { "baseUrl": ".", "paths": { "~/*": ["src/*"] } } }
        //- /packages/web/src/util.ts
        export function helper() {}
        //- /packages/web/src/main.ts
        import { helper } from '~/util';
        hel$0per();
        //- /src/util.ts
        export function helper() {}
        "#,
        expect!["scoped function packages/web/src/util.helper /packages/web/src/util.ts:1:17"],
    );
}

#[test]
fn named_reexport() {
    check_def(
        r#"
        //- /src/util/impl.ts
        export function helper() {}
        //- /src/util/index.ts
        export { helper } from './impl';
        //- /src/main.ts
        import { helper } from './util';
        hel$0per();
        "#,
        expect!["scoped function src/util/impl.helper /src/util/impl.ts:1:17"],
    );
}

#[test]
fn star_reexport() {
    check_def(
        r#"
        //- /src/util/impl.ts
        export function helper() {}
        //- /src/util/index.ts
        export * from './impl';
        //- /src/main.ts
        import { helper } from './util';
        hel$0per();
        "#,
        expect!["scoped function src/util/impl.helper /src/util/impl.ts:1:17"],
    );
}

#[test]
fn renamed_import() {
    check_def(
        r#"
        //- /src/util.ts
        export function helper() {}
        //- /src/main.ts
        import { helper as h } from './util';
        $0h();
        "#,
        expect!["scoped function src/util.helper /src/util.ts:1:17"],
    );
}

#[test]
fn namespace_import_member() {
    check_def(
        r#"
        //- /src/util.ts
        export function helper() {}
        //- /src/main.ts
        import * as u from './util';
        u.hel$0per();
        "#,
        expect!["scoped function src/util.helper /src/util.ts:1:17"],
    );
}

#[test]
fn namespace_import_name_is_the_module_file() {
    check_def(
        r#"
        //- /src/util.ts
        export function helper() {}
        //- /src/main.ts
        import * as u from './util';
        $0u.helper();
        "#,
        expect!["module /src/util.ts"],
    );
}

#[test]
fn type_only_import() {
    check_def(
        r#"
        //- /src/types.ts
        export interface Opts { a: number }
        //- /src/main.ts
        import type { Opts } from './types';
        let o: Op$0ts;
        "#,
        expect!["scoped interface src/types.Opts /src/types.ts:1:18"],
    );
}

#[test]
fn declaration_file() {
    check_def(
        r#"
        //- /src/types.d.ts
        export interface Opts { a: number }
        //- /src/main.ts
        import { Opts } from './types';
        let o: Op$0ts;
        "#,
        expect!["scoped interface src/types.Opts /src/types.d.ts:1:18"],
    );
}

#[test]
fn tsx_component() {
    check_def(
        r#"
        //- /src/Button.tsx
        export function Button() { return null; }
        //- /src/main.tsx
        import { Button } from './Button';
        But$0ton();
        "#,
        expect!["scoped function src/Button.Button /src/Button.tsx:1:17"],
    );
}

#[test]
fn commonjs_require_destructuring() {
    check_def(
        r#"
        //- /src/util.js
        function helper() {}
        module.exports = { helper };
        //- /src/main.js
        const { helper } = require('./util');
        hel$0per();
        "#,
        expect!["scoped function src/util.helper /src/util.js:1:10"],
    );
}

#[test]
fn package_import_is_external() {
    check_def(
        r#"
        //- /package.json
        { "name": "app", "dependencies": { "react": "18" } }
        //- /src/main.ts
        import { useState } from 'react';
        useSt$0ate();
        //- /src/hooks.ts
        export function useState() {}
        "#,
        expect!["external (module react)"],
    );
}

#[test]
fn scoped_package_subpath_is_external() {
    check_def(
        r#"
        //- /src/main.ts
        import { thing } from '@scope/pkg/sub';
        thi$0ng();
        "#,
        expect!["external (module @scope/pkg)"],
    );
}

#[test]
fn member_of_an_external_namespace_is_external() {
    check_def(
        r#"
        //- /src/main.ts
        import * as path from 'path';
        class Paths { join() {} }
        path.jo$0in('a');
        "#,
        expect!["external (module path)"],
    );
}

#[test]
fn global_is_external() {
    check_def(
        r#"
        //- /src/main.ts
        JS$0ON.parse("1");
        "#,
        expect!["external (module globals)"],
    );
}

#[test]
fn this_method() {
    check_def(
        r#"
        //- /src/main.ts
        class A {
          helper() {}
          run() { this.hel$0per(); }
        }
        class B {
          helper() {}
        }
        "#,
        expect!["scoped method src/main.A.helper /src/main.ts:2:3"],
    );
}

#[test]
fn this_field_then_method() {
    check_def(
        r#"
        //- /src/main.ts
        class Engine { start() {} }
        class Car {
          engine: Engine = new Engine();
          go() { this.engine.sta$0rt(); }
        }
        class Boat { start() {} }
        "#,
        expect!["scoped method src/main.Engine.start /src/main.ts:1:16"],
    );
}

#[test]
fn this_method_inherited_from_the_base_class() {
    check_def(
        r#"
        //- /src/main.ts
        class Base { save() {} }
        class User extends Base {
          run() { this.sa$0ve(); }
        }
        class Other { save() {} }
        "#,
        expect!["scoped method src/main.Base.save /src/main.ts:1:14"],
    );
}

#[test]
fn method_on_a_new_instance() {
    check_def(
        r#"
        //- /src/main.ts
        class A { spin() {} }
        class B { spin() {} }
        function f() {
          const a = new A();
          a.sp$0in();
        }
        "#,
        expect!["scoped method src/main.A.spin /src/main.ts:1:11"],
    );
}

#[test]
fn method_of_an_imported_base_class() {
    check_def(
        r#"
        //- /src/base.ts
        export class Base { save() {} }
        //- /src/main.ts
        import { Base } from './base';
        class User extends Base {}
        class Other { save() {} }
        function f() {
          const u = new User();
          u.sa$0ve();
        }
        "#,
        expect!["scoped method src/base.Base.save /src/base.ts:1:21"],
    );
}

#[test]
fn method_on_an_interface_typed_parameter() {
    check_def(
        r#"
        //- /src/main.ts
        interface Shape { area(): number; }
        class Sq { area() { return 1; } }
        function f(s: Shape) {
          s.ar$0ea();
        }
        "#,
        expect!["scoped method src/main.Shape.area /src/main.ts:1:19"],
    );
}

#[test]
fn untyped_parameter_stays_unresolved() {
    check_def(
        r#"
        //- /src/main.ts
        class A { spin() {} }
        class B { spin() {} }
        function f(x) {
          x.sp$0in();
        }
        "#,
        expect!["unresolved"],
    );
}

#[test]
fn missing_relative_module_stays_unresolved() {
    check_def(
        r#"
        //- /src/main.ts
        import { helper } from './missing';
        hel$0per();
        "#,
        expect!["unresolved"],
    );
}

#[test]
fn references_to_a_method() {
    check_refs(
        r#"
        //- /src/shapes.ts
        export class Circle {
          ar$0ea(): number { return 1; }
        }
        export class Square {
          area(): number { return 2; }
        }
        //- /src/main.ts
        import { Circle, Square } from './shapes';
        function f(c: Circle, s: Square) {
          c.area();
          s.area();
          new Circle().area();
        }
        "#,
        expect![[r#"
            method src/shapes.Circle.area /src/shapes.ts:2:3
            /src/main.ts:3:5 call scoped
            /src/main.ts:5:16 call scoped
        "#]],
    );
}

#[test]
fn destructured_names_are_members_of_the_value() {
    check_def(
        r#"
        //- /src/scope.ts
        export interface Scope {
            drafts_: number[]
            parent_?: Scope
        }
        export function run(scope: Scope) {
            const {drafts_, pare$0nt_: up} = scope
            return drafts_.length
        }
        "#,
        expect!["scoped field src/scope.Scope.parent_ /src/scope.ts:3:5"],
    );
}

#[test]
fn a_destructured_shorthand_refers_to_the_member() {
    check_refs(
        r#"
        //- /src/scope.ts
        export interface Scope {
            draf$0ts_: number[]
        }
        export function run(scope: Scope) {
            const {drafts_} = scope
            return drafts_.length
        }
        "#,
        expect![[r#"
            field src/scope.Scope.drafts_ /src/scope.ts:2:5
            /src/scope.ts:5:12 read scoped
        "#]],
    );
}

#[test]
fn keys_of_a_literal_of_a_written_type_are_its_members() {
    check_refs(
        r#"
        //- /src/scope.ts
        export interface Scope {
            draf$0ts_: number[]
        }
        const root: Scope = {drafts_: []}
        export let make = (): Scope => ({drafts_: []})
        "#,
        expect![[r#"
            field src/scope.Scope.drafts_ /src/scope.ts:2:5
            /src/scope.ts:4:22 write scoped
            /src/scope.ts:5:34 write scoped
        "#]],
    );
}

#[test]
fn a_declaration_script_declares_globals() {
    check_def(
        r#"
        //- /src/global.d.ts
        declare const __DEV__: boolean
        //- /src/main.ts
        import { x } from './x';
        if (__DE$0V__) {}
        "#,
        expect!["scoped variable src/global.__DEV__ /src/global.d.ts:1:15"],
    );
}

#[test]
fn a_declaration_module_declares_no_globals() {
    check_def(
        r#"
        //- /src/types.d.ts
        export declare const __DEV__: boolean
        //- /src/main.ts
        if (__DE$0V__) {}
        "#,
        expect!["unresolved"],
    );
}

#[test]
fn an_import_specifier_names_its_file() {
    check_def(
        r#"
        //- /src/util.ts
        export function helper() {}
        //- /src/main.ts
        import { helper } from './ut$0il';
        "#,
        expect!["module /src/util.ts"],
    );
}

#[test]
fn a_package_specifier_is_external() {
    check_def(
        r#"
        //- /src/main.ts
        import { useState } from 'rea$0ct';
        "#,
        expect!["external (module react)"],
    );
}
