//! Command-line interface: argument parsing, loading, human and JSON output.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::{Value, json};
use weft_db::{Lang, Span, SymbolKind};
use weft_queries::graph::{self, Node, Walk};
use weft_queries::resolve::Resolved;
use weft_queries::symbols::{SymbolFilter, search, symbol_record};
use weft_queries::{AnalysisHost, RootDatabase, export};

use weft::scip::{ImportReport, import_indexes};
use weft::snapshot::{
    DEFAULT_DIR, DEFAULT_FILE, RefreshReport, SnapshotOptions, find_snapshot, open_and_refresh,
    save_compiler,
};
use weft::walk::{WalkOptions, WalkReport, read_repository};
use weft_db::store::{OpenOptions as StoreOptions, Store, StoreError};
use weft_queries::facts::extractor_fingerprint;

use crate::target::{TargetError, describe, find_file, parse_position, resolve_target};

const ABOUT: &str =
    "weft: an incremental code graph for Rust, Python, TypeScript/JavaScript and Go.

`weft index` writes a snapshot, `.weft/graph.db` at the repository root.
Every other command finds it by walking up from the current directory (like
git finds .git), refreshes it (only files whose size or mtime changed are
read, only new content is parsed), and answers from it. Without a snapshot
a command indexes in memory; `--no-write` never creates or updates one.

TARGET is one of: a qualified name (`crate::a::Type::method`,
`pkg.mod.Class.method`, or a bare name), a symbol id (16 hex digits, from
--json output), FILE:LINE:COL (1-based, like compiler messages), or a file
path. Paths are relative to the repository root or the current directory.
JSON output uses 0-based lines and UTF-8 byte columns, like SCIP.

Examples:
  weft index .
  weft snapshot info
  weft symbols parse --kind function
  weft def src/main.rs:10:5
  weft callers crate::server::handle --depth 2
  weft impact src/db.rs --depth 3 --json";

