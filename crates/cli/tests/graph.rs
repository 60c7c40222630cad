//! `weft graph` and `weft cycles --format`: pictures of the graph as DOT
//! (checked by Graphviz's own parser), Mermaid (checked by Mermaid's, in
//! tests/ui.rs), SVG and JSON, with golden files for the text forms.
//! `WEFT_BLESS=1` rewrites the golden files.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{stderr, stdout, weft};
use serde_json::Value;

/// The shared small repository plus a call bound by a unique name only
/// (`o.place()` on an untyped parameter: heuristic).
fn indexed() -> tempfile::TempDir {
    let d = common::repo();
    common::write(
        d.path(),
        &[(
            "app/models.py",
            b"class Base:\n    def save(self):\n        pass\n\nclass Order(Base):\n    def place(self):\n        self.save()\n\ndef run(o):\n    o.place()\n",
        )],
    );
    assert!(weft(d.path(), &["index"]).status.success());
    d
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = weft(dir, args);
    assert!(o.status.success(), "weft {args:?}: {}", stderr(&o));
    stdout(&o)
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/graph")
        .join(name);
    if std::env::var_os("WEFT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (WEFT_BLESS=1 writes it)", path.display()));
    assert_eq!(
        actual, expected,
        "{name} differs from its golden file (WEFT_BLESS=1 rewrites it)"
    );
}

/// Graphviz's `dot` draws the text: (success, stdout, stderr).
fn graphviz(text: &str) -> (bool, String, String) {
    let child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child =
        child.expect("this test runs Graphviz's dot: apt-get install graphviz (.ci/run does)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    (o.status.success(), stdout(&o), stderr(&o))
}

#[test]
fn callers_as_dot_match_the_golden_file_and_graphviz_draws_them() {
    let d = indexed();
    let dot = ok(
        d.path(),
        &["graph", "total", "--kind", "callers", "--depth", "3"],
    );
    golden("callers.dot", &dot);
    let (drawn, svg, err) = graphviz(&dot);
    assert!(drawn, "dot refused it: {err}\n{dot}");
    for label in ["total", "sum", "checkout", "src/cart.rs", "calls"] {
        assert!(svg.contains(label), "{label} missing from the SVG");
    }
}

#[test]
fn calls_as_mermaid_match_the_golden_file() {
    let d = indexed();
    golden(
        "run-calls.mmd",
        &ok(d.path(), &["graph", "run", "--format", "mermaid"]),
    );
}

#[test]
fn a_heuristic_edge_is_marked_in_every_format() {
    let d = indexed();
    let dot = ok(d.path(), &["graph", "run"]);
    assert!(
        dot.contains("[label=\"calls (heuristic)\", style=dashed]"),
        "{dot}"
    );
    let mermaid = ok(d.path(), &["graph", "run", "--format", "mermaid"]);
    assert!(mermaid.contains("-.->|\"calls (heuristic)\"|"), "{mermaid}");
    let json: Value =
        serde_json::from_str(&ok(d.path(), &["graph", "run", "--format", "json"])).unwrap();
    let edges = json["edges"].as_array().unwrap();
    let guessed: Vec<bool> = edges
        .iter()
        .map(|e| e["heuristic"].as_bool().unwrap())
        .collect();
    assert_eq!(
        guessed,
        [true, false],
        "run -> place is a guess, place -> save is not: {json}"
    );
}

#[test]
fn each_kind_follows_its_own_edges() {
    let d = indexed();
    let draw = |args: &[&str]| picture(d.path(), args);
    let titles = |v: &Value| -> Vec<String> {
        v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["title"].as_str().unwrap().to_string())
            .collect()
    };
    let calls = draw(&["checkout", "--depth", "3"]);
    assert_eq!(calls["kind"], "calls");
    assert_eq!(
        titles(&calls),
        [
            "shop::cart::checkout",
            "shop::cart::Cart::sum",
            "shop::price::total"
        ]
    );
    let one = draw(&["checkout", "--depth", "1"]);
    assert_eq!(titles(&one).len(), 2, "depth 1 stops at the direct callee");

    let inherits = draw(&["Base", "--kind", "inherits"]);
    assert_eq!(inherits["edges"][0]["kind"], "inherits");
    assert!(titles(&inherits).iter().any(|t| t.ends_with("Order")));

    // a file: its imports and importers by default
    let deps = draw(&["src/price.rs"]);
    assert_eq!(deps["kind"], "deps");
    assert_eq!(titles(&deps), ["src/price.rs", "src/cart.rs"]);
    assert_eq!(deps["edges"][0]["from"], "src/cart.rs");
    assert_eq!(deps["edges"][0]["kind"], "imports");
    assert_eq!(deps["nodes"][0]["cluster"], "src/");

    let impact = draw(&["total", "--kind", "impact"]);
    assert_eq!(impact["edges"][0]["kind"], "uses");
    assert!(titles(&impact).contains(&"shop::cart::Cart::sum".to_string()));
}

