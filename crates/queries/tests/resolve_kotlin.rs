//! Kotlin name resolution (`languages/kotlin/`: packages by directory,
//! imports with aliases, members in scope without `this.`, companion
//! objects, primary-constructor properties, `val x = Foo()` typing), one
//! fixture per case: where go-to-definition at `$0` lands.

use expect_test::expect;

mod fixture;
use fixture::{check_def, check_refs};

const SHOP: &str = r#"
//- /src/main/kotlin/com/acme/model/Item.kt
package com.acme.model

/** Something sold. */
class Item(val price: Int) {
    fun discounted(percent: Int): Int {
        return price - price * percent / 100
    }

    companion object {
        fun free(): Item = Item(0)
    }
}

open class Base {
    open fun reset() {}
}
//- /src/main/kotlin/com/acme/util/Math.kt
package com.acme.util

fun clamp(v: Int, lo: Int, hi: Int): Int = maxOf(lo, minOf(v, hi))

fun Int.twice(): Int = this * 2
"#;

fn shop(main: &str) -> String {
    format!("{SHOP}//- /src/main/kotlin/com/acme/shop/Cart.kt\n{main}")
}

#[test]
fn an_imported_class() {
    check_def(
        &shop(
            "package com.acme.shop\n\nimport com.acme.model.Item\n\nclass Cart {\n    fun make() = It$0em(1)\n}\n",
        ),
        expect!["scoped class com.acme.model.Item /src/main/kotlin/com/acme/model/Item.kt:4:7"],
    );
}

#[test]
fn an_import_alias() {
    check_def(
        &shop(
            "package com.acme.shop\n\nimport com.acme.model.Item as Product\n\nclass Cart {\n    fun make() = Prod$0uct(1)\n}\n",
        ),
        expect!["scoped class com.acme.model.Item /src/main/kotlin/com/acme/model/Item.kt:4:7"],
    );
}

#[test]
fn a_star_import_of_a_top_level_function() {
    check_def(
        &shop(
            "package com.acme.shop\n\nimport com.acme.util.*\n\nclass Cart {\n    fun f() = cla$0mp(1, 0, 2)\n}\n",
        ),
        expect!["scoped function com.acme.util.clamp /src/main/kotlin/com/acme/util/Math.kt:3:5"],
    );
}

#[test]
fn a_companion_objects_function_through_its_class() {
    check_def(
        &shop(
            "package com.acme.shop\n\nimport com.acme.model.Item\n\nclass Cart {\n    fun f() = Item.fr$0ee()\n}\n",
        ),
        expect![
            "scoped method com.acme.model.Item.free /src/main/kotlin/com/acme/model/Item.kt:10:13"
        ],
    );
}

#[test]
fn a_method_of_a_val_made_by_a_constructor_call() {
    check_def(
        &shop(
            "package com.acme.shop\n\nimport com.acme.model.Item\n\nclass Cart {\n    fun f(): Int {\n        val item = Item(3)\n        return item.disc$0ounted(10)\n    }\n}\n",
        ),
        expect![
            "scoped method com.acme.model.Item.discounted /src/main/kotlin/com/acme/model/Item.kt:5:9"
        ],
    );
}

#[test]
fn a_primary_constructor_property() {
    check_def(
        &shop(
            "package com.acme.shop\n\nimport com.acme.model.Item\n\nclass Cart {\n    fun f(item: Item): Int = item.pri$0ce\n}\n",
        ),
        expect![
            "scoped field com.acme.model.Item.price /src/main/kotlin/com/acme/model/Item.kt:4:16"
        ],
    );
}

#[test]
fn an_inherited_method_without_this() {
    check_def(
        &shop(
            "package com.acme.shop\n\nimport com.acme.model.Base\n\nclass Cart : Base() {\n    fun f() {\n        res$0et()\n    }\n}\n",
        ),
        expect![
            "scoped method com.acme.model.Base.reset /src/main/kotlin/com/acme/model/Item.kt:15:14"
        ],
    );
}

#[test]
fn super_calls_the_base_method() {
    check_def(
        &shop(
            "package com.acme.shop\n\nimport com.acme.model.Base\n\nclass Cart : Base() {\n    override fun reset() {\n        super.res$0et()\n    }\n}\n",
        ),
        expect![
            "scoped method com.acme.model.Base.reset /src/main/kotlin/com/acme/model/Item.kt:15:14"
        ],
    );
}

#[test]
fn the_same_package_needs_no_import() {
    check_def(
        r#"
//- /src/main/kotlin/com/acme/shop/Price.kt
package com.acme.shop

object Price {
    fun of(v: Int) = v
}
//- /src/main/kotlin/com/acme/shop/Cart.kt
package com.acme.shop

class Cart {
    fun f() = Pri$0ce.of(1)
}
"#,
        expect!["scoped class com.acme.shop.Price /src/main/kotlin/com/acme/shop/Price.kt:3:8"],
    );
}

#[test]
fn an_extension_function_is_a_heuristic_match() {
    check_def(
        &shop(
            "package com.acme.shop\n\nimport com.acme.util.twice\n\nclass Cart {\n    fun f(n: Int) = n.tw$0ice()\n}\n",
        ),
        expect![
            "heuristic method com.acme.util.Int.twice /src/main/kotlin/com/acme/util/Math.kt:5:9"
        ],
    );
}

#[test]
fn stdlib_is_external() {
    check_def(
        &shop("package com.acme.shop\n\nclass Cart {\n    fun f() = list$0Of(1)\n}\n"),
        expect!["external (module kotlin)"],
    );
}

#[test]
fn callers_across_files() {
    check_refs(
        &shop("package com.acme.shop\n\nimport com.acme.model.Item\n\nclass Cart {\n    fun f(i: Item) = i.discounted(1) + Item(2).discounted(3)\n}\n")
            .replace("fun discounted(", "fun disc$0ounted("),
        expect![[r#"
            method com.acme.model.Item.discounted /src/main/kotlin/com/acme/model/Item.kt:5:9
            /src/main/kotlin/com/acme/shop/Cart.kt:6:24 call scoped
            /src/main/kotlin/com/acme/shop/Cart.kt:6:48 call scoped
        "#]],
    );
}

#[test]
fn an_extension_of_a_class_of_the_tree_is_its_member() {
    check_def(
        r#"
//- /src/main/kotlin/a/A.kt
package a

class A(val n: Int)

fun A.double(): Int = n * 2

fun f(a: A) = a.dou$0ble()
"#,
        expect!["scoped method a.A.double /src/main/kotlin/a/A.kt:5:7"],
    );
}

#[test]
fn a_library_package_beside_a_tree_package_of_its_parent_name() {
    check_def(
        r#"
//- /a/Stub.kt
package kotlin

class CoroutineContext
//- /a/T.kt
package kotlinx.coroutines

import kotlin.coroutines.*
import kotlin.test.*

class AbstractCoroutineTest {
    @Te$0st
    fun testNotifications() {}
}
"#,
        expect!["external (module kotlin.coroutines)"],
    );
}
