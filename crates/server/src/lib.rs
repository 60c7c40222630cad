//! `weft serve` as a library: the graph over HTTP, kept live. The `weft`
//! binary runs [`run`]; a program or a test can do the same.
//!
//! Threads: tokio serves requests; each query runs on the blocking pool
//! against a database handle of one revision (`View`); the watcher thread
//! turns file events into batches; the writer thread applies them, which
//! cancels running queries (they retry on the new revision, so an answer
//! never mixes two), publishes the new revision and an event, and stores
//! the batch in the snapshot.

mod conn;
pub mod daemon;
mod events;
mod http;
mod interest;
pub mod lsp;
pub mod mcp;
mod metrics;
mod openapi;
mod pending;
mod ui;
mod watch;
mod writer;

pub use conn::{Limits, default_max_connections};

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use weft_queries::{Analysis, AnalysisHost};

use events::EventLog;
use metrics::Metrics;
use weft_load::Loaded;
use weft_load::walk::{WalkOptions, WalkReport};

pub struct Options {
    pub loaded: Loaded,
    /// The TCP address to listen on, if any.
    pub addr: Option<SocketAddr>,
    /// The repository's socket, claimed before loading (`daemon::claim`),
    /// if this server is its daemon.
    pub claim: Option<daemon::Claim>,
    pub token: Option<String>,
    pub debounce: Duration,
    pub deadline: Duration,
    pub max_file_size: u64,
    /// Connections: how many at once, how long a client may take.
    pub limits: Limits,
    /// Stop after this long without a request (a daemon `weft mcp`
    /// started), if set.
    pub idle_exit: Option<Duration>,
}

/// The bearer token from `--token-file` or `WEFT_TOKEN`, if any.
pub fn token(file: Option<&Path>) -> Result<Option<String>> {
    let t = match file {
        Some(f) => Some(
            std::fs::read_to_string(f)
                .with_context(|| format!("reading the token file {}", f.display()))?,
        ),
        None => std::env::var("WEFT_TOKEN").ok(),
    };
    match t.map(|t| t.trim().to_string()) {
        Some(t) if t.is_empty() => bail!("the token is empty"),
        Some(t) if t.len() < 16 => bail!("the token is shorter than 16 characters"),
        t => Ok(t),
    }
}

/// One revision of the graph, as a query sees it: its own database handle.
#[derive(Clone)]
pub struct View {
    pub revision: u64,
    pub analysis: Analysis,
    pub files: usize,
}

/// What the HTTP side, the writer and the watcher share.
pub struct Shared {
    pub root: PathBuf,
    view: Mutex<Option<View>>,
    view_ready: Condvar,
    revision: Mutex<u64>,
    pub events: EventLog,
    pub metrics: Metrics,
    pub token: Option<String>,
    /// The token clients send on the repository's socket.
    pub daemon_token: Option<String>,
    /// Files changed on disk, not yet applied.
    pub pending: Arc<pending::Pending>,
    /// To the writer (taken at stop, so it ends).
    to_writer: Mutex<Option<std::sync::mpsc::Sender<writer::Input>>>,
    pub deadline: Duration,
    pub walk: WalkReport,
    /// How the start went: files from the snapshot, parsed, changed.
    pub start: Option<weft_load::snapshot::RefreshReport>,
    /// Set once on SIGINT/SIGTERM: event streams end so shutdown can finish.
    pub stopping: tokio::sync::watch::Sender<bool>,
    /// Queries computing at once. The work is CPU-bound: more threads than
    /// this only share the cores and stretch every answer, so the rest wait
    /// their turn cheaply (and leave the queue if their client goes away).
    pub computing: Arc<tokio::sync::Semaphore>,
    /// Large answers (an export, a map, all symbols) held at once, from
    /// computing them until their client has read them: with the write
    /// stall limit, what clients that do not read can pin in memory.
    pub bulk: Arc<tokio::sync::Semaphore>,
    /// Every file has been resolved once since the start (until then some
    /// answers compute what they need on the spot).
    pub warm: AtomicBool,
    /// The walk's size limit, for reading other versions (`/v1/conflicts`).
    pub max_file_size: u64,
    /// The TCP port it listens on (a request's `Host` must name it).
    pub port: Option<u16>,
    /// Connections: how many, how long a client may take.
    pub limits: conn::Limits,
    /// When the last request arrived (a `start`-relative instant in ms).
    last_request: std::sync::atomic::AtomicU64,
    started: std::time::Instant,
}

