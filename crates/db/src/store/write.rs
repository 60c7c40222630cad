//! Writing an update: one transaction that replaces the rows of the files
//! it names, stores their facts, and moves the revision on; a bulk write
//! rebuilds the secondary indexes instead of patching them, and now and
//! then unreferenced facts are collected.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::{ROW_TABLES, Result, Store, StoreError, Update, WriteReport, now_unix, sql_err};
use crate::rows::FileRows;
use crate::schema::code;
use crate::{Span, SymbolId, SymbolRecord};

/// Files rewritten in one update above which indexes are rebuilt, not patched.
const BULK_ROWS: usize = 2000;

/// The schema's secondary indexes that a bulk write rebuilds: (name, CREATE
/// statement). Per-file indexes stay: replacing a file's rows needs them;
/// so do unique ones (`symbols_id`): `INSERT OR IGNORE` checks against them.
fn schema_indexes() -> Vec<(String, String)> {
    crate::schema::statements()
        .into_iter()
        .filter_map(|s| {
            let rest = s.strip_prefix("CREATE INDEX IF NOT EXISTS ")?;
            let name = rest.split_whitespace().next()?.to_string();
            (!name.ends_with("_file")).then_some((name, s))
        })
        .collect()
}

impl Store {
    /// Write one update in one transaction. On any error nothing changes.
    pub fn write(&mut self, u: &Update) -> Result<WriteReport> {
        if u.is_empty() {
            if self.read_only {
                return Err(self.refuse());
            }
            return Ok(WriteReport {
                revision: self.revision()?,
                ..Default::default()
            });
        }
        let mut batch = self.begin(u.rows.len())?;
        batch.put(u)?;
        batch.finish(&u.meta)
    }

    /// Open one transaction that [`Batch::put`] fills part by part, so a
    /// big update (a first index) never has to be held whole. `rows` is
    /// how many files' rows the whole batch is expected to rewrite: a share
    /// of the table large enough makes it a bulk write. Nothing is visible
    /// to readers until [`Batch::finish`]; a batch dropped unfinished (an
    /// error, a crash) leaves the previous revision as it was.
    pub fn begin(&mut self, rows: usize) -> Result<Batch<'_>> {
        if self.read_only {
            return Err(self.refuse());
        }
        let old_revision = self.revision()?;
        let path = self.path.clone();
        let fail = |e: rusqlite::Error| sql_err(&path, e, old_revision);
        let tx = self.conn.transaction().map_err(fail)?;
        // A bulk write (a first index, a branch switch) is faster without the
        // secondary indexes, and indexes built afterwards come out packed;
        // but rebuilding costs the whole table, so only when the update
        // rewrites a good share of it.
        let bulk = rows >= BULK_ROWS && {
            let files: i64 = tx
                .query_row("SELECT count(*) FROM files", [], |r| r.get(0))
                .map_err(fail)?;
            rows as i64 * 2 >= files
        };
        if bulk {
            for (name, _) in schema_indexes() {
                tx.execute(&format!("DROP INDEX IF EXISTS {name}"), [])
                    .map_err(fail)?;
            }
        }
        Ok(Batch {
            tx,
            path,
            old_revision,
            bulk,
            collect: false,
            report: WriteReport {
                revision: old_revision + 1,
                ..Default::default()
            },
        })
    }

    fn refuse(&self) -> StoreError {
        StoreError::ReadOnly {
            path: self.path.clone(),
            detail: "opened read-only".into(),
        }
    }
}

/// One update being written: a transaction open on the store.
pub struct Batch<'s> {
    tx: rusqlite::Transaction<'s>,
    path: std::path::PathBuf,
    old_revision: i64,
    bulk: bool,
    /// Removals or new facts were written: unreferenced facts may be
    /// collected at the end.
    collect: bool,
    report: WriteReport,
}

