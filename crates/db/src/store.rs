//! The native snapshot: SQLite through rusqlite, WAL mode, one transaction
//! per update, a lock file so two writers never interleave.
//!
//! What it guarantees: a process killed at any moment leaves a database
//! that opens and holds either the previous or the next revision; a corrupt
//! file is moved aside (never deleted) and a fresh one created; a snapshot
//! of another schema version or extractor is rebuilt; a full disk or a
//! read-only location is reported and loses nothing already stored.

use std::collections::HashMap;
use std::fs::{File, OpenOptions as FsOpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};

use crate::rows::FileRows;
use crate::schema::{SCHEMA, SCHEMA_VERSION, code};
use crate::{Lang, Span, SymbolId};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path} is being updated by another weft process{holder}; waited {waited:?}. Try again when it finishes"
    )]
    Locked {
        path: PathBuf,
        holder: String,
        waited: Duration,
    },
    #[error("{path} is corrupt: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "the disk is full while writing {path}; nothing was lost, the snapshot still holds revision {revision}"
    )]
    DiskFull { path: PathBuf, revision: i64 },
    #[error(
        "{path} was written by another weft ({detail}) and cannot be rebuilt read-only; run `weft index` to rebuild it"
    )]
    Outdated { path: PathBuf, detail: String },
    #[error("{path} is read-only ({detail}); run with --no-write, or --db PATH somewhere writable")]
    ReadOnly { path: PathBuf, detail: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

impl StoreError {
    pub fn is_corrupt(&self) -> bool {
        matches!(self, StoreError::Corrupt { .. })
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How to open a snapshot.
#[derive(Clone, Debug)]
pub struct OpenOptions {
    /// How long to wait for another writer's lock.
    pub lock_timeout: Duration,
    /// Fingerprint of the extractor that produced the stored facts; a
    /// snapshot written by another one is rebuilt.
    pub extractor: String,
    /// Open without the lock and without writing (a reader).
    pub read_only: bool,
}

impl OpenOptions {
    /// A reader: no lock, no writes, never a rebuild (so the extractor is
    /// not consulted).
    pub fn reader() -> OpenOptions {
        OpenOptions {
            lock_timeout: Duration::ZERO,
            extractor: String::new(),
            read_only: true,
        }
    }
}

/// What `open` had to do, for the user to hear about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Created,
    /// Another schema version or extractor: rebuilt from scratch.
    Rebuilt {
        reason: String,
    },
    /// Unreadable: moved here, and a fresh snapshot created.
    MovedAside {
        to: PathBuf,
        detail: String,
    },
    /// The location is not writable: opened read-only.
    ReadOnly {
        detail: String,
    },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::Created => write!(f, "created a new snapshot"),
            Notice::Rebuilt { reason } => write!(f, "rebuilding the snapshot: {reason}"),
            Notice::MovedAside { to, detail } => write!(
                f,
                "the snapshot was unreadable ({detail}); moved it to {} and rebuilding",
                to.display()
            ),
            Notice::ReadOnly { detail } => write!(
                f,
                "the snapshot's location is read-only ({detail}); answering without saving changes"
            ),
        }
    }
}

/// A file as the snapshot last saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    pub id: i64,
    pub lang: String,
    pub hash: String,
    pub size: u64,
    pub mtime_ns: i64,
    pub rows_hash: String,
}

/// A file's identity on disk: content hash and the metadata that decides
/// whether to re-hash it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileState {
    pub path: String,
    pub lang: Lang,
    pub hash: String,
    pub size: u64,
    pub mtime_ns: i64,
}

/// One update, written in one transaction.
#[derive(Default, Debug)]
pub struct Update {
    /// New files and files whose content or metadata changed.
    pub states: Vec<FileState>,
    /// Files whose rows changed, with the rows' digest. Every new file must
    /// have rows here too.
    pub rows: Vec<(FileRows, String)>,
    pub removed: Vec<String>,
    /// Encoded facts by content hash (kept if already present).
    pub blobs: Vec<(String, Vec<u8>)>,
    /// `meta` entries to set (key, value).
    pub meta: Vec<(String, String)>,
    /// Imported compiler references per file: set or dropped.
    pub compiler: Vec<(String, Option<CompilerBlob>)>,
}

