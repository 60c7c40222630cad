//! Lexical search, defined once for every reader: how code is cut into
//! words, what a symbol's searchable text is, how a query becomes an FTS5
//! `MATCH`, and BM25 exactly as SQLite's FTS5 computes it.
//!
//! The snapshot stores each symbol's words in the FTS5 table `search`
//! (tokenizer `ascii`), already cut and folded by [`words`]: FTS5 only
//! splits them on the spaces, so SQLite, D1 and the engine's own index see
//! the same words, and [`Bm25`] reproduces FTS5's `bm25()` on them. That is
//! what lets `weft serve` (engine) and a replica (FTS5) rank alike.

use crate::SymbolRecord;

/// The FTS5 table, keyed by symbol id (its `rowid`).
pub const TABLE: &str = "search";

/// Searched columns, in table order.
pub const COLUMNS: [&str; 4] = ["name", "qualified", "signature", "doc"];

/// BM25 weight of a word found in each column: a word of the name counts
/// for more than one of the doc comment. Powers of two, so a row's weighted
/// frequency is exact whatever order it is summed in.
pub const WEIGHTS: [f64; 4] = [4.0, 2.0, 1.0, 1.0];

/// FTS5's BM25 parameters (fixed in SQLite).
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Distinct words of a query used at most (the rest are dropped).
pub const MAX_QUERY_WORDS: usize = 32;

/// Cut `text` into lowercase words the way code is written: identifiers
/// split at `_`, at camelCase humps, after an acronym (`HTTPServer`: http,
/// server) and between letters and digits, and an identifier of several
/// parts also kept whole, joined (`parse_header`: parse, header,
/// parseheader). Everything but letters and digits separates words.
pub fn words(text: &str, out: &mut dyn FnMut(&str)) {
    let mut ident = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c == '_' || c.is_alphanumeric() {
            ident.push(c);
        } else if !ident.is_empty() {
            identifier_words(&ident, out);
            ident.clear();
        }
    }
}

/// [`words`] of `text`, collected.
pub fn word_list(text: &str) -> Vec<String> {
    let mut v = Vec::new();
    words(text, &mut |w| v.push(w.to_string()));
    v
}

fn identifier_words(ident: &str, out: &mut dyn FnMut(&str)) {
    let chars: Vec<char> = ident.chars().collect();
    let mut parts: Vec<String> = Vec::new();
    let mut part = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            if !part.is_empty() {
                parts.push(std::mem::take(&mut part));
            }
            continue;
        }
        if let Some(prev) = (!part.is_empty()).then(|| chars[i - 1]) {
            let next = chars.get(i + 1).copied();
            let hump = (prev.is_lowercase() || prev.is_numeric()) && c.is_uppercase();
            let acronym_end =
                prev.is_uppercase() && c.is_uppercase() && next.is_some_and(|n| n.is_lowercase());
            let digits = prev.is_numeric() != c.is_numeric();
            if hump || acronym_end || digits {
                parts.push(std::mem::take(&mut part));
            }
        }
        part.extend(c.to_lowercase());
    }
    if !part.is_empty() {
        parts.push(part);
    }
    // every word is stemmed, the joined one too: a query of one word,
    // `parsehttpheader`, must meet the identifier `parse_http_header`
    for p in &parts {
        out(&stem(p));
    }
    if parts.len() > 1 {
        out(&stem(&parts.concat()));
    }
}

/// English stemming (Snowball), so `parses`, `parsing` and `parse` meet.
fn stem(word: &str) -> std::borrow::Cow<'_, str> {
    thread_local! {
        static STEMMER: rust_stemmers::Stemmer =
            rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    }
    STEMMER.with(|s| std::borrow::Cow::Owned(s.stem(word).into_owned()))
}

/// The [`words`] of `text` joined by spaces: one column of the `search`
/// table as the `ascii` tokenizer reads it.
pub fn joined(text: &str) -> String {
    let mut s = String::new();
    words(text, &mut |w| {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(w);
    });
    s
}

