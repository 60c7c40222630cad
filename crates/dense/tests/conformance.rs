//! One conformance suite for every vector store: the embedded engine
//! (`qdrant-edge`), the remote client against the in-process gRPC double
//! (answered by the same engine), and, when `QDRANT_URL` is set, a real
//! Qdrant server. Each is checked against [`ExactStore`], exact cosine
//! nearest neighbours in memory.
//!
//! Needs the `qdrant-edge` feature, hence rustc ≥ 1.96:
//! `cargo xtask dense test` runs it (docs/SEARCH.md).
#![cfg(feature = "qdrant-edge")]

use weft_dense::edge::EdgeStore;
use weft_dense::{DIM, ExactStore, Filter, Meta, Point, VectorStore};

const KINDS: [&str; 3] = ["function", "struct", "method"];
const LANGS: [&str; 2] = ["rust", "python"];

/// A deterministic pseudo-random unit-free vector from a seed.
fn vector(seed: u64) -> Vec<f32> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..DIM)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 2001) as f32 / 1000.0 - 1.0
        })
        .collect()
}

fn point(id: u64, seed: u64) -> Point {
    Point {
        id,
        vector: vector(seed),
        meta: Meta {
            kind: KINDS[(id % 3) as usize].into(),
            lang: LANGS[(id % 2) as usize].into(),
            path: format!("src/m{}.rs", id % 7),
            hash: format!("h{id}-{seed}"),
        },
    }
}

fn ids(v: &[(u64, f32)]) -> Vec<u64> {
    v.iter().map(|x| x.0).collect()
}

/// The same answers as the exact store, to the id; scores within 1e-4.
fn same(store: &dyn VectorStore, exact: &ExactStore, filter: &Filter, seeds: std::ops::Range<u64>) {
    for s in seeds {
        let q = vector(10_000 + s);
        let got = store.nearest(&q, filter, 10).unwrap();
        let want = exact.nearest(&q, filter, 10).unwrap();
        assert_eq!(
            ids(&got),
            ids(&want),
            "{}: query {s}, {filter:?}",
            store.describe()
        );
        for (g, w) in got.iter().zip(&want) {
            assert!(
                (g.1 - w.1).abs() < 1e-4,
                "{}: score {} vs {}",
                store.describe(),
                g.1,
                w.1
            );
        }
    }
}

/// What every backend must do. Leaves 150 points behind, for the reopen checks.
fn conformance(store: &mut dyn VectorStore) {
    let name = store.describe();
    assert_eq!(store.len().unwrap(), 0, "{name}: starts empty");
    assert!(store.hashes().unwrap().is_empty());
    assert!(
        store
            .nearest(&vector(1), &Filter::default(), 10)
            .unwrap()
            .is_empty()
    );

    let mut exact = ExactStore::default();
    let points: Vec<Point> = (0..200).map(|i| point(i, i)).collect();
    // several batches, as the sync sends them
    for chunk in points.chunks(64) {
        store.upsert(chunk.to_vec()).unwrap();
    }
    exact.upsert(points.clone()).unwrap();
    assert_eq!(store.len().unwrap(), 200, "{name}");
    assert_eq!(
        store.hashes().unwrap(),
        exact.hashes().unwrap(),
        "{name}: hashes"
    );

    let all = Filter::default();
    let functions = Filter {
        kinds: vec!["function".into()],
        langs: vec![],
    };
    let py_types = Filter {
        kinds: vec!["struct".into(), "method".into()],
        langs: vec!["python".into()],
    };
    same(store, &exact, &all, 0..10);
    same(store, &exact, &functions, 0..5);
    same(store, &exact, &py_types, 0..5);

    // a point is found at its own vector, first, with similarity 1
    let hit = store.nearest(&vector(42), &all, 1).unwrap();
    assert_eq!(hit[0].0, 42, "{name}");
    assert!((hit[0].1 - 1.0).abs() < 1e-4, "{name}: {}", hit[0].1);

    // replacing a point changes its vector and hash
    store.upsert(vec![point(42, 777)]).unwrap();
    exact.upsert(vec![point(42, 777)]).unwrap();
    assert_eq!(store.hashes().unwrap()[&42], "h42-777", "{name}");
    assert_eq!(
        store.nearest(&vector(777), &all, 1).unwrap()[0].0,
        42,
        "{name}"
    );
    assert_ne!(
        store.nearest(&vector(42), &all, 1).unwrap()[0].0,
        42,
        "{name}"
    );

    // deleted points are gone from every answer
    let gone: Vec<u64> = (0..200).filter(|i| i % 4 == 1).collect();
    store.delete(&gone).unwrap();
    exact.delete(&gone).unwrap();
    assert_eq!(store.len().unwrap(), 150, "{name}");
    let hashes = store.hashes().unwrap();
    assert!(gone.iter().all(|g| !hashes.contains_key(g)), "{name}");
    same(store, &exact, &all, 10..20);

    // finishing (index build, flush) changes no answer
    store.finish().unwrap();
    assert_eq!(store.hashes().unwrap(), exact.hashes().unwrap(), "{name}");
    same(store, &exact, &all, 20..30);
    same(store, &exact, &functions, 5..10);

    // a vector of the wrong size is refused, naming the symbol
    let mut bad = point(9999, 1);
    bad.vector.pop();
    let err = store.upsert(vec![bad]).unwrap_err().to_string();
    assert!(err.contains("000000000000270f"), "{name}: {err}");
    assert_eq!(store.len().unwrap(), 150, "{name}: nothing written");
}

