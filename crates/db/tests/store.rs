//! The native store on its own: updates are atomic, a full disk loses
//! nothing, rows survive a round trip through postcard.
#![cfg(feature = "sqlite")]

use std::time::Duration;

use proptest::prelude::*;
use weft_db::rows::{FileRows, FileStats, ImportRow, InheritRow, RefRow};
use weft_db::store::{FactsBlob, FileState, Notice, OpenOptions, Store, StoreError, Update};
use weft_db::word_filter::WordFilter;
use weft_db::{Lang, Pos, Resolution, Role, Span, SymbolId, SymbolKind, SymbolRecord, Target};

/// weft-db knows no language by itself: the tests name theirs.
fn lang(name: &str) -> Lang {
    Lang::register(name, &[]).unwrap()
}

fn opts() -> OpenOptions {
    OpenOptions {
        verify: false,
        lock_timeout: Duration::from_secs(1),
        extractor: "test".into(),
        read_only: false,
    }
}

fn span(l: u32) -> Span {
    Span {
        start: Pos { line: l, col: 1 },
        end: Pos { line: l, col: 9 },
    }
}

/// A file with `n` symbols and `n` references, its doc padded to `pad` bytes.
fn file(path: &str, n: usize, pad: usize) -> (FileState, FileRows) {
    let symbols: Vec<SymbolRecord> = (0..n)
        .map(|i| SymbolRecord {
            id: SymbolId::derive(path, &format!("f{i}"), "function", 0),
            name: format!("f{i}"),
            qualified_name: format!("m::f{i}"),
            kind: SymbolKind::Function,
            lang: lang("rust"),
            file: path.into(),
            span: span(i as u32),
            full_span: span(i as u32),
            container: None,
            exported: true,
            signature: format!("fn f{i}()"),
            doc: Some("x".repeat(pad)),
        })
        .collect();
    let refs = (0..n)
        .map(|i| RefRow {
            span: span(i as u32),
            role: Role::Call,
            source: Some(symbols[i].id),
            caller: Some(symbols[i].id),
            target: Target {
                resolution: Resolution::Scoped,
                symbol: Some(symbols[(i + 1) % n].id),
                name: format!("f{}", (i + 1) % n),
                module: None,
            },
        })
        .collect();
    let rows = FileRows {
        path: path.into(),
        lang: lang("rust"),
        stats: FileStats {
            symbols: n as u32,
            calls: n as u32,
            scoped: n as u32,
            ..Default::default()
        },
        symbols,
        refs,
        inherits: vec![],
        imports: vec![],
        deps: Default::default(),
    };
    let state = FileState {
        path: path.into(),
        lang: lang("rust"),
        hash: blake3::hash(path.as_bytes()).to_hex().to_string(),
        size: 10,
        mtime_ns: 1,
    };
    (state, rows)
}

fn update(files: Vec<(FileState, FileRows)>) -> Update {
    let mut u = Update::default();
    for (s, r) in files {
        u.blobs.push(FactsBlob {
            hash: s.hash.clone(),
            data: vec![1, 2, 3],
            words: WordFilter::of(&s.path).as_bytes().to_vec(),
        });
        let d = r.digest();
        u.states.push(s);
        u.rows.push((r, d));
    }
    u
}

/// The one integer `sql` selects.
fn scalar(store: &Store, sql: &str) -> i64 {
    store.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_full_disk_fails_the_update_and_keeps_the_previous_revision() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.db");
    let (mut store, _) = Store::open(&path, &opts()).unwrap();
    store.write(&update(vec![file("a.rs", 20, 10)])).unwrap();
    let before = store.dump(true).unwrap();
    // SQLite reports SQLITE_FULL when the database may not grow: exactly
    // what a full disk produces.
    let pages = scalar(&store, "PRAGMA page_count");
    store
        .connection()
        .execute_batch(&format!("PRAGMA max_page_count = {}", pages + 2))
        .unwrap();
    let big = update(
        (0..50)
            .map(|i| file(&format!("b{i}.rs"), 50, 500))
            .collect(),
    );
    let err = store.write(&big).unwrap_err();
    assert!(
        matches!(err, StoreError::DiskFull { revision: 1, .. }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("disk is full") && msg.contains("nothing was lost"),
        "{msg}"
    );
    assert_eq!(store.dump(true).unwrap(), before);
    assert_eq!(store.revision().unwrap(), 1);
    // room again: the same update goes through
    store
        .connection()
        .execute_batch("PRAGMA max_page_count = 1073741823")
        .unwrap();
    assert_eq!(store.write(&big).unwrap().revision, 2);
    assert!(store.check(&|_, _| Ok(None)).unwrap().is_empty());
}

#[test]
fn an_update_replaces_only_its_files_rows_and_removal_leaves_a_tombstone() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = Store::open(&dir.path().join("g.db"), &opts()).unwrap();
    store
        .write(&update(vec![file("a.rs", 3, 0), file("b.rs", 4, 0)]))
        .unwrap();
    let count = |s: &Store, table: &str| scalar(s, &format!("SELECT count(*) FROM {table}"));
    assert_eq!(count(&store, "symbols"), 7);
    store.write(&update(vec![file("a.rs", 1, 0)])).unwrap();
    assert_eq!(count(&store, "symbols"), 5);
    assert_eq!(count(&store, "refs"), 5);
    let u = Update {
        removed: vec!["b.rs".into()],
        ..Default::default()
    };
    let r = store.write(&u).unwrap();
    assert_eq!(count(&store, "symbols"), 1);
    let tomb = scalar(
        &store,
        "SELECT revision FROM removed_files WHERE path = 'b.rs'",
    );
    assert_eq!(tomb, r.revision);
    assert!(store.check(&|_, _| Ok(None)).unwrap().is_empty());
}

