//! Reading a repository: .gitignore rules, source files by extension, build
//! manifests; binary, oversized, unreadable and vanished files are skipped
//! with a counted warning; invalid UTF-8 is decoded lossily and counted.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use weft_queries::languages::is_indexed;
use weft_queries::{Change, is_manifest};

use crate::dump::Dump;

#[derive(Default, Debug, serde::Serialize)]
pub struct WalkReport {
    pub files: usize,
    pub bytes: u64,
    pub skipped_binary: usize,
    pub skipped_too_large: usize,
    pub unreadable: usize,
    pub lossy_utf8: usize,
    /// Shared extensions this tree gives to another language than their
    /// owner, with that language (`.h` to C++ in a tree of mostly C++ sources).
    pub shared: Vec<(String, String)>,
    #[serde(skip)]
    pub warnings: Vec<String>,
}

pub struct WalkOptions {
    pub max_file_size: u64,
    /// Read the files of this dump instead of walking the directory.
    pub dump: Option<Arc<Dump>>,
}

impl WalkOptions {
    pub fn new(max_file_size: u64) -> WalkOptions {
        WalkOptions {
            max_file_size,
            dump: None,
        }
    }
}

/// A file the walk found: what decides whether to read it again.
#[derive(Clone, Debug)]
pub struct Listed {
    pub rel: String,
    pub abs: PathBuf,
    pub size: u64,
    /// Modification time in ns since the epoch; 0 when unknown.
    pub mtime_ns: i64,
    pub manifest: bool,
    /// The content, for a file of a dump (`mtime_ns` is then 0, so a
    /// refresh always re-hashes it).
    pub inline: Option<Arc<[u8]>>,
}

impl Listed {
    pub fn new(rel: String, abs: PathBuf, m: &std::fs::Metadata) -> Listed {
        Listed {
            manifest: is_manifest(&rel),
            size: m.len(),
            mtime_ns: m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos() as i64)
                .unwrap_or(0),
            rel,
            abs,
            inline: None,
        }
    }
}

/// Counters the parallel reading phase bumps.
#[derive(Default)]
struct Counters {
    skipped_binary: AtomicUsize,
    too_large: AtomicUsize,
    unreadable: AtomicUsize,
    lossy: AtomicUsize,
    warnings: std::sync::Mutex<Vec<String>>,
}

impl Counters {
    fn warn(&self, m: String) {
        self.warnings.lock().unwrap().push(m);
    }
    fn into_report(self, report: &mut WalkReport) {
        report.skipped_binary += self.skipped_binary.into_inner();
        report.skipped_too_large += self.too_large.into_inner();
        report.unreadable += self.unreadable.into_inner();
        report.lossy_utf8 += self.lossy.into_inner();
        report.warnings.extend(self.warnings.into_inner().unwrap());
    }
}

/// Walk `root` for source files and manifests, with their size and mtime
/// (one `stat` each, in parallel); oversized and vanished files are counted
/// and left out.
pub fn list_repository(root: &Path, opts: &WalkOptions, report: &mut WalkReport) -> Vec<Listed> {
    if let Some(dump) = &opts.dump {
        return list_dump(dump, opts, report);
    }
    let mut paths: Vec<(PathBuf, String)> = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .follow_links(false)
        .require_git(false)
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                report.unreadable += 1;
                report.warnings.push(format!("walk: {e}"));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if is_indexed(&rel) {
            paths.push((entry.path().to_path_buf(), rel));
        }
    }
    paths.sort_by(|a, b| a.1.cmp(&b.1));
    report.shared = choose_shared(paths.iter().map(|(_, rel)| rel.as_str()));
    let c = Counters::default();
    let listed = paths
        .into_par_iter()
        .filter_map(|(abs, rel)| match std::fs::metadata(&abs) {
            Ok(m) if m.len() > opts.max_file_size => {
                c.too_large.fetch_add(1, Ordering::Relaxed);
                c.warn(format!(
                    "{rel}: skipped, {} bytes is over the {} byte limit",
                    m.len(),
                    opts.max_file_size
                ));
                None
            }
            Ok(m) => Some(Listed::new(rel, abs, &m)),
            Err(e) => {
                c.unreadable.fetch_add(1, Ordering::Relaxed);
                c.warn(format!("{rel}: {e}"));
                None
            }
        })
        .collect();
    c.into_report(report);
    listed
}

/// The files of a dump as a walk of a directory holding them would list
/// them: sources and manifests by name, in path order, oversized ones left
/// out. (A `.gitignore` inside a dump is not applied.)
/// Who parses shared extensions in this tree (`.h`: C, or C++ beside C++
/// sources), decided from its paths once they are listed.
fn choose_shared<'p>(paths: impl Iterator<Item = &'p str>) -> Vec<(String, String)> {
    weft_queries::languages::all()
        .choose_shared(paths)
        .into_iter()
        .map(|(ext, lang)| (ext.to_string(), lang.to_string()))
        .collect()
}

fn list_dump(dump: &Dump, opts: &WalkOptions, report: &mut WalkReport) -> Vec<Listed> {
    let mut listed: Vec<Listed> = Vec::new();
    for (rel, bytes) in &dump.files {
        if !is_indexed(rel) {
            continue;
        }
        if bytes.len() as u64 > opts.max_file_size {
            report.skipped_too_large += 1;
            report.warnings.push(format!(
                "{rel}: skipped, {} bytes is over the {} byte limit",
                bytes.len(),
                opts.max_file_size
            ));
            continue;
        }
        listed.push(Listed {
            rel: rel.clone(),
            abs: dump.path.clone(),
            size: bytes.len() as u64,
            mtime_ns: 0,
            manifest: is_manifest(rel),
            inline: Some(bytes.clone()),
        });
    }
    listed.sort_by(|a, b| a.rel.cmp(&b.rel));
    report.shared = choose_shared(listed.iter().map(|l| l.rel.as_str()));
    listed
}

