//! Ruby name resolution (`languages/ruby/`: constants global once defined
//! and looked up through the enclosing modules, classes reopened across
//! files, bare names as calls of `self`'s methods, mixins as bases), one
//! fixture per case: where go-to-definition at `$0` lands.

use expect_test::expect;

mod fixture;
use fixture::{check_def, check_refs};

const SHOP: &str = r#"
//- /lib/shop/item.rb
module Shop
  # Something sold.
  class Item
    attr_reader :price

    def initialize(price)
      @price = price
    end

    def self.free
      new(0)
    end

    def discounted(by)
      @price - by
    end
  end
end
//- /lib/shop/pricing.rb
module Shop
  module Pricing
    def total(items)
      items.sum(&:price)
    end
  end
end
"#;

fn shop(main: &str) -> String {
    format!("{SHOP}//- /lib/shop/cart.rb\n{main}")
}

#[test]
fn a_class_of_the_enclosing_module_in_another_file() {
    check_def(
        &shop("module Shop\n  class Cart\n    def add\n      It$0em.free\n    end\n  end\nend\n"),
        expect!["scoped class Shop::Item /lib/shop/item.rb:3:9"],
    );
}

#[test]
fn a_singleton_method_through_its_class() {
    check_def(
        &shop("module Shop\n  class Cart\n    def add\n      Item.fr$0ee\n    end\n  end\nend\n"),
        expect!["scoped method Shop::Item::free /lib/shop/item.rb:10:14"],
    );
}

#[test]
fn a_qualified_constant_from_the_top_level() {
    check_def(
        &shop("class Cart\n  def add\n    Shop::It$0em.free\n  end\nend\n"),
        expect!["scoped class Shop::Item /lib/shop/item.rb:3:9"],
    );
}

#[test]
fn a_method_of_a_local_made_by_new() {
    check_def(
        &shop(
            "module Shop\n  class Cart\n    def add\n      item = Item.new(3)\n      item.disc$0ounted(1)\n    end\n  end\nend\n",
        ),
        expect!["scoped method Shop::Item::discounted /lib/shop/item.rb:14:9"],
    );
}

#[test]
fn an_attr_reader_is_a_method() {
    check_def(
        &shop(
            "module Shop\n  class Cart\n    def add\n      item = Item.new(3)\n      item.pri$0ce\n    end\n  end\nend\n",
        ),
        expect!["scoped method Shop::Item::price /lib/shop/item.rb:4:17"],
    );
}

#[test]
fn an_instance_variable_is_a_field_of_the_class() {
    check_def(
        &shop("").replace("@price - by", "@pr$0ice - by"),
        expect!["scoped field Shop::Item::@price /lib/shop/item.rb:7:7"],
    );
}

#[test]
fn a_bare_name_calls_a_method_of_self() {
    check_def(
        &shop(
            "module Shop\n  class Cart\n    def add\n      che$0ck\n    end\n\n    def check\n      true\n    end\n  end\nend\n",
        ),
        expect!["scoped method Shop::Cart::check /lib/shop/cart.rb:7:9"],
    );
}

