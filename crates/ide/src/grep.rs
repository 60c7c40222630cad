//! `weft grep`: structural search (`weft_grep`) made faster by the index
//! and told in the graph's terms.
//!
//! The index: each file's words ([`weft_queries::db::file_words`], kept in
//! the snapshot) rule out the files that lack a word the pattern needs, so
//! only the rest are read and parsed, in parallel. The graph: each match
//! gets its innermost definition and what its callee (or a captured name)
//! resolves to, and `--within`, `--impact-of` and `--calls` narrow the
//! matches by the graph.

use std::cell::RefCell;
use std::sync::Arc;

use anyhow::{Result, bail};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use weft_db::api::answer::{
    Bytes, Captured, CapturedNode, GrepMatch, GrepStats, NameTarget, SymbolBrief,
};
use weft_db::api::{self, Grep};
use weft_db::{Lang, Role, Span};
use weft_grep::{Capture, Found, GrepError, Search};
use weft_queries::db::{DefLoc, all_files, file_facts, file_words};
use weft_queries::facts::FileFacts;
use weft_queries::graph::{self, Node};
use weft_queries::resolve::{Resolved, resolve_one};
use weft_queries::symbols::symbol_record;
use weft_queries::{RootDatabase, SourceFile};

use crate::analysis::Analysis;

/// Where matches may be, when a graph filter narrows them: per file, the
/// ranges of the symbols in scope (`None`: the whole file).
type Scope = FxHashMap<SourceFile, Option<Vec<Span>>>;

/// A file searched: its text and matches (`None`: no match, and its text
/// is let go at once), or why it could not be searched.
type Searched = Result<Option<(Arc<str>, Vec<Found>)>, String>;

