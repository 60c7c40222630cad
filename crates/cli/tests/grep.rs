//! `weft grep`: structural search from the command line, its graph
//! filters, its rules and its errors; and its matches against ast-grep's
//! own command line (`ast-grep-cli` from PyPI, installed by this test into
//! a venv under the target directory the first time: it needs the package
//! registry), which must be the same on every language.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::{repo, stderr, stdout, weft, write};
use serde_json::Value;

/// The shop repository with a second `total` that is not `price::total`.
fn shop() -> tempfile::TempDir {
    let d = repo();
    write(
        d.path(),
        &[
            ("src/lib.rs", b"pub mod cart;\npub mod price;\npub mod other;\n"),
            (
                "src/other.rs",
                b"pub fn total() -> u32 {\n    0\n}\n\npub fn use_other() -> u32 {\n    total()\n}\n",
            ),
        ],
    );
    let o = weft(d.path(), &["index", "."]);
    assert!(o.status.success(), "{}", stderr(&o));
    d
}

fn json_lines(o: &std::process::Output) -> Vec<Value> {
    assert!(o.status.success(), "{}{}", stdout(o), stderr(o));
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn matches_come_with_their_symbol_captures_and_targets() {
    let d = shop();
    let o = weft(
        d.path(),
        &["grep", "total($$$ARGS)", "--lang", "rust", "--json"],
    );
    let m = json_lines(&o);
    assert_eq!(m.len(), 2, "{m:?}");
    let cart = &m[0];
    assert_eq!(cart["file"], "src/cart.rs");
    assert_eq!(cart["text"], "total(&self.items)");
    assert_eq!(cart["lines"], "        total(&self.items)");
    assert_eq!(
        cart["span"]["start"],
        serde_json::json!({"line": 7, "col": 8})
    );
    assert_eq!(cart["symbol"]["qualified_name"], "shop::cart::Cart::sum");
    assert_eq!(cart["target"]["resolution"], "scoped");
    assert_eq!(
        cart["target"]["symbol"]["qualified_name"],
        "shop::price::total"
    );
    assert_eq!(cart["captures"]["ARGS"][0]["text"], "&self.items");
    // the other file's `total()` calls its own `total`
    assert_eq!(m[1]["file"], "src/other.rs");
    assert_eq!(
        m[1]["target"]["symbol"]["qualified_name"],
        "shop::other::total"
    );

    // as text: FILE:LINE:COL, the line, the symbol, then how the index did
    let o = weft(d.path(), &["grep", "total($$$)", "--lang", "rust"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with(
            "src/cart.rs:8:9:        total(&self.items)  (in method shop::cart::Cart::sum)\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("2 matches in 2 files; parsed 3 of 4 files"),
        "{text}"
    );
}

#[test]
fn calls_keeps_the_calls_that_resolve_to_the_target_not_to_a_namesake() {
    let d = shop();
    let o = weft(
        d.path(),
        &["grep", "$F($$$)", "--calls", "shop::price::total", "--json"],
    );
    let m = json_lines(&o);
    let files: Vec<&str> = m.iter().map(|m| m["file"].as_str().unwrap()).collect();
    assert_eq!(files, ["src/cart.rs"]);
    let o = weft(
        d.path(),
        &["grep", "$F($$$)", "--calls", "shop::other::total", "--json"],
    );
    let m = json_lines(&o);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0]["symbol"]["qualified_name"], "shop::other::use_other");
}

#[test]
fn within_and_impact_of_keep_what_the_graph_reaches() {
    let d = shop();
    let texts = |args: &[&str]| -> BTreeSet<String> {
        let mut a = vec!["grep", "$F($$$)", "--lang", "rust", "--json"];
        a.extend_from_slice(args);
        json_lines(&weft(d.path(), &a))
            .iter()
            .map(|m| m["text"].as_str().unwrap().to_string())
            .collect()
    };
    // checkout calls Cart::sum, which calls price::total
    let within = texts(&["--within", "shop::cart::checkout", "--depth", "2"]);
    assert!(within.contains("Cart::sum(c)"), "{within:?}");
    assert!(within.contains("total(&self.items)"), "{within:?}");
    assert!(within.contains("xs.iter()"), "{within:?}");
    assert!(!within.contains("total()"), "{within:?}");
    let shallow = texts(&["--within", "shop::cart::checkout", "--depth", "1"]);
    assert!(!shallow.contains("xs.iter()"), "{shallow:?}");
    // what a change to price.rs affects: the cart, not the other total
    let impact = texts(&["--impact-of", "src/price.rs"]);
    assert!(impact.contains("total(&self.items)"), "{impact:?}");
    assert!(!impact.contains("total()"), "{impact:?}");
}

#[test]
fn a_yaml_rule_from_a_file() {
    let d = shop();
    let rule = d.path().join("rule.yml");
    std::fs::write(
        &rule,
        "id: calls-in-methods\nlanguage: rust\nrule:\n  pattern: $F($$$)\n  inside:\n    kind: impl_item\n    stopBy: end\n",
    )
    .unwrap();
    let o = weft(d.path(), &["grep", "--rule", "rule.yml", "--json"]);
    let m = json_lines(&o);
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(m[0]["text"], "total(&self.items)");
    assert_eq!(m[0]["rule"], "calls-in-methods");
}

#[test]
fn an_edit_is_searched_at_once() {
    let d = shop();
    let o = weft(d.path(), &["grep", "$X.unwrap()", "--lang", "rust"]);
    assert_eq!(o.status.code(), Some(1), "no match yet: {}", stdout(&o));
    write(
        d.path(),
        &[(
            "src/other.rs",
            b"pub fn total() -> u32 {\n    Some(0).unwrap()\n}\n",
        )],
    );
    let o = weft(
        d.path(),
        &["grep", "$X.unwrap()", "--lang", "rust", "--json"],
    );
    let m = json_lines(&o);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0]["captures"]["X"]["text"], "Some(0)");
}

