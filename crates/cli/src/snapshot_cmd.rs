//! `weft snapshot ...`: the snapshot file as it is, opened read-only.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use serde_json::json;
use weft_db::store::{OpenOptions as StoreOptions, Store};
use weft_load::snapshot::find_snapshot;
use weft_queries::fingerprint::extractor_fingerprint;

use crate::args::{Cli, SnapshotCommand};
use crate::open::{dump_root, snapshot_path};

/// `weft snapshot ...`: the file as it is, opened read-only.
pub fn snapshot_command(cli: &Cli, sub: &SnapshotCommand) -> Result<ExitCode> {
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
            // what the replica would serve must first pass the writer's checks
            if let Err(e) = store.verify(true) {
                let e = weft_db::api::ApiError::Unavailable(format!(
                    "the snapshot failed its integrity check, answers from it would be wrong: {e}; `weft index` rebuilds it"
                ));
                out.write_all(&e.body())?;
                writeln!(out)?;
                out.flush()?;
                return Ok(ExitCode::from(1));
            }
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
            let problems = store.check(&|hash, b| {
                let f = weft_queries::facts::decode_facts(b).map_err(|e| e.to_string())?;
                if !f.stored_under(hash) {
                    return Err("stored under another content's hash".into());
                }
                Ok(Some(f.source_len))
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
            // the replica serves what it is given: give it nothing corrupt
            store.verify(true).map_err(|e| {
                anyhow::anyhow!("{e}; not exported (`weft index` moves it aside and rebuilds)")
            })?;
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
