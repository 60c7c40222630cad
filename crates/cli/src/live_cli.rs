//! The live graph's front ends on stdio: `weft mcp` (through the
//! repository's daemon, started in the background when none runs, or in
//! this process), `--print-config` (the snippet each agent client wants)
//! and `weft lsp` (in this process: an editor's unsaved text is its own).

use std::path::Path;

use anyhow::{Context, Result};
use weft_load::Loaded;
use weft_server::daemon::{self, Found, Info};

use crate::args::{Cli, Client};

/// The registration snippet for `client`, with where it goes.
pub fn config(client: Client, root: &Path) -> Result<String> {
    let exe = command_name();
    let root = root
        .canonicalize()
        .unwrap_or_else(|_| root.to_path_buf())
        .display()
        .to_string();
    let q = |s: &str| serde_json::to_string(s).expect("a string");
    Ok(match client {
        Client::ClaudeCode => format!(
            "# Claude Code: run this in the repository (project scope writes .mcp.json)\nclaude mcp add --scope project weft -- {} mcp\n\n# or put this in .mcp.json at the repository root:\n{{\n  \"mcpServers\": {{\n    \"weft\": {{ \"command\": {}, \"args\": [\"mcp\"] }}\n  }}\n}}\n",
            shell_quote(&exe),
            q(&exe)
        ),
        Client::Cursor => format!(
            "// Cursor: .cursor/mcp.json in the repository\n{{\n  \"mcpServers\": {{\n    \"weft\": {{ \"command\": {}, \"args\": [\"mcp\"] }}\n  }}\n}}\n",
            q(&exe)
        ),
        Client::Vscode => format!(
            "// VS Code: .vscode/mcp.json in the repository\n{{\n  \"servers\": {{\n    \"weft\": {{ \"type\": \"stdio\", \"command\": {}, \"args\": [\"mcp\"] }}\n  }}\n}}\n",
            q(&exe)
        ),
        Client::Codex => format!(
            "# Codex CLI: ~/.codex/config.toml (one entry per repository)\n[mcp_servers.weft]\ncommand = {}\nargs = [\"mcp\", \"--root\", {}]\n",
            q(&exe),
            q(&root)
        ),
        Client::Zed => format!(
            "// Zed: settings.json (one entry per repository)\n{{\n  \"context_servers\": {{\n    \"weft\": {{ \"source\": \"custom\", \"command\": {}, \"args\": [\"mcp\", \"--root\", {}] }}\n  }}\n}}\n",
            q(&exe),
            q(&root)
        ),
    })
}

/// How a config should name weft: `weft` when that is the binary running
/// now (a config checked into a repository then works for everyone who
/// has weft on their PATH), else this binary's full path.
fn command_name() -> String {
    let me = std::env::current_exe().ok();
    let on_path = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("weft"))
            .find(|c| c.is_file())
    });
    match (&me, on_path) {
        (Some(me), Some(found)) if found.canonicalize().ok() == me.canonicalize().ok() => {
            "weft".into()
        }
        (Some(me), _) => me.to_string_lossy().into_owned(),
        (None, _) => "weft".into(),
    }
}

