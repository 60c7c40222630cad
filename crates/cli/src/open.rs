//! Opening the repository a command asks about: finding its root and
//! snapshot, loading it (from the snapshot when there is one, with the
//! notes a person needs), and importing SCIP indexes into it.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use weft_db::store::StoreError;
use weft_load::Loaded;
use weft_load::scip::import_indexes;
use weft_load::snapshot::{
    DEFAULT_DIR, DEFAULT_FILE, SnapshotOptions, open_and_refresh, save_compiler,
};
use weft_load::walk::{WalkOptions, read_repository};
use weft_queries::AnalysisHost;

use crate::args::{Cli, Command};

pub fn find_root(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(r) = explicit {
        if !r.is_dir() {
            bail!("`{}` is not a directory", r.display());
        }
        return Ok(r.to_path_buf());
    }
    let cwd = std::env::current_dir().context("reading the current directory")?;
    let mut dir = cwd.as_path();
    loop {
        if dir.join(".git").exists() {
            return Ok(dir.to_path_buf());
        }
        match dir.parent() {
            Some(p) => dir = p,
            None => return Ok(cwd),
        }
    }
}

pub fn load(root: PathBuf, walk: &WalkOptions, progress: bool) -> Result<Loaded> {
    let t0 = Instant::now();
    let (change, report) = read_repository(&root, walk);
    let total = change.files.len();
    let mut host = AnalysisHost::new();
    host.apply_change(change);
    let bar = (progress && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(|| {
        let b = indicatif::ProgressBar::new(total as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} indexing {pos}/{len} files {wide_bar} {eta}",
            )
            .unwrap(),
        );
        b
    });
    host.warm_up(&|n| {
        if let Some(b) = &bar {
            b.inc(n as u64)
        }
    })
    .map_err(|_| anyhow::anyhow!("indexing was cancelled"))?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(Loaded {
        root,
        host,
        report,
        elapsed: t0.elapsed(),
        snapshot: None,
        imports: Vec::new(),
        dump: walk.dump.clone(),
    })
}

fn spinner(on: bool) -> Option<indicatif::ProgressBar> {
    (on && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(|| {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_message("refreshing the snapshot");
        b.enable_steady_tick(std::time::Duration::from_millis(120));
        b
    })
}

/// Open the snapshot and bring it up to date. `beside_daemon`: another
/// process is the repository's daemon and holds the snapshot; read it.
pub fn load_snapshot(
    root: PathBuf,
    cli: &Cli,
    walk: WalkOptions,
    db: PathBuf,
    progress: bool,
    beside_daemon: bool,
) -> Result<Loaded> {
    let t0 = Instant::now();
    let bar = spinner(progress);
    let writer =
        !beside_daemon && matches!(cli.command, Command::Index { .. } | Command::Serve { .. });
    let mut opts = SnapshotOptions {
        db,
        lock_timeout: cli.lock_timeout,
        walk,
        write: !cli.no_write,
        require_write: writer,
    };
    if beside_daemon || matches!(cli.command, Command::Lsp { .. } | Command::Mcp { .. }) {
        // an editor's server (or an agent's, with --no-daemon) reads the
        // snapshot and keeps its own graph: it must not hold the lock a
        // daemon or `weft index` needs
        opts.write = false;
    }
    if !writer {
        // A question need not wait for a writer (a running `weft serve`
        // holds the lock for its lifetime): it reads the snapshot as it is.
        opts.lock_timeout = opts.lock_timeout.min(std::time::Duration::from_millis(300));
    }
    let mut r = open_and_refresh(&root, &opts);
    if !writer
        && let Err(e) = &r
        && matches!(
            e.downcast_ref::<StoreError>(),
            Some(StoreError::Locked { .. })
        )
    {
        eprintln!(
            "note: another weft process (weft serve?) is writing {}; answering from it read-only",
            opts.db.display()
        );
        opts.write = false;
        r = open_and_refresh(&root, &opts);
    }
    if !writer
        && let Err(e) = &r
        && matches!(
            e.downcast_ref::<StoreError>(),
            Some(StoreError::DiskFull { .. })
        )
    {
        eprintln!(
            "note: the disk holding {} is full; answering from it read-only, without saving",
            opts.db.display()
        );
        opts.write = false;
        r = open_and_refresh(&root, &opts);
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if !writer
        && let Err(e) = &r
        && let Some(e @ StoreError::Outdated { .. }) = e.downcast_ref::<StoreError>()
    {
        eprintln!("note: {e}; indexing in memory meanwhile");
        return load(root, &opts.walk, progress);
    }
    if !opts.write
        && let Err(e) = &r
        && let Some(StoreError::Corrupt { detail, .. }) = e.downcast_ref::<StoreError>()
    {
        // --no-write never moves the file: `weft index` will
        eprintln!(
            "note: the snapshot {} is unreadable ({detail}); indexing in memory (`weft index` moves it aside and rebuilds)",
            opts.db.display()
        );
        return load(root, &opts.walk, progress);
    }
    let r = r?;
    for n in &r.report.notices {
        eprintln!("note: {n}");
    }
    let unsaved = r.report.changed + r.report.added + r.report.removed;
    // (only touched files, new modification times, are not worth a note)
    if r.report.unsaved && unsaved > 0 {
        eprintln!("note: {unsaved} changed files were not saved to the read-only snapshot");
    }
    let dump = opts.walk.dump.clone();
    Ok(Loaded {
        root,
        host: r.host,
        report: r.walk,
        elapsed: t0.elapsed(),
        snapshot: Some((r.store, r.report)),
        imports: Vec::new(),
        dump,
    })
}

pub fn snapshot_path(root: &Path, cli: &Cli) -> PathBuf {
    let file = match cli.dump.as_deref().and_then(Path::file_name) {
        Some(dump) => format!("{}.db", dump.to_string_lossy()),
        None => DEFAULT_FILE.to_string(),
    };
    cli.db
        .clone()
        .unwrap_or_else(|| root.join(DEFAULT_DIR).join(file))
}

/// The directory a dump's snapshot lives in: the dump's own.
pub fn dump_root(dump: &Path) -> PathBuf {
    match dump.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `weft index --scip`: lay the indexes over the graph and save them with
/// the snapshot.
pub fn import_scip(l: &mut Loaded, indexes: &[PathBuf]) -> Result<()> {
    let t = Instant::now();
    let (reports, overlays) = import_indexes(&mut l.host, &l.root, indexes)?;
    if let Some((store, report)) = &mut l.snapshot {
        if store.is_read_only() {
            eprintln!("note: the snapshot is read-only: the imported references are not saved");
        } else if let Some(w) = save_compiler(store, &l.host, &overlays)? {
            report.revision = w.revision;
        }
    }
    l.elapsed += t.elapsed();
    l.imports = reports;
    Ok(())
}
