//! A question asked of the repository's daemon, when one runs: the same
//! text or `--json` lines the command prints itself, without loading the
//! snapshot (a warm start costs 60-300 ms; the daemon answers in a few).
//! The daemon first applies any change on disk it has seen, so an edit
//! made just before the command is in the answer.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Result, bail};
use weft_db::api::Query;
use weft_server::daemon::{self, Found};

use crate::query_cmd::QueryCmd;

/// The daemon's answer to `q`, printed; `None` when no daemon can answer
/// it (then the command answers from the snapshot).
pub fn ask(root: &Path, q: &QueryCmd, json: bool) -> Result<Option<ExitCode>> {
    if q.output.is_some() || q.scip.is_some() {
        return Ok(None);
    }
    match &q.query {
        // `stats` prints the snapshot's own counts; an export is a file
        Query::Stats | Query::Export { .. } => return Ok(None),
        // the daemon searches lexically; vectors are fused in process
        Query::Search { .. } => {
            let dir = root.join(weft_load::snapshot::DEFAULT_DIR);
            if weft_ide::dense::search_config(&dir).is_ok_and(|(c, _)| c.is_some()) {
                return Ok(None);
            }
        }
        _ => {}
    }
    let info = match daemon::find(root) {
        Found::Live(i) if i.version == env!("CARGO_PKG_VERSION") => i,
        Found::Live(i) => {
            eprintln!(
                "note: the daemon (pid {}) is weft {}, this is {}: answering from the snapshot",
                i.pid,
                i.version,
                env!("CARGO_PKG_VERSION")
            );
            return Ok(None);
        }
        Found::None => return Ok(None),
        Found::Stale(i) => {
            eprintln!(
                "note: the daemon that served this repository (pid {}) is gone; answering from the snapshot",
                i.pid
            );
            return Ok(None);
        }
    };
    ask_daemon(&info, root, q, json)
}

/// Send `q` to a live daemon and print its answer; `None` if it does not
/// answer (the caller answers in process).
fn ask_daemon(
    info: &daemon::Info,
    root: &Path,
    q: &QueryCmd,
    json: bool,
) -> Result<Option<ExitCode>> {
    let mut out = std::io::stdout().lock();
    ask_daemon_into(info, root, q, json, &mut out)
}

/// [`ask_daemon`], the answer written to `out`.
fn ask_daemon_into(
    info: &daemon::Info,
    root: &Path,
    q: &QueryCmd,
    json: bool,
    out: &mut impl Write,
) -> Result<Option<ExitCode>> {
    // a daemon still loading its graph would keep the question waiting
    if !daemon::ready_blocking(info, Duration::from_secs(2)) {
        eprintln!(
            "note: the daemon (pid {}) is not answering yet (still loading?); answering from the snapshot",
            info.pid
        );
        return Ok(None);
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| root.to_path_buf());
    let query: Vec<String> = q
        .params
        .iter()
        .map(|(k, v)| {
            // only what names a file may be relative to this directory
            let v = match k.as_str() {
                "target" | "at" | "file" | "from" | "to" => from_root(root, &cwd, v),
                _ => v.clone(),
            };
            format!("{}={}", encode(k), encode(&v))
        })
        .collect();
    let path = format!("/v1/{}?{}", q.route, query.join("&"));
    let accept = if json {
        "application/x-ndjson"
    } else {
        "text/plain"
    };
    let reply = daemon::request_blocking(
        info,
        "GET",
        &path,
        &[("accept", accept), ("x-weft-fresh", "wait")],
        Duration::from_secs(600),
    );
    let r = match reply {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "note: the daemon (pid {}) did not answer ({e:#}); answering from the snapshot",
                info.pid
            );
            return Ok(None);
        }
    };
    if r.status != 200 {
        let message = serde_json::from_slice::<serde_json::Value>(&r.body)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| String::from_utf8_lossy(&r.body).into_owned());
        bail!("{message}");
    }
    out.write_all(&r.body)?;
    out.flush()?;
    let found = r
        .headers
        .get("x-weft-found")
        .is_none_or(|v| v.as_bytes() != b"false");
    if found {
        return Ok(Some(ExitCode::SUCCESS));
    }
    if let Query::Symbols { query, .. } | Query::Search { query, .. } = &q.query {
        eprintln!("no symbol matches `{query}`");
    }
    Ok(Some(ExitCode::from(1)))
}

