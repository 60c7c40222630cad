use weft_db::Lang;
use weft_db::word_filter::WordFilter;

use super::*;

fn lang(name: &str) -> Lang {
    weft_queries::languages::all();
    Lang::parse(name).unwrap()
}

fn texts(s: &Search, path: &str, src: &str) -> Vec<String> {
    s.find(path, src)
        .unwrap()
        .into_iter()
        .map(|f| f.node.text)
        .collect()
}

fn capture<'a>(f: &'a Found, name: &str) -> &'a Capture {
    &f.captures.iter().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn metavariables_capture_one_node_or_a_run() {
    let s = Search::pattern("$F($$$ARGS)", &[lang("rust")]).unwrap();
    let found = s.find("a.rs", "fn f() { g(1, two, 3); h(); }").unwrap();
    assert_eq!(found.len(), 2, "{found:?}");
    let Capture::One(f) = capture(&found[0], "F") else {
        panic!()
    };
    assert_eq!(f.text, "g");
    let Capture::Many(args) = capture(&found[0], "ARGS") else {
        panic!()
    };
    let args: Vec<&str> = args.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(args, ["1", "two", "3"]);
    // `$_` matches anything and captures nothing
    let s = Search::pattern("Some($_)", &[lang("rust")]).unwrap();
    let found = s
        .find("a.rs", "fn f() { Some(1); Some(x.y()); None; }")
        .unwrap();
    assert_eq!(found.len(), 2);
    assert!(found[0].captures.is_empty());
    // a metavariable used twice must capture equal text
    let s = Search::pattern("$A == $A", &[lang("python")]).unwrap();
    assert_eq!(texts(&s, "a.py", "x == x\ny == z\n"), ["x == x"]);
}

#[test]
fn positions_are_weft_positions_and_heads_are_callees() {
    let s = Search::pattern("$R.unwrap()", &[lang("rust")]).unwrap();
    let src = "fn f() {\n    a.b().c().unwrap();\n}\n";
    let found = s.find("a.rs", src).unwrap();
    assert_eq!(found.len(), 1);
    let n = &found[0].node;
    assert_eq!(&src[n.bytes.clone()], "a.b().c().unwrap()");
    assert_eq!((n.span.start.line, n.span.start.col), (1, 4));
    // the callee of the outer call is `unwrap`; of the receiver, `c`
    let head = n.head.unwrap();
    assert_eq!((head.start.line, head.start.col), (1, 14));
    let Capture::One(r) = capture(&found[0], "R") else {
        panic!()
    };
    assert_eq!(r.text, "a.b().c()");
    assert_eq!(r.head.unwrap().start.col, 10);
    // arguments and closures are not the callee
    let s = Search::pattern("foo($$$)", &[lang("rust")]).unwrap();
    let found = s
        .find("a.rs", "fn f() { foo(bar(x), |y| baz(y)); }")
        .unwrap();
    assert_eq!(found[0].node.head.unwrap().start.col, 9);
}

