//! Go-to-definition on the hand-checked fixtures (`tests/handchecked/<lang>/`):
//! the languages no compiler-grade oracle runs for on this machine (C#,
//! Ruby, PHP, Kotlin, Swift). Each fixture is a small multi-file project
//! written for these tests, with the expected definition of every
//! annotated reference beside it (`annotations.rs` says how). A fixture is
//! not an oracle: its cases are what its author checked by hand.
//!
//! Scored like `score.py` scores an oracle: precision over the annotated
//! references weft binds to a definition, recall over those whose
//! definition is in the tree.

use std::path::Path;

use weft_db::Pos;
use weft_queries::symbols::{definition_at, symbol_record};
use weft_queries::{AnalysisHost, Change};

#[path = "handchecked/annotations.rs"]
mod annotations;

/// What every fixture must reach: the precision target; recall
/// as measured when the fixture landed, less a little.
const MIN_PRECISION: f64 = 0.97;
const MIN_RECALL: f64 = 0.85;
const MIN_CASES: usize = 40;

fn files_under(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("fixture directory") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("under")
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read_to_string(&p).expect("utf-8 fixture")));
            }
        }
    }
    out.sort();
    out
}

struct Score {
    cases: usize,
    precision: f64,
    recall: f64,
    wrong: Vec<String>,
}

fn score(lang: &str) -> Score {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/handchecked")
        .join(lang);
    let files = files_under(&dir);
    let cases = annotations::cases(&files).unwrap_or_else(|e| panic!("{lang}: {e}"));
    weft_queries::languages::all().choose_shared(files.iter().map(|(p, _)| p.as_str()));
    let mut host = AnalysisHost::new();
    let mut change = Change::default();
    for (path, text) in &files {
        if weft_queries::is_manifest(path) {
            change.set_manifest(path.as_str(), text.as_str());
        } else {
            change.set_file(path.as_str(), text.as_str());
        }
    }
    host.apply_change(change);
    let db = host.raw_database();
    let (mut tp, mut fp, mut in_tree) = (0usize, 0usize, 0usize);
    let mut wrong = Vec::new();
    for c in &cases {
        let file = host
            .file(&c.file)
            .unwrap_or_else(|| panic!("{} is not a source file", c.file));
        let got = definition_at(
            db,
            file,
            Pos {
                line: c.line,
                col: c.col,
            },
        )
        .and_then(|(r, _)| r.def())
        .map(|loc| {
            let s = symbol_record(db, loc);
            (s.file.to_string(), s.span.start.line)
        });
        in_tree += usize::from(!c.def.is_empty());
        let place = format!("{}:{}:{} {}", c.file, c.line + 1, c.col + 1, c.name);
        let want = c
            .def
            .iter()
            .map(|(f, l)| format!("{f}:{}", l + 1))
            .collect::<Vec<_>>()
            .join(" or ");
        match &got {
            Some(g) if c.def.contains(g) => tp += 1,
            Some(g) => {
                fp += 1;
                let want = if want.is_empty() {
                    "outside the tree"
                } else {
                    &want
                };
                wrong.push(format!("{place}: got {}:{}, want {want}", g.0, g.1 + 1));
            }
            None if !want.is_empty() => wrong.push(format!("{place}: missed {want}")),
            None => {}
        }
    }
    Score {
        cases: cases.len(),
        precision: if tp + fp == 0 {
            0.0
        } else {
            tp as f64 / (tp + fp) as f64
        },
        recall: if in_tree == 0 {
            0.0
        } else {
            tp as f64 / in_tree as f64
        },
        wrong,
    }
}

fn check(lang: &str) {
    let s = score(lang);
    eprintln!(
        "{lang}: {} cases, precision {:.3}, recall {:.3}\n  {}",
        s.cases,
        s.precision,
        s.recall,
        s.wrong.join("\n  ")
    );
    assert!(s.cases >= MIN_CASES, "{lang}: only {} cases", s.cases);
    assert!(
        s.precision >= MIN_PRECISION && s.recall >= MIN_RECALL,
        "{lang}: precision {:.3}, recall {:.3}; wrong or missed:\n  {}",
        s.precision,
        s.recall,
        s.wrong.join("\n  ")
    );
}

#[test]
fn csharp() {
    check("csharp");
}

#[test]
fn ruby() {
    check("ruby");
}

#[test]
fn php() {
    check("php");
}

#[test]
fn kotlin() {
    check("kotlin");
}

#[test]
fn swift() {
    check("swift");
}