#[test]
fn limit_keeps_the_first_matches_in_path_order_and_counts_the_rest() {
    let d = shop();
    let all = json_lines(&weft(
        d.path(),
        &["grep", "$F($$$)", "--lang", "rust", "--json"],
    ));
    assert!(all.len() > 3, "{all:?}");
    let key = |m: &Value| {
        (
            m["file"].as_str().unwrap().to_string(),
            m["bytes"]["start"].as_u64(),
        )
    };
    let keys: Vec<_> = all.iter().map(key).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "matches come in path order");
    let two = json_lines(&weft(
        d.path(),
        &[
            "grep", "$F($$$)", "--lang", "rust", "--json", "--limit", "2",
        ],
    ));
    assert_eq!(two.iter().map(key).collect::<Vec<_>>(), keys[..2]);
    let o = weft(
        d.path(),
        &["grep", "$F($$$)", "--lang", "rust", "--limit", "2"],
    );
    let text = stdout(&o);
    assert!(
        text.contains(&format!("{} matches in", all.len()))
            && text.contains(&format!("{} more not shown: raise --limit", all.len() - 2)),
        "{text}"
    );
}

#[test]
fn context_lines_are_written_like_ripgreps() {
    let d = shop();
    let o = weft(d.path(), &["grep", "xs.iter()", "--context", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with("src/price.rs-1-pub fn total(xs: &[u32]) -> u32 {\nsrc/price.rs:2:5:    xs.iter().sum()  (in function shop::price::total)\nsrc/price.rs-3-}\n"),
        "{text}"
    );
}

#[test]
fn bad_patterns_rules_and_targets_are_clear_errors() {
    let d = shop();
    let bad = |args: &[&str], says: &str| {
        let o = weft(d.path(), args);
        assert!(!o.status.success(), "{args:?} succeeded");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    };
    bad(
        &["grep", "fn (", "--lang", "rust"],
        "the pattern `fn (` is not code of rust",
    );
    bad(&["grep"], "give a pattern");
    bad(
        &["grep", "x", "--lang", "cobol"],
        "unknown language `cobol`",
    );
    bad(
        &["grep", "--rule", "nope.yml"],
        "cannot read rule `nope.yml`",
    );
    std::fs::write(
        d.path().join("r.yml"),
        "id: x\nlanguage: rust\nrule:\n  patern: a\n",
    )
    .unwrap();
    bad(&["grep", "--rule", "r.yml"], "patern");
    bad(&["grep", "x", "--rule", "r.yml"], "not both");
    bad(
        &["grep", "$F()", "--calls", "nope"],
        "no symbol or file matches `nope`",
    );
}

/// Snippets of every language, searched by weft and by ast-grep's CLI.
const SOURCES: &[(&str, &str)] = &[
    (
        "r/a.rs",
        "fn f(o: Option<u8>) -> u8 {\n    let v = o.unwrap();\n    let w = Box::pin(async move { v });\n    unsafe { g(v) }\n}\n",
    ),
    (
        "r/b.rs",
        "impl A for B {\n    fn h(&self) { self.x.unwrap(); println!(\"\\nunwrap\"); }\n}\n",
    ),
    (
        "p/a.py",
        "def f(x):\n    if isinstance(x, str):\n        print(x, 1)\n    return [y for y in x]\n",
    ),
    (
        "t/a.ts",
        "export function f(x: number) {\n  console.log(x, 1);\n  return x as unknown;\n}\n",
    ),
    (
        "t/b.tsx",
        "export const A = () => { const [a] = useState(0); return <div>{a}</div>; };\n",
    ),
    ("j/a.js", "const fs = require('fs');\nconsole.log(fs);\n"),
    (
        "g/a.go",
        "package p\n\nfunc f() error {\n\tfmt.Println(\"x\")\n\treturn errors.New(\"y\")\n}\n",
    ),
    (
        "J/A.java",
        "class A {\n  void f() { System.out.println(1); if (x == null) { return; } }\n}\n",
    ),
    (
        "c/a.c",
        "#include <stdlib.h>\nvoid f(void) { char *p = malloc(10); free(p); }\n",
    ),
    (
        "c/b.cpp",
        "void f() { auto y = std::move(x); if (y) { g(y); } }\n",
    ),
    (
        "s/A.cs",
        "class A {\n  void F() { Console.WriteLine(1); var x = new List<int>(); }\n}\n",
    ),
    (
        "b/a.rb",
        "def f\n  puts 1\n  [1].each { |x| puts x }\nend\n",
    ),
    (
        "h/a.php",
        "<?php\nfunction f($x) { return strlen($x) + count($x); }\n",
    ),
    (
        "k/A.kt",
        "fun f() {\n    println(1)\n    val x = listOf(1, 2)\n}\n",
    ),
    (
        "w/a.swift",
        "func f() {\n    print(1)\n    let x = [1, 2].map { $0 + 1 }\n}\n",
    ),
];

/// (ast-grep's language name, pattern)
const PATTERNS: &[(&str, &str)] = &[
    ("rust", "$X.unwrap()"),
    ("rust", "Box::pin($F)"),
    ("rust", "unsafe { $$$ }"),
    ("rust", "impl $T for $U { $$$ }"),
    ("rust", "\"\\nunwrap\""),
    ("python", "isinstance($A, str)"),
    ("python", "print($$$)"),
    ("python", "[$E for $V in $I]"),
    ("typescript", "console.log($$$ARGS)"),
    ("typescript", "$X as unknown"),
    ("tsx", "useState($V)"),
    ("javascript", "require($M)"),
    ("go", "return errors.New($M)"),
    ("go", "func $F() error { $$$ }"),
    ("go", "$F(\"x\")"),
    ("java", "System.out.println($X)"),
    ("java", "if ($C) { $$$ }"),
    ("c", "$F(10)"),
    ("c", "free($P);"),
    ("cpp", "auto $Y = std::move($X);"),
    ("csharp", "Console.WriteLine($X)"),
    ("csharp", "new List<$T>()"),
    ("ruby", "puts $X"),
    ("php", "strlen($S)"),
    ("php", "count($S)"),
    ("kotlin", "println($X)"),
    ("kotlin", "listOf($$$)"),
    ("swift", "print($X)"),
];

fn ast_grep() -> std::path::PathBuf {
    common::venv(
        Path::new(env!("CARGO_TARGET_TMPDIR")),
        "ast-grep-cli==0.51.1",
    )
    .join("bin/ast-grep")
}

type Match = (String, u64, u64);

/// (file, start, end) of each JSON line, the offsets at pointer `start`
/// and its `end` twin.
fn matches_of(lines: &str, start: &str) -> BTreeSet<Match> {
    lines
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let f = v["file"]
                .as_str()
                .unwrap()
                .trim_start_matches("./")
                .to_string();
            let at = |p: &str| v.pointer(p).and_then(Value::as_u64).unwrap();
            (f, at(start), at(&start.replace("start", "end")))
        })
        .collect()
}

