//! The explorer at `/ui/` in a real browser: Debian's Chromium, driven by
//! Playwright (tests/ui/explore.cjs), loads every view of a fixture
//! repository, reads what it rendered and saves screenshots under the
//! test's target directory (`ui-screenshots/`); a file edited on disk while
//! a page is open shows up on it. Mermaid's own parser and renderer check
//! `weft graph --format mermaid`. Playwright and Mermaid come from the npm
//! registry (tests/ui/package-lock.json), installed once under the target
//! directory; Chromium from Debian (.ci/run installs it).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::server::{request, request_bytes, start};
use common::{git, stderr, stdout, weft};

const CHROMIUM: &str = "/usr/bin/chromium";

fn kit_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui")
}

/// `npm ci` of tests/ui's lock, made once per lock under the target
/// directory: test processes racing both install, the first rename wins,
/// and a kit in use is never removed.
fn node_modules() -> PathBuf {
    let lock = std::fs::read(kit_dir().join("package-lock.json")).unwrap();
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("ui-browser-kit-{}", content_stamp(&lock)));
    if base.join("node_modules").is_dir() {
        return base.join("node_modules");
    }
    let tmp = base.with_extension(format!("tmp{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    for f in ["package.json", "package-lock.json"] {
        std::fs::copy(kit_dir().join(f), tmp.join(f)).unwrap();
    }
    let o = Command::new("npm")
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
        .current_dir(&tmp)
        .output()
        .expect("npm (the browser tests install Playwright and Mermaid with it)");
    assert!(
        o.status.success(),
        "npm ci in tests/ui (needs the npm registry): {}",
        stderr(&o)
    );
    if std::fs::rename(&tmp, &base).is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    assert!(
        base.join("node_modules").is_dir(),
        "no browser kit at {}",
        base.display()
    );
    base.join("node_modules")
}

/// FNV-1a of the lock: a changed lock installs a kit of its own.
fn content_stamp(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn explore(args: &[&str]) -> (bool, String) {
    assert!(
        Path::new(CHROMIUM).is_file(),
        "this test drives Debian's Chromium: apt-get install chromium (.ci/run does)"
    );
    let o = Command::new("node")
        .arg(kit_dir().join("explore.cjs"))
        .args(args)
        .env("WEFT_NODE_MODULES", node_modules())
        .env("WEFT_CHROMIUM", CHROMIUM)
        .output()
        .expect("node");
    (o.status.success(), format!("{}{}", stdout(&o), stderr(&o)))
}

/// The shared repository in git, with two branches that will collide:
/// `left` changes `total`'s signature, `right` adds a caller of it.
fn repository() -> tempfile::TempDir {
    let d = common::repo();
    let p = d.path();
    common::write(
        p,
        &[
            (".gitignore", b".weft\n"),
            // a folder whose name is a glob (`[slug]`, as web frameworks name routes)
            (
                "web/[slug]/page.ts",
                b"import { a } from '../a';\nexport function page() { a(); }\n",
            ),
        ],
    );
    git(p, &["init", "-q", "-b", "main"]);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "base"]);
    git(p, &["checkout", "-qb", "left"]);
    common::write(
        p,
        &[(
            "src/price.rs",
            b"pub fn total(xs: &[u32], factor: u32) -> u32 {\n    xs.iter().sum::<u32>() * factor\n}\n",
        )],
    );
    git(p, &["commit", "-qam", "left"]);
    git(p, &["checkout", "-q", "main"]);
    git(p, &["checkout", "-qb", "right"]);
    common::write(
        p,
        &[
            ("src/tax.rs", b"use crate::price::total;\n\npub fn tax(xs: &[u32]) -> u32 {\n    total(xs) / 5\n}\n"),
            ("src/lib.rs", b"pub mod cart;\npub mod price;\npub mod tax;\n"),
        ],
    );
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "right"]);
    git(p, &["checkout", "-q", "main"]);
    assert!(weft(p, &["index"]).status.success());
    d
}

