//! cargo xtask: project chores.
//!
//!   cargo xtask bench [--quick] [--langs rust,python,...] [--sizes 1000,10000,100000]
//!   cargo xtask bench --serve [--langs rust,python] [--seconds 10]   (weft serve under wrk)
//!   cargo xtask bench --daemon [--langs rust,python] [--runs 300]   (command round trip, snapshot vs daemon)
//!   cargo xtask bench --lsp [--langs rust] [--samples 200]   (weft lsp: definition right after a didChange)
//!   cargo xtask bench --edge [--langs rust] [--samples 200] [--max-files 400]  (the Worker in local workerd)
//!   cargo xtask bench --merges REPO[,REPO] [--max-merges 200]   (conflict prediction replayed on git history)
//!   cargo xtask bench --grep [--langs rust,python] [--runs 3]   (weft grep against ast-grep's CLI; docs/GREP.md)
//!   cargo xtask accuracy [--only PROJECT,...]   (see accuracy.rs, docs/ACCURACY.md)
//!   cargo xtask search-eval [--pairs 500] [--corpus DIR] [--dense]   (see search_eval.rs, docs/SEARCH.md)
//!   cargo xtask wasm                              (the edge Worker; see edge/)
//!   cargo xtask dense build|test                  (dense search with Debian rustc 1.96; see dense.rs)
//!
//! Benchmarks whole jobs on the shared corpus (../shared/bench/corpus.sh)
//! and synthetic repositories (../shared/bench/synth.py), next to a bare
//! tree-sitter parse (../shared/bench/tsparse), `ctags -R` and codegraph
//! (npm @colbymchenry/codegraph@1.6.1), measured in the same run. Data lives
//! outside the repository, in $WEFT_BENCH_DIR (default ~/.cache/weft-bench).
//! Results: one JSON object per line in target/bench/results.jsonl, and a
//! summary table on stdout for docs/BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

mod accuracy;
mod dense;
mod edge;
mod grep_bench;
mod search_eval;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("bench") => bench(&args[1..]),
        Some("accuracy") => accuracy::accuracy(&args[1..]),
        Some("wasm") => edge::wasm(&args[1..]),
        Some("edge-test") => edge::edge_test(&args[1..]),
        Some("search-eval") => search_eval::search_eval(&args[1..]),
        Some("dense") => dense::dense(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask bench [--quick] [--langs rust,python,ts,js,go] [--sizes 1000,10000,100000]"
            );
            eprintln!(
                "       cargo xtask bench --serve [--langs rust,python] [--seconds 10]   (weft serve under wrk)\n       cargo xtask bench --daemon [--langs rust,python] [--runs 300]   (a command's round trip, from the snapshot and through the daemon, on tokio and Django)\n       cargo xtask bench --lsp [--langs rust] [--samples 200]   (weft lsp: definition right after a didChange)\n       cargo xtask bench --edge [--langs rust] [--samples 200] [--max-files 400]   (the Worker in local workerd over D1)\n       cargo xtask bench --merges REPO[,REPO] [--max-merges 200]   (conflict prediction replayed on a repository's merge commits)\n       cargo xtask bench --grep [--langs rust,python] [--runs 3]   (weft grep against ast-grep's CLI 0.51.1, match sets and time, on the corpora, tokio and Django)"
            );
            eprintln!(
                "  Data goes to $WEFT_BENCH_DIR (default ~/.cache/weft-bench); results to target/bench/results.jsonl."
            );
            eprintln!("       cargo xtask accuracy [--only aho-corasick-1.1.5,...]");
            eprintln!(
                "       cargo xtask search-eval [--pairs 500] [--corpus DIR] [--dense]   (word search; --dense adds MiniLM and hybrid: doc comment -> function, MRR and latency; docs/SEARCH.md)"
            );
            eprintln!(
                "       cargo xtask dense build|test   (weft with dense search, and its tests; Debian rustc-web 1.96, docs/SEARCH.md)"
            );
            eprintln!(
                "       cargo xtask wasm   (the edge Worker into crates/wasm/build; Debian rustc-web, see docs/ARCHITECTURE.md)"
            );
            eprintln!(
                "  Go-to-definition against rust-analyzer, scip-python, scip-typescript and synth.py --truth;"
            );
            eprintln!(
                "  data in $WEFT_ACCURACY_DIR (default ~/.cache/weft/accuracy), corpus in $WEFT_CORPUS; table into docs/ACCURACY.md."
            );
            std::process::exit(2)
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Where cargo builds: `CARGO_TARGET_DIR` (a relative one taken from the
/// repository root, where `cargo xtask` runs), else `target/`.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => root().join(d),
        None => root().join("target"),
    }
}

