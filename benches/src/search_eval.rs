//! `weft-bench search-eval DIR [PAIRS]`: how well word search finds a
//! function from a description of it. Each documented function or method
//! of DIR gives a pair: its doc comment's first paragraph is the query, the
//! function is the answer. The code is then indexed with every doc comment
//! removed (a copy of DIR, stripped), so a query can only be answered from
//! names, qualified names and signatures, as for code nobody documented.
//! Reports MRR@10 and recall@1/@10, query latency from the engine and
//! from the snapshot's FTS5 table (which must rank alike), and index time.

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use serde_json::json;
use weft_db::search::{Split, query_words};
use weft_db::store::{OpenOptions, Store};
use weft_db::{SymbolId, SymbolKind};
use weft_queries::db::{DefLoc, all_files, file_facts};
use weft_queries::search::{SearchIndex, file_words, search, search_index, search_split};

use crate::ranks::Ranks;
use weft_queries::symbols::SymbolFilter;
use weft_queries::symbols::{find_by_id, qualified_name, symbol_id, symbol_record};

use crate::{ms, pct, scratch_dir, seeded_picker};

/// The query a doc comment makes: its first paragraph, on one line.
fn summary(doc: &str) -> String {
    doc.lines()
        .map(str::trim)
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Rust source with its doc comments (`///`, `//!`, `/** */`, `/*! */`,
/// `#[doc = ...]` lines) blanked, line count kept.
fn strip_docs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_block = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let blank = if in_block {
            in_block = !t.contains("*/");
            true
        } else if t.starts_with("/**") || t.starts_with("/*!") {
            in_block = !t[3..].contains("*/");
            true
        } else {
            t.starts_with("///") || t.starts_with("//!") || t.starts_with("#[doc")
        };
        if blank {
            if line.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(line);
        }
    }
    out
}

fn strip_tree(from: &Path, to: &Path) -> Result<usize> {
    let mut stripped = 0;
    for e in ignore::WalkBuilder::new(from).build() {
        let e = e?;
        let rel = e.path().strip_prefix(from)?;
        let dest = to.join(rel);
        if e.file_type().is_some_and(|t| t.is_dir()) {
            std::fs::create_dir_all(&dest)?;
            continue;
        }
        let bytes = std::fs::read(e.path())?;
        match (
            rel.extension().and_then(|x| x.to_str()),
            std::str::from_utf8(&bytes),
        ) {
            (Some("rs"), Ok(text)) => {
                std::fs::write(&dest, strip_docs(text))?;
                stripped += 1;
            }
            _ => std::fs::write(&dest, &bytes)?,
        }
    }
    Ok(stripped)
}

