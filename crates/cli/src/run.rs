//! `weft`'s commands: open the repository, then hand the question to the
//! shared API (`weft_ide`) and print its answer.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde_json::json;
use weft_db::api::Query;
use weft_db::store::Store;
use weft_dense::config::DenseConfig;
use weft_ide::{Analysis, Env, dense};
use weft_load::Loaded;
use weft_load::dump::Dump;
use weft_load::snapshot::{DEFAULT_DIR, find_snapshot};
use weft_load::walk::WalkOptions;
use weft_queries::export;

use crate::args::{Cli, Command};
use crate::open::{dump_root, find_root, import_scip, load, load_snapshot, snapshot_path};
use crate::query_cmd::QueryCmd;
use weft_ide::text::{write as print_text, write_json as print_json};

pub fn main() -> ExitCode {
    let cli = Cli::parse_with_languages();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("WEFT_LOG"))
        .with_writer(std::io::stderr)
        .init();
    if let Some(n) = cli.threads {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.into())
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

fn run(cli: Cli) -> Result<ExitCode> {
    if cli.dump.is_some()
        && matches!(
            cli.command,
            Command::Diff { .. }
                | Command::Conflicts { .. }
                | Command::Serve { .. }
                | Command::Mcp { .. }
                | Command::Lsp { .. }
                | Command::Index { path: Some(_), .. }
        )
    {
        bail!(
            "--dump works with `weft index` (without a path) and the questions; `diff`, `conflicts`, `serve`, `mcp` and `lsp` read a directory"
        );
    }
    if let Command::Snapshot(sub) = &cli.command {
        return crate::snapshot_cmd::snapshot_command(&cli, sub);
    }
    if let Command::Daemon(sub) = &cli.command {
        let root = match find_snapshot(&std::env::current_dir()?) {
            Some((root, _)) if cli.root.is_none() => root,
            _ => find_root(cli.root.as_deref())?,
        };
        return crate::daemon_cli::command(&root, sub, cli.json);
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
            let token = weft_server::token(token_file.as_deref())?;
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
        (
            Command::Index { path: Some(_), .. }
            | Command::Serve { path: Some(_), .. }
            | Command::Mcp { path: Some(_), .. }
            | Command::Lsp { path: Some(_), .. },
            _,
            _,
        )
        | (_, Some(_), _)
        | (_, _, Some(_)) => None,
        _ => find_snapshot(&std::env::current_dir()?),
    };
    let root = match &cli.command {
        Command::Index { path: Some(p), .. }
        | Command::Serve { path: Some(p), .. }
        | Command::Mcp { path: Some(p), .. }
        | Command::Lsp { path: Some(p), .. } => {
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
    let use_daemon = !cli.no_daemon
        && std::env::var_os("WEFT_NO_DAEMON").is_none_or(|v| v.is_empty() || v == "0");
    if let Command::Mcp {
        all_tools,
        print_config,
        debounce_ms,
        idle_exit,
        ..
    } = &cli.command
    {
        if let Some(client) = print_config {
            print!("{}", crate::live_cli::config(*client, &root)?);
            return Ok(ExitCode::SUCCESS);
        }
        if use_daemon {
            crate::live_cli::through_daemon(&cli, &root, *all_tools, *debounce_ms, *idle_exit)?;
            return Ok(ExitCode::SUCCESS);
        }
    }
    if use_daemon
        && cli.dump.is_none()
        && cli.db.is_none()
        && let Command::Query(q) = &cli.command
        && let Some(code) = crate::daemon_cli::ask(&root, q, cli.json)?
    {
        return Ok(code);
    }
    if use_daemon
        && cli.dump.is_none()
        && cli.db.is_none()
        && !cli.no_write
        && let Command::Index { scip, embed, .. } = &cli.command
        && let Some(code) =
            crate::daemon_cli::index(&root, !scip.is_empty() || embed.embed.is_some(), cli.json)?
    {
        return Ok(code);
    }
    // `weft serve` claims the repository before loading it, so a second
    // one (or a `weft mcp` starting one) learns early that it is taken.
    let claim = match &cli.command {
        Command::Serve { no_http: true, .. } => Some(weft_server::daemon::claim(&root, None)?),
        // with TCP it serves either way; being the repository's daemon is a bonus
        Command::Serve { addr, .. } => {
            match weft_server::daemon::claim(&root, Some(addr.to_string())) {
                Ok(c) => Some(c),
                Err(e) => {
                    eprintln!(
                        "weft serve: not this repository's daemon ({e:#}); serving on {addr} only"
                    );
                    None
                }
            }
        }
        _ => None,
    };
    let progress = matches!(cli.command, Command::Index { .. } | Command::Serve { .. });
    let db = snapshot_path(&root, &cli);
    // dense search: its config sits beside the snapshot
    let weft_dir = db
        .parent()
        .map_or_else(|| root.join(DEFAULT_DIR), Path::to_path_buf);
    let dense = match &cli.command {
        Command::Index { embed, .. } => dense::index_config(&weft_dir, &embed.options())?,
        Command::Query(QueryCmd {
            query: Query::Search { .. },
            ..
        }) => {
            let (config, unusable) = dense::search_config(&weft_dir)?;
            if let Some(why) = unusable {
                eprintln!("note: this repository has vectors, but {why}: lexical search only");
            }
            config
        }
        _ => None,
    };
    let use_snapshot = match cli.command {
        Command::Index { .. } | Command::Serve { .. } => !cli.no_write,
        _ => db.is_file(),
    };
    let mut l = if use_snapshot {
        // a `weft serve` that could not claim the repository reads the
        // snapshot its daemon holds
        let beside_daemon = matches!(cli.command, Command::Serve { .. }) && claim.is_none();
        load_snapshot(root, &cli, walk, db, progress, beside_daemon)?
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
            embed(&l, &weft_dir, config)?;
        }
    }
    if let Command::Lsp { debounce_ms, .. } = cli.command {
        return crate::live_cli::lsp(l, cli.max_file_size, debounce_ms).map(|()| ExitCode::SUCCESS);
    }
    if let Command::Mcp {
        all_tools,
        debounce_ms,
        ..
    } = cli.command
    {
        return crate::live_cli::in_process(l, cli.max_file_size, all_tools, debounce_ms)
            .map(|()| ExitCode::SUCCESS);
    }
    if let Command::Serve {
        addr,
        no_http,
        debounce_ms,
        deadline,
        header_timeout,
        write_timeout,
        max_connections,
        idle_exit,
        ..
    } = cli.command
    {
        // before this function takes a database handle: a change waits for every one
        return weft_server::run(weft_server::Options {
            loaded: l,
            addr: (!no_http).then_some(addr),
            claim,
            token,
            debounce: std::time::Duration::from_millis(debounce_ms),
            deadline,
            max_file_size: cli.max_file_size,
            limits: weft_server::Limits {
                header_timeout,
                write_stall: write_timeout,
                max_connections: max_connections
                    .map_or_else(weft_server::default_max_connections, |n| n as usize),
                ..weft_server::Limits::default()
            },
            idle_exit,
        })
        .map(|()| ExitCode::SUCCESS);
    }
    let analysis = l.host.analysis();
    if matches!(
        &cli.command,
        Command::Query(QueryCmd {
            query: Query::Map { .. },
            ..
        })
    ) && l.snapshot.is_some()
    {
        // A map resolves every file; from a snapshot that is not done yet,
        // and all cores do it faster than the map's one thread.
        analysis
            .warm_up(&|_| {})
            .map_err(|_| anyhow::anyhow!("query cancelled"))?;
    }
    let json = cli.json;
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    let env = Env {
        dump: l.dump.as_deref(),
        // a snapshot this command brought up to date answers word search
        // from its table
        search_table: l
            .snapshot
            .as_ref()
            .map(|(s, _)| s)
            .filter(|s| !s.is_read_only()),
        dense: dense.as_ref().map(|c| (weft_dir.as_path(), c)),
        ..Env::new(&l.root)
    };
    let result = analysis.with_db(|db| -> Result<ExitCode> {
        command(&Analysis::new(db, &env), &l, cli.command, json, &mut out)
    });
    let code = result.map_err(|_| anyhow::anyhow!("query cancelled"))??;
    out.flush()?;
    Ok(code)
}

/// `weft index --embed`: bring the vectors in line with the graph.
fn embed(l: &Loaded, weft_dir: &Path, config: &DenseConfig) -> Result<()> {
    let env = Env {
        dump: l.dump.as_deref(),
        ..Env::new(&l.root)
    };
    let t = Instant::now();
    let bar = std::io::IsTerminal::is_terminal(&std::io::stderr()).then(|| {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} embedding {pos}/{len} symbols {wide_bar} {per_sec} {eta}",
            )
            .unwrap(),
        );
        b
    });
    let mut progress = |done: usize, total: usize| {
        if let Some(b) = &bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    };
    let (report, store) = l
        .host
        .analysis()
        .with_db(|db| dense::refresh(db, &|p| env.read_source(p), weft_dir, config, &mut progress))
        .map_err(|_| anyhow::anyhow!("indexing was cancelled"))??;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    eprintln!(
        "vectors: {} embedded, {} unchanged, {} removed in {:.1}s ({store})",
        report.embedded,
        report.kept,
        report.removed,
        t.elapsed().as_secs_f64(),
    );
    Ok(())
}