#[test]
fn a_local_is_not_a_method_call() {
    check_refs(
        &shop(
            "module Shop\n  class Cart\n    def add\n      check = 1\n      check\n    end\n\n    def run\n      check\n    end\n\n    def che$0ck\n      true\n    end\n  end\nend\n",
        ),
        expect![[r#"
            method Shop::Cart::check /lib/shop/cart.rb:12:9
            /lib/shop/cart.rb:9:7 call scoped
        "#]],
    );
}

#[test]
fn an_included_modules_method() {
    check_def(
        &shop(
            "module Shop\n  class Cart\n    include Pricing\n\n    def sum\n      to$0tal([])\n    end\n  end\nend\n",
        ),
        expect!["scoped method Shop::Pricing::total /lib/shop/pricing.rb:3:9"],
    );
}

#[test]
fn a_superclass_method_without_self() {
    check_def(
        r#"
//- /a.rb
class Base
  def reset; end
end

class Child < Base
  def run
    res$0et
  end
end
"#,
        expect!["scoped method Base::reset /a.rb:2:7"],
    );
}

#[test]
fn a_class_reopened_in_another_file() {
    check_def(
        r#"
//- /lib/a.rb
class Cart
  def add; end
end
//- /lib/b.rb
class Cart
  def run
    ad$0d
  end
end
"#,
        expect!["scoped method Cart::add /lib/a.rb:2:7"],
    );
}

#[test]
fn a_compact_nested_class_is_a_member_of_its_owner() {
    check_def(
        r#"
//- /lib/a.rb
module Shop; end
class Shop::Order
  def self.open; end
end
//- /lib/b.rb
Shop::Ord$0er.open
"#,
        expect!["scoped class Shop::Order /lib/a.rb:2:13"],
    );
}

#[test]
fn core_classes_are_external() {
    check_def(
        &shop("class Cart\n  def add\n    Fi$0le.read('x')\n  end\nend\n"),
        expect!["external (module core)"],
    );
}

#[test]
fn an_unknown_receivers_method_is_not_bound_to_a_common_name() {
    check_def(
        &shop("class Cart\n  def add(xs)\n    xs.ea$0ch { |x| x }\n  end\nend\n"),
        expect!["unresolved"],
    );
}

#[test]
fn callers_of_a_method_across_files() {
    check_refs(
        &shop(
            "module Shop\n  class Cart\n    def add\n      Item.new(1).discounted(2)\n    end\n  end\nend\n",
        )
        .replace("def discounted(by)", "def disc$0ounted(by)"),
        expect![[r#"
            method Shop::Item::discounted /lib/shop/item.rb:14:9
            /lib/shop/cart.rb:4:19 call scoped
        "#]],
    );
}

#[test]
fn new_is_the_classs_initialize() {
    check_def(
        &shop("module Shop\n  class Cart\n    def add\n      Item.n$0ew(3)\n    end\n  end\nend\n"),
        expect!["scoped method Shop::Item::initialize /lib/shop/item.rb:6:9"],
    );
}

#[test]
fn a_parameter_after_a_field_assignment_is_still_a_local() {
    check_refs(
        r#"
//- /a.rb
class A
  def initialize(env)
    @x = 1
    @env = env
  end

  def e$0nv; end
end
"#,
        expect![[r#"
            method A::env /a.rb:7:7
        "#]],
    );
}

#[test]
fn a_top_level_constant_is_not_a_nested_one_of_the_same_name() {
    check_def(
        r#"
//- /lib/rack/file.rb
module Rack
  class File; end

  class Files
    def read(path)
      ::Fi$0le.read(path)
    end
  end
end
"#,
        expect!["external (module core)"],
    );
}

#[test]
fn a_path_from_the_top_level() {
    check_def(
        r#"
//- /lib/rack/utils.rb
module Rack
  module Utils
    def self.escape(s) = s
  end
end
//- /lib/rack/response.rb
module Rack
  class Response
    def set
      ::Rack::Utils.esc$0ape("x")
    end
  end
end
"#,
        expect!["scoped method Rack::Utils::escape /lib/rack/utils.rb:3:14"],
    );
}

#[test]
fn new_of_a_class_without_initialize_is_the_class() {
    check_def(
        r#"
//- /a.rb
class Lobster
  def call(env) = env
end
Lobster.n$0ew.call({})
"#,
        expect!["scoped class Lobster /a.rb:1:7"],
    );
}

#[test]
fn a_top_level_constant_outside_the_tree_is_external() {
    check_def(
        r#"
//- /lib/rack/cookie.rb
module Rack
  class Cookie
    class JSON; end

    def dump(obj)
      ::JS$0ON.dump(obj)
    end
  end
end
"#,
        expect!["external (module JSON)"],
    );
}