impl Analysis<'_> {
    /// Every match of a pattern or rule, in path order, with how the
    /// search went.
    pub fn grep(&self, q: &Grep) -> Result<(Vec<GrepMatch>, GrepStats)> {
        let db = self.db;
        let t0 = std::time::Instant::now();
        let files = all_files(db);
        let search = self.compile(q, &files)?;
        let scope = self.scope(q)?;
        // the calls to --calls' target: the names they are made by, per file
        let calls = q.calls.as_deref().map(|t| self.calls_to(t)).transpose()?;
        let glob = q.path.as_deref().map(weft_db::search::path_glob);
        let mut stats = GrepStats::default();
        let mut candidates: Vec<(SourceFile, String, Option<Arc<str>>)> = Vec::new();
        for f in files {
            let path = f.path(db);
            let in_scope = scope.as_ref().is_none_or(|s| s.contains_key(&f))
                && calls.as_ref().is_none_or(|c| c.contains_key(&f))
                && (q.lang.is_empty() || f.lang(db).is_some_and(|l| q.lang.contains(&l)))
                && glob
                    .as_deref()
                    .is_none_or(|g| weft_db::search::glob_matches(g, path));
            let Some(need) = in_scope.then(|| search.need(path)).flatten() else {
                continue;
            };
            stats.files += 1;
            let may = file_words(db, f).is_none_or(|w| need.met_by(&|x| w.may_hold(x)));
            if may {
                let text = f.text(db);
                let text = (!text.is_empty()).then(|| text.clone());
                candidates.push((f, path.to_string(), text));
            }
        }
        stats.parsed = candidates.len();
        tracing::debug!(elapsed = ?t0.elapsed(), files = stats.files, candidates = stats.parsed, "grep: files chosen");
        let (root, dump) = (self.env.root, self.env.dump);
        let searched: Vec<(SourceFile, String, Searched)> = candidates
            .into_par_iter()
            .map(|(f, path, text)| {
                let found = match text.or_else(|| crate::read_source(root, dump, &path)) {
                    None => Err("it cannot be read now".to_string()),
                    Some(t) => search
                        .find(&path, &t)
                        .map(|found| (!found.is_empty()).then_some((t, found)))
                        .map_err(|e| e.to_string()),
                };
                (f, path, found)
            })
            .collect();
        tracing::debug!(elapsed = ?t0.elapsed(), "grep: candidates parsed and matched");
        // in path order, so `--limit` places only the matches it keeps
        let mut searched = searched;
        searched.sort_by(|a, b| a.1.cmp(&b.1));
        let limit = match q.limit {
            0 => usize::MAX,
            n => n as usize,
        };
        let mut out = Vec::new();
        let briefs = RefCell::default();
        for (f, path, found) in searched {
            let (text, mut found) = match found {
                Err(why) => {
                    stats.skipped.push((path, why));
                    continue;
                }
                Ok(None) => continue,
                Ok(Some(found)) => found,
            };
            found.sort_by_key(|m| m.node.bytes.start);
            let spans = scope
                .as_ref()
                .and_then(|s| s.get(&f))
                .and_then(Option::as_ref);
            let names = calls.as_ref().and_then(|c| c.get(&f));
            let kept: Vec<Found> = found
                .into_iter()
                .filter(|m| {
                    spans.is_none_or(|v| v.iter().any(|s| s.contains_span(&m.node.span)))
                        && names.is_none_or(|n| m.node.head.is_some_and(|h| n.contains(&h)))
                })
                .collect();
            if kept.is_empty() {
                continue;
            }
            stats.matched += 1;
            let room = limit - out.len();
            stats.cut += kept.len().saturating_sub(room);
            if room > 0 {
                let file = FileView::new(db, f, &path, &text, &briefs);
                out.extend(
                    kept.into_iter()
                        .take(room)
                        .map(|m| file.answer(m, q.context)),
                );
            }
        }
        tracing::debug!(elapsed = ?t0.elapsed(), "grep: matches placed in the graph");
        Ok((out, stats))
    }

    /// The pattern in the languages asked for (else in every language of
    /// the tree), or the rules.
    fn compile(&self, q: &Grep, files: &[SourceFile]) -> Result<Search> {
        let search = match (&q.pattern, &q.rule) {
            (Some(_), Some(_)) => Err(GrepError::PatternAndRule),
            (None, None) => Err(GrepError::Nothing),
            (None, Some(rule)) => Search::rules(rule),
            (Some(p), None) => {
                let langs: Vec<Lang> = if q.lang.is_empty() {
                    let present: FxHashSet<Lang> =
                        files.iter().filter_map(|f| f.lang(self.db)).collect();
                    let mut v: Vec<Lang> = present.into_iter().collect();
                    v.sort_by_key(|l| l.as_str());
                    v
                } else {
                    q.lang.clone()
                };
                if langs.is_empty() {
                    bail!("there are no source files to search");
                }
                Search::pattern(p, &langs)
            }
        };
        Ok(search?)
    }

    fn def_loc(&self, target: &str) -> Result<DefLoc> {
        match self.target(target)? {
            Node::Symbol(l) => Ok(l),
            Node::File(f) => bail!("{}", api::needs_symbol(target, f.path(self.db))),
        }
    }

    /// Where the calls resolving to `target` name it, by file.
    fn calls_to(&self, target: &str) -> Result<FxHashMap<SourceFile, FxHashSet<Span>>> {
        let mut out: FxHashMap<SourceFile, FxHashSet<Span>> = FxHashMap::default();
        for r in graph::references(self.db, self.def_loc(target)?).iter() {
            if r.role == Role::Call {
                out.entry(r.file).or_default().insert(r.span);
            }
        }
        Ok(out)
    }

    /// What `--within` and `--impact-of` leave in scope.
    fn scope(&self, q: &Grep) -> Result<Option<Scope>> {
        let depth = q.depth.clamp(1, api::MAX_DEPTH);
        let mut nodes: Vec<Node> = Vec::new();
        match (&q.within, &q.impact_of) {
            (None, None) => return Ok(None),
            (Some(_), Some(_)) => bail!("give --within or --impact-of, not both"),
            (Some(t), None) => {
                let start = self.def_loc(t)?;
                let walk = graph::callees(self.db, start, depth, api::WALK_LIMIT);
                nodes.push(Node::Symbol(start));
                nodes.extend(walk.order.iter().map(|(n, _)| *n));
            }
            (None, Some(t)) => {
                let start = self.target(t)?;
                let walk = graph::impact(self.db, start, depth, api::WALK_LIMIT);
                nodes.push(start);
                nodes.extend(walk.order.iter().map(|(n, _)| *n));
            }
        }
        let mut scope = Scope::default();
        for n in nodes {
            match n {
                Node::File(f) => {
                    scope.insert(f, None);
                }
                Node::Symbol((f, i)) => {
                    let span = file_facts(self.db, f).defs[i as usize].full_span;
                    if let Some(v) = scope.entry(f).or_insert_with(|| Some(Vec::new())) {
                        v.push(span);
                    }
                }
            }
        }
        Ok(Some(scope))
    }
}