/// A symbol's searchable text, one string of space-separated [`words`] per
/// [`COLUMNS`] entry: what the `search` table stores for it. `with_doc`
/// false leaves the doc comment out (the search evaluation queries with it).
pub fn columns(rec: &SymbolRecord, with_doc: bool) -> [String; 4] {
    [
        joined(&rec.name),
        joined(&rec.qualified_name),
        joined(&rec.signature),
        match (&rec.doc, with_doc) {
            (Some(d), true) => joined(d),
            _ => String::new(),
        },
    ]
}

/// Words too common in English to tell symbols apart; dropped from
/// queries (not from the index) unless a query has nothing else.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "if",
    "in", "into", "is", "it", "its", "of", "on", "or", "so", "than", "that", "the", "their",
    "then", "there", "these", "this", "those", "to", "was", "we", "were", "what", "when", "where",
    "which", "who", "whose", "why", "will", "with", "you", "your",
];

/// The words a query searches for: its [`words`], stop words dropped, each
/// once, in order, at most [`MAX_QUERY_WORDS`].
pub fn query_words(query: &str) -> Vec<String> {
    let all = word_list(query);
    let mut kept: Vec<String> = Vec::new();
    for w in all.iter().filter(|w| !STOP_WORDS.contains(&w.as_str())) {
        if !kept.contains(w) {
            kept.push(w.clone());
        }
    }
    if kept.is_empty() {
        for w in all {
            if !kept.contains(&w) {
                kept.push(w);
            }
        }
    }
    kept.truncate(MAX_QUERY_WORDS);
    kept
}

/// How many rows a query's distinctive words may hold between them (see
/// [`split_words`]). Scoring a row costs FTS5 a lookup of its length; this
/// bounds a query's work whatever the size of the corpus.
pub const SCORED_ROWS: i64 = 1500;

/// Up to this many symbols, the snapshot checks a file filter (`--path`,
/// `--lang`) against a list of the filter's symbol ids; past it, by joining
/// each scored row to its file. The list costs in proportion to the
/// filter, the join to the rows scored: on the Rust corpus, a crate of
/// 3,400 symbols answered twice as fast at p95 by the list, one of 9,000
/// twice as fast at p50 by the join. Either way the answer is the same.
pub const ID_LIST_MAX: i64 = 5000;

/// A query's words as search uses them: a row is found by holding one of
/// the `distinctive` words; the `common` ones add to the scores of the rows
/// found, never find a row themselves. BM25 sums the distinctive words'
/// terms, then the common ones', each group in query order.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Split {
    pub distinctive: Vec<String>,
    pub common: Vec<String>,
}

/// Split a query's words given `rows_with[i]`, the number of rows holding
/// `words[i]` (counts past [`COUNT_CAP`] are taken as equal: the snapshot
/// stops counting there). From the rarest up, a word is distinctive while
/// the rows of the distinctive words stay within [`SCORED_ROWS`] (the
/// rarest always is); the rest are common. Words no row holds are dropped.
///
/// A word in thousands of rows (`get`, `value`, `new`) would make BM25
/// score every one of them, for rows that rank last anyway: its low IDF
/// cannot lift a row holding no rarer word of the query above one that
/// does. Engine and snapshot both split on the same counts, so they still
/// rank alike.
pub fn split_words(words: &[String], rows_with: &[i64]) -> Split {
    debug_assert_eq!(words.len(), rows_with.len());
    let rows_with: Vec<i64> = rows_with.iter().map(|&n| n.min(COUNT_CAP)).collect();
    let mut order: Vec<usize> = (0..words.len()).filter(|&i| rows_with[i] > 0).collect();
    order.sort_by_key(|&i| (rows_with[i], i));
    let mut distinctive = vec![false; words.len()];
    let mut rows = 0;
    for (n, &i) in order.iter().enumerate() {
        if n > 0 && rows + rows_with[i] > SCORED_ROWS {
            break;
        }
        distinctive[i] = true;
        rows += rows_with[i];
    }
    let mut split = Split::default();
    for (i, w) in words.iter().enumerate() {
        if distinctive[i] {
            split.distinctive.push(w.clone());
        } else if rows_with[i] > 0 {
            split.common.push(w.clone());
        }
    }
    split
}

