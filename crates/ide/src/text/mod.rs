//! Answers as text: one layout per answer, for people at a terminal and
//! for agents (MCP). (`--json` prints [`Answer::docs`], the documents the
//! HTTP API sends.)

pub mod changes;
mod grep;

use std::io::Write;

use crate::Answer;
use anyhow::Result;
use weft_db::api::answer::NodeJson;
use weft_db::api::{self, Query};
use weft_db::{Span, SymbolRecord};

/// An answer as JSON: one document per line.
pub fn write_json(a: &Answer, out: &mut impl Write) -> Result<()> {
    for d in a.docs() {
        out.write_all(&d)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

pub fn loc(file: &str, span: Span) -> String {
    format!("{file}:{}:{}", span.start.line + 1, span.start.col + 1)
}

pub fn record_text(r: &SymbolRecord) -> String {
    format!("{} {}  {}", r.kind, r.qualified_name, loc(&r.file, r.span))
}

pub fn node_text(n: &NodeJson) -> String {
    match n {
        NodeJson::Symbol(r) => record_text(r),
        NodeJson::File { file } => format!("file {file}"),
    }
}

/// A read answer as text.
pub fn write(q: &Query, a: &Answer, out: &mut impl Write) -> Result<()> {
    match a {
        Answer::Symbols(hits) => {
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
        Answer::Search(hits) => {
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
        Answer::Definition(d) => match (&d.definition, &d.module, &d.module_file) {
            _ if d.local.is_some() => {
                let l = d.local.as_ref().expect("checked");
                let of = l
                    .function
                    .as_ref()
                    .map(|f| format!(" of {}", f.qualified_name))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{}  {} {}{of}  [{}]",
                    loc(&l.file, l.span),
                    l.kind,
                    l.name,
                    d.resolution
                )?;
            }
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
        Answer::References(r) => {
            let target = match (&r.target, &r.local) {
                (Some(t), _) => api::describe(t),
                (None, Some(l)) => format!("{} {} ({})", l.kind, l.name, loc(&l.file, l.span)),
                (None, None) => String::new(),
            };
            writeln!(out, "{} references to {target}", r.references.len())?;
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
        Answer::Walked(w) => {
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
        Answer::Callees(c) => {
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
        Answer::Impls(i) => {
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
        Answer::Deps(d) => {
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
        Answer::Outline(defs) => {
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
        Answer::Stats(s) => writeln!(out, "{}", serde_json::to_string_pretty(s)?)?,
        Answer::Path {
            path: Some(p),
            resolution,
        } => {
            if *resolution == "heuristic" {
                writeln!(
                    out,
                    "(some links are heuristic: bound by a unique name only)"
                )?;
            }
            for (i, n) in p.iter().enumerate() {
                writeln!(
                    out,
                    "{}{}",
                    if i == 0 { "   " } else { "-> " },
                    node_text(n)
                )?;
            }
        }
        Answer::Path { path: None, .. } => match q {
            Query::Path {
                from,
                to,
                max_depth,
            } => writeln!(out, "no path from {from} to {to} within {max_depth} steps")?,
            _ => writeln!(out, "no path")?,
        },
        Answer::Cycles(c) => {
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
        // export is JSON lines either way
        Answer::Records(_) | Answer::Pairs(_) => write_json(a, out)?,
        Answer::Context(pack, _) => write!(out, "{}", pack.markdown())?,
        Answer::Grep(matches, stats) => grep::write(matches, stats, out)?,
        Answer::Map(map, _) => write!(out, "{}", map.text())?,
        Answer::Picture(d) => match &d.text {
            Some(text) => out.write_all(text.as_bytes())?,
            None => {
                serde_json::to_writer_pretty(&mut *out, &d.picture)?;
                writeln!(out)?;
            }
        },
    }
    Ok(())
}

/// An explanation: where, what, who uses it, then the source.
pub fn explained(e: &crate::Explanation) -> String {
    match e {
        crate::Explanation::Symbol(e) => explained_symbol(e),
        crate::Explanation::Local(l) => explained_local(l),
    }
}

/// A local: whose it is, the line that binds it, where it is used.
fn explained_local(e: &crate::ExplainedLocal) -> String {
    let l = &e.local;
    let mut s = format!("{} {}  {}\n", l.kind, l.name, loc(&l.file, l.span));
    if let Some(f) = &l.function {
        s += &format!("in: {} {}\n", f.kind, f.qualified_name);
    }
    if let Some(b) = &e.binding {
        s += &format!("bound: {}\n", b.trim());
    }
    s += &format!("uses: {}\n", e.uses.len());
    for (span, role) in &e.uses {
        s += &format!("  {:<8} {}\n", role.as_str(), loc(&l.file, *span));
    }
    s
}

fn explained_symbol(e: &crate::Explained) -> String {
    let r = &e.symbol;
    let mut s = format!(
        "{} {}  {}  ({}; lines {}-{})\n",
        r.kind,
        r.qualified_name,
        loc(&r.file, r.span),
        if r.exported { "public" } else { "private" },
        r.full_span.start.line + 1,
        r.full_span.end.line + 1,
    );
    s += &format!("id: {}\n", r.id);
    if let Some(c) = &e.container {
        s += &format!("in: {} {}\n", c.kind, c.qualified_name);
    }
    if !r.signature.is_empty() {
        s += &format!("signature: {}\n", r.signature);
    }
    if let Some(d) = &r.doc {
        s += &format!("doc: {d}\n");
    }
    s += &format!("references: {}\n", e.references);
    if !e.callers.is_empty() {
        s += &format!(
            "callers{}:\n",
            if e.more_callers {
                format!(" (first {})", e.callers.len())
            } else {
                String::new()
            }
        );
        for c in &e.callers {
            s += &format!("  {}\n", record_text(c));
        }
    }
    match &e.source {
        Some(src) => {
            s += &format!("source ({}):\n", r.file);
            for (i, line) in src.lines().enumerate() {
                s += &format!("{:>5}| {line}\n", r.full_span.start.line as usize + i + 1);
            }
        }
        None => s += "source: the file cannot be read now\n",
    }
    s
}
