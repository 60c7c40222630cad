//! One daemon per repository: a running `weft serve` claims the repository
//! by holding a lock on `.weft/daemon.lock`, listening on a Unix socket
//! (mode 0600) and writing where it listens, with a token, to
//! `.weft/daemon.json` (mode 0600). `weft` commands and `weft mcp` find it
//! there and ask it instead of loading the graph themselves: many clients,
//! one process, one engine.
//!
//! The lock, not the socket, says whether a daemon lives: the kernel drops
//! it when the process dies, however it dies. A dead daemon's note and
//! socket are removed by the next client or daemon that finds the lock
//! free. The note is trusted only if this user wrote it privately and it
//! names the socket its pid would have, so a note checked into a
//! repository can neither point a client elsewhere nor make it delete a
//! file.

use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use weft_load::snapshot::DEFAULT_DIR;

/// The file a daemon describes itself in, in `.weft/`.
pub const INFO: &str = "daemon.json";
/// Held (an exclusive lock) by the daemon for its lifetime.
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

fn uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Where the daemon with this pid listens: `.weft/weft-PID.sock` when the
/// path is short enough for a socket address, else in a folder only this
/// user can enter (`$XDG_RUNTIME_DIR`, or `weft-UID` in the temporary
/// folder), under a name derived from the root. (Named by pid: a client
/// holding a dead daemon's note can never reach a newer daemon.)
fn socket_path(root: &Path, pid: u32) -> Result<PathBuf> {
    let p = root.join(DEFAULT_DIR).join(format!("weft-{pid}.sock"));
    if p.as_os_str().len() <= MAX_SOCKET_PATH {
        return Ok(p);
    }
    let h = blake3::hash(root.as_os_str().as_encoded_bytes()).to_hex();
    Ok(private_dir()?.join(format!("weft-{}-{pid}.sock", &h[..16])))
}

fn private_dir() -> Result<PathBuf> {
    if let Some(d) = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from)
        && d.is_dir()
    {
        return Ok(d);
    }
    let d = std::env::temp_dir().join(format!("weft-{}", uid()));
    match std::fs::DirBuilder::new().mode(0o700).create(&d) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e).with_context(|| format!("creating {}", d.display())),
    }
    let m = std::fs::symlink_metadata(&d)?;
    if !m.is_dir() || m.uid() != uid() || m.mode() & 0o077 != 0 {
        bail!(
            "{} is not a folder only this user can enter: the repository's path is too long for a socket in .weft/, and its fallback is unsafe",
            d.display()
        );
    }
    Ok(d)
}

/// A repository claimed by this process: its lock held, its socket bound,
/// its info written.
pub struct Claim {
    pub listener: std::os::unix::net::UnixListener,
    pub info: Info,
    _lock: std::fs::File,
}

/// Claim `root` for this process: fail if a live daemon has it, clear what
/// a dead one left.
pub fn claim(root: &Path, http: Option<String>) -> Result<Claim> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let dir = root.join(DEFAULT_DIR);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let lock = open_lock(&root)?;
    // (a client that found a dead daemon holds the lock for a moment)
    let mut held = lock.try_lock().is_err();
    for _ in 0..10 {
        if !held {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        held = lock.try_lock().is_err();
    }
    if held {
        let who = match read_info(&root) {
            Some(i) => format!("pid {}", i.pid),
            None => "it is starting".to_string(),
        };
        bail!(
            "{} is already served by weft ({who}): ask that one, or stop it first (`weft daemon stop`)",
            root.display()
        );
    }
    clear_stale(&root);
    let pid = std::process::id();
    let socket = socket_path(&root, pid)?;
    remove_socket(&socket);
    let listener = std::os::unix::net::UnixListener::bind(&socket)
        .with_context(|| format!("listening on {}", socket.display()))?;
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600))
        .with_context(|| format!("restricting {}", socket.display()))?;
    let info = Info {
        pid,
        socket,
        http,
        token: random_token()?,
        root: root.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let path = info_path(&root);
    let tmp = path.with_extension(format!("json.{pid}"));
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
    /// Give the repository up: remove the socket and the note (the lock
    /// goes with the process).
    pub fn release(&self) {
        let path = info_path(&self.info.root);
        if read_info(&self.info.root).is_some_and(|i| i.token == self.info.token) {
            let _ = std::fs::remove_file(&path);
        }
        remove_socket(&self.info.socket);
    }
}

