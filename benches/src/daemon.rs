//! `weft-bench daemon DIR [RUNS]`: a command's whole round trip (process
//! start, question, answer printed), answered from the snapshot (a warm
//! start each time) and through the repository's daemon (`weft serve
//! --no-http`, warm). `callers` at depth 1 and `impact` at depth 3, on
//! functions picked with a fixed seed; p50 and p95 over RUNS processes.
//!
//! DIR gets a snapshot (.weft/) if it has none; the daemon is stopped at
//! the end.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use weft_db::SymbolKind;
use weft_queries::db::{all_files, file_facts};
use weft_queries::graph;
use weft_queries::symbols::symbol_record;

struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

/// `/healthz` over the daemon's socket.
fn health(dir: &Path) -> Option<Value> {
    let info: Value =
        serde_json::from_slice(&std::fs::read(dir.join(".weft/daemon.json")).ok()?).ok()?;
    let mut s = UnixStream::connect(info["socket"].as_str()?).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
    let mut raw = String::new();
    s.read_to_string(&mut raw).ok()?;
    serde_json::from_str(raw.split_once("\r\n\r\n")?.1).ok()
}

/// Functions that have callers, as symbol ids.
fn targets(dir: &Path, n: usize) -> Vec<String> {
    let l = crate::load(dir);
    l.host
        .analysis()
        .with_db(|db| {
            let mut next = crate::seeded_picker();
            let files = all_files(db);
            let mut out = Vec::new();
            let mut tries = 0;
            while out.len() < n && tries < 100_000 {
                tries += 1;
                let f = files[next(files.len())];
                let defs = &file_facts(db, f).defs;
                if defs.is_empty() {
                    continue;
                }
                let i = next(defs.len());
                if !matches!(defs[i].kind, SymbolKind::Function | SymbolKind::Method) {
                    continue;
                }
                let loc = (f, i as u32);
                if graph::direct_callers(db, loc).is_empty() {
                    continue;
                }
                out.push(symbol_record(db, loc).id.to_string());
            }
            out
        })
        .expect("nothing cancels the benchmark")
}

/// Milliseconds of each `weft ARGS TARGET` run, round robin over targets.
fn time_runs(
    dir: &Path,
    args: &[&str],
    extra: &[&str],
    ids: &[String],
    runs: usize,
) -> Result<Vec<f64>> {
    let mut ms = Vec::with_capacity(runs);
    for k in 0..runs {
        let id = &ids[k % ids.len()];
        let t = Instant::now();
        let o = Command::new(crate::weft_bin())
            .args(args)
            .arg(id)
            .args(extra)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()?;
        ms.push(t.elapsed().as_secs_f64() * 1e3);
        if !o.status.success() {
            bail!("weft {args:?} {id}: {}", String::from_utf8_lossy(&o.stderr));
        }
    }
    Ok(ms)
}

pub fn run(dir: &Path, runs: usize) -> Result<()> {
    let weft = crate::weft_bin();
    crate::ensure_snapshot(dir)?;
    let ids = targets(dir, 50);
    if ids.is_empty() {
        bail!("no function with callers in {}", dir.display());
    }
    let questions: [(&str, &[&str], &[&str]); 2] = [
        ("callers", &["callers"], &[]),
        ("impact", &["impact"], &["--depth", "3"]),
    ];
    let mut out =
        json!({"bench": "daemon", "dir": dir.display().to_string(), "targets": ids.len()});
    // a few snapshot runs: each is a whole warm start
    let cold_runs = (runs / 5).max(10);
    for (name, args, extra) in questions {
        let ms = time_runs(
            dir,
            &[&["--no-daemon"], args].concat(),
            extra,
            &ids,
            cold_runs,
        )?;
        out[format!("{name}_snapshot")] = crate::p50_p95(ms, 1, "runs");
    }
    let started = Instant::now();
    let daemon = Daemon(
        Command::new(&weft)
            .args(["serve", "--no-http"])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting the daemon")?,
    );
    while health(dir).is_none_or(|h| h["warm"] != json!(true)) {
        if started.elapsed() > Duration::from_secs(600) {
            bail!("the daemon was not warm after 10 minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    out["daemon_warm_s"] = json!((started.elapsed().as_secs_f64() * 100.0).round() / 100.0);
    for (name, args, extra) in questions {
        let ms = time_runs(dir, args, extra, &ids, runs)?;
        out[format!("{name}_daemon")] = crate::p50_p95(ms, 1, "runs");
    }
    drop(daemon);
    println!("{out}");
    Ok(())
}
