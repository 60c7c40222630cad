//! The snapshot on disk: after every edit of a seeded random sequence, the
//! incrementally refreshed snapshot must equal a snapshot built fresh from
//! the same tree, and the warm engine (facts taken from the snapshot) must
//! export exactly what a cold in-memory index exports.
//!
//! `WEFT_SNAPSHOT_SEED` and `WEFT_SNAPSHOT_STEPS` replay or lengthen it.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use weft_load::snapshot::{Refreshed, SnapshotOptions, open_and_refresh};
use weft_load::walk::WalkOptions;
use weft_tests::model::Repo;
use weft_tests::{Rng, env_or, export, host_from};

fn refresh(root: &Path, db: &Path) -> Refreshed {
    open_and_refresh(
        root,
        &SnapshotOptions {
            db: db.to_path_buf(),
            lock_timeout: Duration::from_secs(10),
            walk: WalkOptions::new(1 << 20),
            write: true,
            require_write: true,
        },
    )
    .expect("refresh")
}

fn write_tree(root: &Path, before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) {
    for (p, t) in after {
        if before.get(p) != Some(t) {
            let path = root.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        }
    }
    for p in before.keys().filter(|p| !after.contains_key(*p)) {
        std::fs::remove_file(root.join(p)).unwrap();
    }
}

/// A snapshot built from scratch (in its own directory) of the tree at `root`.
fn fresh_dump(root: &Path) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let r = refresh(root, &dir.path().join("fresh.db"));
    assert_eq!(
        r.report.parsed, r.report.files,
        "a fresh snapshot parses everything"
    );
    r.store.dump(true).unwrap()
}

fn first_difference(a: &[String], b: &[String]) -> String {
    let only_a: Vec<&String> = a.iter().filter(|x| !b.contains(x)).take(3).collect();
    let only_b: Vec<&String> = b.iter().filter(|x| !a.contains(x)).take(3).collect();
    format!("only in incremental: {only_a:#?}\nonly in fresh: {only_b:#?}")
}

#[test]
fn incremental_snapshot_equals_fresh_and_warm_equals_cold() {
    let seed: u64 = env_or("WEFT_SNAPSHOT_SEED", 0xd15c);
    let steps: usize = env_or("WEFT_SNAPSHOT_STEPS", 60);
    let tree = tempfile::tempdir().unwrap();
    let root = tree.path();
    let db = root.join(".weft/graph.db");
    let mut rng = Rng::new(seed);
    let mut repo = Repo::new(&mut rng);
    let mut before = repo.render();
    write_tree(root, &BTreeMap::new(), &before);

    let cold = refresh(root, &db);
    assert_eq!(cold.report.cache_hits, 0);
    let cold_dump = cold.store.dump(true).unwrap();
    drop(cold);
    // Nothing changed: every file's facts come from the snapshot.
    let warm = refresh(root, &db);
    assert_eq!(warm.report.parsed, 0, "{:?}", warm.report);
    assert_eq!(warm.report.cache_hits, warm.report.files);
    assert_eq!(warm.report.rows_rewritten, 0);
    assert_eq!(
        export(&warm.host),
        export(&host_from(&before)),
        "warm export differs from cold"
    );
    assert_eq!(warm.store.dump(true).unwrap(), cold_dump);
    drop(warm);

    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for step in 0..steps {
        let kind = repo.edit(&mut rng);
        *kinds.entry(kind).or_default() += 1;
        let after = repo.render();
        write_tree(root, &before, &after);
        let changed = after
            .iter()
            .filter(|(p, t)| before.get(*p) != Some(*t))
            .count();
        let r = refresh(root, &db);
        assert!(
            r.report.parsed <= changed,
            "step {step} ({kind}): parsed {} files for {changed} changed",
            r.report.parsed
        );
        let incremental = r.store.dump(true).unwrap();
        let fresh = fresh_dump(root);
        assert!(
            incremental == fresh,
            "step {step} ({kind}, seed {seed}): the refreshed snapshot differs from a fresh one\n{}",
            first_difference(&incremental, &fresh)
        );
        assert_eq!(
            export(&r.host),
            export(&host_from(&after)),
            "step {step} ({kind}): warm export differs from cold"
        );
        before = after;
    }
    assert!(
        kinds.len() >= 6,
        "too few kinds of edit exercised: {kinds:?}"
    );
}

/// A first index bigger than every chunk it is streamed in (rows, facts
/// kept decoded, statement batches): every file's rows and facts reach the
/// snapshot, and they are what a warm engine computes.
#[test]
fn a_first_index_bigger_than_its_chunks_is_written_whole() {
    const N: usize = 2100;
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    files.insert("Cargo.toml".into(), "[package]\nname = \"big\"\n".into());
    let mut lib = String::new();
    for i in 0..N {
        lib += &format!("pub mod m{i};\n");
        let next = (i + 1) % N;
        files.insert(
            format!("src/m{i}.rs"),
            format!(
                "pub struct S{i} {{ pub v: u32 }}\npub fn f{i}(x: u32) -> u32 {{\n    let s = S{i} {{ v: x }};\n    crate::m{next}::f{next}(s.v)\n}}\n"
            ),
        );
    }
    files.insert("src/lib.rs".into(), lib);
    let tree = tempfile::tempdir().unwrap();
    let root = tree.path();
    write_tree(root, &BTreeMap::new(), &files);
    let db = root.join(".weft/graph.db");

    let cold = refresh(root, &db);
    assert_eq!(cold.report.parsed, N + 1);
    assert_eq!(cold.report.rows_rewritten, N + 1);
    let all: Vec<weft_queries::facts::Name> = files
        .keys()
        .filter(|p| p.ends_with(".rs"))
        .map(|p| p.as_str().into())
        .collect();
    let rows = cold.host.file_rows(&all).expect("not cancelled");
    let count = |table: &str| -> usize {
        let q = format!("SELECT count(*) FROM {table}");
        let n: i64 = cold
            .store
            .connection()
            .query_row(&q, [], |r| r.get(0))
            .unwrap();
        n as usize
    };
    assert_eq!(count("files"), N + 1);
    assert_eq!(
        count("refs"),
        rows.iter().map(|r| r.refs.len()).sum::<usize>()
    );
    assert_eq!(
        count("symbols"),
        rows.iter().map(|r| r.symbols.len()).sum::<usize>()
    );
    assert_eq!(count("facts"), N + 1);
    drop(cold);

    let warm = refresh(root, &db);
    assert_eq!(warm.report.cache_hits, N + 1, "{:?}", warm.report);
    assert_eq!(warm.report.rows_rewritten, 0);
    assert_eq!(export(&warm.host), export(&host_from(&files)));
}