fn command(
    ide: &Analysis,
    l: &Loaded,
    cmd: Command,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let origin = l
        .dump
        .as_deref()
        .map_or(l.root.as_path(), |d| d.path.as_path())
        .display();
    match cmd {
        Command::Snapshot(_)
        | Command::Daemon(_)
        | Command::Serve { .. }
        | Command::Mcp { .. }
        | Command::Lsp { .. }
        | Command::Diff { .. }
        | Command::Conflicts { .. } => {
            unreachable!("handled before loading")
        }
        Command::Index { .. }
        | Command::Query(QueryCmd {
            query: Query::Stats,
            ..
        }) => {
            let s = match &l.snapshot {
                Some((store, _)) => snapshot_stats(store)?,
                None => ide.stats(),
            };
            let r = &l.report;
            let refresh = l.snapshot.as_ref().map(|(_, r)| r);
            if json {
                writeln!(
                    out,
                    "{}",
                    json!({"root": origin.to_string(), "walk": r, "stats": s, "seconds": l.elapsed.as_secs_f64(), "snapshot": refresh, "scip": l.imports})
                )?;
            } else {
                writeln!(
                    out,
                    "indexed {} in {:.2}s: {} files, {:.1} MB",
                    origin,
                    l.elapsed.as_secs_f64(),
                    r.files,
                    r.bytes as f64 / 1e6
                )?;
                for (lang, n) in &s.files {
                    writeln!(out, "  {lang:<11} {n} files")?;
                }
                for (ext, lang) in &r.shared {
                    writeln!(
                        out,
                        "  .{ext} files are parsed as {lang}: the tree has mostly {lang} sources"
                    )?;
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
                for i in &l.imports {
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
                for (path, upto) in export::over_budget(ide.db) {
                    eprintln!(
                        "warning: {path}: parsing ran over its time budget; its facts cover the first {upto} bytes"
                    );
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
            if r.files == 0 {
                // Debian's kernel tarball ignores `/*` in its .gitignore
                eprintln!(
                    "warning: no source files of {} found under {origin}: a .gitignore there (or above) may ignore them all",
                    weft_queries::languages::all()
                        .all()
                        .iter()
                        .map(|l| l.naming.title)
                        .collect::<Vec<_>>()
                        .join(", ")
                );
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
        Command::Query(QueryCmd {
            query: Query::Export { .. },
            scip: Some(path),
            ..
        }) => {
            let (index, counts) =
                weft_load::scip::export::to_scip(&export::all_rows(ide.db), &l.root);
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
        Command::Query(QueryCmd { query, output, .. }) => {
            let searched = match &query {
                Query::Symbols { query, .. } | Query::Search { query, .. } => Some(query.clone()),
                _ => None,
            };
            let a = ide.answer(query.clone())?;
            match &output {
                Some(p) => {
                    let mut f = BufWriter::new(
                        std::fs::File::create(p)
                            .with_context(|| format!("creating {}", p.display()))?,
                    );
                    print_json(&a, &mut f)?;
                    f.flush()
                        .with_context(|| format!("writing {}", p.display()))?;
                }
                None if json => print_json(&a, out)?,
                None => print_text(&query, &a, out)?,
            }
            if !a.found() {
                if let Some(query) = searched {
                    eprintln!("no symbol matches `{query}`");
                }
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `stats` from the snapshot's per-file counts: a SUM, no resolution.
fn snapshot_stats(store: &Store) -> Result<export::Stats> {
    weft_db::read::now(weft_db::read::stats(store)).map_err(|e| anyhow::anyhow!("{}", e.message()))
}
