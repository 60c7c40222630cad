//! Reading a repository: .gitignore rules, source files by extension, build
//! manifests; binary, oversized, unreadable and vanished files are skipped
//! with a counted warning; invalid UTF-8 is decoded lossily and counted.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use weft_db::Lang;
use weft_queries::{Change, is_manifest};

#[derive(Default, Debug, serde::Serialize)]
pub struct WalkReport {
    pub files: usize,
    pub bytes: u64,
    pub skipped_binary: usize,
    pub skipped_too_large: usize,
    pub unreadable: usize,
    pub lossy_utf8: usize,
    #[serde(skip)]
    pub warnings: Vec<String>,
}

pub struct WalkOptions {
    pub max_file_size: u64,
}

/// Walk `root` and read every source file and manifest into a [`Change`].
pub fn read_repository(root: &Path, opts: &WalkOptions) -> (Change, WalkReport) {
    let mut report = WalkReport::default();
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
        if Lang::from_path(&rel).is_some() || is_manifest(&rel) {
            paths.push((entry.path().to_path_buf(), rel));
        }
    }
    paths.sort_by(|a, b| a.1.cmp(&b.1));
    let skipped_binary = AtomicUsize::new(0);
    let too_large = AtomicUsize::new(0);
    let unreadable = AtomicUsize::new(0);
    let lossy = AtomicUsize::new(0);
    let warnings = std::sync::Mutex::new(Vec::new());
    let read: Vec<(String, Arc<str>)> = paths
        .par_iter()
        .filter_map(|(abs, rel)| {
            let warn = |m: String| warnings.lock().unwrap().push(m);
            match std::fs::metadata(abs) {
                Ok(m) if m.len() > opts.max_file_size => {
                    too_large.fetch_add(1, Ordering::Relaxed);
                    warn(format!(
                        "{rel}: skipped, {} bytes is over the {} byte limit",
                        m.len(),
                        opts.max_file_size
                    ));
                    return None;
                }
                Err(e) => {
                    unreadable.fetch_add(1, Ordering::Relaxed);
                    warn(format!("{rel}: {e}"));
                    return None;
                }
                _ => {}
            }
            let bytes = match std::fs::read(abs) {
                Ok(b) => b,
                Err(e) => {
                    unreadable.fetch_add(1, Ordering::Relaxed);
                    warn(format!("{rel}: {e}"));
                    return None;
                }
            };
            if bytes[..bytes.len().min(8192)].contains(&0) {
                skipped_binary.fetch_add(1, Ordering::Relaxed);
                warn(format!("{rel}: skipped, looks binary"));
                return None;
            }
            let text: Arc<str> = match String::from_utf8(bytes) {
                Ok(s) => s.into(),
                Err(e) => {
                    lossy.fetch_add(1, Ordering::Relaxed);
                    warn(format!("{rel}: invalid UTF-8, decoded lossily"));
                    String::from_utf8_lossy(e.as_bytes()).into_owned().into()
                }
            };
            Some((rel.clone(), text))
        })
        .collect();
    let mut change = Change::default();
    for (rel, text) in read {
        if is_manifest(&rel) {
            change.set_manifest(rel, text);
        } else {
            report.files += 1;
            report.bytes += text.len() as u64;
            change.set_file(rel, text);
        }
    }
    report.skipped_binary = skipped_binary.into_inner();
    report.skipped_too_large = too_large.into_inner();
    report.unreadable += unreadable.into_inner();
    report.lossy_utf8 = lossy.into_inner();
    report.warnings.extend(warnings.into_inner().unwrap());
    (change, report)
}
