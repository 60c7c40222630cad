//! `cargo xtask bench --edge`: bundle size, D1 load, per-route latency and
//! the `--since` batch of the Worker in local workerd.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

use super::build::ensure_npm;
use super::workerd::{d1_load, dev, enc, http_get, revision_in};
use crate::{root, run, target_dir};

/// A seeded xorshift, so runs pick the same targets.
fn picker() -> impl FnMut(usize) -> usize {
    let mut rng = 0x9E3779B97F4A7C15u64;
    move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n.max(1) as u64) as usize
    }
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// Milliseconds of one GET, and its status.
fn timed_get(port: u16, path: &str) -> Result<(f64, u16)> {
    let t = std::time::Instant::now();
    let (status, _) = http_get(port, path)?;
    Ok((t.elapsed().as_secs_f64() * 1e3, status))
}

/// `cargo xtask bench --edge`: the Worker in local workerd over a D1 copy
/// of `tree`'s snapshot. Prints JSON lines: bundle size, D1 load time,
/// cold and warm latency per route, and the `--since` batch of a one-file
/// edit.
pub fn bench(corpus: &Path, samples: usize, max_files: usize) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let size = run(Command::new("cargo")
        .args(["xtask", "wasm"])
        .current_dir(root()))?;
    out.extend(
        size.lines()
            .filter(|l| l.starts_with('{'))
            .map(str::to_string),
    );
    let npm_bin = ensure_npm()?;
    let weft = target_dir().join("release/weft");
    let lang = corpus.file_name().and_then(|n| n.to_str()).unwrap_or("?");
    let work = std::env::temp_dir().join(format!("weft-edge-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let state = work.join("state");
    std::fs::create_dir_all(&state)?;
    // `wrangler d1 execute --local` loads about 0.1 MB of SQL a second
    // here, so the replica gets the corpus's first packages (by name) up
    // to `max_files` source files
    let tree = work.join("tree");
    std::fs::create_dir_all(&tree)?;
    let mut packages: Vec<PathBuf> = std::fs::read_dir(corpus)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_dir()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    packages.sort();
    let mut taken = 0;
    for p in packages {
        let n = walk_files(&p)?.len();
        if taken > 0 && taken + n > max_files {
            break;
        }
        run(Command::new("cp").arg("-a").arg(&p).arg(&tree))?;
        taken += n;
    }
    let tree = tree.as_path();
    run(Command::new(&weft)
        .arg("index")
        .arg(tree)
        .stdout(std::process::Stdio::null()))?;
    let sql = work.join("weft.sql");
    let t = std::time::Instant::now();
    let report = run(Command::new(&weft)
        .args(["--json", "snapshot", "export", "--d1"])
        .arg(&sql)
        .current_dir(tree))?;
    let export_s = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    d1_load(&npm_bin, &state, &sql)?;
    let load_s = t.elapsed().as_secs_f64();
    out.push(format!(
        "{{\"bench\":\"edge-d1-load\",\"lang\":\"{lang}\",\"files\":{taken},\"sql_bytes\":{},\"export_s\":{export_s:.2},\"load_s\":{load_s:.1},\"export\":{}}}",
        std::fs::metadata(&sql)?.len(),
        report.trim()
    ));
    eprintln!("{}", out.last().unwrap());

    // targets, through the Worker: functions of seeded files, and the
    // places that reference them
    let mut files: Vec<String> = Vec::new();
    for e in walk_files(tree)? {
        files.push(e);
    }
    files.sort();
    let mut next = picker();
    let worker = dev(&npm_bin, &state)?;
    let (mut ids, mut places, mut paths) = (Vec::new(), Vec::new(), Vec::new());
    let mut tries = 0;
    while ids.len() < samples && tries < samples * 20 {
        tries += 1;
        let f = &files[next(files.len())];
        let (status, body) = http_get(worker.port, &format!("/v1/outline?file={}", enc(f)))?;
        if status != 200 {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&body)?;
        let defs = v["result"].as_array().cloned().unwrap_or_default();
        let funcs: Vec<&serde_json::Value> = defs
            .iter()
            .filter(|d| matches!(d["kind"].as_str(), Some("function" | "method")))
            .collect();
        if funcs.is_empty() {
            continue;
        }
        let d = funcs[next(funcs.len())];
        let id = d["id"].as_str().unwrap_or_default().to_string();
        let (_, refs) = http_get(worker.port, &format!("/v1/refs?target={id}"))?;
        let r: serde_json::Value = serde_json::from_str(&refs)?;
        if let Some(h) = r["result"]["references"].as_array().and_then(|a| a.first()) {
            places.push(format!(
                "{}:{}:{}",
                enc(h["file"].as_str().unwrap_or("")),
                h["span"]["start"]["line"].as_u64().unwrap_or(0) + 1,
                h["span"]["start"]["col"].as_u64().unwrap_or(0) + 1
            ));
        }
        paths.push(enc(f));
        ids.push(id);
    }
    drop(worker);
    // each route over the targets: `{}` is an id, a file or a place
    let over = |list: &[String], template: &str| -> Vec<String> {
        list.iter().map(|x| template.replace("{}", x)).collect()
    };
    let routes: Vec<(&str, Vec<String>)> = vec![
        ("def", over(&places, "/v1/def?at={}")),
        ("refs", over(&ids, "/v1/refs?target={}")),
        ("callers", over(&ids, "/v1/callers?target={}")),
        ("callees", over(&ids, "/v1/callees?target={}")),
        ("impls", over(&ids, "/v1/impls?target={}")),
        ("deps", over(&paths, "/v1/deps?target={}")),
        ("outline", over(&paths, "/v1/outline?file={}")),
        (
            "callers-depth-3",
            over(&ids, "/v1/callers?target={}&depth=3"),
        ),
        ("impact-depth-2", over(&ids, "/v1/impact?target={}&depth=2")),
        (
            "symbols",
            ids.iter()
                .map(|i| format!("/v1/symbols?q={}", &i[..4]))
                .collect(),
        ),
        ("stats", vec!["/v1/stats".to_string(); samples.min(50)]),
    ];
    for (route, requests) in routes {
        if requests.is_empty() {
            continue;
        }
        // cold: the first request of a fresh isolate; warm: the rest
        let worker = dev(&npm_bin, &state)?;
        let (cold, _) = timed_get(worker.port, &requests[0])?;
        let mut warm = Vec::new();
        let mut errors = 0;
        for r in requests.iter().skip(1) {
            let (ms, status) = timed_get(worker.port, r)?;
            if status != 200 {
                errors += 1;
            }
            warm.push(ms);
        }
        drop(worker);
        if warm.is_empty() {
            continue;
        }
        let line = format!(
            "{{\"bench\":\"edge-latency\",\"lang\":\"{lang}\",\"route\":\"{route}\",\"cold_ms\":{cold:.1},\"warm_p50_ms\":{:.2},\"warm_p95_ms\":{:.2},\"n\":{},\"non_2xx\":{errors}}}",
            percentile(&mut warm, 0.5),
            percentile(&mut warm, 0.95),
            warm.len()
        );
        eprintln!("{line}");
        out.push(line);
    }

    // one file edited: the --since batch
    let revision = |d: &Path| -> Result<String> {
        let info = run(Command::new(&weft)
            .args(["--json", "snapshot", "info"])
            .current_dir(d))?;
        Ok(revision_in(&info)?.to_string())
    };
    let before = revision(tree)?;
    let victim = tree.join(&files[next(files.len())]);
    let original = std::fs::read(&victim)?;
    let edited = [
        original.clone(),
        b"\n// edited by the edge benchmark\n".to_vec(),
    ]
    .concat();
    std::fs::write(&victim, &edited)?;
    let result = (|| -> Result<String> {
        run(Command::new(&weft)
            .arg("index")
            .arg(tree)
            .stdout(std::process::Stdio::null()))?;
        let batch = work.join("since.sql");
        let r = run(Command::new(&weft)
            .args(["--json", "snapshot", "export", "--d1"])
            .arg(&batch)
            .args(["--since", &before])
            .current_dir(tree))?;
        let t = std::time::Instant::now();
        d1_load(&npm_bin, &state, &batch)?;
        Ok(format!(
            "{{\"bench\":\"edge-since\",\"lang\":\"{lang}\",\"file\":{:?},\"bytes\":{},\"apply_s\":{:.2},\"export\":{}}}",
            victim
                .strip_prefix(tree)
                .unwrap_or(&victim)
                .display()
                .to_string(),
            std::fs::metadata(&batch)?.len(),
            t.elapsed().as_secs_f64(),
            r.trim()
        ))
    })();
    std::fs::write(&victim, &original)?;
    run(Command::new(&weft)
        .arg("index")
        .arg(tree)
        .stdout(std::process::Stdio::null()))?;
    let line = result?;
    eprintln!("{line}");
    out.push(line);
    let _ = std::fs::remove_dir_all(&work);
    Ok(out)
}

/// Source files under `dir` (relative paths), skipping hidden directories.
fn walk_files(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name == "target" || name == "node_modules" {
                continue;
            }
            let p = e.path();
            if e.file_type()?.is_dir() {
                stack.push(p);
            } else if [".rs", ".py", ".ts", ".js", ".go"]
                .iter()
                .any(|x| name.ends_with(x))
            {
                out.push(p.strip_prefix(dir)?.to_string_lossy().into_owned());
            }
        }
    }
    Ok(out)
}
