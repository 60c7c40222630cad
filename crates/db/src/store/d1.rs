//! The snapshot as SQL text for Cloudflare D1 (`weft snapshot export --d1`):
//! the whole of it, or the batch that brings a replica from one revision
//! to this one, as literal statements under D1's size limit.

use std::io::Write;
use std::path::PathBuf;

use rusqlite::types::ValueRef;

use super::{ROW_TABLES, Result, Store, StoreError};

const TABLES: &[&str] = &[
    "meta",
    "enums",
    "files",
    "removed_files",
    "symbols",
    "search",
    "refs",
    "inherits",
    "imports",
    "file_deps",
    "facts",
    "compiler_refs",
];

/// Tables a D1 export leaves empty: inputs of the engine, not of the read API.
const NATIVE_ONLY: &[&str] = &["facts", "compiler_refs"];

impl Store {
    /// Write the schema and every table but the facts blobs as SQL that
    /// `wrangler d1 execute --file` accepts: no transactions or PRAGMAs,
    /// statements under D1's 100 KB limit, no bound parameters. Loading it
    /// replaces whatever the target database held.
    pub fn export_sql(&self, out: &mut dyn Write, max_statement: usize) -> Result<ExportReport> {
        let mut report = ExportReport::default();
        let mut sql = SqlOut {
            out,
            report: &mut report,
        };
        for stmt in crate::schema::d1_statements() {
            sql.statement(&stmt)?;
        }
        for table in TABLES {
            sql.statement(&format!("DELETE FROM {table}"))?;
        }
        for table in TABLES.iter().filter(|t| !NATIVE_ONLY.contains(t)) {
            self.insert_rows_sql(&mut sql, table, "", max_statement)?;
        }
        Ok(report)
    }

    /// The SQL that brings a replica at revision `since` to this snapshot's
    /// revision: for each file written since, its rows replaced; for each
    /// file removed since, its rows deleted; and the meta rows. The first
    /// statement fails (an integer overflow, so D1 stops there) unless the
    /// replica is at `since`: a batch cannot be applied twice or out of
    /// order.
    pub fn export_sql_since(
        &self,
        out: &mut dyn Write,
        since: i64,
        max_statement: usize,
    ) -> Result<ExportReport> {
        let current = self.revision()?;
        if since > current {
            return Err(StoreError::Io {
                path: self.path.clone(),
                source: std::io::Error::other(format!(
                    "the snapshot is at revision {current}, before {since}"
                )),
            });
        }
        let mut report = ExportReport::default();
        let mut sql = SqlOut {
            out,
            report: &mut report,
        };
        // the overflow depends on the row, so SQLite cannot fold it early
        sql.statement(&format!(
            "SELECT CASE WHEN value = '{since}' THEN 0 \
             ELSE abs(-9223372036854775807 - 1 + 0 * length(value)) END \
             AS replica_must_be_at_revision_{since} FROM meta WHERE key = 'revision'"
        ))?;
        let paths = |q: &str| -> Result<Vec<String>> {
            let mut st = self.conn.prepare(q).map_err(|e| self.err(e))?;
            let v = st
                .query_map([since], |r| r.get::<_, String>(0))
                .map_err(|e| self.err(e))?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| self.err(e))?;
            Ok(v)
        };
        let removed = paths("SELECT path FROM removed_files WHERE revision > ?1 ORDER BY path")?;
        let written = paths("SELECT path FROM files WHERE revision > ?1 ORDER BY path")?;
        // removals first: a file added since may have taken a removed
        // file's id
        for p in removed.iter().chain(&written) {
            let mut lit = String::new();
            sql_literal(&mut lit, ValueRef::Text(p.as_bytes()));
            sql.statement(&format!(
                "DELETE FROM search WHERE rowid IN (SELECT id FROM symbols WHERE file IN \
                 (SELECT id FROM files WHERE path = {lit}))"
            ))?;
            for table in ROW_TABLES {
                sql.statement(&format!(
                    "DELETE FROM {table} WHERE file IN (SELECT id FROM files WHERE path = {lit})"
                ))?;
            }
            sql.statement(&format!("DELETE FROM files WHERE path = {lit}"))?;
            sql.statement(&format!("DELETE FROM removed_files WHERE path = {lit}"))?;
        }
        let changed = format!("revision > {since}");
        let of_changed = format!("file IN (SELECT id FROM files WHERE revision > {since})");
        self.insert_rows_sql(&mut sql, "removed_files", &changed, max_statement)?;
        self.insert_rows_sql(&mut sql, "files", &changed, max_statement)?;
        for table in ROW_TABLES {
            self.insert_rows_sql(&mut sql, table, &of_changed, max_statement)?;
        }
        self.insert_rows_sql(&mut sql, crate::search::TABLE, &of_changed, max_statement)?;
        sql.statement("DELETE FROM meta")?;
        self.insert_rows_sql(&mut sql, "meta", "", max_statement)?;
        Ok(report)
    }

    /// `INSERT` statements for the rows of `table` matching `filter` (a
    /// WHERE condition, or "" for all), many rows to a statement.
    fn insert_rows_sql(
        &self,
        sql: &mut SqlOut,
        table: &str,
        filter: &str,
        max_statement: usize,
    ) -> Result<()> {
        // the snapshot's search table is contentless: its rows are the
        // symbols' words
        let (columns, from) = if table == crate::search::TABLE {
            self.define_words_function()?;
            (
                "id AS rowid, weft_words(name) AS name, weft_words(qualified_name) AS qualified, \
                 weft_words(signature) AS signature, weft_words(doc) AS doc",
                "symbols",
            )
        } else {
            ("*", table)
        };
        let query = if filter.is_empty() {
            format!("SELECT {columns} FROM {from}")
        } else {
            format!("SELECT {columns} FROM {from} WHERE {filter}")
        };
        let mut st = self.conn.prepare(&query).map_err(|e| self.err(e))?;
        let cols: Vec<String> = st.column_names().map(|c| c.to_string()).collect();
        let head = format!("INSERT INTO {table} ({}) VALUES\n", cols.join(", "));
        let mut rows = st.query([]).map_err(|e| self.err(e))?;
        let mut batch = String::new();
        let mut in_batch = 0usize;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let mut tuple = String::from("(");
            for i in 0..cols.len() {
                if i > 0 {
                    tuple.push_str(", ");
                }
                sql_literal(&mut tuple, r.get_ref(i).map_err(|e| self.err(e))?);
            }
            tuple.push(')');
            if head.len() + tuple.len() + 2 > max_statement {
                return Err(StoreError::Io {
                    path: self.path.clone(),
                    source: std::io::Error::other(format!(
                        "a row of {table} needs {} bytes, over the {max_statement}-byte statement limit",
                        tuple.len()
                    )),
                });
            }
            if in_batch > 0
                && (head.len() + batch.len() + tuple.len() + 3 > max_statement || in_batch >= 500)
            {
                sql.statement(&format!("{head}{batch}"))?;
                batch.clear();
                in_batch = 0;
            }
            if in_batch > 0 {
                batch.push_str(",\n");
            }
            batch.push_str(&tuple);
            in_batch += 1;
            sql.report.rows += 1;
        }
        if in_batch > 0 {
            sql.statement(&format!("{head}{batch}"))?;
        }
        Ok(())
    }
}

