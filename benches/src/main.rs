//! weft-bench: whole-job benchmarks, driven by `cargo xtask bench`.
//!
//!   weft-bench index DIR                  cold index: read, extract, resolve; files/s, MB/s, peak RSS
//!   weft-bench incremental DIR [EDITS]    body and signature edit latency, reflected in every query
//!   weft-bench queries DIR [SAMPLES]      def / refs / callers / impact@3 latency
//!   weft-bench snapshot DIR [EDITS]       cold index into a snapshot, warm start with nothing
//!                                         and with 5% changed, one-file writes, snapshot size
//!                                         (works on a copy of DIR: it edits files)
//!   weft-bench serve DIR [SECONDS]        `weft serve` under wrk: def / refs / callers / impact
//!                                         at concurrency 1, 64, 1000; save-to-event latency
//!                                         (on a copy of DIR; needs wrk and target/release/weft)
//!
//!   weft-bench daemon DIR [RUNS]         a command's round trip from the snapshot and through
//!                                         the repository's daemon: callers, impact@3; p50/p95
//!   weft-bench lsp DIR [SAMPLES]         `weft lsp`: definition right after a didChange, p50/p95
//!
//!   weft-bench search-eval DIR [PAIRS]   word search: doc comment -> function pairs, code indexed
//!                                         without docs; MRR@10, recall@1/10, latency, index time
//!
//! Each prints one JSON object. Thread count: RAYON_NUM_THREADS.

mod changes;
mod daemon;
#[cfg(feature = "dense")]
mod dense_eval;
mod lsp;
mod ranks;
mod search_eval;
mod serve;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::json;
use weft_db::{Role, SymbolKind};
use weft_load::walk::{WalkOptions, read_repository};
use weft_queries::db::{all_files, file_facts};
use weft_queries::graph::{self, Node};
use weft_queries::symbols::{definition_at, file_by_path};
use weft_queries::{AnalysisHost, Change, RootDatabase};

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

struct Loaded {
    host: AnalysisHost,
    files: usize,
    bytes: u64,
    read: Duration,
    extract: Duration,
    resolve: Duration,
}

fn load(dir: &Path) -> Loaded {
    let t = Instant::now();
    let (change, report) = read_repository(dir, &WalkOptions::new(4 << 20));
    let read = t.elapsed();
    let mut host = AnalysisHost::new();
    let t = Instant::now();
    host.apply_change(change);
    let extract = t.elapsed();
    let t = Instant::now();
    host.warm_up(&|_| {})
        .expect("nothing cancels the benchmark");
    let resolve = t.elapsed();
    Loaded {
        host,
        files: report.files,
        bytes: report.bytes,
        read,
        extract,
        resolve,
    }
}