/// The search table holds each symbol's words once, in the index: no
/// second copy of the text, and a replaced file leaves the same BM25
/// totals as writing its new rows to begin with.
#[test]
fn search_rows_are_contentless_and_replacing_them_ranks_as_a_fresh_write() {
    let dir = tempfile::tempdir().unwrap();
    let (mut edited, _) = Store::open(&dir.path().join("edited.db"), &opts()).unwrap();
    edited
        .write(&update(vec![file("a.rs", 3, 40), file("b.rs", 4, 0)]))
        .unwrap();
    edited.write(&update(vec![file("a.rs", 1, 0)])).unwrap();
    let (mut fresh, _) = Store::open(&dir.path().join("fresh.db"), &opts()).unwrap();
    fresh
        .write(&update(vec![file("a.rs", 1, 0), file("b.rs", 4, 0)]))
        .unwrap();
    let scores = |s: &Store| -> Vec<(i64, f64)> {
        let mut st = s
            .connection()
            .prepare("SELECT rowid, bm25(search) FROM search WHERE search MATCH 'f0 OR m' ORDER BY rowid")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let after_edit = scores(&edited);
    assert_eq!(after_edit.len(), 5, "{after_edit:?}");
    assert_eq!(after_edit, scores(&fresh));
    let content_tables = scalar(
        &edited,
        "SELECT count(*) FROM sqlite_schema WHERE name = 'search_content'",
    );
    assert_eq!(content_tables, 0);
    assert!(edited.check(&|_, _| Ok(None)).unwrap().is_empty());
}

/// A snapshot that a checking writer closed cleanly opens again without
/// SQLite's whole-file check; once anything touched the file since, the
/// check runs. Shown with a damaged page that only that check reads.
#[test]
fn the_whole_file_check_runs_only_when_the_file_changed_behind_weft() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.db");
    let checking = OpenOptions {
        verify: true,
        ..opts()
    };
    let (mut store, _) = Store::open(&path, &checking).unwrap();
    store.write(&update(vec![file("a.rs", 50, 10)])).unwrap();
    let (page_size, refs_page): (i64, i64) = store
        .connection()
        .query_row(
            "SELECT (SELECT page_size FROM pragma_page_size), rootpage FROM sqlite_schema WHERE name = 'refs'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(store);
    assert!(dir.path().join("g.db.verified").exists());

    // an invalid b-tree page type on the references' page, the file's
    // size and times kept
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[((refs_page - 1) * page_size) as usize] = 0xff;
    std::fs::write(&path, &bytes).unwrap();
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(before).unwrap();
    drop(f);
    let (store, notices) = Store::open(&path, &checking).unwrap();
    assert!(notices.is_empty(), "{notices:?}");
    drop(store);

    // the same file a second later: checked whole, moved aside, rebuilt
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(before + Duration::from_secs(1)).unwrap();
    drop(f);
    let (store, notices) = Store::open(&path, &checking).unwrap();
    assert!(
        notices
            .iter()
            .any(|n| matches!(n, Notice::MovedAside { .. })),
        "{notices:?}"
    );
    assert!(store.files().unwrap().is_empty());
}

#[test]
fn another_extractor_rebuilds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.db");
    let (mut store, _) = Store::open(&path, &opts()).unwrap();
    store.write(&update(vec![file("a.rs", 3, 0)])).unwrap();
    drop(store);
    let mut other = opts();
    other.extractor = "newer".into();
    let (store, notices) = Store::open(&path, &other).unwrap();
    assert!(
        notices
            .iter()
            .any(|n| n.to_string().contains("another version")),
        "{notices:?}"
    );
    assert!(store.files().unwrap().is_empty());
}

