//! PHP name resolution (`languages/php/`: namespaces reopened across
//! files, `use` of classes, functions and constants, `$this->`, `self::`,
//! `static::`, `parent::`, locals typed by `new` and parameter types), one
//! fixture per case: where go-to-definition at `$0` lands.

use expect_test::expect;

mod fixture;
use fixture::{check_def, check_refs};

const SHOP: &str = r#"
//- /composer.json
{"autoload": {"psr-4": {"App\\": "src/"}}}
//- /src/Models/Item.php
<?php
namespace App\Models;

/** Something sold. */
class Item
{
    public function __construct(private int $price) {}
    public static function free(): static { return new static(0); }
    public function price(): int { return $this->price; }
    public function copy(): Item { return new Item($this->price); }
}
//- /src/Util/functions.php
<?php
namespace App\Util;

const MAX = 10;
function clamp(int $v): int { return min($v, MAX); }
"#;

fn shop(main: &str) -> String {
    format!("{SHOP}//- /src/Shop/Cart.php\n{main}")
}

#[test]
fn a_used_class() {
    check_def(
        &shop(
            "<?php\nnamespace App\\Shop;\nuse App\\Models\\Item;\nclass Cart { function f() { return new It$0em(1); } }\n",
        ),
        expect![[r#"scoped class App\Models\Item /src/Models/Item.php:5:7"#]],
    );
}

#[test]
fn a_fully_qualified_class() {
    check_def(
        &shop(
            "<?php\nnamespace App\\Shop;\nclass Cart { function f() { return \\App\\Models\\It$0em::free(); } }\n",
        ),
        expect![[r#"scoped class App\Models\Item /src/Models/Item.php:5:7"#]],
    );
}

#[test]
fn a_static_method_through_a_used_class() {
    check_def(
        &shop(
            "<?php\nnamespace App\\Shop;\nuse App\\Models\\Item;\nclass Cart { function f() { return Item::fr$0ee(); } }\n",
        ),
        expect![[r#"scoped method App\Models\Item\free /src/Models/Item.php:8:28"#]],
    );
}

#[test]
fn a_method_of_a_local_made_by_new() {
    check_def(
        &shop(
            "<?php\nnamespace App\\Shop;\nuse App\\Models\\Item;\nclass Cart { function f() { $i = new Item(2); return $i->pri$0ce(); } }\n",
        ),
        expect![[r#"scoped method App\Models\Item\price /src/Models/Item.php:9:21"#]],
    );
}

#[test]
fn a_method_of_a_typed_parameter() {
    check_def(
        &shop(
            "<?php\nnamespace App\\Shop;\nuse App\\Models\\Item;\nclass Cart { function f(Item $i) { return $i->co$0py(); } }\n",
        ),
        expect![[r#"scoped method App\Models\Item\copy /src/Models/Item.php:10:21"#]],
    );
}

#[test]
fn a_used_function_and_constant() {
    check_def(
        &shop(
            "<?php\nnamespace App\\Shop;\nuse function App\\Util\\clamp;\nuse const App\\Util\\MAX;\nclass Cart { function f() { return cla$0mp(MAX); } }\n",
        ),
        expect![[r#"scoped function App\Util\clamp /src/Util/functions.php:5:10"#]],
    );
}

#[test]
fn a_group_use_with_an_alias() {
    check_def(
        &shop(
            "<?php\nnamespace App\\Shop;\nuse App\\Models\\{Item as Product};\nclass Cart { function f() { return new Prod$0uct(1); } }\n",
        ),
        expect![[r#"scoped class App\Models\Item /src/Models/Item.php:5:7"#]],
    );
}

#[test]
fn own_members_through_this_self_and_static() {
    check_def(
        &shop(
            "<?php\nnamespace App\\Shop;\nclass Cart {\n  private array $lines = [];\n  public static function make(): static { return new static(); }\n  function f() { static::make(); return $this->lin$0es; }\n}\n",
        ),
        expect![[r#"scoped field App\Shop\Cart\lines /src/Shop/Cart.php:4:17"#]],
    );
}

#[test]
fn a_static_call_through_static() {
    check_def(
        &shop(
            "<?php\nnamespace App\\Shop;\nclass Cart {\n  public static function make(): static { return new static(); }\n  function f() { return static::ma$0ke(); }\n}\n",
        ),
        expect![[r#"scoped method App\Shop\Cart\make /src/Shop/Cart.php:4:26"#]],
    );
}

#[test]
fn a_static_property_through_self() {
    check_def(
        &shop(
            "<?php\nnamespace App\\Shop;\nclass Cart {\n  private static int $count = 0;\n  function f() { return self::$cou$0nt; }\n}\n",
        ),
        expect![[r#"scoped field App\Shop\Cart\$count /src/Shop/Cart.php:4:22"#]],
    );
}

#[test]
fn parent_calls_the_base_method() {
    check_def(
        r#"
//- /src/A.php
<?php
class A { public function run() {} }
class B extends A { public function run() { parent::r$0un(); } }
"#,
        expect![[r#"scoped method A\run /src/A.php:2:27"#]],
    );
}

#[test]
fn a_trait_method_used_by_the_class() {
    check_def(
        r#"
//- /src/A.php
<?php
trait Greets { public function hello() { return 1; } }
class A { use Greets; function f() { return $this->hel$0lo(); } }
"#,
        expect![[r#"scoped method Greets\hello /src/A.php:2:32"#]],
    );
}

#[test]
fn the_same_namespace_needs_no_use() {
    check_def(
        r#"
//- /src/Shop/Price.php
<?php
namespace App\Shop;
class Price { public static function of(int $v) { return $v; } }
//- /src/Shop/Cart.php
<?php
namespace App\Shop;
class Cart { function f() { return Pri$0ce::of(1); } }
"#,
        expect![[r#"scoped class App\Shop\Price /src/Shop/Price.php:3:7"#]],
    );
}

#[test]
fn php_functions_are_external() {
    check_def(
        &shop("<?php\nnamespace App\\Shop;\nfunction f($s) { return \\strl$0en($s); }\n"),
        expect!["external (module php)"],
    );
}

#[test]
fn a_variable_is_no_reference() {
    check_refs(
        &shop("<?php\nnamespace App\\Shop;\nuse App\\Models\\Item;\nfunction f() { $price = 1; return (new Item($price))->price(); }\n")
            .replace("public function price()", "public function pri$0ce()"),
        expect![[r#"
            method App\Models\Item\price /src/Models/Item.php:9:21
            /src/Shop/Cart.php:4:55 call scoped
        "#]],
    );
}

#[test]
fn a_used_class_named_as_its_namespace() {
    check_def(
        r#"
//- /src/Node/Node.php
<?php
namespace League\Node;
abstract class Node {}
//- /src/Ext/Renderer/Block/Quote.php
<?php
namespace League\Ext\Renderer\Block;
use League\Node\Node;
class Quote { function render(No$0de $node) {} }
"#,
        expect![[r#"scoped class League\Node\Node /src/Node/Node.php:3:16"#]],
    );
}

#[test]
fn class_constant_names_the_class() {
    check_def(
        &shop(
            "<?php\nnamespace App\\Shop;\nuse App\\Models\\Item;\nfunction f() { return It$0em::class; }\n",
        ),
        expect![[r#"scoped class App\Models\Item /src/Models/Item.php:5:7"#]],
    );
}
