//! `weft serve` under load and abuse: a thousand requests in flight while
//! edits stream in, a SIGKILL in the middle of updates, a SIGTERM with a
//! batch still pending.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use common::server::{Conn, Events, get, request, start};
use common::{stdout, weft, write};
use serde_json::Value;

/// The generated file: `caller_G` and `fG_I` for one generation G, so every
/// name in an answer says which version of the file it was computed from.
fn generation(g: usize) -> String {
    let mut s = format!("pub fn caller_{g}() {{\n");
    for i in 0..20 {
        s += &format!("    f{g}_{i}();\n");
    }
    s += "}\n";
    for i in 0..20 {
        s += &format!("pub fn f{g}_{i}() {{}}\n");
    }
    s
}

fn gen_of(name: &str) -> usize {
    let digits = name
        .trim_start_matches("caller_")
        .trim_start_matches('f')
        .split('_')
        .next()
        .unwrap();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("unexpected name {name}"))
}

/// 1000 clients each keep one request in flight (all sent at once, then
/// each sends the next as soon as its answer arrives) while 15 versions of
/// a file are written. Every answer must be a 200 computed at one revision:
/// its names all come from one version of the file, and every answer that
/// reports the same revision reports the same version.
#[test]
fn a_thousand_requests_in_flight_while_edits_stream_in_each_answer_is_one_revision() {
    const CLIENTS: usize = 1000;
    const EDITS: usize = 15;
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    write(
        dir,
        &[
            ("Cargo.toml", b"[package]\nname = \"load\"\n"),
            ("src/lib.rs", b"pub mod gen;\n"),
            ("src/gen.rs", generation(0).as_bytes()),
        ],
    );
    let s = start(dir, &[], &["--debounce-ms", "5", "--deadline", "60"]);
    let addr = s.addr.clone();
    let mut events = Events::open(&addr, None);
    events.next("hello");

    let stop = Arc::new(AtomicBool::new(false));
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most_in_flight = Arc::new(AtomicUsize::new(0));
    let start_line = Arc::new(Barrier::new(CLIENTS + 1));
    let sent_line = Arc::new(Barrier::new(CLIENTS));
    // revision -> generations seen in answers at that revision
    let seen: Arc<Mutex<BTreeMap<u64, BTreeSet<usize>>>> = Arc::default();
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();
    let answers = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (addr, stop, in_flight, most, start_line, sent_line, seen, failures, answers) = (
                addr.clone(),
                stop.clone(),
                in_flight.clone(),
                most_in_flight.clone(),
                start_line.clone(),
                sent_line.clone(),
                seen.clone(),
                failures.clone(),
                answers.clone(),
            );
            std::thread::Builder::new()
                .stack_size(256 << 10)
                .spawn(move || {
                    let mut c = Conn::open(&addr);
                    start_line.wait();
                    let mut first = true;
                    loop {
                        c.send("/v1/outline?file=src/gen.rs");
                        let n = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(n, Ordering::SeqCst);
                        if first {
                            // no answer is read before every client has sent
                            // its first request: a thousand truly at once
                            sent_line.wait();
                            first = false;
                        }
                        let (status, body) = c.receive();
                        in_flight.fetch_sub(1, Ordering::SeqCst);
                        answers.fetch_add(1, Ordering::Relaxed);
                        if status != 200 {
                            failures
                                .lock()
                                .unwrap()
                                .push(format!("{status}: {}", String::from_utf8_lossy(&body)));
                            return;
                        }
                        let v: Value = serde_json::from_slice(&body).unwrap();
                        let gens: BTreeSet<usize> = v["result"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|r| gen_of(r["name"].as_str().unwrap()))
                            .collect();
                        if gens.len() != 1 {
                            failures
                                .lock()
                                .unwrap()
                                .push(format!("one answer mixes versions {gens:?}"));
                        }
                        let revision = v["revision"].as_u64().unwrap();
                        seen.lock()
                            .unwrap()
                            .entry(revision)
                            .or_default()
                            .extend(gens);
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                    }
                })
                .unwrap()
        })
        .collect();
    start_line.wait();
    let t = Instant::now();
    let mut last_revision = 0;
    for g in 1..=EDITS {
        write(dir, &[("src/gen.rs", generation(g).as_bytes())]);
        // the next version only once this one is served
        loop {
            let e = events.next("change");
            last_revision = e["revision"].as_u64().unwrap();
            if e["symbols"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["name"] == format!("caller_{g}"))
            {
                break;
            }
        }
    }
    let elapsed = t.elapsed();
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} failures: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    let most = most_in_flight.load(Ordering::SeqCst);
    assert_eq!(most, CLIENTS, "at most {most} requests in flight");
    let seen = seen.lock().unwrap();
    for (revision, gens) in seen.iter() {
        assert_eq!(
            gens.len(),
            1,
            "revision {revision} answered with versions {gens:?}"
        );
    }
    let versions: BTreeSet<usize> = seen.values().flatten().copied().collect();
    assert!(
        versions.len() > 2,
        "the load did not overlap the edits: versions {versions:?}"
    );
    assert!(*seen.keys().last().unwrap() <= last_revision);
    eprintln!(
        "{} answers in {elapsed:?} across {} revisions",
        answers.load(Ordering::Relaxed),
        seen.len()
    );
}

