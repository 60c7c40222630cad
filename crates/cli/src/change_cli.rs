//! `weft diff` and `weft conflicts` on the command line: text for people,
//! `--json` for tools (one document for diff; one JSON object per line, as
//! each tier completes, for conflicts).

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use weft_ide::changes::{self, DiffReport, Event};
use weft_load::history::versions::Versions;
use weft_queries::change::conflicts::Prediction;
use weft_queries::change::{ChangeKind, SymbolChange};

pub fn diff(
    root: &Path,
    from: Option<&str>,
    to: Option<&str>,
    depth: u32,
    limit: usize,
    max_file_size: u64,
    json: bool,
) -> Result<()> {
    let mut v = Versions::open(root, max_file_size)?;
    let a = v.side(Some(from.unwrap_or("HEAD")))?;
    let b = v.side(to)?;
    let report = changes::diff(&mut v, &a, &b, depth, limit)?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        print_diff(&mut out, &report)?;
    }
    Ok(())
}

fn print_diff(out: &mut impl Write, r: &DiffReport) -> Result<()> {
    writeln!(
        out,
        "{} -> {}: {} file{} changed, {} symbol change{}",
        r.from,
        r.to,
        r.files,
        plural(r.files),
        r.changes.len(),
        plural(r.changes.len())
    )?;
    let mut last = "";
    for c in &r.changes {
        let v = c.current();
        if v.path != last {
            writeln!(out, "\n{}", v.path)?;
            last = &v.path;
        }
        writeln!(out, "  {}", describe(c))?;
    }
    if r.depth > 0 {
        writeln!(
            out,
            "\nimpact (depth <= {}): {} dependent{}",
            r.depth,
            r.impact.len(),
            plural(r.impact.len())
        )?;
        for i in &r.impact {
            let name = if i.name.is_empty() {
                "(module code)"
            } else {
                &i.name
            };
            let via: Vec<&str> = i.via.iter().skip(1).map(|s| s.name.as_str()).collect();
            writeln!(
                out,
                "  {}  {}:{}  {}  <- {}{}",
                i.distance,
                i.path,
                i.line + 1,
                name,
                via.join(" <- "),
                if i.guess { "  (guess)" } else { "" }
            )?;
        }
    }
    Ok(())
}

/// `~ body      fn parse  (line 12)`
fn describe(c: &SymbolChange) -> String {
    let v = c.current();
    let mark = match c.change {
        ChangeKind::Added => '+',
        ChangeKind::Removed => '-',
        _ => '~',
    };
    let what = match (c.change, &c.old) {
        (ChangeKind::Renamed, Some(o)) if o.path != v.path => {
            format!("{} (was {} in {})", v.name, o.name, o.path)
        }
        (ChangeKind::Renamed, Some(o)) => format!("{} (was {})", v.name, o.name),
        _ => v.name.clone(),
    };
    format!(
        "{mark} {:<10} {} {}  line {}",
        c.change.as_str(),
        c.kind.as_str(),
        what,
        v.span.start.line + 1
    )
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
    let mut v = Versions::open(root, max_file_size)?;
    let (sa, sb) = (v.side(Some(a))?, v.side(Some(b))?);
    let base = match base {
        Some(r) => v.side(Some(r))?,
        None => v.merge_base(&sa, &sb)?,
    };
    let mut out = std::io::stdout().lock();
    let mut failed = None;
    changes::conflicts(&mut v, &base, &sa, &sb, depth, &mut |e| {
        let r = if json {
            serde_json::to_writer(&mut out, &e)
                .map_err(anyhow::Error::from)
                .and_then(|_| writeln!(out).map_err(Into::into))
        } else {
            print_event(&mut out, &e)
        };
        let _ = out.flush();
        if let Err(e) = r {
            failed.get_or_insert(e);
        }
    })?;
    failed.map_or(Ok(()), Err)
}

fn print_event(out: &mut impl Write, e: &Event) -> Result<()> {
    match e {
        Event::Start {
            base,
            a,
            b,
            a_files,
            b_files,
            a_changes,
            b_changes,
        } => writeln!(
            out,
            "base {base}\n  A {a}: {a_files} files, {a_changes} symbol changes\n  B {b}: {b_files} files, {b_changes} symbol changes"
        )?,
        Event::Tier {
            tier,
            millis,
            predictions,
        } => {
            writeln!(
                out,
                "\n{} ({} prediction{}, {millis} ms)",
                match tier.as_str() {
                    "direct" => "tier 1, direct: the same symbol changed on both sides",
                    "semantic" =>
                        "tier 2, semantic: one side changes an interface the other side's new code uses",
                    _ => "tier 3, impact: one side's change depends on the other's",
                },
                predictions.len(),
                plural(predictions.len())
            )?;
            for p in predictions {
                print_prediction(out, p)?;
            }
        }
        Event::Done {
            predictions,
            millis,
            facts,
        } => writeln!(
            out,
            "\n{predictions} prediction{} in {millis} ms ({} files parsed, {} from the snapshot)",
            plural(*predictions),
            facts.parsed,
            facts.from_snapshot
        )?,
    }
    Ok(())
}

fn print_prediction(out: &mut impl Write, p: &Prediction) -> Result<()> {
    let side = |c: &SymbolChange| {
        let v = c.current();
        format!(
            "{}:{}-{} {} ({})",
            v.path,
            v.full_span.start.line + 1,
            v.full_span.end.line + 1,
            v.name,
            c.change.as_str()
        )
    };
    writeln!(out, "  {}", p.reason)?;
    writeln!(out, "    A: {}", side(&p.a))?;
    writeln!(out, "    B: {}", side(&p.b))?;
    if p.via.len() > 1 {
        let via: Vec<String> = p
            .via
            .iter()
            .map(|s| format!("{} ({}:{})", s.name, s.path, s.line + 1))
            .collect();
        writeln!(out, "    via {}", via.join(" -> "))?;
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
