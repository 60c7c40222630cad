//! SCIP both ways: importing a real indexer's output (scip-python 0.6.6,
//! committed under tests/fixtures/scip-python with the sources it indexed),
//! exporting weft's graph and reading it back with the `scip` crate, and
//! the round trip export -> import into a fresh index.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{repo, stderr, stdout, weft, write};
use protobuf::Message;
use serde_json::Value;

fn fixture() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scip-python");
    for f in [
        "pkg/__init__.py",
        "pkg/shapes.py",
        "pkg/use.py",
        "index.scip",
    ] {
        write(d.path(), &[(f, &std::fs::read(src.join(f)).unwrap())]);
    }
    d
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let o = weft(dir, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_str(stdout(&o).trim()).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)))
}

/// (resolution, definition file:line) of `weft def` at a 1-based position.
fn def(dir: &Path, at: &str) -> (String, String) {
    // Exits 1 when the name is unresolved; the JSON says so.
    let o = weft(dir, &["def", at, "--json"]);
    let v: Value = serde_json::from_str(stdout(&o).trim())
        .unwrap_or_else(|e| panic!("{at}: {e}: {}", stderr(&o)));
    let place = match &v["definition"] {
        Value::Null => v["module"].as_str().unwrap_or("").to_string(),
        d => format!(
            "{}:{}",
            d["file"].as_str().unwrap(),
            d["span"]["start"]["line"]
        ),
    };
    (v["resolution"].as_str().unwrap().to_string(), place)
}

#[test]
fn a_real_scip_python_index_answers_what_weft_cannot_and_edits_fall_back() {
    let d = fixture();
    let dir = d.path();
    assert!(weft(dir, &["index"]).status.success());
    // `make(name).area()`: `make` declares no return type, and two classes
    // define `area`: weft cannot tell.
    let untyped = "pkg/use.py:13:41";
    assert_eq!(def(dir, untyped).0, "unresolved");
    // `items[0].area()`: an element of `list[Circle]`, which weft types itself
    assert_eq!(
        def(dir, "pkg/use.py:9:21"),
        ("scoped".into(), "pkg/shapes.py:1".into())
    );

    let v = json(dir, &["index", "--scip", "index.scip", "--json"]);
    let imported = &v["scip"][0];
    assert_eq!(imported["tool"], "scip-python 0.6.6");
    assert_eq!(imported["files"], 3);
    assert!(imported["matched"].as_u64().unwrap() >= 10, "{imported}");
    assert!(v["stats"]["resolution"]["compiler"].as_u64().unwrap() > 0);

    // Answered by the compiler, and kept by a later process (the snapshot).
    assert_eq!(
        def(dir, untyped),
        ("compiler".into(), "pkg/shapes.py:1".into())
    );
    // After "é" (2 UTF-8 bytes, 1 UTF-16 unit): scip-python counts UTF-16.
    assert_eq!(
        def(dir, "pkg/use.py:13:30"),
        ("compiler".into(), "pkg/shapes.py:10".into())
    );
    assert_eq!(
        def(dir, "pkg/shapes.py:12:12"),
        ("compiler".into(), "pkg/shapes.py:0".into())
    );

    // Editing use.py drops the compiler's answers for use.py only.
    let path = dir.join("pkg/use.py");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("# edited\n");
    std::fs::write(&path, text).unwrap();
    assert_eq!(def(dir, untyped).0, "unresolved");
    assert_eq!(def(dir, "pkg/use.py:13:30").0, "scoped");
    assert_eq!(
        def(dir, "pkg/shapes.py:12:12"),
        ("compiler".into(), "pkg/shapes.py:0".into())
    );
    let check = weft(dir, &["snapshot", "check"]);
    assert!(check.status.success(), "{}", stdout(&check));
}