/// `weft index` while a daemon serves the repository: the daemon holds the
/// snapshot and keeps it current, so there is nothing to re-read; say so
/// and show its counts. Importing an index or embedding needs the
/// snapshot's writer: the daemon must stop first.
pub fn index(root: &Path, writes_more: bool, json: bool) -> Result<Option<ExitCode>> {
    let Found::Live(info) = daemon::find(root) else {
        return Ok(None);
    };
    if writes_more {
        bail!(
            "the daemon (weft serve, pid {}) holds {}/.weft/graph.db: stop it to import an index or embed",
            info.pid,
            root.display()
        );
    }
    eprintln!(
        "note: the daemon (weft serve, pid {}) keeps this repository's snapshot current; its counts:",
        info.pid
    );
    let q = QueryCmd {
        query: Query::Stats,
        route: "stats",
        params: Vec::new(),
        output: None,
        scip: None,
    };
    if !json {
        return Ok(ask_daemon(&info, root, &q, false)?.or(Some(ExitCode::SUCCESS)));
    }
    // `weft index --json`'s own shape, with the daemon's counts
    let mut counts = Vec::new();
    let asked = ask_daemon_into(&info, root, &q, true, &mut counts)?;
    let stats: serde_json::Value = serde_json::from_slice(&counts).unwrap_or_default();
    println!(
        "{}",
        serde_json::json!({"root": root.display().to_string(), "stats": stats, "daemon": info.pid})
    );
    Ok(asked.or(Some(ExitCode::SUCCESS)))
}

/// `weft daemon status|stop`.
pub fn command(root: &Path, sub: &crate::args::DaemonCommand, json: bool) -> Result<ExitCode> {
    use crate::args::DaemonCommand;
    let info = match daemon::find(root) {
        Found::Live(i) => i,
        Found::Stale(i) => {
            eprintln!(
                "the daemon that served {} (pid {}) is gone; its files were removed",
                root.display(),
                i.pid
            );
            return Ok(ExitCode::from(1));
        }
        Found::None => {
            eprintln!("no daemon serves {}", root.display());
            return Ok(ExitCode::from(1));
        }
    };
    match sub {
        DaemonCommand::Status => {
            let health =
                daemon::request_blocking(&info, "GET", "/healthz", &[], Duration::from_secs(2))
                    .ok()
                    .and_then(|r| serde_json::from_slice::<serde_json::Value>(&r.body).ok());
            if json {
                println!("{}", serde_json::json!({"daemon": info, "health": health}));
            } else {
                println!(
                    "weft {} daemon, pid {}, for {}\n  socket {}{}",
                    info.version,
                    info.pid,
                    info.root.display(),
                    info.socket.display(),
                    info.http
                        .as_ref()
                        .map_or(String::new(), |h| format!("\n  http://{h}"))
                );
                match &health {
                    Some(h) => println!(
                        "  revision {}, {}",
                        h["revision"],
                        if h["warm"] == true {
                            "every file resolved"
                        } else {
                            "resolving files"
                        }
                    ),
                    None => println!("  not answering yet (loading the repository?)"),
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        DaemonCommand::Stop => {
            daemon::stop(root, &info, Duration::from_secs(30))?;
            eprintln!("stopped the daemon (pid {})", info.pid);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A value naming a file relative to the current directory, made relative
/// to the root (the daemon's current directory is not this one). Anything
/// else is sent as it is.
fn from_root(root: &Path, cwd: &Path, value: &str) -> String {
    // FILE, FILE:LINE or FILE:LINE:COL
    let mut head = value;
    let mut tail = "";
    for _ in 0..2 {
        if let Some((h, t)) = head.rsplit_once(':')
            && !t.is_empty()
            && t.bytes().all(|b| b.is_ascii_digit())
        {
            tail = &value[h.len()..];
            head = h;
        }
    }
    let abs: PathBuf = cwd.join(head);
    if head.is_empty() || !abs.is_file() {
        return value.to_string();
    }
    let abs = abs.canonicalize().unwrap_or(abs);
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match abs.strip_prefix(&root) {
        Ok(rel) => format!("{}{tail}", rel.to_string_lossy()),
        Err(_) => value.to_string(),
    }
}

/// Percent-encoding for a query string's names and values.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_encoded_whole() {
        assert_eq!(encode("a::b c&d=é"), "a%3A%3Ab%20c%26d%3D%C3%A9");
    }

    #[test]
    fn a_file_named_from_a_subdirectory_is_sent_from_the_root() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        std::fs::create_dir_all(root.join("src/db")).unwrap();
        std::fs::write(root.join("src/db/store.rs"), "fn f() {}").unwrap();
        let cwd = root.join("src");
        assert_eq!(
            from_root(root, &cwd, "db/store.rs:3:7"),
            "src/db/store.rs:3:7"
        );
        assert_eq!(from_root(root, &cwd, "db/store.rs:3"), "src/db/store.rs:3");
        assert_eq!(from_root(root, &cwd, "db/store.rs"), "src/db/store.rs");
        assert_eq!(
            from_root(root, &cwd, "crate::db::Store"),
            "crate::db::Store"
        );
        assert_eq!(from_root(root, &cwd, "nope.rs:1:1"), "nope.rs:1:1");
    }
}
