//! `cargo xtask search-eval [--pairs 500] [--corpus DIR]`: how well word
//! search finds a function from its description, on the shared Rust corpus
//! (assembled by ../shared/bench/corpus.sh when missing). Runs
//! `weft-bench search-eval` (see benches/src/search_eval.rs for the
//! protocol), writes its JSON to target/bench/search-eval.json and prints
//! the table of docs/SEARCH.md.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result};

use crate::{root, run, shared, target_dir};

pub fn search_eval(args: &[String]) -> Result<()> {
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let pairs = opt("--pairs").unwrap_or_else(|| "500".into());
    let data = crate::bench_data();
    let corpus = match opt("--corpus") {
        Some(d) => PathBuf::from(d),
        None => {
            let dir = data.join("corpus/rust");
            if !dir.is_dir() {
                eprintln!(
                    "assembling the Rust corpus in {} (a few minutes)",
                    dir.display()
                );
                run(Command::new("bash")
                    .arg(shared().join("corpus.sh"))
                    .arg(data.join("corpus"))
                    .arg("rust"))?;
            }
            dir
        }
    };
    let with_dense = args.iter().any(|a| a == "--dense");
    let bench = if with_dense {
        let model = crate::dense::ensure_model()?;
        eprintln!(
            "building weft-bench with dense search (Debian rustc 1.96, target/dense; ~25 min cold)"
        );
        run(crate::dense::cargo()?.args([
            "build",
            "--release",
            "-q",
            "-p",
            "weft-benches",
            "--features",
            "dense",
        ]))?;
        let mut c = Command::new(crate::dense::dense_target().join("release/weft-bench"));
        c.env("WEFT_MINILM_DIR", model);
        c
    } else {
        eprintln!("building weft-bench (release)");
        run(Command::new("cargo")
            .args(["build", "--release", "-q", "-p", "weft-benches"])
            .current_dir(root()))?;
        Command::new(target_dir().join("release/weft-bench"))
    };
    eprintln!(
        "evaluating {pairs} pairs on {} (indexes it twice: about a minute on 2 cores{})",
        corpus.display(),
        if with_dense {
            "; embedding and the 100k-point store: a few minutes more"
        } else {
            ""
        }
    );
    let mut bench = bench;
    let out = run(bench.arg("search-eval").arg(&corpus).arg(&pairs))?;
    let line = out.lines().last().context("weft-bench printed nothing")?;
    let v: serde_json::Value = serde_json::from_str(line).context("weft-bench's JSON")?;
    std::fs::create_dir_all(target_dir().join("bench"))?;
    let file = target_dir().join("bench/search-eval.json");
    std::fs::write(&file, format!("{line}\n"))?;

    let lex = &v["lexical"];
    let f = |x: &serde_json::Value| x.as_f64().map_or("?".into(), |x| format!("{x:.3}"));
    println!(
        "{} pairs of {} documented functions; {} symbols indexed without docs\n",
        v["pairs"], v["documented_functions"], v["symbols_indexed"]
    );
    println!("| candidates | MRR@10 | recall@1 | recall@10 |\n|---|---|---|---|");
    for (name, key) in [
        (
            "the pairs' functions (CodeSearchNet protocol)",
            "among_pairs",
        ),
        ("the function's crate", "within_crate"),
        ("the whole corpus", "whole_corpus"),
    ] {
        let r = &lex[key];
        println!(
            "| {name} | {} | {} | {} |",
            f(&r["mrr_at_10"]),
            f(&r["recall_at_1"]),
            f(&r["recall_at_10"])
        );
    }
    println!(
        "\nquery, whole corpus, top 10: engine p50 {} ms, p95 {} ms; FTS5 (snapshot) p50 {} ms, p95 {} ms; top 10 differing between them: {}",
        f(&lex["engine_ms_p50"]),
        f(&lex["engine_ms_p95"]),
        f(&lex["fts5_ms_p50"]),
        f(&lex["fts5_ms_p95"]),
        lex["engine_and_fts5_top10_differ"]
    );
    for (name, key) in [
        ("dense (MiniLM, qdrant-edge)", "dense"),
        ("hybrid (RRF of BM25 and dense)", "hybrid"),
    ] {
        let r = &v[key]["among_pairs"];
        if !r.is_null() {
            println!(
                "{name}, among the pairs: MRR@10 {} recall@1 {} recall@10 {}",
                f(&r["mrr_at_10"]),
                f(&r["recall_at_1"]),
                f(&r["recall_at_10"])
            );
        }
    }
    let d = &v["dense"];
    if !d.is_null() {
        let s = &d["store_100k"];
        println!(
            "MiniLM: {} texts/s, {} queries/s, one query {} ms; qdrant-edge at {} points: upsert {} ms, index {} ms, reopen {} ms, top 10 p50 {} ms p95 {} ms, filtered (20%) p95 {} ms",
            f(&d["embed_texts_per_s"]),
            f(&d["embed_queries_per_s"]),
            f(&d["one_query_embed_ms_p50"]),
            s["points"],
            f(&s["upsert_ms"]),
            f(&s["index_build_ms"]),
            f(&s["reopen_ms"]),
            f(&s["top10_ms_p50"]),
            f(&s["top10_ms_p95"]),
            f(&s["filtered_20pct_top10_ms_p95"])
        );
    }
    let ix = &v["index_ms"];
    println!(
        "index: snapshot cold {} ms (its write {} ms); engine search index {} ms first, {} ms rebuilt after an edit",
        f(&ix["snapshot_cold"]),
        f(&ix["snapshot_write"]),
        f(&ix["engine_search_index"]),
        f(&ix["engine_search_index_rebuild"])
    );
    eprintln!("JSON in {}", file.display());
    Ok(())
}