fn pct(mut v: Vec<f64>, p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// `p50_ms` and `p95_ms` of `v`, rounded to `decimals`, and how many.
fn p50_p95(v: Vec<f64>, decimals: i32, count_key: &str) -> serde_json::Value {
    let round = |x: f64| (x * 10f64.powi(decimals)).round() / 10f64.powi(decimals);
    let n = v.len();
    json!({"p50_ms": round(pct(v.clone(), 0.5)), "p95_ms": round(pct(v, 0.95)), count_key: n})
}

/// The `weft` binary built beside this one.
fn weft_bin() -> std::path::PathBuf {
    std::env::current_exe()
        .expect("the benchmark's path")
        .with_file_name("weft")
}

/// A snapshot in `dir` (`weft index` once) for benchmarks that start warm.
fn ensure_snapshot(dir: &Path) -> Result<()> {
    if dir.join(".weft/graph.db").is_file() {
        return Ok(());
    }
    let o = std::process::Command::new(weft_bin())
        .arg("index")
        .arg(dir)
        .output()?;
    if !o.status.success() {
        bail!("weft index: {}", String::from_utf8_lossy(&o.stderr));
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn index(dir: &Path) -> Result<()> {
    let l = load(dir);
    let total = l.read + l.extract + l.resolve;
    let mb = l.bytes as f64 / 1e6;
    println!(
        "{}",
        json!({
            "bench": "index", "dir": dir.display().to_string(), "threads": rayon::current_num_threads(),
            "files": l.files, "mb": mb,
            "read_s": l.read.as_secs_f64(), "extract_s": l.extract.as_secs_f64(), "resolve_s": l.resolve.as_secs_f64(),
            "total_s": total.as_secs_f64(),
            "files_per_s": l.files as f64 / total.as_secs_f64(), "mb_per_s": mb / total.as_secs_f64(),
            "extract_mb_per_s": mb / l.extract.as_secs_f64(),
            "peak_rss_mb": peak_rss_mb(), "source_mb": mb,
        })
    );
    Ok(())
}

/// A function in `text` whose body we can edit: (line index of `fn` header, name).
fn editable_function(text: &str) -> Option<(usize, String)> {
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let rest = t
            .strip_prefix("pub fn ")
            .or_else(|| t.strip_prefix("fn "))?;
        let _ = rest;
        if line.trim_end().ends_with('{') {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                return Some((i, name));
            }
        }
    }
    None
}

fn pick_function(db: &RootDatabase) -> Option<(String, usize, String)> {
    let mut files = all_files(db);
    files.sort_by(|a, b| a.path(db).cmp(b.path(db)));
    let start = files.len() / 2;
    for f in files.iter().cycle().skip(start).take(files.len()) {
        if !f.path(db).ends_with(".rs") {
            continue;
        }
        let text = f.text(db);
        // a free function that other files call
        for (i, line) in text.lines().enumerate() {
            let t = line.trim_start();
            if (t.starts_with("pub fn ") || t.starts_with("fn "))
                && line.trim_end().ends_with('{')
                && !line.starts_with(' ')
                && let Some((_, name)) =
                    editable_function(&text.lines().skip(i).collect::<Vec<_>>().join("\n"))
                && !graph::references(db, def_named(db, *f, &name)?).is_empty()
            {
                return Some((f.path(db).to_string(), i, name));
            }
        }
    }
    None
}

fn def_named(
    db: &RootDatabase,
    f: weft_queries::SourceFile,
    name: &str,
) -> Option<weft_queries::db::DefLoc> {
    let facts = file_facts(db, f);
    facts
        .defs
        .iter()
        .position(|d| d.name == name && d.kind.is_function())
        .map(|i| (f, i as u32))
}

/// Every question about the edited file, so the edit is "reflected in every query".
fn ask_everything(host: &AnalysisHost, path: &str, name: &str) {
    host.analysis()
        .with_db(|db| {
            let f = file_by_path(db, path).unwrap();
            let facts = file_facts(db, f);
            if let Some(r) = facts.refs.iter().find(|r| r.role == Role::Call) {
                let _ = definition_at(db, f, r.span.start);
            }
            let sym = def_named(db, f, name).expect("edited function still there");
            let _ = graph::references(db, sym);
            let _ = graph::direct_callers(db, sym);
            let _ = graph::direct_callees(db, sym);
        })
        .unwrap();
}

fn incremental(dir: &Path, edits: usize) -> Result<()> {
    let l = load(dir);
    let mut host = l.host;
    let (path, line, name) = host
        .analysis()
        .with_db(pick_function)
        .unwrap()
        .context("no Rust function with callers to edit")?;
    let original: Arc<str> = host
        .analysis()
        .with_db(|db| file_by_path(db, &path).unwrap().text(db).clone())
        .unwrap();
    let lines: Vec<&str> = original.lines().collect();
    let mut body = Vec::new();
    let mut sig = Vec::new();
    for i in 0..edits {
        // body edit: a new statement inside the function
        let mut v = lines.clone();
        let stmt = format!("    let _weft_bench = {i};");
        v.insert(line + 1, &stmt);
        let text = v.join("\n");
        let t = Instant::now();
        let mut c = Change::default();
        c.set_file(path.clone(), text);
        host.apply_change(c);
        ask_everything(&host, &path, &name);
        body.push(ms(t.elapsed()));
    }
    for i in 0..edits {
        // signature edit: the function gains or loses a parameter
        let mut v: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        if i % 2 == 0 {
            v[line] =
                v[line].replacen(&format!("{name}("), &format!("{name}(_weft_bench: u8, "), 1);
        }
        let t = Instant::now();
        let mut c = Change::default();
        c.set_file(path.clone(), v.join("\n"));
        host.apply_change(c);
        ask_everything(&host, &path, &name);
        sig.push(ms(t.elapsed()));
    }
    println!(
        "{}",
        json!({
            "bench": "incremental", "dir": dir.display().to_string(), "files": l.files, "file": path, "function": name, "edits": edits,
            "body_ms_p50": pct(body.clone(), 0.5), "body_ms_p95": pct(body.clone(), 0.95), "body_ms_first": body[0],
            "signature_ms_p50": pct(sig.clone(), 0.5), "signature_ms_p95": pct(sig.clone(), 0.95),
        })
    );
    Ok(())
}

/// `next(n)`: a number below `n`, from a fixed-seed xorshift, so every run
/// asks about the same symbols.
fn seeded_picker() -> impl FnMut(usize) -> usize {
    let mut rng = 0x9E3779B97F4A7C15u64;
    move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n.max(1) as u64) as usize
    }
}