#[test]
fn a_file_that_is_not_scip_is_refused_and_changes_nothing() {
    let d = fixture();
    let dir = d.path();
    assert!(weft(dir, &["index"]).status.success());
    let before = stdout(&weft(dir, &["export"]));
    write(dir, &[("bogus.scip", b"\xff\xff\xff not protobuf")]);
    let o = weft(dir, &["index", "--scip", "bogus.scip"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("is not a SCIP index"), "{}", stderr(&o));
    let o = weft(dir, &["index", "--scip", "missing.scip"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("missing.scip"), "{}", stderr(&o));
    assert_eq!(stdout(&weft(dir, &["export"])), before);
}

/// The reference rows of `weft export`: position -> (resolution, target).
fn references(dir: &Path) -> BTreeMap<String, (String, String)> {
    let mut out = BTreeMap::new();
    for line in stdout(&weft(dir, &["export"])).lines() {
        let r: Value = serde_json::from_str(line).unwrap();
        if r["type"] != "reference" && r["type"] != "call" {
            continue;
        }
        let at = &r["at"];
        let key = format!(
            "{}:{}:{}",
            at["file"].as_str().unwrap(),
            at["span"]["start"]["line"],
            at["span"]["start"]["col"]
        );
        let t = &r["target"];
        let target = match (&t["symbol"], &t["module"]) {
            (Value::String(s), _) => s.clone(),
            (_, Value::String(m)) => format!("module {m}"),
            _ => format!("name {}", t["name"]),
        };
        out.insert(key, (t["resolution"].as_str().unwrap().to_string(), target));
    }
    out
}

#[test]
fn export_reads_back_with_the_scip_crate_and_round_trips_into_a_fresh_index() {
    let a = repo();
    assert!(weft(a.path(), &["index"]).status.success());
    let out = a.path().join("graph.scip");
    let o = weft(a.path(), &["export", "--scip", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));

    let index = scip::types::Index::parse_from_bytes(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(index.metadata.tool_info.name, "weft");
    let docs: Vec<&str> = index
        .documents
        .iter()
        .map(|d| d.relative_path.as_str())
        .collect();
    assert!(docs.contains(&"src/cart.rs") && docs.contains(&"app/models.py"));
    let cart = index
        .documents
        .iter()
        .find(|d| d.relative_path == "src/cart.rs")
        .unwrap();
    let defined: Vec<&str> = cart
        .occurrences
        .iter()
        .filter(|o| o.symbol_roles & 1 != 0)
        .map(|o| o.symbol.as_str())
        .collect();
    for s in &cart.symbols {
        assert!(
            defined.contains(&s.symbol.as_str()),
            "{} has no definition",
            s.symbol
        );
        scip::symbol::parse_symbol(&s.symbol).unwrap();
    }
    assert!(
        cart.symbols
            .iter()
            .any(|s| s.symbol.ends_with("Cart#sum().")),
        "{:?}",
        cart.symbols.iter().map(|s| &s.symbol).collect::<Vec<_>>()
    );

    // A fresh checkout of the same tree, indexed with the exported SCIP.
    let b = repo();
    std::fs::copy(&out, b.path().join("graph.scip")).unwrap();
    assert!(weft(b.path(), &["index"]).status.success());
    let own = references(b.path());
    let o = weft(b.path(), &["index", "--scip", "graph.scip"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let imported = references(b.path());
    assert_eq!(own.len(), imported.len(), "no reference added or lost");
    let mut compiler = 0;
    for (at, (res, target)) in &own {
        let (res2, target2) = &imported[at];
        assert_eq!(target, target2, "{at}: the same target");
        let expected = match res.as_str() {
            "scoped" if !target.starts_with("module ") => "compiler",
            other => other,
        };
        assert_eq!(res2, expected, "{at}");
        compiler += (res2 == "compiler") as usize;
    }
    assert!(compiler >= 5, "{compiler}");
}

/// An index that refers to a symbol of its own package without defining it
/// (scip-python's `click.core` for src/click/core.py, macro-generated items
/// in rust-analyzer's) knows the target is in the project but not where:
/// the reference is left to weft, not called external.
#[test]
fn a_symbol_of_the_indexed_package_the_index_does_not_define_is_left_to_weft() {
    let d = fixture();
    let dir = d.path();
    let mut index =
        scip::types::Index::parse_from_bytes(&std::fs::read(dir.join("index.scip")).unwrap())
            .unwrap();
    let shapes = index
        .documents
        .iter_mut()
        .find(|doc| doc.relative_path.ends_with("shapes.py"))
        .unwrap();
    let before = shapes.occurrences.len();
    shapes
        .occurrences
        .retain(|o| !(o.symbol.ends_with("/make().") && o.symbol_roles & 1 != 0));
    assert_eq!(
        shapes.occurrences.len(),
        before - 1,
        "make's definition removed"
    );
    std::fs::write(dir.join("partial.scip"), index.write_to_bytes().unwrap()).unwrap();

    let v = json(dir, &["index", "--scip", "partial.scip", "--json"]);
    assert!(v["scip"][0]["undefined"].as_u64().unwrap() >= 1, "{v}");
    // `make(name)` in use.py: weft's own answer, not `external`
    assert_eq!(
        def(dir, "pkg/use.py:13:30"),
        ("scoped".into(), "pkg/shapes.py:10".into())
    );
    // other answers from the same index still count
    assert_eq!(def(dir, "pkg/use.py:9:21").0, "compiler");
}
