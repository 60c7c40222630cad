//! Looking at a snapshot rather than using it: the header check that tells
//! a corrupt file before any query, the text dump that compares two
//! snapshots, the counts of `weft snapshot info`, and the full check of
//! `weft snapshot check`.

use std::fs::File;
use std::io::Read;
use std::path::PathBuf;

use rusqlite::types::ValueRef;

use super::d1::sql_literal;
use super::{Result, Store, StoreError, sidecar};
use crate::schema::SCHEMA_VERSION;

/// Decodes a facts blob stored under a content hash into the length of
/// the text it was extracted from, if it records one; an error when it
/// does not decode or belongs to other content.
pub type BlobLen = dyn Fn(&str, &[u8]) -> Result<Option<u64>, String>;

impl Store {
    /// Cheap structural checks that catch a truncated or foreign file before
    /// any query trips over it.
    pub(super) fn check_header(&self) -> Result<()> {
        let corrupt = |detail: String| StoreError::Corrupt {
            path: self.path.clone(),
            detail,
        };
        let mut head = [0u8; 16];
        let mut f = File::open(&self.path).map_err(|source| StoreError::Io {
            path: self.path.clone(),
            source,
        })?;
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        if f.read_exact(&mut head).is_err() || &head != b"SQLite format 3\0" {
            return Err(corrupt("not an SQLite database".into()));
        }
        let wal_len = std::fs::metadata(sidecar(&self.path, "-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
        let (pages, page_size): (i64, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT page_count FROM pragma_page_count), (SELECT page_size FROM pragma_page_size)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))?;
        if wal_len == 0 && (pages * page_size) as u64 > len {
            return Err(corrupt(format!(
                "truncated: {len} bytes on disk, {} expected",
                pages * page_size
            )));
        }
        let tables: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        if tables == 0 && len > 0 {
            return Err(corrupt("no tables".into()));
        }
        Ok(())
    }

    /// Everything the snapshot must be before it is trusted: with
    /// `whole_file`, one pass of SQLite's `quick_check` (about 0.3 s for a
    /// 170 MB snapshot, 31 s for the kernel's 6 GB); then a few indexed
    /// queries: weft's tables and meta rows, blobs that are blobs, every
    /// file with facts and rows. Any problem is [`StoreError::Corrupt`],
    /// which moves the file aside.
    pub fn verify(&self, whole_file: bool) -> Result<()> {
        let corrupt = |detail: String| StoreError::Corrupt {
            path: self.path.clone(),
            detail,
        };
        if whole_file {
            let lines: Vec<String> = self
                .conn
                .prepare("PRAGMA quick_check")
                .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
                .map_err(|e| self.err(e))?;
            if lines != ["ok"] {
                return Err(corrupt(format!("sqlite: {}", lines.join("; "))));
            }
        }
        let found = |sql: &str| -> Result<bool> {
            self.conn
                .query_row(&format!("SELECT EXISTS ({sql})"), [], |r| r.get(0))
                .map_err(|e| self.err(e))
        };
        for (problem, sql) in [
            (
                "a meta row is missing",
                "SELECT 1 WHERE (SELECT count(*) FROM meta WHERE key IN ('schema_version', 'extractor', 'revision')) < 3",
            ),
            (
                "a facts blob is not a blob",
                "SELECT 1 FROM facts WHERE typeof(data) != 'blob'",
            ),
            (
                "a file's content has no stored facts",
                "SELECT 1 FROM files WHERE hash NOT IN (SELECT hash FROM facts)",
            ),
            (
                "a file was never given rows",
                "SELECT 1 FROM files WHERE rows_hash = ''",
            ),
            (
                "a file's symbol count disagrees with its rows",
                "SELECT 1 FROM files f WHERE n_symbols != (SELECT count(*) FROM symbols s WHERE s.file = f.id)",
            ),
        ] {
            if found(sql)? {
                return Err(corrupt(problem.into()));
            }
        }
        Ok(())
    }