fn open_lock(root: &Path) -> Result<std::fs::File> {
    let p = root.join(DEFAULT_DIR).join(LOCK);
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(&p)
        .with_context(|| format!("opening {}", p.display()))
}

/// Remove a socket file, and nothing else that might sit at that path.
fn remove_socket(p: &Path) {
    if std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_socket()) {
        let _ = std::fs::remove_file(p);
    }
}

/// With the lock free (or ours): what a dead daemon left.
fn clear_stale(root: &Path) {
    if let Some(old) = read_info(root) {
        remove_socket(&old.socket);
    }
    let _ = std::fs::remove_file(info_path(root));
}

fn random_token() -> Result<String> {
    let mut b = [0u8; 24];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut b))
        .context("reading /dev/urandom for the daemon's token")?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// The note, if this user wrote it privately and it names the socket its
/// pid would have.
fn read_info(root: &Path) -> Option<Info> {
    let path = info_path(root);
    let m = std::fs::symlink_metadata(&path).ok()?;
    if !m.is_file() || m.uid() != uid() || m.mode() & 0o077 != 0 {
        return None;
    }
    let info: Info = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    (socket_path(&root, info.pid).ok()? == info.socket).then_some(info)
}

/// What a client finds for a repository.
pub enum Found {
    /// A daemon holds the repository (it may still be loading it).
    Live(Info),
    /// A dead daemon's note (now removed, with its socket).
    Stale(Info),
    None,
}

/// The daemon serving `root`, if one is alive; what a dead one left is
/// removed on the way.
pub fn find(root: &Path) -> Found {
    let Some(info) = read_info(root) else {
        return Found::None;
    };
    let Ok(lock) = open_lock(root) else {
        return Found::None;
    };
    if lock.try_lock().is_err() {
        return Found::Live(info);
    }
    // nobody holds it: the daemon is gone (ours until the file closes)
    clear_stale(root);
    Found::Stale(info)
}

/// Ask the daemon to stop (SIGTERM: it finishes what it is applying and
/// storing) and wait until it has let the repository go.
pub fn stop(root: &Path, info: &Info, limit: Duration) -> Result<()> {
    // (the pid is the lock holder's: alive, so not reused by another)
    // SAFETY: kill has no memory effects; a wrong pid is an error, not UB.
    if unsafe { libc::kill(info.pid as libc::pid_t, libc::SIGTERM) } != 0 {
        bail!(
            "could not signal the daemon (pid {}): {}",
            info.pid,
            std::io::Error::last_os_error()
        );
    }
    let t = std::time::Instant::now();
    while matches!(find(root), Found::Live(_)) {
        if t.elapsed() > limit {
            bail!(
                "the daemon (pid {}) has not stopped after {:.0}s; `kill -9 {}` ends it (the next client clears what it leaves)",
                info.pid,
                limit.as_secs_f64(),
                info.pid
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// Does the daemon answer (it accepts once its graph is loaded)?
pub async fn ready(info: &Info, limit: Duration) -> bool {
    request(info, "GET", "/healthz", &[], Vec::new(), limit)
        .await
        .is_ok_and(|r| r.status == 200)
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
    method: &str,
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
            .method(axum::http::Method::from_bytes(method.as_bytes())?)
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

/// Synchronous callers (a command) get a runtime of their own for one
/// exchange with the daemon.
fn block_on<T>(f: impl std::future::Future<Output = T>) -> Result<T> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    Ok(rt.block_on(f))
}

/// [`request`], from synchronous code.
pub fn request_blocking(
    info: &Info,
    method: &str,
    path_and_query: &str,
    headers: &[(&str, &str)],
    limit: Duration,
) -> Result<Reply> {
    block_on(request(
        info,
        method,
        path_and_query,
        headers,
        Vec::new(),
        limit,
    ))?
}

/// [`ready`], from synchronous code.
pub fn ready_blocking(info: &Info, limit: Duration) -> bool {
    block_on(ready(info, limit)).unwrap_or(false)
}
