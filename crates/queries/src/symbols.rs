//! From internal handles to the public vocabulary: symbol records with
//! stable ids and qualified names, and finding symbols by id, name,
//! qualified name or position.

use std::sync::Arc;

use weft_db::{Pos, SymbolId, SymbolKind, SymbolRecord};

use crate::db::{Db, DefLoc, SourceFile, all_files, defs_named, file_facts, file_interface};
use crate::resolve::{By, Resolved, layout, module_display};

/// From the file's interface, not its facts: resolving a reference names
/// its target's id, and the target file's facts need not be in memory.
pub fn symbol_id(db: &dyn Db, (file, idx): DefLoc) -> SymbolId {
    let interface = file_interface(db, file);
    let d = &interface.defs[idx as usize];
    SymbolId::derive(
        file.path(db),
        &d.local_name,
        d.kind.as_str(),
        d.disambiguator,
    )
}

pub fn qualified_name(db: &dyn Db, (file, idx): DefLoc) -> String {
    let interface = file_interface(db, file);
    let d = &interface.defs[idx as usize];
    let module = module_display(db, file);
    let sep = file
        .lang(db)
        .map(|l| db.languages().get(l).separator())
        .unwrap_or(".");
    if module.is_empty() {
        d.local_name.to_string()
    } else {
        format!("{module}{sep}{}", d.local_name)
    }
}

pub fn symbol_record(db: &dyn Db, loc: DefLoc) -> SymbolRecord {
    let (file, idx) = loc;
    let facts = file_facts(db, file);
    let d = &facts.defs[idx as usize];
    SymbolRecord {
        id: symbol_id(db, loc),
        name: d.name.to_string(),
        qualified_name: qualified_name(db, loc),
        kind: d.kind,
        lang: file.lang(db).expect("symbols only come from source files"),
        file: file.path(db).to_string(),
        span: d.span,
        full_span: d.full_span,
        container: d.container.map(|c| symbol_id(db, (file, c))),
        exported: d.exported,
        signature: d.signature.clone(),
        doc: d.doc.clone(),
    }
}

pub fn file_by_path(db: &dyn Db, path: &str) -> Option<SourceFile> {
    layout(db)
        .by_path
        .get(weft_db::api::normalize_path(path).as_str())
        .copied()
}

pub fn find_by_id(db: &dyn Db, id: SymbolId) -> Option<DefLoc> {
    symbol_index(db).by_id.get(&id).copied()
}

/// The ids of a file's definitions, in order. A firewall: an edit inside a
/// body leaves it equal, so the index below is not rebuilt for it.
#[salsa::tracked(returns(clone))]
pub fn file_symbol_ids(db: &dyn Db, file: SourceFile) -> Arc<[SymbolId]> {
    let n = file_interface(db, file).defs.len() as u32;
    (0..n).map(|i| symbol_id(db, (file, i))).collect()
}

/// Where each symbol id is defined (the first definition, in file order,
/// should two ever share one).
#[derive(Default, PartialEq, Eq)]
pub struct SymbolIndex {
    by_id: rustc_hash::FxHashMap<SymbolId, DefLoc>,
}

#[salsa::tracked(returns(clone))]
pub fn symbol_index(db: &dyn Db) -> Arc<SymbolIndex> {
    let mut by_id = rustc_hash::FxHashMap::default();
    for f in all_files(db) {
        for (i, &id) in file_symbol_ids(db, f).iter().enumerate() {
            by_id.entry(id).or_insert((f, i as u32));
        }
    }
    Arc::new(SymbolIndex { by_id })
}

/// The innermost definition whose full range contains `pos`.
pub fn enclosing_def(db: &dyn Db, file: SourceFile, pos: Pos) -> Option<DefLoc> {
    let facts = file_facts(db, file);
    let mut best: Option<u32> = None;
    for (i, d) in facts.defs.iter().enumerate() {
        if d.full_span.start <= pos && pos < d.full_span.end {
            best = Some(i as u32);
        }
    }
    best.map(|i| (file, i))
}

/// What the name at `pos` denotes: a definition's own name, or a reference's target.
pub fn definition_at(
    db: &dyn Db,
    file: SourceFile,
    pos: Pos,
) -> Option<(Resolved, Option<String>)> {
    let facts = file_facts(db, file);
    for (i, d) in facts.defs.iter().enumerate() {
        if d.span.start <= pos && pos < d.span.end {
            return Some((
                Resolved::Def {
                    loc: (file, i as u32),
                    by: By::Scope,
                },
                Some(d.name.to_string()),
            ));
        }
    }
    for (i, r) in facts.refs.iter().enumerate() {
        if r.span.start <= pos && pos < r.span.end {
            return Some((
                crate::resolve::resolve_one(db, file, i),
                r.path.last().map(|s| s.to_string()),
            ));
        }
    }
    // an import's specifier, where it names a file (`'./util'`)
    let names_files = file
        .lang(db)
        .is_some_and(|l| db.languages().get(l).resolver.specifiers_name_files());
    let i = facts
        .imports
        .iter()
        .position(|imp| names_files && imp.span.start <= pos && pos < imp.span.end)?;
    use crate::resolve::ImportTarget;
    let resolved = match crate::resolve::resolve_file(db, file).imports.get(i)? {
        ImportTarget::Files(fs) => fs
            .first()
            .map_or(Resolved::Unresolved, |&f| Resolved::Module(f)),
        ImportTarget::External(m) => Resolved::External(m.clone()),
        ImportTarget::Unresolved => Resolved::Unresolved,
    };
    Some((resolved, Some(facts.imports[i].module.to_string())))
}