/// A file's imported compiler references: (content hash, encoded).
pub type CompilerBlob = (String, Vec<u8>);

impl Update {
    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
            && self.rows.is_empty()
            && self.removed.is_empty()
            && self.blobs.is_empty()
            && self.meta.is_empty()
            && self.compiler.is_empty()
    }
}

#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct WriteReport {
    pub revision: i64,
    pub files_rewritten: usize,
    pub rows_written: usize,
    pub blobs_written: usize,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    _lock: Option<File>,
}

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

/// Files rewritten in one update above which indexes are rebuilt, not patched.
const BULK_ROWS: usize = 2000;

/// The schema's secondary indexes that a bulk write rebuilds: (name, CREATE
/// statement). Per-file indexes stay: replacing a file's rows needs them.
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

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn is_read_only_io(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

impl Store {
    /// Open (or create) the snapshot at `path`, taking the writer's lock.
    pub fn open(path: &Path, opts: &OpenOptions) -> Result<(Store, Vec<Notice>)> {
        let mut notices = Vec::new();
        let io = |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut read_only = opts.read_only;
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        if !read_only
            && let Some(dir) = dir
            && let Err(e) = std::fs::create_dir_all(dir)
        {
            if !is_read_only_io(&e) {
                return Err(io(e));
            }
            if !path.exists() {
                return Err(StoreError::ReadOnly {
                    path: dir.to_path_buf(),
                    detail: e.to_string(),
                });
            }
            read_only = true;
            notices.push(Notice::ReadOnly {
                detail: e.to_string(),
            });
        }
        let lock = if read_only {
            None
        } else {
            match lock(path, opts.lock_timeout)? {
                Some(f) => Some(f),
                None => {
                    read_only = true;
                    notices.push(Notice::ReadOnly {
                        detail: "cannot create the lock file".into(),
                    });
                    None
                }
            }
        };
        if read_only {
            return Ok((Store::open_read_only(path)?, notices));
        }
        if path.exists() {
            match Store::connect(path, false, None).and_then(|s| {
                s.check_header()?;
                Ok(s)
            }) {
                Ok(mut store) => {
                    let version: Option<String> = store.meta("schema_version")?;
                    let extractor: Option<String> = store.meta("extractor")?;
                    let reason = if version.as_deref() != Some(&SCHEMA_VERSION.to_string()) {
                        Some(format!(
                            "it has schema version {}, this weft writes version {SCHEMA_VERSION}",
                            version.as_deref().unwrap_or("(none)")
                        ))
                    } else if extractor.as_deref() != Some(opts.extractor.as_str()) {
                        Some("it was written by another version of weft's extractor".to_string())
                    } else {
                        None
                    };
                    match reason {
                        None => {
                            store._lock = lock;
                            return Ok((store, notices));
                        }
                        Some(reason) => {
                            drop(store);
                            remove_database(path).map_err(io)?;
                            notices.push(Notice::Rebuilt { reason });
                        }
                    }
                }
                Err(StoreError::Corrupt { detail, .. }) => {
                    let to = quarantine(path).map_err(io)?;
                    notices.push(Notice::MovedAside { to, detail });
                }
                // The file opens but its directory refuses the WAL files.
                Err(StoreError::ReadOnly { detail, .. }) => {
                    notices.push(Notice::ReadOnly { detail });
                    return Ok((Store::open_read_only(path)?, notices));
                }
                Err(e) => return Err(e),
            }
        } else {
            notices.push(Notice::Created);
        }
        let store = Store::connect(path, false, lock)?;
        store.create(&opts.extractor)?;
        Ok((store, notices))
    }

    fn open_read_only(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError::ReadOnly {
                path: path.to_path_buf(),
                detail: "no snapshot exists and none can be created here".into(),
            });
        }
        // A WAL database in a location we cannot write has no shared memory
        // file to coordinate through: read it as immutable (its last writer
        // exited cleanly, or nothing is committed there).
        match Store::connect(path, true, None).and_then(|s| {
            s.check_header()?;
            Ok(s)
        }) {
            Err(StoreError::ReadOnly { .. }) => {
                let s = Store::connect_immutable(path)?;
                s.check_header()?;
                Ok(s)
            }
            other => other,
        }
    }

    fn connect_immutable(path: &Path) -> Result<Store> {
        let uri = format!("file:{}?immutable=1", path.display());
        let conn = Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| sql_err(path, e, 0))?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            read_only: true,
            _lock: None,
        })
    }

    fn connect(path: &Path, read_only: bool, lock: Option<File>) -> Result<Store> {
        let flags = if read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let conn = Connection::open_with_flags(path, flags).map_err(|e| sql_err(path, e, 0))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
            read_only,
            _lock: lock,
        };
        // readers keep 64 MiB of pages too: a word search looks up the
        // length of every row it scores, and 2 MiB (SQLite's default)
        // sends most of them back to the file
        let pragmas = if read_only {
            "PRAGMA busy_timeout = 5000; PRAGMA query_only = 1; PRAGMA cache_size = -65536;"
        } else {
            "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;"
        };
        store
            .conn
            .execute_batch(pragmas)
            .map_err(|e| store.err(e))?;
        store.conn.set_prepared_statement_cache_capacity(64);
        Ok(store)
    }

    /// Cheap structural checks that catch a truncated or foreign file before
    /// any query trips over it.
    fn check_header(&self) -> Result<()> {
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

    fn create(&self, extractor: &str) -> Result<()> {
        let now = now_unix().to_string();
        let sql = format!(
            "BEGIN; {SCHEMA}
             INSERT OR REPLACE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');
             INSERT OR REPLACE INTO meta VALUES ('revision', '0');
             INSERT OR REPLACE INTO meta VALUES ('created', '{now}');
             COMMIT;"
        );
        self.conn.execute_batch(&sql).map_err(|e| self.err(e))?;
        self.conn
            .execute(
                "INSERT OR REPLACE INTO meta VALUES ('extractor', ?1)",
                [extractor],
            )
            .map_err(|e| self.err(e))?;
        for (ty, code, name) in crate::schema::enum_rows() {
            self.conn
                .execute(
                    "INSERT OR REPLACE INTO enums VALUES (?1, ?2, ?3)",
                    params![ty, code, name],
                )
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        let revision = self.revision().unwrap_or(-1);
        sql_err(&self.path, e, revision)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The underlying connection, for read-only SQL (tests, tools).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| sql_err(&self.path, e, -1))
    }

    /// The revision the snapshot holds: the number of updates written.
    pub fn revision(&self) -> Result<i64> {
        Ok(self
            .meta("revision")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Every stored file by path.
    pub fn files(&self) -> Result<HashMap<String, StoredFile>> {
        let mut st = self
            .conn
            .prepare("SELECT path, id, lang, hash, size, mtime_ns, rows_hash FROM files")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    StoredFile {
                        id: r.get(1)?,
                        lang: r.get(2)?,
                        hash: r.get(3)?,
                        size: r.get::<_, i64>(4)? as u64,
                        mtime_ns: r.get(5)?,
                        rows_hash: r.get(6)?,
                    },
                ))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// The stored facts of every file's current content: (hash, blob).
    pub fn current_blobs(&self) -> Result<Vec<(String, Vec<u8>)>> {
        let mut st = self
            .conn
            .prepare("SELECT hash, data FROM facts WHERE hash IN (SELECT hash FROM files)")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// Every file's imported compiler references: (path, content hash, blob).
    pub fn compiler_refs(&self) -> Result<Vec<(String, String, Vec<u8>)>> {
        let mut st = self
            .conn
            .prepare("SELECT path, hash, data FROM compiler_refs ORDER BY path")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// The stored facts of one content hash, if any (content seen before,
    /// say on another branch).
    pub fn blob(&self, hash: &str) -> Result<Option<Vec<u8>>> {
        self.conn
            .prepare_cached("SELECT data FROM facts WHERE hash = ?1")
            .and_then(|mut s| s.query_row([hash], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))
    }

    /// Write one update in one transaction. On any error nothing changes.
    pub fn write(&mut self, u: &Update) -> Result<WriteReport> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
                detail: "opened read-only".into(),
            });
        }
        let mut report = WriteReport {
            revision: self.revision()?,
            ..Default::default()
        };
        if u.is_empty() {
            return Ok(report);
        }
        let revision = report.revision + 1;
        let path = self.path.clone();
        let old_revision = report.revision;
        let fail = |e: rusqlite::Error| sql_err(&path, e, old_revision);
        let tx = self.conn.transaction().map_err(fail)?;
        // A bulk write (a first index, a branch switch) is faster without the
        // secondary indexes, and indexes built afterwards come out packed;
        // but rebuilding costs the whole table, so only when the update
        // rewrites a good share of it.
        let bulk = u.rows.len() >= BULK_ROWS && {
            let files: i64 = tx
                .query_row("SELECT count(*) FROM files", [], |r| r.get(0))
                .map_err(fail)?;
            u.rows.len() as i64 * 2 >= files
        };
        if bulk {
            for (name, _) in schema_indexes() {
                tx.execute(&format!("DROP INDEX IF EXISTS {name}"), [])
                    .map_err(fail)?;
            }
        }
        {
            let file_id = |p: &str| -> rusqlite::Result<Option<i64>> {
                tx.prepare_cached("SELECT id FROM files WHERE path = ?1")?
                    .query_row([p], |r| r.get(0))
                    .optional()
            };
            for p in &u.removed {
                if let Some(id) = file_id(p).map_err(fail)? {
                    delete_rows(&tx, id).map_err(fail)?;
                    tx.execute("DELETE FROM files WHERE id = ?1", [id])
                        .map_err(fail)?;
                    tx.execute("DELETE FROM compiler_refs WHERE path = ?1", [p])
                        .map_err(fail)?;
                    tx.execute(
                        "INSERT OR REPLACE INTO removed_files VALUES (?1, ?2)",
                        params![p, revision],
                    )
                    .map_err(fail)?;
                }
            }
            for (hash, data) in &u.blobs {
                tx.prepare_cached(
                    "INSERT INTO facts VALUES (?1, ?2, ?3)
                     ON CONFLICT(hash) DO UPDATE SET revision = excluded.revision",
                )
                .and_then(|mut s| s.execute(params![hash, revision, data]))
                .map_err(fail)?;
                report.blobs_written += 1;
            }
            for (p, set) in &u.compiler {
                match set {
                    Some((hash, data)) => tx
                        .prepare_cached("INSERT OR REPLACE INTO compiler_refs VALUES (?1, ?2, ?3)")
                        .and_then(|mut s| s.execute(params![p, hash, data])),
                    None => tx
                        .prepare_cached("DELETE FROM compiler_refs WHERE path = ?1")
                        .and_then(|mut s| s.execute([p])),
                }
                .map_err(fail)?;
            }
            for s in &u.states {
                tx.prepare_cached(
                    "INSERT INTO files (path, lang, hash, size, mtime_ns, revision, rows_hash,
                       syntax_errors, n_symbols, n_refs, n_calls, n_inherits, n_imports,
                       n_scoped, n_heuristic, n_external, n_unresolved, n_compiler)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                     ON CONFLICT(path) DO UPDATE SET lang = excluded.lang, hash = excluded.hash,
                       size = excluded.size, mtime_ns = excluded.mtime_ns, revision = excluded.revision",
                )
                .and_then(|mut st| {
                    st.execute(params![
                        s.path,
                        s.lang.as_str(),
                        s.hash,
                        s.size as i64,
                        s.mtime_ns,
                        revision
                    ])
                })
                .map_err(fail)?;
                tx.execute("DELETE FROM removed_files WHERE path = ?1", [&s.path])
                    .map_err(fail)?;
            }
            for (rows, digest) in &u.rows {
                let Some(id) = file_id(&rows.path).map_err(fail)? else {
                    return Err(StoreError::Sqlite {
                        path: path.clone(),
                        source: rusqlite::Error::QueryReturnedNoRows,
                    });
                };
                delete_rows(&tx, id).map_err(fail)?;
                report.rows_written += insert_rows(&tx, id, rows, &file_id).map_err(fail)?;
                let s = &rows.stats;
                tx.prepare_cached(
                    "UPDATE files SET revision = ?2, rows_hash = ?3, syntax_errors = ?4,
                       n_symbols = ?5, n_refs = ?6, n_calls = ?7, n_inherits = ?8, n_imports = ?9,
                       n_scoped = ?10, n_heuristic = ?11, n_external = ?12, n_unresolved = ?13,
                       n_compiler = ?14
                     WHERE id = ?1",
                )
                .and_then(|mut st| {
                    st.execute(params![
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
                    ])
                })
                .map_err(fail)?;
                report.files_rewritten += 1;
            }
            tx.execute(
                "INSERT OR REPLACE INTO meta VALUES ('revision', ?1)",
                [revision.to_string()],
            )
            .map_err(fail)?;
            for (k, v) in &u.meta {
                tx.execute("INSERT OR REPLACE INTO meta VALUES (?1, ?2)", [k, v])
                    .map_err(fail)?;
            }
            tx.execute(
                "INSERT OR REPLACE INTO meta VALUES ('updated', ?1)",
                [now_unix().to_string()],
            )
            .map_err(fail)?;
            if bulk {
                for (_, create) in schema_indexes() {
                    tx.execute(&create, []).map_err(fail)?;
                }
            }
            if u.removed.len() + u.blobs.len() > 0 && revision % 32 == 0 {
                collect_garbage(&tx).map_err(fail)?;
            }
        }
        tx.commit().map_err(fail)?;
        report.revision = revision;
        Ok(report)
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
            "SELECT 'search', printf('%016x', rowid), name, qualified, signature, doc FROM search",
            "SELECT 'enum', type, code, name FROM enums",
            "SELECT 'meta', key, value FROM meta WHERE key IN ('schema_version', 'extractor', 'manifests')",
        ];
        if with_facts {
            queries.push("SELECT 'facts', hash FROM facts WHERE hash IN (SELECT hash FROM files)");
            queries.push("SELECT 'compiler_refs', path, hash FROM compiler_refs");
        }
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
    /// invariants. `blob_ok` decodes one facts blob. Returns the problems.
    pub fn check(&self, blob_ok: &dyn Fn(&[u8]) -> Result<(), String>) -> Result<Vec<String>> {
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
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let hash: String = r.get(0).map_err(|e| self.err(e))?;
            let data = r.get_ref(1).map_err(|e| self.err(e))?;
            let ok = match data {
                ValueRef::Blob(b) => blob_ok(b),
                _ => Err("not a blob".into()),
            };
            if let Err(e) = ok {
                undecodable.push(format!("{}: {e}", &hash[..hash.len().min(12)]));
            }
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
        for stmt in crate::schema::statements() {
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
        self.insert_rows_sql(
            &mut sql,
            "search",
            &format!("rowid IN (SELECT id FROM symbols WHERE {of_changed})"),
            max_statement,
        )?;
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
        // a virtual table's `*` leaves its key out
        let columns = if table == crate::search::TABLE {
            "rowid, *"
        } else {
            "*"
        };
        let query = if filter.is_empty() {
            format!("SELECT {columns} FROM {table}")
        } else {
            format!("SELECT {columns} FROM {table} WHERE {filter}")
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

/// Deletes the `search` rows of file `?1`'s symbols.
const SEARCH_ROWS_OF_FILE: &str =
    "DELETE FROM search WHERE rowid IN (SELECT id FROM symbols WHERE file = ?1)";

/// The tables holding a file's rows, keyed by `file`.
const ROW_TABLES: &[&str] = &["symbols", "refs", "inherits", "imports", "file_deps"];

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

fn sql_literal(out: &mut String, v: ValueRef<'_>) {
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

fn sql_err(path: &Path, e: rusqlite::Error, revision: i64) -> StoreError {
    let detail = e.to_string();
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Corrupt {
            path: path.to_path_buf(),
            detail,
        },
        Some(ErrorCode::DiskFull) => StoreError::DiskFull {
            path: path.to_path_buf(),
            revision,
        },
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied | ErrorCode::CannotOpen) => {
            StoreError::ReadOnly {
                path: path.to_path_buf(),
                detail,
            }
        }
        _ => StoreError::Sqlite {
            path: path.to_path_buf(),
            source: e,
        },
    }
}

/// Take `{db}.lock`, waiting up to `timeout`. `Ok(None)`: the location is
/// not writable.
fn lock(path: &Path, timeout: Duration) -> Result<Option<File>> {
    let lock_path = sidecar(path, ".lock");
    let mut f = match FsOpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
    {
        Ok(f) => f,
        Err(e) if is_read_only_io(&e) => return Ok(None),
        Err(source) => {
            return Err(StoreError::Io {
                path: lock_path,
                source,
            });
        }
    };
    let start = Instant::now();
    let mut told = false;
    loop {
        match f.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = (&f).read_to_string(&mut holder);
                let holder = match holder.trim() {
                    "" => String::new(),
                    pid => format!(" (pid {pid})"),
                };
                if start.elapsed() >= timeout {
                    return Err(StoreError::Locked {
                        path: path.to_path_buf(),
                        holder,
                        waited: start.elapsed(),
                    });
                }
                if !told && start.elapsed() >= Duration::from_millis(500) {
                    eprintln!(
                        "waiting for another weft process{holder} that is updating {}",
                        path.display()
                    );
                    told = true;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(StoreError::Io {
                    path: lock_path,
                    source,
                });
            }
        }
    }
    let _ = f.set_len(0);
    let _ = write!(f, "{}", std::process::id());
    let _ = f.flush();
    Ok(Some(f))
}

fn database_files(path: &Path) -> [PathBuf; 3] {
    [
        path.to_path_buf(),
        sidecar(path, "-wal"),
        sidecar(path, "-shm"),
    ]
}

fn remove_database(path: &Path) -> std::io::Result<()> {
    for p in database_files(path) {
        match std::fs::remove_file(&p) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// Move an unreadable snapshot (and its WAL) aside, never deleting it;
/// returns where it went.
pub fn quarantine(path: &Path) -> std::io::Result<PathBuf> {
    let mut to = sidecar(path, &format!(".corrupt-{}", now_unix()));
    let mut n = 1;
    while to.exists() {
        to = sidecar(path, &format!(".corrupt-{}-{n}", now_unix()));
        n += 1;
    }
    for (from, suffix) in database_files(path).into_iter().zip(["", "-wal", "-shm"]) {
        if from.exists() {
            std::fs::rename(&from, sidecar(&to, suffix))?;
        }
    }
    Ok(to)
}

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

fn insert_rows(
    tx: &Connection,
    file: i64,
    rows: &FileRows,
    file_id: &dyn Fn(&str) -> rusqlite::Result<Option<i64>>,
) -> rusqlite::Result<usize> {
    let mut n = 0;
    let mut st = tx.prepare_cached(
        "INSERT OR IGNORE INTO symbols VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?;
    let mut search = tx.prepare_cached(
        "INSERT INTO search (rowid, name, qualified, signature, doc) VALUES (?1, ?2, ?3, ?4, ?5)",
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
            let [name, qualified, signature, doc] = crate::search::columns(s, true);
            search.execute(params![sid(s.id), name, qualified, signature, doc])?;
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

/// The snapshot as a row source for the read API ([`crate::read`]): the
/// native replica. Each statement completes before the future is polled.
impl crate::read::RowSource for Store {
    async fn rows(
        &self,
        sql: &str,
        params: &[crate::read::Value],
    ) -> std::result::Result<Vec<Vec<crate::read::Value>>, crate::read::SourceError> {
        use crate::read::Value;
        use rusqlite::types::Value as Sql;
        let fail = |e: rusqlite::Error| crate::read::SourceError(e.to_string());
        let mut st = self.conn.prepare_cached(sql).map_err(fail)?;
        let bound: Vec<Sql> = params
            .iter()
            .map(|p| match p {
                Value::Null => Sql::Null,
                Value::Int(i) => Sql::Integer(*i),
                Value::Real(f) => Sql::Real(*f),
                Value::Text(t) => Sql::Text(t.clone()),
            })
            .collect();
        let n = st.column_count();
        let mut rows = st.query(rusqlite::params_from_iter(bound)).map_err(fail)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(fail)? {
            let mut row = Vec::with_capacity(n);
            for i in 0..n {
                row.push(match r.get_ref(i).map_err(fail)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(i) => Value::Int(i),
                    ValueRef::Real(f) => Value::Real(f),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(_) => Value::Null,
                });
            }
            out.push(row);
        }
        Ok(out)
    }
}
