//! The read API answered from the snapshot's tables: one implementation of
//! each question, over any [`RowSource`] (rusqlite natively, D1 on the
//! edge). Every answer is a handful of indexed statements; nothing loads
//! the whole graph, walks stop at [`api::WALK_LIMIT`] nodes or the caller's
//! limit, and answers past [`api::MAX_BODY`] are refused.
//!
//! Symbol ids are 64-bit; D1 hands numbers to JavaScript as doubles, so ids
//! are selected as text (`printf('%016x', id)`) and bound as decimal text
//! (`CAST(?1 AS INTEGER)`). The same SQL serves both sources.

pub mod source;

use std::collections::{HashMap, HashSet, VecDeque};

pub use source::{RowSource, SourceError, Value, now};

use crate::api::answer::{
    Callee, Callees, Definition, Deps, Implemented, Impls, NodeJson, Reached, Reference,
    References, SearchHit, Stats, Walked,
};
use crate::api::{self, ApiError, Query, TargetError};
use crate::rows::FileStats;
use crate::schema::{Coded, SCHEMA_VERSION};
use crate::{Lang, Pos, Resolution, Role, Span, SymbolId, SymbolKind, SymbolRecord};

/// Answer a read route: the revision and the whole body,
/// `{"revision":N,"result":...}`.
pub async fn answer<S: RowSource>(
    src: &S,
    route: &str,
    params: &[(String, String)],
) -> Result<(u64, Vec<u8>), ApiError> {
    let query = api::parse_replica(route, params)?;
    let revision = revision(src).await?;
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
            "SELECT key, value FROM meta WHERE key IN ('schema_version', 'revision')",
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

/// The columns of a symbol record, for symbol alias `$s` and file alias
/// `$f` (20 columns; NULL throughout when a LEFT JOIN found none).
macro_rules! rec {
    ($s:literal, $f:literal) => {
        concat!(
            "CASE WHEN ",
            $s,
            ".id IS NULL THEN NULL ELSE printf('%016x', ",
            $s,
            ".id) END, ",
            $s,
            ".name, ",
            $s,
            ".qualified_name, ",
            $s,
            ".kind, ",
            $f,
            ".lang, ",
            $f,
            ".path, ",
            $s,
            ".line, ",
            $s,
            ".col, ",
            $s,
            ".end_line, ",
            $s,
            ".end_col, ",
            $s,
            ".full_line, ",
            $s,
            ".full_col, ",
            $s,
            ".full_end_line, ",
            $s,
            ".full_end_col, ",
            "CASE WHEN ",
            $s,
            ".container IS NULL THEN NULL ELSE printf('%016x', ",
            $s,
            ".container) END, ",
            $s,
            ".exported, ",
            $s,
            ".signature, ",
            $s,
            ".doc, ",
            $s,
            ".file, ",
            $s,
            ".ord"
        )
    };
}

mod words;

fn corrupt(what: &str) -> ApiError {
    ApiError::Unavailable(format!(
        "the snapshot holds a row this reader cannot read ({what}); re-export it"
    ))
}

fn int(row: &[Value], i: usize) -> Result<i64, ApiError> {
    row.get(i)
        .and_then(Value::int)
        .ok_or_else(|| corrupt("an integer column"))
}

fn u32_at(row: &[Value], i: usize) -> Result<u32, ApiError> {
    u32::try_from(int(row, i)?).map_err(|_| corrupt("a position"))
}

fn text(row: &[Value], i: usize) -> Result<String, ApiError> {
    row.get(i)
        .and_then(Value::text)
        .map(str::to_string)
        .ok_or_else(|| corrupt("a text column"))
}

fn opt_text(row: &[Value], i: usize) -> Option<String> {
    row.get(i).and_then(Value::text).map(str::to_string)
}

fn coded<T: Coded>(row: &[Value], i: usize) -> Result<T, ApiError> {
    T::from_code(int(row, i)?).ok_or_else(|| corrupt("an enumeration code"))
}

fn span(row: &[Value], i: usize) -> Result<Span, ApiError> {
    Ok(Span {
        start: Pos {
            line: u32_at(row, i)?,
            col: u32_at(row, i + 1)?,
        },
        end: Pos {
            line: u32_at(row, i + 2)?,
            col: u32_at(row, i + 3)?,
        },
    })
}

/// A reference's span from (line, col, end_col): a reference is one name
/// on one line.
fn ref_span(row: &[Value], i: usize) -> Result<Span, ApiError> {
    let line = u32_at(row, i)?;
    Ok(Span {
        start: Pos {
            line,
            col: u32_at(row, i + 1)?,
        },
        end: Pos {
            line,
            col: u32_at(row, i + 2)?,
        },
    })
}

fn id(row: &[Value], i: usize) -> Result<SymbolId, ApiError> {
    text(row, i)?.parse().map_err(|_| corrupt("a symbol id"))
}

/// The record at columns `i..i + REC_COLUMNS`, if the join found one.
fn sym(row: &[Value], i: usize) -> Result<Option<Sym>, ApiError> {
    if matches!(row.get(i), None | Some(Value::Null)) {
        return Ok(None);
    }
    let rec = SymbolRecord {
        id: id(row, i)?,
        name: text(row, i + 1)?,
        qualified_name: text(row, i + 2)?,
        kind: coded::<SymbolKind>(row, i + 3)?,
        lang: Lang::parse(&text(row, i + 4)?).ok_or_else(|| corrupt("a language"))?,
        file: text(row, i + 5)?,
        span: span(row, i + 6)?,
        full_span: span(row, i + 10)?,
        container: match row.get(i + 14) {
            Some(Value::Null) | None => None,
            Some(_) => Some(id(row, i + 14)?),
        },
        exported: int(row, i + 15)? != 0,
        signature: text(row, i + 16)?,
        doc: opt_text(row, i + 17),
    };
    Ok(Some(Sym {
        rec,
        file: int(row, i + 18)?,
        ord: int(row, i + 19)?,
    }))
}

fn sym_node(s: Sym) -> Node {
    Node::Symbol(Box::new(s))
}

/// A symbol id as a bound parameter: decimal text, `CAST` back in SQL.
fn id_param(id: SymbolId) -> Value {
    Value::Text((id.0 as i64).to_string())
}

/// What the name at a position denotes.
enum Denoted {
    Def(Sym, Resolution),
    Module(String, Resolution),
    External(String),
    Unresolved,
}

/// Which way a walk goes.
#[derive(Clone, Copy)]
enum Walk {
    Callers,
    Callees,
    Impact,
}

/// A breadth-first walk's outcome, as `graph::bfs` in the engine keeps it.
struct Bfs {
    order: Vec<(Key, u32)>,
    parent: HashMap<Key, Key>,
    guessed: HashSet<Key>,
    nodes: HashMap<Key, Node>,
}

impl Bfs {
    fn path_to(&self, k: Key) -> Vec<Key> {
        let mut path = vec![k];
        let mut cur = k;
        while let Some(&p) = self.parent.get(&cur) {
            path.push(p);
            cur = p;
        }
        path.reverse();
        path
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
                    target: t.rec,
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

    async fn file(&self, path: &str) -> Result<Option<(i64, String)>, ApiError> {
        let rows = self
            .rows(
                "SELECT id, path FROM files WHERE path = ?1",
                &[api::normalize_path(path).into()],
            )
            .await?;
        match rows.first() {
            Some(r) => Ok(Some((int(r, 0)?, text(r, 1)?))),
            None => Ok(None),
        }
    }

    async fn by_id(&self, id: SymbolId) -> Result<Option<Sym>, ApiError> {
        let rows = self
            .rows(
                concat!(
                    "SELECT ",
                    rec!("s", "f"),
                    " FROM symbols s JOIN files f ON f.id = s.file WHERE s.id = CAST(?1 AS INTEGER)"
                ),
                &[id_param(id)],
            )
            .await?;
        match rows.first() {
            Some(r) => sym(r, 0),
            None => Ok(None),
        }
    }

    /// The first column of a name on `line`, for `FILE:LINE`; 0 if none.
    async fn first_name_col(&self, file: i64, line: u32) -> Result<u32, ApiError> {
        let rows = self
            .rows(
                "SELECT min(c) FROM (SELECT col AS c FROM symbols WHERE file = ?1 AND line = ?2
                   UNION ALL SELECT col FROM refs WHERE file = ?1 AND line = ?2)",
                &[file.into(), (line as i64).into()],
            )
            .await?;
        Ok(rows
            .first()
            .and_then(|r| r.first())
            .and_then(Value::int)
            .map_or(0, |c| c as u32))
    }

    /// `FILE:LINE:COL` or `FILE:LINE` (1-based) into a file and position.
    async fn position(&self, s: &str) -> Result<Option<(i64, String, Pos)>, ApiError> {
        let Some((file, line, col)) = api::split_position(s) else {
            return Ok(None);
        };
        let Some((id, path)) = self.file(&file).await? else {
            return Err(ApiError::BadRequest(
                TargetError::no_file(&file).to_string(),
            ));
        };
        let line = line.saturating_sub(1);
        let col = match col {
            Some(c) => c.saturating_sub(1),
            None => self.first_name_col(id, line).await?,
        };
        Ok(Some((id, path, Pos { line, col })))
    }

    /// What the name at `pos` denotes: a definition's own name, or a
    /// reference's target; and the name.
    async fn denoted(&self, file: i64, pos: Pos) -> Result<Option<(Denoted, String)>, ApiError> {
        let p = [
            file.into(),
            (pos.line as i64).into(),
            (pos.col as i64).into(),
        ];
        let rows = self
            .rows(
                concat!(
                    "SELECT ",
                    rec!("s", "f"),
                    " FROM symbols s JOIN files f ON f.id = s.file WHERE s.file = ?1
                       AND (s.line < ?2 OR (s.line = ?2 AND s.col <= ?3))
                       AND (s.end_line > ?2 OR (s.end_line = ?2 AND s.end_col > ?3))
                     ORDER BY s.ord LIMIT 1"
                ),
                &p,
            )
            .await?;
        if let Some(s) = rows.first().map(|r| sym(r, 0)).transpose()?.flatten() {
            let name = s.rec.name.clone();
            return Ok(Some((Denoted::Def(s, Resolution::Scoped), name)));
        }
        let rows = self
            .rows(
                concat!(
                    "SELECT r.name, r.resolution, r.module, ",
                    rec!("t", "tf"),
                    " FROM refs r LEFT JOIN symbols t ON t.id = r.target
                       LEFT JOIN files tf ON tf.id = t.file
                     WHERE r.file = ?1 AND r.line = ?2 AND r.col <= ?3 AND r.end_col > ?3
                     ORDER BY r.seq LIMIT 1"
                ),
                &p,
            )
            .await?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        let name = text(r, 0)?;
        let resolution: Resolution = coded(r, 1)?;
        let module = opt_text(r, 2);
        let d = match (sym(r, 3)?, resolution, module) {
            (Some(s), res, _) => Denoted::Def(s, res),
            (None, Resolution::External, Some(m)) => Denoted::External(m),
            (None, Resolution::Unresolved | Resolution::External, _) => Denoted::Unresolved,
            (None, res, Some(m)) => Denoted::Module(m, res),
            (None, _, None) => Denoted::Unresolved,
        };
        Ok(Some((d, name)))
    }

    /// The innermost definition whose whole range holds `pos`.
    async fn enclosing(&self, file: i64, pos: Pos) -> Result<Option<Sym>, ApiError> {
        let rows = self
            .rows(
                concat!(
                    "SELECT ",
                    rec!("s", "f"),
                    " FROM symbols s JOIN files f ON f.id = s.file WHERE s.file = ?1
                       AND (s.full_line < ?2 OR (s.full_line = ?2 AND s.full_col <= ?3))
                       AND (s.full_end_line > ?2 OR (s.full_end_line = ?2 AND s.full_end_col > ?3))
                     ORDER BY s.ord DESC LIMIT 1"
                ),
                &[
                    file.into(),
                    (pos.line as i64).into(),
                    (pos.col as i64).into(),
                ],
            )
            .await?;
        rows.first()
            .map(|r| sym(r, 0))
            .transpose()
            .map(Option::flatten)
    }

    /// Definitions whose qualified name ends with the query's segments;
    /// exact matches only, if there are any.
    async fn by_qualified_name(&self, query: &str) -> Result<Vec<Sym>, ApiError> {
        let segs = api::query_segments(query);
        let Some(&name) = segs.last() else {
            return Ok(vec![]);
        };
        let rows = self
            .rows(
                concat!(
                    "SELECT ",
                    rec!("s", "f"),
                    " FROM symbols s JOIN files f ON f.id = s.file
                     WHERE s.name = ?1 COLLATE NOCASE AND s.name = ?1"
                ),
                &[name.into()],
            )
            .await?;
        let (mut exact, mut suffix) = (Vec::new(), Vec::new());
        for r in &rows {
            let Some(s) = sym(r, 0)? else { continue };
            match api::qualified_match(&segs, &s.rec.qualified_name) {
                Some(true) => exact.push(s),
                Some(false) => suffix.push(s),
                None => {}
            }
        }
        let mut found = if exact.is_empty() { suffix } else { exact };
        found.sort_by(|a, b| (&a.rec.file, a.ord).cmp(&(&b.rec.file, b.ord)));
        Ok(found)
    }

    /// Resolve a TARGET: an id, a position, a file, a qualified name.
    async fn target(&self, s: &str) -> Result<Node, ApiError> {
        let bad = |e: TargetError| ApiError::BadRequest(e.to_string());
        if api::looks_like_id(s)
            && let Ok(id) = s.parse::<SymbolId>()
            && let Some(found) = self.by_id(id).await?
        {
            return Ok(sym_node(found));
        }
        if let Some((file, path, pos)) = self.position(s).await? {
            return match self.denoted(file, pos).await? {
                Some((Denoted::Def(d, _), _)) => Ok(sym_node(d)),
                Some((Denoted::Module(m, _), _)) => match self.file(&m).await? {
                    Some((id, path)) => Ok(Node::File { id, path }),
                    None => Err(bad(TargetError::no_file(&m))),
                },
                Some((Denoted::External(m), name)) => {
                    Err(bad(TargetError::not_in_tree(&name, s, Some(&m))))
                }
                Some((Denoted::Unresolved, name)) => {
                    Err(bad(TargetError::not_in_tree(&name, s, None)))
                }
                None => match self.enclosing(file, pos).await? {
                    Some(d) => Ok(sym_node(d)),
                    None => Ok(Node::File { id: file, path }),
                },
            };
        }
        if let Some((id, path)) = self.file(s).await? {
            return Ok(Node::File { id, path });
        }
        let found = self.by_qualified_name(s).await?;
        match found.len() {
            0 => Err(bad(TargetError::no_match(s))),
            1 => Ok(sym_node(found.into_iter().next().expect("one"))),
            _ => Err(bad(TargetError::Ambiguous(
                s.to_string(),
                found.iter().map(|f| api::describe(&f.rec)).collect(),
            ))),
        }
    }

    async fn symbol(&self, s: &str) -> Result<Sym, ApiError> {
        match self.target(s).await? {
            Node::Symbol(b) => Ok(*b),
            Node::File { path, .. } => Err(ApiError::BadRequest(api::needs_symbol(s, &path))),
        }
    }

    async fn def(&self, position: &str) -> Result<Definition, ApiError> {
        let Some((file, _, pos)) = self.position(position).await? else {
            return Err(ApiError::BadRequest(api::bad_position(position)));
        };
        let Some((d, name)) = self.denoted(file, pos).await? else {
            return Err(ApiError::BadRequest(api::no_name_at(position)));
        };
        let mut out = Definition {
            name,
            resolution: Resolution::Unresolved,
            definition: None,
            module: None,
            module_file: None,
        };
        match d {
            Denoted::Def(s, res) => {
                out.resolution = res;
                out.definition = Some(s.rec);
            }
            Denoted::Module(m, res) => {
                out.resolution = res;
                out.module_file = Some(m);
            }
            Denoted::External(m) => {
                out.resolution = Resolution::External;
                out.module = Some(m);
            }
            Denoted::Unresolved => {}
        }
        Ok(out)
    }

    async fn references(&self, t: &Sym) -> Result<Vec<Reference>, ApiError> {
        let rows = self
            .rows(
                "SELECT f.path, r.line, r.col, r.end_col, r.role, r.resolution
                 FROM refs r JOIN files f ON f.id = r.file
                 WHERE r.target = CAST(?1 AS INTEGER) ORDER BY f.path, r.seq",
                &[id_param(t.rec.id)],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Reference {
                    file: text(r, 0)?,
                    span: ref_span(r, 1)?,
                    role: coded(r, 4)?,
                    resolution: coded(r, 5)?,
                })
            })
            .collect()
    }

    async fn callees(&self, t: &Sym) -> Result<Vec<Callee>, ApiError> {
        let rows = self
            .rows(
                concat!(
                    "SELECT r.name, r.line, r.col, r.end_col, r.resolution, r.module, ",
                    rec!("t", "tf"),
                    " FROM refs r LEFT JOIN symbols t ON t.id = r.target
                       LEFT JOIN files tf ON tf.id = t.file
                     WHERE r.file = ?1 AND r.role = ?2 AND r.caller = ?3 ORDER BY r.seq"
                ),
                &[t.file.into(), Role::Call.code().into(), t.ord.into()],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let resolution: Resolution = coded(r, 4)?;
                Ok(Callee {
                    name: text(r, 0)?,
                    at: ref_span(r, 1)?,
                    resolution,
                    target: sym(r, 6)?.map(|s| s.rec),
                    module: match resolution {
                        Resolution::External => opt_text(r, 5),
                        _ => None,
                    },
                })
            })
            .collect()
    }

    /// Files whose dependencies include `path`, by path.
    async fn dependents(&self, file: i64, path: &str) -> Result<Vec<(i64, String)>, ApiError> {
        let rows = self
            .rows(
                "SELECT f.id, f.path FROM file_deps d JOIN files f ON f.id = d.file
                 WHERE d.kind = 0 AND d.name = ?1 AND d.file != ?2 ORDER BY f.path",
                &[path.into(), file.into()],
            )
            .await?;
        rows.iter().map(|r| Ok((int(r, 0)?, text(r, 1)?))).collect()
    }

    /// The next nodes of a walk from `n`, each with whether the edge is
    /// only a name match.
    async fn next(&self, walk: Walk, n: &Node) -> Result<Vec<(Node, bool)>, ApiError> {
        let heuristic = Resolution::Heuristic.code();
        match (walk, n) {
            (Walk::Callers | Walk::Impact, Node::Symbol(s)) => {
                // callers: the enclosing function of each call; impact: the
                // enclosing definition of each reference
                let sql = match walk {
                    Walk::Callers => concat!(
                        "SELECT rf.id, rf.path, r.resolution, ",
                        rec!("s", "rf"),
                        " FROM refs r JOIN files rf ON rf.id = r.file
                           LEFT JOIN symbols s ON s.file = r.file AND s.ord = r.caller
                         WHERE r.target = CAST(?1 AS INTEGER) AND r.role = ?2
                         ORDER BY rf.path, r.seq"
                    ),
                    _ => concat!(
                        "SELECT rf.id, rf.path, r.resolution, ",
                        rec!("s", "rf"),
                        " FROM refs r JOIN files rf ON rf.id = r.file
                           LEFT JOIN symbols s ON s.file = r.file AND s.ord = r.source
                         WHERE r.target = CAST(?1 AS INTEGER)
                         ORDER BY rf.path, r.seq"
                    ),
                };
                let mut params = vec![id_param(s.rec.id)];
                if let Walk::Callers = walk {
                    params.push(Role::Call.code().into());
                }
                let rows = self.rows(sql, &params).await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    let node = match sym(r, 3)? {
                        Some(s) => sym_node(s),
                        None => Node::File {
                            id: int(r, 0)?,
                            path: text(r, 1)?,
                        },
                    };
                    out.push((node, int(r, 2)? == heuristic));
                }
                if let Walk::Impact = walk {
                    // proven edges first, each node once, in node order
                    out.sort_by(|a, b| (a.0.order(), a.1).cmp(&(b.0.order(), b.1)));
                    out.dedup_by_key(|(n, _)| n.key());
                }
                Ok(out)
            }
            (Walk::Callees, Node::Symbol(s)) => {
                let rows = self
                    .rows(
                        concat!(
                            "SELECT r.resolution, ",
                            rec!("t", "tf"),
                            " FROM refs r JOIN symbols t ON t.id = r.target
                               JOIN files tf ON tf.id = t.file
                             WHERE r.file = ?1 AND r.role = ?2 AND r.caller = ?3 ORDER BY r.seq"
                        ),
                        &[s.file.into(), Role::Call.code().into(), s.ord.into()],
                    )
                    .await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    if let Some(t) = sym(r, 1)? {
                        out.push((sym_node(t), int(r, 0)? == heuristic));
                    }
                }
                Ok(out)
            }
            (Walk::Impact, Node::File { id, path }) => Ok(self
                .dependents(*id, path)
                .await?
                .into_iter()
                .map(|(id, path)| (Node::File { id, path }, false))
                .collect()),
            (_, Node::File { .. }) => Ok(vec![]),
        }
    }

    /// Breadth-first, as the engine's walk: the same order, parents and
    /// limit.
    async fn walk(
        &self,
        walk: Walk,
        start: Node,
        depth: u32,
        limit: usize,
    ) -> Result<Walked, ApiError> {
        let label = match walk {
            Walk::Callers => "callers",
            Walk::Callees => "callees",
            Walk::Impact => "impact",
        };
        let start_key = start.key();
        let mut w = Bfs {
            order: Vec::new(),
            parent: HashMap::new(),
            guessed: HashSet::new(),
            nodes: HashMap::new(),
        };
        let mut seen: HashSet<Key> = HashSet::from([start_key]);
        let mut queue: VecDeque<(Key, u32)> = VecDeque::from([(start_key, 0)]);
        w.nodes.insert(start_key, start);
        while let Some((k, d)) = queue.pop_front() {
            if d > 0 {
                w.order.push((k, d));
                if w.order.len() >= limit {
                    break;
                }
            }
            if d >= depth {
                continue;
            }
            let next = self.next(walk, &w.nodes[&k]).await?;
            for (m, heuristic) in next {
                let mk = m.key();
                if seen.insert(mk) {
                    w.parent.insert(mk, k);
                    if heuristic {
                        w.guessed.insert(mk);
                    }
                    w.nodes.insert(mk, m);
                    queue.push_back((mk, d + 1));
                }
            }
        }
        let reached = w
            .order
            .iter()
            .map(|&(k, d)| {
                let path = w.path_to(k);
                Reached {
                    node: w.nodes[&k].json(),
                    distance: d,
                    resolution: Reached::resolution(path.iter().any(|p| w.guessed.contains(p))),
                    path: path.iter().map(|p| w.nodes[p].json()).collect(),
                }
            })
            .collect();
        Ok(Walked {
            target: w.nodes[&start_key].json(),
            label,
            reached,
        })
    }

    async fn impls(&self, t: Sym) -> Result<Impls, ApiError> {
        let rows = self
            .rows(
                concat!(
                    "SELECT i.line, i.col, i.end_line, i.end_col, ",
                    rec!("s", "f"),
                    " FROM inherits i JOIN symbols s ON s.id = i.sub JOIN files f ON f.id = s.file
                     WHERE i.target = CAST(?1 AS INTEGER)"
                ),
                &[id_param(t.rec.id)],
            )
            .await?;
        let mut implementors: Vec<(Sym, Span)> = Vec::with_capacity(rows.len());
        for r in &rows {
            if let Some(s) = sym(r, 4)? {
                implementors.push((s, span(r, 0)?));
            }
        }
        implementors
            .sort_by(|a, b| (&a.0.rec.file, a.0.ord, a.1).cmp(&(&b.0.rec.file, b.0.ord, b.1)));
        implementors.dedup_by(|a, b| a.0.rec.id == b.0.rec.id && a.1 == b.1);
        let rows = self
            .rows(
                concat!(
                    "SELECT i.name, i.resolution, ",
                    rec!("t", "tf"),
                    " FROM inherits i JOIN files fi ON fi.id = i.file
                       LEFT JOIN symbols t ON t.id = i.target LEFT JOIN files tf ON tf.id = t.file
                     WHERE i.sub = CAST(?1 AS INTEGER) ORDER BY fi.path, i.rowid"
                ),
                &[id_param(t.rec.id)],
            )
            .await?;
        let implements = rows
            .iter()
            .map(|r| {
                Ok(Implemented {
                    name: text(r, 0)?,
                    resolution: coded(r, 1)?,
                    target: sym(r, 2)?.map(|s| s.rec),
                })
            })
            .collect::<Result<_, ApiError>>()?;
        Ok(Impls {
            target: t.rec,
            implementors: implementors.into_iter().map(|(s, _)| s.rec).collect(),
            implements,
        })
    }

    async fn deps(&self, id: i64, path: String) -> Result<Deps, ApiError> {
        let rows = self
            .rows(
                "SELECT kind, name FROM file_deps WHERE file = ?1 ORDER BY seq",
                &[id.into()],
            )
            .await?;
        let mut d = Deps {
            file: path,
            imports: vec![],
            external: vec![],
            unresolved: vec![],
            imported_by: vec![],
        };
        for r in &rows {
            let list = match int(r, 0)? {
                0 => &mut d.imports,
                1 => &mut d.external,
                _ => &mut d.unresolved,
            };
            list.push(text(r, 1)?);
        }
        d.imported_by = self
            .dependents(id, &d.file)
            .await?
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        Ok(d)
    }

    async fn stats(&self) -> Result<Stats, ApiError> {
        let rows = self
            .rows(
                "SELECT lang, count(*), sum(syntax_errors), sum(n_symbols), sum(n_refs),
                   sum(n_calls), sum(n_inherits), sum(n_imports), sum(n_scoped),
                   sum(n_heuristic), sum(n_external), sum(n_unresolved), sum(n_compiler)
                 FROM files GROUP BY lang",
                &[],
            )
            .await?;
        let mut s = Stats::default();
        for r in &rows {
            let Some(lang) = Lang::parse(&text(r, 0)?) else {
                continue;
            };
            let n = |i| int(r, i).map(|v| v as u32);
            let sums = FileStats {
                syntax_errors: false,
                symbols: n(3)?,
                refs: n(4)?,
                calls: n(5)?,
                inherits: n(6)?,
                imports: n(7)?,
                scoped: n(8)?,
                heuristic: n(9)?,
                external: n(10)?,
                unresolved: n(11)?,
                compiler: n(12)?,
            };
            s.add(lang, int(r, 1)? as usize, &sums, int(r, 2)? as usize);
        }
        Ok(s)
    }

    /// Ranked name search, as the engine's `symbols::search`: exact, then
    /// prefix, case-insensitive (ASCII) prefix, substring, then fuzzy
    /// (characters in order); exported symbols, then shorter names first.
    async fn search(
        &self,
        query: &str,
        kinds: &[SymbolKind],
        langs: &[Lang],
        path: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Sym>, ApiError> {
        const SCORE: &str = "CASE WHEN s.name = ?1 THEN 0
            WHEN lower(s.name) = ?2 THEN 1
            WHEN substr(s.name, 1, length(?1)) = ?1 THEN 2
            WHEN substr(lower(s.name), 1, length(?2)) = ?2 THEN 3
            WHEN instr(lower(s.name), ?2) > 0 THEN 4
            WHEN ?2 != '' AND lower(s.name) LIKE ?3 ESCAPE '\\' THEN 5 END";
        let lower = query.to_ascii_lowercase();
        let mut pattern = String::from("%");
        for c in lower.chars() {
            if matches!(c, '%' | '_' | '\\') {
                pattern.push('\\');
            }
            pattern.push(c);
            pattern.push('%');
        }
        let mut filters = kind_lang_filters(kinds, langs);
        if path.is_some() {
            filters.push_str(" AND instr(f.path, ?5) > 0");
        }
        let sql = format!(
            "SELECT {} FROM symbols s JOIN files f ON f.id = s.file
             WHERE ({SCORE}) IS NOT NULL{filters}
             ORDER BY ({SCORE}) * 2 + (1 - s.exported), length(CAST(s.name AS BLOB)), f.path, s.ord
             LIMIT ?4",
            rec!("s", "f")
        );
        let limit = if limit == 0 { -1 } else { limit as i64 };
        let mut params: Vec<Value> = vec![query.into(), lower.into(), pattern.into(), limit.into()];
        if let Some(p) = path {
            params.push(p.into());
        }
        let rows = self.rows(&sql, &params).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            if let Some(s) = sym(r, 0)? {
                out.push(s);
            }
        }
        Ok(out)
    }
}