/// Point questions on the warm engine, twice: with every file's facts
/// still decoded (right after the warm-up), and after the LRU let them go
/// (what a long-running server holds after its first edit).
fn queries(dir: &Path, samples: usize) -> Result<()> {
    let mut l = load(dir);
    let (n_files, positions, symbols) = l
        .host
        .analysis()
        .with_db(|db| {
            let files = all_files(db);
            let mut next = seeded_picker();
            let mut funcs = Vec::new();
            for &f in &files {
                let facts = file_facts(db, f);
                for (i, d) in facts.defs.iter().enumerate() {
                    if matches!(d.kind, SymbolKind::Function | SymbolKind::Method) {
                        funcs.push((f, i as u32));
                    }
                }
            }
            let mut positions = Vec::new();
            for _ in 0..samples {
                let f = files[next(files.len())];
                let facts = file_facts(db, f);
                if !facts.refs.is_empty() {
                    positions.push((f, facts.refs[next(facts.refs.len())].span.start));
                }
            }
            let symbols: Vec<_> = (0..samples.min(funcs.len()))
                .map(|_| funcs[next(funcs.len())])
                .collect();
            (files.len(), positions, symbols)
        })
        .expect("nothing cancels the benchmark");
    let time = |l: &Loaded| {
        l.host
            .analysis()
            .with_db(|db| {
                let (mut def, mut refs, mut callers, mut impact) = (vec![], vec![], vec![], vec![]);
                for &(f, pos) in &positions {
                    let t = Instant::now();
                    std::hint::black_box(definition_at(db, f, pos));
                    def.push(ms(t.elapsed()));
                }
                for (i, &s) in symbols.iter().enumerate() {
                    let t = Instant::now();
                    std::hint::black_box(graph::references(db, s));
                    refs.push(ms(t.elapsed()));
                    let t = Instant::now();
                    std::hint::black_box(graph::direct_callers(db, s));
                    callers.push(ms(t.elapsed()));
                    if i < samples / 10 {
                        let t = Instant::now();
                        std::hint::black_box(graph::impact(db, Node::Symbol(s), 3, 10_000));
                        impact.push(ms(t.elapsed()));
                    }
                }
                json!({
                    "def_ms_p50": pct(def.clone(), 0.5), "def_ms_p99": pct(def, 0.99),
                    "refs_ms_p50": pct(refs.clone(), 0.5), "refs_ms_p99": pct(refs, 0.99),
                    "callers_ms_p50": pct(callers.clone(), 0.5), "callers_ms_p99": pct(callers, 0.99),
                    "impact3_ms_p50": pct(impact.clone(), 0.5), "impact3_ms_p99": pct(impact, 0.99),
                })
            })
            .expect("nothing cancels the benchmark")
    };
    let resident = time(&l);
    l.host.evict();
    let evicted = time(&l);
    println!(
        "{}",
        json!({
            "bench": "queries", "dir": dir.display().to_string(), "files": n_files,
            "resident": resident, "evicted": evicted,
        })
    );
    Ok(())
}