#[derive(Parser)]
#[command(name = "weft", version, about = "An incremental code graph: index a repository and ask it questions", long_about = ABOUT)]
struct Cli {
    /// Repository root (default: the enclosing git repository, else the current directory).
    #[arg(long, short = 'C', global = true)]
    root: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Skip files larger than this many bytes.
    #[arg(long, global = true, default_value_t = 4 * 1024 * 1024)]
    max_file_size: u64,
    /// Worker threads for indexing (default: all cores).
    #[arg(long, short = 'j', global = true)]
    threads: Option<usize>,
    /// The snapshot file (default: .weft/graph.db at the repository root).
    #[arg(long, global = true)]
    db: Option<PathBuf>,
    /// Never create or update the snapshot: index in memory, or read an
    /// existing snapshot without saving changes.
    #[arg(long, global = true)]
    no_write: bool,
    /// Seconds to wait while another weft process updates the snapshot.
    #[arg(long, global = true, default_value_t = 30.0)]
    lock_timeout: f64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Index a repository and print what it holds: files per language, symbols, edges by kind and resolution.
    Index {
        /// Repository to index (default: the root).
        path: Option<PathBuf>,
        /// Take references from this SCIP index (rust-analyzer scip,
        /// scip-python, scip-typescript, scip-java...) for the files it
        /// covers: resolution `compiler`. Repeat for several indexes. A
        /// file edited afterwards falls back to weft's own resolution.
        #[arg(long, value_name = "FILE")]
        scip: Vec<PathBuf>,
    },
    /// Find symbols by name: exact, prefix, substring, then fuzzy matches, ranked.
    Symbols {
        query: String,
        /// Only these kinds (function, method, struct, class, enum, trait, interface, ...).
        #[arg(long, value_parser = parse_kind)]
        kind: Vec<SymbolKind>,
        /// Only these languages (rust, python, typescript, javascript, go).
        #[arg(long, value_parser = parse_lang)]
        lang: Vec<Lang>,
        /// Only files whose path contains this text.
        #[arg(long)]
        path: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Go to definition: what the name at FILE:LINE:COL (1-based) refers to.
    Def { position: String },
    /// Every reference to a symbol, with its role (call, read, write, type, import, inherit).
    Refs { target: String },
    /// Who calls a function, transitively up to --depth.
    Callers {
        target: String,
        #[arg(long, default_value_t = 1)]
        depth: u32,
    },
    /// What a function calls, transitively up to --depth.
    Callees {
        target: String,
        #[arg(long, default_value_t = 1)]
        depth: u32,
    },
    /// Implementations, both ways: what implements/extends TARGET, and what TARGET implements/extends.
    Impls { target: String },
    /// Everything that transitively depends on a file or symbol, with distance and the edge path.
    Impact {
        target: String,
        #[arg(long, default_value_t = 3)]
        depth: u32,
        #[arg(long, default_value_t = 1000)]
        limit: usize,
    },
    /// A file's imports and the files importing it (TARGET: a file, or a symbol for its file).
    Deps { target: String },
    /// Dependency cycles (strongly connected components), largest first.
    Cycles {
        #[arg(long, value_enum, default_value_t = Level::File)]
        level: Level,
    },
    /// A shortest chain of references/imports from one target to another.
    Path {
        from: String,
        to: String,
        #[arg(long, default_value_t = 12)]
        max_depth: u32,
    },
    /// The definitions of a file, nested.
    Outline { file: String },
    /// Counts: files per language, symbols, edges by kind and resolution.
    Stats,
    /// JSON Lines of every symbol, reference (with resolved target and resolution), call, inheritance and import.
    Export {
        /// Write to this file instead of standard output.
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
        /// Instead of records, one go-to-definition pair per reference whose
        /// target is a definition in the tree:
        /// {"ref":{"file","line","col"},"def":{...},"resolution":...}, 0-based,
        /// the format of the accuracy scorer (docs/ACCURACY.md).
        #[arg(long, conflicts_with = "scip")]
        pairs: bool,
        /// Write the graph as a SCIP index (binary) to FILE, for
        /// Sourcegraph's tools: definitions, and the `scoped`, `compiler`
        /// and `external` references (`heuristic` ones are left out).
        #[arg(long, value_name = "FILE")]
        scip: Option<PathBuf>,
    },
    /// Inspect, verify or export the snapshot file (as it is; `weft index` refreshes it).
    #[command(subcommand)]
    Snapshot(SnapshotCommand),
    /// Serve the graph over HTTP and keep it live: watch the tree, apply
    /// each burst of edits, push change events (see docs/SERVER.md).
    ///
    /// Routes mirror the commands: GET /v1/refs?target=..., /v1/def?at=FILE:LINE:COL,
    /// /v1/symbols?q=..., /v1/callers?target=...&depth=2, ...; GET /v1/events
    /// (Server-Sent Events), /healthz, /metrics.
    Serve {
        /// Repository to serve (default: the root).
        path: Option<PathBuf>,
        /// Address to listen on. Anything but loopback requires a token.
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: std::net::SocketAddr,
        /// File holding the bearer token clients must send
        /// (`Authorization: Bearer TOKEN`); or set WEFT_TOKEN.
        #[arg(long, value_name = "FILE")]
        token_file: Option<PathBuf>,
        /// Milliseconds of quiet that end a burst of file events.
        #[arg(long, default_value_t = 20)]
        debounce_ms: u64,
        /// Seconds a query may run before it is answered with 503.
        #[arg(long, default_value_t = 10.0)]
        deadline: f64,
    },
}

#[derive(Subcommand)]
enum SnapshotCommand {
    /// Schema version, revision, row counts and sizes.
    Info,
    /// Verify integrity: SQLite's own check, then weft's invariants (every file has facts and rows, no orphan rows, every blob decodes). Exit 1 on any problem.
    Check,
    /// Write the snapshot as SQL for Cloudflare D1: `wrangler d1 execute DB --file OUT.sql`.
    Export {
        /// The SQL file to write.
        #[arg(long, value_name = "OUT.sql")]
        d1: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Level {
    File,
    Module,
}

fn parse_kind(s: &str) -> Result<SymbolKind, String> {
    SymbolKind::parse(s).ok_or_else(|| {
        format!(
            "unknown kind `{s}`; one of: {}",
            SymbolKind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    let s = match s {
        "ts" => "typescript",
        "js" => "javascript",
        "py" => "python",
        "rs" => "rust",
        other => other,
    };
    Lang::parse(s).ok_or_else(|| {
        format!("unknown language `{s}`; one of: rust, python, typescript, javascript, go")
    })
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("WEFT_LOG"))
        .with_writer(std::io::stderr)
        .init();
    if let Some(n) = cli.threads {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

pub(crate) struct Loaded {
    pub root: PathBuf,
    pub host: AnalysisHost,
    pub report: WalkReport,
    pub elapsed: std::time::Duration,
    /// Present when answering from a snapshot.
    pub snapshot: Option<(Store, RefreshReport)>,
    /// SCIP indexes imported by `weft index --scip`.
    pub imports: Vec<ImportReport>,
}

fn find_root(explicit: Option<&Path>) -> Result<PathBuf> {
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

fn load(root: PathBuf, cli_max: u64, progress: bool) -> Result<Loaded> {
    let t0 = Instant::now();
    let (change, report) = read_repository(
        &root,
        &WalkOptions {
            max_file_size: cli_max,
        },
    );
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

fn load_snapshot(root: PathBuf, cli: &Cli, db: PathBuf, progress: bool) -> Result<Loaded> {
    let t0 = Instant::now();
    let bar = spinner(progress);
    let writer = matches!(cli.command, Command::Index { .. } | Command::Serve { .. });
    let mut opts = SnapshotOptions {
        db,
        lock_timeout: std::time::Duration::from_secs_f64(cli.lock_timeout.max(0.0)),
        walk: WalkOptions {
            max_file_size: cli.max_file_size,
        },
        write: !cli.no_write,
        require_write: writer,
    };
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
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let r = r?;
    for n in &r.report.notices {
        eprintln!("note: {n}");
    }
    if r.report.unsaved {
        eprintln!(
            "note: {} changed files were not saved to the read-only snapshot",
            r.report.changed + r.report.added + r.report.removed
        );
    }
    Ok(Loaded {
        root,
        host: r.host,
        report: r.walk,
        elapsed: t0.elapsed(),
        snapshot: Some((r.store, r.report)),
        imports: Vec::new(),
    })
}

fn snapshot_path(root: &Path, cli: &Cli) -> PathBuf {
    cli.db
        .clone()
        .unwrap_or_else(|| root.join(DEFAULT_DIR).join(DEFAULT_FILE))
}

/// `weft snapshot ...`: the file as it is, opened read-only.
fn snapshot_command(cli: &Cli, sub: &SnapshotCommand) -> Result<ExitCode> {
    let db = match &cli.db {
        Some(p) => p.clone(),
        None => {
            let start = match &cli.root {
                Some(r) => r.clone(),
                None => std::env::current_dir()?,
            };
            match find_snapshot(&start) {
                Some((_, db)) => db,
                None => bail!(
                    "no snapshot in {} or its parents; run `weft index` first, or pass --db PATH",
                    start.display()
                ),
            }
        }
    };
    if !db.is_file() {
        bail!("no snapshot at {}", db.display());
    }
    let (store, _) = Store::open(&db, &StoreOptions::reader())?;
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    match sub {
        SnapshotCommand::Info => {
            let i = store.info()?;
            if cli.json {
                writeln!(out, "{}", serde_json::to_string(&i)?)?;
            } else {
                let mb = |b: u64| b as f64 / 1e6;
                let current = if i.extractor == extractor_fingerprint() {
                    ""
                } else {
                    "  (another weft wrote it: the next refresh rebuilds it)"
                };
                writeln!(out, "snapshot    {}", i.path)?;
                writeln!(out, "schema      version {}", i.schema_version)?;
                writeln!(out, "extractor   {}{current}", i.extractor)?;
                writeln!(out, "revision    {}", i.revision)?;
                writeln!(
                    out,
                    "rows        {} files, {} symbols, {} references, {} inheritance, {} imports",
                    i.files, i.symbols, i.refs, i.inherits, i.imports
                )?;
                writeln!(
                    out,
                    "facts       {} blobs, {:.1} MB",
                    i.blobs,
                    mb(i.blob_bytes as u64)
                )?;
                let total = i.db_bytes + i.wal_bytes;
                writeln!(
                    out,
                    "size        {:.1} MB on disk ({:.1} MB WAL) for {:.1} MB of source: {:.2}x",
                    mb(total),
                    mb(i.wal_bytes),
                    mb(i.source_bytes as u64),
                    total as f64 / (i.source_bytes.max(1) as f64)
                )?;
            }
        }
        SnapshotCommand::Check => {
            let problems = store.check(&|b| {
                weft_queries::facts::decode_facts(b)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            })?;
            if cli.json {
                writeln!(
                    out,
                    "{}",
                    json!({"ok": problems.is_empty(), "problems": problems})
                )?;
            } else if problems.is_empty() {
                writeln!(out, "ok: {} passes every check", db.display())?;
            } else {
                for p in &problems {
                    writeln!(out, "problem: {p}")?;
                }
            }
            out.flush()?;
            if !problems.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
        SnapshotCommand::Export { d1 } => {
            let f =
                std::fs::File::create(d1).with_context(|| format!("creating {}", d1.display()))?;
            let mut w = BufWriter::new(f);
            let r = store.export_sql(&mut w, D1_MAX_STATEMENT)?;
            w.flush()
                .with_context(|| format!("writing {}", d1.display()))?;
            if cli.json {
                writeln!(out, "{}", serde_json::to_string(&r)?)?;
            } else {
                writeln!(
                    out,
                    "wrote {}: {} rows in {} statements (largest {} bytes); load it with `wrangler d1 execute DB --file {}`",
                    d1.display(),
                    r.rows,
                    r.statements,
                    r.largest_statement,
                    d1.display()
                )?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// D1 refuses statements over 100,000 bytes; stay clear of it.
const D1_MAX_STATEMENT: usize = 90_000;

fn loc(file: &str, span: Span) -> String {
    format!("{file}:{}:{}", span.start.line + 1, span.start.col + 1)
}

fn run(cli: Cli) -> Result<ExitCode> {
    if let Command::Snapshot(sub) = &cli.command {
        return snapshot_command(&cli, sub);
    }
    // Refuse a server beyond loopback without a token before loading anything.
    let token = match &cli.command {
        Command::Serve {
            addr, token_file, ..
        } => {
            let token = crate::serve::token(token_file.as_deref())?;
            if !addr.ip().is_loopback() && token.is_none() {
                bail!(
                    "serving on {addr}, beyond this machine, needs a token: --token-file FILE or WEFT_TOKEN (16+ characters)"
                );
            }
            token
        }
        _ => None,
    };
    let found = match (&cli.command, &cli.root, &cli.db) {
        (Command::Index { path: Some(_), .. } | Command::Serve { path: Some(_), .. }, _, _)
        | (_, Some(_), _)
        | (_, _, Some(_)) => None,
        _ => find_snapshot(&std::env::current_dir()?),
    };
    let root = match &cli.command {
        Command::Index { path: Some(p), .. } | Command::Serve { path: Some(p), .. } => {
            if !p.exists() {
                bail!("`{}` does not exist", p.display());
            }
            if !p.is_dir() {
                bail!("`{}` is not a directory", p.display());
            }
            p.clone()
        }
        _ => match &found {
            Some((root, _)) => root.clone(),
            None => find_root(cli.root.as_deref())?,
        },
    };
    let progress = matches!(cli.command, Command::Index { .. } | Command::Serve { .. });
    let db = snapshot_path(&root, &cli);
    let use_snapshot = match cli.command {
        Command::Index { .. } | Command::Serve { .. } => !cli.no_write,
        _ => db.is_file(),
    };
    let mut l = if use_snapshot {
        load_snapshot(root, &cli, db, progress)?
    } else {
        if !matches!(cli.command, Command::Index { .. }) && !cli.no_write {
            eprintln!(
                "note: no snapshot at {}: indexing in memory (`weft index` saves one)",
                db.display()
            );
        }
        load(root, cli.max_file_size, progress)?
    };
    if let Command::Index { scip, .. } = &cli.command
        && !scip.is_empty()
    {
        import_scip(&mut l, scip)?;
    }
    if let Command::Serve {
        addr,
        debounce_ms,
        deadline,
        ..
    } = cli.command
    {
        // before this function takes a database handle: a change waits for every one
        return crate::serve::run(crate::serve::Options {
            loaded: l,
            addr,
            token,
            debounce: std::time::Duration::from_millis(debounce_ms),
            deadline: std::time::Duration::from_secs_f64(deadline.max(0.01)),
            max_file_size: cli.max_file_size,
        })
        .map(|()| ExitCode::SUCCESS);
    }
    let analysis = l.host.analysis();
    let json = cli.json;
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    let ctx = l.context();
    let result = analysis
        .with_db(|db| -> Result<ExitCode> { command(db, &ctx, cli.command, json, &mut out) });
    let code = result.map_err(|_| anyhow::anyhow!("query cancelled"))??;
    out.flush()?;
    Ok(code)
}

/// `weft index --scip`: lay the indexes over the graph and save them with
/// the snapshot.
fn import_scip(l: &mut Loaded, indexes: &[PathBuf]) -> Result<()> {
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

fn target_or_fail(db: &RootDatabase, root: &Path, s: &str) -> Result<Node> {
    resolve_target(db, root, s).map_err(|e: TargetError| anyhow::anyhow!("{e}"))
}

fn symbol_or_fail(db: &RootDatabase, root: &Path, s: &str) -> Result<weft_queries::db::DefLoc> {
    match target_or_fail(db, root, s)? {
        Node::Symbol(l) => Ok(l),
        Node::File(f) => bail!(
            "`{s}` names the file {}; this command needs a symbol",
            f.path(db)
        ),
    }
}

/// A graph node in JSON answers: a symbol's record, or `{"file": PATH}`.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum NodeJson<'a> {
    Symbol(weft_db::SymbolRecord),
    File { file: &'a str },
}

fn node_json(db: &RootDatabase, n: Node) -> NodeJson<'_> {
    match n {
        Node::Symbol(l) => NodeJson::Symbol(symbol_record(db, l)),
        Node::File(f) => NodeJson::File {
            file: f.path(db).as_str(),
        },
    }
}

/// One node reached by a walk (callers, callees, impact).
#[derive(serde::Serialize)]
struct Reached<'a> {
    node: NodeJson<'a>,
    distance: u32,
    /// From the start to `node`.
    path: Vec<NodeJson<'a>>,
    resolution: &'static str,
}

/// One reference in `refs` answers.
#[derive(serde::Serialize)]
struct ReferenceJson<'a> {
    file: &'a str,
    span: Span,
    role: weft_db::Role,
    resolution: &'static str,
}

fn node_text(db: &RootDatabase, n: Node) -> String {
    match n {
        Node::Symbol(l) => {
            let r = symbol_record(db, l);
            format!("{} {}  {}", r.kind, r.qualified_name, loc(&r.file, r.span))
        }
        Node::File(f) => format!("file {}", f.path(db)),
    }
}

fn walk_output(
    db: &RootDatabase,
    start: Node,
    walk: &Walk,
    json: bool,
    out: &mut impl Write,
    label: &str,
) -> Result<()> {
    if json {
        // typed, not `json!`: building Value trees cost more than the walk
        let items: Vec<Reached> = walk
            .order
            .iter()
            .map(|&(n, d)| Reached {
                node: node_json(db, n),
                distance: d,
                path: walk
                    .path_to(n)
                    .into_iter()
                    .map(|p| node_json(db, p))
                    .collect(),
                resolution: if walk.is_guess(n) {
                    "heuristic"
                } else {
                    "scoped"
                },
            })
            .collect();
        write!(out, "{{\"target\":")?;
        serde_json::to_writer(&mut *out, &node_json(db, start))?;
        write!(out, ",{:?}:", label)?;
        serde_json::to_writer(&mut *out, &items)?;
        writeln!(out, "}}")?;
    } else {
        writeln!(out, "{} of {}:", label, node_text(db, start))?;
        if walk.order.is_empty() {
            writeln!(out, "  (none)")?;
        }
        for &(n, d) in &walk.order {
            let mark = if walk.is_guess(n) {
                "  [heuristic]"
            } else {
                ""
            };
            writeln!(out, "  [{d}] {}{mark}", node_text(db, n))?;
            if d > 1 {
                let path = walk.path_to(n);
                let names: Vec<String> = path
                    .iter()
                    .map(|&p| match p {
                        Node::Symbol(l) => symbol_record(db, l).name,
                        Node::File(f) => f.path(db).to_string(),
                    })
                    .collect();
                writeln!(out, "      via {}", names.join(" <- "))?;
            }
        }
    }
    Ok(())
}

/// A read command as the HTTP API names it: the route's command and its
/// query parameters, parsed by the same clap definitions as the command
/// line, so both validate alike.
#[derive(Parser)]
#[command(name = "weft", no_binary_name = true, disable_help_subcommand = true)]
struct ApiCall {
    #[command(subcommand)]
    command: Command,
}

/// Where each route's positional arguments come from, in order.
const POSITIONALS: &[(&str, &[&str])] = &[
    ("symbols", &["q"]),
    ("def", &["at"]),
    ("refs", &["target"]),
    ("callers", &["target"]),
    ("callees", &["target"]),
    ("impls", &["target"]),
    ("impact", &["target"]),
    ("deps", &["target"]),
    ("path", &["from", "to"]),
    ("outline", &["file"]),
    ("cycles", &[]),
    ("stats", &[]),
    ("export", &[]),
];

/// The routes of API v1 that answer a read command.
pub(crate) fn api_routes() -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    POSITIONALS.iter().copied()
}

/// One parameter of an API route, read from the command's clap definition.
pub(crate) struct ApiParam {
    pub name: String,
    pub help: String,
    pub required: bool,
    pub default: Option<String>,
    pub values: Vec<String>,
}

/// Each API route with its summary and parameters, from the same clap
/// definitions the command line uses (for /v1/openapi.json).
pub(crate) fn api_description() -> Vec<(&'static str, String, Vec<ApiParam>)> {
    use clap::CommandFactory;
    let cmd = ApiCall::command();
    POSITIONALS
        .iter()
        .filter_map(|(route, positional)| {
            let sub = cmd.find_subcommand(route)?;
            let mut pos = positional.iter();
            let params = sub
                .get_arguments()
                .filter(|a| !matches!(a.get_id().as_str(), "help" | "output" | "scip"))
                .map(|a| {
                    let name = if a.is_positional() {
                        pos.next().map_or(a.get_id().to_string(), |n| n.to_string())
                    } else {
                        a.get_id().as_str().replace('-', "_")
                    };
                    ApiParam {
                        name,
                        help: a.get_help().map(|h| h.to_string()).unwrap_or_default(),
                        required: a.is_required_set() || a.is_positional(),
                        default: a
                            .get_default_values()
                            .first()
                            .map(|v| v.to_string_lossy().into_owned()),
                        values: a
                            .get_possible_values()
                            .iter()
                            .map(|v| v.get_name().to_string())
                            .collect(),
                    }
                })
                .collect();
            Some((
                *route,
                sub.get_about().map(|s| s.to_string()).unwrap_or_default(),
                params,
            ))
        })
        .collect()
}

pub(crate) enum ApiError {
    /// No such route.
    NotFound(String),
    /// Bad parameters, unknown target.
    BadRequest(String),
}

/// Answer `route` with `params` as the CLI's `--json` would print it:
/// the bytes, and whether the CLI would exit 0 (an unresolved name, no
/// matches and no path are answers, not errors).
pub(crate) fn api_answer(
    db: &RootDatabase,
    ctx: &CmdContext,
    route: &str,
    params: &[(String, String)],
) -> Result<(Vec<u8>, bool), ApiError> {
    let Some((_, positional)) = POSITIONALS.iter().find(|(r, _)| *r == route) else {
        return Err(ApiError::NotFound(format!(
            "no route /v1/{route}; routes: {}",
            POSITIONALS
                .iter()
                .map(|(r, _)| *r)
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    let mut argv: Vec<String> = vec![route.to_string()];
    for name in *positional {
        match params.iter().find(|(k, _)| k == name) {
            Some((_, v)) => argv.push(v.clone()),
            None => {
                return Err(ApiError::BadRequest(format!(
                    "/v1/{route} needs the parameter `{name}`"
                )));
            }
        }
    }
    for (k, v) in params {
        if positional.contains(&k.as_str()) {
            continue;
        }
        if matches!(
            k.as_str(),
            "output" | "o" | "scip" | "json" | "root" | "db" | "C"
        ) {
            return Err(ApiError::BadRequest(format!(
                "parameter `{k}` is not available over HTTP"
            )));
        }
        if k.is_empty()
            || !k
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(ApiError::BadRequest(format!("bad parameter name `{k}`")));
        }
        argv.push(format!("--{}", k.replace('_', "-")));
        if !(v.is_empty() && k == "pairs") {
            argv.push(v.clone());
        }
    }
    // Building clap's command tree costs more than most answers: each
    // thread builds it once.
    thread_local! {
        static API: std::cell::RefCell<clap::Command> =
            std::cell::RefCell::new(<ApiCall as clap::CommandFactory>::command());
    }
    let matches = API.with_borrow_mut(|cmd| cmd.try_get_matches_from_mut(&argv));
    let call = matches
        .and_then(|m| <ApiCall as clap::FromArgMatches>::from_arg_matches(&m))
        .map_err(|e| {
            ApiError::BadRequest(
                e.render()
                    .to_string()
                    .lines()
                    .next()
                    .unwrap_or("bad parameters")
                    .trim_start_matches("error: ")
                    .replace("--", "")
                    .to_string(),
            )
        })?;
    let mut out = Vec::new();
    match command(db, ctx, call.command, true, &mut out) {
        Ok(code) => Ok((out, code == ExitCode::SUCCESS)),
        Err(e) => Err(ApiError::BadRequest(format!("{e:#}"))),
    }
}

/// What a command may report besides the graph: where it came from.
pub(crate) struct CmdContext<'a> {
    pub root: &'a Path,
    pub report: &'a WalkReport,
    pub elapsed: std::time::Duration,
    pub snapshot: Option<(&'a Store, &'a RefreshReport)>,
    pub imports: &'a [ImportReport],
}

impl Loaded {
    fn context(&self) -> CmdContext<'_> {
        CmdContext {
            root: &self.root,
            report: &self.report,
            elapsed: self.elapsed,
            snapshot: self.snapshot.as_ref().map(|(s, r)| (s, r)),
            imports: &self.imports,
        }
    }
}

fn command(
    db: &RootDatabase,
    l: &CmdContext,
    cmd: Command,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let root = l.root;
    match cmd {
        Command::Snapshot(_) | Command::Serve { .. } => {
            unreachable!("handled before loading")
        }
        Command::Index { .. } | Command::Stats => {
            let s = match &l.snapshot {
                Some((store, _)) => snapshot_stats(store)?,
                None => export::stats(db),
            };
            let r = &l.report;
            let refresh = l.snapshot.as_ref().map(|(_, r)| r);
            if json {
                writeln!(
                    out,
                    "{}",
                    json!({"root": root.display().to_string(), "walk": r, "stats": s, "seconds": l.elapsed.as_secs_f64(), "snapshot": refresh, "scip": l.imports})
                )?;
            } else {
                writeln!(
                    out,
                    "indexed {} in {:.2}s: {} files, {:.1} MB",
                    root.display(),
                    l.elapsed.as_secs_f64(),
                    r.files,
                    r.bytes as f64 / 1e6
                )?;
                for (lang, n) in &s.files {
                    writeln!(out, "  {lang:<11} {n} files")?;
                }
                writeln!(out, "symbols: {}", s.symbols)?;
                let edges: Vec<String> = s.edges.iter().map(|(k, n)| format!("{k} {n}")).collect();
                writeln!(out, "edges: {}", edges.join(", "))?;
                // `compiler` only once a SCIP index was imported.
                let res: Vec<String> = s
                    .resolution
                    .iter()
                    .filter(|(k, n)| **k != weft_db::Resolution::Compiler || **n > 0)
                    .map(|(k, n)| format!("{k} {n}"))
                    .collect();
                writeln!(out, "references by resolution: {}", res.join(", "))?;
                for i in l.imports {
                    writeln!(
                        out,
                        "imported {} ({}): {} of {} documents in the tree; {} references answered by it, {} added, {} left to weft (definition unknown to weft: {}, ambiguous: {}, not defined in the index: {})",
                        i.index,
                        if i.tool.is_empty() {
                            "unknown tool"
                        } else {
                            &i.tool
                        },
                        i.files,
                        i.documents,
                        i.counts.matched,
                        i.counts.added,
                        i.counts.unmapped + i.ambiguous + i.undefined,
                        i.counts.unmapped,
                        i.ambiguous,
                        i.undefined
                    )?;
                }
                if s.files_with_syntax_errors > 0 {
                    writeln!(
                        out,
                        "files with syntax errors (partial facts): {}",
                        s.files_with_syntax_errors
                    )?;
                }
                if let Some(x) = refresh {
                    writeln!(
                        out,
                        "snapshot {} at revision {}: {} from snapshot, {} parsed (cache hit {:.1}%); {} changed, {} added, {} removed; rows rewritten for {} files",
                        x.db,
                        x.revision,
                        x.cache_hits,
                        x.parsed,
                        x.hit_rate() * 100.0,
                        x.changed,
                        x.added,
                        x.removed,
                        x.rows_rewritten
                    )?;
                }
            }
            let skipped = r.skipped_binary + r.skipped_too_large + r.unreadable + r.lossy_utf8;
            if skipped > 0 {
                eprintln!(
                    "warning: {} binary, {} too large, {} unreadable skipped; {} decoded lossily (WEFT_LOG=warn lists them)",
                    r.skipped_binary, r.skipped_too_large, r.unreadable, r.lossy_utf8
                );
                for w in &r.warnings {
                    tracing::warn!("{w}");
                }
            }
        }
        Command::Symbols {
            query,
            kind,
            lang,
            path,
            limit,
        } => {
            let hits = search(
                db,
                &query,
                &SymbolFilter {
                    kinds: kind,
                    langs: lang,
                    path,
                    limit,
                },
            );
            if json {
                for (_, loc) in &hits {
                    writeln!(out, "{}", serde_json::to_string(&symbol_record(db, *loc))?)?;
                }
            } else {
                for (_, hit) in &hits {
                    let r = symbol_record(db, *hit);
                    writeln!(
                        out,
                        "{:<11} {:<50} {}",
                        r.kind.as_str(),
                        r.qualified_name,
                        loc(&r.file, r.span)
                    )?;
                }
            }
            if hits.is_empty() {
                eprintln!("no symbol matches `{query}`");
                return Ok(ExitCode::from(1));
            }
        }
        Command::Def { position } => {
            let (file, pos) = match parse_position(db, root, &position) {
                Some(r) => r.map_err(|e| anyhow::anyhow!("{e}"))?,
                None => bail!("expected FILE:LINE:COL (1-based), got `{position}`"),
            };
            let Some((res, name)) = weft_queries::symbols::definition_at(db, file, pos) else {
                bail!("no name at {position}");
            };
            let name = name.unwrap_or_default();
            match &res {
                Resolved::Def { loc: d, .. } => {
                    let r = symbol_record(db, *d);
                    if json {
                        writeln!(
                            out,
                            "{}",
                            json!({"name": name, "resolution": res.resolution(), "definition": r})
                        )?;
                    } else {
                        writeln!(
                            out,
                            "{}  {} {}  [{}]",
                            loc(&r.file, r.span),
                            r.kind,
                            r.qualified_name,
                            res.resolution()
                        )?;
                        if !r.signature.is_empty() {
                            writeln!(out, "  {}", r.signature)?;
                        }
                    }
                }
                Resolved::External(m) => {
                    if json {
                        writeln!(
                            out,
                            "{}",
                            json!({"name": name, "resolution": "external", "module": m.as_str()})
                        )?;
                    } else {
                        writeln!(out, "`{name}` is external (module `{m}`)")?;
                    }
                }
                Resolved::Module(f) => {
                    let path = f.path(db);
                    if json {
                        writeln!(
                            out,
                            "{}",
                            json!({"name": name, "resolution": res.resolution(), "module_file": path.as_str()})
                        )?;
                    } else {
                        writeln!(out, "{path}:1:1  module {name}  [{}]", res.resolution())?;
                    }
                }
                Resolved::Unresolved => {
                    if json {
                        writeln!(out, "{}", json!({"name": name, "resolution": "unresolved"}))?;
                    } else {
                        writeln!(out, "`{name}` is unresolved")?;
                    }
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Refs { target } => {
            let t = symbol_or_fail(db, root, &target)?;
            let hits = graph::references(db, t);
            if json {
                let items: Vec<ReferenceJson> = hits
                    .iter()
                    .map(|h| ReferenceJson {
                        file: h.file.path(db).as_str(),
                        span: h.span,
                        role: h.role,
                        resolution: h.resolution.as_str(),
                    })
                    .collect();
                write!(out, "{{\"target\":")?;
                serde_json::to_writer(&mut *out, &symbol_record(db, t))?;
                write!(out, ",\"references\":")?;
                serde_json::to_writer(&mut *out, &items)?;
                writeln!(out, "}}")?;
            } else {
                writeln!(out, "{} references to {}", hits.len(), describe(db, t))?;
                for h in &hits {
                    writeln!(
                        out,
                        "  {:<8} {}{}",
                        h.role.as_str(),
                        loc(h.file.path(db), h.span),
                        if h.is_guess() { "  [heuristic]" } else { "" }
                    )?;
                }
            }
        }
        Command::Callers { target, depth } => {
            let t = symbol_or_fail(db, root, &target)?;
            let w = graph::callers(db, t, depth.clamp(1, 64), 10_000);
            walk_output(db, Node::Symbol(t), &w, json, out, "callers")?;
        }
        Command::Callees { target, depth } => {
            let t = symbol_or_fail(db, root, &target)?;
            if depth <= 1 {
                let calls = graph::direct_callees(db, t);
                if json {
                    let items: Vec<Value> = calls.iter().map(|(r, name, span)| json!({
                        "name": name, "at": span, "resolution": r.resolution(),
                        "target": r.def().map(|d| serde_json::to_value(symbol_record(db, d)).unwrap()),
                        "module": match r { Resolved::External(m) => Some(m.as_str()), _ => None },
                    })).collect();
                    writeln!(
                        out,
                        "{}",
                        json!({"target": symbol_record(db, t), "callees": items})
                    )?;
                } else {
                    writeln!(out, "callees of {}:", describe(db, t))?;
                    for (r, name, span) in &calls {
                        let what = match r {
                            Resolved::Def { loc: d, .. } => node_text(db, Node::Symbol(*d)),
                            Resolved::External(m) => format!("{name} (external: {m})"),
                            Resolved::Module(f) => format!("{name} (module {})", f.path(db)),
                            Resolved::Unresolved => format!("{name} (unresolved)"),
                        };
                        writeln!(
                            out,
                            "  line {:<5} {what}  [{}]",
                            span.start.line + 1,
                            r.resolution()
                        )?;
                    }
                }
            } else {
                let w = graph::callees(db, t, depth.min(64), 10_000);
                walk_output(db, Node::Symbol(t), &w, json, out, "callees")?;
            }
        }
        Command::Impls { target } => {
            let t = symbol_or_fail(db, root, &target)?;
            let i = graph::impls(db, t);
            if json {
                let implementors: Vec<Value> = i
                    .implementors
                    .iter()
                    .map(|(l, _)| serde_json::to_value(symbol_record(db, *l)).unwrap())
                    .collect();
                let implements: Vec<Value> = i.implements.iter().map(|(r, name)| json!({
                    "name": name, "resolution": r.resolution(), "target": r.def().map(|d| serde_json::to_value(symbol_record(db, d)).unwrap()),
                })).collect();
                writeln!(
                    out,
                    "{}",
                    json!({"target": symbol_record(db, t), "implementors": implementors, "implements": implements})
                )?;
            } else {
                writeln!(out, "{}", describe(db, t))?;
                writeln!(out, "implemented/extended by:")?;
                for (l, _) in &i.implementors {
                    writeln!(out, "  {}", node_text(db, Node::Symbol(*l)))?;
                }
                writeln!(out, "implements/extends:")?;
                for (r, name) in &i.implements {
                    match r.def() {
                        Some(d) => writeln!(out, "  {}", node_text(db, Node::Symbol(d)))?,
                        None => writeln!(out, "  {name} ({})", r.resolution())?,
                    }
                }
            }
        }
        Command::Impact {
            target,
            depth,
            limit,
        } => {
            let t = target_or_fail(db, root, &target)?;
            let w = graph::impact(db, t, depth.clamp(1, 64), limit.max(1));
            walk_output(db, t, &w, json, out, "impact")?;
        }
        Command::Deps { target } => {
            let file = match target_or_fail(db, root, &target)? {
                Node::File(f) => f,
                Node::Symbol((f, _)) => f,
            };
            let resolved = weft_queries::resolve::resolve_file(db, file);
            let imports: Vec<String> = resolved
                .deps
                .iter()
                .map(|f| f.path(db).to_string())
                .collect();
            let facts = weft_queries::db::file_facts(db, file);
            let mut external: Vec<String> = resolved
                .imports
                .iter()
                .filter_map(|t| match t {
                    weft_queries::resolve::ImportTarget::External(m) => Some(m.to_string()),
                    _ => None,
                })
                .collect();
            external.sort();
            external.dedup();
            let unresolved: Vec<String> = facts
                .imports
                .iter()
                .zip(&resolved.imports)
                .filter(|(_, t)| matches!(t, weft_queries::resolve::ImportTarget::Unresolved))
                .map(|(i, _)| i.module.to_string())
                .collect();
            let importers: Vec<String> = graph::dependents(db, file)
                .iter()
                .map(|f| f.path(db).to_string())
                .collect();
            if json {
                writeln!(
                    out,
                    "{}",
                    json!({"file": file.path(db).as_str(), "imports": imports, "external": external, "unresolved": unresolved, "imported_by": importers})
                )?;
            } else {
                writeln!(out, "{}", file.path(db))?;
                writeln!(out, "imports ({}):", imports.len())?;
                for i in &imports {
                    writeln!(out, "  {i}")?;
                }
                if !external.is_empty() {
                    writeln!(out, "external: {}", external.join(", "))?;
                }
                if !unresolved.is_empty() {
                    writeln!(out, "unresolved: {}", unresolved.join(", "))?;
                }
                writeln!(out, "imported by ({}):", importers.len())?;
                for i in &importers {
                    writeln!(out, "  {i}")?;
                }
            }
        }
        Command::Cycles { level } => {
            let c = graph::cycles(db, matches!(level, Level::Module));
            if json {
                writeln!(out, "{}", json!({"cycles": c}))?;
            } else {
                writeln!(out, "{} cycles", c.len())?;
                for (i, comp) in c.iter().enumerate() {
                    writeln!(
                        out,
                        "#{} ({} members): {}",
                        i + 1,
                        comp.len(),
                        comp.join(", ")
                    )?;
                }
            }
        }
        Command::Path {
            from,
            to,
            max_depth,
        } => {
            let a = target_or_fail(db, root, &from)?;
            let b = target_or_fail(db, root, &to)?;
            match graph::path(db, a, b, max_depth.min(64)) {
                Some((p, guess)) => {
                    let resolution = if guess { "heuristic" } else { "scoped" };
                    if json {
                        let nodes: Vec<NodeJson> = p.iter().map(|&n| node_json(db, n)).collect();
                        writeln!(out, "{}", json!({"path": nodes, "resolution": resolution}))?;
                    } else {
                        if guess {
                            writeln!(
                                out,
                                "(some links are heuristic: bound by a unique name only)"
                            )?;
                        }
                        for (i, &n) in p.iter().enumerate() {
                            writeln!(
                                out,
                                "{}{}",
                                if i == 0 { "   " } else { "-> " },
                                node_text(db, n)
                            )?;
                        }
                    }
                }
                None => {
                    if json {
                        writeln!(out, "{}", json!({"path": null}))?;
                    } else {
                        writeln!(out, "no path from {from} to {to} within {max_depth} steps")?;
                    }
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Outline { file } => {
            let Some(f) = find_file(db, root, &file) else {
                bail!("no indexed file `{file}`")
            };
            let facts = weft_queries::db::file_facts(db, f);
            if json {
                for i in 0..facts.defs.len() {
                    writeln!(
                        out,
                        "{}",
                        serde_json::to_string(&symbol_record(db, (f, i as u32)))?
                    )?;
                }
            } else {
                let depth_of = |mut c: Option<u32>| {
                    let mut d = 0;
                    while let Some(i) = c {
                        d += 1;
                        c = facts.defs[i as usize].container;
                    }
                    d
                };
                for d in facts.defs.iter() {
                    writeln!(
                        out,
                        "{:>5}  {}{} {}{}",
                        d.span.start.line + 1,
                        "  ".repeat(depth_of(d.container)),
                        d.kind,
                        d.name,
                        if d.signature.is_empty() {
                            String::new()
                        } else {
                            format!("  — {}", d.signature)
                        }
                    )?;
                }
            }
        }
        Command::Export {
            scip: Some(path), ..
        } => {
            let (index, counts) = weft::scip::export::to_scip(&export::all_rows(db), root);
            let bytes = protobuf::Message::write_to_bytes(&index)?;
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
            if json {
                writeln!(
                    out,
                    "{}",
                    json!({"scip": path.display().to_string(), "counts": counts})
                )?;
            } else {
                writeln!(
                    out,
                    "wrote {}: {} documents, {} symbols, {} references ({} heuristic edges left out)",
                    path.display(),
                    counts.documents,
                    counts.symbols,
                    counts.references,
                    counts.guesses_left_out
                )?;
            }
        }
        Command::Export { output, pairs, .. } => {
            let mut sink: Box<dyn Write> = match &output {
                Some(p) => Box::new(BufWriter::new(
                    std::fs::File::create(p)
                        .with_context(|| format!("creating {}", p.display()))?,
                )),
                None => Box::new(&mut *out),
            };
            if pairs {
                for p in weft_db::rows::definition_pairs(&export::all_rows(db)) {
                    serde_json::to_writer(&mut sink, &p)?;
                    sink.write_all(b"\n")?;
                }
            } else {
                for rec in export::all_records(db) {
                    serde_json::to_writer(&mut sink, &rec)?;
                    sink.write_all(b"\n")?;
                }
            }
            sink.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `stats` from the snapshot's per-file counts: a SUM, no resolution.
fn snapshot_stats(store: &Store) -> Result<export::Stats> {
    let mut s = export::Stats::default();
    for l in store.stats()? {
        let Some(lang) = Lang::parse(&l.lang) else {
            continue;
        };
        s.add(lang, l.files, &l.sums, l.with_errors);
    }
    Ok(s)
}