/// Where benchmark data lives: $WEFT_BENCH_DIR, else ~/.cache/weft-bench.
fn bench_data() -> PathBuf {
    std::env::var_os("WEFT_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/tmp".into()))
                .join(".cache/weft-bench")
        })
}

fn shared() -> PathBuf {
    root().join("../shared/bench")
}

fn run(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!("{cmd:?} failed with {}", out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Wall seconds and peak RSS (MB) of a command, through /usr/bin/time.
fn timed(cmd: &str, args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Result<(f64, f64, String)> {
    let t = Instant::now();
    let mut c = Command::new("/usr/bin/time");
    c.arg("-f")
        .arg("RSS_KB=%M")
        .arg(cmd)
        .args(args)
        .current_dir(dir);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().with_context(|| format!("running {cmd}"))?;
    let wall = t.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&out.stderr);
    let rss = err
        .lines()
        .filter_map(|l| l.strip_prefix("RSS_KB="))
        .next_back()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0;
    if !out.status.success() {
        bail!(
            "{cmd} {args:?} failed: {}",
            err.lines().rev().take(5).collect::<Vec<_>>().join(" | ")
        );
    }
    Ok((wall, rss, String::from_utf8_lossy(&out.stdout).into_owned()))
}

struct Out {
    file: std::fs::File,
}

impl Out {
    fn record(&mut self, line: &str) -> Result<()> {
        use std::io::Write;
        let line = line.trim();
        println!("{line}");
        writeln!(self.file, "{line}")?;
        Ok(())
    }
}

fn bench(args: &[String]) -> Result<()> {
    let quick = args.iter().any(|a| a == "--quick");
    let serve_only = args.iter().any(|a| a == "--serve");
    let daemon_only = args.iter().any(|a| a == "--daemon");
    let lsp_only = args.iter().any(|a| a == "--lsp");
    let edge_only = args.iter().any(|a| a == "--edge");
    let grep_only = args.iter().any(|a| a == "--grep");
    let opt = |name: &str, default: &str| -> String {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
            .unwrap_or_else(|| default.to_string())
    };
    let langs = opt(
        "--langs",
        if quick {
            "rust"
        } else if serve_only || daemon_only || grep_only {
            "rust,python"
        } else if edge_only || lsp_only {
            "rust"
        } else {
            "rust,python,ts,js,go"
        },
    );
    let sizes = opt("--sizes", if quick { "1000" } else { "1000,10000,100000" });
    // Git repositories whose merge commits to replay (conflict prediction
    // against `git merge-tree`); this mode needs no corpus.
    let merges = opt("--merges", "");
    let data = bench_data();
    std::fs::create_dir_all(&data)?;
    let corpus = data.join("corpus");
    let langs: Vec<&str> = langs.split(',').collect();
    let missing: Vec<&str> = langs
        .iter()
        .copied()
        .filter(|l| !corpus.join(l).is_dir())
        .collect();
    if !missing.is_empty() && merges.is_empty() {
        eprintln!(
            "assembling corpus for {missing:?} in {} (a few minutes, registries only)",
            corpus.display()
        );
        run(Command::new("bash")
            .arg(shared().join("corpus.sh"))
            .arg(&corpus)
            .args(&missing))?;
    }
    for n in sizes.split(',').filter(|_| {
        !serve_only && !daemon_only && !lsp_only && !edge_only && !grep_only && merges.is_empty()
    }) {
        let dir = data.join(format!("synth/rust-{n}"));
        if !dir.is_dir() {
            eprintln!("generating synthetic Rust repository of {n} files");
            run(Command::new("python3")
                .arg(shared().join("synth.py"))
                .args(["--lang", "rust", "-n", n, "--seed", "1", "--out"])
                .arg(&dir))?;
        }
    }

    eprintln!("building release binaries");
    run(Command::new("cargo")
        .args([
            "build",
            "--release",
            "-q",
            "-p",
            "weft",
            "-p",
            "weft-benches",
        ])
        .current_dir(root()))?;
    let weft_bench = target_dir().join("release/weft-bench");
    std::fs::create_dir_all(target_dir().join("bench"))?;
    let mut out = Out {
        file: std::fs::File::create(target_dir().join("bench/results.jsonl"))?,
    };
    let machine = format!(
        "{{\"bench\":\"machine\",\"cpus\":{},\"cpu\":{:?},\"date\":{:?}}}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        std::fs::read_to_string("/proc/cpuinfo")
            .unwrap_or_default()
            .lines()
            .find_map(|l| l.strip_prefix("model name\t: "))
            .unwrap_or("?"),
        run(Command::new("date").arg("-u").arg("+%F"))
            .unwrap_or_default()
            .trim()
    );
    out.record(&machine)?;

    if grep_only {
        let runs: usize = opt("--runs", "3").parse()?;
        let weft = target_dir().join("release/weft");
        for line in grep_bench::bench(&weft, &corpus, &data.join("grep"), &langs, runs)? {
            out.record(&line)?;
        }
        eprintln!(
            "results: {}",
            target_dir().join("bench/results.jsonl").display()
        );
        return Ok(());
    }
    if edge_only {
        let samples: usize = opt("--samples", "200").parse()?;
        let max_files: usize = opt("--max-files", "400").parse()?;
        for lang in &langs {
            for line in edge::bench(&corpus.join(lang), samples, max_files)? {
                out.record(&line)?;
            }
        }
        eprintln!(
            "results: {}",
            target_dir().join("bench/results.jsonl").display()
        );
        return Ok(());
    }
    if !merges.is_empty() {
        let n = opt("--max-merges", "200");
        for repo in merges.split(',') {
            out.record(&run(Command::new(&weft_bench).args(["merges", repo, &n]))?)?;
        }
        eprintln!(
            "results: {}",
            target_dir().join("bench/results.jsonl").display()
        );
        return Ok(());
    }
    if lsp_only {
        // a copy: the server's snapshot goes beside the files
        let samples = opt("--samples", "200");
        for lang in &langs {
            let copy = data.join("lsp").join(lang);
            if !copy.is_dir() {
                std::fs::create_dir_all(copy.parent().unwrap())?;
                run(Command::new("cp")
                    .arg("-r")
                    .arg(corpus.join(lang))
                    .arg(&copy))?;
            }
            out.record(&run(Command::new(&weft_bench).args([
                "lsp",
                copy.to_str().unwrap(),
                &samples,
            ]))?)?;
        }
        eprintln!(
            "results: {}",
            target_dir().join("bench/results.jsonl").display()
        );
        return Ok(());
    }
    if daemon_only {
        // tokio and Django: copies, so the corpus gets no snapshot or socket
        let runs = opt("--runs", "300");
        for (lang, prefix) in [("rust", "tokio-1"), ("python", "django-")] {
            if !langs.contains(&lang) {
                continue;
            }
            let Some(src) = std::fs::read_dir(corpus.join(lang))?
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .find(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
                })
            else {
                eprintln!("no {prefix}* in the {lang} corpus");
                continue;
            };
            let copy = data.join("daemon").join(src.file_name().unwrap());
            if !copy.is_dir() {
                std::fs::create_dir_all(copy.parent().unwrap())?;
                run(Command::new("cp").arg("-r").arg(&src).arg(&copy))?;
                run(Command::new("git").args(["init", "-q"]).current_dir(&copy))?;
            }
            out.record(&run(Command::new(&weft_bench).args([
                "daemon",
                copy.to_str().unwrap(),
                &runs,
            ]))?)?;
        }
        eprintln!(
            "results: {}",
            target_dir().join("bench/results.jsonl").display()
        );
        return Ok(());
    }
    if serve_only {
        ensure_wrk()?;
        let secs = opt("--seconds", "10");
        for lang in &langs {
            let dir = corpus.join(lang);
            let o = run(Command::new(&weft_bench).args(["serve", dir.to_str().unwrap(), &secs]))?;
            for line in o.lines() {
                out.record(line)?;
            }
        }
        eprintln!(
            "results: {}",
            target_dir().join("bench/results.jsonl").display()
        );
        return Ok(());
    }
    let tsparse_target = data.join("tsparse-target");
    run(Command::new("cargo")
        .args(["build", "--release", "-q", "--locked", "--manifest-path"])
        .arg(shared().join("tsparse/Cargo.toml"))
        .arg("--target-dir")
        .arg(&tsparse_target))?;
    let tsparse = tsparse_target.join("release/tsparse");
    let codegraph = install_codegraph(&data);

    for lang in &langs {
        let dir = corpus.join(lang);
        let d = dir.to_str().unwrap();
        let ts = run(Command::new(&tsparse).args(["--mode", "both", d]))?;
        for l in ts.lines().filter(|l| l.contains("TOTAL")) {
            out.record(&format!(
                "{{\"bench\":\"tsparse\",\"corpus\":{lang:?},\"line\":{l:?}}}"
            ))?;
        }
        out.record(&run(Command::new(&weft_bench).args(["extract", d]))?)?;
        for threads in ["1", "2"] {
            let (wall, rss, o) = timed(
                weft_bench.to_str().unwrap(),
                &["index", d],
                &dir,
                &[("RAYON_NUM_THREADS", threads)],
            )?;
            out.record(&format!(
                "{{\"bench\":\"weft-index\",\"corpus\":{lang:?},\"threads\":{threads},\"wall_s\":{wall:.3},\"rss_mb\":{rss:.1},\"detail\":{}}}",
                o.trim()
            ))?;
        }
        out.record(&run(Command::new(&weft_bench).args(["snapshot", d, "20"]))?)?;
        let (wall, rss, _) = timed("ctags", &["-R", "-f", "/dev/null", d], &dir, &[])?;
        out.record(&format!(
            "{{\"bench\":\"ctags\",\"corpus\":{lang:?},\"wall_s\":{wall:.3},\"rss_mb\":{rss:.1}}}"
        ))?;
        if let Some(cg) = &codegraph {
            match codegraph_run(cg, &dir, &data) {
                Ok((index_wall, rss, sync_wall)) => out.record(&format!(
                    "{{\"bench\":\"codegraph\",\"corpus\":{lang:?},\"init_wall_s\":{index_wall:.3},\"rss_mb\":{rss:.1},\"sync_one_file_wall_s\":{sync_wall:.3}}}"
                ))?,
                Err(e) => eprintln!("codegraph on {lang}: {e:#}"),
            }
        }
    }
    for n in sizes.split(',') {
        let dir = data.join(format!("synth/rust-{n}"));
        let d = dir.to_str().unwrap();
        out.record(&run(Command::new(&weft_bench).args(["index", d]))?)?;
        out.record(&run(Command::new(&weft_bench).args([
            "incremental",
            d,
            "100",
        ]))?)?;
        out.record(&run(Command::new(&weft_bench).args(["queries", d, "1000"]))?)?;
        out.record(&run(Command::new(&weft_bench).args(["context", d, "200"]))?)?;
        if n.len() <= 5 {
            // Conflict tiers on two generated branches; not at 100k, where
            // building the branches alone takes longer than the rest.
            for line in run(Command::new(&weft_bench).args(["tiers", d, "3"]))?.lines() {
                out.record(line)?;
            }
        }
        let edits = if n.len() > 5 { "5" } else { "20" };
        out.record(&run(Command::new(&weft_bench).args(["snapshot", d, edits]))?)?;
    }
    eprintln!(
        "results: {}",
        target_dir().join("bench/results.jsonl").display()
    );
    Ok(())
}

/// The load generator for `--serve`, from Debian's packages.
fn ensure_wrk() -> Result<()> {
    if Command::new("wrk").arg("--version").output().is_ok() {
        return Ok(());
    }
    eprintln!("installing wrk (apt-get install wrk)");
    run(Command::new("apt-get").args(["install", "-y", "-q", "wrk"]))?;
    Ok(())
}

/// codegraph's binary ships inside its npm package; nothing is downloaded.
fn install_codegraph(data: &Path) -> Option<PathBuf> {
    let dir = data.join("codegraph");
    let bin = dir.join("node_modules/.bin/codegraph");
    if !bin.exists() {
        std::fs::create_dir_all(&dir).ok()?;
        let ok = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg("@colbymchenry/codegraph@1.6.1")
            .env("CODEGRAPH_NO_DOWNLOAD", "1")
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            eprintln!("codegraph could not be installed from npm; skipping it");
            return None;
        }
    }
    let _ = Command::new(&bin)
        .args(["telemetry", "off"])
        .env("CODEGRAPH_NO_DOWNLOAD", "1")
        .output();
    Some(bin)
}

