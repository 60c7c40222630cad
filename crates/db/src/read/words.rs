//! Word search over the snapshot's FTS5 table (`/v1/search`): the SQL side
//! of `crate::search`, ranking exactly as the engine's index does.
//!
//! A query costs FTS5 a `bm25()` per row it scores, about 2 µs each, so
//! the plan keeps that number small: the query's words are counted first
//! and split (`search::split_words`), only rows of its distinctive words are
//! scored, and only the rows that can make the cut are joined to their
//! symbols. A file filter (`--path`, `--lang`) over few symbols becomes a
//! list of ids, checked per row far faster than a join.

use super::{REC_COLUMNS, Reader, RowSource, Value, corrupt, kind_filter, lang_filter, sym};
use crate::api::answer::SearchHit;
use crate::api::{self, ApiError};
use crate::search::{self, Split};
use crate::{Lang, SymbolKind};

/// A search's filters as SQL conditions: on the symbol (`s`), and on its
/// file (`f`), where `{glob}` stands for the path pattern's parameter.
struct Filters {
    symbol: Option<String>,
    file: Option<String>,
    glob: Option<String>,
}

impl Filters {
    fn new(kinds: &[SymbolKind], langs: &[Lang], path: Option<&str>) -> Filters {
        let mut file: Vec<String> = lang_filter(langs).into_iter().collect();
        if path.is_some() {
            file.push("f.path GLOB {glob}".to_string());
        }
        Filters {
            symbol: kind_filter(kinds),
            file: (!file.is_empty()).then(|| file.join(" AND ")),
            glob: path.map(search::path_glob),
        }
    }

    /// The file condition, its pattern bound as the next of `params`.
    fn file_sql(&self, params: &mut Vec<Value>) -> Option<String> {
        let cond = self.file.as_ref()?;
        Some(match &self.glob {
            Some(g) => {
                params.push(g.clone().into());
                cond.replace("{glob}", &format!("?{}", params.len()))
            }
            None => cond.clone(),
        })
    }
}

