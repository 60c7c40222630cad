//! File events from the OS (notify: inotify, FSEvents, ...), filtered to what
//! the walk would index and grouped into batches: a burst (a branch switch,
//! a formatter run) becomes one batch once it has been quiet for the
//! debounce interval, or after `MAX_WINDOW` at most.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::{RecursiveMode, Watcher};
use weft_queries::is_manifest;

use crate::pending::Pending;

/// A burst never waits longer than this before it is applied.
const MAX_WINDOW: Duration = Duration::from_millis(500);

/// Paths (relative to the root) that something happened to, and when the
/// first of those events arrived.
pub struct Batch {
    pub paths: BTreeSet<String>,
    pub first: Instant,
}

/// Does the walk skip this path? Hidden components (`.git`, `.weft`) and
/// what `.gitignore`/`.ignore` at the root exclude.
pub struct Filter {
    ignore: ignore::gitignore::Gitignore,
}

impl Filter {
    pub fn new(root: &Path) -> Filter {
        let mut b = ignore::gitignore::GitignoreBuilder::new(root);
        for f in [".gitignore", ".ignore"] {
            let p = root.join(f);
            if p.is_file() {
                let _ = b.add(p);
            }
        }
        Filter {
            ignore: b
                .build()
                .unwrap_or_else(|_| ignore::gitignore::Gitignore::empty()),
        }
    }

    pub fn skips(&self, rel: &str, is_dir: bool) -> bool {
        rel.split('/').any(|c| c.starts_with('.'))
            || self
                .ignore
                .matched_path_or_any_parents(rel, is_dir)
                .is_ignore()
    }
}

/// Start watching `root`; each batch goes to `send` until it returns
/// false or the watcher is dropped.
pub fn start(
    root: &Path,
    debounce: Duration,
    pending: Arc<Pending>,
    send: impl Fn(Batch) -> bool + Send + 'static,
) -> Result<notify::RecommendedWatcher> {
    let (raw_tx, raw_rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(raw_tx).context("starting the file watcher")?;
    watcher
        .watch(root, RecursiveMode::Recursive)
        .with_context(|| format!("watching {}", root.display()))?;
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let filter = Filter::new(&root);
    std::thread::Builder::new()
        .name("weft-watch".into())
        .spawn(move || batches(&root, &filter, debounce, &pending, &raw_rx, &send))?;
    Ok(watcher)
}

fn batches(
    root: &Path,
    filter: &Filter,
    debounce: Duration,
    pending: &Pending,
    raw: &mpsc::Receiver<notify::Result<notify::Event>>,
    send: &dyn Fn(Batch) -> bool,
) {
    let rel = |p: &PathBuf| -> Option<String> {
        let r = p
            .strip_prefix(root)
            .ok()?
            .to_string_lossy()
            .replace('\\', "/");
        (!r.is_empty() && !filter.skips(&r, p.is_dir())).then_some(r)
    };
    // Block for the first event of a burst, then gather until it is quiet.
    while let Ok(first) = raw.recv() {
        let mut batch = Batch {
            paths: BTreeSet::new(),
            first: Instant::now(),
        };
        let mut take = |e: notify::Result<notify::Event>| match e {
            Ok(e) if !matches!(e.kind, notify::EventKind::Access(_)) => {
                for r in e.paths.iter().filter_map(&rel) {
                    let source = weft_queries::languages::is_indexed(&r) || is_manifest(&r);
                    if batch.paths.insert(r.clone()) && source {
                        pending.add(&r);
                    }
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("file watcher: {e}"),
        };
        take(first);
        while batch.first.elapsed() < MAX_WINDOW {
            match raw.recv_timeout(debounce) {
                Ok(e) => take(e),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        if !batch.paths.is_empty() && !send(batch) {
            return;
        }
    }
}
