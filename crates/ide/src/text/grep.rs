//! `grep` matches as text, the way ripgrep prints them without headings:
//! every line starts with FILE:LINE, so each stands alone (for `grep -v`,
//! an editor's jump list, an agent reading a cut answer).

use std::io::Write;

use anyhow::Result;
use weft_db::api::answer::{GrepMatch, GrepStats};

pub fn write(matches: &[GrepMatch], stats: &GrepStats, out: &mut impl Write) -> Result<()> {
    let mut last: Option<(&str, u32)> = None;
    for m in matches {
        let first = m.span.start.line;
        let from = first - m.before.len() as u32;
        // context groups that do not touch are apart, as ripgrep writes them
        if let Some((file, end)) = last
            && (!m.before.is_empty() || !m.after.is_empty())
            && (file != m.file || from > end + 1)
        {
            writeln!(out, "--")?;
        }
        for (i, l) in m.before.iter().enumerate() {
            writeln!(out, "{}-{}-{l}", m.file, from + i as u32 + 1)?;
        }
        let lines: Vec<&str> = m.lines.split('\n').collect();
        let symbol = m
            .symbol
            .as_ref()
            .map(|s| format!("  (in {} {})", s.kind, s.qualified_name))
            .unwrap_or_default();
        for (i, l) in lines.iter().enumerate() {
            let line = first + i as u32 + 1;
            let tail = if i + 1 == lines.len() {
                symbol.as_str()
            } else {
                ""
            };
            match i {
                0 => writeln!(out, "{}:{line}:{}:{l}{tail}", m.file, m.span.start.col + 1)?,
                _ => writeln!(out, "{}:{line}:{l}{tail}", m.file)?,
            }
        }
        let end = first + lines.len() as u32;
        for (i, l) in m.after.iter().enumerate() {
            writeln!(out, "{}-{}-{l}", m.file, end + i as u32 + 1)?;
        }
        last = Some((&m.file, end + m.after.len() as u32));
    }
    let files = |n: usize| if n == 1 { "file" } else { "files" };
    let found = match matches.len() + stats.cut {
        0 => "no match".to_string(),
        1 => "1 match".to_string(),
        n => format!("{n} matches"),
    };
    let ruled_out = match stats.files - stats.parsed {
        0 => String::new(),
        n => format!(" (the index ruled out {n} without reading them)"),
    };
    writeln!(
        out,
        "{found} in {} {}; parsed {} of {} {}{ruled_out}",
        stats.matched,
        files(stats.matched),
        stats.parsed,
        stats.files,
        files(stats.files)
    )?;
    if stats.cut > 0 {
        writeln!(out, "{} more not shown: raise --limit", stats.cut)?;
    }
    for (file, why) in &stats.skipped {
        writeln!(out, "not searched: {file}: {why}")?;
    }
    Ok(())
}
