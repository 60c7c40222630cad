//! The snapshot's files on disk: the `{db}.lock` a writer holds, and the
//! database with its `-wal` and `-shm` files, removed together for a
//! rebuild or moved aside together when unreadable.

use std::fs::{File, OpenOptions as FsOpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{Result, StoreError, is_read_only_io, now_unix, sidecar};

/// Take `{db}.lock`, waiting up to `timeout`. `Ok(None)`: the location is
/// not writable.
pub(super) fn lock(path: &Path, timeout: Duration) -> Result<Option<File>> {
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

pub(super) fn database_files(path: &Path) -> [PathBuf; 3] {
    [
        path.to_path_buf(),
        sidecar(path, "-wal"),
        sidecar(path, "-shm"),
    ]
}

pub(super) fn remove_database(path: &Path) -> std::io::Result<()> {
    super::stamp::forget(path);
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
    super::stamp::forget(path);
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