#[test]
fn matches_are_ast_greps_in_every_language() {
    let d = tempfile::tempdir().unwrap();
    for (p, t) in SOURCES {
        write(d.path(), &[(p, t.as_bytes())]);
    }
    let o = weft(d.path(), &["index", "."]);
    assert!(o.status.success(), "{}", stderr(&o));
    let sg = ast_grep();
    let mut differ: Vec<String> = Vec::new();
    for (lang, pattern) in PATTERNS {
        let theirs = Command::new(&sg)
            .args(["run", "-p", pattern, "-l", lang, "--json=stream", "."])
            .current_dir(d.path())
            .output()
            .unwrap();
        // (ast-grep exits 1 when nothing matched)
        assert!(
            theirs.status.code().is_some_and(|c| c <= 1),
            "ast-grep {pattern}: {}",
            stderr(&theirs)
        );
        let theirs = matches_of(&stdout(&theirs), "/range/byteOffset/start");
        let weft_lang = if *lang == "tsx" { "typescript" } else { lang };
        let ours = weft(d.path(), &["grep", pattern, "--lang", weft_lang, "--json"]);
        let ours = if ours.status.code() == Some(1) && stdout(&ours).is_empty() {
            BTreeSet::new()
        } else {
            assert!(ours.status.success(), "weft {pattern}: {}", stderr(&ours));
            matches_of(&stdout(&ours), "/bytes/start")
        };
        // tsx and typescript are one language to weft, two to ast-grep
        let ours: BTreeSet<Match> = ours
            .into_iter()
            .filter(|m| *lang != "tsx" || m.0.ends_with(".tsx"))
            .filter(|m| *lang != "typescript" || !m.0.ends_with(".tsx"))
            .collect();
        if theirs.is_empty() {
            differ.push(format!("{lang} {pattern}: ast-grep found nothing"));
        } else if ours != theirs {
            differ.push(format!(
                "{lang} {pattern}: weft {ours:?}, ast-grep {theirs:?}"
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
