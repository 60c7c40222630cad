//! What re-executes after an edit, read from salsa's event log.

use std::collections::BTreeSet;

use salsa::plumbing::AsId;
use weft_db::Resolution;
use weft_queries::db::all_files;
use weft_queries::resolve::{Resolved, resolve_file};
use weft_queries::symbols::file_by_path;
use weft_queries::{AnalysisHost, Change, SourceFile};

mod common;
use common::host;

/// Ask every question once, so everything is memoized.
fn query_everything(h: &AnalysisHost) {
    h.analysis()
        .with_db(|db| {
            for f in all_files(db) {
                resolve_file(db, f);
            }
            let _ = weft_queries::export::all_records(db).count();
        })
        .unwrap();
}

fn file(h: &AnalysisHost, path: &str) -> SourceFile {
    h.analysis()
        .with_db(|db| file_by_path(db, path).unwrap())
        .unwrap()
}

/// (query, key) pairs that executed while `f` ran.
fn executed(h: &mut AnalysisHost, f: impl FnOnce(&mut AnalysisHost)) -> Vec<(String, salsa::Id)> {
    *h.raw_database().execution_log().lock().unwrap() = Some(Vec::new());
    f(h);
    query_everything(h);
    h.raw_database()
        .execution_log()
        .lock()
        .unwrap()
        .take()
        .unwrap()
}

fn edit(h: &mut AnalysisHost, path: &str, text: &str) {
    let mut c = Change::default();
    c.set_file(path, text);
    h.apply_change(c);
}

const A: &str = "pub fn foo(x: i32) -> i32 {\n    x + 1\n}\n\npub fn other() {}\n";
const B: &str = "use crate::a::foo;\n\npub fn bar() -> i32 {\n    foo(1)\n}\n";
const C: &str = "pub fn unrelated() -> u8 {\n    7\n}\n";
const LIB: &str = "pub mod a;\npub mod b;\npub mod c;\n";

fn fixture() -> AnalysisHost {
    let h = host(&[
        ("src/lib.rs", LIB),
        ("src/a.rs", A),
        ("src/b.rs", B),
        ("src/c.rs", C),
    ]);
    query_everything(&h);
    h
}

#[test]
fn body_edit_reexecutes_only_that_files_queries_and_interface_backdates() {
    let mut h = fixture();
    let a = file(&h, "src/a.rs").as_id();
    let log = executed(&mut h, |h| {
        edit(
            h,
            "src/a.rs",
            "pub fn foo(x: i32) -> i32 {\n    let y = x * 2;\n    other();\n    y + 1\n}\n\npub fn other() {}\n",
        )
    });
    assert!(
        !log.is_empty(),
        "the edited file's facts must be recomputed"
    );
    let foreign: Vec<_> = log.iter().filter(|(_, k)| *k != a).collect();
    assert!(
        foreign.is_empty(),
        "queries of other files or global indexes ran: {foreign:?}"
    );
    let names: BTreeSet<&str> = log.iter().map(|(q, _)| q.as_str()).collect();
    assert!(
        names.contains("extracted_facts") && names.contains("file_interface"),
        "{names:?}"
    );
    // The interface re-ran and came out equal (backdated): the name index didn't rebuild.
    assert!(!names.contains("group_defs"), "{names:?}");
}

#[test]
fn signature_edit_reresolves_importers_only() {
    let mut h = fixture();
    let (a, b, c) = (
        file(&h, "src/a.rs"),
        file(&h, "src/b.rs"),
        file(&h, "src/c.rs"),
    );
    let log = executed(&mut h, |h| {
        edit(
            h,
            "src/a.rs",
            "pub fn foo(x: i32, y: i32) -> i32 {\n    x + y\n}\n\npub fn other() {}\n",
        )
    });
    let resolved: BTreeSet<salsa::Id> = log
        .iter()
        .filter(|(q, _)| q == "resolve_file")
        .map(|(_, k)| *k)
        .collect();
    assert!(resolved.contains(&a.as_id()), "{log:?}");
    assert!(
        resolved.contains(&b.as_id()),
        "the importer must re-resolve: {log:?}"
    );
    assert!(
        !resolved.contains(&c.as_id()),
        "an unrelated file re-resolved: {log:?}"
    );
    for (q, k) in &log {
        assert!(*k != c.as_id(), "{q} ran for the unrelated file");
    }
}

fn import_resolution(h: &AnalysisHost, path: &str) -> Resolution {
    h.analysis()
        .with_db(|db| {
            let f = file_by_path(db, path).unwrap();
            let facts = weft_queries::db::file_facts(db, f);
            let r = resolve_file(db, f);
            let i = facts
                .refs
                .iter()
                .position(|r| r.role == weft_db::Role::Import)
                .unwrap();
            r.refs[i].resolution()
        })
        .unwrap()
}

