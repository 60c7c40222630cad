//! Context for language models: what a model needs to read to understand
//! or edit a symbol ([`pack`]), and a map of a whole repository ([`map`]),
//! each cut to a token budget.

mod map;
mod pack;
mod rank;

pub use map::{MapEntry, MapFile, RepoMap, map};
pub use pack::{Item, Pack, Sources, Tokens, pack};
pub use rank::{Ranked, Relation, rank};

use std::sync::Arc;

use weft_db::{Pos, Span};

/// Lines of a definition: the comments and attributes right above it, then
/// its own.
#[derive(Clone, Debug)]
struct Text {
    span: Span,
    above: Vec<String>,
    body: Vec<String>,
}

impl Text {
    fn new(span: Span, above: Vec<String>, body: Vec<String>) -> Self {
        Text { span, above, body }
    }

    fn line_count(&self) -> u32 {
        (self.above.len() + self.body.len()) as u32
    }

    fn join(&self) -> String {
        let mut v: Vec<&str> = self.above.iter().map(String::as_str).collect();
        v.extend(self.body.iter().map(String::as_str));
        v.join("\n")
    }

    /// Lines of the definition itself, without the comments above.
    fn body_lines(&self) -> u32 {
        self.body.len() as u32
    }

    /// The first `keep` lines of the definition (the comments above it
    /// dropped: the declaration matters more) and a comment saying how
    /// many lines follow.
    fn cut(&self, keep: u32, marker: &str) -> String {
        let keep = (keep as usize).min(self.body.len());
        let shown = self.body[..keep].join("\n");
        match self.body.len() - keep {
            0 => shown,
            more => format!("{shown}\n{marker} … {more} more lines"),
        }
    }

    /// 1-based first and last line, comments above included.
    fn span_lines(&self) -> (u32, u32) {
        let first = self.span.start.line + 1 - self.above.len() as u32;
        (first, self.span.end.line + 1)
    }
}

/// A file's text with where each line starts, so each definition's lines
/// are found without scanning the file from the top again.
struct FileLines {
    text: Arc<str>,
    starts: Vec<usize>,
}

impl FileLines {
    fn new(text: Arc<str>) -> Self {
        let mut starts: Vec<usize> = if text.is_empty() { vec![] } else { vec![0] };
        starts.extend(
            text.match_indices('\n')
                .map(|(i, _)| i + 1)
                .filter(|&i| i < text.len()),
        );
        FileLines { text, starts }
    }

    /// Line `i` (0-based) without its line ending, as `str::lines` gives it.
    fn line(&self, i: usize) -> Option<&str> {
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).map_or(self.text.len(), |&e| e);
        let l = &self.text[start..end];
        let l = l.strip_suffix('\n').unwrap_or(l);
        Some(l.strip_suffix('\r').unwrap_or(l))
    }
}

/// The whole lines `span` covers; `None` when the text no longer has them
/// (it changed since it was indexed).
fn lines(file: &FileLines, span: Span) -> Option<Vec<String>> {
    let last = if span.end.col == 0 && span.end.line > span.start.line {
        span.end.line - 1
    } else {
        span.end.line
    };
    (span.start.line..=last)
        .map(|i| file.line(i as usize).map(str::to_string))
        .collect()
}

/// Doc comments, attributes and decorators directly above a definition
/// that starts at `start`, in order; a blank line ends them. None for a
/// definition that does not start its line (a field of a one-line struct).
fn doc_comment_above(file: &FileLines, start: Pos) -> Vec<String> {
    const MAX: usize = 40;
    let line = start.line as usize;
    let starts_line = file.line(line).is_some_and(|l| {
        l.get(..start.col as usize)
            .is_some_and(|p| p.trim().is_empty())
    });
    if !starts_line {
        return Vec::new();
    }
    let mut out = Vec::new();
    for l in (0..line).rev().filter_map(|i| file.line(i)) {
        let t = l.trim_start();
        let attached = ["//", "/*", "*", "#", "@"].iter().any(|p| t.starts_with(p));
        if !attached || out.len() == MAX {
            break;
        }
        out.push(l.to_string());
    }
    out.reverse();
    out
}