/// codegraph init on a scratch copy (it writes .codegraph/ into the
/// project), then a one-file sync. Its own timing line leaves out
/// resolution, so wall time is what counts.
fn codegraph_run(bin: &Path, src: &Path, data: &Path) -> Result<(f64, f64, f64)> {
    let scratch = data.join("codegraph-scratch");
    let _ = std::fs::remove_dir_all(&scratch);
    run(Command::new("cp").arg("-r").arg(src).arg(&scratch))?;
    let b = bin.to_str().unwrap();
    let env = [("CODEGRAPH_NO_DOWNLOAD", "1")];
    let (init, rss, _) = timed(b, &["init", "-y", "."], &scratch, &env)?;
    // touch one source file: append a comment line
    let file = walk_first_source(&scratch).context("no source file to edit")?;
    let mut text = std::fs::read_to_string(&file)?;
    text.push_str("\n// weft bench edit\n");
    std::fs::write(&file, text)?;
    let (sync, _, _) = timed(b, &["sync", "."], &scratch, &env)?;
    let _ = std::fs::remove_dir_all(&scratch);
    Ok((init, rss, sync))
}

fn walk_first_source(dir: &Path) -> Option<PathBuf> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)
            .ok()?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("rs" | "py" | "ts" | "js" | "go")
            ) {
                return Some(p);
            }
        }
    }
    None
}