fn arb_span() -> impl Strategy<Value = Span> {
    (0u32..5000, 0u32..300, 0u32..5000, 0u32..300).prop_map(|(a, b, c, d)| Span {
        start: Pos { line: a, col: b },
        end: Pos { line: c, col: d },
    })
}

fn arb_id() -> impl Strategy<Value = SymbolId> {
    any::<u64>().prop_map(SymbolId)
}

fn arb_target() -> impl Strategy<Value = Target> {
    (
        prop::sample::select(Resolution::ALL.to_vec()),
        prop::option::of(arb_id()),
        "\\PC{0,12}",
        prop::option::of("[a-z:]{0,20}"),
    )
        .prop_map(|(resolution, symbol, name, module)| Target {
            resolution,
            symbol,
            name,
            module,
        })
}

fn arb_rows() -> impl Strategy<Value = FileRows> {
    let symbol = (
        arb_id(),
        "\\PC{0,10}",
        prop::sample::select(SymbolKind::ALL.to_vec()),
        arb_span(),
        prop::option::of(arb_id()),
        any::<bool>(),
        "\\PC{0,30}",
        prop::option::of("\\PC{0,30}"),
    )
        .prop_map(
            |(id, name, kind, span, container, exported, signature, doc)| SymbolRecord {
                id,
                qualified_name: format!("q::{name}"),
                name,
                kind,
                lang: lang("go"),
                file: "x.go".into(),
                span,
                full_span: span,
                container,
                exported,
                signature,
                doc,
            },
        );
    let r = (
        arb_span(),
        prop::sample::select(Role::ALL.to_vec()),
        prop::option::of(arb_id()),
        prop::option::of(arb_id()),
        arb_target(),
    )
        .prop_map(|(span, role, source, caller, target)| RefRow {
            span,
            role,
            source,
            caller,
            target,
        });
    let inh = (arb_span(), arb_id(), arb_target()).prop_map(|(span, sub, target)| InheritRow {
        span,
        sub,
        target,
    });
    let imp = (
        arb_span(),
        "\\PC{0,20}",
        prop::option::of("[a-z/]{1,20}"),
        prop::sample::select(Resolution::ALL.to_vec()),
        prop::collection::vec("[a-zA-Z_]{1,8}", 0..4),
    )
        .prop_map(|(span, module, file, resolution, names)| ImportRow {
            span,
            module,
            file,
            resolution,
            names,
        });
    (
        prop::collection::vec(symbol, 0..8),
        prop::collection::vec(r, 0..8),
        prop::collection::vec(inh, 0..3),
        prop::collection::vec(imp, 0..3),
        any::<[u16; 4]>(),
    )
        .prop_map(|(symbols, refs, inherits, imports, n)| FileRows {
            path: "x.go".into(),
            lang: lang("go"),
            stats: FileStats {
                symbols: n[0] as u32,
                refs: n[1] as u32,
                unresolved: n[2] as u32,
                syntax_errors: n[3] % 2 == 0,
                ..Default::default()
            },
            symbols,
            refs,
            deps: weft_db::rows::FileDeps {
                external: imports.iter().map(|i| i.module.clone()).collect(),
                ..Default::default()
            },
            inherits,
            imports,
        })
}

proptest! {
    #[test]
    fn rows_round_trip_through_postcard(rows in arb_rows()) {
        let bytes = weft_db::codec::encode(7, &rows);
        let back: FileRows = weft_db::codec::decode(7, &bytes).unwrap();
        prop_assert_eq!(&back, &rows);
        prop_assert_eq!(back.digest(), rows.digest());
        // and through the store's tables, as records
        prop_assert_eq!(back.records(), rows.records());
    }
}

#[test]
fn a_contents_words_are_kept_beside_its_facts_and_not_lost_to_a_rewrite_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = Store::open(&dir.path().join("g.db"), &opts()).unwrap();
    store.write(&update(vec![file("alpha.rs", 2, 1)])).unwrap();
    let blobs = store.current_blobs().unwrap();
    assert_eq!(blobs.len(), 1);
    let words = WordFilter::from_bytes(&blobs[0].words).unwrap();
    assert!(words.may_hold("alpha") && words.may_hold("rs"));
    // the same content written again by someone who has no text (empty
    // words): the words stay
    let mut again = update(vec![file("alpha.rs", 2, 1)]);
    again.blobs[0].words.clear();
    store.write(&again).unwrap();
    assert_eq!(store.current_blobs().unwrap()[0].words, blobs[0].words);
}
