//! `weft diff` and `weft conflicts` on a repository built with git, whose
//! branches have known outcomes: direct conflicts, semantic breaks that
//! merge textually clean, and clean merges. `git merge-tree` confirms each
//! branch pair's textual outcome, so the fixture cannot drift from what it
//! claims.

mod common;

use std::path::Path;
use std::process::Command;

use common::git;
use serde_json::Value;

fn write(dir: &Path, path: &str, text: &str) {
    common::write(dir, &[(path, text.as_bytes())]);
}

/// Commit `files` on a new branch `name` made from `from`.
fn branch(dir: &Path, from: &str, name: &str, files: &[(&str, &str)]) {
    git(dir, &["checkout", "-q", "-b", name, from]);
    for (p, t) in files {
        write(dir, p, t);
    }
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", name]);
}

fn weft(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = common::weft(dir, args);
    (
        out.status.success(),
        common::stdout(&out),
        common::stderr(&out),
    )
}

/// The symbol names of a prediction's `via` path.
fn via(p: &Value) -> Vec<&str> {
    p["via"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect()
}

/// Does git's own three-way merge conflict?
fn git_conflicts(dir: &Path, a: &str, b: &str) -> bool {
    let out = Command::new("git")
        .args(["merge-tree", "--write-tree", a, b])
        .current_dir(dir)
        .output()
        .unwrap();
    !out.status.success()
}

const LIB: &str = "pub fn compute(x: u32) -> u32 {
    x + 1
}

pub fn api(x: u32) -> u32 {
    x * 2
}

pub fn low(x: u32) -> u32 {
    x + 3
}

pub fn mid(x: u32) -> u32 {
    low(x) * 2
}

pub fn high(x: u32) -> u32 {
    mid(x) + 1
}

pub fn spacer_one() -> u32 {
    1
}

pub fn spacer_two() -> u32 {
    2
}

pub fn other(x: u32) -> u32 {
    x - 1
}
";

const MAIN: &str = "mod lib;

fn main() {
    println!(\"{}\", lib::api(1));
}
";

const PY: &str = "def helper(x):
    return x + 1


def old_name(x):
    return helper(x) * 2
";

fn fixture() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    git(dir, &["init", "-q", "-b", "main"]);
    write(dir, "src/lib.rs", LIB);
    write(dir, "src/main.rs", MAIN);
    write(dir, "py/util.py", PY);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "base"]);
    // Direct: both change compute's body.
    branch(
        dir,
        "main",
        "direct-a",
        &[(
            "src/lib.rs",
            &LIB.replace("x + 1\n}\n\npub fn api", "x + 10\n}\n\npub fn api"),
        )],
    );
    branch(
        dir,
        "main",
        "direct-b",
        &[(
            "src/lib.rs",
            &LIB.replace("x + 1\n}\n\npub fn api", "x + 20\n}\n\npub fn api"),
        )],
    );
    // Clean: different functions of one file, far enough apart for git.
    branch(
        dir,
        "main",
        "clean-a",
        &[(
            "src/lib.rs",
            &LIB.replace("x + 1\n}\n\npub fn api", "x + 5\n}\n\npub fn api"),
        )],
    );
    branch(
        dir,
        "main",
        "clean-b",
        &[("src/lib.rs", &LIB.replace("x - 1", "x - 7"))],
    );
    // Semantic: A adds a parameter to api (and updates the caller it knows);
    // B adds a new caller in another file. git merges this cleanly.
    let api2 = LIB.replace(
        "pub fn api(x: u32) -> u32 {\n    x * 2",
        "pub fn api(x: u32, scale: u32) -> u32 {\n    x * scale",
    );
    branch(
        dir,
        "main",
        "semantic-a",
        &[
            ("src/lib.rs", &api2),
            (
                "src/main.rs",
                &MAIN.replace("lib::api(1)", "lib::api(1, 2)"),
            ),
        ],
    );
    branch(
        dir,
        "main",
        "semantic-b",
        &[(
            "src/report.rs",
            "use crate::lib::api;\n\npub fn report() -> u32 {\n    api(7)\n}\n",
        )],
    );
    // Python: A removes old_name; B adds a caller of it.
    branch(
        dir,
        "main",
        "py-a",
        &[("py/util.py", "def helper(x):\n    return x + 1\n")],
    );
    branch(
        dir,
        "main",
        "py-b",
        &[(
            "py/app.py",
            "from util import old_name\n\n\ndef run():\n    return old_name(3)\n",
        )],
    );
    // Impact: A changes low's body; B changes high's, which calls mid, which calls low.
    branch(
        dir,
        "main",
        "impact-a",
        &[("src/lib.rs", &LIB.replace("x + 3", "x + 4"))],
    );
    branch(
        dir,
        "main",
        "impact-b",
        &[("src/lib.rs", &LIB.replace("mid(x) + 1", "mid(x) + 100"))],
    );
    git(dir, &["checkout", "-q", "main"]);
    d
}

