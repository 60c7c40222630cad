//! The replica contract, natively: `weft serve` (the engine) and the
//! snapshot reader (`weft_db::read` over rusqlite, the code the edge Worker
//! runs over D1) answer the same requests on one snapshot, and their
//! bodies must be equal byte for byte. The queries are the fixed list in
//! fixtures/contract-queries.txt plus a sweep over every symbol, file and
//! (a sample of) reference positions of two trees: the multi-language
//! fixture and a copy of weft's own crates/db.

mod common;

use std::path::Path;

use common::server::{request_bytes, start};
use weft_db::read;
use weft_db::store::{OpenOptions, Store};

/// `a%20b+c` → `a b c`.
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// `/v1/route?k=v&k=v` → (route, params).
fn split(path: &str) -> (String, Vec<(String, String)>) {
    let rest = path.strip_prefix("/v1/").unwrap();
    let (route, query) = rest.split_once('?').unwrap_or((rest, ""));
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    (route.to_string(), params)
}

/// `k=v` with what a URL cannot hold escaped.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~:/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn fixed_queries() -> Vec<String> {
    include_str!("fixtures/contract-queries.txt")
        .lines()
        .filter(|l| l.starts_with("/v1/"))
        .map(str::to_string)
        .collect()
}

/// Requests over every symbol and file of a snapshot, and every `sample`th
/// reference position.
fn sweep(store: &Store, sample: usize) -> Vec<String> {
    let c = store.connection();
    let mut out = Vec::new();
    let mut st = c
        .prepare(
            "SELECT printf('%016x', s.id), f.path, s.line, s.col FROM symbols s
             JOIN files f ON f.id = s.file ORDER BY f.path, s.ord",
        )
        .unwrap();
    let syms: Vec<(String, String, i64, i64)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (id, path, line, col) in &syms {
        for q in [
            format!("refs?target={id}"),
            format!("callers?target={id}&depth=2"),
            format!("callees?target={id}"),
            format!("callees?target={id}&depth=2"),
            format!("impls?target={id}"),
            format!("impact?target={id}&depth=2"),
            format!("def?at={}:{}:{}", enc(path), line + 1, col + 1),
            format!("def?at={}:{}", enc(path), line + 1),
            format!(
                "impact?target={}:{}:{}&depth=1",
                enc(path),
                line + 1,
                col + 2
            ),
        ] {
            out.push(format!("/v1/{q}"));
        }
    }
    let mut st = c.prepare("SELECT path FROM files ORDER BY path").unwrap();
    let files: Vec<String> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for f in &files {
        let f = enc(f);
        out.push(format!("/v1/deps?target={f}"));
        out.push(format!("/v1/impact?target={f}&depth=3"));
        out.push(format!("/v1/outline?file={f}"));
    }
    let mut st = c
        .prepare(
            "SELECT f.path, r.line, r.col FROM refs r JOIN files f ON f.id = r.file
             ORDER BY f.path, r.seq",
        )
        .unwrap();
    let refs: Vec<(String, i64, i64)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (path, line, col) in refs.iter().step_by(sample) {
        out.push(format!("/v1/def?at={}:{}:{}", enc(path), line + 1, col + 1));
        out.push(format!(
            "/v1/callers?target={}:{}:{}",
            enc(path),
            line + 1,
            col + 1
        ));
    }
    for name in syms.iter().map(|s| &s.0).step_by(5) {
        out.push(format!("/v1/symbols?q={}", &name[..3]));
    }
    // word search: by each symbol's name, and by the start of its doc
    // comment with the doc's own words (ranking ties are many here)
    let mut st = c
        .prepare("SELECT name, coalesce(doc, ''), signature FROM symbols ORDER BY file, ord")
        .unwrap();
    let texts: Vec<(String, String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (name, doc, signature) in texts.iter().step_by(sample.min(3)) {
        out.push(format!("/v1/search?q={}", enc(name)));
        let doc: Vec<&str> = doc.split_whitespace().take(8).collect();
        if !doc.is_empty() {
            out.push(format!("/v1/search?q={}&limit=5", enc(&doc.join(" "))));
        }
        out.push(format!("/v1/search?q={}&kind=function", enc(signature)));
    }
    out
}

/// Ask both readers; the mismatches, described.
fn compare(addr: &str, store: &Store, queries: &[String]) -> Vec<String> {
    let mut bad = Vec::new();
    let mut statuses = std::collections::BTreeMap::new();
    for q in queries {
        let (status, _, body) = request_bytes(addr, "GET", q, &[]);
        let (route, params) = split(q);
        let (rstatus, rbody) = match read::now(read::answer(store, &route, &params)) {
            Ok((_, b)) => (200, b),
            Err(e) => (e.status(), e.body()),
        };
        *statuses.entry(status).or_insert(0) += 1;
        // Locals live in the snapshot's facts, not in the tables a replica
        // reads (docs/ARCHITECTURE.md, *Locals and parameters*): where the
        // server names a local, the replica finds no name there (def), the
        // symbol a shorthand field names at the same place (`S { x }`), or
        // takes the position for the function around it (refs).
        let json = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).ok();
        let local = (status == 200)
            .then(|| json(&body))
            .flatten()
            .map(|v| v["result"]["local"].clone())
            .filter(|l| l.is_object());
        if let Some(local) = local {
            *statuses.entry(0).or_insert(0) += 1;
            if rstatus == 400 && String::from_utf8_lossy(&rbody).contains("no name at") {
                continue;
            }
            let replica = json(&rbody).map(|v| v["result"].clone());
            let enclosing = replica.as_ref().map(|r| r["target"].clone());
            if rstatus == 200 && enclosing.is_some_and(|t| t == local["function"]) {
                continue;
            }
            let field = replica.filter(|r| r["definition"]["kind"] == "field");
            if rstatus == 200 && field.is_some_and(|r| r["name"] == local["name"]) {
                continue;
            }
        }
        if status != rstatus || body != rbody {
            bad.push(format!(
                "{q}\n  serve   {status} {}\n  replica {rstatus} {}",
                String::from_utf8_lossy(&body),
                String::from_utf8_lossy(&rbody)
            ));
        }
    }
    eprintln!("statuses: {statuses:?}");
    // most answers must be answers, not errors both sides agree on
    assert!(
        statuses.get(&200).copied().unwrap_or(0) * 10 >= queries.len() * 7,
        "{statuses:?}"
    );
    bad
}

fn copy_tree(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            if e.file_name() == "target" || e.file_name() == ".weft" {
                continue;
            }
            std::fs::create_dir_all(&dest).unwrap();
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn contract(tree: &Path, fixed: bool, sample: usize) {
    let d = tempfile::tempdir().unwrap();
    copy_tree(tree, d.path());
    let s = start(d.path(), &[], &[]);
    let (store, _) = Store::open(&d.path().join(".weft/graph.db"), &OpenOptions::reader()).unwrap();
    let mut queries = if fixed { fixed_queries() } else { vec![] };
    queries.extend(sweep(&store, sample));
    let bad = compare(&s.addr, &store, &queries);
    assert!(
        bad.is_empty(),
        "{} of {} answers differ:\n{}",
        bad.len(),
        queries.len(),
        bad.iter().take(8).cloned().collect::<Vec<_>>().join("\n")
    );
    eprintln!("{} answers equal", queries.len());
}

#[test]
fn the_replica_reader_answers_the_fixture_like_the_server() {
    assert!(fixed_queries().len() >= 50);
    contract(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/contract"),
        true,
        1,
    );
}

#[test]
fn the_replica_reader_answers_real_code_like_the_server() {
    contract(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../db"),
        false,
        7,
    );
}