impl Batch<'_> {
    fn fail(&self, e: rusqlite::Error) -> StoreError {
        sql_err(&self.path, e, self.old_revision)
    }

    /// Write one part of the update (its `meta` is ignored: give it to
    /// [`Batch::finish`]). A file's state must be put no later than its rows.
    pub fn put(&mut self, u: &Update) -> Result<()> {
        self.put_rows(u).map_err(|e| self.fail(e))
    }

    fn put_rows(&mut self, u: &Update) -> rusqlite::Result<()> {
        let tx = &self.tx;
        let revision = self.report.revision;
        let report = &mut self.report;
        let file_id = |p: &str| -> rusqlite::Result<Option<i64>> {
            tx.prepare_cached("SELECT id FROM files WHERE path = ?1")?
                .query_row([p], |r| r.get(0))
                .optional()
        };
        for p in &u.removed {
            if let Some(id) = file_id(p)? {
                delete_rows(tx, id)?;
                tx.execute("DELETE FROM files WHERE id = ?1", [id])?;
                tx.execute("DELETE FROM compiler_refs WHERE path = ?1", [p])?;
                tx.execute(
                    "INSERT OR REPLACE INTO removed_files VALUES (?1, ?2)",
                    params![p, revision],
                )?;
            }
        }
        for b in &u.blobs {
            let words = (!b.words.is_empty()).then_some(&b.words);
            tx.prepare_cached(
                "INSERT INTO facts VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(hash) DO UPDATE SET revision = excluded.revision,
                   words = ifnull(excluded.words, words)",
            )?
            .execute(params![b.hash, revision, b.data, words])?;
            report.blobs_written += 1;
        }
        self.collect |= !u.removed.is_empty() || !u.blobs.is_empty();
        for (p, set) in &u.compiler {
            match set {
                Some((hash, data)) => tx
                    .prepare_cached("INSERT OR REPLACE INTO compiler_refs VALUES (?1, ?2, ?3)")?
                    .execute(params![p, hash, data]),
                None => tx
                    .prepare_cached("DELETE FROM compiler_refs WHERE path = ?1")?
                    .execute([p]),
            }?;
        }
        for s in &u.states {
            tx.prepare_cached(
                "INSERT INTO files (path, lang, hash, size, mtime_ns, revision, rows_hash,
                   syntax_errors, n_symbols, n_refs, n_calls, n_inherits, n_imports,
                   n_scoped, n_heuristic, n_external, n_unresolved, n_compiler)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                 ON CONFLICT(path) DO UPDATE SET lang = excluded.lang, hash = excluded.hash,
                   size = excluded.size, mtime_ns = excluded.mtime_ns, revision = excluded.revision",
            )?
            .execute(params![
                s.path,
                s.lang.as_str(),
                s.hash,
                s.size as i64,
                s.mtime_ns,
                revision
            ])?;
            tx.execute("DELETE FROM removed_files WHERE path = ?1", [&s.path])?;
        }
        let mut searched: Vec<&SymbolRecord> = Vec::new();
        for (rows, digest) in &u.rows {
            let id = file_id(&rows.path)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
            delete_rows(tx, id)?;
            report.rows_written += insert_rows(tx, id, rows, &file_id, &mut searched)?;
            let s = &rows.stats;
            tx.prepare_cached(
                "UPDATE files SET revision = ?2, rows_hash = ?3, syntax_errors = ?4,
                   n_symbols = ?5, n_refs = ?6, n_calls = ?7, n_inherits = ?8, n_imports = ?9,
                   n_scoped = ?10, n_heuristic = ?11, n_external = ?12, n_unresolved = ?13,
                   n_compiler = ?14
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                revision,
                digest,
                s.syntax_errors,
                s.symbols,
                s.refs,
                s.calls,
                s.inherits,
                s.imports,
                s.scoped,
                s.heuristic,
                s.external,
                s.unresolved,
                s.compiler
            ])?;
            report.files_rewritten += 1;
        }
        // in rowid order: FTS5 writes its pending words out as a segment
        // whenever a rowid comes below the last one, and symbol ids are
        // random, so file order flushed every other row and spent a quarter
        // of a first index merging the segments
        searched.sort_unstable_by_key(|s| sid(s.id));
        let mut search = tx.prepare_cached(
            "INSERT INTO search (rowid, name, qualified, signature, doc) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for s in searched {
            let [name, qualified, signature, doc] = crate::search::columns(s, true);
            search.execute(params![sid(s.id), name, qualified, signature, doc])?;
        }
        Ok(())
    }

    /// Set `meta`, move the revision on and commit.
    pub fn finish(self, meta: &[(String, String)]) -> Result<WriteReport> {
        let Batch {
            tx,
            path,
            old_revision,
            bulk,
            collect,
            report,
        } = self;
        let revision = report.revision;
        let body = || -> rusqlite::Result<()> {
            tx.execute(
                "INSERT OR REPLACE INTO meta VALUES ('revision', ?1)",
                [revision.to_string()],
            )?;
            // what a replica, which has no language registry, accepts as `lang`
            tx.execute(
                "INSERT OR REPLACE INTO meta VALUES ('languages', ?1)",
                [crate::Lang::catalog()],
            )?;
            for (k, v) in meta {
                tx.execute("INSERT OR REPLACE INTO meta VALUES (?1, ?2)", [k, v])?;
            }
            tx.execute(
                "INSERT OR REPLACE INTO meta VALUES ('updated', ?1)",
                [now_unix().to_string()],
            )?;
            if bulk {
                for (_, create) in schema_indexes() {
                    tx.execute(&create, [])?;
                }
            }
            if collect && revision % 32 == 0 {
                collect_garbage(&tx)?;
            }
            Ok(())
        };
        body()
            .and_then(|()| tx.commit())
            .map_err(|e| sql_err(&path, e, old_revision))?;
        Ok(report)
    }
}