/// Columns `rec!` selects.
const REC_COLUMNS: usize = 20;

/// The condition on `s.kind`, if any (codes inlined: they come from a
/// closed enumeration).
fn kind_filter(kinds: &[SymbolKind]) -> Option<String> {
    let codes: Vec<String> = kinds.iter().map(|k| k.code().to_string()).collect();
    (!codes.is_empty()).then(|| format!("s.kind IN ({})", codes.join(", ")))
}

/// The condition on `f.lang`, if any (names inlined, as kinds are).
fn lang_filter(langs: &[Lang]) -> Option<String> {
    let names: Vec<String> = langs.iter().map(|l| format!("'{}'", l.as_str())).collect();
    (!names.is_empty()).then(|| format!("f.lang IN ({})", names.join(", ")))
}

/// `AND` conditions on `s.kind` and `f.lang`.
fn kind_lang_filters(kinds: &[SymbolKind], langs: &[Lang]) -> String {
    [kind_filter(kinds), lang_filter(langs)]
        .into_iter()
        .flatten()
        .map(|c| format!(" AND {c}"))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_from_rows() {
        let row: Vec<Value> = vec![
            "00000000000000ff".into(),
            "f".into(),
            "m::f".into(),
            Value::Int(SymbolKind::Function.code()),
            "rust".into(),
            "src/m.rs".into(),
            Value::Int(1),
            Value::Real(3.0),
            Value::Int(1),
            Value::Int(4),
            Value::Int(0),
            Value::Int(0),
            Value::Int(2),
            Value::Int(1),
            Value::Null,
            Value::Int(1),
            "fn f()".into(),
            Value::Null,
            Value::Int(7),
            Value::Int(0),
        ];
        assert_eq!(row.len(), REC_COLUMNS);
        let s = sym(&row, 0).unwrap().unwrap();
        assert_eq!(s.rec.id, SymbolId(255));
        assert_eq!(s.rec.span.start, Pos { line: 1, col: 3 });
        assert_eq!((s.file, s.ord, s.rec.container), (7, 0, None));
        let mut bad = row.clone();
        bad[3] = Value::Int(999);
        assert_eq!(sym(&bad, 0).unwrap_err().status(), 503);
        assert!(sym(&[Value::Null], 0).unwrap().is_none());
    }
}
