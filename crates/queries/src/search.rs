//! Word search over the live graph: BM25 over each symbol's words, ranked
//! exactly as the snapshot's FTS5 table ranks them (`weft_db::search`
//! defines the words, the weights and the arithmetic), so `weft serve`
//! and a replica answer alike.
//!
//! Each file's words are memoized ([`file_words`]): an edit inside a body
//! leaves them equal, and the index over all files ([`search_index`]) is
//! not rebuilt for it.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use weft_db::SymbolKind;
use weft_db::search::{self, Bm25, Split, WEIGHTS};

use crate::db::{Db, DefLoc, SourceFile, all_files, file_facts};
use crate::symbols::{SymbolFilter, file_symbol_ids, symbol_record};

/// One symbol's words: each distinct word with its frequency weighted by
/// column (a word of the name counts [`WEIGHTS`]`[0]` times), and the
/// number of words in all columns.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct DocWords {
    pub len: u32,
    pub words: Vec<(Box<str>, u32)>,
}

impl DocWords {
    /// From the column texts the snapshot stores (`search::columns`).
    pub fn new(columns: &[String; 4]) -> DocWords {
        let mut counts: FxHashMap<&str, u32> = FxHashMap::default();
        let mut len = 0;
        for (text, weight) in columns.iter().zip(WEIGHTS) {
            for w in text.split(' ').filter(|w| !w.is_empty()) {
                *counts.entry(w).or_default() += weight as u32;
                len += 1;
            }
        }
        let mut words: Vec<(Box<str>, u32)> =
            counts.into_iter().map(|(w, n)| (w.into(), n)).collect();
        words.sort_unstable();
        DocWords { len, words }
    }
}

/// The words of each definition of a file, in definition order.
#[salsa::tracked(returns(clone))]
pub fn file_words(db: &dyn Db, file: SourceFile) -> Arc<[DocWords]> {
    let n = file_facts(db, file).defs.len() as u32;
    (0..n)
        .map(|i| DocWords::new(&search::columns(&symbol_record(db, (file, i)), true)))
        .collect()
}

/// An inverted index: for each word, the symbols holding it.
pub struct SearchIndex {
    postings: FxHashMap<Box<str>, Vec<(u32, u32)>>,
    /// Per indexed symbol: where it is, its kind, its length in words.
    docs: Vec<(DefLoc, SymbolKind, u32)>,
    bm25: Bm25,
}

impl SearchIndex {
    /// Index `docs` (one per symbol; a symbol id seen twice keeps its first,
    /// as the snapshot's table does).
    pub fn build<'a>(docs: impl IntoIterator<Item = (DefLoc, SymbolKind, &'a DocWords)>) -> Self {
        let mut postings: FxHashMap<Box<str>, Vec<(u32, u32)>> = FxHashMap::default();
        let mut list = Vec::new();
        let mut tokens = 0i64;
        for (loc, kind, d) in docs {
            let n = list.len() as u32;
            list.push((loc, kind, d.len));
            tokens += i64::from(d.len);
            for (w, f) in &d.words {
                match postings.get_mut(w) {
                    Some(p) => p.push((n, *f)),
                    None => {
                        postings.insert(w.clone(), vec![(n, *f)]);
                    }
                }
            }
        }
        SearchIndex {
            postings,
            bm25: Bm25 {
                rows: list.len() as i64,
                tokens,
            },
            docs: list,
        }
    }

    /// Every symbol holding one of the split's distinctive words, with its
    /// `bm25()` (negative), unordered.
    pub fn rank(&self, split: &Split) -> Vec<(f64, DefLoc, SymbolKind)> {
        let mut acc: FxHashMap<u32, f64> = FxHashMap::default();
        // summed from 0.0 in the split's order, as FTS5 sums its phrases
        let words = split.distinctive.iter().map(|w| (w, true));
        for (w, finds) in words.chain(split.common.iter().map(|w| (w, false))) {
            let Some(p) = self.postings.get(w.as_str()) else {
                continue;
            };
            let idf = self.bm25.idf(p.len() as i64);
            for &(doc, f) in p {
                let len = i64::from(self.docs[doc as usize].2);
                let term = self.bm25.term(idf, f64::from(f), len);
                if finds {
                    *acc.entry(doc).or_insert(0.0) += term;
                } else if let Some(score) = acc.get_mut(&doc) {
                    *score += term;
                }
            }
        }
        acc.into_iter()
            .map(|(doc, s)| {
                let (loc, kind, _) = self.docs[doc as usize];
                (-s, loc, kind)
            })
            .collect()
    }

    /// A query's words split as the snapshot splits them
    /// (`search::split_words`), on this index's counts.
    pub fn split(&self, words: &[String]) -> Split {
        let rows_with: Vec<i64> = words
            .iter()
            .map(|w| self.postings.get(w.as_str()).map_or(0, |p| p.len() as i64))
            .collect();
        search::split_words(words, &rows_with)
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }
}

