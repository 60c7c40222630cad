//! Local servers for the edge commands: `wrangler dev` (workerd) over a
//! local D1, `weft serve`, and the HTTP client that queries both.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::crate_dir;
use crate::run;

/// A `wrangler dev --local` child; stopped on drop.
pub(super) struct Dev {
    child: std::process::Child,
    pub(super) port: u16,
}

impl Drop for Dev {
    fn drop(&mut self) {
        // wrangler starts workerd as its own child: stop the group
        let _ = Command::new("kill")
            .arg("--")
            .arg(format!("-{}", self.child.id()))
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

pub(super) fn wrangler(npm_bin: &Path, state: &Path) -> Command {
    let mut c = Command::new(npm_bin.join("wrangler"));
    c.current_dir(crate_dir())
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "true")
        .env("NO_UPDATE_NOTIFIER", "1")
        .env("XDG_CONFIG_HOME", state.join("config"));
    c
}

/// Load `sql` into the local D1 database kept under `state`.
pub(super) fn d1_load(npm_bin: &Path, state: &Path, sql: &Path) -> Result<()> {
    run(wrangler(npm_bin, state)
        .args(["d1", "execute", "weft", "--local", "--persist-to"])
        .arg(state.join("d1"))
        .arg("--file")
        .arg(sql)
        .stdout(std::process::Stdio::null()))?;
    Ok(())
}

/// Start `cmd` in its own process group, its output in `log`, and wait
/// up to `timeout` until `ready` says it serves; stopped on drop.
fn start(
    mut cmd: Command,
    port: u16,
    log: &Path,
    timeout: std::time::Duration,
    ready: impl Fn() -> bool,
) -> Result<Dev> {
    use std::os::unix::process::CommandExt;
    let out = std::fs::File::create(log)?;
    let child = cmd
        .stdout(out.try_clone()?)
        .stderr(out)
        .process_group(0)
        .spawn()
        .with_context(|| format!("starting {cmd:?}"))?;
    let running = Dev { child, port };
    let t = std::time::Instant::now();
    while t.elapsed() < timeout {
        if ready() {
            return Ok(running);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    bail!(
        "{cmd:?} was not ready within {} s; see {}",
        timeout.as_secs(),
        log.display()
    )
}

/// `wrangler dev --local` over the D1 kept under `state`, on a free port.
pub(super) fn dev(npm_bin: &Path, state: &Path) -> Result<Dev> {
    let port = free_port()?;
    let mut cmd = wrangler(npm_bin, state);
    cmd.args([
        "dev",
        "--local",
        "--ip",
        "127.0.0.1",
        "--port",
        &port.to_string(),
    ])
    .arg("--persist-to")
    .arg(state.join("d1"));
    let log = state.join("dev.log");
    start(cmd, port, &log, std::time::Duration::from_secs(60), || {
        std::fs::read_to_string(&log).is_ok_and(|l| l.contains("Ready on"))
    })
}

/// (status, body) of a GET to a local server. Reads exactly the response
/// (by its length or its chunks): workerd keeps a connection open for a
/// while even when asked to close it.
pub fn http_get(port: u16, path: &str) -> Result<(u16, String)> {
    use std::io::{BufRead, BufReader, Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(60)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("no status in {line:?}"))?;
    let (mut length, mut chunked) = (None, false);
    loop {
        line.clear();
        r.read_line(&mut line)?;
        let h = line.trim_end().to_ascii_lowercase();
        if h.is_empty() {
            break;
        }
        if let Some(v) = h.strip_prefix("content-length:") {
            length = v.trim().parse::<usize>().ok();
        }
        if h.starts_with("transfer-encoding:") && h.contains("chunked") {
            chunked = true;
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let n = usize::from_str_radix(line.trim(), 16).context("chunk size")?;
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk)?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = length {
        body.resize(n, 0);
        r.read_exact(&mut body)?;
    } else {
        r.read_to_end(&mut body)?;
    }
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// `weft serve` on `tree`, on a free loopback port; stopped on drop.
pub(super) fn serve(weft: &Path, tree: &Path, state: &Path) -> Result<Dev> {
    let port = free_port()?;
    let mut cmd = Command::new(weft);
    cmd.args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .current_dir(tree);
    start(
        cmd,
        port,
        &state.join("serve.log"),
        std::time::Duration::from_secs(120),
        || http_get(port, "/healthz").is_ok_and(|(s, _)| s == 200),
    )
}

/// The `revision` member of a JSON document (`/healthz`, `snapshot info`).
pub(super) fn revision_in(json: &str) -> Result<u64> {
    let v: serde_json::Value = serde_json::from_str(json)?;
    v["revision"]
        .as_u64()
        .with_context(|| format!("no revision in {json}"))
}

/// Escape what a query string cannot hold.
pub(super) fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~:/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
