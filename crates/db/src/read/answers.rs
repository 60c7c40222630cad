//! The answers to single questions: a definition, references, direct
//! callees, implementations, a file's dependencies, counts, name search.

use super::columns::{
    coded, id_param, int, kind_lang_filters, opt_text, ref_span, span, sym, text,
};
use super::target::Denoted;
use super::{Reader, RowSource, Sym, Value};
use crate::api::answer::{Callee, Definition, Deps, Implemented, Impls, Reference, Stats};
use crate::api::{self, ApiError, Position};
use crate::rows::FileStats;
use crate::schema::Coded;
use crate::{Lang, Resolution, Role, Span, SymbolKind};

impl<S: RowSource> Reader<'_, S> {
    pub(super) async fn def(&self, position: &str) -> Result<Definition, ApiError> {
        let Some(p) = Position::parse(position) else {
            return Err(ApiError::BadRequest(api::bad_position(position)));
        };
        let (file, _, pos) = self.position(&p).await?;
        let Some((d, name)) = self.denoted(file, pos).await? else {
            return Err(ApiError::BadRequest(api::no_name_at(position)));
        };
        let mut out = Definition {
            name,
            resolution: Resolution::Unresolved,
            definition: None,
            module: None,
            module_file: None,
            // (a snapshot's tables hold no locals: a replica answers for symbols)
            local: None,
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

    pub(super) async fn references(&self, t: &Sym) -> Result<Vec<Reference>, ApiError> {
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

    pub(super) async fn callees(&self, t: &Sym) -> Result<Vec<Callee>, ApiError> {
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

    pub(super) async fn impls(&self, t: Sym) -> Result<Impls, ApiError> {
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

    pub(super) async fn deps(&self, id: i64, path: String) -> Result<Deps, ApiError> {
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

    pub(super) async fn stats(&self) -> Result<Stats, ApiError> {
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
            let Ok(lang) = Lang::register(&text(r, 0)?, &[]) else {
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
    pub(super) async fn search(
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