    /// The graph the snapshot holds as sorted text lines, without what
    /// legitimately differs between equal snapshots (file ids, revisions,
    /// mtimes). Two snapshots of the same tree dump equal. `with_facts`
    /// includes the content hashes of the stored facts.
    pub fn dump(&self, with_facts: bool) -> Result<Vec<String>> {
        let mut queries = vec![
            "SELECT 'file', path, lang, hash, size, rows_hash, syntax_errors, n_symbols, n_refs, n_calls,
               n_inherits, n_imports, n_scoped, n_heuristic, n_external, n_unresolved, n_compiler
             FROM files",
            "SELECT 'symbol', printf('%016x', s.id), f.path, s.ord, s.name, s.qualified_name, s.kind,
               s.line, s.col, s.end_line, s.end_col, s.full_line, s.full_col, s.full_end_line,
               s.full_end_col, printf('%016x', s.container), s.exported, s.signature, s.doc
             FROM symbols s JOIN files f ON f.id = s.file",
            "SELECT 'ref', f.path, r.seq, r.line, r.col, r.end_col, r.role, r.source, r.caller,
               r.resolution, printf('%016x', r.target), r.name, r.module
             FROM refs r JOIN files f ON f.id = r.file",
            "SELECT 'inherit', f.path, i.line, i.col, i.end_line, i.end_col, printf('%016x', i.sub),
               i.resolution, printf('%016x', i.target), i.name, i.module
             FROM inherits i JOIN files f ON f.id = i.file",
            "SELECT 'import', f.path, i.line, i.col, i.end_line, i.end_col, i.module, i.resolution,
               t.path, i.names
             FROM imports i JOIN files f ON f.id = i.file LEFT JOIN files t ON t.id = i.target_file",
            "SELECT 'dep', f.path, d.seq, d.kind, d.name FROM file_deps d JOIN files f ON f.id = d.file",
            // the search table is contentless: its words, from the index
            "SELECT 'search', printf('%016x', doc), col, group_concat(term, ' ' ORDER BY offset)
             FROM temp.search_words GROUP BY doc, col",
            "SELECT 'enum', type, code, name FROM enums",
            "SELECT 'meta', key, value FROM meta WHERE key IN ('schema_version', 'extractor', 'manifests')",
        ];
        if with_facts {
            queries.push("SELECT 'facts', hash FROM facts WHERE hash IN (SELECT hash FROM files)");
            queries.push("SELECT 'compiler_refs', path, hash FROM compiler_refs");
        }
        // a temp table: a read-only store's `query_only` is lifted for it
        let query_only: i64 = self
            .conn
            .query_row("PRAGMA query_only", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        self.conn
            .execute_batch(&format!(
                "PRAGMA query_only = 0;
                 CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_words USING fts5vocab(main, search, instance);
                 PRAGMA query_only = {query_only};"
            ))
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for q in queries {
            let mut st = self.conn.prepare(q).map_err(|e| self.err(e))?;
            let n = st.column_count();
            let mut rows = st.query([]).map_err(|e| self.err(e))?;
            while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                let mut line = String::new();
                for i in 0..n {
                    if i > 0 {
                        line.push('\t');
                    }
                    sql_literal(&mut line, r.get_ref(i).map_err(|e| self.err(e))?);
                }
                out.push(line);
            }
        }
        out.sort_unstable();
        Ok(out)
    }