#[test]
fn every_view_renders_in_chromium_and_follows_an_edit() {
    let d = repository();
    let s = start(d.path(), &[], &[]);
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ui-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let base = format!("http://{}", s.addr);
    let (passed, log) = explore(&[
        "explorer",
        &base,
        d.path().to_str().unwrap(),
        shots.to_str().unwrap(),
    ]);
    println!("{log}");
    assert!(passed, "the explorer failed in Chromium:\n{log}");
    for view in [
        "home",
        "symbol",
        "file",
        "impact",
        "modules",
        "cycles",
        "conflicts",
        "not-found",
    ] {
        let png = shots.join(format!("{view}.png"));
        let len = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
        assert!(len > 5_000, "{} is missing or blank", png.display());
    }
}

#[test]
fn mermaid_parses_and_renders_every_kind_of_picture() {
    let d = common::repo();
    common::write(
        d.path(),
        // a name Mermaid would take for markup if it were not escaped
        &[(
            "src/odd.rs",
            b"pub fn r#end() -> u32 { 1 }\npub fn call_end() -> u32 { r#end() }\n",
        )],
    );
    assert!(weft(d.path(), &["index"]).status.success());
    let out = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, args) in [
        (
            "callers",
            &["graph", "total", "--kind", "callers", "--depth", "3"][..],
        ),
        ("calls", &["graph", "checkout", "--depth", "3"]),
        ("inherits", &["graph", "Base", "--kind", "inherits"]),
        ("impact", &["graph", "src/price.rs", "--kind", "impact"]),
        ("deps", &["graph", "src/cart.rs"]),
        ("modules", &["graph", "--modules"]),
        ("folders", &["graph", "--modules", "--limit", "2"]),
        (
            "capped",
            &[
                "graph", "total", "--kind", "callers", "--depth", "3", "--limit", "1",
            ],
        ),
        ("odd", &["graph", "call_end"]),
        ("cycles", &["cycles"]),
    ] {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--format", "mermaid"]);
        let o = weft(d.path(), &all);
        assert!(o.status.success(), "weft {all:?}: {}", stderr(&o));
        let f = out.path().join(format!("{name}.mmd"));
        std::fs::write(&f, &o.stdout).unwrap();
        files.push(f.to_str().unwrap().to_string());
    }
    let mut args = vec!["mermaid"];
    args.extend(files.iter().map(String::as_str));
    let (passed, log) = explore(&args);
    assert!(passed, "Mermaid refused a drawing:\n{log}");
    assert_eq!(
        log.matches("ok   mermaid parses").count(),
        files.len(),
        "{log}"
    );
}

#[test]
fn the_explorer_serves_only_its_own_files_and_needs_no_token_to_load() {
    let d = common::repo();
    assert!(weft(d.path(), &["index"]).status.success());
    let s = start(d.path(), &[("WEFT_TOKEN", "sesame-0123456789abcdef")], &[]);
    let (status, head, page) = request_bytes(&s.addr, "GET", "/ui/symbol/total", &[]);
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("/ui/assets/app.js"));
    let head = head.to_ascii_lowercase();
    assert!(
        head.contains("content-security-policy: default-src 'none'; script-src 'self'"),
        "{head}"
    );
    let etag = head
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .expect("an etag")
        .trim()
        .to_string();
    let (status, _, _) = request_bytes(&s.addr, "GET", "/ui/", &[("If-None-Match", &etag)]);
    assert_eq!(status, 304, "the page is the same for every view");
    let (status, _) = request(&s.addr, "GET", "/ui/assets/vendor/cytoscape.min.js", &[]);
    assert_eq!(status, 200);
    // the API still needs the token
    let (status, _) = request(&s.addr, "GET", "/v1/stats", &[]);
    assert_eq!(status, 401);
    for path in [
        "/ui/assets/../Cargo.toml",
        "/ui/assets/%2e%2e/%2e%2e/Cargo.toml",
        "/ui/assets/..%2F..%2Fsrc%2Fprice.rs",
        "/ui/assets/index.html/../../src/cart.rs",
    ] {
        let (status, body) = request(&s.addr, "GET", path, &[]);
        assert!(status == 404 || status == 400, "{path}: {status} {body}");
        assert!(!body.contains("pub fn "), "{path}: {body}");
    }
}
