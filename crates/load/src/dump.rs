//! Code dumps: a repository as one text, each file introduced by a line
//! `FILE: <path>` (the format of repository packers and of the shared
//! corpus script's `--dump`). `weft --dump FILE` reads one in place of a
//! directory walk, so every command sees exactly the files it holds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};

const MARKER: &[u8] = b"FILE: ";

/// Files by relative path, with their bytes.
pub type Files = Vec<(String, Arc<[u8]>)>;

/// A parsed dump: its files in the order they first appear.
#[derive(Debug)]
pub struct Dump {
    pub path: PathBuf,
    pub files: Files,
    /// Paths refused (absolute, `..`) or given twice; the later copy wins.
    pub warnings: Vec<String>,
    /// Path -> position in `files`.
    index: HashMap<String, usize>,
}

impl Dump {
    pub fn read(path: &Path) -> Result<Dump> {
        let bytes =
            std::fs::read(path).with_context(|| format!("reading the dump {}", path.display()))?;
        let (files, warnings) = parse(&bytes);
        if files.is_empty() {
            bail!(
                "{} has no `FILE: <path>` line: a code dump introduces each file with one",
                path.display()
            );
        }
        let index = files
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (p.clone(), i))
            .collect();
        Ok(Dump {
            path: path.to_path_buf(),
            files,
            warnings,
            index,
        })
    }

    /// The content of the file at `rel`.
    pub fn get(&self, rel: &str) -> Option<&Arc<[u8]>> {
        self.index.get(rel).map(|&i| &self.files[i].1)
    }
}

/// Split a dump into files. A file's content is every byte between its
/// `FILE:` line and the next one, so offsets inside it match the file on
/// disk. Text before the first `FILE:` line (a packer's preamble) is skipped.
pub fn parse(bytes: &[u8]) -> (Files, Vec<String>) {
    let mut starts: Vec<(usize, usize, String)> = Vec::new(); // (marker, content start, path)
    let mut at = 0;
    while at < bytes.len() {
        let end = memchr_newline(bytes, at);
        let line = &bytes[at..end];
        if let Some(rest) = line.strip_prefix(MARKER) {
            let raw = String::from_utf8_lossy(rest);
            let content = (end + 1).min(bytes.len());
            starts.push((at, content, raw.trim_end_matches('\r').trim().to_string()));
        }
        at = end + 1;
    }
    let mut files: Files = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut warnings = Vec::new();
    for (i, (_, content, raw)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(bytes.len(), |s| s.0);
        let Some(rel) = clean(raw) else {
            warnings.push(format!(
                "FILE: {raw}: skipped, a dump's paths are relative and stay inside it"
            ));
            continue;
        };
        let body: Arc<[u8]> = bytes[*content..end].into();
        match seen.get(&rel) {
            Some(&i) => {
                warnings.push(format!("FILE: {rel}: given twice, the later copy is used"));
                files[i].1 = body;
            }
            None => {
                seen.insert(rel.clone(), files.len());
                files.push((rel, body));
            }
        }
    }
    (files, warnings)
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| from + i)
}

/// `./a/b.rs` and `a\b.rs` as `a/b.rs`; `None` for absolute paths and
/// paths that climb out with `..`.
fn clean(raw: &str) -> Option<String> {
    let raw = raw.replace('\\', "/");
    if raw.is_empty() || raw.starts_with('/') || raw.contains(':') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in raw.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(files: &[(String, Arc<[u8]>)]) -> Vec<(&str, &str)> {
        files
            .iter()
            .map(|(p, b)| (p.as_str(), std::str::from_utf8(b).unwrap()))
            .collect()
    }

    #[test]
    fn contents_are_the_bytes_between_markers() {
        let (files, warnings) = parse(
            b"packed by a tool\nFILE: src/a.rs\nfn a() {}\n\nFILE: ./b/c.py\r\ndef c():\n    pass\nFILE: d.go\n",
        );
        assert_eq!(
            text(&files),
            [
                ("src/a.rs", "fn a() {}\n\n"),
                ("b/c.py", "def c():\n    pass\n"),
                ("d.go", "")
            ]
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn unsafe_and_repeated_paths_are_reported() {
        let (files, warnings) =
            parse(b"FILE: /etc/x.rs\nA\nFILE: ../up.rs\nB\nFILE: a.rs\nC\nFILE: a.rs\nD\n");
        assert_eq!(text(&files), [("a.rs", "D\n")]);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[2].contains("twice"));
    }
}
