//! The embedding API, shaped like rust-analyzer's: one [`AnalysisHost`]
//! owns the database and takes [`Change`]s; [`Analysis`] snapshots answer
//! questions concurrently and return `Err(Cancelled)` when a later change
//! arrives while they run.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use salsa::{Durability, Setter};

use crate::db::{FileGroup, RootDatabase, SourceFile, file_facts, file_interface, file_mentions};
use crate::facts::Name;
use crate::resolve::{layout, resolve_file};

/// A batch of edits: file texts set (`Some`) or removed (`None`), and build
/// manifests (`Cargo.toml`, `go.mod`, `tsconfig.json`) likewise.
#[derive(Default, Debug, Clone)]
pub struct Change {
    pub files: Vec<(String, Option<Arc<str>>)>,
    pub manifests: Vec<(String, Option<Arc<str>>)>,
}

impl Change {
    pub fn set_file(&mut self, path: impl Into<String>, text: impl Into<Arc<str>>) {
        self.files.push((path.into(), Some(text.into())));
    }
    pub fn remove_file(&mut self, path: impl Into<String>) {
        self.files.push((path.into(), None));
    }
    pub fn set_manifest(&mut self, path: impl Into<String>, text: impl Into<Arc<str>>) {
        self.manifests.push((path.into(), Some(text.into())));
    }
    pub fn remove_manifest(&mut self, path: impl Into<String>) {
        self.manifests.push((path.into(), None));
    }
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.manifests.is_empty()
    }
}

/// Is this path a build manifest weft reads for module resolution?
pub fn is_manifest(path: &str) -> bool {
    matches!(
        path.rsplit('/').next(),
        Some("Cargo.toml" | "go.mod" | "tsconfig.json" | "jsconfig.json")
    )
}

pub type Cancellable<T> = Result<T, salsa::Cancelled>;

pub struct AnalysisHost {
    db: RootDatabase,
    files: FxHashMap<Name, SourceFile>,
    groups: Vec<FileGroup>,
    manifests: FxHashMap<Name, Arc<str>>,
}

impl Default for AnalysisHost {
    fn default() -> Self {
        Self::new()
    }
}

impl AnalysisHost {
    pub fn new() -> Self {
        AnalysisHost {
            db: RootDatabase::default(),
            files: FxHashMap::default(),
            groups: Vec::new(),
            manifests: FxHashMap::default(),
        }
    }

    /// Apply a batch of edits. Cancels running [`Analysis`] calls and waits
    /// for them to unwind. Files first seen in a large batch (an initial
    /// load) get MEDIUM durability, so later single-file edits (LOW) don't
    /// make salsa re-verify every file's memos.
    pub fn apply_change(&mut self, change: Change) {
        use crate::db::Db;
        if self.groups.is_empty() {
            let n = (change.files.len() / 1000)
                .clamp(1, 128)
                .next_power_of_two();
            self.groups = (0..n)
                .map(|_| {
                    FileGroup::builder(Vec::new())
                        .durability(Durability::MEDIUM)
                        .new(&self.db)
                })
                .collect();
            let ws = self.db.workspace();
            ws.set_groups(&mut self.db)
                .with_durability(Durability::MEDIUM)
                .to(self.groups.clone());
        }
        let bulk = change.files.len() > 16;
        let mut touched: FxHashMap<usize, ()> = FxHashMap::default();
        for (path, text) in change.files {
            let path: Name = normalize(&path).into();
            match (text, self.files.get(&path).copied()) {
                (Some(text), Some(f)) => {
                    if **f.text(&self.db) != *text {
                        let d = if bulk {
                            Durability::MEDIUM
                        } else {
                            Durability::LOW
                        };
                        f.set_text(&mut self.db).with_durability(d).to(text);
                    }
                }
                (Some(text), None) => {
                    let f = SourceFile::builder(path.clone(), text)
                        .durability(Durability::MEDIUM)
                        .new(&self.db);
                    self.files.insert(path.clone(), f);
                    touched.insert(self.group_of(&path), ());
                }
                (None, Some(_)) => {
                    self.files.remove(&path);
                    touched.insert(self.group_of(&path), ());
                }
                (None, None) => {}
            }
        }
        for (g, ()) in touched {
            let mut members: Vec<(Name, SourceFile)> = self
                .files
                .iter()
                .filter(|(p, _)| self.group_of(p) == g)
                .map(|(p, f)| (p.clone(), *f))
                .collect();
            members.sort_by(|a, b| a.0.cmp(&b.0));
            let files: Vec<SourceFile> = members.into_iter().map(|(_, f)| f).collect();
            self.groups[g]
                .set_files(&mut self.db)
                .with_durability(Durability::MEDIUM)
                .to(files);
        }
        if !change.manifests.is_empty() {
            for (path, text) in change.manifests {
                let path: Name = normalize(&path).into();
                match text {
                    Some(t) => self.manifests.insert(path, t),
                    None => self.manifests.remove(&path),
                };
            }
            let mut list: Vec<(Name, Arc<str>)> = self
                .manifests
                .iter()
                .map(|(p, t)| (p.clone(), t.clone()))
                .collect();
            list.sort_by(|a, b| a.0.cmp(&b.0));
            let ws = self.db.workspace();
            ws.set_manifests(&mut self.db)
                .with_durability(Durability::MEDIUM)
                .to(list);
        }
    }

    fn group_of(&self, path: &str) -> usize {
        let h = blake3::hash(path.as_bytes());
        (u64::from_le_bytes(h.as_bytes()[..8].try_into().unwrap()) % self.groups.len() as u64)
            as usize
    }

    /// A cheap snapshot for reading; many may run at once on other threads.
    pub fn analysis(&self) -> Analysis {
        Analysis {
            db: self.db.clone(),
        }
    }

    /// Compute every file's facts and resolution on all cores (rayon, one
    /// database clone per split), so later questions are memo hits.
    pub fn warm_up(&self, progress: &(dyn Fn(usize) + Sync)) -> Cancellable<()> {
        let files: Vec<SourceFile> = self.files.values().copied().collect();
        let db = self.db.clone();
        salsa::Cancelled::catch(AssertUnwindSafe(|| {
            files
                .par_iter()
                .with_min_len(8)
                .for_each_with(db.clone(), |db, &f| {
                    file_facts(db, f);
                    file_interface(db, f);
                    file_mentions(db, f);
                    progress(1);
                });
            layout(&db);
            files
                .par_iter()
                .with_min_len(8)
                .for_each_with(db.clone(), |db, &f| {
                    resolve_file(db, f);
                });
        }))
    }

    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    /// The database, for tests that read salsa's event log.
    pub fn raw_database(&self) -> &RootDatabase {
        &self.db
    }
}

/// Paths are `/`-separated and relative, with no `./` prefix.
pub fn normalize(path: &str) -> String {
    let p = path.replace('\\', "/");
    p.trim_start_matches("./").to_string()
}

/// A read-only view at one revision.
#[derive(Clone)]
pub struct Analysis {
    pub(crate) db: RootDatabase,
}

impl Analysis {
    /// Run a read; `Err(Cancelled)` if a change arrived meanwhile.
    pub fn with_db<T>(&self, f: impl FnOnce(&RootDatabase) -> T) -> Cancellable<T> {
        salsa::Cancelled::catch(AssertUnwindSafe(|| f(&self.db)))
    }
}