impl Shared {
    /// Note a request (for `idle_exit`).
    fn touch(&self) {
        self.last_request
            .store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    fn idle_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_request.load(Ordering::Relaxed));
        self.started.elapsed().saturating_sub(last)
    }

    /// What answers need besides the graph. Word search answers from the
    /// engine (the snapshot's table lags the live tree by a write) and
    /// lexically: fusing vectors would load the embedding model on every
    /// request, until the dense store and embedder can be kept open across
    /// threads.
    pub fn env(&self) -> weft_ide::Env<'_> {
        weft_ide::Env::new(&self.root)
    }

    /// The current view, waiting while a change is being applied.
    pub fn view(&self) -> View {
        let mut v = self.view.lock().unwrap();
        loop {
            if let Some(v) = v.as_ref() {
                return v.clone();
            }
            v = self.view_ready.wait(v).unwrap();
        }
    }

    /// The revision served now (without waiting for a change in progress).
    pub fn revision(&self) -> u64 {
        *self.revision.lock().unwrap()
    }

    /// Serve an editor's unsaved text for `path` (relative to the root)
    /// instead of the disk's, or (`None`) the disk's again; back once the
    /// revision that holds it is served, with that revision.
    pub fn set_overlay(&self, path: &str, text: Option<Arc<str>>) -> Option<u64> {
        let (done, applied) = std::sync::mpsc::sync_channel(1);
        let to = self.to_writer.lock().unwrap().clone()?;
        to.send(writer::Input::Overlay {
            path: path.to_string(),
            text,
            done,
        })
        .ok()?;
        applied.recv().ok()
    }

    /// Drop the shared handle so a change can proceed.
    fn retire_view(&self) {
        self.view.lock().unwrap().take();
    }

    /// Serve `host` as the next revision; returns it.
    fn publish_view(&self, host: &AnalysisHost) -> u64 {
        let mut r = self.revision.lock().unwrap();
        *r += 1;
        self.install(host, *r);
        *r
    }

    fn install(&self, host: &AnalysisHost, revision: u64) {
        *self.view.lock().unwrap() = Some(View {
            revision,
            analysis: host.analysis(),
            files: host.file_count(),
        });
        self.view_ready.notify_all();
    }

    /// Run `f` on the current revision on this (blocking) thread, again on
    /// the next revision each time a change cancels it.
    pub fn read<T>(&self, f: impl Fn(&weft_queries::RootDatabase, &View) -> T) -> (u64, T) {
        self.read_while(&|| true, f).expect("always wanted")
    }

    /// Run `f` on the current revision now, on this thread: `None` while a
    /// change is being applied or if one cancels it (the caller then takes
    /// the waiting path).
    pub fn try_read<T>(&self, f: impl Fn(&weft_queries::RootDatabase) -> T) -> Option<(u64, T)> {
        let v = self.view.lock().unwrap().clone()?;
        let t = v.analysis.with_db(f).ok()?;
        Some((v.revision, t))
    }

    /// [`Shared::read`] for a client that may go away: `None`, without
    /// starting or retrying, once `wanted` says nobody waits for the answer.
    pub fn read_while<T>(
        &self,
        wanted: &dyn Fn() -> bool,
        f: impl Fn(&weft_queries::RootDatabase, &View) -> T,
    ) -> Option<(u64, T)> {
        while wanted() {
            let v = self.view();
            if let Ok(t) = v.analysis.with_db(|db| f(db, &v)) {
                return Some((v.revision, t));
            }
            self.metrics.retried();
        }
        None
    }

    /// [`Shared::read_while`] for one interested party: `None` once it has
    /// lost interest, and its computation stopped when it does.
    pub(crate) fn read_for<T>(
        &self,
        interest: &interest::Interest,
        f: impl Fn(&weft_queries::RootDatabase, &View) -> T,
    ) -> Option<(u64, T)> {
        self.read_while(&|| interest.wanted(), |db, v| {
            interest.computing_on(db);
            f(db, v)
        })
    }

    /// Run `work` on the blocking pool, at most `computing` at once, under
    /// the deadline. If the caller stops waiting (the deadline passed, or
    /// its future was dropped because the client left), `work`'s interest
    /// is lost and its computation stops at its next query; it keeps its
    /// slot until it has.
    pub(crate) async fn compute<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&Shared, &interest::Interest) -> T + Send + 'static,
    ) -> Result<T, Late> {
        let interest = Arc::new(interest::Interest::default());
        let _lose = interest::LoseOnDrop(interest.clone());
        let job = async {
            let permit = self.computing.clone().acquire_owned().await;
            let s = self.clone();
            tokio::task::spawn_blocking(move || {
                let _permit = permit;
                work(&s, &interest)
            })
            .await
        };
        match tokio::time::timeout(self.deadline, job).await {
            Err(_) => Err(Late::Deadline(self.deadline)),
            Ok(Err(e)) => Err(Late::Failed(e.to_string())),
            Ok(Ok(t)) => Ok(t),
        }
    }

    /// Resolve every file in the background so first questions are memo
    /// hits; a change interrupts it, and it resumes on the new revision
    /// (what it finished stays memoized).
    fn warm_up(self: &Arc<Self>) {
        let s = self.clone();
        let spawned = std::thread::Builder::new()
            .name("weft-warm".into())
            .spawn(move || {
                let t = std::time::Instant::now();
                loop {
                    if *s.stopping.borrow() {
                        return;
                    }
                    let v = s.view();
                    if v.analysis.warm_up(&|_| {}).is_ok() {
                        break;
                    }
                }
                s.warm.store(true, Ordering::Release);
                tracing::info!(
                    seconds = t.elapsed().as_secs_f64(),
                    "every file resolved: answers are memo hits"
                );
            });
        if let Err(e) = spawned {
            tracing::warn!("no warm-up thread: {e}");
        }
    }
}

