//! A context pack: the target's source, then the signatures and docs of its
//! neighbourhood in rank order, as much as fits a token budget.

use std::fmt::Write as _;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;
use weft_db::{Lang, Span, SymbolKind};

use super::rank::{Ranked, Relation, rank};
use super::{FileLines, Text, doc_comment_above, lines};
use crate::db::{Db, DefLoc, file_facts};
use crate::symbols::{qualified_name, symbol_id};

/// Counts the tokens of a text (a real tokenizer, or an estimate).
pub type Tokens<'a> = &'a dyn Fn(&str) -> usize;
/// The current text of a file by path; `None` when it cannot be read.
pub type Sources<'a> = &'a dyn Fn(&str) -> Option<Arc<str>>;

/// Types this short are shown whole (fields and variants are what a reader
/// needs of a type); anything longer by its signature.
const SHORT_TYPE_LINES: u32 = 20;

/// One symbol of a pack.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    pub id: String,
    pub name: String,
    pub kind: SymbolKind,
    pub path: String,
    /// 1-based lines of the whole definition.
    pub line: u32,
    pub end_line: u32,
    pub relation: Relation,
    pub distance: u32,
    pub score: f64,
    /// For a symbol two edges away: the neighbour that leads to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// Reached over an edge bound only by a unique name.
    pub heuristic: bool,
    /// What the pack shows: doc comment and signature, or the whole source.
    pub text: String,
    /// `text` is the whole definition (else its doc and signature).
    pub whole: bool,
    /// Tokens of this item's Markdown block.
    pub tokens: usize,
    #[serde(skip)]
    lang: Option<Lang>,
    /// The language's line comment, for the "… more lines" note.
    #[serde(skip)]
    line_comment: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct Pack {
    pub target: Item,
    /// Lines of the target's source left out to fit the budget.
    pub target_lines_cut: u32,
    pub items: Vec<Item>,
    pub budget: usize,
    /// Tokens of the Markdown rendering.
    pub tokens: usize,
    /// Neighbours ranked; `items` holds those that fit.
    pub candidates: usize,
}

impl Pack {
    /// The pack as Markdown: the rendering the budget is counted on.
    pub fn markdown(&self) -> String {
        let mut s = header(&self.target, self.candidates, self.items.len());
        s.push_str(&block(&self.target, true));
        for rel in Relation::ALL.into_iter().skip(1) {
            let mut first = true;
            for it in self.items.iter().filter(|i| i.relation == rel) {
                if first {
                    let _ = write!(s, "\n## {}\n", rel.heading());
                    first = false;
                }
                s.push_str(&block(it, false));
            }
        }
        s
    }
}

fn header(target: &Item, candidates: usize, shown: usize) -> String {
    format!(
        "# Context for `{}`\n\n{} in `{}`; {shown} of {candidates} related symbols, nearest in the graph first.\n\n## Target\n",
        target.name,
        target.kind.as_str(),
        target.path,
    )
}

/// An item's Markdown: where it is, then its text in a fenced block.
fn block(it: &Item, target: bool) -> String {
    let mut s = String::new();
    let lines = if it.end_line > it.line {
        format!("{}-{}", it.line, it.end_line)
    } else {
        it.line.to_string()
    };
    if target {
        let _ = writeln!(s, "\n`{}:{lines}`", it.path);
    } else {
        let _ = write!(
            s,
            "\n`{}` {} `{}:{lines}`",
            it.name,
            it.kind.as_str(),
            it.path
        );
        if let Some(v) = &it.via {
            let _ = write!(s, " via `{v}`");
        }
        if it.heuristic {
            s.push_str(" (by name)");
        }
        s.push('\n');
    }
    let fence = it.lang.map_or("", |l| l.as_str());
    let _ = writeln!(s, "```{fence}\n{}\n```", it.text.trim_end_matches('\n'));
    s
}

