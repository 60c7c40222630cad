//! The read API answered from the snapshot's tables: one implementation of
//! each question, over any [`RowSource`] (rusqlite natively, D1 on the
//! edge). Every answer is a handful of indexed statements; nothing loads
//! the whole graph, walks stop at [`api::WALK_LIMIT`] nodes or the caller's
//! limit, and answers past [`api::MAX_BODY`] are refused.
//!
//! Symbol ids are 64-bit; D1 hands numbers to JavaScript as doubles, so ids
//! are selected as text (`printf('%016x', id)`) and bound as decimal text
//! (`CAST(?1 AS INTEGER)`). The same SQL serves both sources.
//!
//! The entry points, the `Reader` and its dispatch are here; decoding
//! rows and the SQL they share is in `columns`, resolving a TARGET in
//! `target`, the callers, callees and impact walks in `walk`, the other
//! answers in `answers`, word search in `words`.

pub mod source;

#[macro_use]
mod columns;

mod answers;
mod target;
mod walk;
mod words;

pub use source::{RowSource, SourceError, Value, now};

use crate::api::answer::{Callees, NodeJson, References, SearchHit, Stats};
use crate::api::{self, ApiError, Query, TargetError};
use crate::schema::SCHEMA_VERSION;
use crate::{Lang, SymbolKind, SymbolRecord};
use columns::{REC_COLUMNS, corrupt, kind_filter, lang_filter, sym, sym_node};
use walk::Walk;

/// Answer a read route: the revision and the whole body,
/// `{"revision":N,"result":...}`.
pub async fn answer<S: RowSource>(
    src: &S,
    route: &str,
    params: &[(String, String)],
) -> Result<(u64, Vec<u8>), ApiError> {
    // first: it registers the snapshot's languages, which `lang` is parsed against
    let revision = revision(src).await?;
    let query = api::parse_replica(route, params)?;
    let docs = Reader { src }.run(query).await?;
    let size: usize = docs.iter().map(|d| d.len() + 1).sum();
    if size > api::MAX_BODY {
        return Err(api::too_large(size));
    }
    let body = api::envelope(
        revision,
        docs.iter().map(|d| &d[..]),
        api::is_listing(route),
    );
    Ok((revision, body))
}

/// The counts of `stats`: sums of the files table.
pub async fn stats<S: RowSource>(src: &S) -> Result<Stats, ApiError> {
    Reader { src }.stats().await
}

/// Word search (`/v1/search`): the best `limit` symbols for `query`.
pub async fn search<S: RowSource>(
    src: &S,
    query: &str,
    kinds: &[SymbolKind],
    langs: &[Lang],
    path: Option<&str>,
    limit: u32,
) -> Result<Vec<SearchHit>, ApiError> {
    Reader { src }
        .word_search(query, kinds, langs, path, limit)
        .await
}

/// The revision the database holds, once its schema is known to be ours.
pub async fn revision<S: RowSource>(src: &S) -> Result<u64, ApiError> {
    let rows = src
        .rows(
            "SELECT key, value FROM meta WHERE key IN ('schema_version', 'revision', 'languages')",
            &[],
        )
        .await
        .map_err(|e| {
            if e.0.contains("no such table") {
                no_snapshot()
            } else {
                ApiError::Unavailable(format!("the database did not answer: {e}"))
            }
        })?;
    let get = |k: &str| {
        rows.iter()
            .find(|r| r[0].text() == Some(k))
            .and_then(|r| r[1].text().map(str::to_string))
    };
    match get("schema_version") {
        Some(v) if v == SCHEMA_VERSION.to_string() => {
            if let Some(catalog) = get("languages") {
                Lang::register_catalog(&catalog).map_err(|e| {
                    ApiError::Unavailable(format!("the snapshot's language list is corrupt: {e}"))
                })?;
            }
            Ok(get("revision").and_then(|r| r.parse().ok()).unwrap_or(0))
        }
        Some(v) => Err(ApiError::Unavailable(format!(
            "the database holds snapshot schema {v}; this reader reads {SCHEMA_VERSION}"
        ))),
        None => Err(no_snapshot()),
    }
}

fn no_snapshot() -> ApiError {
    ApiError::Unavailable(
        "the database holds no weft snapshot: load one with `weft snapshot export --d1`".into(),
    )
}

/// A symbol's record plus where the tables keep it.
#[derive(Clone, Debug)]
struct Sym {
    rec: SymbolRecord,
    file: i64,
    ord: i64,
}

/// A graph node as the walks see it.
#[derive(Clone, Debug)]
enum Node {
    Symbol(Box<Sym>),
    File { id: i64, path: String },
}

/// A node's identity: (is a file, file id, ord).
type Key = (bool, i64, i64);

