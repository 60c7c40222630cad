//! Several versions of one tree in one engine.
//!
//! Salsa holds one revision per database, so weft does not keep a database
//! per version. It keeps one [`AnalysisHost`] and *switches* it between
//! versions: switching applies, as one ordinary [`Change`], only the files
//! whose content differs between the current version and the target. Salsa
//! then re-validates what depends on those files and keeps everything else,
//! exactly as it does after an edit, so going from branch A to branch B
//! costs what editing A's changed files into B's would.
//!
//! Facts are content-addressed by git blob id and shared by every version:
//! a blob's facts come from memory, else from the snapshot (`.weft/graph.db`,
//! keyed by blake3 of the bytes, when one was written by this extractor),
//! else from a parse. So content that two versions share is never parsed
//! twice, and content the working tree's snapshot already knows is never
//! parsed at all.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Result, bail};
use gix::ObjectId;
use rayon::prelude::*;
use weft_db::store::Store;
use weft_queries::facts::{FileFacts, decode_facts};
use weft_queries::fingerprint::extractor_fingerprint;
use weft_queries::languages::extract_path;
use weft_queries::{Analysis, AnalysisHost, Change, is_manifest};

use super::repo::{Delta, Listing, Repo, blob_id, read_many};
use crate::snapshot::find_snapshot;
use crate::walk::{WalkOptions, WalkReport, list_repository, read_sources};

/// A version of the tree: a commit, or the working tree as it is on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Side {
    Commit {
        /// What the user typed (`main`, `HEAD~1`).
        spec: String,
        commit: ObjectId,
        tree: ObjectId,
    },
    WorkTree,
}

impl Side {
    pub fn label(&self) -> String {
        match self {
            Side::Commit { spec, commit, .. } => format!("{spec} ({})", &commit.to_string()[..10]),
            Side::WorkTree => "the working tree".into(),
        }
    }
}

/// Where facts came from, for reports.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct FactsStats {
    pub from_memory: usize,
    pub from_snapshot: usize,
    pub parsed: usize,
    /// Binary or over the size limit: taken as a file without symbols.
    pub skipped: usize,
}

pub struct Versions {
    pub repo: Repo,
    shared: gix::ThreadSafeRepository,
    max_file_size: u64,
    /// Contents read from the working tree (git has no object for them).
    loose: HashMap<ObjectId, Arc<str>>,
    facts: HashMap<ObjectId, Arc<FileFacts>>,
    snapshot: Option<Store>,
    pub stats: FactsStats,
    /// The working tree as first read: one command sees one working tree.
    worktree: Option<Listing>,
    host: AnalysisHost,
    current: Listing,
}

impl Versions {
    /// The repository containing `dir`, with the snapshot of its working
    /// tree (if any, and written by this extractor) as a facts cache.
    pub fn open(dir: &Path, max_file_size: u64) -> Result<Versions> {
        let repo = Repo::discover(dir)?;
        let snapshot = repo.workdir().and_then(find_snapshot).and_then(|(_, db)| {
            let (store, _) = Store::open(&db, &weft_db::store::OpenOptions::reader()).ok()?;
            let same =
                store.meta("extractor").ok().flatten().as_deref() == Some(extractor_fingerprint());
            same.then_some(store)
        });
        Ok(Versions {
            shared: repo.shared(),
            repo,
            max_file_size,
            loose: HashMap::new(),
            facts: HashMap::new(),
            snapshot,
            stats: FactsStats::default(),
            worktree: None,
            host: AnalysisHost::new(),
            current: Listing::new(),
        })
    }

    pub fn has_snapshot(&self) -> bool {
        self.snapshot.is_some()
    }

    /// `spec` as a side: `None` or `"."` is the working tree.
    pub fn side(&self, spec: Option<&str>) -> Result<Side> {
        match spec {
            None | Some(".") => {
                if self.repo.workdir().is_none() {
                    bail!("this repository has no working tree; name two revisions");
                }
                Ok(Side::WorkTree)
            }
            Some(s) => {
                let commit = self.repo.commit(s)?;
                Ok(Side::Commit {
                    spec: s.to_string(),
                    commit,
                    tree: self.repo.tree_of(commit)?,
                })
            }
        }
    }