impl Store {
    /// `weft_words(text)`: [`crate::search::joined`] in SQL, "" for NULL.
    fn define_words_function(&self) -> Result<()> {
        use rusqlite::functions::FunctionFlags;
        self.conn
            .create_scalar_function(
                "weft_words",
                1,
                FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
                |ctx| {
                    let text: Option<String> = ctx.get(0)?;
                    Ok(text
                        .as_deref()
                        .map(crate::search::joined)
                        .unwrap_or_default())
                },
            )
            .map_err(|e| self.err(e))
    }
}

/// Where exported SQL goes, counted.
struct SqlOut<'a> {
    out: &'a mut dyn Write,
    report: &'a mut ExportReport,
}

impl SqlOut<'_> {
    fn statement(&mut self, s: &str) -> Result<()> {
        let io = |source| StoreError::Io {
            path: PathBuf::from("(export)"),
            source,
        };
        self.out.write_all(s.as_bytes()).map_err(io)?;
        self.out.write_all(b";\n").map_err(io)?;
        self.report.statements += 1;
        self.report.largest_statement = self.report.largest_statement.max(s.len() + 1);
        Ok(())
    }
}

#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct ExportReport {
    pub statements: usize,
    pub rows: usize,
    pub largest_statement: usize,
}

pub(super) fn sql_literal(out: &mut String, v: ValueRef<'_>) {
    use std::fmt::Write as _;
    match v {
        ValueRef::Null => out.push_str("NULL"),
        ValueRef::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        ValueRef::Real(f) => {
            let _ = write!(out, "{f:?}");
        }
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(s) if !s.contains('\0') => {
                out.push('\'');
                out.push_str(&s.replace('\'', "''"));
                out.push('\'');
            }
            _ => {
                out.push_str("CAST(X'");
                for b in t {
                    let _ = write!(out, "{b:02X}");
                }
                out.push_str("' AS TEXT)");
            }
        },
        ValueRef::Blob(b) => {
            out.push_str("X'");
            for x in b {
                let _ = write!(out, "{x:02X}");
            }
            out.push('\'');
        }
    }
}
