//! C# name resolution (`languages/csharp/`: namespaces reopened across
//! files, `using` directives, partial classes, the enclosing types'
//! members), one fixture per case: where go-to-definition at `$0` lands.

use expect_test::expect;

mod fixture;
use fixture::{check_def, check_refs};

const SHOP: &str = r#"
//- /Models/Item.cs
namespace Acme.Models
{
    /// <summary>Something sold.</summary>
    public class Item
    {
        public int Price { get; set; }
        public Item(int price) { Price = price; }
        public static Item Free() { return new Item(0); }
        public Item Copy() { return new Item(Price); }
    }
}
//- /Models/Order.cs
namespace Acme.Models;
public partial class Order
{
    public int Count() { return Lines(); }
}
//- /Models/Order.Lines.cs
namespace Acme.Models;
public partial class Order
{
    private int Lines() { return 0; }
}
//- /Util/MathX.cs
namespace Acme.Util;
public static class MathX
{
    public static int Clamp(int v) { return v; }
}
"#;

fn shop(main: &str) -> String {
    format!("{SHOP}//- /Services/Pricing.cs\n{main}")
}

#[test]
fn member_of_a_field_typed_by_a_class_of_an_enclosing_namespace() {
    check_def(
        r#"
//- /Config.cs
namespace Acme { public class Config { public int MaxLines { get; init; } = 100; } }
//- /Pricing.cs
namespace Acme.Services;
public class Pricing {
    private readonly Config config;
    public int Quote() { return config.Max$0Lines; }
}
"#,
        expect!["scoped field Acme.Config.MaxLines /Config.cs:1:51"],
    );
}

#[test]
fn using_a_namespace() {
    check_def(
        &shop("using Acme.Models;\nnamespace Acme.Services;\nclass Pricing { It$0em item; }\n"),
        expect!["scoped class Acme.Models.Item /Models/Item.cs:4:18"],
    );
}

#[test]
fn using_static_brings_the_members() {
    check_def(
        &shop(
            "using static Acme.Util.MathX;\nnamespace Acme.Services;\nclass Pricing { int F() { return Cla$0mp(3); } }\n",
        ),
        expect!["scoped method Acme.Util.MathX.Clamp /Util/MathX.cs:4:23"],
    );
}

#[test]
fn a_using_alias_names_a_namespace() {
    check_def(
        &shop(
            "using M = Acme.Models;\nnamespace Acme.Services;\nclass Pricing { M.It$0em item; }\n",
        ),
        expect!["scoped class Acme.Models.Item /Models/Item.cs:4:18"],
    );
}

#[test]
fn a_partial_class_sees_its_other_parts_members() {
    check_def(
        &shop("namespace Acme.Services;\nclass Pricing {}\n")
            .replace("return Lines();", "return Li$0nes();"),
        expect!["scoped method Acme.Models.Order.Lines /Models/Order.Lines.cs:4:17"],
    );
}

#[test]
fn a_sibling_namespace_through_the_enclosing_one() {
    check_def(
        &shop(
            "namespace Acme.Services;\nclass Pricing { int F() { return Util.MathX.Cla$0mp(1); } }\n",
        ),
        expect!["scoped method Acme.Util.MathX.Clamp /Util/MathX.cs:4:23"],
    );
}

#[test]
fn member_of_a_typed_local() {
    check_def(
        &shop(
            "using Acme.Models;\nnamespace Acme.Services;\nclass Pricing { int F() { var item = new Item(2); return item.Co$0py().Price; } }\n",
        ),
        expect!["scoped method Acme.Models.Item.Copy /Models/Item.cs:9:21"],
    );
}

#[test]
fn a_static_method_through_its_class() {
    check_def(
        &shop(
            "using Acme.Models;\nnamespace Acme.Services;\nclass Pricing { Item F() { return Item.Fr$0ee(); } }\n",
        ),
        expect!["scoped method Acme.Models.Item.Free /Models/Item.cs:8:28"],
    );
}

#[test]
fn base_calls_the_base_method() {
    check_def(
        r#"
//- /A.cs
class A { public virtual void Run() {} }
class B : A { public override void Run() { base.R$0un(); } }
"#,
        expect!["scoped method A.Run /A.cs:1:31"],
    );
}

#[test]
fn the_global_namespace_is_seen_from_every_namespace() {
    check_def(
        r#"
//- /Log.cs
public static class Log { public static void Info(string m) {} }
//- /Pricing.cs
namespace Acme.Services;
class Pricing { void F() { Log.In$0fo("x"); } }
"#,
        expect!["scoped method Log.Info /Log.cs:1:46"],
    );
}

#[test]
fn system_is_external() {
    check_def(
        &shop(
            "using System.Collections.Generic;\nnamespace Acme.Services;\nclass Pricing { Li$0st<int> xs; }\n",
        ),
        expect!["external (module System)"],
    );
}

#[test]
fn an_extension_method_is_a_heuristic_match() {
    check_def(
        r#"
//- /Ext.cs
namespace Acme;
public class Money { public int Cents; }
public static class Ext { public static int Twice(this Money v) { return v.Cents * 2; } }
//- /Pricing.cs
namespace Acme;
class Pricing { int F(Money m) { return m.Twi$0ce(); } }
"#,
        expect!["heuristic method Acme.Ext.Twice /Ext.cs:3:45"],
    );
}

#[test]
fn a_referenced_project_namespace_resolves() {
    check_def(
        r#"
//- /Shop/Shop.csproj
<Project Sdk="Microsoft.NET.Sdk"></Project>
//- /Shop/Item.cs
namespace Shop.Models;
public class Item {}
//- /Tests/Tests.csproj
<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><ProjectReference Include="../Shop/Shop.csproj" /></ItemGroup></Project>
//- /Tests/ItemTests.cs
using Shop.Models;
namespace Tests;
class ItemTests { It$0em item; }
"#,
        expect!["scoped class Shop.Models.Item /Shop/Item.cs:2:14"],
    );
}

#[test]
fn callers_across_partial_parts() {
    check_refs(
        &shop("namespace Acme.Services;\nclass Pricing {}\n")
            .replace("private int Lines()", "private int Li$0nes()"),
        expect![[r#"
            method Acme.Models.Order.Lines /Models/Order.Lines.cs:4:17
            /Models/Order.cs:4:33 call scoped
        "#]],
    );
}

#[test]
fn a_fully_qualified_name_through_namespaces_no_block_declares() {
    check_def(
        r#"
//- /Codecs/Codec.cs
namespace Python.Runtime.Codecs { public class Codec {} }
//- /Main.cs
using System;
namespace App;
class Main { Python.Runtime.Codecs.Co$0dec c; }
"#,
        expect!["scoped class Python.Runtime.Codecs.Codec /Codecs/Codec.cs:1:48"],
    );
}

#[test]
fn a_namespace_prefix_is_not_external() {
    check_def(
        r#"
//- /Codecs/Codec.cs
namespace Python.Runtime.Codecs { public class Codec {} }
//- /Main.cs
using System;
namespace App;
class Main { Pyt$0hon.Runtime.Codecs.Codec c; }
"#,
        expect!["unresolved"],
    );
}

#[test]
fn a_member_of_a_predefined_type_is_external() {
    check_def(
        r#"
//- /A.cs
class A { public int Length; int F(string head) { return head.Len$0gth; } }
"#,
        expect!["external (module System)"],
    );
}
