//! Command-line interface: argument parsing, loading, human and JSON output.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;
use weft_db::api::answer::NodeJson;
use weft_db::api::{self, ApiError, Query};
use weft_db::{Span, SymbolRecord};
use weft_queries::graph::{self, Node};
use weft_queries::{AnalysisHost, RootDatabase, context, export};

use crate::answers::{self, Answered};
use crate::dense_cli::{self, EmbedArgs};

use weft::dump::Dump;
use weft::scip::{ImportReport, import_indexes};
use weft::snapshot::{
    DEFAULT_DIR, DEFAULT_FILE, RefreshReport, SnapshotOptions, find_snapshot, open_and_refresh,
    save_compiler,
};
use weft::tokens::Tokenizer;
use weft::walk::{WalkOptions, WalkReport, read_repository};
use weft_db::store::{OpenOptions as StoreOptions, Store, StoreError};
use weft_queries::facts::extractor_fingerprint;

use crate::target::{TargetError, resolve_target};

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
    /// Read the repository from a code dump instead of a directory: one
    /// text where each file starts with a line `FILE: <path>`. Every
    /// command then sees exactly those files, as if they were on disk; the
    /// snapshot is kept beside the dump, in .weft/<dump name>.db.
    #[arg(long, global = true, value_name = "FILE")]
    dump: Option<PathBuf>,
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
        #[command(flatten)]
        embed: EmbedArgs,
    },
    #[command(flatten)]
    Query(Query),
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
    /// Symbol-level changes between two versions, and what depends on them.
    ///
    /// Versions are git revisions (`main`, `HEAD~3`, a tag, a commit id) or
    /// `.` for the working tree; the default compares the working tree with
    /// HEAD. Each changed symbol is added, removed, renamed (same body under
    /// another name or in another file), signature (declaration changed),
    /// visibility or body; edits that only touch whitespace, comments or
    /// the order of definitions are not changes. The impact lists what
    /// transitively uses the changed symbols, nearest first.
    ///
    ///   weft diff                    # working tree against HEAD
    ///   weft diff main feature --json
    ///   weft diff HEAD~1 HEAD --depth 0
    #[command(verbatim_doc_comment)]
    Diff {
        /// The old version (default: HEAD).
        from: Option<String>,
        /// The new version (default: the working tree).
        to: Option<String>,
        /// How many edges of dependents to follow (0: no impact).
        #[arg(long, default_value_t = 3)]
        depth: u32,
        /// At most this many dependents.
        #[arg(long, default_value_t = 1000)]
        limit: usize,
    },
    /// Predict where merging two branches will hurt, before merging.
    ///
    /// Three tiers, each printed as soon as it is known:
    ///   1 direct    the same symbol changed on both sides (or both insert at
    ///               the same place); two edits to different functions of one
    ///               file are not a conflict
    ///   2 semantic  one side changes a symbol's interface (signature,
    ///               visibility, removal, rename) that code the other side
    ///               changed or added uses: merges cleanly, then breaks
    ///   3 impact    one side's change depends on the other side's, within
    ///               --depth edges, nearest first
    /// Each prediction names both sides' symbols, files and line ranges and
    /// the dependency path between them. --json prints one JSON object per
    /// line: start, one per tier, done.
    ///
    ///   weft conflicts main feature
    ///   weft conflicts origin/a origin/b --base v1.2 --json
    #[command(verbatim_doc_comment)]
    Conflicts {
        a: String,
        b: String,
        /// The common version (default: the merge base of A and B).
        #[arg(long)]
        base: Option<String>,
        /// How many edges tier 3 follows.
        #[arg(long, default_value_t = 3)]
        depth: u32,
    },
    /// What a language model needs to understand or edit a symbol, cut to
    /// a token budget.
    ///
    /// The target's source comes first, always (cut to the lines that fit
    /// when the budget is smaller than it). Then the symbols around it in
    /// the graph, ranked by personalized PageRank from the target: its type
    /// or container, members, the traits it implements, what it calls and
    /// what calls it, the types it uses, then symbols two edges away; each
    /// as its doc comment and signature (short types whole), grouped by how
    /// they relate. Markdown by default; --json gives the same items with
    /// ranks and token counts. The budget counts the Markdown.
    ///
    ///   weft context crate::db::Store::open
    ///   weft context src/api.rs:42:8 --budget 2000
    ///   weft --dump repo.txt context parse_header --json
    #[command(verbatim_doc_comment)]
    Context {
        target: String,
        /// At most this many tokens.
        #[arg(long, default_value_t = 8000)]
        budget: usize,
        /// How tokens are counted.
        #[arg(long, value_enum, default_value_t = Tokenizer::O200k)]
        tokenizer: Tokenizer,
    },
    /// A map of the repository for a language model: its most central
    /// symbols (PageRank over references) with their signatures, file by
    /// file, within a token budget.
    ///
    ///   weft map --budget 1000
    ///   weft map --json
    #[command(verbatim_doc_comment)]
    Map {
        /// At most this many tokens.
        #[arg(long, default_value_t = 2000)]
        budget: usize,
        /// How tokens are counted.
        #[arg(long, value_enum, default_value_t = Tokenizer::O200k)]
        tokenizer: Tokenizer,
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
    /// Answer an API request from the snapshot's tables alone, as a
    /// replica would (the edge Worker runs the same queries over D1):
    /// `weft snapshot query '/v1/refs?target=crate::db::Store'`. Prints
    /// the response body; exit 1 with the JSON error on a 4xx/5xx.
    Query {
        /// The request path and query string, as sent to `weft serve`.
        request: String,
    },
    /// Write the snapshot as SQL for Cloudflare D1: `wrangler d1 execute DB --file OUT.sql`.
    ///
    /// With --since, only what changed after that revision: the batch that
    /// brings a replica at that revision up to this one (it refuses to run
    /// on a replica at any other revision). A replica's /healthz tells its
    /// revision; docs/EDGE.md shows the sync loop.
    Export {
        /// The SQL file to write.
        #[arg(long, value_name = "OUT.sql")]
        d1: PathBuf,
        /// Only the rows changed after this revision.
        #[arg(long, value_name = "REVISION")]
        since: Option<i64>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Level {
    File,
    Module,
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
    /// The dump the files came from (`--dump`), else the directory `root`.
    pub dump: Option<std::sync::Arc<Dump>>,
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

fn load(root: PathBuf, walk: &WalkOptions, progress: bool) -> Result<Loaded> {
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

fn load_snapshot(
    root: PathBuf,
    cli: &Cli,
    walk: WalkOptions,
    db: PathBuf,
    progress: bool,
) -> Result<Loaded> {
    let t0 = Instant::now();
    let bar = spinner(progress);
    let writer = matches!(cli.command, Command::Index { .. } | Command::Serve { .. });
    let mut opts = SnapshotOptions {
        db,
        lock_timeout: std::time::Duration::from_secs_f64(cli.lock_timeout.max(0.0)),
        walk,
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
    if !writer
        && let Err(e) = &r
        && let Some(e @ StoreError::Outdated { .. }) = e.downcast_ref::<StoreError>()
    {
        eprintln!("note: {e}; indexing in memory meanwhile");
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

fn snapshot_path(root: &Path, cli: &Cli) -> PathBuf {
    let file = match cli.dump.as_deref().and_then(Path::file_name) {
        Some(dump) => format!("{}.db", dump.to_string_lossy()),
        None => DEFAULT_FILE.to_string(),
    };
    cli.db
        .clone()
        .unwrap_or_else(|| root.join(DEFAULT_DIR).join(file))
}

/// `weft snapshot ...`: the file as it is, opened read-only.
fn snapshot_command(cli: &Cli, sub: &SnapshotCommand) -> Result<ExitCode> {
    let db = match (&cli.db, &cli.dump) {
        (Some(p), _) => p.clone(),
        (None, Some(dump)) => snapshot_path(&dump_root(dump), cli),
        (None, None) => {
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
        SnapshotCommand::Query { request } => {
            let (route, params) = split_request(request)?;
            match weft_db::read::now(weft_db::read::answer(&store, &route, &params)) {
                Ok((_, body)) => {
                    out.write_all(&body)?;
                    writeln!(out)?;
                }
                Err(e) => {
                    out.write_all(&e.body())?;
                    writeln!(out)?;
                    out.flush()?;
                    return Ok(ExitCode::from(1));
                }
            }
        }
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
        SnapshotCommand::Export { d1, since } => {
            let f =
                std::fs::File::create(d1).with_context(|| format!("creating {}", d1.display()))?;
            let mut w = BufWriter::new(f);
            let r = match since {
                Some(r) => store.export_sql_since(&mut w, *r, D1_MAX_STATEMENT)?,
                None => store.export_sql(&mut w, D1_MAX_STATEMENT)?,
            };
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

/// `/v1/ROUTE?k=v&...` (or `ROUTE?...`) into the route and its decoded
/// parameters.
fn split_request(request: &str) -> Result<(String, Vec<(String, String)>)> {
    let rest = request.trim_start_matches('/');
    let rest = rest.strip_prefix("v1/").unwrap_or(rest);
    let (route, query) = rest.split_once('?').unwrap_or((rest, ""));
    let decode = |s: &str| -> Result<String> {
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let hex = b
                        .get(i + 1..i + 3)
                        .and_then(|h| std::str::from_utf8(h).ok());
                    let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
                    let Some(byte) = byte else {
                        bail!("bad percent escape in `{s}`")
                    };
                    out.push(byte);
                    i += 2;
                }
                c => out.push(c),
            }
            i += 1;
        }
        String::from_utf8(out).with_context(|| format!("`{s}` is not UTF-8 once decoded"))
    };
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Ok((decode(k)?, decode(v)?))
        })
        .collect::<Result<_>>()?;
    Ok((route.to_string(), params))
}

/// D1 refuses statements over 100,000 bytes; stay clear of it.
const D1_MAX_STATEMENT: usize = 90_000;

fn loc(file: &str, span: Span) -> String {
    format!("{file}:{}:{}", span.start.line + 1, span.start.col + 1)
}

/// The directory a dump's snapshot lives in: the dump's own.
fn dump_root(dump: &Path) -> PathBuf {
    match dump.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    if cli.dump.is_some()
        && matches!(
            cli.command,
            Command::Diff { .. }
                | Command::Conflicts { .. }
                | Command::Serve { .. }
                | Command::Index { path: Some(_), .. }
        )
    {
        bail!(
            "--dump works with `weft index` (without a path) and the questions; `diff`, `conflicts` and `serve` read a directory"
        );
    }
    if let Command::Snapshot(sub) = &cli.command {
        return snapshot_command(&cli, sub);
    }
    let here = || -> Result<PathBuf> {
        Ok(match &cli.root {
            Some(r) => r.clone(),
            None => std::env::current_dir()?,
        })
    };
    match &cli.command {
        Command::Diff {
            from,
            to,
            depth,
            limit,
        } => {
            let to = to.as_deref().filter(|t| *t != ".");
            crate::change_cli::diff(
                &here()?,
                from.as_deref(),
                to,
                *depth,
                *limit,
                cli.max_file_size,
                cli.json,
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Conflicts { a, b, base, depth } => {
            crate::change_cli::conflicts(
                &here()?,
                a,
                b,
                base.as_deref(),
                *depth,
                cli.max_file_size,
                cli.json,
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
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
    let mut walk = WalkOptions::new(cli.max_file_size);
    if let Some(dump) = &cli.dump {
        let dump = Dump::read(dump)?;
        if matches!(cli.command, Command::Index { .. }) {
            for w in &dump.warnings {
                eprintln!("warning: {}: {w}", dump.path.display());
            }
        }
        walk.dump = Some(std::sync::Arc::new(dump));
    }
    let found = match (&cli.command, &cli.root, &cli.db) {
        _ if cli.dump.is_some() => None,
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
        _ => match (&found, &cli.dump) {
            (_, Some(dump)) => dump_root(dump),
            (Some((root, _)), _) => root.clone(),
            (None, _) => find_root(cli.root.as_deref())?,
        },
    };
    let progress = matches!(cli.command, Command::Index { .. } | Command::Serve { .. });
    let db = snapshot_path(&root, &cli);
    // dense search: its config sits beside the snapshot
    let weft_dir = db
        .parent()
        .map_or_else(|| root.join(DEFAULT_DIR), Path::to_path_buf);
    let dense = match &cli.command {
        Command::Index { embed, .. } => dense_cli::index_config(&weft_dir, embed)?,
        Command::Query(Query::Search { .. }) => {
            match weft_dense::config::DenseConfig::find(&weft_dir)? {
                Some(c) => match weft_dense::config::missing_features(&c) {
                    Some(why) => {
                        eprintln!(
                            "note: this repository has vectors, but {why}: lexical search only"
                        );
                        None
                    }
                    None => Some(c),
                },
                None => None,
            }
        }
        _ => None,
    };
    let use_snapshot = match cli.command {
        Command::Index { .. } | Command::Serve { .. } => !cli.no_write,
        _ => db.is_file(),
    };
    let mut l = if use_snapshot {
        load_snapshot(root, &cli, walk, db, progress)?
    } else {
        if !matches!(cli.command, Command::Index { .. }) && !cli.no_write {
            eprintln!(
                "note: no snapshot at {}: indexing in memory (`weft index` saves one)",
                db.display()
            );
        }
        load(root, &walk, progress)?
    };
    if let Command::Index { scip, .. } = &cli.command
        && !scip.is_empty()
    {
        import_scip(&mut l, scip)?;
    }
    if let (Command::Index { .. }, Some(config)) = (&cli.command, &dense) {
        if cli.no_write {
            eprintln!("note: --no-write: the vectors were not updated");
        } else {
            let ctx = l.context();
            l.host
                .analysis()
                .with_db(|db| {
                    dense_cli::refresh(db, &|p| ctx.read_source(p), &weft_dir, config, true)
                })
                .map_err(|_| anyhow::anyhow!("indexing was cancelled"))??;
        }
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
    if matches!(cli.command, Command::Map { .. }) && l.snapshot.is_some() {
        // A map resolves every file; from a snapshot that is not done yet,
        // and all cores do it faster than the map's one thread.
        analysis
            .warm_up(&|_| {})
            .map_err(|_| anyhow::anyhow!("query cancelled"))?;
    }
    let json = cli.json;
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    let mut ctx = l.context();
    ctx.dense = dense.as_ref().map(|c| (weft_dir.as_path(), c));
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

fn record_text(r: &SymbolRecord) -> String {
    format!("{} {}  {}", r.kind, r.qualified_name, loc(&r.file, r.span))
}

fn node_text(n: &NodeJson) -> String {
    match n {
        NodeJson::Symbol(r) => record_text(r),
        NodeJson::File { file } => format!("file {file}"),
    }
}

/// A read answer as text, for people.
fn print_text(a: &Answered, out: &mut impl Write) -> Result<()> {
    match a {
        Answered::Symbols(hits) => {
            for r in hits {
                writeln!(
                    out,
                    "{:<11} {:<50} {}",
                    r.kind.as_str(),
                    r.qualified_name,
                    loc(&r.file, r.span)
                )?;
            }
        }
        Answered::Search(hits) => {
            for h in hits {
                let r = &h.symbol;
                writeln!(
                    out,
                    "{:>8.3}  {:<11} {:<50} {}",
                    h.score,
                    r.kind.as_str(),
                    r.qualified_name,
                    loc(&r.file, r.span)
                )?;
                if !r.signature.is_empty() {
                    writeln!(out, "{:10}{}", "", r.signature)?;
                }
            }
        }
        Answered::Definition(d) => match (&d.definition, &d.module, &d.module_file) {
            (Some(r), _, _) => {
                writeln!(
                    out,
                    "{}  {} {}  [{}]",
                    loc(&r.file, r.span),
                    r.kind,
                    r.qualified_name,
                    d.resolution
                )?;
                if !r.signature.is_empty() {
                    writeln!(out, "  {}", r.signature)?;
                }
            }
            (_, Some(m), _) => writeln!(out, "`{}` is external (module `{m}`)", d.name)?,
            (_, _, Some(f)) => writeln!(out, "{f}:1:1  module {}  [{}]", d.name, d.resolution)?,
            _ => writeln!(out, "`{}` is unresolved", d.name)?,
        },
        Answered::References(r) => {
            writeln!(
                out,
                "{} references to {}",
                r.references.len(),
                api::describe(&r.target)
            )?;
            for h in &r.references {
                writeln!(
                    out,
                    "  {:<8} {}{}",
                    h.role.as_str(),
                    loc(&h.file, h.span),
                    if h.resolution == weft_db::Resolution::Heuristic {
                        "  [heuristic]"
                    } else {
                        ""
                    }
                )?;
            }
        }
        Answered::Walked(w) => {
            writeln!(out, "{} of {}:", w.label, node_text(&w.target))?;
            if w.reached.is_empty() {
                writeln!(out, "  (none)")?;
            }
            for r in &w.reached {
                let mark = if r.resolution == "heuristic" {
                    "  [heuristic]"
                } else {
                    ""
                };
                writeln!(out, "  [{}] {}{mark}", r.distance, node_text(&r.node))?;
                if r.distance > 1 {
                    let names: Vec<&str> = r
                        .path
                        .iter()
                        .map(|p| match p {
                            NodeJson::Symbol(s) => s.name.as_str(),
                            NodeJson::File { file } => file.as_str(),
                        })
                        .collect();
                    writeln!(out, "      via {}", names.join(" <- "))?;
                }
            }
        }
        Answered::Callees(c) => {
            writeln!(out, "callees of {}:", api::describe(&c.target))?;
            for x in &c.callees {
                let what = match (&x.target, &x.module) {
                    (Some(r), _) => record_text(r),
                    (None, Some(m)) => format!("{} (external: {m})", x.name),
                    (None, None) if x.resolution == weft_db::Resolution::Unresolved => {
                        format!("{} (unresolved)", x.name)
                    }
                    (None, None) => format!("{} (a module)", x.name),
                };
                writeln!(
                    out,
                    "  line {:<5} {what}  [{}]",
                    x.at.start.line + 1,
                    x.resolution
                )?;
            }
        }
        Answered::Impls(i) => {
            writeln!(out, "{}", api::describe(&i.target))?;
            writeln!(out, "implemented/extended by:")?;
            for r in &i.implementors {
                writeln!(out, "  {}", record_text(r))?;
            }
            writeln!(out, "implements/extends:")?;
            for x in &i.implements {
                match &x.target {
                    Some(r) => writeln!(out, "  {}", record_text(r))?,
                    None => writeln!(out, "  {} ({})", x.name, x.resolution)?,
                }
            }
        }
        Answered::Deps(d) => {
            writeln!(out, "{}", d.file)?;
            writeln!(out, "imports ({}):", d.imports.len())?;
            for i in &d.imports {
                writeln!(out, "  {i}")?;
            }
            if !d.external.is_empty() {
                writeln!(out, "external: {}", d.external.join(", "))?;
            }
            if !d.unresolved.is_empty() {
                writeln!(out, "unresolved: {}", d.unresolved.join(", "))?;
            }
            writeln!(out, "imported by ({}):", d.imported_by.len())?;
            for i in &d.imported_by {
                writeln!(out, "  {i}")?;
            }
        }
        Answered::Outline(defs) => {
            let mut depth: std::collections::HashMap<weft_db::SymbolId, usize> =
                std::collections::HashMap::new();
            for d in defs {
                let n = d.container.and_then(|c| depth.get(&c)).map_or(0, |n| n + 1);
                depth.insert(d.id, n);
                writeln!(
                    out,
                    "{:>5}  {}{} {}{}",
                    d.span.start.line + 1,
                    "  ".repeat(n),
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
        Answered::Stats(s) => writeln!(out, "{}", serde_json::to_string_pretty(s)?)?,
    }
    Ok(())
}

/// A command of the HTTP API that a replica does not answer (path,
/// cycles, export), parsed by the same clap definitions as the command
/// line, so both validate alike.
#[derive(Parser)]
#[command(name = "weft", no_binary_name = true, disable_help_subcommand = true)]
struct ApiCall {
    #[command(subcommand)]
    command: Command,
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
    api::ROUTES
        .iter()
        .filter_map(|route| {
            let sub = cmd.find_subcommand(route.name)?;
            let mut pos = route.positional.iter();
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
                route.name,
                sub.get_about().map(|s| s.to_string()).unwrap_or_default(),
                params,
            ))
        })
        .collect()
}

/// Answer `route` with `params`: the answer's JSON documents (one per line
/// for the listing routes). The read routes a replica also answers go
/// through the shared definitions (`weft_db::api`) and answer types; the
/// others run the CLI's own command with `--json`.
pub(crate) fn api_answer(
    db: &RootDatabase,
    ctx: &CmdContext,
    route: &str,
    params: &[(String, String)],
) -> Result<Vec<u8>, ApiError> {
    let bad = |e: anyhow::Error| ApiError::BadRequest(format!("{e:#}"));
    match api::parse(route, params) {
        Ok(q) => {
            let a = answers::answer(db, ctx.root, q).map_err(bad)?;
            Ok(a.docs().join(&b'\n'))
        }
        Err(ApiError::NotServed(_)) => {
            let argv = api::argv(route, params)?;
            thread_local! {
                static API: std::cell::RefCell<clap::Command> =
                    std::cell::RefCell::new(<ApiCall as clap::CommandFactory>::command());
            }
            let matches = API.with_borrow_mut(|cmd| cmd.try_get_matches_from_mut(&argv));
            let call = matches
                .and_then(|m| <ApiCall as clap::FromArgMatches>::from_arg_matches(&m))
                .map_err(|e| ApiError::BadRequest(api::clap_message(&e)))?;
            let mut out = Vec::new();
            command(db, ctx, call.command, true, &mut out).map_err(bad)?;
            Ok(out)
        }
        Err(e) => Err(e),
    }
}

/// A context pack or map: as JSON naming the tokenizer its budget was
/// counted with (`json` is `Some`), else as the text that was counted.
fn print_budgeted(
    out: &mut impl Write,
    json: Option<Tokenizer>,
    value: &impl serde::Serialize,
    text: impl FnOnce() -> String,
) -> Result<()> {
    match json {
        Some(t) => {
            let mut v = serde_json::to_value(value)?;
            v["tokenizer"] = t.name().into();
            writeln!(out, "{v}")?;
        }
        None => write!(out, "{}", text())?,
    }
    Ok(())
}

/// What a command may report besides the graph: where it came from.
pub(crate) struct CmdContext<'a> {
    pub root: &'a Path,
    pub report: &'a WalkReport,
    pub elapsed: std::time::Duration,
    pub snapshot: Option<(&'a Store, &'a RefreshReport)>,
    pub imports: &'a [ImportReport],
    pub dump: Option<&'a Dump>,
    /// The snapshot's folder and its dense search config, when `weft
    /// search` fuses vectors.
    pub dense: Option<(&'a Path, &'a weft_dense::config::DenseConfig)>,
}

impl CmdContext<'_> {
    /// Where the files come from, for messages: the dump or the root.
    fn origin(&self) -> std::path::Display<'_> {
        self.dump.map_or(self.root, |d| d.path.as_path()).display()
    }

    /// The current text of an indexed file, from the dump or the disk (a
    /// host loaded from a snapshot holds facts, not text).
    pub fn read_source(&self, rel: &str) -> Option<std::sync::Arc<str>> {
        let bytes = match self.dump {
            Some(d) => d.get(rel)?.to_vec(),
            None => std::fs::read(self.root.join(rel)).ok()?,
        };
        Some(String::from_utf8_lossy(&bytes).into())
    }
}

impl Loaded {
    fn context(&self) -> CmdContext<'_> {
        CmdContext {
            root: &self.root,
            report: &self.report,
            elapsed: self.elapsed,
            snapshot: self.snapshot.as_ref().map(|(s, r)| (s, r)),
            imports: &self.imports,
            dump: self.dump.as_deref(),
            dense: None,
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
        Command::Snapshot(_)
        | Command::Serve { .. }
        | Command::Diff { .. }
        | Command::Conflicts { .. } => {
            unreachable!("handled before loading")
        }
        Command::Index { .. } | Command::Query(Query::Stats) => {
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
                    json!({"root": l.origin().to_string(), "walk": r, "stats": s, "seconds": l.elapsed.as_secs_f64(), "snapshot": refresh, "scip": l.imports})
                )?;
            } else {
                writeln!(
                    out,
                    "indexed {} in {:.2}s: {} files, {:.1} MB",
                    l.origin(),
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
        Command::Query(q) => {
            let searched = match &q {
                Query::Symbols { query, .. } | Query::Search { query, .. } => Some(query.clone()),
                _ => None,
            };
            let a = match q {
                Query::Search {
                    query,
                    kind,
                    lang,
                    path,
                    limit,
                } => {
                    // fusion takes more candidates than it shows
                    let asked = match l.dense {
                        Some(_) => limit.max(dense_cli::CANDIDATES),
                        None => limit,
                    };
                    // a snapshot this command brought up to date answers
                    // from its search table: no index to build first
                    let lexical = match l.snapshot {
                        Some((store, _)) if !store.is_read_only() => answers::search_snapshot(
                            store,
                            &query,
                            &kind,
                            &lang,
                            path.as_deref(),
                            asked,
                        )?,
                        _ => answers::search_engine(
                            db,
                            &query,
                            kind.clone(),
                            lang.clone(),
                            path.clone(),
                            asked,
                        )?,
                    };
                    Answered::Search(match l.dense {
                        Some((dir, config)) => dense_cli::hybrid(
                            db,
                            dir,
                            config,
                            &query,
                            &kind,
                            &lang,
                            path.as_deref(),
                            limit,
                            lexical,
                        )?,
                        None => lexical,
                    })
                }
                q => answers::answer(db, root, q)?,
            };
            if json {
                for d in a.docs() {
                    out.write_all(&d)?;
                    out.write_all(b"\n")?;
                }
            } else {
                print_text(&a, out)?;
            }
            if !a.found() {
                if let Some(query) = searched {
                    eprintln!("no symbol matches `{query}`");
                }
                return Ok(ExitCode::from(1));
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
        Command::Context {
            target,
            budget,
            tokenizer,
        } => {
            let Node::Symbol(loc) = target_or_fail(db, root, &target)? else {
                bail!(
                    "`{target}` is a file; context is for a symbol: name one of its definitions, or see `weft map`"
                );
            };
            let count = tokenizer.counter();
            let pack = context::pack(db, loc, budget, &*count, &|p| l.read_source(p));
            print_budgeted(out, json.then_some(tokenizer), &pack, || pack.markdown())?;
        }
        Command::Map { budget, tokenizer } => {
            let count = tokenizer.counter();
            let map = context::map(db, budget, &*count);
            print_budgeted(out, json.then_some(tokenizer), &map, || map.text())?;
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
                    let resolution = weft_db::api::answer::Reached::resolution(guess);
                    if json {
                        let nodes: Vec<NodeJson> =
                            p.iter().map(|&n| answers::node_json(db, n)).collect();
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
                                node_text(&answers::node_json(db, n))
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
    weft_db::read::now(weft_db::read::stats(store)).map_err(|e| anyhow::anyhow!("{}", e.message()))
}
