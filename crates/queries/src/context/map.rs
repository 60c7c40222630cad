//! A repository map: the most central symbols (PageRank over who refers to
//! whom) with their signatures, file by file, within a token budget.

use std::fmt::Write as _;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use weft_db::{Role, SymbolKind};

use super::pack::Tokens;
use crate::db::{Db, DefLoc, all_files, file_facts};
use crate::graph::{Node, enclosing_function, node_key};
use crate::resolve::resolve_file;
use crate::symbols::symbol_id;

#[derive(Clone, Debug, Serialize)]
pub struct MapEntry {
    pub id: String,
    /// Name inside the file (`Type::method`).
    pub name: String,
    pub kind: SymbolKind,
    /// 1-based.
    pub line: u32,
    pub signature: String,
    pub score: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct MapFile {
    pub path: String,
    pub symbols: Vec<MapEntry>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RepoMap {
    pub files: Vec<MapFile>,
    pub budget: usize,
    /// Tokens of the text rendering.
    pub tokens: usize,
    pub shown: usize,
    /// Symbols ranked (functions, methods, types, constants...).
    pub ranked: usize,
}

impl RepoMap {
    /// Files in path order, symbols by line: `  LINE  [Container] signature`.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for f in &self.files {
            s.push_str(&file_line(&f.path));
            for e in &f.symbols {
                s.push_str(&entry_line(e));
            }
        }
        s
    }
}

fn file_line(path: &str) -> String {
    format!("{path}\n")
}

fn entry_line(e: &MapEntry) -> String {
    let mut s = format!("{:>6}  ", e.line);
    if let Some((scope, _)) = e.name.rsplit_once(['.', ':']) {
        let _ = write!(s, "[{}] ", scope.trim_end_matches(':'));
    }
    let _ = writeln!(s, "{}", first_line(&e.signature));
    s
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// Symbols a map shows: declarations a reader navigates by, not the
/// fields, variants and variables inside them.
fn outline(kind: SymbolKind) -> bool {
    !matches!(
        kind,
        SymbolKind::Field | SymbolKind::EnumMember | SymbolKind::Variable | SymbolKind::Module
    )
}

const DAMPING: f64 = 0.85;
const GIVE_UP: usize = 64;
const ITERATIONS: usize = 30;

/// Rank every outline symbol and keep the best that fit `budget` tokens.
pub fn map(db: &dyn Db, budget: usize, tokens: Tokens) -> RepoMap {
    let mut files = all_files(db);
    files.sort_by(|a, b| a.path(db).cmp(b.path(db)));
    // Nodes in path and position order, so scores add up in one order.
    let mut nodes: Vec<DefLoc> = Vec::new();
    let mut index: FxHashMap<DefLoc, usize> = FxHashMap::default();
    for &f in &files {
        for (i, d) in file_facts(db, f).defs.iter().enumerate() {
            if outline(d.kind) {
                index.insert((f, i as u32), nodes.len());
                nodes.push((f, i as u32));
            }
        }
    }
    // The nearest outline symbol at or around a definition.
    let lift = |loc: DefLoc| -> Option<usize> {
        let facts = file_facts(db, loc.0);
        let mut i = loc.1;
        loop {
            if let Some(&n) = index.get(&(loc.0, i)) {
                return Some(n);
            }
            i = facts.defs[i as usize].container?;
        }
    };
    let mut edges: Vec<(usize, usize, f64)> = Vec::new();
    for &f in &files {
        let facts = file_facts(db, f);
        let resolved = resolve_file(db, f);
        for (r, res) in facts.refs.iter().zip(&resolved.refs) {
            if r.role == Role::Import {
                continue;
            }
            let Some(to) = res.def().and_then(lift) else {
                continue;
            };
            let from = enclosing_function(db, f, r.scope)
                .or(r.scope)
                .and_then(|s| lift((f, s)));
            if let Some(from) = from
                && from != to
            {
                edges.push((from, to, if res.is_guess() { 0.5 } else { 1.0 }));
            }
        }
    }
    let scores = pagerank(nodes.len(), &edges);

    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&a, &b| {
        scores[b].total_cmp(&scores[a]).then_with(|| {
            node_key(db, Node::Symbol(nodes[a])).cmp(&node_key(db, Node::Symbol(nodes[b])))
        })
    });
    let mut chosen: Vec<(usize, MapEntry)> = Vec::new();
    let mut files_in: FxHashSet<&str> = FxHashSet::default();
    let mut used = 0;
    let mut misses = 0;
    for &n in &order {
        // Past the point where a few dozen in a row did not fit, the rest
        // will not either (and tokenizing a whole repository costs seconds).
        if misses == GIVE_UP || budget.saturating_sub(used) < 4 {
            break;
        }
        let (f, i) = nodes[n];
        let facts = file_facts(db, f);
        let d = &facts.defs[i as usize];
        let e = MapEntry {
            id: symbol_id(db, (f, i)).to_string(),
            name: d.local_name.to_string(),
            kind: d.kind,
            line: d.span.start.line + 1,
            signature: first_line(&d.signature).to_string(),
            score: (scores[n] * 1e9).round() / 1e9,
        };
        let path = f.path(db).as_str();
        let mut cost = tokens(&entry_line(&e));
        if !files_in.contains(path) {
            cost += tokens(&file_line(path));
        }
        if used + cost > budget {
            misses += 1;
            continue;
        }
        misses = 0;
        used += cost;
        files_in.insert(path);
        chosen.push((n, e));
    }
    let ranked = nodes.len();
    let build = |chosen: &[(usize, MapEntry)]| -> RepoMap {
        let mut by_node: Vec<&(usize, MapEntry)> = chosen.iter().collect();
        by_node.sort_by_key(|(n, e)| (*n, e.line));
        let mut files: Vec<MapFile> = Vec::new();
        for (n, e) in by_node {
            let path = nodes[*n].0.path(db).to_string();
            match files.last_mut() {
                Some(f) if f.path == path => f.symbols.push(e.clone()),
                _ => files.push(MapFile {
                    path,
                    symbols: vec![e.clone()],
                }),
            }
        }
        for f in &mut files {
            f.symbols.sort_by_key(|e| e.line);
        }
        let shown = chosen.len();
        RepoMap {
            files,
            budget,
            tokens: 0,
            shown,
            ranked,
        }
    };
    let mut m = build(&chosen);
    m.tokens = tokens(&m.text());
    // Lines were counted apart; drop the least central until the whole fits.
    while m.tokens > budget && !chosen.is_empty() {
        chosen.pop();
        m = build(&chosen);
        m.tokens = tokens(&m.text());
    }
    m
}

/// PageRank over weighted directed edges; a node without edges out spreads
/// its rank evenly.
fn pagerank(n: usize, edges: &[(usize, usize, f64)]) -> Vec<f64> {
    if n == 0 {
        return Vec::new();
    }
    let mut out = vec![0.0; n];
    for &(a, _, w) in edges {
        out[a] += w;
    }
    let base = (1.0 - DAMPING) / n as f64;
    let mut r = vec![1.0 / n as f64; n];
    for _ in 0..ITERATIONS {
        let dangling: f64 = (0..n).filter(|&i| out[i] == 0.0).map(|i| r[i]).sum();
        let spread = base + DAMPING * dangling / n as f64;
        let mut next = vec![spread; n];
        for &(a, b, w) in edges {
            next[b] += DAMPING * r[a] * w / out[a];
        }
        r = next;
    }
    r
}