/// Why [`Shared::compute`] has no answer.
pub(crate) enum Late {
    Deadline(Duration),
    Failed(String),
}

impl Late {
    pub(crate) fn message(&self) -> String {
        match self {
            Late::Deadline(d) => format!(
                "the question ran past its {:.1}s deadline; narrow it (a smaller depth or limit)",
                d.as_secs_f64()
            ),
            Late::Failed(e) => format!("the question failed: {e}"),
        }
    }
}

/// Serve until SIGINT or SIGTERM: what `weft serve` does.
pub fn run(opts: Options) -> Result<()> {
    let server = start(opts)?;
    // The first line on stdout says where to connect (tests read it).
    match (server.addr, &server.claim) {
        (Some(addr), _) => println!(
            "weft serve: listening on http://{addr} at revision {}",
            server.shared.revision()
        ),
        (None, Some(c)) => println!(
            "weft serve: listening on {} at revision {}",
            c.info.socket.display(),
            server.shared.revision()
        ),
        (None, None) => {}
    }
    eprintln!(
        "weft serve: {} files from {}; watching for changes",
        server.shared.view().files,
        server.shared.root.display()
    );
    let idle = server.idle_exit;
    let shared = server.shared.clone();
    server.rt.block_on(async move {
        tokio::select! {
            _ = http::shutdown_signal() => {}
            _ = idle_out(&shared, idle) => {
                eprintln!(
                    "weft serve: no request for {:.0} s; stopping",
                    idle.unwrap_or_default().as_secs_f64()
                );
            }
        }
    });
    let revision = server.revision();
    server.stop()?;
    eprintln!("weft serve: stopped at revision {revision}");
    Ok(())
}

/// Resolves once the server has had no request for `limit` (never
/// without one).
async fn idle_out(shared: &Shared, limit: Option<Duration>) {
    let Some(limit) = limit else {
        return std::future::pending().await;
    };
    loop {
        let idle = shared.idle_for();
        if idle >= limit {
            return;
        }
        tokio::time::sleep((limit - idle).max(Duration::from_millis(100))).await;
    }
}

/// A server running in this process: its HTTP side on a tokio runtime of
/// its own, the watcher and the writer on their threads.
pub struct Running {
    /// Where it listens on TCP (the port the OS chose, for `127.0.0.1:0`).
    pub addr: Option<SocketAddr>,
    /// The repository's socket, when it is the repository's daemon.
    pub claim: Option<daemon::Claim>,
    idle_exit: Option<Duration>,
    shared: Arc<Shared>,
    rt: tokio::runtime::Runtime,
    serving: std::thread::JoinHandle<std::io::Result<()>>,
    watcher: notify::RecommendedWatcher,
    writer: std::thread::JoinHandle<()>,
}

impl Running {
    /// The revision served now.
    pub fn revision(&self) -> u64 {
        self.shared.revision()
    }

    /// What the front ends in this process (`weft mcp --no-daemon`) answer from.
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Its runtime, for a front end in this process.
    pub fn runtime(&self) -> &tokio::runtime::Runtime {
        &self.rt
    }