/// After [`conformance`]: a store opened again holds what was written.
fn reopened(store: &dyn VectorStore) {
    let hashes = store.hashes().unwrap();
    assert_eq!(hashes.len(), 150, "{}", store.describe());
    assert_eq!(hashes[&42], "h42-777");
    assert_eq!(
        store.nearest(&vector(777), &Filter::default(), 1).unwrap()[0].0,
        42
    );
}

#[test]
fn embedded_engine_conforms_and_persists() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vectors");
    {
        let mut store = EdgeStore::open(&path).unwrap();
        conformance(&mut store);
    }
    let store = EdgeStore::open(&path).unwrap();
    reopened(&store);
}

/// A vector on an 8-dimensional subspace: like embeddings, whose points
/// lie near a low-dimensional manifold (uniform random vectors in 384
/// dimensions are all nearly equidistant, which no approximate index
/// ranks well).
fn on_manifold(seed: u64) -> Vec<f32> {
    let z = vector(seed);
    let mut v = vec![0f32; DIM];
    for (j, zj) in z.iter().take(8).enumerate() {
        for (x, b) in v.iter_mut().zip(vector(1_000_000 + j as u64)) {
            *x += zj * b;
        }
    }
    v
}

#[test]
fn embedded_engine_keeps_recall_past_its_index_threshold() {
    // enough points that the engine builds HNSW on finish; its top 10
    // must still mostly agree with the exact answer
    let dir = tempfile::tempdir().unwrap();
    let mut store = EdgeStore::open(&dir.path().join("v")).unwrap();
    let mut exact = ExactStore::default();
    let points: Vec<Point> = (0..20_000)
        .map(|i| Point {
            vector: on_manifold(i),
            ..point(i, i)
        })
        .collect();
    for c in points.chunks(2048) {
        store.upsert(c.to_vec()).unwrap();
    }
    exact.upsert(points).unwrap();
    store.finish().unwrap();
    let (mut found, mut wanted) = (0, 0);
    for s in 0..20 {
        let q = on_manifold(50_000 + s);
        let got: Vec<u64> = ids(&store.nearest(&q, &Filter::default(), 10).unwrap());
        let want = ids(&exact.nearest(&q, &Filter::default(), 10).unwrap());
        found += want.iter().filter(|w| got.contains(w)).count();
        wanted += want.len();
    }
    let recall = found as f64 / wanted as f64;
    assert!(recall >= 0.9, "recall@10 {recall}");
}

#[cfg(feature = "grpc-double")]
#[test]
fn remote_client_conforms_against_the_grpc_double() {
    use weft_dense::remote::RemoteStore;
    let dir = tempfile::tempdir().unwrap();
    let server = weft_dense::double::serve(dir.path().to_path_buf()).unwrap();
    {
        let mut store = RemoteStore::connect(&server.url(), "weft_test").unwrap();
        conformance(&mut store);
    }
    // connecting again finds the collection rather than creating it
    let store = RemoteStore::connect(&server.url(), "weft_test").unwrap();
    reopened(&store);
    // nothing listening: a clear error naming the address, not a hang
    drop(server);
    let err = RemoteStore::connect("http://127.0.0.1:9", "weft_test")
        .err()
        .unwrap();
    assert!(format!("{err:#}").contains("127.0.0.1:9"), "{err:#}");
}

/// Against a real Qdrant server: `QDRANT_URL=http://host:6334` (gRPC).
/// Uses a fresh collection and deletes nothing else.
#[cfg(feature = "qdrant-client")]
#[test]
fn remote_client_conforms_against_a_real_server_when_qdrant_url_is_set() {
    let Ok(url) = std::env::var("QDRANT_URL") else {
        eprintln!("QDRANT_URL is not set: no real Qdrant server to test against");
        return;
    };
    let name = format!("weft_conformance_{}", std::process::id());
    let mut store = weft_dense::remote::RemoteStore::connect(&url, &name).unwrap();
    conformance(&mut store);
    let store = weft_dense::remote::RemoteStore::connect(&url, &name).unwrap();
    reopened(&store);
    store.drop_collection().unwrap();
}