    /// Counts and sizes for `weft snapshot info`.
    pub fn info(&self) -> Result<Info> {
        let count = |table: &str| -> Result<i64> {
            self.conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .map_err(|e| self.err(e))
        };
        let size = |p: PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let (blob_bytes,): (i64,) = self
            .conn
            .query_row(
                "SELECT coalesce(sum(length(data)), 0) FROM facts",
                [],
                |r| Ok((r.get(0)?,)),
            )
            .map_err(|e| self.err(e))?;
        let source_bytes: i64 = self
            .conn
            .query_row("SELECT coalesce(sum(size), 0) FROM files", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(Info {
            path: self.path.display().to_string(),
            schema_version: self.meta("schema_version")?.unwrap_or_default(),
            revision: self.revision()?,
            extractor: self.meta("extractor")?.unwrap_or_default(),
            created: self.meta("created")?.and_then(|v| v.parse().ok()),
            updated: self.meta("updated")?.and_then(|v| v.parse().ok()),
            files: count("files")?,
            symbols: count("symbols")?,
            refs: count("refs")?,
            inherits: count("inherits")?,
            imports: count("imports")?,
            blobs: count("facts")?,
            blob_bytes,
            source_bytes,
            db_bytes: size(self.path.clone()),
            wal_bytes: size(sidecar(&self.path, "-wal")),
        })
    }

    /// Verify the snapshot: SQLite's integrity check, then weft's own
    /// invariants. `blob_len` decodes one facts blob into the length of the
    /// text it was extracted from, if it says. Returns the problems.
    pub fn check(&self, blob_len: &BlobLen) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut st = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| self.err(e))?;
        let lines: Vec<String> = st
            .query_map([], |r| r.get(0))
            .and_then(|r| r.collect())
            .map_err(|e| self.err(e))?;
        if lines != ["ok"] {
            problems.extend(lines.into_iter().map(|l| format!("sqlite: {l}")));
            return Ok(problems);
        }
        let version = self.meta("schema_version")?;
        if version.as_deref() != Some(&SCHEMA_VERSION.to_string()) {
            problems.push(format!(
                "schema version {version:?}, expected {SCHEMA_VERSION}"
            ));
        }
        let queries: &[(&str, &str)] = &[
            (
                "files whose content has no stored facts",
                "SELECT path FROM files WHERE hash NOT IN (SELECT hash FROM facts)",
            ),
            (
                "files never given rows",
                "SELECT path FROM files WHERE rows_hash = ''",
            ),
            (
                "symbols of files not in the snapshot",
                "SELECT printf('%016x', id) FROM symbols WHERE file NOT IN (SELECT id FROM files)",
            ),
            (
                "references of files not in the snapshot",
                "SELECT DISTINCT file FROM refs WHERE file NOT IN (SELECT id FROM files)",
            ),
            (
                "inheritance rows of files not in the snapshot",
                "SELECT DISTINCT file FROM inherits WHERE file NOT IN (SELECT id FROM files)",
            ),
            (
                "imports of files not in the snapshot",
                "SELECT DISTINCT file FROM imports WHERE file NOT IN (SELECT id FROM files)",
            ),
            (
                "imports into files not in the snapshot",
                "SELECT DISTINCT target_file FROM imports WHERE target_file IS NOT NULL AND target_file NOT IN (SELECT id FROM files)",
            ),
            (
                "files whose symbol count disagrees with their rows",
                "SELECT path FROM files f WHERE n_symbols != (SELECT count(*) FROM symbols s WHERE s.file = f.id)",
            ),
            (
                "imported compiler references for content no file has",
                "SELECT path FROM compiler_refs c WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.path = c.path AND f.hash = c.hash)",
            ),
            (
                "dependency rows of files not in the snapshot",
                "SELECT DISTINCT file FROM file_deps WHERE file NOT IN (SELECT id FROM files)",
            ),
            (
                "symbols missing from the search table",
                "SELECT printf('%016x', id) FROM symbols WHERE id NOT IN (SELECT rowid FROM search)",
            ),
            (
                "search rows of symbols not in the snapshot",
                "SELECT printf('%016x', rowid) FROM search WHERE rowid NOT IN (SELECT id FROM symbols)",
            ),
            (
                "files whose reference count disagrees with their rows",
                "SELECT path FROM files f WHERE n_refs + n_calls != (SELECT count(*) FROM refs r WHERE r.file = f.id)",
            ),
            (
                "files whose import count disagrees with their rows",
                "SELECT path FROM files f WHERE n_imports != (SELECT count(*) FROM imports i WHERE i.file = f.id)",
            ),
        ];
        for (what, sql) in queries {
            let mut st = self.conn.prepare(sql).map_err(|e| self.err(e))?;
            let bad: Vec<String> = st
                .query_map([], |r| {
                    Ok(match r.get_ref(0)? {
                        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                        ValueRef::Integer(i) => i.to_string(),
                        other => format!("{other:?}"),
                    })
                })
                .and_then(|r| r.collect())
                .map_err(|e| self.err(e))?;
            if !bad.is_empty() {
                let shown: Vec<&str> = bad.iter().take(5).map(|s| s.as_str()).collect();
                problems.push(format!("{} {what}: {}", bad.len(), shown.join(", ")));
            }
        }
        let mut st = self
            .conn
            .prepare("SELECT hash, data FROM facts")
            .map_err(|e| self.err(e))?;
        let mut rows = st.query([]).map_err(|e| self.err(e))?;
        let mut undecodable = Vec::new();
        let mut lengths: std::collections::HashMap<String, u64> = Default::default();
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let hash: String = r.get(0).map_err(|e| self.err(e))?;
            let data = r.get_ref(1).map_err(|e| self.err(e))?;
            let len = match data {
                ValueRef::Blob(b) => blob_len(&hash, b),
                _ => Err("not a blob".into()),
            };
            match len {
                Ok(Some(n)) => {
                    lengths.insert(hash, n);
                }
                Ok(None) => {}
                Err(e) => undecodable.push(format!("{}: {e}", &hash[..hash.len().min(12)])),
            }
        }
        let mut st = self
            .conn
            .prepare("SELECT path, hash, size FROM files")
            .map_err(|e| self.err(e))?;
        let other: Vec<String> = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })
            .and_then(|r| r.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?
            .into_iter()
            .filter(|(_, hash, size)| lengths.get(hash).is_some_and(|&n| n != *size as u64))
            .map(|(path, _, _)| path)
            .collect();
        if !other.is_empty() {
            problems.push(format!(
                "{} files point at facts of other content: {}",
                other.len(),
                other[..other.len().min(5)].join(", ")
            ));
        }
        if !undecodable.is_empty() {
            problems.push(format!(
                "{} facts blobs do not decode: {}",
                undecodable.len(),
                undecodable[..undecodable.len().min(5)].join(", ")
            ));
        }
        Ok(problems)
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Info {
    pub path: String,
    pub schema_version: String,
    pub revision: i64,
    pub extractor: String,
    pub created: Option<u64>,
    pub updated: Option<u64>,
    pub files: i64,
    pub symbols: i64,
    pub refs: i64,
    pub inherits: i64,
    pub imports: i64,
    pub blobs: i64,
    pub blob_bytes: i64,
    pub source_bytes: i64,
    pub db_bytes: u64,
    pub wal_bytes: u64,
}
