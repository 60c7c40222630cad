//! `weft-bench serve DIR`: `weft serve` under a load generator (wrk) on a
//! copy of DIR: throughput and latency per route at several concurrencies,
//! then the time from a file save to its Server-Sent Event.
//!
//! Requests rotate through 1000 real targets per route (positions of
//! references for `def`, functions for `refs`, `callers`, `impact`), chosen
//! with a fixed seed from the corpus itself.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use weft_db::SymbolKind;
use weft_queries::db::{all_files, file_facts};
use weft_queries::symbols::symbol_record;

/// wrk's Lua side: rotate through the paths in $WEFT_PATHS (each thread
/// from its own offset) and print the figures as one JSON line.
const SCRIPT: &str = r#"
local paths = {}
for line in io.lines(os.getenv("WEFT_PATHS")) do paths[#paths + 1] = line end
local counter = 0
local i = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end
function request()
  i = i + 1
  return wrk.format("GET", paths[((offset or 0) + i) % #paths + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"errors":%d,"non_2xx":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout,
    e.status, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"#;

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(weft: &Path, root: &Path) -> Result<Server> {
    let mut child = Command::new(weft)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", weft.display()))?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line)?;
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .with_context(|| format!("no address in {line:?}"))?
        .to_string();
    Ok(Server { child, addr })
}

/// The JSON body of one GET.
fn get_json(addr: &str, path: &str) -> Result<Value> {
    use std::io::Read;
    let mut s = TcpStream::connect(addr)?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: weft\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = String::new();
    s.read_to_string(&mut raw)?;
    let body = raw.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    Ok(serde_json::from_str(body)?)
}

/// Seconds until the server reports every file resolved.
fn wait_warm(addr: &str) -> Result<f64> {
    let t = Instant::now();
    while get_json(addr, "/healthz")?["warm"] != json!(true) {
        if t.elapsed() > Duration::from_secs(600) {
            bail!("not warm after 10 minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(t.elapsed().as_secs_f64())
}

/// 1000 request paths per route, from the graph of `root`.
fn targets(root: &Path) -> Vec<(&'static str, Vec<String>)> {
    let l = crate::load(root);
    l.host
        .analysis()
        .with_db(|db| {
            let files = all_files(db);
            let mut next = crate::seeded_picker();
            let mut funcs = Vec::new();
            for &f in &files {
                for (i, d) in file_facts(db, f).defs.iter().enumerate() {
                    if matches!(d.kind, SymbolKind::Function | SymbolKind::Method) {
                        funcs.push((f, i as u32));
                    }
                }
            }
            let mut def = Vec::new();
            while def.len() < 1000 {
                let f = files[next(files.len())];
                let facts = file_facts(db, f);
                if facts.refs.is_empty() {
                    continue;
                }
                let p = facts.refs[next(facts.refs.len())].span.start;
                def.push(format!(
                    "/v1/def?at={}:{}:{}",
                    f.path(db),
                    p.line + 1,
                    p.col + 1
                ));
            }
            let ids: Vec<String> = (0..1000)
                .map(|_| symbol_record(db, funcs[next(funcs.len())]).id.to_string())
                .collect();
            let route = |r: &str, extra: &str| -> Vec<String> {
                ids.iter()
                    .map(|id| format!("/v1/{r}?target={id}{extra}"))
                    .collect()
            };
            vec![
                ("def", def),
                ("refs", route("refs", "")),
                ("callers", route("callers", "")),
                ("impact", route("impact", "&depth=3")),
            ]
        })
        .expect("nothing cancels the benchmark")
}

fn wrk(addr: &str, paths: &Path, script: &Path, connections: usize, secs: u64) -> Result<Value> {
    let threads = connections.min(2);
    let o = Command::new("wrk")
        .args([
            "-t",
            &threads.to_string(),
            "-c",
            &connections.to_string(),
            "-d",
            &format!("{secs}s"),
            "--timeout",
            "10s",
            "-s",
        ])
        .arg(script)
        .arg(format!("http://{addr}"))
        .env("WEFT_PATHS", paths)
        .output()
        .context("running wrk (apt-get install wrk)")?;
    if !o.status.success() {
        bail!("wrk: {}", String::from_utf8_lossy(&o.stderr));
    }
    let out = String::from_utf8_lossy(&o.stdout);
    let line = out
        .lines()
        .find(|l| l.starts_with('{'))
        .with_context(|| format!("no figures from wrk in {out}"))?;
    Ok(serde_json::from_str(line)?)
}

/// Seconds from each of `saves` file saves to the `change` event naming
/// the file, and the server's own lag figure for the batch.
fn save_to_event(addr: &str, root: &Path, files: &[PathBuf], saves: usize) -> Result<Value> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "GET /v1/events HTTP/1.1\r\nHost: weft\r\nAccept: text/event-stream\r\n\r\n"
    )?;
    let mut r = BufReader::new(s);
    let mut line = String::new();
    let (mut wall, mut lag) = (Vec::new(), Vec::new());
    for k in 0..saves {
        let path = &files[k % files.len()];
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        std::thread::sleep(Duration::from_millis(100));
        let t = Instant::now();
        crate::append_function(path, 1_000_000 + k)?;
        let mut kind = String::new();
        loop {
            line.clear();
            if r.read_line(&mut line)? == 0 {
                bail!("the event stream ended");
            }
            let l = line.trim_end();
            if let Some(k) = l.strip_prefix("event: ") {
                kind = k.to_string();
            } else if let Some(d) = l.strip_prefix("data: ")
                && kind == "change"
            {
                let e: Value = serde_json::from_str(d)?;
                if e["changed"]
                    .as_array()
                    .is_some_and(|c| c.iter().any(|p| p == &rel))
                {
                    wall.push(crate::ms(t.elapsed()));
                    lag.push(e["lag_ms"].as_f64().unwrap_or(f64::NAN));
                    break;
                }
            }
        }
    }
    Ok(json!({
        "saves": saves,
        "save_to_event_ms_p50": crate::pct(wall.clone(), 0.5),
        "save_to_event_ms_p95": crate::pct(wall, 0.95),
        "server_lag_ms_p50": crate::pct(lag.clone(), 0.5),
        "server_lag_ms_p95": crate::pct(lag, 0.95),
    }))
}

pub fn run(dir: &Path, secs: u64) -> Result<()> {
    let weft = std::env::current_exe()?.with_file_name("weft");
    let work = crate::scratch_dir(dir)?;
    let root = work.join("tree");
    crate::copy_tree(dir, &root)?;
    let st = Command::new(&weft)
        .arg("index")
        .arg(&root)
        .stdout(Stdio::null())
        .status()?;
    if !st.success() {
        bail!("weft index {} failed", root.display());
    }
    let routes = targets(&root);
    let script = work.join("rotate.lua");
    std::fs::write(&script, SCRIPT)?;
    let t = Instant::now();
    let server = start(&weft, &root)?;
    let listening = t.elapsed().as_secs_f64();
    let warm = wait_warm(&server.addr)?;
    println!(
        "{}",
        json!({"bench": "serve-start", "dir": dir.display().to_string(),
               "listening_s": listening, "warm_after_s": warm})
    );

    // SECONDS = 0: only the save-to-event figures
    for (route, paths) in routes.iter().filter(|_| secs > 0) {
        let list = work.join(format!("{route}.paths"));
        std::fs::write(&list, paths.join("\n") + "\n")?;
        for c in [1, 64, 1000] {
            let mut v = wrk(&server.addr, &list, &script, c, secs)?;
            let rps = v["requests"].as_f64().unwrap_or(0.0) / v["seconds"].as_f64().unwrap_or(1.0);
            v["bench"] = json!("serve");
            v["dir"] = json!(dir.display().to_string());
            v["route"] = json!(route);
            v["concurrency"] = json!(c);
            v["requests_per_s"] = json!(rps.round());
            println!("{v}");
        }
    }

    // files with at least one definition, spread over the tree
    let mut rs: Vec<PathBuf> = routes[0]
        .1
        .iter()
        .filter_map(|p| {
            p.strip_prefix("/v1/def?at=")?
                .split(':')
                .next()
                .map(|f| root.join(f))
        })
        .collect();
    rs.sort();
    rs.dedup();
    let mut v = save_to_event(&server.addr, &root, &rs, 100)?;
    v["bench"] = json!("serve-save-to-event");
    v["dir"] = json!(dir.display().to_string());
    println!("{v}");
    drop(server);
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}
