//! Dense and hybrid `weft search` end to end: `weft index --embed` embeds
//! what is there, later `weft index` runs embed only what changed and
//! drop what is gone, and `weft search` finds by meaning what shares no
//! word with the query. Once with the embedded engine (.weft/vectors),
//! once through `--qdrant` against the in-process gRPC double.
//!
//! Built only with `--features grpc-double` (rustc ≥ 1.96), and needs the
//! model in WEFT_MINILM_DIR: `cargo xtask dense test` does both.
#![cfg(feature = "grpc-double")]

mod common;

use std::path::Path;

use common::{stderr, stdout, weft, write};

const TREE: &[(&str, &[u8])] = &[
    ("Cargo.toml", b"[package]\nname = \"kit\"\n"),
    ("src/lib.rs", b"pub mod codec;\npub mod net;\npub mod math;\n"),
    (
        "src/codec.rs",
        b"pub fn inflate_stream(input: &[u8]) -> Vec<u8> {\n    let mut decoder = flate2::read::GzDecoder::new(input);\n    let mut out = Vec::new();\n    decoder.read_to_end(&mut out).unwrap();\n    out\n}\n\npub const LEVEL: u32 = 6;\n",
    ),
    (
        "src/net.rs",
        b"pub fn split_field(line: &str) -> Option<(&str, &str)> {\n    let (name, value) = line.split_once(':')?;\n    Some((name.trim(), value.trim()))\n}\n\npub struct Socket { fd: i32 }\n",
    ),
    (
        "src/math.rs",
        b"pub fn transpose(m: &Matrix) -> Matrix {\n    let mut t = Matrix::zeros(m.cols, m.rows);\n    t\n}\n\npub struct Matrix { rows: usize, cols: usize, data: Vec<f64> }\n",
    ),
];

fn model() -> String {
    std::env::var("WEFT_MINILM_DIR").expect(
        "WEFT_MINILM_DIR must name the all-MiniLM-L6-v2 folder: `cargo xtask dense test` fetches it and sets it",
    )
}

/// (embedded, unchanged, removed) from `weft index`'s report.
fn vectors_line(err: &str) -> (usize, usize, usize) {
    let line = err
        .lines()
        .find(|l| l.starts_with("vectors: "))
        .unwrap_or_else(|| panic!("no vectors line in:\n{err}"));
    let n: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(3)
        .map(|s| s.parse().unwrap())
        .collect();
    (n[0], n[1], n[2])
}

fn top(dir: &Path, query: &str) -> Vec<String> {
    let o = weft(dir, &["search", "--json", query]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["symbol"]["name"].as_str().unwrap().to_string()
        })
        .collect()
}

fn lifecycle(extra: &[&str]) -> Vec<Vec<String>> {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), TREE);
    let model = model();

    // lexical alone finds nothing: no word of the query is in the code
    assert!(weft(d.path(), &["index"]).status.success());
    let query = "decompress gzip bytes";
    let o = weft(d.path(), &["search", query]);
    assert!(!o.status.success(), "{}", stdout(&o));

    let mut args = vec!["index", "--embed", "minilm", "--model", &model];
    args.extend_from_slice(extra);
    let o = weft(d.path(), &args);
    assert!(o.status.success(), "{}", stderr(&o));
    // functions, types and modules; not the constant or the fields
    let (embedded, kept, removed) = vectors_line(&stderr(&o));
    assert_eq!((kept, removed), (0, 0));
    assert!((6..=12).contains(&embedded), "{embedded}: {}", stderr(&o));
    assert!(d.path().join(".weft/dense.json").is_file());

    let mut answers = Vec::new();
    let hits = top(d.path(), query);
    assert_eq!(
        hits.first().map(String::as_str),
        Some("inflate_stream"),
        "{hits:?}"
    );
    answers.push(hits);
    let hits = top(d.path(), "split a header line into name and value");
    assert_eq!(
        hits.first().map(String::as_str),
        Some("split_field"),
        "{hits:?}"
    );
    answers.push(hits);
    // filters hold for the vectors too
    let o = weft(d.path(), &["search", "--json", "--kind", "struct", query]);
    assert!(
        stdout(&o)
            .lines()
            .all(|l| l.contains("\"kind\":\"struct\"")),
        "{}",
        stdout(&o)
    );
    let o = weft(
        d.path(),
        &["search", "--json", "--path", "src/math.rs", query],
    );
    assert!(
        stdout(&o).lines().all(|l| l.contains("src/math.rs")),
        "{}",
        stdout(&o)
    );

    // nothing changed: nothing embedded; the config is remembered
    let (embedded2, kept2, _) = vectors_line(&stderr(&weft(d.path(), &["index"])));
    assert_eq!((embedded2, kept2), (0, embedded));

    // a body edit re-embeds that one symbol; a deleted file drops its own
    write(
        d.path(),
        &[(
            "src/codec.rs",
            b"pub fn inflate_stream(input: &[u8]) -> Vec<u8> {\n    let mut decoder = flate2::read::GzDecoder::new(input);\n    let mut out = Vec::with_capacity(input.len() * 4);\n    decoder.read_to_end(&mut out).unwrap();\n    out\n}\n\npub const LEVEL: u32 = 6;\n",
        )],
    );
    std::fs::remove_file(d.path().join("src/math.rs")).unwrap();
    let o = weft(d.path(), &["index"]);
    let (e, k, r) = vectors_line(&stderr(&o));
    assert_eq!((e, r), (1, 2), "{}", stderr(&o));
    assert_eq!(k, embedded - 3);
    let hits = top(d.path(), query);
    assert_eq!(hits.first().map(String::as_str), Some("inflate_stream"));
    assert!(
        !hits.iter().any(|h| h == "transpose" || h == "Matrix"),
        "{hits:?}"
    );
    answers
}

#[test]
fn embedded_engine_end_to_end() {
    lifecycle(&[]);
}

#[test]
fn qdrant_server_end_to_end_against_the_grpc_double_gives_the_same_answers() {
    let state = tempfile::tempdir().unwrap();
    let server = weft_dense::double::serve(state.path().to_path_buf()).unwrap();
    let url = server.url();
    let remote = lifecycle(&["--qdrant", &url, "--collection", "kit"]);
    let embedded = lifecycle(&[]);
    assert_eq!(remote, embedded);
}