/// One file's matches told in the graph's terms.
struct FileView<'a> {
    db: &'a RootDatabase,
    file: SourceFile,
    path: &'a str,
    text: &'a str,
    /// Held, so resolving names in other files cannot evict them.
    facts: Arc<FileFacts>,
    /// References by the span of their name.
    refs: FxHashMap<Span, usize>,
    /// The references resolved so far: one at a time, as matches need
    /// them (a whole file's resolution costs milliseconds).
    resolved: RefCell<FxHashMap<usize, Resolved>>,
    /// Symbols told so far, shared by the files of one search.
    briefs: &'a RefCell<FxHashMap<DefLoc, SymbolBrief>>,
}

impl<'a> FileView<'a> {
    fn new(
        db: &'a RootDatabase,
        file: SourceFile,
        path: &'a str,
        text: &'a str,
        briefs: &'a RefCell<FxHashMap<DefLoc, SymbolBrief>>,
    ) -> FileView<'a> {
        let facts = file_facts(db, file);
        let refs = facts
            .refs
            .iter()
            .enumerate()
            .map(|(i, r)| (r.span, i))
            .collect();
        FileView {
            db,
            file,
            path,
            text,
            facts,
            refs,
            resolved: RefCell::default(),
            briefs,
        }
    }

    /// What the reference whose name is at `head` resolves to.
    fn target(&self, head: Option<Span>) -> Option<NameTarget> {
        let &i = self.refs.get(&head?)?;
        let r = self
            .resolved
            .borrow_mut()
            .entry(i)
            .or_insert_with(|| resolve_one(self.db, self.file, i))
            .clone();
        Some(NameTarget {
            name: self.facts.refs[i]
                .path
                .last()
                .map(|n| n.to_string())
                .unwrap_or_default(),
            resolution: r.resolution(),
            symbol: r.def().map(|d| self.brief(d)),
            module: match &r {
                Resolved::External(m) => Some(m.to_string()),
                _ => None,
            },
        })
    }

    /// The innermost definition whose range holds `span`.
    fn enclosing(&self, span: &Span) -> Option<SymbolBrief> {
        let (i, _) = self
            .facts
            .defs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.full_span.contains_span(span))
            .max_by_key(|(_, d)| (d.full_span.start, std::cmp::Reverse(d.full_span.end)))?;
        Some(self.brief((self.file, i as u32)))
    }

    fn brief(&self, d: DefLoc) -> SymbolBrief {
        let mut briefs = self.briefs.borrow_mut();
        let b = briefs
            .entry(d)
            .or_insert_with(|| SymbolBrief::from(&symbol_record(self.db, d)));
        b.clone()
    }

    fn node(&self, n: weft_grep::Node) -> CapturedNode {
        CapturedNode {
            target: self.target(n.head),
            text: n.text,
            span: n.span,
        }
    }

    fn answer(&self, m: Found, context: u32) -> GrepMatch {
        let (lines, before, after) = lines_around(self.text, &m.node.bytes, context as usize);
        let captures = m
            .captures
            .into_iter()
            .map(|(name, c)| {
                let c = match c {
                    Capture::One(n) => Captured::One(self.node(n)),
                    Capture::Many(v) => {
                        Captured::Many(v.into_iter().map(|n| self.node(n)).collect())
                    }
                };
                (name, c)
            })
            .collect();
        GrepMatch {
            file: self.path.to_string(),
            lang: self
                .file
                .lang(self.db)
                .expect("a searched file has a language"),
            span: m.node.span,
            bytes: Bytes {
                start: m.node.bytes.start,
                end: m.node.bytes.end,
            },
            symbol: self.enclosing(&m.node.span),
            target: self.target(m.node.head),
            text: m.node.text,
            lines,
            before,
            after,
            captures,
            rule: m.rule,
        }
    }
}

/// The whole lines a byte range is on, and `n` lines before and after.
fn lines_around(
    text: &str,
    range: &std::ops::Range<usize>,
    n: usize,
) -> (String, Vec<String>, Vec<String>) {
    let start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |i| range.end + i);
    let lines = text[start..end].trim_end_matches('\r').to_string();
    let before: Vec<String> = text[..start]
        .lines()
        .rev()
        .take(n)
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: Vec<String> = text[end..]
        .strip_prefix('\n')
        .unwrap_or("")
        .lines()
        .take(n)
        .map(str::to_string)
        .collect();
    (lines, before, after)
}
