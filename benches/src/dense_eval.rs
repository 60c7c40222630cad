//! The dense and hybrid half of `weft-bench search-eval` (built with
//! `--features dense`, rustc ≥ 1.96: `cargo xtask search-eval --dense`).
//!
//! Among the pairs' functions (the protocol of the lexical `among_pairs`
//! figure): each target's text, as `weft index --embed` would embed it
//! from the stripped tree, goes into a qdrant-edge store; each query is
//! embedded and ranked against it; hybrid fuses that ranking with BM25's
//! by RRF, as `weft search` does. Then the store's own speed at 100k
//! points: the targets' vectors plus synthetic ones (random unit vectors;
//! real embeddings cluster, which HNSW finds easier, so this errs slow).

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::{Value, json};
use weft_db::SymbolRecord;
use weft_dense::edge::EdgeStore;
use weft_dense::fuse::{RRF_K, rrf};
use weft_dense::minilm::MiniLm;
use weft_dense::text::symbol_text;
use weft_dense::{DIM, Embedder, Filter, Meta, Point, VectorStore};

use crate::ranks::Ranks;
use crate::{ms, pct};

/// Candidates each ranking gives the fusion, as `weft search` does.
const CANDIDATES: usize = 100;

fn embed_all(m: &mut MiniLm, texts: &[String]) -> Result<Vec<Vec<f32>>> {
    let mut out = Vec::with_capacity(texts.len());
    for c in texts.chunks(weft_dense::sync::BATCH) {
        let refs: Vec<&str> = c.iter().map(String::as_str).collect();
        out.extend(m.embed(&refs)?);
    }
    Ok(out)
}

fn point(id: u64, vector: Vec<f32>, kind: &str) -> Point {
    Point {
        id,
        vector,
        meta: Meta {
            kind: kind.into(),
            lang: "rust".into(),
            path: String::new(),
            hash: String::new(),
        },
    }
}

/// `targets[i]` answers `queries[i]` (None: lost in stripping);
/// `lexical[i]` is BM25's ranking of the pool for query i, best first.
pub fn run(
    work: &Path,
    tree: &Path,
    queries: &[String],
    targets: &[Option<SymbolRecord>],
    lexical: &[Vec<u64>],
) -> Result<(Value, Value)> {
    let dir = std::env::var("WEFT_MINILM_DIR")
        .context("WEFT_MINILM_DIR must name the all-MiniLM-L6-v2 folder (cargo xtask search-eval --dense sets it)")?;
    let mut m = MiniLm::load(Path::new(&dir))?;
    let pool: Vec<&SymbolRecord> = targets.iter().flatten().collect();
    let texts: Vec<String> = pool
        .iter()
        .map(|r| {
            let src = std::fs::read_to_string(tree.join(&r.file)).ok();
            symbol_text(r, src.as_deref())
        })
        .collect();
    let t = Instant::now();
    let vectors = embed_all(&mut m, &texts)?;
    let embed_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let query_vectors = embed_all(&mut m, queries)?;
    let query_embed_s = t.elapsed().as_secs_f64();
    let mut one_query = Vec::new();
    for q in queries.iter().take(50) {
        let t = Instant::now();
        m.embed(&[q])?;
        one_query.push(ms(t.elapsed()));
    }

    let mut store = EdgeStore::open(&work.join("vectors-pairs"))?;
    store.upsert(
        pool.iter()
            .zip(&vectors)
            .map(|(r, v)| point(r.id.0, v.clone(), "function"))
            .collect(),
    )?;
    store.finish()?;
    let (mut dense, mut hybrid) = (Ranks::default(), Ranks::default());
    for ((qv, target), lex) in query_vectors.iter().zip(targets).zip(lexical) {
        let Some(target) = target else {
            dense.add(None);
            hybrid.add(None);
            continue;
        };
        let ids: Vec<u64> = store
            .nearest(qv, &Filter::default(), CANDIDATES)?
            .into_iter()
            .map(|x| x.0)
            .collect();
        dense.add(ids.iter().take(10).position(|i| *i == target.id.0));
        let lex: Vec<u64> = lex.iter().take(CANDIDATES).copied().collect();
        let fused: Vec<u64> = rrf(&[&lex, &ids], RRF_K).into_iter().map(|x| x.0).collect();
        hybrid.add(fused.iter().take(10).position(|i| *i == target.id.0));
    }
    drop(store);

    // the store at 100k points
    let n = 100_000usize;
    let mut big = EdgeStore::open(&work.join("vectors-100k"))?;
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut random_unit = || {
        let v: Vec<f32> = (0..DIM)
            .map(|_| {
                // a sum of uniforms: roughly normal, so directions are uniform
                (0..4)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        (x >> 11) as f32 / (1u64 << 53) as f32 - 0.5
                    })
                    .sum::<f32>()
            })
            .collect();
        let norm = v.iter().map(|a| a * a).sum::<f32>().sqrt();
        v.into_iter().map(|a| a / norm).collect::<Vec<f32>>()
    };
    const KINDS: [&str; 5] = ["function", "method", "struct", "enum", "trait"];
    let t = Instant::now();
    let mut batch = Vec::new();
    for i in 0..n {
        let v = match vectors.get(i) {
            Some(v) => v.clone(),
            None => random_unit(),
        };
        batch.push(point(1 + i as u64, v, KINDS[i % KINDS.len()]));
        if batch.len() == 4096 {
            big.upsert(std::mem::take(&mut batch))?;
        }
    }
    big.upsert(batch)?;
    let upsert_ms = ms(t.elapsed());
    let t = Instant::now();
    big.finish()?;
    let build_ms = ms(t.elapsed());
    let only = Filter {
        kinds: vec!["function".into()],
        langs: vec![],
    };
    let (mut plain, mut filtered, mut found) = (Vec::new(), Vec::new(), 0usize);
    for (i, qv) in query_vectors.iter().enumerate() {
        let t = Instant::now();
        let hits = big.nearest(qv, &Filter::default(), 10)?;
        plain.push(ms(t.elapsed()));
        // the pair's own target is among the first points, with its real vector
        found += usize::from(hits.iter().any(|h| h.0 == 1 + i as u64));
        let t = Instant::now();
        big.nearest(qv, &only, 10)?;
        filtered.push(ms(t.elapsed()));
    }
    let t = Instant::now();
    drop(big);
    let reopened = EdgeStore::open(&work.join("vectors-100k"))?;
    let reopen_ms = ms(t.elapsed());
    anyhow::ensure!(
        reopened.len()? == n,
        "the 100k store lost points on reopening"
    );

    let dense = json!({
        "among_pairs": dense.json(),
        "embed_texts_per_s": texts.len() as f64 / embed_s,
        "embed_queries_per_s": queries.len() as f64 / query_embed_s,
        "one_query_embed_ms_p50": pct(one_query, 0.5),
        "store_100k": {
            "points": n, "real_vectors": vectors.len(),
            "upsert_ms": upsert_ms, "index_build_ms": build_ms, "reopen_ms": reopen_ms,
            "top10_ms_p50": pct(plain.clone(), 0.5), "top10_ms_p95": pct(plain, 0.95),
            "filtered_20pct_top10_ms_p95": pct(filtered, 0.95),
            "queries_finding_their_pair_among_100k": found,
        },
    });
    Ok((
        dense,
        json!({ "among_pairs": hybrid.json(), "rrf_k": RRF_K, "candidates": CANDIDATES }),
    ))
}
