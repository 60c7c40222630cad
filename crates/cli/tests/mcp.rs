//! `weft mcp` and the repository's daemon with real clients: the official
//! Python MCP SDK (`mcp` from PyPI, installed by this test into a venv
//! under the target directory the first time; it needs the package
//! registry) drives the server over stdio, through the daemon and in
//! process, and over streamable HTTP with the 2026 stateless protocol and
//! the legacy handshake. `crates/cli/tests/mcp/client.py` holds the checks.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{git, repo, weft, write};

/// The SDK release the checks were written against.
const SDK: &str = "mcp==2.3.0";

/// A venv with the SDK, made once per target directory.
fn python() -> PathBuf {
    common::venv(Path::new(env!("CARGO_TARGET_TMPDIR")), SDK).join("bin/python")
}

/// The shop repository, a file with enough definitions to need several
/// pages, and two branches that both change `total` (a direct conflict).
fn fixture() -> tempfile::TempDir {
    let d = repo();
    let dir = d.path();
    let many: String = (0..300)
        .map(|i| format!("/// Number {i}.\npub fn number_{i}() -> u32 {{ {i} }}\n"))
        .collect();
    write(dir, &[("src/many.rs", many.as_bytes())]);
    std::fs::write(dir.join(".gitignore"), ".weft/\n").unwrap();
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "base"]);
    for (branch, body) in [
        ("left", "xs.iter().sum::<u32>() + 0"),
        ("right", "xs.iter().copied().sum()"),
    ] {
        git(dir, &["checkout", "-qb", branch]);
        let text = format!("pub fn total(xs: &[u32]) -> u32 {{\n    {body}\n}}\n");
        write(dir, &[("src/price.rs", text.as_bytes())]);
        git(dir, &["commit", "-qam", branch]);
        git(dir, &["checkout", "-q", "main"]);
    }
    assert!(weft(dir, &["index"]).status.success());
    d
}

fn client(args: &[&str]) -> Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mcp/client.py");
    let o = Command::new(python())
        .arg(script)
        .args(args)
        .output()
        .expect("run the MCP client");
    assert!(
        o.status.success() && common::stdout(&o).ends_with("ok\n"),
        "the MCP client failed:\n{}\n{}",
        common::stdout(&o),
        common::stderr(&o)
    );
    o
}

/// The daemon of `dir`, killed when the test ends (it outlives `weft mcp`).
struct Daemon(PathBuf);

impl Daemon {
    fn pid(&self) -> Option<u32> {
        let info = std::fs::read(self.0.join(".weft/daemon.json")).ok()?;
        let v: serde_json::Value = serde_json::from_slice(&info).ok()?;
        v["pid"].as_u64().map(|p| p as u32)
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(pid) = self.pid() {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    }
}

const WEFT: &str = env!("CARGO_BIN_EXE_weft");

fn alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| s.contains(") Z "))
}

/// `weft serve` processes serving `root`.
fn daemons_of(root: &Path) -> usize {
    let root = root.canonicalize().unwrap();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| {
            let pid: u32 = e.ok()?.file_name().to_str()?.parse().ok()?;
            let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
            let args: Vec<&[u8]> = cmd.split(|&b| b == 0).collect();
            (alive(pid)
                && args.iter().any(|a| *a == b"serve")
                && args
                    .iter()
                    .any(|a| Path::new(&*String::from_utf8_lossy(a)) == root))
            .then_some(())
        })
        .count()
}

#[test]
fn mcp_over_stdio_through_a_daemon_it_starts() {
    let d = fixture();
    let dir = d.path();
    let _daemon = Daemon(dir.to_path_buf());
    let dirs = dir.to_str().unwrap();
    let o = client(&["stdio", WEFT, dirs, "auto", "mcp", "--debounce-ms", "1500"]);
    assert!(common::stdout(&o).contains("protocol 2026-07-28"));
    assert!(
        common::stderr(&o).contains("started a daemon"),
        "{}",
        common::stderr(&o)
    );
    assert_eq!(daemons_of(dir), 1, "the daemon outlives the session");
    // what is not JSON gets JSON-RPC's parse error; the next line is answered
    let out = mcp_stdio(
        dir,
        &[],
        b"not json\n{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}\n",
    );
    let lines: Vec<serde_json::Value> = common::stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines
            .iter()
            .any(|m| m["error"]["code"] == -32700 && m["id"].is_null()),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|m| m["id"] == 7 && m["result"]["tools"].is_array()),
        "{lines:?}"
    );
}

