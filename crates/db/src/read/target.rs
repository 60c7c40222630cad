//! Resolving a TARGET over SQL: a symbol id, a `FILE:LINE:COL` position,
//! a file, or a qualified name.

use super::columns::{coded, id_param, int, opt_text, sym, sym_node, text};
use super::{Node, Reader, RowSource, Sym, Value};
use crate::api::{self, ApiError, Position, Target, TargetError};
use crate::{Pos, Resolution, SymbolId};

/// What the name at a position denotes.
pub(super) enum Denoted {
    Def(Sym, Resolution),
    Module(String, Resolution),
    External(String),
    Unresolved,
}

impl<S: RowSource> Reader<'_, S> {
    pub(super) async fn file(&self, path: &str) -> Result<Option<(i64, String)>, ApiError> {
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
    pub(super) async fn position(&self, p: &Position) -> Result<(i64, String, Pos), ApiError> {
        let Some((id, path)) = self.file(&p.file).await? else {
            return Err(ApiError::BadRequest(
                TargetError::no_file(&p.file).to_string(),
            ));
        };
        let line = p.line.saturating_sub(1);
        let col = match p.col {
            Some(c) => c.saturating_sub(1),
            None => self.first_name_col(id, line).await?,
        };
        Ok((id, path, Pos { line, col }))
    }

    /// What the name at `pos` denotes: a definition's own name, or a
    /// reference's target; and the name.
    pub(super) async fn denoted(
        &self,
        file: i64,
        pos: Pos,
    ) -> Result<Option<(Denoted, String)>, ApiError> {
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
    pub(super) async fn target(&self, s: &str) -> Result<Node, ApiError> {
        let t = Target::parse(s);
        let bad = |e: TargetError| ApiError::BadRequest(e.to_string());
        if let Some(id) = t.id
            && let Some(found) = self.by_id(id).await?
        {
            return Ok(sym_node(found));
        }
        if let Some(p) = &t.position {
            let (file, path, pos) = self.position(p).await?;
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

    pub(super) async fn symbol(&self, s: &str) -> Result<Sym, ApiError> {
        match self.target(s).await? {
            Node::Symbol(b) => Ok(*b),
            Node::File { path, .. } => Err(ApiError::BadRequest(api::needs_symbol(s, &path))),
        }
    }
}