/// `weft context` and `weft map` on a warm engine (as `weft serve` holds
/// it): pack time for sampled functions at an 8,000-token budget (o200k),
/// and the map at 2,000 tokens, first and repeated.
fn context(dir: &Path, samples: usize) -> Result<()> {
    let l = load(dir);
    let count = weft_ide::tokens::counter(weft_db::api::Tokenizer::O200k);
    let root = dir.to_path_buf();
    let read = move |p: &str| -> Option<Arc<str>> {
        std::fs::read_to_string(root.join(p)).ok().map(Into::into)
    };
    let r = l.host.analysis().with_db(|db| {
        let mut funcs = Vec::new();
        for f in all_files(db) {
            for (i, d) in file_facts(db, f).defs.iter().enumerate() {
                if matches!(d.kind, SymbolKind::Function | SymbolKind::Method) {
                    funcs.push((f, i as u32));
                }
            }
        }
        let mut next = seeded_picker();
        let (mut times, mut tokens, mut items, mut candidates) = (vec![], vec![], vec![], vec![]);
        for _ in 0..samples.min(funcs.len()) {
            let s = funcs[next(funcs.len())];
            let t = Instant::now();
            let p = weft_queries::context::pack(db, s, 8000, &*count, &read);
            times.push(ms(t.elapsed()));
            tokens.push(p.tokens as f64);
            items.push(p.items.len() as f64);
            candidates.push(p.candidates as f64);
        }
        let t = Instant::now();
        let m = weft_queries::context::map(db, 2000, &*count);
        let map_first = ms(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(weft_queries::context::map(db, 2000, &*count));
        let map_again = ms(t.elapsed());
        json!({
            "bench": "context", "dir": dir.display().to_string(), "samples": times.len(),
            "pack_ms_p50": pct(times.clone(), 0.5), "pack_ms_p95": pct(times, 0.95),
            "pack_tokens_p50": pct(tokens, 0.5), "pack_items_p50": pct(items, 0.5),
            "candidates_p50": pct(candidates.clone(), 0.5), "candidates_max": pct(candidates, 1.0),
            "map_ms_first": map_first, "map_ms_again": map_again,
            "map_shown": m.shown, "map_ranked": m.ranked, "map_tokens": m.tokens,
        })
    });
    println!("{}", r.unwrap());
    Ok(())
}

/// Where single-threaded extraction time goes: bare parse, parse + query
/// matches, parse + occurrence walk, and the whole extraction.
fn extract_breakdown(dir: &Path) -> Result<()> {
    use tree_sitter::StreamingIterator;
    let (change, report) = read_repository(dir, &WalkOptions::new(4 << 20));
    let files: Vec<(String, Arc<str>)> = change
        .files
        .into_iter()
        .filter_map(|(p, t)| Some((p, t?)))
        .collect();
    let mut parse = Duration::ZERO;
    let mut query = Duration::ZERO;
    let mut full = Duration::ZERO;
    // what locals add to the facts a snapshot stores (compressed, as stored)
    let (mut stored, mut stored_without_locals, mut locals, mut local_refs) = (0, 0, 0, 0);
    for (path, text) in &files {
        let Some(lang) = weft_queries::languages::of_path(path) else {
            continue;
        };
        let support = weft_queries::languages::support(lang);
        let g = support.grammar_for(path);
        let compiled = support.grammar(g);
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&compiled.language)?;
        let t = Instant::now();
        let tree = parser.parse(text.as_bytes(), None).context("parse")?;
        parse += t.elapsed();
        let t = Instant::now();
        let mut cursor = tree_sitter::QueryCursor::new();
        let mut m = cursor.matches(&compiled.query, tree.root_node(), text.as_bytes());
        let mut n = 0usize;
        while m.next().is_some() {
            n += 1;
        }
        std::hint::black_box(n);
        query += t.elapsed();
        drop(tree);
        let t = Instant::now();
        let mut facts = weft_queries::extract::extract(support, g, text);
        full += t.elapsed();
        stored += weft_queries::facts::encode_facts(&facts).len();
        locals += facts.locals.len();
        local_refs += facts.local_refs.len();
        facts.locals.clear();
        facts.local_refs.clear();
        stored_without_locals += weft_queries::facts::encode_facts(&facts).len();
    }
    let mb = report.bytes as f64 / 1e6;
    println!(
        "{}",
        json!({
            "bench": "extract", "dir": dir.display().to_string(), "files": files.len(), "mb": mb,
            "parse_s": parse.as_secs_f64(), "query_matches_s": query.as_secs_f64(), "extract_s": full.as_secs_f64(),
            "parse_mb_per_s": mb / parse.as_secs_f64(), "extract_mb_per_s": mb / full.as_secs_f64(),
            "extract_vs_parse": parse.as_secs_f64() / full.as_secs_f64(),
            "locals": locals, "local_refs": local_refs,
            "stored_facts_bytes": stored, "stored_facts_bytes_without_locals": stored_without_locals,
        })
    );
    Ok(())
}