/// The search index of the whole tree.
#[salsa::tracked(returns(clone), no_eq)]
pub fn search_index(db: &dyn Db) -> Arc<SearchIndex> {
    let files: Vec<(SourceFile, Arc<[DocWords]>)> = all_files(db)
        .into_iter()
        .map(|f| (f, file_words(db, f)))
        .collect();
    let mut seen = rustc_hash::FxHashSet::default();
    let mut docs = Vec::new();
    for (f, words) in &files {
        let facts = file_facts(db, *f);
        let ids = file_symbol_ids(db, *f);
        for (i, d) in words.iter().enumerate() {
            if seen.insert(ids[i]) {
                docs.push(((*f, i as u32), facts.defs[i].kind, d));
            }
        }
    }
    Arc::new(SearchIndex::build(docs))
}

/// The symbols best matching `query`'s words, best first, with their
/// `bm25()`; ties by path and position. `None` when the query has no words.
pub fn search(db: &dyn Db, query: &str, filter: &SymbolFilter) -> Option<Vec<(f64, DefLoc)>> {
    let words = search::query_words(query);
    if words.is_empty() {
        return None;
    }
    let split = search_index(db).split(&words);
    let hits = search_split(db, &split, filter);
    if split.widens(hits.len(), filter.limit) {
        return Some(search_split(db, &split.widened(&words), filter));
    }
    Some(hits)
}

/// [`search`] by words already split.
pub fn search_split(db: &dyn Db, split: &Split, filter: &SymbolFilter) -> Vec<(f64, DefLoc)> {
    let glob = filter.path.as_deref().map(search::path_glob);
    let mut hits: Vec<(f64, DefLoc)> = search_index(db)
        .rank(split)
        .into_iter()
        .filter(|&(_, (f, _), kind)| {
            (filter.kinds.is_empty() || filter.kinds.contains(&kind))
                && (filter.langs.is_empty()
                    || f.lang(db).is_some_and(|l| filter.langs.contains(&l)))
                && glob
                    .as_deref()
                    .is_none_or(|g| search::glob_matches(g, f.path(db)))
        })
        .map(|(s, loc, _)| (s, loc))
        .collect();
    top(db, &mut hits, filter.limit)
}

/// The `limit` best of `hits` in answer order: score, then path, then
/// position. Only the hits that can make the cut are sorted.
fn top(db: &dyn Db, hits: &mut Vec<(f64, DefLoc)>, limit: usize) -> Vec<(f64, DefLoc)> {
    if limit == 0 {
        return Vec::new();
    }
    if hits.len() > limit {
        hits.select_nth_unstable_by(limit - 1, |a, b| a.0.total_cmp(&b.0));
        let cut = hits[limit - 1].0;
        // ties with the last kept score compete on path and position
        hits.retain(|h| h.0 <= cut);
    }
    hits.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then_with(|| a.1.0.path(db).cmp(b.1.0.path(db)))
            .then(a.1.1.cmp(&b.1.1))
    });
    hits.truncate(limit);
    std::mem::take(hits)
}