impl<S: RowSource> Reader<'_, S> {
    /// Ranked word search, as the engine's `search::search`: FTS5's BM25
    /// over the `search` table, ties by path and position.
    pub(super) async fn word_search(
        &self,
        query: &str,
        kinds: &[SymbolKind],
        langs: &[Lang],
        path: Option<&str>,
        limit: u32,
    ) -> Result<Vec<SearchHit>, ApiError> {
        let words = search::query_words(query);
        if words.is_empty() {
            return Err(ApiError::BadRequest(api::no_words(query)));
        }
        if limit == 0 {
            return Ok(Vec::new());
        }
        let filters = Filters::new(kinds, langs, path);
        let (split, filtered) = self.split_words(&words, &filters).await?;
        let by_ids = filtered.is_some_and(|n| n <= search::ID_LIST_MAX);
        let hits = self.ranked(&split, &filters, by_ids, limit).await?;
        if split.widens(hits.len(), limit as usize) {
            return self
                .ranked(&split.widened(&words), &filters, by_ids, limit)
                .await;
        }
        Ok(hits)
    }

    /// A query's words split by the snapshot's counts
    /// (`search::split_words`), and the number of symbols the file filter
    /// keeps, if there is one: one statement.
    async fn split_words(
        &self,
        words: &[String],
        filters: &Filters,
    ) -> Result<(Split, Option<i64>), ApiError> {
        let cap = search::COUNT_CAP;
        let mut params: Vec<Value> = words.iter().map(|w| search::match_word(w).into()).collect();
        let mut columns: Vec<String> = (1..=words.len())
            .map(|i| {
                format!(
                    "(SELECT count(*) FROM (SELECT 1 FROM search WHERE search MATCH ?{i} LIMIT {cap}))"
                )
            })
            .collect();
        if let Some(cond) = filters.file_sql(&mut params) {
            columns.push(format!(
                "(SELECT coalesce(sum(f.n_symbols), 0) FROM files f WHERE {cond})"
            ));
        }
        let rows = self
            .rows(&format!("SELECT {}", columns.join(", ")), &params)
            .await?;
        let row = rows.first().ok_or_else(|| corrupt("word counts"))?;
        let mut counts = row
            .iter()
            .map(|v| v.int().ok_or_else(|| corrupt("a word count")))
            .collect::<Result<Vec<i64>, _>>()?;
        let filtered = (counts.len() > words.len()).then(|| counts.pop().unwrap_or(0));
        Ok((search::split_words(words, &counts), filtered))
    }

    /// The best `limit` rows for a split query: FTS5's BM25 over the
    /// `search` table, ties by path and position. `by_ids`: check the file
    /// filter against a list of its symbols' ids rather than by a join.
    async fn ranked(
        &self,
        split: &Split,
        filters: &Filters,
        by_ids: bool,
        limit: u32,
    ) -> Result<Vec<SearchHit>, ApiError> {
        let Some((found, both)) = split.match_expressions() else {
            return Ok(Vec::new());
        };
        let mut params: Vec<Value> = vec![i64::from(limit).into(), found.into()];
        let mut ctes = Vec::new();
        let mut joins = String::new();
        let mut conds = String::new();
        if let Some(cond) = &filters.symbol {
            joins.push_str(" JOIN symbols s ON s.id = search.rowid");
            conds.push_str(&format!(" AND {cond}"));
        }
        if let Some(cond) = filters.file_sql(&mut params) {
            if by_ids {
                ctes.push(format!(
                    "ids AS (SELECT s.id FROM files f JOIN symbols s ON s.file = f.id WHERE {cond})"
                ));
                // `+`: a plain `rowid IN` would make FTS5 run the whole
                // query once per id
                conds.push_str(" AND +search.rowid IN (SELECT id FROM ids)");
            } else {
                if filters.symbol.is_none() {
                    joins.push_str(" JOIN symbols s ON s.id = search.rowid");
                }
                joins.push_str(" JOIN files f ON f.id = s.file");
                conds.push_str(&format!(" AND {cond}"));
            }
        }
        let scored = |expr: &str, unless: &str| {
            format!(
                "SELECT search.rowid AS id, {} AS score FROM search{joins}
                 WHERE search MATCH {expr}{conds}{unless}",
                search::bm25_sql()
            )
        };
        // rows holding a common word score with it (`b`), the others
        // without: each row's BM25 over all the words it holds
        match both {
            None => ctes.push(format!("m AS MATERIALIZED ({})", scored("?2", ""))),
            Some(both) => {
                params.push(both.into());
                ctes.push(format!(
                    "b AS MATERIALIZED ({})",
                    scored(&format!("?{}", params.len()), "")
                ));
                ctes.push(format!(
                    "a AS MATERIALIZED ({})",
                    scored("?2", " AND search.rowid NOT IN (SELECT id FROM b)")
                ));
                ctes.push("m AS (SELECT * FROM a UNION ALL SELECT * FROM b)".into());
            }
        }
        // only the rows that can make the cut (the `limit`th score, ties
        // included) are joined to their symbols
        let sql = format!(
            "WITH {},
             cut AS (SELECT score FROM m ORDER BY score LIMIT 1 OFFSET ?1 - 1)
             SELECT {}, m.score FROM m JOIN symbols s ON s.id = m.id
             JOIN files f ON f.id = s.file
             WHERE m.score <= (SELECT score FROM cut) OR NOT EXISTS (SELECT 1 FROM cut)
             ORDER BY m.score, f.path, s.ord LIMIT ?1",
            ctes.join(",\n"),
            rec!("s", "f"),
        );
        let rows = self.rows(&sql, &params).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let score = match r.get(REC_COLUMNS) {
                Some(Value::Real(f)) => *f,
                Some(v) => v.int().ok_or_else(|| corrupt("a score"))? as f64,
                None => return Err(corrupt("a score")),
            };
            if let Some(s) = sym(r, 0)? {
                out.push(SearchHit {
                    score: search::shown_score(score),
                    symbol: s.rec,
                });
            }
        }
        Ok(out)
    }
}