const MODULES: usize = 24;

fn module(k: usize, g: usize) -> String {
    let callee = (k * 7 + g) % MODULES;
    format!(
        "//! module {k}, version {g}\npub fn f{k}_v{}(x: u32) -> u32 {{\n    crate::m{callee}::f{callee}_v{}(x) + {k}\n}}\npub struct S{k}_{g} {{ pub v: u32 }}\n",
        g % 4,
        g % 4,
    )
}

fn write_version(dir: &Path, k: usize, g: usize) {
    write(dir, &[(&format!("src/m{k}.rs"), module(k, g).as_bytes())]);
}

/// The whole graph as sorted export lines.
fn export_lines(v: &Value) -> Vec<String> {
    let mut lines: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.to_string())
        .collect();
    lines.sort();
    lines
}

/// SIGKILL lands while edits are being applied and stored; a restart
/// opens the snapshot, catches up with the tree warm, and serves exactly
/// what a cold index of the same tree answers.
#[test]
fn killed_during_updates_a_warm_restart_answers_as_a_cold_index() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let mut lib = String::new();
    for k in 0..MODULES {
        lib += &format!("pub mod m{k};\n");
        write_version(dir, k, 0);
    }
    write(
        dir,
        &[
            ("Cargo.toml", b"[package]\nname = \"crash\"\n"),
            ("src/lib.rs", lib.as_bytes()),
        ],
    );
    assert!(weft(dir, &["index"]).status.success());
    let mut s = start(dir, &[], &["--debounce-ms", "1"]);
    let mut events = Events::open(&s.addr, None);
    events.next("hello");
    // a steady stream of edits; the kill lands in the middle of it
    for g in 1..=40 {
        write_version(dir, (g * 5) % MODULES, g);
        if g == 10 {
            events.next("change"); // updates are flowing
        }
        if g == 25 {
            s.child.kill().unwrap(); // SIGKILL
            s.child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(8));
    }

    let s = start(dir, &[], &[]);
    let (status, health) = get(&s.addr, "/healthz");
    assert_eq!(status, 200);
    let started = &health["start"];
    assert!(
        started["cache_hits"].as_u64().unwrap() > 0,
        "the restart was not warm: {health}"
    );
    let (status, warm) = get(&s.addr, "/v1/export");
    assert_eq!(status, 200);

    let cold_dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(dir.join("src")).unwrap() {
        let p = entry.unwrap().path();
        let rel = format!("src/{}", p.file_name().unwrap().to_string_lossy());
        write(cold_dir.path(), &[(&rel, &std::fs::read(&p).unwrap())]);
    }
    write(
        cold_dir.path(),
        &[("Cargo.toml", b"[package]\nname = \"crash\"\n")],
    );
    let o = weft(cold_dir.path(), &["export", "--no-write"]);
    assert!(o.status.success());
    let cold: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (warm, cold) = (
        export_lines(&warm["result"]),
        export_lines(&Value::Array(cold)),
    );
    assert!(cold.len() > MODULES * 3, "{}", cold.len());
    if warm != cold {
        let w: BTreeSet<_> = warm.iter().collect();
        let c: BTreeSet<_> = cold.iter().collect();
        panic!(
            "warm restart differs from a cold index:\n only warm: {:?}\n only cold: {:?}",
            w.difference(&c).take(5).collect::<Vec<_>>(),
            c.difference(&w).take(5).collect::<Vec<_>>()
        );
    }
}

/// SIGTERM with a batch still gathering: open event streams end, the
/// process exits 0, and the batch is in the snapshot (a refresh afterwards
/// finds nothing to do).
#[test]
fn sigterm_closes_streams_and_stores_the_pending_batch_before_exiting() {
    let d = common::repo();
    let dir = d.path();
    assert!(weft(dir, &["index"]).status.success());
    // a long quiet period, so the edit below is still pending at SIGTERM
    let mut s = start(dir, &[], &["--debounce-ms", "2000"]);
    let mut events = Events::open(&s.addr, None);
    events.next("hello");
    assert_eq!(request(&s.addr, "GET", "/v1/stats", &[]).0, 200);
    write(
        dir,
        &[("src/late.rs", b"pub fn late_arrival() -> u32 { 1 }\n")],
    );
    std::thread::sleep(Duration::from_millis(100));
    let t = Instant::now();
    let pid = s.child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    // an open event stream does not hold the shutdown open
    let status = loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    drop(events);

    let o = weft(dir, &["index", "--json"]);
    assert!(o.status.success());
    let v: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let snap = &v["snapshot"];
    assert_eq!(
        (snap["changed"].as_u64(), snap["added"].as_u64()),
        (Some(0), Some(0)),
        "the pending batch was not stored: {snap}"
    );
    let o = weft(dir, &["symbols", "late_arrival"]);
    assert!(stdout(&o).contains("src/late.rs"), "{}", stdout(&o));
}