fn refresh(root: &Path, db: &Path) -> Result<(f64, weft_load::snapshot::RefreshReport)> {
    let t = Instant::now();
    let r = weft_load::snapshot::open_and_refresh(
        root,
        &weft_load::snapshot::SnapshotOptions {
            db: db.to_path_buf(),
            lock_timeout: Duration::from_secs(60),
            walk: WalkOptions::new(4 << 20),
            write: true,
            require_write: true,
        },
    )?;
    Ok((ms(t.elapsed()), r.report))
}

/// Append a small function to a source file (a real content change with new
/// rows), in the file's language.
fn append_function(path: &Path, n: usize) -> Result<()> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let code = match ext {
        "rs" => format!("\npub fn weft_bench_{n}() -> u32 {{ {n} }}\n"),
        "py" | "pyi" => format!("\n\ndef weft_bench_{n}():\n    return {n}\n"),
        "go" => format!("\nfunc WeftBench{n}() int {{ return {n} }}\n"),
        _ => format!("\nexport function weftBench{n}() {{ return {n}; }}\n"),
    };
    let mut f = std::fs::OpenOptions::new().append(true).open(path)?;
    std::io::Write::write_all(&mut f, code.as_bytes())?;
    Ok(())
}

fn snapshot(dir: &Path, edits: usize) -> Result<()> {
    let work = scratch_dir(dir)?;
    let root = work.join("tree");
    copy_tree(dir, &root)?;
    let db = work.join("graph.db");
    let (cold_ms, cold) = refresh(&root, &db)?;
    let source_bytes: u64 = ignore::WalkBuilder::new(&root)
        .build()
        .filter_map(|e| e.ok())
        .filter(|e| weft_queries::languages::of_path(&e.path().to_string_lossy()).is_some())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    let mut warm = Vec::new();
    let mut warm_report = None;
    for _ in 0..5 {
        let (t, r) = refresh(&root, &db)?;
        warm.push(t);
        warm_report = Some(r);
    }
    let warm_report = warm_report.unwrap();
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let db_bytes = size(&db) + size(&work.join("graph.db-wal"));
    // One changed file at a time: refresh (a restart) and the write alone.
    let sources: Vec<std::path::PathBuf> = ignore::WalkBuilder::new(&root)
        .build()
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .filter(|p| weft_queries::languages::of_path(&p.to_string_lossy()).is_some())
        .collect();
    let mut one_refresh = Vec::new();
    let mut one_write = Vec::new();
    let mut one_rows = Vec::new();
    for i in 0..edits {
        append_function(&sources[(i * 7919) % sources.len()], i)?;
        let (t, r) = refresh(&root, &db)?;
        one_refresh.push(t);
        one_write.push(r.millis.write);
        one_rows.push(r.rows_rewritten as f64);
    }
    // 5% of the files change at once.
    let step = 20;
    let mut changed = 0;
    for (i, p) in sources.iter().enumerate().filter(|(i, _)| i % step == 3) {
        append_function(p, 1_000_000 + i)?;
        changed += 1;
    }
    let (five_ms, five) = refresh(&root, &db)?;
    let _ = std::fs::remove_dir_all(&work);
    println!(
        "{}",
        json!({
            "bench": "snapshot", "dir": dir.display().to_string(), "threads": rayon::current_num_threads(),
            "files": cold.files, "source_mb": source_bytes as f64 / 1e6,
            "cold_ms": cold_ms, "cold_millis": cold.millis,
            "warm_ms_median": pct(warm.clone(), 0.5), "warm_ms_all": warm,
            "warm_vs_cold": pct(warm.clone(), 0.5) / cold_ms,
            "warm_hit_rate": warm_report.hit_rate(), "warm_millis": warm_report.millis,
            "five_pct_changed_files": changed, "five_pct_ms": five_ms, "five_pct_vs_cold": five_ms / cold_ms,
            "five_pct_hit_rate": five.hit_rate(), "five_pct_rows_rewritten": five.rows_rewritten,
            "five_pct_millis": five.millis,
            "one_file_refresh_ms_median": pct(one_refresh, 0.5),
            "one_file_write_ms_median": pct(one_write.clone(), 0.5),
            "one_file_write_ms_p95": pct(one_write, 0.95),
            "one_file_rows_rewritten_median": pct(one_rows, 0.5),
            "snapshot_mb": db_bytes as f64 / 1e6,
            "snapshot_vs_source": db_bytes as f64 / source_bytes.max(1) as f64,
            "peak_rss_mb": peak_rss_mb(),
        })
    );
    Ok(())
}