/// Where counting a word's rows stops: one past [`SCORED_ROWS`].
pub const COUNT_CAP: i64 = SCORED_ROWS + 1;

/// The FTS5 `MATCH` expression for one word.
pub fn match_word(word: &str) -> String {
    format!("\"{word}\"")
}

impl Split {
    /// Whether a search that found `hits` of the `limit` asked for must be
    /// run again with [`Split::widened`]: when its common words may find
    /// the rest (a filter can leave the distinctive words' rows too few).
    pub fn widens(&self, hits: usize, limit: usize) -> bool {
        hits < limit && !self.common.is_empty()
    }

    /// Every word finding rows: the split's words, in query order.
    pub fn widened(&self, words: &[String]) -> Split {
        let held = |w: &String| self.distinctive.contains(w) || self.common.contains(w);
        Split {
            distinctive: words.iter().filter(|w| held(w)).cloned().collect(),
            common: Vec::new(),
        }
    }

    /// The FTS5 `MATCH` expressions of a split: the rows found (by a
    /// distinctive word), and those of them holding a common word too,
    /// whose phrases are in BM25's order (distinctive, then common). A row
    /// of both scores as the second says; the first alone scores the rest
    /// alike, as they hold no common word. None when no row can match.
    pub fn match_expressions(&self) -> Option<(String, Option<String>)> {
        if self.distinctive.is_empty() {
            return None;
        }
        let found = format!("({})", match_expression(&self.distinctive));
        let both = (!self.common.is_empty())
            .then(|| format!("{found} AND ({})", match_expression(&self.common)));
        Some((found, both))
    }
}