impl Node {
    fn key(&self) -> Key {
        match self {
            Node::Symbol(s) => (false, s.file, s.ord),
            Node::File { id, .. } => (true, *id, 0),
        }
    }

    /// The order answers list nodes in: symbols before files, by path,
    /// then by position in the file.
    fn order(&self) -> (bool, &str, i64) {
        match self {
            Node::Symbol(s) => (false, s.rec.file.as_str(), s.ord),
            Node::File { path, .. } => (true, path.as_str(), 0),
        }
    }

    fn json(&self) -> NodeJson {
        match self {
            Node::Symbol(s) => NodeJson::Symbol(s.rec.clone()),
            Node::File { path, .. } => NodeJson::File { file: path.clone() },
        }
    }
}

struct Reader<'a, S> {
    src: &'a S,
}

impl<S: RowSource> Reader<'_, S> {
    async fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, ApiError> {
        self.src
            .rows(sql, params)
            .await
            .map_err(|e| ApiError::Unavailable(format!("the database did not answer: {e}")))
    }

    /// The answer as JSON documents (one, or one per item for listings).
    async fn run(&self, q: Query) -> Result<Vec<Vec<u8>>, ApiError> {
        match q {
            Query::Symbols {
                query,
                kind,
                lang,
                path,
                limit,
            } => {
                let found = self
                    .search(&query, &kind, &lang, path.as_deref(), limit)
                    .await?;
                Ok(each(found.iter().map(|s| &s.rec)))
            }
            Query::Search {
                query,
                kind,
                lang,
                path,
                limit,
            } => {
                let hits = self
                    .word_search(&query, &kind, &lang, path.as_deref(), limit)
                    .await?;
                Ok(each(hits.iter()))
            }
            Query::Def { position } => one(&self.def(&position).await?),
            Query::Refs { target } => {
                let t = self.symbol(&target).await?;
                let references = self.references(&t).await?;
                one(&References {
                    target: Some(t.rec),
                    local: None,
                    references,
                })
            }
            Query::Callers { target, depth } => {
                let t = self.symbol(&target).await?;
                let w = self
                    .walk(
                        Walk::Callers,
                        sym_node(t),
                        depth.clamp(1, api::MAX_DEPTH),
                        api::WALK_LIMIT,
                    )
                    .await?;
                one(&w)
            }
            Query::Callees { target, depth } => {
                let t = self.symbol(&target).await?;
                if depth <= 1 {
                    let callees = self.callees(&t).await?;
                    one(&Callees {
                        target: t.rec,
                        callees,
                    })
                } else {
                    let w = self
                        .walk(
                            Walk::Callees,
                            sym_node(t),
                            depth.min(api::MAX_DEPTH),
                            api::WALK_LIMIT,
                        )
                        .await?;
                    one(&w)
                }
            }
            Query::Impls { target } => {
                let t = self.symbol(&target).await?;
                one(&self.impls(t).await?)
            }
            Query::Impact {
                target,
                depth,
                limit,
            } => {
                let t = self.target(&target).await?;
                let w = self
                    .walk(
                        Walk::Impact,
                        t,
                        depth.clamp(1, api::MAX_DEPTH),
                        (limit as usize).max(1),
                    )
                    .await?;
                one(&w)
            }
            Query::Deps { target } => {
                let (id, path) = match self.target(&target).await? {
                    Node::File { id, path } => (id, path),
                    Node::Symbol(s) => (s.file, s.rec.file),
                };
                one(&self.deps(id, path).await?)
            }
            Query::Outline { file } => {
                let Some((id, _)) = self.file(&file).await? else {
                    return Err(ApiError::BadRequest(
                        TargetError::no_file(&file).to_string(),
                    ));
                };
                let rows = self
                    .rows(
                        concat!(
                            "SELECT ",
                            rec!("s", "f"),
                            " FROM symbols s JOIN files f ON f.id = s.file WHERE s.file = ?1 ORDER BY s.ord"
                        ),
                        &[id.into()],
                    )
                    .await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    if let Some(s) = sym(r, 0)? {
                        out.push(serde_json::to_vec(&s.rec).expect("serializable"));
                    }
                }
                Ok(out)
            }
            Query::Stats => one(&self.stats().await?),
            q => Err(ApiError::NotServed(format!(
                "/v1/{} walks the whole graph: `weft serve` answers it, a replica does not",
                q.route()
            ))),
        }
    }
}

/// A listing's answer: one document per item.
fn each<'a, T: serde::Serialize + 'a>(items: impl Iterator<Item = &'a T>) -> Vec<Vec<u8>> {
    items
        .map(|v| serde_json::to_vec(v).expect("answers serialize"))
        .collect()
}

/// An answer of one document.
fn one<T: serde::Serialize>(v: &T) -> Result<Vec<Vec<u8>>, ApiError> {
    Ok(vec![serde_json::to_vec(v).expect("answers serialize")])
}