/// `cp -a` keeps mtimes: files look as old as they are, like a checkout.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    let st = std::process::Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()?;
    if !st.success() {
        bail!("copying {} failed", from.display());
    }
    Ok(())
}

fn scratch_dir(dir: &Path) -> Result<std::path::PathBuf> {
    let base = std::env::var_os("WEFT_BENCH_TMP")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let p = base.join(format!(
        "weft-bench-snapshot-{}-{}",
        std::process::id(),
        dir.file_name().and_then(|n| n.to_str()).unwrap_or("x")
    ));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p)?;
    Ok(p)
}

fn main() -> Result<()> {
    weft::alloc::install();
    // WEFT_LOG=weft=debug shows the engine's phase timings (as in `weft`).
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("WEFT_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(2).map(Path::new);
    match (args.get(1).map(String::as_str), dir) {
        (Some("index"), Some(d)) => index(d),
        (Some("extract"), Some(d)) => extract_breakdown(d),
        (Some("incremental"), Some(d)) => {
            incremental(d, args.get(3).and_then(|s| s.parse().ok()).unwrap_or(100))
        }
        (Some("snapshot"), Some(d)) => {
            snapshot(d, args.get(3).and_then(|s| s.parse().ok()).unwrap_or(20))
        }
        (Some("queries"), Some(d)) => {
            queries(d, args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1000))
        }
        (Some("daemon"), Some(d)) => {
            daemon::run(d, args.get(3).and_then(|s| s.parse().ok()).unwrap_or(200))
        }
        (Some("lsp"), Some(d)) => {
            lsp::run(d, args.get(3).and_then(|s| s.parse().ok()).unwrap_or(200))
        }
        (Some("serve"), Some(d)) => {
            serve::run(d, args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10))
        }
        (Some("context"), Some(d)) => {
            context(d, args.get(3).and_then(|s| s.parse().ok()).unwrap_or(200))
        }
        (Some("merges"), Some(d)) => {
            changes::merges(d, args.get(3).and_then(|s| s.parse().ok()).unwrap_or(200))
        }
        (Some("search-eval"), Some(d)) => {
            search_eval::run(d, args.get(3).and_then(|s| s.parse().ok()).unwrap_or(500))
        }
        (Some("tiers"), Some(d)) => {
            changes::tiers(d, args.get(3).and_then(|s| s.parse().ok()).unwrap_or(5))
        }
        _ => bail!(
            "usage: weft-bench index|extract|incremental|queries|context|snapshot|serve|daemon|lsp|merges|tiers|search-eval DIR [N]"
        ),
    }
}