/// A word for a POSIX shell.
fn shell_quote(s: &str) -> String {
    if s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-+".contains(&b))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Relay stdio to the repository's daemon, starting one if none runs.
pub fn through_daemon(
    cli: &Cli,
    root: &Path,
    all: bool,
    debounce_ms: u64,
    idle_exit: u64,
) -> Result<()> {
    if cli.db.is_some() {
        anyhow::bail!(
            "--db names another snapshot than the daemon's: run `weft mcp --no-daemon --db ...`"
        );
    }
    let how = Starting {
        max_file_size: cli.max_file_size,
        no_write: cli.no_write,
        threads: cli.threads,
        debounce_ms,
        idle_exit,
    };
    let info = live_daemon(root, how)?;
    // a daemon that went away (killed, idle) is replaced mid-session
    let root = root.to_path_buf();
    let again = move || {
        eprintln!("weft mcp: the daemon does not answer; starting another");
        live_daemon(&root, how)
    };
    weft_server::mcp::relay_stdio(info, all, std::sync::Arc::new(again))
}

/// How a daemon `weft mcp` starts is run.
#[derive(Clone, Copy)]
pub struct Starting {
    pub max_file_size: u64,
    pub no_write: bool,
    pub threads: Option<u16>,
    pub debounce_ms: u64,
    pub idle_exit: u64,
}

/// The daemon for `root`: a live one of this version, or one started now;
/// back once it answers.
pub fn live_daemon(root: &Path, how: Starting) -> Result<Info> {
    match daemon::find(root) {
        Found::Live(i) if i.version == env!("CARGO_PKG_VERSION") => {
            return wait_ready(root, None);
        }
        Found::Live(i) => anyhow::bail!(
            "the daemon for {} (pid {}) is weft {}, this is {}: `weft daemon stop`, or run with --no-daemon",
            root.display(),
            i.pid,
            i.version,
            env!("CARGO_PKG_VERSION")
        ),
        Found::Stale(i) => eprintln!(
            "weft mcp: the daemon that served {} (pid {}) is gone; starting a new one",
            root.display(),
            i.pid
        ),
        Found::None => {}
    }
    start_daemon(root, how)
}

/// `weft serve --no-http ROOT` in the background, in its own process group
/// (an agent's Ctrl-C does not reach it), logging to `.weft/serve.log`.
fn start_daemon(root: &Path, how: Starting) -> Result<Info> {
    use std::os::unix::process::CommandExt;
    let dir = root.join(weft_load::snapshot::DEFAULT_DIR);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let log_path = dir.join("serve.log");
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log_path)
        .with_context(|| format!("opening {}", log_path.display()))?;
    let exe = std::env::current_exe().context("finding the weft binary")?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("serve")
        .arg("--no-http")
        .arg("--max-file-size")
        .arg(how.max_file_size.to_string())
        .arg("--debounce-ms")
        .arg(how.debounce_ms.to_string())
        .arg(root)
        .stdin(std::process::Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .process_group(0);
    if how.no_write {
        cmd.arg("--no-write");
    }
    if let Some(j) = how.threads {
        cmd.arg("--threads").arg(j.to_string());
    }
    if how.idle_exit > 0 {
        cmd.arg("--idle-exit").arg(how.idle_exit.to_string());
    }
    let mut child = cmd.spawn().context("starting the daemon (weft serve)")?;
    eprintln!(
        "weft mcp: started a daemon for {} (pid {}; log {})",
        root.display(),
        child.id(),
        log_path.display()
    );
    wait_ready(root, Some(&mut child))
}

/// The longest `weft mcp` waits for a daemon to load a repository.
const LOAD_LIMIT: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// Wait for the repository's daemon (ours, or one another `weft mcp`
/// started at the same moment) to answer, saying so every few seconds.
fn wait_ready(root: &Path, mut child: Option<&mut std::process::Child>) -> Result<Info> {
    let log_path = root
        .join(weft_load::snapshot::DEFAULT_DIR)
        .join("serve.log");
    let started = std::time::Instant::now();
    let mut said = 0;
    let mut exited: Option<(std::process::ExitStatus, std::time::Instant)> = None;
    loop {
        match daemon::find(root) {
            Found::Live(info)
                if daemon::ready_blocking(&info, std::time::Duration::from_millis(500)) =>
            {
                return Ok(info);
            }
            Found::Live(_) => {}
            // ours gave up (another claimed the repository first, then
            // went away) or failed: say why
            _ if exited.is_some_and(|(_, at)| at.elapsed() > std::time::Duration::from_secs(2)) => {
                let (status, _) = exited.expect("checked");
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(5).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                anyhow::bail!(
                    "the daemon exited ({status}) before answering:\n{}",
                    tail.join("\n")
                );
            }
            _ if child.is_none() => anyhow::bail!("the daemon for {} went away", root.display()),
            _ => {}
        }
        if exited.is_none()
            && let Some(c) = child.as_deref_mut()
            && let Some(status) = c.try_wait()?
        {
            exited = Some((status, std::time::Instant::now()));
        }
        let secs = started.elapsed().as_secs();
        if started.elapsed() > LOAD_LIMIT {
            anyhow::bail!(
                "the daemon did not answer within {} minutes (log: {})",
                LOAD_LIMIT.as_secs() / 60,
                log_path.display()
            );
        }
        if secs >= said + 5 {
            said = secs;
            eprintln!(
                "weft mcp: the daemon is loading {} ({secs}s)",
                root.display()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// `weft lsp`: the live graph in this process, for one editor.
pub fn lsp(loaded: Loaded, max_file_size: u64, debounce_ms: u64) -> Result<()> {
    let server = live(loaded, max_file_size, debounce_ms)?;
    let served = weft_server::lsp::serve_stdio(server.shared().clone());
    server.stop()?;
    served
}

fn live(loaded: Loaded, max_file_size: u64, debounce_ms: u64) -> Result<weft_server::Running> {
    weft_server::start(weft_server::Options {
        loaded,
        addr: None,
        claim: None,
        token: None,
        debounce: std::time::Duration::from_millis(debounce_ms),
        deadline: std::time::Duration::from_secs(30),
        max_file_size,
        limits: weft_server::Limits::default(),
        idle_exit: None,
    })
}

/// `weft mcp --no-daemon`: the live graph in this process, answering on
/// stdio until the client closes it.
pub fn in_process(loaded: Loaded, max_file_size: u64, all: bool, debounce_ms: u64) -> Result<()> {
    let server = live(loaded, max_file_size, debounce_ms)?;
    let served = server
        .runtime()
        .block_on(weft_server::mcp::serve_stdio(server.shared().clone(), all));
    server.stop()?;
    served
}