/// (tier, A's symbol, B's symbol) of every prediction, and the events.
fn predict(dir: &Path, a: &str, b: &str) -> (Vec<(String, String, String)>, Vec<Value>) {
    let (ok, out, err) = weft(dir, &["conflicts", a, b, "--json"]);
    assert!(ok, "{err}");
    let events: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut found = Vec::new();
    for e in &events {
        for p in e["predictions"].as_array().into_iter().flatten() {
            let name = |side: &str| {
                let c = &p[side];
                let v = if c["new"].is_null() {
                    &c["old"]
                } else {
                    &c["new"]
                };
                v["name"].as_str().unwrap().to_string()
            };
            found.push((
                p["tier"].as_str().unwrap().to_string(),
                name("a"),
                name("b"),
            ));
        }
    }
    (found, events)
}

fn t(tier: &str, a: &str, b: &str) -> (String, String, String) {
    (tier.into(), a.into(), b.into())
}

#[test]
fn conflicts_match_known_outcomes() {
    let d = fixture();
    let dir = d.path();

    // The fixture says what git says.
    assert!(git_conflicts(dir, "direct-a", "direct-b"));
    for (a, b) in [
        ("clean-a", "clean-b"),
        ("semantic-a", "semantic-b"),
        ("py-a", "py-b"),
        ("impact-a", "impact-b"),
    ] {
        assert!(
            !git_conflicts(dir, a, b),
            "{a} {b} should merge cleanly in git"
        );
    }

    let (p, events) = predict(dir, "direct-a", "direct-b");
    assert_eq!(p, vec![t("direct", "compute", "compute")]);
    // Streamed in order: start, the three tiers, done.
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["start", "tier", "tier", "tier", "done"]);
    let tiers: Vec<&str> = events[1..4]
        .iter()
        .map(|e| e["tier"].as_str().unwrap())
        .collect();
    assert_eq!(tiers, ["direct", "semantic", "impact"]);
    let direct = &events[1]["predictions"][0];
    assert_eq!(direct["a"]["new"]["path"], "src/lib.rs");
    assert_eq!(direct["a"]["new"]["full_span"]["start"]["line"], 0);

    let (p, _) = predict(dir, "clean-a", "clean-b");
    assert!(p.is_empty(), "two functions of one file: {p:?}");

    let (p, events) = predict(dir, "semantic-a", "semantic-b");
    assert_eq!(p, vec![t("semantic", "api", "report")], "{events:?}");
    let sem = &events[2]["predictions"][0];
    assert_eq!(sem["a"]["change"], "signature");
    assert_eq!(sem["b"]["change"], "added");
    assert_eq!(sem["b"]["new"]["path"], "src/report.rs");
    assert_eq!(via(sem), ["report", "api"]);
    // The other order names the sides the other way round.
    let (p, _) = predict(dir, "semantic-b", "semantic-a");
    assert_eq!(p, vec![t("semantic", "report", "api")]);

    let (p, _) = predict(dir, "py-a", "py-b");
    assert_eq!(p, vec![t("semantic", "old_name", "run")]);

    let (p, events) = predict(dir, "impact-a", "impact-b");
    assert_eq!(p, vec![t("impact", "low", "high")]);
    let imp = &events[3]["predictions"][0];
    assert_eq!(imp["distance"], 2);
    assert_eq!(via(imp), ["high", "mid", "low"]);
    // Depth 1 does not reach it.
    let (ok, out, _) = weft(
        dir,
        &[
            "conflicts",
            "impact-a",
            "impact-b",
            "--depth",
            "1",
            "--json",
        ],
    );
    assert!(ok);
    assert!(!out.contains("\"tier\":\"impact\",\"a\""), "{out}");
}