pub fn run(dir: &Path, wanted: usize) -> Result<()> {
    // the pairs, from the documented tree
    let l = crate::load(dir);
    let mut pairs: Vec<(SymbolId, String)> = l
        .host
        .analysis()
        .with_db(|db| {
            let mut v = Vec::new();
            for f in all_files(db) {
                for (i, d) in file_facts(db, f).defs.iter().enumerate() {
                    if !matches!(d.kind, SymbolKind::Function | SymbolKind::Method) {
                        continue;
                    }
                    let Some(doc) = &d.doc else { continue };
                    let q = summary(doc);
                    if query_words(&q).len() >= 2 {
                        v.push((symbol_id(db, (f, i as u32)), q));
                    }
                }
            }
            v
        })
        .expect("nothing cancels the evaluation");
    let documented = pairs.len();
    let mut next = seeded_picker();
    for i in 0..pairs.len() {
        let j = i + next(pairs.len() - i);
        pairs.swap(i, j);
    }
    pairs.truncate(wanted);
    drop(l);

    // the tree without its docs, indexed into a snapshot
    let work = scratch_dir(dir)?;
    let root = work.join("tree");
    let stripped = strip_tree(dir, &root)?;
    let db_path = work.join("graph.db");
    let t = Instant::now();
    let r = weft_load::snapshot::open_and_refresh(
        &root,
        &weft_load::snapshot::SnapshotOptions {
            db: db_path.clone(),
            lock_timeout: std::time::Duration::from_secs(60),
            walk: weft_load::walk::WalkOptions::new(4 << 20),
            write: true,
            require_write: true,
        },
    )?;
    let index_ms = ms(t.elapsed());
    let report = r.report;
    drop(r.store);
    let (store, _) = Store::open(&db_path, &OpenOptions::reader())?;

    let out = r.host.analysis().with_db(|db| {
        let t = Instant::now();
        let index = search_index(db);
        let engine_index_ms = ms(t.elapsed());
        // what an edit costs: every file's words are memo hits, only the
        // index over them is built again
        let t = Instant::now();
        let words: Vec<_> = all_files(db).into_iter().map(|f| (f, file_words(db, f), file_facts(db, f))).collect();
        let rebuilt = SearchIndex::build(words.iter().flat_map(|(f, w, facts)| {
            w.iter().enumerate().map(move |(i, d)| ((*f, i as u32), facts.defs[i].kind, d))
        }));
        let engine_rebuild_ms = ms(t.elapsed());
        assert_eq!(rebuilt.len(), index.len());
        let targets: Vec<Option<DefLoc>> = pairs.iter().map(|(id, _)| find_by_id(db, *id)).collect();
        let pool: HashSet<DefLoc> = targets.iter().flatten().copied().collect();
        let (mut corpus, mut krate, mut among_pairs) = (Ranks::default(), Ranks::default(), Ranks::default());
        // every word finding rows, as before the split: what the split costs
        let mut unsplit = Ranks::default();
        // BM25's ranking of the pool per query, for the hybrid figure
        let mut pool_rankings: Vec<Vec<u64>> = Vec::new();
        let (mut engine_ms, mut fts_ms, mut disagree) = (Vec::new(), Vec::new(), 0);
        let (mut fts_crate_ms, mut disagree_crate) = (Vec::new(), 0);
        let mut show: usize = std::env::var("WEFT_EVAL_SHOW")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        for ((id, q), target) in pairs.iter().zip(&targets) {
            let top10 = SymbolFilter {
                limit: 10,
                ..SymbolFilter::default()
            };
            let t = Instant::now();
            let hits = search(db, q, &top10).unwrap_or_default();
            engine_ms.push(ms(t.elapsed()));
            let t = Instant::now();
            let fts: Vec<SymbolId> =
                weft_db::read::now(weft_db::read::search(&store, q, &[], &[], None, 10))
                    .map(|h| h.into_iter().map(|h| h.symbol.id).collect())
                    .unwrap_or_default();
            fts_ms.push(ms(t.elapsed()));
            let ids: Vec<SymbolId> = hits.iter().map(|(_, l)| symbol_id(db, *l)).collect();
            disagree += usize::from(fts != ids);
            let all_words = Split { distinctive: query_words(q), common: Vec::new() };
            let unsplit_hits = search_split(db, &all_words, &top10);
            let Some(target) = *target else {
                corpus.add(None);
                unsplit.add(None);
                krate.add(None);
                among_pairs.add(None);
                pool_rankings.push(Vec::new());
                continue;
            };
            let rank = ids.iter().position(|i| i == id);
            if rank.is_none() && show > 0 {
                show -= 1;
                let want = symbol_record(db, target);
                eprintln!(
                    "missed: {q}\n  wanted {}  {}\n  got    {}",
                    want.qualified_name,
                    want.signature,
                    hits.first().map(|(_, l)| qualified_name(db, *l)).unwrap_or_default()
                );
            }
            corpus.add(rank);
            unsplit.add(unsplit_hits.iter().position(|(_, l)| *l == target));
            // the same search within the target's crate (its top directory)
            let dir = target.0.path(db).split('/').next().unwrap_or("").to_string();
            let in_crate = SymbolFilter {
                limit: 10,
                path: Some(format!("{dir}/")),
                ..SymbolFilter::default()
            };
            let hits = search(db, q, &in_crate).unwrap_or_default();
            krate.add(hits.iter().position(|(_, l)| *l == target));
            let t = Instant::now();
            let fts: Vec<SymbolId> = weft_db::read::now(weft_db::read::search(
                &store,
                q,
                &[],
                &[],
                in_crate.path.as_deref(),
                10,
            ))
            .map(|h| h.into_iter().map(|h| h.symbol.id).collect())
            .unwrap_or_default();
            fts_crate_ms.push(ms(t.elapsed()));
            let ids: Vec<SymbolId> = hits.iter().map(|(_, l)| symbol_id(db, *l)).collect();
            disagree_crate += usize::from(fts != ids);
            // CodeSearchNet's protocol: the other pairs' functions are the
            // only distractors. A corpus of 500 rows never splits a query
            // (its words hold too few rows), so every word finds rows here.
            let mut ranked = index.rank(&all_words);
            ranked.retain(|h| pool.contains(&h.1));
            ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
            among_pairs.add(ranked.iter().take(10).position(|h| h.1 == target));
            pool_rankings.push(ranked.iter().take(100).map(|h| symbol_id(db, h.1).0).collect());
        }
        #[cfg(feature = "dense")]
        let (dense, hybrid) = {
            let queries: Vec<String> = pairs.iter().map(|(_, q)| q.clone()).collect();
            let records: Vec<_> = targets.iter().map(|t| t.map(|l| symbol_record(db, l))).collect();
            crate::dense_eval::run(&work, &root, &queries, &records, &pool_rankings)
                .expect("the dense evaluation")
        };
        #[cfg(not(feature = "dense"))]
        let (dense, hybrid) = {
            drop(pool_rankings);
            (serde_json::Value::Null, serde_json::Value::Null)
        };
        json!({
            "bench": "search-eval", "dir": dir.display().to_string(),
            "documented_functions": documented, "pairs": pairs.len(),
            "targets_missing_after_strip": targets.iter().filter(|t| t.is_none()).count(),
            "files_stripped": stripped, "symbols_indexed": index.len(),
            "lexical": {
                "among_pairs": among_pairs.json(), "within_crate": krate.json(), "whole_corpus": corpus.json(),
                "whole_corpus_every_word_finding": unsplit.json(),
                "engine_ms_p50": pct(engine_ms.clone(), 0.5), "engine_ms_p95": pct(engine_ms, 0.95),
                "fts5_ms_p50": pct(fts_ms.clone(), 0.5), "fts5_ms_p95": pct(fts_ms, 0.95),
                "engine_and_fts5_top10_differ": disagree,
                "fts5_within_crate_ms_p50": pct(fts_crate_ms.clone(), 0.5),
                "fts5_within_crate_ms_p95": pct(fts_crate_ms, 0.95),
                "engine_and_fts5_within_crate_top10_differ": disagree_crate,
            },
            "index_ms": {
                "snapshot_cold": index_ms, "snapshot_write": report.millis.write,
                "engine_search_index": engine_index_ms, "engine_search_index_rebuild": engine_rebuild_ms,
            },
            "dense": dense, "hybrid": hybrid,
        })
    })
    .expect("nothing cancels the evaluation");
    let _ = std::fs::remove_dir_all(&work);
    println!("{out}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_comments_are_blanked_and_code_kept() {
        let src = "//! crate doc\n/// a doc\n#[doc = \"x\"]\nfn f() {}\n/** block\n still */\nfn g() {} // not a doc\n";
        let s = strip_docs(src);
        assert_eq!(s, "\n\n\nfn f() {}\n\n\nfn g() {} // not a doc\n");
        assert_eq!(
            summary("First line\ngoes on.\n\nMore."),
            "First line goes on."
        );
    }
}