#[test]
fn adding_removing_and_renaming_files_updates_module_resolution() {
    let mut h = host(&[("src/lib.rs", "pub mod a;\npub mod b;\n"), ("src/b.rs", B)]);
    // `foo` exists nowhere yet: no target, and no guess either.
    assert_eq!(import_resolution(&h, "src/b.rs"), Resolution::Unresolved);

    edit(&mut h, "src/a.rs", A);
    assert_eq!(import_resolution(&h, "src/b.rs"), Resolution::Scoped);

    let mut c = Change::default();
    c.remove_file("src/a.rs");
    c.set_file("src/a2.rs", A);
    h.apply_change(c);
    // `crate::a` is gone; `foo` now lives in `crate::a2`: a unique name, so at most a guess.
    assert_ne!(import_resolution(&h, "src/b.rs"), Resolution::Scoped);

    edit(&mut h, "src/b.rs", &B.replace("crate::a::", "crate::a2::"));
    assert_eq!(import_resolution(&h, "src/b.rs"), Resolution::Scoped);

    // Python: a module appearing under a package.
    let mut c = Change::default();
    c.set_file("pkg/__init__.py", "");
    c.set_file("app.py", "from pkg.mod import thing\n");
    h.apply_change(c);
    assert_ne!(import_resolution(&h, "app.py"), Resolution::Scoped);
    edit(&mut h, "pkg/mod.py", "def thing():\n    pass\n");
    assert_eq!(import_resolution(&h, "app.py"), Resolution::Scoped);
    let mut c = Change::default();
    c.remove_file("pkg/mod.py");
    h.apply_change(c);
    assert_ne!(import_resolution(&h, "app.py"), Resolution::Scoped);
}

#[test]
fn a_write_cancels_running_reads() {
    let mut h = fixture();
    let analysis = h.analysis();
    let started = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = started.clone();
    let reader = std::thread::spawn(move || {
        analysis.with_db(|db| {
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
            let files = all_files(db);
            // Endless reads: only cancellation ends this.
            loop {
                for &f in &files {
                    let _ = resolve_file(db, f);
                }
                salsa::Database::unwind_if_revision_cancelled(db);
            }
        })
    });
    while !started.load(std::sync::atomic::Ordering::SeqCst) {
        std::thread::yield_now();
    }
    edit(&mut h, "src/c.rs", "pub fn unrelated() -> u8 { 8 }\n");
    let res: Result<(), salsa::Cancelled> = reader.join().unwrap();
    assert!(
        res.is_err(),
        "the reader must be cancelled, not see a torn state"
    );
    // and the new revision is readable
    let r = h.analysis().with_db(|db| {
        let f = file_by_path(db, "src/b.rs").unwrap();
        resolve_file(db, f)
            .refs
            .iter()
            .any(|r| matches!(r, Resolved::Def { .. }))
    });
    assert!(matches!(r, Ok(true)));
}

#[test]
fn deleted_files_leave_the_name_index() {
    // `other_mod` is called by unique name only (no import): a heuristic edge.
    let mut h = host(&[
        ("src/lib.rs", "pub mod a;\npub mod b;\n"),
        ("src/a.rs", "pub fn caller() {\n    lonely_target();\n}\n"),
        ("src/b.rs", "pub fn lonely_target() {}\n"),
    ]);
    let call = |h: &AnalysisHost| {
        h.analysis()
            .with_db(|db| {
                let f = file_by_path(db, "src/a.rs").unwrap();
                resolve_file(db, f).refs[0].resolution()
            })
            .unwrap()
    };
    assert_eq!(call(&h), Resolution::Heuristic);
    let mut c = Change::default();
    c.remove_file("src/b.rs");
    h.apply_change(c);
    assert_eq!(call(&h), Resolution::Unresolved);
    edit(&mut h, "src/b.rs", "pub fn lonely_target() {}\n");
    assert_eq!(call(&h), Resolution::Heuristic);
}

#[test]
fn a_handles_token_cancels_its_read_and_no_other() {
    let h = fixture();
    let (mine, other) = (h.analysis(), h.analysis());
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        mine.with_db(|db| {
            tx.send(weft_queries::cancellation_token(db)).unwrap();
            let files = all_files(db);
            // endless reads: only the token ends this. (Attached once for
            // the whole loop: salsa clears a token's cancellation when a
            // top-level call detaches, so a cancel landing in a memo read
            // of a separately attached call would be lost.)
            salsa::Database::attach(db, |db| {
                loop {
                    for &f in &files {
                        let _ = resolve_file(db, f);
                    }
                    salsa::Database::unwind_if_revision_cancelled(db);
                }
            })
        })
    });
    rx.recv().unwrap().cancel();
    let res: Result<(), salsa::Cancelled> = reader.join().unwrap();
    assert!(res.is_err(), "the token's read must unwind");
    // another handle of the same revision still answers
    let n = other.with_db(|db| all_files(db).len());
    assert!(n.is_ok_and(|n| n > 0));
}