/// The local whose binding or use is at `pos`: its index in the file's
/// [`FileFacts::locals`](crate::facts::FileFacts::locals).
pub fn local_at(db: &dyn Db, file: SourceFile, pos: Pos) -> Option<u32> {
    let facts = file_facts(db, file);
    let inside = |s: weft_db::Span| s.start <= pos && pos < s.end;
    // (uses are sorted by position: the one starting last at or before `pos`)
    let i = facts.local_refs.partition_point(|r| r.span.start <= pos);
    if let Some(r) = i.checked_sub(1).map(|i| facts.local_refs[i])
        && inside(r.span)
    {
        return Some(r.local);
    }
    facts
        .locals
        .iter()
        .position(|l| inside(l.span))
        .map(|i| i as u32)
}

/// Definitions whose qualified name ends with `query`'s segments (`::` or
/// `.`); a leading `crate` matches any crate. Exact matches come first.
pub fn by_qualified_name(db: &dyn Db, query: &str) -> Vec<DefLoc> {
    let segs = weft_db::api::query_segments(query);
    let Some(&name) = segs.last() else {
        return vec![];
    };
    let mut exact = Vec::new();
    let mut suffix = Vec::new();
    for loc in defs_named(db, name) {
        match weft_db::api::qualified_match(&segs, &qualified_name(db, loc)) {
            Some(true) => exact.push(loc),
            Some(false) => suffix.push(loc),
            None => {}
        }
    }
    let mut found = if exact.is_empty() { suffix } else { exact };
    found.sort_by(|a, b| (a.0.path(db), a.1).cmp(&(b.0.path(db), b.1)));
    found
}

/// What a search keeps: name search ([`search`]) and word search
/// (`crate::search::search`).
#[derive(Clone, Debug, Default)]
pub struct SymbolFilter {
    pub kinds: Vec<SymbolKind>,
    pub langs: Vec<weft_db::Lang>,
    /// Name search: a substring of the path. Word search: a glob
    /// (`weft_db::search::path_glob`).
    pub path: Option<String>,
    pub limit: usize,
}

/// Ranked name search: exact, then prefix, then case-insensitive substring,
/// then fuzzy (characters in order). Shorter names and exported symbols first.
/// Case folds ASCII letters only, as SQLite's `lower` and `LIKE` do, so a
/// replica answering from SQL ranks alike.
pub fn search(db: &dyn Db, query: &str, filter: &SymbolFilter) -> Vec<(u32, DefLoc)> {
    let q = query.to_ascii_lowercase();
    let mut hits: Vec<(u32, u32, String, DefLoc)> = Vec::new();
    for f in all_files(db) {
        if let Some(p) = &filter.path
            && !f.path(db).contains(p.as_str())
        {
            continue;
        }
        let Some(lang) = f.lang(db) else { continue };
        if !filter.langs.is_empty() && !filter.langs.contains(&lang) {
            continue;
        }
        let facts = file_facts(db, f);
        for (i, d) in facts.defs.iter().enumerate() {
            if !filter.kinds.is_empty() && !filter.kinds.contains(&d.kind) {
                continue;
            }
            let Some(score) = match_score(&d.name, query, &q) else {
                continue;
            };
            let bonus = if d.exported { 0 } else { 1 };
            hits.push((
                score * 2 + bonus,
                d.name.len() as u32,
                f.path(db).to_string(),
                (f, i as u32),
            ));
        }
    }
    hits.sort_by(|a, b| (a.0, a.1, &a.2, a.3.1).cmp(&(b.0, b.1, &b.2, b.3.1)));
    let limit = if filter.limit == 0 {
        usize::MAX
    } else {
        filter.limit
    };
    hits.into_iter()
        .take(limit)
        .map(|(s, _, _, l)| (s, l))
        .collect()
}

fn match_score(name: &str, query: &str, lower_query: &str) -> Option<u32> {
    if name == query {
        return Some(0);
    }
    let lower = name.to_ascii_lowercase();
    if lower == lower_query {
        return Some(1);
    }
    if name.starts_with(query) {
        return Some(2);
    }
    if lower.starts_with(lower_query) {
        return Some(3);
    }
    if lower.contains(lower_query) {
        return Some(4);
    }
    let mut chars = lower.chars();
    if !lower_query.is_empty() && lower_query.chars().all(|c| chars.any(|n| n == c)) {
        return Some(5);
    }
    None
}
