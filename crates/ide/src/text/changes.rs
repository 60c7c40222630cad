//! `weft diff` and `weft conflicts` as text.

use std::io::Write;

use anyhow::Result;
use weft_queries::change::conflicts::Prediction;
use weft_queries::change::{ChangeKind, SymbolChange};

use crate::changes::{DiffReport, Event};

pub fn diff(out: &mut impl Write, r: &DiffReport) -> Result<()> {
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

pub fn conflict_event(out: &mut impl Write, e: &Event) -> Result<()> {
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
                prediction(out, p)?;
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

fn prediction(out: &mut impl Write, p: &Prediction) -> Result<()> {
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
