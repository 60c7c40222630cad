//! The `weft` binary end to end, on small repositories written to a temp dir.

mod common;

use common::*;

use serde_json::{Value, json};

#[test]
fn index_reports_languages_symbols_and_edges() {
    let d = repo();
    let o = weft(d.path(), &["index", "."]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("rust") && out.contains("python") && out.contains("typescript"),
        "{out}"
    );
    let o = weft(d.path(), &["index", ".", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["stats"]["files"]["rust"], 3);
    assert_eq!(v["stats"]["files"]["python"], 2);
    assert!(v["stats"]["symbols"].as_u64().unwrap() >= 10);
    assert!(v["stats"]["resolution"]["scoped"].as_u64().unwrap() > 0);
}

#[test]
fn def_takes_one_based_positions_and_answers_zero_based_json() {
    let d = repo();
    // `total(` in src/cart.rs line 8, column 9
    let o = weft(d.path(), &["def", "src/cart.rs:8:9", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["resolution"], "scoped");
    assert_eq!(v["definition"]["file"], "src/price.rs");
    assert_eq!(v["definition"]["span"]["start"]["line"], 0);
    assert_eq!(v["definition"]["qualified_name"], "shop::price::total");
}

#[test]
fn def_and_refs_answer_for_parameters_and_locals() {
    let d = repo();
    // `xs` in `xs.iter().sum()`, src/price.rs line 2, column 5
    let o = weft(d.path(), &["def", "src/price.rs:2:5", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["resolution"], "scoped", "{v}");
    assert_eq!(v["local"]["kind"], "parameter", "{v}");
    assert_eq!(v["local"]["span"]["start"], json!({"line": 0, "col": 13}));
    assert_eq!(
        v["local"]["function"]["qualified_name"],
        "shop::price::total"
    );
    let o = weft(d.path(), &["def", "src/price.rs:2:5"]);
    assert_eq!(
        stdout(&o).trim(),
        "src/price.rs:1:14  parameter xs of shop::price::total  [scoped]"
    );
    // from the binding: its uses
    let o = weft(d.path(), &["refs", "src/price.rs:1:14", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v.get("target").is_none(), "{v}");
    assert_eq!(v["local"]["name"], "xs");
    let uses: Vec<&Value> = v["references"].as_array().unwrap().iter().collect();
    assert_eq!(uses.len(), 1, "{v}");
    assert_eq!(uses[0]["span"]["start"], json!({"line": 1, "col": 4}));
}

#[test]
fn callers_callees_refs_and_impact() {
    let d = repo();
    let o = weft(d.path(), &["callers", "shop::price::total", "--depth", "2"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.contains("Cart::sum"), "{out}");
    let o = weft(d.path(), &["callees", "crate::cart::Cart::sum"]);
    assert!(stdout(&o).contains("total"), "{}", stdout(&o));
    let o = weft(d.path(), &["refs", "total", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let roles: Vec<&str> = v["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role"].as_str().unwrap())
        .collect();
    assert!(
        roles.contains(&"call") && roles.contains(&"import"),
        "{roles:?}"
    );
    let o = weft(d.path(), &["impact", "src/price.rs", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let files: Vec<&str> = v["impact"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["node"]["file"].as_str())
        .collect();
    assert!(files.contains(&"src/cart.rs"), "{v}");
}

#[test]
fn impls_both_directions_and_cycles_and_path() {
    let d = repo();
    let o = weft(d.path(), &["impls", "app.models.Base"]);
    assert!(stdout(&o).contains("Order"), "{}", stdout(&o));
    let o = weft(d.path(), &["impls", "Order"]);
    assert!(stdout(&o).contains("Base"), "{}", stdout(&o));
    let o = weft(d.path(), &["cycles", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["cycles"][0], serde_json::json!(["web/a.ts", "web/b.ts"]));
    let o = weft(d.path(), &["path", "checkout", "total"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("sum"), "{}", stdout(&o));
}

#[test]
fn outline_symbols_deps_export_stats() {
    let d = repo();
    let o = weft(d.path(), &["outline", "src/cart.rs"]);
    assert!(stdout(&o).contains("struct Cart"), "{}", stdout(&o));
    let o = weft(d.path(), &["symbols", "chk", "--json"]);
    let first: Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(first["name"], "checkout");
    let o = weft(d.path(), &["deps", "src/cart.rs", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["imports"], serde_json::json!(["src/price.rs"]));
    let o = weft(d.path(), &["export"]);
    let mut types = std::collections::BTreeSet::new();
    for line in stdout(&o).lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        types.insert(v["type"].as_str().unwrap().to_string());
    }
    for t in ["symbol", "reference", "call", "inherit", "import"] {
        assert!(types.contains(t), "no {t} record in export: {types:?}");
    }
    assert!(weft(d.path(), &["stats"]).status.success());
}

#[test]
fn clear_errors_and_exit_codes() {
    let d = repo();
    let o = weft(d.path(), &["index", "does/not/exist"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
    let o = weft(d.path(), &["refs", "no_such_symbol_anywhere"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no symbol or file matches"),
        "{}",
        stderr(&o)
    );
    // `save` is defined once, `sum`... make an ambiguous one
    write(d.path(), &[("src/other.rs", b"pub fn total() {}\n")]);
    let o = weft(d.path(), &["callers", "total"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("ambiguous") && stderr(&o).contains("src/other.rs"),
        "{}",
        stderr(&o)
    );
    let o = weft(d.path(), &["def", "src/nope.rs:1:1"]);
    assert_eq!(o.status.code(), Some(1));
    let o = weft(d.path(), &["symbols", "x", "--kind", "bogus"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("unknown kind"), "{}", stderr(&o));
}

/// Durations, thread counts and debounces out of range are usage errors
/// (exit 2, a message naming the flag), never a panic (exit 101).
#[test]
fn absurd_flag_values_are_refused_not_panics() {
    let d = repo();
    for (flag, args) in [
        ("lock-timeout", &["--lock-timeout", "inf", "stats"][..]),
        ("lock-timeout", &["--lock-timeout", "1e300", "stats"]),
        ("lock-timeout", &["--lock-timeout", "NaN", "stats"]),
        ("lock-timeout", &["--lock-timeout=-1", "stats"]),
        ("threads", &["-j", "5000", "stats"]),
        ("threads", &["-j", "0", "stats"]),
        ("deadline", &["serve", "--deadline", "inf"]),
        ("deadline", &["serve", "--deadline", "1e300"]),
        ("deadline", &["serve", "--deadline", "0"]),
        ("debounce-ms", &["serve", "--debounce-ms", "99999999999"]),
    ] {
        let o = weft(d.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("invalid value") && stderr(&o).contains(flag),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    let o = weft(d.path(), &["--lock-timeout", "0.5", "-j", "2", "stats"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn bad_files_are_skipped_with_counted_warnings() {
    let d = repo();
    let mut binary = b"fn main() {}\n".to_vec();
    binary.extend([0u8, 159, 146, 150]);
    write(
        d.path(),
        &[
            ("src/bin.rs", &binary),
            ("src/latin1.rs", b"// caf\xe9\npub fn ok() {}\n"),
            ("src/huge.rs", &vec![b'/'; 3000]),
            ("src/broken.rs", b"pub fn fine() {}\nfn (((\n"),
        ],
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.path(), d.path().join("src/loop")).unwrap();
    let o = weft(
        d.path(),
        &["index", ".", "--json", "--max-file-size", "2000"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["walk"]["skipped_binary"], 1);
    assert_eq!(v["walk"]["skipped_too_large"], 1);
    assert_eq!(v["walk"]["lossy_utf8"], 1);
    assert_eq!(v["stats"]["files_with_syntax_errors"], 1);
    assert!(stderr(&o).contains("warning"), "{}", stderr(&o));
    // partial facts from the broken file and the lossy one
    let o = weft(d.path(), &["symbols", "fine"]);
    assert!(stdout(&o).contains("broken.rs"));
    let o = weft(d.path(), &["symbols", "ok", "--lang", "rust"]);
    assert!(stdout(&o).contains("latin1.rs"));
}

#[test]
fn heuristic_edges_are_labelled_in_walks() {
    let d = repo();
    // `rounding` is called without an import: bound by its unique name only.
    write(
        d.path(),
        &[
            ("src/round.rs", b"pub fn rounding() -> u32 {\n    1\n}\n"),
            (
                "src/lib.rs",
                b"pub mod cart;\npub mod price;\npub mod round;\n",
            ),
            (
                "src/price.rs",
                b"pub fn total(xs: &[u32]) -> u32 {\n    rounding()\n}\n",
            ),
        ],
    );
    let o = weft(d.path(), &["callers", "rounding"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("total") && stdout(&o).contains("[heuristic]"),
        "{}",
        stdout(&o)
    );
    let o = weft(d.path(), &["callers", "total", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["callers"][0]["resolution"], "scoped", "{v}");
    let o = weft(d.path(), &["path", "Cart::sum", "rounding", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["resolution"], "heuristic", "{v}");
}

#[test]
fn targets_by_id_and_by_position() {
    let d = repo();
    let o = weft(d.path(), &["symbols", "total", "--json"]);
    let sym: Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    let id = sym["id"].as_str().unwrap();
    let by_id = weft(d.path(), &["refs", id, "--json"]);
    assert!(by_id.status.success(), "{}", stderr(&by_id));
    // the definition's own position names the same symbol
    let by_pos = weft(d.path(), &["refs", "src/price.rs:1:8", "--json"]);
    let a: Value = serde_json::from_slice(&by_id.stdout).unwrap();
    let b: Value = serde_json::from_slice(&by_pos.stdout).unwrap();
    assert_eq!(a["target"]["id"], b["target"]["id"]);
    assert_eq!(a["references"], b["references"]);
    assert!(!a["references"].as_array().unwrap().is_empty());
}