#[test]
fn diff_reports_symbol_changes_and_ignores_layout() {
    let d = fixture();
    let dir = d.path();
    // Only whitespace, a comment and the order of two functions change.
    let moved = LIB.replace("x - 1", "/* kept */ x - 1 // why").replace(
        "pub fn spacer_one() -> u32 {\n    1\n}\n\npub fn spacer_two() -> u32 {\n    2\n}\n",
        "pub fn spacer_two() -> u32 {\n        2\n}\n\n// one\npub fn spacer_one() -> u32 { 1 }\n",
    );
    assert_ne!(moved, LIB);
    write(dir, "src/lib.rs", &moved);
    let (ok, out, err) = weft(dir, &["diff", "--json"]);
    assert!(ok, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["files"], 1);
    assert_eq!(r["changes"].as_array().unwrap().len(), 0, "{out}");

    // A rename, a signature change, a body change, an addition and a removal.
    let edited = LIB
        .replace("pub fn other(x: u32)", "pub fn renamed_other(x: u32)")
        .replace("pub fn api(x: u32)", "pub fn api(x: u64)")
        .replace("x + 3", "x + 30")
        .replace(
            "pub fn spacer_two() -> u32 {\n    2\n}\n",
            "pub fn added() {}\n",
        );
    write(dir, "src/lib.rs", &edited);
    let (ok, out, err) = weft(dir, &["diff", "--json"]);
    assert!(ok, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    let mut changes: Vec<(String, String)> = r["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let v = if c["new"].is_null() {
                &c["old"]
            } else {
                &c["new"]
            };
            (
                c["change"].as_str().unwrap().to_string(),
                v["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    changes.sort();
    let want = [
        ("added", "added"),
        ("body", "low"),
        ("removed", "spacer_two"),
        ("renamed", "renamed_other"),
        ("signature", "api"),
    ];
    assert_eq!(changes, want.map(|(a, b)| (a.to_string(), b.to_string())));
    // low's body changed: mid (1) and high (2) depend on it.
    let impact: Vec<(String, u64)> = r["impact"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap().to_string(),
                i["distance"].as_u64().unwrap(),
            )
        })
        .collect();
    for want in [("mid", 1), ("high", 2)] {
        assert!(
            impact.contains(&(want.0.to_string(), want.1)),
            "{want:?} in {impact:?}"
        );
    }

    // Between two commits, and text for people.
    let (ok, out, _) = weft(dir, &["diff", "main", "semantic-a"]);
    assert!(ok);
    assert!(out.contains("signature  function api"), "{out}");
    // Bad input gets a clear error.
    let (ok, _, err) = weft(dir, &["diff", "no-such-branch"]);
    assert!(!ok);
    assert!(err.contains("no-such-branch: not a revision"), "{err}");
    let outside = tempfile::tempdir().unwrap();
    let (ok, _, err) = weft(outside.path(), &["diff"]);
    assert!(!ok);
    assert!(err.contains("not inside a git repository"), "{err}");
}

/// POST a JSON body; (status, the names and data of the events or the body).
fn post(addr: &str, path: &str, body: &str) -> (u16, Vec<(String, Value)>, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let status = raw.split(' ').nth(1).unwrap().parse().unwrap();
    let mut events = Vec::new();
    let mut name = String::new();
    for l in raw.lines() {
        if let Some(n) = l.strip_prefix("event: ") {
            name = n.to_string();
        } else if let Some(d) = l.strip_prefix("data: ") {
            events.push((name.clone(), serde_json::from_str(d).unwrap()));
        }
    }
    (status, events, raw)
}

#[test]
fn serve_streams_conflicts_over_sse() {
    let d = fixture();
    let server = common::server::start(d.path(), &[], &["--no-write"]);
    let (status, events, raw) = post(
        &server.addr,
        "/v1/conflicts",
        r#"{"a": "semantic-a", "b": "semantic-b"}"#,
    );
    assert_eq!(status, 200, "{raw}");
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["start", "tier", "tier", "tier", "done"], "{raw}");
    assert_eq!(events[2].1["tier"], "semantic");
    assert_eq!(events[2].1["predictions"][0]["b"]["new"]["name"], "report");
    // The same document as the command line's.
    let (ok, out, _) = weft(
        d.path(),
        &["conflicts", "semantic-a", "semantic-b", "--json"],
    );
    assert!(ok);
    let cli: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("millis");
        v
    };
    assert_eq!(strip(events[2].1.clone()), strip(cli[2].clone()));

    for (body, want) in [
        ("not json", "the body must be JSON"),
        (r#"{"a": "main"}"#, "missing field `b`"),
        (r#"{"a": "main", "b": "nope"}"#, "nope: not a revision"),
        (
            r#"{"a": "main", "b": "py-a", "depth": 1000}"#,
            "over the limit",
        ),
    ] {
        let (status, _, raw) = post(&server.addr, "/v1/conflicts", body);
        assert_eq!(status, 400, "{body}: {raw}");
        assert!(raw.contains(want), "{body}: {raw}");
    }
}