    /// The merge base of two commits.
    pub fn merge_base(&self, a: &Side, b: &Side) -> Result<Side> {
        let (Side::Commit { commit: x, .. }, Side::Commit { commit: y, .. }) = (a, b) else {
            bail!("the working tree has no merge base; pass --base");
        };
        let commit = self.repo.merge_base(*x, *y)?;
        Ok(Side::Commit {
            spec: "merge base".into(),
            commit,
            tree: self.repo.tree_of(commit)?,
        })
    }

    /// Every weft-readable file of a side, by content id.
    pub fn listing(&mut self, side: &Side) -> Result<Listing> {
        match side {
            Side::Commit { tree, .. } => self.repo.list(*tree),
            Side::WorkTree => self.worktree_listing(),
        }
    }

    fn worktree_listing(&mut self) -> Result<Listing> {
        if let Some(l) = &self.worktree {
            return Ok(l.clone());
        }
        let Some(root) = self.repo.workdir().map(Path::to_path_buf) else {
            bail!("this repository has no working tree");
        };
        let mut report = WalkReport::default();
        let opts = WalkOptions::new(self.max_file_size);
        let listed = list_repository(&root, &opts, &mut report);
        let refs: Vec<_> = listed.iter().collect();
        let read = read_sources(&refs, &mut report);
        let ids: Vec<Option<(ObjectId, Arc<str>)>> = read
            .into_par_iter()
            .map(|s| s.map(|s| (blob_id(s.text.as_bytes()), s.text)))
            .collect();
        let mut out = Listing::new();
        for (l, id) in listed.iter().zip(ids) {
            if let Some((id, text)) = id {
                self.loose.insert(id, text);
                out.insert(l.rel.clone(), id);
            }
        }
        self.worktree = Some(out.clone());
        Ok(out)
    }

    /// The files whose content differs between two sides. Between commits
    /// this reads only the trees on the way to what changed.
    pub fn deltas(&mut self, a: &Side, b: &Side) -> Result<Vec<Delta>> {
        if let (Side::Commit { tree: x, .. }, Side::Commit { tree: y, .. }) = (a, b) {
            return self.repo.diff(*x, *y);
        }
        let (la, lb) = (self.listing(a)?, self.listing(b)?);
        Ok(compare(&la, &lb))
    }

    /// Facts of each `(path, content)`, content-addressed.
    pub fn facts(&mut self, files: &[(&str, ObjectId)]) -> Result<Vec<Arc<FileFacts>>> {
        let mut missing: Vec<(&str, ObjectId)> = Vec::new();
        for &(path, id) in files {
            if self.facts.contains_key(&id) {
                self.stats.from_memory += 1;
            } else if !missing.iter().any(|m| m.1 == id) {
                missing.push((path, id));
            }
        }
        if !missing.is_empty() {
            let t = std::time::Instant::now();
            let texts = self.texts(&missing.iter().map(|m| m.1).collect::<Vec<_>>())?;
            tracing::debug!(
                files = missing.len(),
                ms = t.elapsed().as_millis() as u64,
                "read contents"
            );
            let hashes: Vec<Option<String>> = texts
                .par_iter()
                .map(|t| {
                    t.as_ref()
                        .map(|t| blake3::hash(t.as_bytes()).to_hex().to_string())
                })
                .collect();
            // Blobs come out of SQLite one by one; decoding them (zstd,
            // postcard) is most of the cost and runs in parallel.
            let mut stored: Vec<Option<Vec<u8>>> = Vec::with_capacity(missing.len());
            for (i, text) in texts.iter().enumerate() {
                stored.push(match (&self.snapshot, &hashes[i], text) {
                    (Some(store), Some(h), Some(_)) => store.blob(h)?,
                    _ => None,
                });
            }
            let decoded: Vec<Option<FileFacts>> = stored
                .into_par_iter()
                .map(|b| b.and_then(|b| decode_facts(&b).ok()))
                .collect();
            let mut to_parse: Vec<(usize, &str, Arc<str>)> = Vec::new();
            for (i, (((path, id), text), facts)) in
                missing.iter().zip(&texts).zip(decoded).enumerate()
            {
                match (text, facts) {
                    (None, _) => {
                        self.stats.skipped += 1;
                        self.facts.insert(*id, Arc::default());
                    }
                    (Some(_), Some(f)) => {
                        self.stats.from_snapshot += 1;
                        self.facts.insert(*id, Arc::new(f));
                    }
                    (Some(text), None) => to_parse.push((i, path, text.clone())),
                }
            }
            tracing::debug!(
                ms = t.elapsed().as_millis() as u64,
                "looked up the snapshot"
            );
            self.stats.parsed += to_parse.len();
            let parsed: Vec<(usize, FileFacts)> = to_parse
                .into_par_iter()
                .map(|(i, path, text)| (i, extract_path(path, &text)))
                .collect();
            for (i, f) in parsed {
                self.facts.insert(missing[i].1, Arc::new(f));
            }
        }
        Ok(files.iter().map(|(_, id)| self.facts[id].clone()).collect())
    }