#[test]
fn mcp_over_stdio_in_process_with_the_legacy_handshake() {
    let d = fixture();
    let dir = d.path().to_str().unwrap();
    let o = client(&[
        "stdio",
        WEFT,
        dir,
        "legacy",
        "mcp",
        "--no-daemon",
        "--debounce-ms",
        "1500",
    ]);
    assert!(!common::stdout(&o).contains("protocol 2026-07-28"));
    assert!(!d.path().join(".weft/daemon.json").exists());
}

#[test]
fn mcp_over_http_stateless_and_with_a_session() {
    let d = fixture();
    let dir = d.path();
    let s = common::server::start(dir, &[], &["--debounce-ms", "1500"]);
    let url = format!("http://{}/mcp", s.addr);
    let dirs = dir.to_str().unwrap();
    let o = client(&["http", &url, dirs, "auto", "edits"]);
    assert!(common::stdout(&o).contains("protocol 2026-07-28"));
    client(&["http", &url, dirs, "legacy", "no-edits"]);
}

#[test]
fn one_daemon_answers_every_agent_and_command_and_a_dead_one_is_replaced() {
    let d = fixture();
    let dir = d.path();
    let daemon = Daemon(dir.to_path_buf());

    // two agents at once, through one daemon
    client(&["shared", WEFT, dir.to_str().unwrap()]);
    assert_eq!(daemons_of(dir), 1);
    let pid = daemon.pid().expect("a daemon");

    // two commands at once answer through it, as the snapshot would
    let own = weft(dir, &["callers", "total", "--depth", "2", "--no-daemon"]);
    assert!(own.status.success(), "{}", common::stderr(&own));
    let spawn = || {
        Command::new(WEFT)
            .args(["callers", "total", "--depth", "2"])
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    for o in [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()] {
        assert!(o.status.success(), "{}", common::stderr(&o));
        assert_eq!(common::stdout(&o), common::stdout(&own));
        assert!(common::stderr(&o).is_empty(), "{}", common::stderr(&o));
    }
    assert_eq!(daemon.pid(), Some(pid), "still the one daemon");

    // `weft mcp --no-daemon` beside a daemon reads the snapshot the daemon
    // holds, without waiting for its lock
    let t = Instant::now();
    let out = mcp_stdio(
        dir,
        &["--no-daemon"],
        b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n",
    );
    assert!(
        common::stdout(&out).contains("\"serverInfo\""),
        "{}",
        common::stdout(&out)
    );
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());

    // killed: the next command says so, answers from the snapshot, and
    // clears what the dead daemon left
    Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
    // (a killed process's leader turns zombie before its other threads
    // have closed the socket: wait for the socket to go quiet)
    let socket = dir.join(format!(".weft/weft-{pid}.sock"));
    let t = Instant::now();
    while std::os::unix::net::UnixStream::connect(&socket).is_ok()
        && t.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    let after = weft(dir, &["callers", "total", "--depth", "2"]);
    assert!(after.status.success(), "{}", common::stderr(&after));
    assert_eq!(common::stdout(&after), common::stdout(&own));
    assert!(
        common::stderr(&after).contains("is gone"),
        "{}",
        common::stderr(&after)
    );
    assert!(!dir.join(".weft/daemon.json").exists());

    // a stale socket left behind does not stop the next daemon
    let mut first = Command::new(WEFT)
        .args(["serve", "--no-http"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_daemon(dir, first.id());
    let left = dir.join(format!(".weft/weft-{}.sock", first.id()));
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(left.exists(), "left behind");
    let mut second = Command::new(WEFT)
        .args(["serve", "--no-http"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_daemon(dir, second.id());
    let through = weft(dir, &["callers", "total", "--depth", "2"]);
    assert_eq!(common::stdout(&through), common::stdout(&own));
    assert!(
        common::stderr(&through).is_empty(),
        "{}",
        common::stderr(&through)
    );
    // a `weft serve` on TCP beside the daemon serves at once, from the
    // snapshot the daemon holds
    let t = Instant::now();
    let tcp = common::server::start(dir, &[], &[]);
    let (status, v) = common::server::get(&tcp.addr, "/v1/callers?target=total");
    assert_eq!(status, 200, "{v}");
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
    drop(tcp);
    // `weft index` leaves the snapshot to the daemon; an import needs it stopped
    let index = weft(dir, &["index"]);
    assert!(index.status.success(), "{}", common::stderr(&index));
    assert!(
        common::stderr(&index).contains("keeps this repository's snapshot current"),
        "{}",
        common::stderr(&index)
    );
    assert!(
        common::stdout(&index).contains("\"symbols\""),
        "{}",
        common::stdout(&index)
    );
    let index_json = weft(dir, &["index", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&index_json.stdout).unwrap();
    assert!(v["stats"]["symbols"].as_u64().unwrap() > 0, "{v}");
    let import = weft(dir, &["index", "--scip", "nothing.scip"]);
    assert!(!import.status.success());
    assert!(
        common::stderr(&import).contains("stop it"),
        "{}",
        common::stderr(&import)
    );
    // `weft daemon status` tells about it; `weft daemon stop` stops it
    // cleanly, which removes the socket and the note
    let status = weft(dir, &["daemon", "status"]);
    assert!(status.status.success(), "{}", common::stderr(&status));
    assert!(
        common::stdout(&status).contains(&format!("pid {}", second.id())),
        "{}",
        common::stdout(&status)
    );
    let stop = weft(dir, &["daemon", "stop"]);
    assert!(stop.status.success(), "{}", common::stderr(&stop));
    second.wait().unwrap();
    let none = weft(dir, &["daemon", "status"]);
    assert!(!none.status.success());
    assert!(
        common::stderr(&none).contains("no daemon serves"),
        "{}",
        common::stderr(&none)
    );
    assert!(!dir.join(".weft/daemon.json").exists());
    assert!(!left.exists(), "the dead one's socket was cleared");
    assert!(
        !dir.join(format!(".weft/weft-{}.sock", second.id()))
            .exists()
    );
}

#[test]
fn an_agent_outlives_its_daemon_and_an_idle_daemon_stops() {
    let d = fixture();
    let dir = d.path();
    let _daemon = Daemon(dir.to_path_buf());
    let o = client(&["survive", WEFT, dir.to_str().unwrap()]);
    assert!(
        common::stderr(&o).contains("starting another"),
        "{}",
        common::stderr(&o)
    );
    // started with --idle-exit 3: it stops by itself, and cleans up
    let t = Instant::now();
    while dir.join(".weft/daemon.json").exists() {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the idle daemon is still there"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // (it removes its note first, then finishes stopping)
    while daemons_of(dir) > 0 {
        assert!(t.elapsed() < Duration::from_secs(30), "still running");
        std::thread::sleep(Duration::from_millis(50));
    }
    let log = std::fs::read_to_string(dir.join(".weft/serve.log")).unwrap();
    assert!(log.contains("no request for 3 s; stopping"), "{log}");
}

/// `weft mcp ARGS` in `dir` fed `input` on stdin, then closed.
fn mcp_stdio(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(WEFT)
        .arg("mcp")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), input).unwrap();
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn wait_for_daemon(dir: &Path, pid: u32) {
    let t = Instant::now();
    loop {
        let o = weft(dir, &["stats", "--no-daemon"]);
        let info = std::fs::read_to_string(dir.join(".weft/daemon.json")).unwrap_or_default();
        if o.status.success() && info.contains(&format!("\"pid\": {pid}")) {
            // answering: a question through it comes back
            let q = weft(dir, &["outline", "src/price.rs"]);
            if q.status.success() && common::stderr(&q).is_empty() {
                return;
            }
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "no daemon {pid}: {info}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