/// Build the pack for `target` within `budget` tokens of Markdown. The
/// target is always in it: when its source does not fit, the source is cut
/// to the lines that do (at least the first), and nothing else is added.
pub fn pack(db: &dyn Db, target: DefLoc, budget: usize, tokens: Tokens, sources: Sources) -> Pack {
    let mut texts = Texts::new(db, sources);
    let ranked = rank(db, target);
    let candidates = ranked.len();

    // Without its file (gone, unreadable) the target is shown by its
    // doc and signature, as a neighbour would be.
    let (whole, has_source) = match texts.source(target) {
        Some(t) => (t, true),
        None => (texts.summary(target), false),
    };
    let target_ranked = Ranked {
        loc: target,
        relation: Relation::Target,
        distance: 0,
        score: 1.0,
        via: None,
        guess: false,
    };
    let mut t = item(db, &target_ranked, whole.clone(), has_source);
    let mut cut = 0;
    let cost = |t: &Item| tokens(&header(t, candidates, candidates)) + tokens(&block(t, true));
    if cost(&t) > budget && whole.line_count() > 1 {
        // The longest prefix of the definition that fits, by bisection;
        // at least its first line.
        let body = whole.body_lines();
        let (mut lo, mut hi) = (1u32, body.saturating_sub(1).max(1));
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            t.text = whole.cut(mid, t.line_comment);
            if cost(&t) <= budget {
                lo = mid
            } else {
                hi = mid - 1
            }
        }
        cut = whole.line_count() - lo;
        t.text = whole.cut(lo, t.line_comment);
    }
    t.tokens = tokens(&block(&t, true));
    let mut used = cost(&t);

    let mut items: Vec<Item> = Vec::new();
    let mut sections: Vec<Relation> = Vec::new();
    if cut == 0 {
        for r in &ranked {
            let (text, whole) = texts.of(r.loc);
            let mut it = item(db, r, text, whole);
            if let Some(v) = r.via {
                it.via = Some(qualified_name(db, v));
            }
            it.tokens = tokens(&block(&it, false));
            let heading = if sections.contains(&r.relation) {
                0
            } else {
                tokens(&format!("\n## {}\n", r.relation.heading()))
            };
            if used + it.tokens + heading > budget {
                continue;
            }
            used += it.tokens + heading;
            if heading > 0 {
                sections.push(r.relation);
            }
            items.push(it);
        }
    }
    let mut pack = Pack {
        target: t,
        target_lines_cut: cut,
        items,
        budget,
        tokens: 0,
        candidates,
    };
    // Blocks were counted apart; a tokenizer may join across their seams.
    // Drop the lowest-ranked items until the whole rendering fits.
    pack.tokens = tokens(&pack.markdown());
    while pack.tokens > budget && !pack.items.is_empty() {
        pack.items.pop();
        pack.tokens = tokens(&pack.markdown());
    }
    pack
}

/// An item with its text; its `tokens` are counted on its block later.
fn item(db: &dyn Db, r: &Ranked, text: Text, whole: bool) -> Item {
    let (file, idx) = r.loc;
    let facts = file_facts(db, file);
    let d = &facts.defs[idx as usize];
    let lang = file.lang(db);
    let line_comment = lang.map_or("//", |l| db.languages().get(l).naming.line_comment);
    let (line, end_line) = text.span_lines();
    Item {
        id: symbol_id(db, r.loc).to_string(),
        name: qualified_name(db, r.loc),
        kind: d.kind,
        path: file.path(db).to_string(),
        line,
        end_line,
        relation: r.relation,
        distance: r.distance,
        score: (r.score * 1e6).round() / 1e6,
        via: None,
        heuristic: r.guess,
        text: text.join(),
        whole,
        tokens: 0,
        lang,
        line_comment,
    }
}

/// Texts of symbols, reading each file once.
struct Texts<'a> {
    db: &'a dyn Db,
    sources: Sources<'a>,
    files: FxHashMap<String, Option<Arc<FileLines>>>,
}

impl<'a> Texts<'a> {
    fn new(db: &'a dyn Db, sources: Sources<'a>) -> Self {
        Texts {
            db,
            sources,
            files: FxHashMap::default(),
        }
    }

    fn file(&mut self, loc: DefLoc) -> Option<Arc<FileLines>> {
        let path = loc.0.path(self.db).to_string();
        let sources = self.sources;
        self.files
            .entry(path)
            .or_insert_with_key(|p| sources(p).map(|t| Arc::new(FileLines::new(t))))
            .clone()
    }

    /// The definition's lines with the comments and attributes above it.
    fn source(&mut self, loc: DefLoc) -> Option<Text> {
        let text = self.file(loc)?;
        let facts = file_facts(self.db, loc.0);
        let d = &facts.defs[loc.1 as usize];
        let body = lines(&text, d.full_span)?;
        let above = doc_comment_above(&text, d.full_span.start);
        Some(Text::new(d.full_span, above, body))
    }

    /// Doc comment and signature: from the source when it can be read
    /// (the whole comment), else from the facts (its first line).
    fn summary(&mut self, loc: DefLoc) -> Text {
        let facts = file_facts(self.db, loc.0);
        let d = &facts.defs[loc.1 as usize];
        let above = self
            .file(loc)
            .map(|t| doc_comment_above(&t, d.full_span.start))
            .unwrap_or_default();
        let mut doc: Vec<String> = above;
        if doc.is_empty()
            && let Some(first) = &d.doc
        {
            let marker = loc
                .0
                .lang(self.db)
                .map_or("//", |l| self.db.languages().get(l).naming.doc_comment);
            doc.push(format!("{marker} {first}"));
        }
        Text::new(
            Span {
                start: d.full_span.start,
                end: d.full_span.start,
            },
            doc,
            vec![d.signature.clone()],
        )
    }

    /// What a neighbour shows: a short type whole, else its summary.
    fn of(&mut self, loc: DefLoc) -> (Text, bool) {
        let facts = file_facts(self.db, loc.0);
        let d = &facts.defs[loc.1 as usize];
        let short = d.full_span.end.line - d.full_span.start.line < SHORT_TYPE_LINES;
        if d.kind.is_type()
            && short
            && let Some(t) = self.source(loc)
        {
            return (t, true);
        }
        (self.summary(loc), false)
    }
}