/// The FTS5 `MATCH` expression for [`query_words`]: any of them.
pub fn match_expression(words: &[String]) -> String {
    words
        .iter()
        .map(|w| match_word(w))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// The `ORDER BY` term of the `search` table: `bm25(search, w...)`.
pub fn bm25_sql() -> String {
    let w: Vec<String> = WEIGHTS.iter().map(|w| format!("{w:.1}")).collect();
    format!("bm25({TABLE}, {})", w.join(", "))
}

/// FTS5's `bm25()` over a table of `rows` rows holding `tokens` words in
/// all: the same arithmetic in the same order, so the engine's scores equal
/// SQLite's.
#[derive(Clone, Copy, Debug)]
pub struct Bm25 {
    pub rows: i64,
    pub tokens: i64,
}

impl Bm25 {
    /// The IDF of a word found in `hits` rows (FTS5 floors it at 1e-6).
    pub fn idf(&self, hits: i64) -> f64 {
        let idf = (((self.rows - hits) as f64 + 0.5) / (hits as f64 + 0.5)).ln();
        if idf <= 0.0 { 1e-6 } else { idf }
    }

    /// One query word's share of a row's score: its IDF, its weighted
    /// frequency in the row, the row's length in words. FTS5 sums these in
    /// query-word order, from 0.0, and negates the sum.
    pub fn term(&self, idf: f64, freq: f64, len: i64) -> f64 {
        let avgdl = self.tokens as f64 / self.rows as f64;
        let d = len as f64;
        idf * ((freq * (K1 + 1.0)) / (freq + K1 * (1.0 - B + B * d / avgdl)))
    }

    /// `bm25()` of a row of `len` words: for each query word its IDF and its
    /// weighted frequency in the row. Negative; lower ranks first.
    pub fn score(&self, idf: &[f64], freq: &[f64], len: i64) -> f64 {
        let mut score = 0.0;
        for (i, f) in idf.iter().zip(freq) {
            score += self.term(*i, *f, len);
        }
        -score
    }
}

/// The score a search answer shows: `-bm25`, rounded so that readers whose
/// floating point differs in the last bit print the same number.
pub fn shown_score(bm25: f64) -> f64 {
    (-bm25 * 1e4).round() / 1e4
}

/// The GLOB pattern for `--path`: as given when it has a wildcard, else a
/// prefix (`src/` is `src/*`).
pub fn path_glob(path: &str) -> String {
    if path.contains(['*', '?', '[']) {
        path.to_string()
    } else {
        format!("{path}*")
    }
}

/// SQLite's `GLOB`: `*` any run of characters (`/` too), `?` one
/// character, `[...]` a set (`^` negates, `a-z` ranges); case-sensitive.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // one backtracking point, the last `*`: O(len(p) * len(t)) at worst
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let step = match p.get(pi) {
            Some('*') => {
                star = Some((pi + 1, ti));
                pi += 1;
                continue;
            }
            Some('?') => Some(pi + 1),
            Some('[') => match set_matches(&p[pi + 1..], t[ti]) {
                Some((true, after)) => Some(p.len() - after.len()),
                _ => None,
            },
            Some(&c) if c == t[ti] => Some(pi + 1),
            _ => None,
        };
        match (step, star) {
            (Some(next), _) => {
                pi = next;
                ti += 1;
            }
            (None, Some((after_star, from))) => {
                pi = after_star;
                ti = from + 1;
                star = Some((after_star, from + 1));
            }
            (None, None) => return false,
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Does `c` fall in the set that starts `p` (just after its `[`)? Returns
/// the verdict and the pattern after the closing `]`.
fn set_matches(mut p: &[char], c: char) -> Option<(bool, &[char])> {
    let negated = p.first() == Some(&'^');
    if negated {
        p = &p[1..];
    }
    let mut seen = false;
    let mut first = true;
    let mut prev: Option<char> = None;
    while let Some((&x, rest)) = p.split_first() {
        if x == ']' && !first {
            return Some((seen != negated, rest));
        }
        first = false;
        if x == '-'
            && let (Some(lo), Some((&hi, after))) = (prev, rest.split_first())
            && hi != ']'
        {
            seen |= lo <= c && c <= hi;
            prev = None;
            p = after;
            continue;
        }
        seen |= x == c;
        prev = Some(x);
        p = rest;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_split_like_code_and_stay_whole() {
        assert_eq!(
            word_list("parse_http_header"),
            ["pars", "http", "header", "parsehttphead"]
        );
        assert_eq!(word_list("parseHTTPHeader"), word_list("parse_http_header"));
        assert_eq!(word_list("ParseHttpHeader"), word_list("parse_http_header"));
        assert_eq!(word_list("u8"), ["u", "8", "u8"]);
        assert_eq!(word_list("__init__ x"), ["init", "x"]);
        assert_eq!(
            word_list("fn get(&self) -> Option<&V>"),
            ["fn", "get", "self", "option", "v"]
        );
        assert_eq!(word_list("Größe_ändern").len(), 3);
        assert!(word_list(" -> ... ").is_empty());
    }

    #[test]
    fn english_forms_of_a_word_meet() {
        let w = |s| word_list(s);
        assert_eq!(w("parses"), w("parse"));
        assert_eq!(w("parsing"), w("parse"));
        assert_eq!(w("headers"), w("header"));
        assert_eq!(w("Returns"), w("return"));
        assert_ne!(w("parse"), w("part"));
    }

    #[test]
    fn every_word_survives_fts5s_ascii_tokenizer() {
        // FTS5 `ascii` splits on ASCII characters that are not letters or
        // digits; a word must never contain one, or the index and the
        // engine would count differently.
        for w in word_list("HTTP/2 über-fast `snake_case` camelCase Ω2x") {
            assert!(
                w.chars()
                    .all(|c| !c.is_ascii() || c.is_ascii_alphanumeric()),
                "{w}"
            );
            assert_eq!(w, w.to_lowercase());
        }
    }

    #[test]
    fn queries_drop_stop_words_and_repeats() {
        assert_eq!(
            query_words("Where do we parse the HTTP headers?"),
            query_words("parse http header")
        );
        assert_eq!(query_words("parse http header").len(), 3);
        assert_eq!(query_words("the the"), ["the"]);
        assert_eq!(match_expression(&query_words("a b")), "\"b\"");
        let many: String = (0..100).map(|i| format!("w{i} ")).collect();
        assert_eq!(query_words(&many).len(), MAX_QUERY_WORDS);
    }

    #[test]
    fn rare_words_find_rows_and_common_ones_only_score_them() {
        let w = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let split = |d: &str, c: &str| Split {
            distinctive: w(d),
            common: if c.is_empty() { Vec::new() } else { w(c) },
        };
        let words = w("get header value parse");
        // the rare words fit the budget; `get` and `value` would not
        assert_eq!(
            split_words(&words, &[40_000, 12, 9_000, 300]),
            split("header parse", "get value")
        );
        // the rarest is distinctive however common
        assert_eq!(
            split_words(&w("get new"), &[40_000, 60_000]),
            split("get", "new")
        );
        // all fit: all distinctive, in query order
        assert_eq!(
            split_words(&words, &[4, 3, 2, 1]),
            split(&words.join(" "), "")
        );
        // a word no row holds is dropped, and ties go to query order
        assert_eq!(
            split_words(&w("a b c"), &[0, SCORED_ROWS, SCORED_ROWS]),
            split("b", "c")
        );
        assert_eq!(split_words(&w("x"), &[0]), Split::default());
        // counts past the budget are all alike: query order decides
        assert_eq!(
            split_words(&w("get new"), &[COUNT_CAP + 5, COUNT_CAP]),
            split("get", "new")
        );
        // phrases in BM25's order: distinctive, then common
        assert_eq!(
            split("header parse", "get").match_expressions(),
            Some((
                "(\"header\" OR \"parse\")".to_string(),
                Some("(\"header\" OR \"parse\") AND (\"get\")".to_string())
            ))
        );
        assert_eq!(
            split("x", "").match_expressions(),
            Some(("(\"x\")".to_string(), None))
        );
        assert!(Split::default().match_expressions().is_none());
        // too few hits: every word finds rows, in query order
        let s = split_words(&words, &[40_000, 12, 0, 300]);
        assert!(s.widens(1, 10) && !s.widens(10, 10));
        assert!(!s.widened(&words).widens(1, 10));
        assert_eq!(s.widened(&words), split("get header parse", ""));
    }

    #[test]
    fn bm25_floors_idf_and_ranks_rarer_words_higher() {
        let b = Bm25 {
            rows: 100,
            tokens: 1000,
        };
        assert_eq!(b.idf(90), 1e-6);
        assert!(b.idf(1) > b.idf(10));
        let rare = b.score(&[b.idf(1)], &[1.0], 10);
        let common = b.score(&[b.idf(10)], &[1.0], 10);
        assert!(rare < common && common < 0.0);
        // a longer row with the same matches scores lower
        assert!(b.score(&[b.idf(1)], &[1.0], 40) > rare);
    }

    #[test]
    fn glob_is_sqlites() {
        assert!(glob_matches("src/*", "src/a/b.rs"));
        assert!(glob_matches("*.rs", "src/a.rs"));
        assert!(!glob_matches("*.rs", "src/a.py"));
        assert!(glob_matches("src/?.rs", "src/a.rs"));
        assert!(glob_matches("[a-c]*", "b.rs"));
        assert!(!glob_matches("[^a-c]*", "b.rs"));
        assert!(glob_matches("[]]x", "]x"));
        assert!(!glob_matches("SRC/*", "src/a.rs"));
        assert!(!glob_matches("[ab", "a"));
        assert_eq!(path_glob("src/"), "src/*");
        assert_eq!(path_glob("*.py"), "*.py");
    }
}