#[test]
fn a_cap_counts_what_it_left_out_and_says_so() {
    let d = indexed();
    let json: Value = serde_json::from_str(&ok(
        d.path(),
        &[
            "graph", "total", "--kind", "callers", "--depth", "3", "--limit", "2", "--format",
            "json",
        ],
    ))
    .unwrap();
    assert_eq!(json["nodes"].as_array().unwrap().len(), 2);
    assert_eq!(json["left_out"]["nodes"], 1, "{json}");
    assert_eq!(json["left_out"]["edges"], 1, "{json}");
    let dot = ok(
        d.path(),
        &[
            "graph", "total", "--kind", "callers", "--depth", "3", "--limit", "2",
        ],
    );
    assert!(dot.contains("1 nodes and 1 edges left out"), "{dot}");
    assert!(graphviz(&dot).0);
}

/// `weft graph ARGS --format json`, parsed.
fn picture(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["graph"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    serde_json::from_str(&ok(dir, &all)).unwrap()
}

fn node_ids(picture: &Value) -> Vec<&str> {
    picture["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect()
}

#[test]
fn the_module_map_merges_files_into_folders_until_it_fits() {
    let d = indexed();
    let files = picture(d.path(), &["--modules"]);
    let ids = node_ids(&files);
    assert!(
        ids.contains(&"src/cart.rs") && ids.contains(&"web/a.ts"),
        "{ids:?}"
    );
    assert!(files["note"].is_null());

    let folders = picture(d.path(), &["--modules", "--limit", "3"]);
    assert_eq!(node_ids(&folders), ["app/", "src/", "web/"], "{folders}");
    assert!(
        folders["note"]
            .as_str()
            .unwrap()
            .starts_with("7 files in 3 groups")
    );
    let with_note = ok(d.path(), &["graph", "--modules", "--limit", "3"]);
    assert!(with_note.contains("label=\"7 files in 3 groups"));
    // room for one folder opened: the largest
    let one_open = picture(d.path(), &["--modules", "--limit", "5"]);
    assert_eq!(
        node_ids(&one_open),
        ["app/", "src/cart.rs", "src/lib.rs", "src/price.rs", "web/"],
        "{one_open}"
    );
    assert_eq!(one_open["edges"][0]["from"], "src/cart.rs");
    assert!(graphviz(&with_note).0, "{with_note}");
    // imports inside a folder are not drawn between folders
    assert_eq!(folders["edges"].as_array().unwrap().len(), 0, "{folders}");

    let only_web = picture(d.path(), &["--modules", "--path", "web/"]);
    assert_eq!(only_web["nodes"].as_array().unwrap().len(), 2);
    assert_eq!(only_web["edges"].as_array().unwrap().len(), 2);
    assert!(graphviz(&ok(d.path(), &["graph", "--modules"])).0);
}

#[test]
fn cycles_are_drawn_as_clusters() {
    let d = indexed();
    let dot = ok(d.path(), &["cycles", "--format", "dot"]);
    golden("cycles.dot", &dot);
    let (drawn, svg, err) = graphviz(&dot);
    assert!(drawn, "{err}");
    assert!(svg.contains("cycle 1 (2 members)"));
    let mermaid = ok(d.path(), &["cycles", "--format", "mermaid"]);
    assert!(
        mermaid.contains("subgraph c0[\"cycle 1 (2 members)\"]"),
        "{mermaid}"
    );
    // the list stays the default
    assert!(ok(d.path(), &["cycles"]).starts_with("1 cycles"));
}

#[test]
fn svg_is_laid_out_by_graphviz_or_in_process() {
    let d = indexed();
    let by_dot = ok(d.path(), &["graph", "checkout", "--format", "svg"]);
    assert!(by_dot.contains("Generated by graphviz") && by_dot.contains("checkout"));
    // no `dot` on the PATH: laid out in process
    let o = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(["graph", "checkout", "--format", "svg"])
        .current_dir(d.path())
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let svg = stdout(&o);
    assert!(svg.contains("<svg") && !svg.contains("graphviz"), "{svg}");
    assert!(svg.contains("checkout") && svg.contains("src/cart.rs"));
}

#[test]
fn bad_requests_say_what_is_wrong() {
    let d = indexed();
    let err = |args: &[&str]| {
        let o = weft(d.path(), args);
        assert!(!o.status.success(), "weft {args:?} succeeded");
        stderr(&o)
    };
    assert!(err(&["graph"]).contains("graph needs a TARGET"));
    assert!(err(&["graph", "total", "--modules"]).contains("not a TARGET"));
    assert!(
        err(&["graph", "src/price.rs", "--kind", "callers"])
            .contains("names the file src/price.rs; this command needs a symbol; or draw the file with --kind deps or impact")
    );
    assert!(err(&["graph", "no_such_thing"]).contains("no symbol or file matches `no_such_thing`"));
    assert!(
        err(&["graph", "total", "--format", "png"])
            .contains("possible values: dot, mermaid, svg, json")
    );
    assert!(err(&["graph", "total", "--limit", "0"]).contains("0 is not in 1..=10000"));
    assert!(err(&["cycles", "--format", "svg"]).contains("possible values: text, dot, mermaid"));
}

#[test]
fn the_server_answers_the_same_pictures() {
    let d = indexed();
    let s = common::server::start(d.path(), &[], &[]);
    let (status, body) = common::server::get(&s.addr, "/v1/graph?target=run&format=mermaid");
    assert_eq!(status, 200, "{body}");
    let cli = ok(d.path(), &["graph", "run", "--format", "mermaid"]);
    assert_eq!(body["result"]["text"], cli.as_str());
    assert_eq!(body["result"]["format"], "mermaid");
    assert_eq!(body["result"]["nodes"].as_array().unwrap().len(), 3);
    let (status, text) = common::server::request(
        &s.addr,
        "GET",
        "/v1/graph?target=run",
        &[("Accept", "text/plain")],
    );
    assert_eq!(status, 200);
    assert!(text.starts_with("digraph weft {"), "{text}");
    let (status, body) = common::server::get(&s.addr, "/v1/graph?modules=true&target=run");
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not a TARGET")
    );
}

#[test]
fn edges_between_the_outermost_nodes_are_drawn() {
    let d = indexed();
    common::write(
        d.path(),
        &[
            (
                "src/lib.rs",
                b"pub mod cart;\npub mod price;\npub mod ring;\n",
            ),
            (
                "src/ring.rs",
                b"pub fn x() {}\npub fn a() { x(); b(); }\npub fn b() { x(); }\n",
            ),
        ],
    );
    let json: Value = serde_json::from_str(&ok(
        d.path(),
        &[
            "graph",
            "shop::ring::x",
            "--kind",
            "callers",
            "--depth",
            "1",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let title = |id: &Value| -> String {
        json["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == *id)
            .map(|n| n["title"].as_str().unwrap().to_string())
            .unwrap()
    };
    let edges: Vec<(String, String)> = json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (title(&e["from"]), title(&e["to"])))
        .collect();
    assert!(
        edges.contains(&("shop::ring::a".into(), "shop::ring::b".into())),
        "a calls b, both one step from x: {edges:?}"
    );
    assert_eq!(edges.len(), 3, "{edges:?}");
}