/// Deletes the `search` rows of file `?1`'s symbols.
const SEARCH_ROWS_OF_FILE: &str =
    "DELETE FROM search WHERE rowid IN (SELECT id FROM symbols WHERE file = ?1)";

fn delete_rows(tx: &Connection, file: i64) -> rusqlite::Result<()> {
    // before the symbols: they say which search rows are the file's
    tx.prepare_cached(SEARCH_ROWS_OF_FILE)?.execute([file])?;
    for table in ROW_TABLES {
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE file = ?1"))?
            .execute([file])?;
    }
    Ok(())
}

fn sid(id: SymbolId) -> i64 {
    id.0 as i64
}

fn span_params(s: Span) -> [i64; 4] {
    [
        s.start.line as i64,
        s.start.col as i64,
        s.end.line as i64,
        s.end.col as i64,
    ]
}

fn insert_rows<'a>(
    tx: &Connection,
    file: i64,
    rows: &'a FileRows,
    file_id: &dyn Fn(&str) -> rusqlite::Result<Option<i64>>,
    searched: &mut Vec<&'a SymbolRecord>,
) -> rusqlite::Result<usize> {
    let mut n = 0;
    let mut st = tx.prepare_cached(
        "INSERT OR IGNORE INTO symbols VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?;
    let mut ord_of: HashMap<SymbolId, i64> = HashMap::with_capacity(rows.symbols.len());
    for (ord, s) in rows.symbols.iter().enumerate() {
        ord_of.insert(s.id, ord as i64);
        let [l, c, el, ec] = span_params(s.span);
        let [fl, fc, fel, fec] = span_params(s.full_span);
        let inserted = st.execute(params![
            sid(s.id),
            file,
            ord as i64,
            s.name,
            s.qualified_name,
            code(s.kind),
            l,
            c,
            el,
            ec,
            fl,
            fc,
            fel,
            fec,
            s.container.map(sid),
            s.exported,
            s.signature,
            s.doc
        ])?;
        // an id another file already holds keeps that file's row
        if inserted == 1 {
            searched.push(s);
        }
        n += 1;
    }
    let ord = |id: Option<SymbolId>| id.and_then(|i| ord_of.get(&i).copied());
    let mut st = tx.prepare_cached(
        "INSERT INTO refs VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for (seq, r) in rows.refs.iter().enumerate() {
        st.execute(params![
            file,
            seq as i64,
            r.span.start.line,
            r.span.start.col,
            r.span.end.col,
            code(r.role),
            ord(r.source),
            ord(r.caller),
            code(r.target.resolution),
            r.target.symbol.map(sid),
            r.target.name,
            r.target.module
        ])?;
        n += 1;
    }
    let mut st =
        tx.prepare_cached("INSERT INTO inherits VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")?;
    for r in &rows.inherits {
        let [l, c, el, ec] = span_params(r.span);
        st.execute(params![
            file,
            l,
            c,
            el,
            ec,
            sid(r.sub),
            code(r.target.resolution),
            r.target.symbol.map(sid),
            r.target.name,
            r.target.module
        ])?;
        n += 1;
    }
    let mut st =
        tx.prepare_cached("INSERT INTO imports VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?;
    for r in &rows.imports {
        let [l, c, el, ec] = span_params(r.span);
        let target = match &r.file {
            Some(p) => file_id(p)?,
            None => None,
        };
        st.execute(params![
            file,
            l,
            c,
            el,
            ec,
            r.module,
            code(r.resolution),
            target,
            r.names.join(",")
        ])?;
        n += 1;
    }
    let mut st = tx.prepare_cached("INSERT INTO file_deps VALUES (?1, ?2, ?3, ?4)")?;
    for (seq, (kind, name)) in rows.deps.rows().enumerate() {
        st.execute(params![file, seq as i64, kind, name])?;
        n += 1;
    }
    Ok(n)
}

/// Drop facts no file references beyond a reserve kept for switching
/// branches back (the most recently referenced first).
fn collect_garbage(tx: &Connection) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM facts WHERE hash IN (
           SELECT hash FROM facts WHERE hash NOT IN (SELECT hash FROM files)
           ORDER BY revision DESC LIMIT -1 OFFSET max(256, (SELECT count(*) FROM files) / 4))",
        [],
    )?;
    Ok(())
}
