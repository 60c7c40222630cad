//! The native snapshot: SQLite through rusqlite, WAL mode, one transaction
//! per update, a lock file so two writers never interleave.
//!
//! What it guarantees: a process killed at any moment leaves a database
//! that opens and holds either the previous or the next revision; a corrupt
//! file is moved aside (never deleted) and a fresh one created; a snapshot
//! of another schema version or extractor is rebuilt; a full disk or a
//! read-only location is reported and loses nothing already stored.
//!
//! The types and opening a snapshot (with the accessors every part uses)
//! are here; writing an update is in `write`, verifying and describing a
//! snapshot in `check`, the SQL export for D1 in `d1`, the lock file and
//! the database's files on disk in `lock`, the note that spares a trusted
//! file the whole-file check in `stamp`, and the read API's row source in
//! `source`.

mod check;
mod d1;
mod lock;
mod source;
mod stamp;
mod write;

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};

use crate::Lang;
use crate::rows::FileRows;
use crate::schema::{SCHEMA, SCHEMA_VERSION};

pub use check::Info;
pub use d1::ExportReport;
pub use lock::quarantine;
use lock::{lock, remove_database};
pub use write::Batch;

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
    /// Check the whole file before trusting it ([`Store::verify`]): what
    /// `weft index` and `weft serve` do, so a snapshot that `snapshot
    /// check` would flag is moved aside and rebuilt instead of refreshed.
    pub verify: bool,
}

impl OpenOptions {
    /// A reader: no lock, no writes, never a rebuild (so the extractor is
    /// not consulted).
    pub fn reader() -> OpenOptions {
        OpenOptions {
            lock_timeout: Duration::ZERO,
            extractor: String::new(),
            read_only: true,
            verify: false,
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
    pub blobs: Vec<FactsBlob>,
    /// `meta` entries to set (key, value).
    pub meta: Vec<(String, String)>,
    /// Imported compiler references per file: set or dropped.
    pub compiler: Vec<(String, Option<CompilerBlob>)>,
}

/// What the snapshot keeps of one content: its facts, encoded, and its
/// words ([`crate::word_filter::WordFilter`] bytes; empty when unknown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FactsBlob {
    pub hash: String,
    pub data: Vec<u8>,
    pub words: Vec<u8>,
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
    /// A writer that checked the file or created it notes it on a clean
    /// close ([`stamp`]).
    note_on_close: bool,
    _lock: Option<File>,
}

impl Drop for Store {
    fn drop(&mut self) {
        if !self.note_on_close {
            return;
        }
        // close first: the last connection folds the WAL into the file
        if let Ok(spare) = Connection::open_in_memory() {
            drop(std::mem::replace(&mut self.conn, spare));
            stamp::record(&self.path);
        }
    }
}

/// The tables holding a file's rows, keyed by `file`.
const ROW_TABLES: &[&str] = &["symbols", "refs", "inherits", "imports", "file_deps"];

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
        // as a writer left it: only weft's own checks, not SQLite's of
        // every page (31 s of a 61 s warm start on the Linux kernel)
        let trusted = opts.verify && stamp::matches(path);
        stamp::forget(path);
        if path.exists() {
            match Store::connect(path, false, None).and_then(|s| {
                s.check_header()?;
                if opts.verify {
                    s.verify(!trusted)?;
                }
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
                            store.note_on_close = opts.verify;
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
        let mut store = Store::connect(path, false, lock)?;
        store.create(&opts.extractor)?;
        store.note_on_close = true;
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
            // or on a full disk, where the shared memory file cannot be made
            Err(StoreError::ReadOnly { .. } | StoreError::DiskFull { .. }) => {
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
            note_on_close: false,
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
            note_on_close: false,
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

    fn create(&self, extractor: &str) -> Result<()> {
        // FTS5 writes its pending words out as a new segment whenever they
        // pass this size, and merges segments as they pile up: at its 1 MB
        // default, flushing and merging took a quarter of a first index's
        // time on symbol-dense code (77 MB of the kernel's register headers)
        const SEARCH_HASH_BYTES: usize = 16 << 20;
        let now = now_unix().to_string();
        let sql = format!(
            "BEGIN; {SCHEMA}
             INSERT OR REPLACE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');
             INSERT OR REPLACE INTO meta VALUES ('revision', '0');
             INSERT OR REPLACE INTO meta VALUES ('created', '{now}');
             INSERT INTO search (search, rank) VALUES ('hashsize', {SEARCH_HASH_BYTES});
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

    /// The stored facts of every file's current content.
    pub fn current_blobs(&self) -> Result<Vec<FactsBlob>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT hash, data, ifnull(words, x'') FROM facts WHERE hash IN (SELECT hash FROM files)",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok(FactsBlob {
                    hash: r.get(0)?,
                    data: r.get(1)?,
                    words: r.get(2)?,
                })
            })
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
}

fn sql_err(path: &Path, e: rusqlite::Error, revision: i64) -> StoreError {
    let detail = e.to_string();
    if is_data_error(&e) {
        return StoreError::Corrupt {
            path: path.to_path_buf(),
            detail,
        };
    }
    // SQLITE_IOERR_SHMSIZE: no room for the shared-memory file a WAL
    // database needs even to be read
    let no_room = matches!(&e, rusqlite::Error::SqliteFailure(f, _) if f.extended_code == 4874);
    if no_room {
        return StoreError::DiskFull {
            path: path.to_path_buf(),
            revision,
        };
    }
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

/// Does the error say the file's content is not what weft wrote (a value
/// of the wrong type, text that is not UTF-8, a table or column that is
/// not there), rather than that the disk or the lock failed? Such a
/// snapshot is moved aside and rebuilt, never served.
fn is_data_error(e: &rusqlite::Error) -> bool {
    use rusqlite::Error as E;
    match e {
        E::InvalidColumnType(..)
        | E::FromSqlConversionFailure(..)
        | E::Utf8Error(..)
        | E::IntegralValueOutOfRange(..)
        | E::InvalidColumnIndex(..)
        | E::InvalidColumnName(..) => true,
        E::SqliteFailure(_, Some(m)) => {
            m.starts_with("no such table") || m.starts_with("no such column")
        }
        _ => false,
    }
}
