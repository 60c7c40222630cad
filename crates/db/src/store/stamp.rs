//! A note of the snapshot file as weft last left it (`graph.db.verified`),
//! so that opening it again need not read all of it: SQLite's whole-file
//! check runs only when the file changed behind weft's back — another
//! program wrote it, a writer was killed, it was copied or restored.
//!
//! The note is written when a writer that trusted the file closes it
//! cleanly (its WAL folded into the file), and names the file's inode,
//! size and modification time. Any later write, by weft or anything else,
//! changes the modification time; a writer killed mid-update leaves its
//! WAL behind; either way the note no longer matches.

use std::path::{Path, PathBuf};

use super::sidecar;

fn note_path(db: &Path) -> PathBuf {
    sidecar(db, ".verified")
}

/// The file's identity now, or `None` while a WAL holds writes not yet in
/// the file.
fn identity(db: &Path) -> Option<String> {
    let wal = std::fs::metadata(sidecar(db, "-wal")).map_or(0, |m| m.len());
    if wal > 0 {
        return None;
    }
    let m = std::fs::metadata(db).ok()?;
    let modified = m
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    #[cfg(unix)]
    let inode = {
        use std::os::unix::fs::MetadataExt;
        format!("{}:{}", m.dev(), m.ino())
    };
    #[cfg(not(unix))]
    let inode = "-";
    Some(format!(
        "{inode} {} {}.{:09}\n",
        m.len(),
        modified.as_secs(),
        modified.subsec_nanos()
    ))
}

/// Whether the file is exactly as a writer that trusted it left it.
pub(super) fn matches(db: &Path) -> bool {
    match (std::fs::read_to_string(note_path(db)), identity(db)) {
        (Ok(note), Some(now)) => note == now,
        _ => false,
    }
}

/// Drop the note: the file is about to be written, or was found wanting.
pub(super) fn forget(db: &Path) {
    let _ = std::fs::remove_file(note_path(db));
}

/// Note the file as it is now. Best effort: without a note the next open
/// checks the whole file, which is slower, never wrong.
pub(super) fn record(db: &Path) {
    let Some(now) = identity(db) else { return };
    let tmp = sidecar(db, ".verified.tmp");
    if std::fs::write(&tmp, now).is_ok() {
        let _ = std::fs::rename(&tmp, note_path(db));
    }
}