    /// Texts of contents, `None` for binary or oversized ones.
    fn texts(&self, ids: &[ObjectId]) -> Result<Vec<Option<Arc<str>>>> {
        let from_git: Vec<ObjectId> = ids
            .iter()
            .filter(|id| !self.loose.contains_key(*id))
            .copied()
            .collect();
        let mut read: HashMap<ObjectId, Vec<u8>> = HashMap::new();
        for (id, bytes) in from_git.iter().zip(read_many(&self.shared, &from_git)) {
            read.insert(*id, bytes?);
        }
        Ok(ids
            .iter()
            .map(|id| match self.loose.get(id) {
                Some(t) => Some(t.clone()),
                None => {
                    let b = &read[id];
                    let binary = b[..b.len().min(8192)].contains(&0);
                    (!binary && b.len() as u64 <= self.max_file_size)
                        .then(|| Arc::from(String::from_utf8_lossy(b).as_ref()))
                }
            })
            .collect())
    }

    /// Bring the engine to `target`, applying only the files that differ
    /// from the version it holds.
    pub fn switch(&mut self, target: &Listing) -> Result<usize> {
        let deltas = compare(&self.current, target);
        let mut change = Change::default();
        let (manifests, sources): (Vec<&Delta>, Vec<&Delta>) =
            deltas.iter().partition(|d| is_manifest(&d.path));
        let present: Vec<(&str, ObjectId)> = sources
            .iter()
            .filter_map(|d| d.new.map(|n| (d.path.as_str(), n)))
            .collect();
        let facts = self.facts(&present)?;
        for ((path, _), f) in present.iter().zip(facts) {
            change.set_file_facts(*path, f);
        }
        for d in &sources {
            if d.new.is_none() {
                change.remove_file(d.path.clone());
            }
        }
        let manifest_ids: Vec<ObjectId> = manifests.iter().filter_map(|d| d.new).collect();
        let mut texts = self.texts(&manifest_ids)?.into_iter();
        for d in &manifests {
            match d.new {
                Some(_) => {
                    if let Some(t) = texts.next().flatten() {
                        change.set_manifest(d.path.clone(), t);
                    }
                }
                None => change.remove_manifest(d.path.clone()),
            }
        }
        let t = std::time::Instant::now();
        self.host.apply_change(change);
        tracing::debug!(ms = t.elapsed().as_millis() as u64, "applied to the engine");
        self.current = target.clone();
        Ok(deltas.len())
    }

    /// A handle on the version the engine holds. Drop it before the next
    /// [`switch`](Self::switch), which waits for every handle.
    pub fn analysis(&self) -> Analysis {
        self.host.analysis()
    }

    /// The working tree's root, for reading sources by path.
    pub fn workdir(&self) -> Option<PathBuf> {
        self.repo.workdir().map(Path::to_path_buf)
    }
}

/// Paths whose content differs between two listings, by path.
pub fn compare(a: &Listing, b: &Listing) -> Vec<Delta> {
    let mut out: Vec<Delta> = Vec::new();
    for (p, &x) in a {
        match b.get(p) {
            Some(&y) if y == x => {}
            y => out.push(Delta {
                path: p.clone(),
                old: Some(x),
                new: y.copied(),
            }),
        }
    }
    for (p, &y) in b {
        if !a.contains_key(p) {
            out.push(Delta {
                path: p.clone(),
                old: None,
                new: Some(y),
            });
        }
    }
    out.sort_by(|x, y| x.path.cmp(&y.path));
    out
}
