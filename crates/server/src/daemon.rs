//! One daemon per repository: a running `weft serve` claims the repository
//! by listening on a Unix socket (mode 0600) and writing where it listens,
//! with a token, to `.weft/daemon.json` (mode 0600). `weft` commands,
//! `weft mcp` and `weft lsp` find it there and ask it instead of loading
//! the graph themselves: many clients, one process, one engine.
//!
//! A daemon killed without a chance to clean up leaves both files behind;
//! the next client finds nothing listening, says so, and removes them.

use std::io::{Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use weft_load::snapshot::DEFAULT_DIR;

/// The file a daemon describes itself in, in `.weft/`.
pub const INFO: &str = "daemon.json";
/// Held (an exclusive lock) by the daemon for its lifetime: two starting
/// at once cannot both claim the repository.
const LOCK: &str = "daemon.lock";
/// `sun_path` holds 108 bytes on Linux, 104 on macOS.
const MAX_SOCKET_PATH: usize = 100;

/// What `.weft/daemon.json` says.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Info {
    pub pid: u32,
    /// The Unix socket it answers on: the whole HTTP API, `/mcp` included.
    pub socket: PathBuf,
    /// Its TCP address too, if it has one.
    pub http: Option<String>,
    /// Clients send `Authorization: Bearer TOKEN` on the socket.
    pub token: String,
    pub root: PathBuf,
    /// The weft version that wrote it: a client of another version answers
    /// from the snapshot rather than risk a changed API.
    pub version: String,
}

pub fn info_path(root: &Path) -> PathBuf {
    root.join(DEFAULT_DIR).join(INFO)
}

/// Where this process's socket goes: `.weft/weft-PID.sock` when the path
/// is short enough for a socket address, else in the temporary folder
/// under a name derived from the root. (Named by pid: a client holding a
/// dead daemon's note can never reach a newer daemon with the old token.)
fn socket_path(root: &Path) -> PathBuf {
    let pid = std::process::id();
    let p = root.join(DEFAULT_DIR).join(format!("weft-{pid}.sock"));
    if p.as_os_str().len() <= MAX_SOCKET_PATH {
        return p;
    }
    let h = blake3::hash(root.as_os_str().as_encoded_bytes()).to_hex();
    std::env::temp_dir().join(format!("weft-{}-{pid}.sock", &h[..16]))
}

/// A repository claimed by this process: its lock held, its socket bound,
/// its info written.
pub struct Claim {
    pub listener: std::os::unix::net::UnixListener,
    pub info: Info,
    _lock: std::fs::File,
}

/// Claim `root` for this process: fail if a live daemon has it, replace
/// what a dead one left.
pub fn claim(root: &Path, http: Option<String>) -> Result<Claim> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let dir = root.join(DEFAULT_DIR);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let lock_path = dir.join(LOCK);
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("opening {}", lock_path.display()))?;
    if lock.try_lock().is_err() {
        let who = match find(&root) {
            Found::Live(i) => format!("pid {}, socket {}", i.pid, i.socket.display()),
            _ => "it is starting".to_string(),
        };
        bail!(
            "{} is already served by weft ({who}): ask that one, or stop it first",
            root.display()
        );
    }
    // what a dead daemon left: its note and socket
    let _ = find(&root);
    let socket = socket_path(&root);
    let _ = std::fs::remove_file(&socket);
    let listener = std::os::unix::net::UnixListener::bind(&socket)
        .with_context(|| format!("listening on {}", socket.display()))?;
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600))
        .with_context(|| format!("restricting {}", socket.display()))?;
    let info = Info {
        pid: std::process::id(),
        socket,
        http,
        token: random_token()?,
        root: root.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let path = info_path(&root);
    let tmp = path.with_extension(format!("json.{}", info.pid));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .with_context(|| format!("writing {}", tmp.display()))?;
    f.write_all(&serde_json::to_vec_pretty(&info)?)?;
    f.sync_all()?;
    std::fs::rename(&tmp, &path).with_context(|| format!("writing {}", path.display()))?;
    Ok(Claim {
        listener,
        info,
        _lock: lock,
    })
}

impl Claim {
    /// Give the repository up: remove the socket and the info, unless
    /// another daemon has claimed it since.
    pub fn release(&self) {
        let path = info_path(&self.info.root);
        if read_info(&path).is_some_and(|i| i.token == self.info.token) {
            let _ = std::fs::remove_file(&path);
            let _ = std::fs::remove_file(&self.info.socket);
        }
    }
}

fn random_token() -> Result<String> {
    let mut b = [0u8; 24];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut b))
        .context("reading /dev/urandom for the daemon's token")?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

fn read_info(path: &Path) -> Option<Info> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// What a client finds for a repository.
pub enum Found {
    Live(Info),
    /// Files a dead daemon left (now removed).
    Stale(Info),
    None,
}

/// The daemon serving `root`, if one is alive; what a dead one left is
/// removed on the way.
pub fn find(root: &Path) -> Found {
    let path = info_path(root);
    let Some(info) = read_info(&path) else {
        return Found::None;
    };
    match std::os::unix::net::UnixStream::connect(&info.socket) {
        Ok(_) => Found::Live(info),
        Err(_) => {
            // nothing listens: remove both unless a new daemon wrote them
            if read_info(&path).is_some_and(|i| i.token == info.token) {
                let _ = std::fs::remove_file(&path);
                let _ = std::fs::remove_file(&info.socket);
            }
            Found::Stale(info)
        }
    }
}

/// An answer from the daemon.
pub struct Reply {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: axum::body::Bytes,
}

/// Ask the daemon over its socket: one request, one connection.
pub async fn request(
    info: &Info,
    method: axum::http::Method,
    path_and_query: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
    limit: Duration,
) -> Result<Reply> {
    use http_body_util::BodyExt;
    let go = async {
        let stream = tokio::net::UnixStream::connect(&info.socket)
            .await
            .with_context(|| format!("connecting to {}", info.socket.display()))?;
        let (mut send, conn) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        let mut req = axum::http::Request::builder()
            .method(method)
            .uri(path_and_query)
            .header("host", "localhost")
            .header("authorization", format!("Bearer {}", info.token));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(http_body_util::Full::new(axum::body::Bytes::from(body)))?;
        let r = send.send_request(req).await?;
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let body = r.into_body().collect().await?.to_bytes();
        anyhow::Ok(Reply {
            status,
            headers,
            body,
        })
    };
    match tokio::time::timeout(limit, go).await {
        Ok(r) => r,
        Err(_) => bail!(
            "the daemon (pid {}) did not answer within {:.0}s",
            info.pid,
            limit.as_secs_f64()
        ),
    }
}