    /// Stop: end event streams and finish the requests in flight, stop
    /// watching; the writer applies and stores what it already has.
    pub fn stop(self) -> Result<()> {
        self.shared.stopping.send_replace(true);
        let served = self.serving.join();
        if let Some(c) = &self.claim {
            c.release();
        }
        drop(self.watcher);
        self.shared.to_writer.lock().unwrap().take();
        let _ = self.writer.join();
        self.rt.shutdown_timeout(Duration::from_secs(2));
        served
            .map_err(|_| anyhow::anyhow!("the server thread panicked"))?
            .context("serving")
    }
}

/// A listener whose queue holds a burst of clients connecting at once: a
/// thousand simultaneous connects overflowed the usual 1,024 and some were
/// reset (the stress test saw it one run in two).
fn listen(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}

/// Load nothing, bind `opts.addr`, and serve `opts.loaded` in the
/// background, kept live as the tree changes.
pub fn start(opts: Options) -> Result<Running> {
    let Options {
        loaded,
        addr,
        claim,
        token,
        debounce,
        deadline,
        max_file_size,
        limits,
        idle_exit,
    } = opts;
    debug_assert!(
        addr.is_none_or(|a| a.ip().is_loopback()) || token.is_some(),
        "checked by the CLI"
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("weft-http")
        .build()?;
    let tcp = match addr {
        Some(addr) => Some(
            rt.block_on(async { listen(addr) })
                .with_context(|| format!("listening on {addr}"))?,
        ),
        None => None,
    };
    let local = tcp.as_ref().map(|l| l.local_addr()).transpose()?;
    let unix = match &claim {
        Some(c) => {
            let l = c.listener.try_clone()?;
            l.set_nonblocking(true)?;
            Some(rt.block_on(async { tokio::net::UnixListener::from_std(l) })?)
        }
        None => None,
    };
    let Loaded {
        root,
        host,
        report,
        snapshot,
        ..
    } = loaded;
    let (store, start_revision, start) = match snapshot {
        Some((store, r)) => (Some(store), r.revision.max(0) as u64, Some(r)),
        None => (None, 0, None),
    };
    // what the snapshot says each file holds, read-only or not
    let hashes = writer::initial_hashes(store.as_ref());
    // a snapshot opened read-only (another process writes it) takes no batches
    let store = store.filter(|s| !s.is_read_only());
    let shared = Arc::new(Shared {
        root: root.clone(),
        view: Mutex::new(None),
        view_ready: Condvar::new(),
        revision: Mutex::new(start_revision),
        events: EventLog::new(),
        metrics: Metrics::new(),
        token,
        daemon_token: claim.as_ref().map(|c| c.info.token.clone()),
        pending: Arc::default(),
        to_writer: Mutex::new(None),
        deadline,
        walk: report,
        start,
        stopping: tokio::sync::watch::Sender::new(false),
        computing: Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(2, |n| n.get()) * 2,
        )),
        bulk: Arc::new(tokio::sync::Semaphore::new(2)),
        warm: AtomicBool::new(false),
        max_file_size,
        port: local.map(|a| a.port()),
        limits,
        last_request: Default::default(),
        started: std::time::Instant::now(),
    });
    shared.install(&host, start_revision);
    shared.warm_up();

    let (to_writer, inputs) = std::sync::mpsc::channel();
    let from_watcher = to_writer.clone();
    let watcher = watch::start(&root, debounce, shared.pending.clone(), move |b| {
        from_watcher.send(writer::Input::Batch(b)).is_ok()
    })?;
    *shared.to_writer.lock().unwrap() = Some(to_writer);
    let writer = writer::Writer {
        hashes,
        root: root.clone(),
        host,
        store,
        walk: WalkOptions::new(max_file_size),
        overlays: Default::default(),
    };
    let writer_shared = shared.clone();
    let writer = std::thread::Builder::new()
        .name("weft-writer".into())
        .spawn(move || writer.run(inputs, writer_shared))?;

    // The accept loop runs on a thread of its own (as `weft serve`'s ran on
    // the main thread): answers computed inline on the workers do not delay
    // accepting.
    let handle = rt.handle().clone();
    let s = shared.clone();
    let serving = std::thread::Builder::new()
        .name("weft-accept".into())
        .spawn(move || handle.block_on(http::serve(s, tcp, unix)))?;
    Ok(Running {
        addr: local,
        claim,
        idle_exit,
        shared,
        rt,
        serving,
        watcher,
        writer,
    })
}