/// A source file's text and the blake3 of its bytes.
pub struct Source {
    pub text: Arc<str>,
    pub hash: blake3::Hash,
}

/// Read one listed file: binary, vanished and unreadable files are counted
/// and skipped; invalid UTF-8 is decoded lossily.
fn read_counted(l: &Listed, c: &Counters) -> Option<Source> {
    let read = match &l.inline {
        Some(b) => Ok(b.to_vec()),
        None => read_regular(&l.abs),
    };
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            c.unreadable.fetch_add(1, Ordering::Relaxed);
            c.warn(format!("{}: {e}", l.rel));
            return None;
        }
    };
    if bytes[..bytes.len().min(8192)].contains(&0) {
        c.skipped_binary.fetch_add(1, Ordering::Relaxed);
        c.warn(format!("{}: skipped, looks binary", l.rel));
        return None;
    }
    let hash = blake3::hash(&bytes);
    let text: Arc<str> = match String::from_utf8(bytes) {
        Ok(s) => s.into(),
        Err(e) => {
            c.lossy.fetch_add(1, Ordering::Relaxed);
            c.warn(format!("{}: invalid UTF-8, decoded lossily", l.rel));
            String::from_utf8_lossy(e.as_bytes()).into_owned().into()
        }
    };
    Some(Source { text, hash })
}

/// A regular file's bytes. Anything else named like a source file (a
/// FIFO, a socket, a device) is refused, and without blocking: the open
/// does not wait for a FIFO's writer, and the type is checked on the open
/// handle, so a file swapped for a FIFO after listing is refused too.
fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut open = std::fs::OpenOptions::new();
    open.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut open, libc::O_NONBLOCK);
    let mut f = open.open(path)?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Read many listed files in parallel; `None` for those skipped.
pub fn read_sources(files: &[&Listed], report: &mut WalkReport) -> Vec<Option<Source>> {
    let c = Counters::default();
    let out = files.par_iter().map(|l| read_counted(l, &c)).collect();
    c.into_report(report);
    out
}

/// [`read_sources`] for a live server: on a thread of its own, waited for
/// at most `limit`. A read that hangs (a regular file on a network
/// filesystem that stopped answering) then costs that thread, not the
/// caller: every file of the batch is reported unread. The last resort
/// behind opening only regular files, without blocking.
pub fn read_sources_within(
    files: Vec<Listed>,
    limit: std::time::Duration,
    report: &mut WalkReport,
) -> Vec<Option<Source>> {
    let n = files.len();
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("weft-read".into())
        .spawn(move || {
            let refs: Vec<&Listed> = files.iter().collect();
            let mut r = WalkReport::default();
            let read = read_sources(&refs, &mut r);
            let _ = tx.send((read, r));
        });
    match spawned.ok().and_then(|_| rx.recv_timeout(limit).ok()) {
        Some((read, r)) => {
            report.unreadable += r.unreadable;
            report.skipped_binary += r.skipped_binary;
            report.lossy_utf8 += r.lossy_utf8;
            report.warnings.extend(r.warnings);
            read
        }
        None => {
            report.unreadable += n;
            report.warnings.push(format!(
                "reading {n} files took over {limit:?}; left unread"
            ));
            (0..n).map(|_| None).collect()
        }
    }
}

/// Walk `root` and read every source file and manifest into a [`Change`].
pub fn read_repository(root: &Path, opts: &WalkOptions) -> (Change, WalkReport) {
    let mut report = WalkReport::default();
    let listed = list_repository(root, opts, &mut report);
    let refs: Vec<&Listed> = listed.iter().collect();
    let read = read_sources(&refs, &mut report);
    let mut change = Change::default();
    for (l, src) in listed.into_iter().zip(read) {
        let Some(src) = src else { continue };
        if l.manifest {
            change.set_manifest(l.rel, src.text);
        } else {
            report.files += 1;
            report.bytes += src.text.len() as u64;
            change.set_file(l.rel, src.text);
        }
    }
    (change, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(dir: &Path, name: &str, text: &str) -> Listed {
        let abs = dir.join(name);
        std::fs::write(&abs, text).unwrap();
        Listed::new(name.into(), abs.clone(), &std::fs::metadata(&abs).unwrap())
    }

    #[test]
    fn a_read_past_its_limit_leaves_the_files_unread_and_says_so() {
        let d = tempfile::tempdir().unwrap();
        // enough files that reading them takes far longer than no time
        let files: Vec<Listed> = (0..500)
            .map(|i| listed(d.path(), &format!("m{i}.py"), &format!("x{i} = {i}\n")))
            .collect();
        let mut report = WalkReport::default();
        let read = read_sources_within(
            files.clone(),
            std::time::Duration::from_secs(30),
            &mut report,
        );
        assert_eq!(read.iter().filter(|r| r.is_some()).count(), 500);
        assert_eq!(report.unreadable, 0);
        // no time at all: the reading thread cannot have answered
        let mut report = WalkReport::default();
        let read = read_sources_within(files, std::time::Duration::ZERO, &mut report);
        assert!(read.iter().all(Option::is_none));
        assert_eq!(report.unreadable, 500);
        assert!(
            report.warnings[0].contains("left unread"),
            "{:?}",
            report.warnings
        );
    }
}
