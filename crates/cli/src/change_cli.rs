//! `weft diff` and `weft conflicts` on the command line: text for people,
//! `--json` for tools (one document for diff; one JSON object per line, as
//! each tier completes, for conflicts).

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use weft_ide::changes;

pub fn diff(
    root: &Path,
    from: Option<&str>,
    to: Option<&str>,
    depth: u32,
    limit: usize,
    max_file_size: u64,
    json: bool,
) -> Result<()> {
    let report = changes::diff_revisions(root, max_file_size, from, to, depth, limit)?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        weft_ide::text::changes::diff(&mut out, &report)?;
    }
    Ok(())
}

pub fn conflicts(
    root: &Path,
    a: &str,
    b: &str,
    base: Option<&str>,
    depth: u32,
    max_file_size: u64,
    json: bool,
) -> Result<()> {
    let merge = changes::Merge::open(root, max_file_size, a, b, base)?;
    let mut out = std::io::stdout().lock();
    let mut failed = None;
    merge.conflicts(depth, &mut |e| {
        let r = if json {
            serde_json::to_writer(&mut out, &e)
                .map_err(anyhow::Error::from)
                .and_then(|_| writeln!(out).map_err(Into::into))
        } else {
            weft_ide::text::changes::conflict_event(&mut out, &e)
        };
        let _ = out.flush();
        if let Err(e) = r {
            failed.get_or_insert(e);
        }
    })?;
    failed.map_or(Ok(()), Err)
}