/// One pattern per language, matched in a snippet of it. (A call on its
/// own does not parse as an expression in Go, C or C++, so ast-grep's
/// patterns there start from what does: the same quirks here.)
#[test]
fn every_language_is_searched_with_its_own_grammar() {
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        (
            "rust",
            "a.rs",
            "$X.unwrap()",
            "fn f() { let v = opt.unwrap(); }",
            "opt.unwrap()",
        ),
        (
            "python",
            "a.py",
            "isinstance($A, str)",
            "if isinstance(v, str):\n    pass\n",
            "isinstance(v, str)",
        ),
        (
            "typescript",
            "a.ts",
            "console.log($$$)",
            "function f(x: number) { console.log(x, 1); }",
            "console.log(x, 1)",
        ),
        (
            "typescript",
            "a.tsx",
            "useState($V)",
            "const A = () => { const [a, b] = useState(0); return <div/>; };",
            "useState(0)",
        ),
        (
            "javascript",
            "a.js",
            "require($M)",
            "const fs = require('fs');",
            "require('fs')",
        ),
        (
            "go",
            "a.go",
            "$F(\"x\")",
            "package p\nfunc f() { fmt.Println(\"x\") }\n",
            "fmt.Println(\"x\")",
        ),
        (
            "java",
            "A.java",
            "System.out.println($X)",
            "class A { void f() { System.out.println(1); } }",
            "System.out.println(1)",
        ),
        (
            "c",
            "a.c",
            "$F(10)",
            "void f(void) { char *p = malloc(10); }",
            "malloc(10)",
        ),
        (
            "cpp",
            "a.cpp",
            "auto $Y = std::move($X);",
            "void f() { auto y = std::move(x); }",
            "auto y = std::move(x);",
        ),
        (
            "csharp",
            "A.cs",
            "Console.WriteLine($X)",
            "class A { void F() { Console.WriteLine(1); } }",
            "Console.WriteLine(1)",
        ),
        (
            "ruby",
            "a.rb",
            "puts $X",
            "def f\n  puts 1\nend\n",
            "puts 1",
        ),
        (
            "php",
            "a.php",
            "strlen($S)",
            "<?php\nfunction f($x) { return strlen($x); }\n",
            "strlen($x)",
        ),
        (
            "kotlin",
            "A.kt",
            "println($X)",
            "fun f() { println(1) }\n",
            "println(1)",
        ),
        (
            "swift",
            "a.swift",
            "print($X)",
            "func f() { print(1) }\n",
            "print(1)",
        ),
    ];
    for (name, path, pattern, src, want) in cases {
        let s = Search::pattern(pattern, &[lang(name)]).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(texts(&s, path, src), [*want], "{name}: {pattern}");
        // and the words it needs are in the file
        let need = s.need(path).unwrap();
        let words = WordFilter::of(src);
        assert!(need.met_by(&|w| words.may_hold(w)), "{name}: {need}");
    }
}

#[test]
fn a_pattern_needs_the_words_it_compares_and_no_others() {
    let rust = lang("rust");
    let need = |p: &str| Search::pattern(p, &[rust]).unwrap().need("a.rs").unwrap();
    assert_eq!(need("$X.unwrap()"), Need::Word("unwrap".into()));
    assert_eq!(
        need("Box::pin($F)"),
        Need::All(vec![Need::Word("box".into()), Need::Word("pin".into())])
    );
    assert_eq!(need("$A + $B"), Need::Nothing);
    // keywords are matched by kind, and a keyword's kind is its text ...
    assert_eq!(
        need("async move { $$$ }"),
        Need::All(vec![Need::Word("async".into()), Need::Word("move".into())])
    );
    // ... but unnamed leaves right after `$$$` may be skipped: `,` and `)`
    // here, and no keyword
    assert_eq!(need("foo($$$)"), Need::Word("foo".into()));
    assert_eq!(need("unsafe { $$$ }"), Need::Word("unsafe".into()));
    // text inside strings can run into an escape: `"\nfoo"` holds `nfoo`
    let s = Search::pattern("f(\"\\nfoo\")", &[rust]).unwrap();
    assert_eq!(s.need("a.rs"), Some(Need::Word("f".into())));
    assert_eq!(
        s.find("a.rs", "fn g() { f(\"\\nfoo\"); }").unwrap().len(),
        1
    );
    // a file no language of the search parses needs nothing: it is not searched
    assert_eq!(Search::pattern("x", &[rust]).unwrap().need("a.py"), None);
}

#[test]
fn yaml_rules_combine_patterns_relations_and_constraints() {
    let yaml = r#"
id: unwrap-in-loop
language: rust
rule:
  pattern: $X.unwrap()
  inside:
    kind: for_expression
    stopBy: end
  not:
    has:
      pattern: safe
      stopBy: end
constraints:
  X:
    regex: ^[a-z]+$
---
id: print-or-log
language: python
rule:
  any:
    - pattern: print($$$)
    - pattern: log.info($$$)
"#;
    let s = Search::rules(yaml).unwrap();
    let src =
        "fn f() {\n  for i in v { a.unwrap(); B.unwrap(); safe.unwrap(); }\n  c.unwrap();\n}\n";
    let found = s.find("a.rs", src).unwrap();
    let got: Vec<&str> = found.iter().map(|f| f.node.text.as_str()).collect();
    assert_eq!(got, ["a.unwrap()"]);
    assert_eq!(found[0].rule.as_deref(), Some("unwrap-in-loop"));
    assert_eq!(s.need("a.rs"), Some(Need::Word("unwrap".into())));
    assert_eq!(
        s.need("a.py"),
        Some(Need::OneOf(vec![
            Need::Word("print".into()),
            Need::All(vec![Need::Word("log".into()), Need::Word("info".into())])
        ]))
    );
    assert_eq!(
        texts(&s, "a.py", "print(1)\nlog.info(2)\nlog.warn(3)\n"),
        ["print(1)", "log.info(2)"]
    );
    assert_eq!(s.langs().len(), 2);
}

