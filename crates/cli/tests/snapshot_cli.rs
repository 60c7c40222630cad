//! The snapshot through the `weft` binary: warm starts, incremental writes,
//! corrupt, foreign, locked and read-only snapshots, `weft snapshot`.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;
use weft_db::store::{OpenOptions, Store};

fn db(d: &Path) -> PathBuf {
    d.join(".weft/graph.db")
}

fn json(o: &std::process::Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn open_read_only(path: &Path) -> Store {
    Store::open(path, &OpenOptions::reader())
        .expect("open snapshot")
        .0
}

#[test]
fn index_writes_a_snapshot_and_later_commands_start_warm_from_any_subdirectory() {
    let d = repo();
    let o = weft(d.path(), &["index"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(db(d.path()).is_file());
    assert!(stdout(&o).contains("cache hit 0.0%"), "{}", stdout(&o));

    let s = json(&weft(&d.path().join("src"), &["--json", "stats"]));
    let snap = &s["snapshot"];
    assert_eq!(snap["parsed"], 0, "{s}");
    assert_eq!(snap["cache_hits"], snap["files"]);
    assert!(s["stats"]["symbols"].as_u64().unwrap() > 0);

    // The warm graph equals a cold in-memory index, record for record.
    let warm = weft(d.path(), &["export"]);
    let cold = weft(
        d.path(),
        &["export", "--no-write", "--db", "/nonexistent/weft.db"],
    );
    assert!(warm.status.success() && cold.status.success());
    assert!(!stdout(&warm).is_empty());
    assert_eq!(stdout(&warm), stdout(&cold));
    // and so do the stats summed from the snapshot's rows
    let cold_stats = json(&weft(
        d.path(),
        &[
            "--json",
            "stats",
            "--no-write",
            "--db",
            "/nonexistent/weft.db",
        ],
    ));
    assert_eq!(s["stats"], cold_stats["stats"]);
}

#[test]
fn edits_rewrite_only_the_rows_that_changed() {
    let d = repo();
    assert!(weft(d.path(), &["index"]).status.success());
    // a body edit: one file re-read, re-parsed, rewritten
    write(
        d.path(),
        &[(
            "src/price.rs",
            b"pub fn total(xs: &[u32]) -> u32 {\n    xs.iter().copied().sum()\n}\n",
        )],
    );
    let s = json(&weft(d.path(), &["--json", "index"]));
    let snap = &s["snapshot"];
    assert_eq!(snap["changed"], 1, "{snap}");
    assert_eq!(snap["parsed"], 1);
    assert_eq!(snap["rows_rewritten"], 1);
    // a new file and a removed one
    write(
        d.path(),
        &[(
            "src/tax.rs",
            b"pub fn tax() -> u32 { crate::price::total(&[1]) }\n",
        )],
    );
    std::fs::remove_file(d.path().join("web/b.ts")).unwrap();
    let s = json(&weft(d.path(), &["--json", "index"]));
    assert_eq!(s["snapshot"]["added"], 1, "{s}");
    assert_eq!(s["snapshot"]["removed"], 1);
    let o = weft(d.path(), &["callers", "total"]);
    assert!(stdout(&o).contains("tax"), "{}", stdout(&o));
    let store = open_read_only(&db(d.path()));
    let paths: Vec<String> = store.files().unwrap().into_keys().collect();
    assert!(paths.contains(&"src/tax.rs".to_string()));
    assert!(!paths.contains(&"web/b.ts".to_string()));
}

#[test]
fn a_corrupt_or_truncated_snapshot_is_moved_aside_and_rebuilt() {
    let d = repo();
    assert!(weft(d.path(), &["index"]).status.success());
    let path = db(d.path());
    let good_len = std::fs::metadata(&path).unwrap().len();
    for (what, damage) in [
        ("garbage", b"this is not a database at all".to_vec()),
        (
            "truncated",
            std::fs::read(&path).unwrap()[..(good_len / 2) as usize].to_vec(),
        ),
    ] {
        std::fs::write(&path, &damage).unwrap();
        let o = weft(d.path(), &["stats"]);
        assert!(o.status.success(), "{what}: {}", stderr(&o));
        assert!(stderr(&o).contains("moved it to"), "{what}: {}", stderr(&o));
        let aside: Vec<PathBuf> = std::fs::read_dir(d.path().join(".weft"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains(".corrupt-"))
            .filter(|p| std::fs::read(p).unwrap() == damage)
            .collect();
        assert_eq!(aside.len(), 1, "{what}: the damaged file is kept, once");
        std::fs::remove_file(&aside[0]).unwrap();
        let o = weft(d.path(), &["snapshot", "check"]);
        assert!(o.status.success(), "{what}: {}", stdout(&o));
    }
}

#[test]
fn a_snapshot_of_another_schema_version_is_rebuilt_with_a_message() {
    let d = repo();
    assert!(weft(d.path(), &["index"]).status.success());
    {
        let c = rusqlite::Connection::open(db(d.path())).unwrap();
        c.execute(
            "UPDATE meta SET value = '0' WHERE key = 'schema_version'",
            [],
        )
        .unwrap();
    }
    // Read-only, it cannot be rebuilt: the answer comes from memory, and
    // the old file is left as it was.
    let o = weft(d.path(), &["--no-write", "symbols", "checkout"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("checkout"), "{}", stdout(&o));
    assert!(stderr(&o).contains("indexing in memory"), "{}", stderr(&o));
    let info = json(&weft(d.path(), &["--json", "snapshot", "info"]));
    assert_eq!(info["schema_version"], "0");

    let o = weft(d.path(), &["stats"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("schema version 0"), "{}", stderr(&o));
    let info = json(&weft(d.path(), &["--json", "snapshot", "info"]));
    assert_eq!(
        info["schema_version"],
        weft_db::schema::SCHEMA_VERSION.to_string()
    );
}

#[test]
fn a_second_writer_waits_or_gets_a_clear_message() {
    let d = repo();
    assert!(weft(d.path(), &["index"]).status.success());
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(d.path().join(".weft/graph.db.lock"))
        .unwrap();
    lock.lock().unwrap();
    let o = weft(d.path(), &["index", "--lock-timeout", "0.3"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("being updated by another weft process"),
        "{}",
        stderr(&o)
    );
    lock.unlock().unwrap();
    // Two indexers at once: one waits for the other; the snapshot is whole.
    write(d.path(), &[("src/more.rs", b"pub fn more() {}\n")]);
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_weft"))
            .args(["index"])
            .current_dir(d.path())
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert!(a.status.success(), "{}", stderr(&a));
    assert!(b.status.success(), "{}", stderr(&b));
    let o = weft(d.path(), &["snapshot", "check"]);
    assert!(o.status.success(), "{}", stdout(&o));
}

/// Make `dir` unwritable even for root (chattr +i); false if impossible.
fn freeze(dir: &Path, on: bool) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let mode = if on { 0o555 } else { 0o755 };
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode));
    let probe = dir.join(".probe");
    if on && std::fs::write(&probe, b"x").is_ok() {
        let _ = std::fs::remove_file(&probe);
        let _ = std::process::Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .status();
    }
    if !on {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(dir)
            .status();
    }
    let writable = std::fs::write(&probe, b"x").is_ok();
    let _ = std::fs::remove_file(&probe);
    writable != on
}

#[test]
fn a_read_only_location_gives_a_clear_error_and_loses_nothing() {
    let d = repo();
    assert!(weft(d.path(), &["index"]).status.success());
    let dir = d.path().join(".weft");
    let before = std::fs::read(db(d.path())).unwrap();
    if !freeze(&dir, true) {
        assert!(
            std::env::var_os("WEFT_SKIP_READONLY_TEST").is_some(),
            "cannot make a directory read-only here (neither chmod nor chattr +i works); set WEFT_SKIP_READONLY_TEST=1 to skip"
        );
        return;
    }
    let o = weft(d.path(), &["index"]);
    let idx_err = stderr(&o);
    write(
        d.path(),
        &[(
            "src/price.rs",
            b"pub fn total(xs: &[u32]) -> u32 { 0 }\npub fn fresh_fn() {}\n",
        )],
    );
    let q = weft(d.path(), &["symbols", "fresh_fn"]);
    let after = std::fs::read(db(d.path())).unwrap();
    freeze(&dir, false);
    assert!(!o.status.success());
    assert!(idx_err.contains("read-only"), "{idx_err}");
    // queries still answer, from the snapshot plus the changes in memory
    assert!(q.status.success(), "{}", stderr(&q));
    assert!(stdout(&q).contains("fresh_fn"));
    assert!(stderr(&q).contains("not saved"), "{}", stderr(&q));
    assert_eq!(before, after, "the stored snapshot is untouched");
}

#[test]
fn snapshot_info_and_check_find_problems() {
    let d = repo();
    let o = weft(d.path(), &["snapshot", "info"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("run `weft index` first"),
        "{}",
        stderr(&o)
    );
    assert!(weft(d.path(), &["index"]).status.success());
    let info = json(&weft(d.path(), &["--json", "snapshot", "info"]));
    assert_eq!(info["revision"], 1);
    assert_eq!(info["files"], 7);
    let o = weft(d.path(), &["snapshot", "check"]);
    assert!(o.status.success(), "{}", stdout(&o));
    {
        let c = rusqlite::Connection::open(db(d.path())).unwrap();
        c.execute(
            "DELETE FROM facts WHERE hash = (SELECT hash FROM files WHERE path = 'src/cart.rs')",
            [],
        )
        .unwrap();
        c.execute("DELETE FROM symbols WHERE name = 'Cart'", [])
            .unwrap();
    }
    let o = weft(d.path(), &["snapshot", "check"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("no stored facts: src/cart.rs"), "{out}");
    assert!(out.contains("symbol count disagrees"), "{out}");
}

#[test]
fn d1_export_is_plain_sql_under_the_limits_and_loads_back_equal() {
    let d = repo();
    assert!(weft(d.path(), &["index"]).status.success());
    let out = d.path().join("out.sql");
    let r = json(&weft(
        d.path(),
        &[
            "--json",
            "snapshot",
            "export",
            "--d1",
            out.to_str().unwrap(),
        ],
    ));
    assert!(r["largest_statement"].as_u64().unwrap() < 100_000);
    let sql = std::fs::read_to_string(&out).unwrap();
    for banned in ["BEGIN", "COMMIT", "PRAGMA"] {
        assert!(!sql.contains(banned), "D1 refuses {banned}");
    }
    let copy = d.path().join("copy.db");
    {
        let c = rusqlite::Connection::open(&copy).unwrap();
        c.execute_batch(&sql).unwrap();
        // loading twice replaces, never duplicates
        c.execute_batch(&sql).unwrap();
    }
    let original = open_read_only(&db(d.path())).dump(false).unwrap();
    let loaded = open_read_only(&copy).dump(false).unwrap();
    assert!(!original.is_empty());
    assert_eq!(original, loaded);
}

/// A replica loaded from a full export and kept up with `--since` batches
/// holds what the snapshot holds; a one-file change is a small batch; a
/// batch refuses a replica at another revision.
#[test]
fn d1_batches_since_a_revision_keep_a_replica_equal() {
    let d = repo();
    assert!(weft(d.path(), &["index"]).status.success());
    let export = |args: &[&str]| -> (serde_json::Value, String) {
        let out = d.path().join("out.sql");
        let mut a = vec![
            "--json",
            "snapshot",
            "export",
            "--d1",
            out.to_str().unwrap(),
        ];
        a.extend_from_slice(args);
        let r = json(&weft(d.path(), &a));
        (r, std::fs::read_to_string(&out).unwrap())
    };
    let (_, full) = export(&[]);
    let copy = d.path().join("copy.db");
    let c = rusqlite::Connection::open(&copy).unwrap();
    c.execute_batch(&full).unwrap();
    let revision = |c: &rusqlite::Connection| -> String {
        c.query_row("SELECT value FROM meta WHERE key = 'revision'", [], |r| {
            r.get(0)
        })
        .unwrap()
    };
    let r0 = revision(&c);

    // one file edited
    write(
        d.path(),
        &[(
            "src/price.rs",
            b"pub fn total(xs: &[u32]) -> u32 {\n    xs.iter().sum()\n}\n\npub fn vat(x: u32) -> u32 {\n    total(&[x]) / 5\n}\n",
        )],
    );
    assert!(weft(d.path(), &["index"]).status.success());
    let (report, batch) = export(&["--since", &r0]);
    let statements = report["statements"].as_u64().unwrap();
    assert!(statements <= 100, "{statements} statements for one file");
    c.execute_batch(&batch).unwrap();
    let r1 = revision(&c);
    assert_ne!(r0, r1);
    assert_eq!(
        open_read_only(&db(d.path())).dump(false).unwrap(),
        open_read_only(&copy).dump(false).unwrap()
    );

    // the same batch again: refused before it changes anything
    let e = c.execute_batch(&batch).unwrap_err().to_string();
    assert!(e.contains("overflow"), "{e}");
    assert_eq!(revision(&c), r1);

    // a file removed and one added
    std::fs::remove_file(d.path().join("web/b.ts")).unwrap();
    write(
        d.path(),
        &[("web/c.ts", b"export function c() { return 1; }\n")],
    );
    assert!(weft(d.path(), &["index"]).status.success());
    let (_, batch) = export(&["--since", &r1]);
    c.execute_batch(&batch).unwrap();
    assert_eq!(
        open_read_only(&db(d.path())).dump(false).unwrap(),
        open_read_only(&copy).dump(false).unwrap()
    );
    // nothing since the current revision: only the guard and meta
    let now = revision(&c);
    let (report, _) = export(&["--since", &now]);
    assert!(report["rows"].as_u64().unwrap() < 10, "{report}");
    // a revision the snapshot has not reached
    let o = weft(
        d.path(),
        &["snapshot", "export", "--d1", "x.sql", "--since", "999"],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("before 999"), "{}", stderr(&o));
}

/// `weft snapshot query` answers from the tables alone what the engine
/// answers, and reports errors as the API does.
#[test]
fn snapshot_query_answers_like_the_engine() {
    let d = repo();
    assert!(weft(d.path(), &["index"]).status.success());
    for (request, args) in [
        ("/v1/refs?target=total", &["refs", "total"][..]),
        (
            "callers?target=total&depth=2",
            &["callers", "total", "--depth", "2"],
        ),
        ("/v1/deps?target=src%2Fcart.rs", &["deps", "src/cart.rs"]),
    ] {
        let o = weft(d.path(), &["snapshot", "query", request]);
        assert!(o.status.success(), "{request}: {}", stdout(&o));
        let replica = json(&o);
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        let engine = json(&weft(d.path(), &a));
        assert_eq!(replica["result"], engine, "{request}");
        assert!(replica["revision"].as_u64().unwrap() >= 1);
    }
    let o = weft(d.path(), &["snapshot", "query", "/v1/nope"]);
    assert_eq!(o.status.code(), Some(1));
    let e: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(e["error"]["status"], 404);
    let o = weft(d.path(), &["snapshot", "query", "/v1/refs?target=%zz"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("percent escape"), "{}", stderr(&o));
}

#[test]
fn sql_alone_answers_references_and_callers_like_the_engine() {
    let d = repo();
    assert!(weft(d.path(), &["index"]).status.success());
    let refs = json(&weft(d.path(), &["--json", "refs", "total"]));
    let callers = json(&weft(d.path(), &["--json", "callers", "total"]));
    let c = rusqlite::Connection::open(db(d.path())).unwrap();
    let target = "(SELECT id FROM symbols WHERE qualified_name = 'shop::price::total')";
    let mut st = c
        .prepare(&format!(
            "SELECT f.path, r.line, r.col, e.name FROM refs r
             JOIN files f ON f.id = r.file
             JOIN enums e ON e.type = 'role' AND e.code = r.role
             WHERE r.target = {target} ORDER BY 1, 2, 3"
        ))
        .unwrap();
    let sql: Vec<(String, i64, i64, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let engine: Vec<(String, i64, i64, String)> = refs["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap().to_string(),
                r["span"]["start"]["line"].as_i64().unwrap(),
                r["span"]["start"]["col"].as_i64().unwrap(),
                r["role"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(!sql.is_empty());
    assert_eq!(sql, engine);
    let mut st = c
        .prepare(&format!(
            "SELECT DISTINCT printf('%016x', s.id) FROM refs r
             JOIN symbols s ON s.file = r.file AND s.ord = r.caller
             JOIN enums e ON e.type = 'role' AND e.code = r.role AND e.name = 'call'
             WHERE r.target = {target} ORDER BY 1"
        ))
        .unwrap();
    let sql: Vec<String> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let mut engine: Vec<String> = callers["callers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["node"]["id"].as_str().unwrap().to_string())
        .collect();
    engine.sort();
    assert!(!sql.is_empty());
    assert_eq!(sql, engine);
}

/// A real full disk: a small tmpfs holds the snapshot. Needs mount rights
/// (root here); elsewhere set WEFT_SKIP_TMPFS_TEST=1 to skip it.
#[test]
fn a_full_disk_gives_a_clear_error_and_keeps_the_stored_snapshot() {
    let d = repo();
    let mnt = tempfile::tempdir().unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(mnt.path())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        assert!(
            std::env::var_os("WEFT_SKIP_TMPFS_TEST").is_some(),
            "cannot mount a tmpfs here; set WEFT_SKIP_TMPFS_TEST=1 to skip this test"
        );
        return;
    }
    let db = mnt.path().join("graph.db");
    let dbs = db.to_str().unwrap().to_string();
    let first = weft(d.path(), &["index", "--db", &dbs]);
    // Now far more code than the disk can hold.
    let mut big = String::new();
    for i in 0..8000 {
        big += &format!("pub fn filler_{i}(x: u32) -> u32 {{ crate::price::total(&[x, {i}]) }}\n");
    }
    write(d.path(), &[("src/big.rs", big.as_bytes())]);
    let before = std::fs::read(&db).ok();
    let full = weft(d.path(), &["index", "--db", &dbs]);
    let after = std::fs::read(&db).ok();
    let check = weft(d.path(), &["snapshot", "check", "--db", &dbs]);
    let info = weft(d.path(), &["--json", "snapshot", "info", "--db", &dbs]);
    // a question on the full disk still answers, read-only (its WAL's
    // shared memory cannot even be created there)
    let _ = std::fs::remove_file(mnt.path().join("graph.db-shm"));
    let fill = mnt.path().join("fill");
    let _ = std::fs::write(&fill, vec![0u8; 2 << 20]);
    let read = weft(d.path(), &["stats", "--db", &dbs]);
    let _ = std::process::Command::new("umount")
        .arg(mnt.path())
        .status();
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(!full.status.success());
    assert!(
        stderr(&full).contains("disk is full") && stderr(&full).contains("nothing was lost"),
        "{}",
        stderr(&full)
    );
    assert_eq!(before, after, "the stored snapshot is untouched");
    assert!(read.status.success(), "{}", stderr(&read));
    assert!(
        stderr(&read).contains("is full; answering from it read-only"),
        "{}",
        stderr(&read)
    );
    assert!(read.status.success(), "{}", stderr(&read));
    assert!(
        stderr(&read).contains("is full; answering from it read-only"),
        "{}",
        stderr(&read)
    );
    assert!(check.status.success(), "{}", stdout(&check));
    assert_eq!(json(&info)["revision"], 1);
}

/// Issue 30's corruptions: whatever `snapshot check` would flag, `weft
/// index` moves aside and rebuilds (exit 0, a note), after which the
/// check passes; data of the wrong shape or a foreign database does not
/// leave the repository stuck; `--no-write` leaves the file alone and
/// answers from memory; `snapshot query` (the replica's reader) refuses
/// a snapshot that fails the checks instead of answering wrongly.
#[test]
fn every_corruption_is_moved_aside_and_rebuilt_never_served() {
    let d = repo();
    let dir = d.path();
    assert!(weft(dir, &["index"]).status.success());
    let good = std::fs::read(db(dir)).unwrap();
    let reset = |bytes: &[u8]| {
        for sidecar in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(dir.join(format!(".weft/graph.db{sidecar}")));
        }
        std::fs::write(db(dir), bytes).unwrap();
    };
    let sql = |statement: &str| {
        let c = rusqlite::Connection::open(db(dir)).unwrap();
        c.execute_batch(statement).unwrap();
    };
    let passes_check = || {
        let o = weft(dir, &["snapshot", "check"]);
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    };

    // 64 random bytes over the middle half of the file, eight times
    let mut seed = 7u64;
    for _ in 0..8 {
        let mut bytes = good.clone();
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let at = bytes.len() / 4 + (seed >> 33) as usize % (bytes.len() / 2 - 64);
        for (i, b) in bytes[at..at + 64].iter_mut().enumerate() {
            *b ^= (seed >> (i % 56)) as u8 | 1;
        }
        reset(&bytes);
        let o = weft(dir, &["index"]);
        assert!(o.status.success(), "{}", stderr(&o));
        passes_check();
    }

    // rows deleted behind weft's back: the replica's reader refuses them
    reset(&good);
    sql("DELETE FROM symbols WHERE rowid IN (SELECT rowid FROM symbols LIMIT 3)");
    let o = weft(dir, &["snapshot", "query", "/v1/symbols?q=total"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("\"status\":503"), "{}", stdout(&o));
    let sql_out = dir.join("replica.sql");
    let o = weft(
        dir,
        &["snapshot", "export", "--d1", sql_out.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("not exported"), "{}", stderr(&o));
    let o = weft(dir, &["index"]);
    assert!(stderr(&o).contains("moved it to"), "{}", stderr(&o));
    passes_check();

    // a file's hash pointed at another file's facts: the check says so,
    // and the next command parses the file again instead of trusting them
    reset(&good);
    let expected = stdout(&weft(dir, &["--no-write", "export"]));
    sql(
        "UPDATE files SET hash = (SELECT hash FROM files WHERE path = 'src/price.rs') WHERE path = 'src/cart.rs'",
    );
    let o = weft(dir, &["snapshot", "check"]);
    assert!(!o.status.success());
    assert!(
        stdout(&o).contains("point at facts of other content"),
        "{}",
        stdout(&o)
    );
    let o = weft(dir, &["export"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o) == expected, "answers from another file's facts");
    passes_check();

    // two facts blobs swapped between their content hashes: the check says
    // so, and the next command parses both files again
    reset(&good);
    sql("CREATE TABLE t AS SELECT hash, data FROM facts;
         UPDATE facts SET data = (SELECT data FROM t WHERE t.hash = (SELECT hash FROM files WHERE path = 'src/price.rs'))
           WHERE hash = (SELECT hash FROM files WHERE path = 'src/cart.rs');
         DROP TABLE t;");
    let o = weft(dir, &["snapshot", "check"]);
    assert!(!o.status.success());
    assert!(
        stdout(&o).contains("another content's hash"),
        "{}",
        stdout(&o)
    );
    let o = weft(dir, &["export"]);
    assert!(stdout(&o) == expected, "answers from another file's facts");

    // a facts blob stored as text: the next command rebuilds
    reset(&good);
    sql(
        "UPDATE facts SET data = CAST(data AS TEXT) WHERE rowid IN (SELECT rowid FROM facts LIMIT 2)",
    );
    let o = weft(dir, &["stats"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("moved it to"), "{}", stderr(&o));

    // another program's SQLite database: --no-write answers from memory
    // and leaves it; a writer moves it aside
    let foreign = dir.join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE x (a)")
        .unwrap();
    reset(&std::fs::read(&foreign).unwrap());
    let o = weft(dir, &["--no-write", "stats", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("indexing in memory"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(db(dir)).unwrap(),
        std::fs::read(&foreign).unwrap()
    );
    let o = weft(dir, &["stats"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("moved it to"), "{}", stderr(&o));
    passes_check();
}