#[test]
fn a_rules_files_and_ignores_globs_choose_its_files_as_in_ast_grep() {
    let yaml = "id: in-src\nlanguage: rust\nfiles: [\"src/**\"]\nignores: [\"src/gen/**\"]\nrule:\n  pattern: $X.unwrap()\n";
    let s = Search::rules(yaml).unwrap();
    let src = "fn f() { x.unwrap(); }";
    assert_eq!(s.need("src/a.rs"), Some(Need::Word("unwrap".into())));
    assert_eq!(s.find("src/a.rs", src).unwrap().len(), 1);
    for elsewhere in ["tests/a.rs", "src/gen/a.rs"] {
        assert_eq!(s.need(elsewhere), None, "{elsewhere}");
        assert!(s.find(elsewhere, src).unwrap().is_empty(), "{elsewhere}");
    }
}

#[test]
fn bad_patterns_and_rules_say_what_is_wrong() {
    let e = Search::pattern("fn (", &[lang("rust")]).err().unwrap();
    assert!(
        matches!(&e, GrepError::BadPattern { langs, .. } if langs == &["rust"]),
        "{e}"
    );
    assert!(e.to_string().contains("`fn (` is not code of rust"), "{e}");
    // several languages: those it parses in are searched
    let s = Search::pattern("$X.unwrap()", &[lang("rust"), lang("python")]).unwrap();
    assert_eq!(s.langs().len(), 2);
    let e = Search::rules("id: x\nlanguage: cobol\nrule:\n  pattern: a\n")
        .err()
        .unwrap();
    assert!(e.to_string().contains("unknown language `cobol`"), "{e}");
    let e = Search::rules("id: x\nlanguage: rust\nrule:\n  patern: a\n")
        .err()
        .unwrap();
    assert!(e.to_string().contains("patern"), "{e}");
    let e = Search::rules("id: x\nlanguage: rust\n").err().unwrap();
    assert!(matches!(e, GrepError::BadRule(_)), "{e}");
    assert!(Search::rules("").is_err());
}

/// The promise the index relies on: whatever matches in a text, the
/// text's words meet the search's need.
#[test]
fn a_file_that_matches_always_meets_the_need() {
    let rust = lang("rust");
    let srcs = [
        "fn f() { let s = \"\\nunwrap\"; x.unwrap(); r#type.unwrap() }",
        "fn g() -> Result<(), E> { Box::pin(async move { 1u32.unwrap() }) }",
        "macro_rules! m { () => { Box::pin(x) } }\nfn h() { m!(); self.v.unwrap_or(3); }",
        "impl A for B { fn f() { unsafe { g(async move { 1 }) } } }",
    ];
    let patterns = [
        "$X.unwrap()",
        "Box::pin($F)",
        "r#type",
        "\"\\nunwrap\"",
        "1u32",
        "$A.unwrap_or($B)",
        "self.$F",
        "unsafe { $$$ }",
        "async move { $$$ }",
        "impl $T for $U { $$$ }",
    ];
    let mut matched = 0;
    for p in patterns {
        let s = Search::pattern(p, &[rust]).unwrap();
        let need = s.need("a.rs").unwrap();
        for src in srcs {
            let words = WordFilter::of(src);
            if !s.find("a.rs", src).unwrap().is_empty() {
                matched += 1;
                assert!(need.met_by(&|w| words.may_hold(w)), "{p} in {src}: {need}");
            }
        }
    }
    assert!(matched >= 9, "only {matched} pattern/text pairs matched");
}
