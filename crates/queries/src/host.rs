//! The embedding API, shaped like rust-analyzer's: one [`AnalysisHost`]
//! owns the database and takes [`Change`]s; [`Analysis`] snapshots answer
//! questions concurrently and return `Err(Cancelled)` when a later change
//! arrives while they run.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use salsa::{Durability, Setter};

use crate::compiler::{MapCounts, Occurrence, map_occurrences};
use crate::db::{
    DefLoc, FileGroup, NameShard, RESIDENT_FACTS, RootDatabase, SourceFile, file_interface,
    file_mentions, shard_of,
};
use crate::facts::compiler::CompilerRefs;
use crate::facts::encoded::{Encoded, StoredFacts};
use crate::facts::{FileFacts, FileInterface, InterfaceDelta, Name};
use crate::resolve::{layout, references_by_target};
use weft_db::rows::FileRows;

/// A batch of edits: file texts set (`Some`) or removed (`None`), files
/// whose facts come from a snapshot, and build manifests (`Cargo.toml`,
/// `go.mod`, `tsconfig.json`) set or removed.
#[derive(Default, Debug, Clone)]
pub struct Change {
    pub files: Vec<(String, Option<Arc<str>>)>,
    /// Files given by their stored facts instead of their text (a warm
    /// start): extraction returns these without parsing.
    pub stored: Vec<(String, StoredFacts)>,
    pub manifests: Vec<(String, Option<Arc<str>>)>,
    /// Imported compiler answers for files of the tree, set or dropped.
    /// Applied after the texts: a file whose text changes in this batch
    /// keeps an overlay only if this sets one.
    pub compiler: Vec<(String, Option<Arc<CompilerRefs>>)>,
}

impl Change {
    pub fn set_file(&mut self, path: impl Into<String>, text: impl Into<Arc<str>>) {
        self.files.push((path.into(), Some(text.into())));
    }
    pub fn set_file_facts(&mut self, path: impl Into<String>, facts: Arc<FileFacts>) {
        self.stored.push((path.into(), StoredFacts::Decoded(facts)));
    }
    /// Facts as a snapshot stores them, checked to decode: decoded only
    /// when asked for.
    pub fn set_file_encoded(&mut self, path: impl Into<String>, facts: Arc<Encoded>) {
        self.stored.push((path.into(), StoredFacts::Encoded(facts)));
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
    pub fn set_compiler_refs(&mut self, path: impl Into<String>, refs: Option<Arc<CompilerRefs>>) {
        self.compiler.push((path.into(), refs));
    }
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
            && self.stored.is_empty()
            && self.manifests.is_empty()
            && self.compiler.is_empty()
    }
}

/// What a [`Change`] did, for deciding what a snapshot must rewrite.
#[derive(Default, Debug, Clone)]
pub struct ChangeSummary {
    /// Files added or whose content changed.
    pub changed: Vec<Name>,
    pub removed: Vec<Name>,
    /// Files came or went, or a build manifest changed: module resolution
    /// anywhere may differ.
    pub layout_changed: bool,
    /// How the changed files' interfaces moved.
    pub delta: InterfaceDelta,
}

impl ChangeSummary {
    /// May files other than the changed ones now resolve differently, with
    /// no way to tell which?
    pub fn affects_all(&self) -> bool {
        self.layout_changed || self.delta.broad
    }
}

pub use crate::languages::is_manifest;

pub type Cancellable<T> = Result<T, salsa::Cancelled>;

pub struct AnalysisHost {
    db: RootDatabase,
    files: FxHashMap<Name, SourceFile>,
    groups: Vec<FileGroup>,
    manifests: FxHashMap<Name, Arc<str>>,
    index: NameIndex,
}

/// The host's copy of the name index, patched per change and published to
/// the [`NameShard`] inputs shard by shard.
#[derive(Default)]
struct NameIndex {
    shards: Vec<NameShard>,
    defs: Vec<FxHashMap<Name, Vec<DefLoc>>>,
    mentions: Vec<FxHashMap<Name, Vec<SourceFile>>>,
    /// What each file contributed last time: its interface, its mentions.
    contributed: FxHashMap<SourceFile, (Arc<FileInterface>, Arc<[Name]>)>,
}

impl Default for AnalysisHost {
    fn default() -> Self {
        Self::new()
    }
}

impl AnalysisHost {
    pub fn new() -> Self {
        AnalysisHost {
            db: RootDatabase::new(crate::languages::all()),
            files: FxHashMap::default(),
            groups: Vec::new(),
            manifests: FxHashMap::default(),
            index: NameIndex::default(),
        }
    }

    /// Apply a batch of edits. Cancels running [`Analysis`] calls and waits
    /// for them to unwind, then re-extracts the changed files (in parallel
    /// for large batches) and patches the name index.
    pub fn apply_change(&mut self, change: Change) -> ChangeSummary {
        use crate::db::Db;
        let mut summary = ChangeSummary::default();
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
            let k = (change.files.len() / 16)
                .clamp(64, 8192)
                .next_power_of_two();
            self.index.shards = (0..k)
                .map(|_| NameShard::builder(Arc::default(), Arc::default()).new(&self.db))
                .collect();
            self.index.defs = vec![FxHashMap::default(); k];
            self.index.mentions = vec![FxHashMap::default(); k];
            let ws = self.db.workspace();
            ws.set_groups(&mut self.db)
                .with_durability(Durability::MEDIUM)
                .to(self.groups.clone());
            ws.set_shards(&mut self.db)
                .with_durability(Durability::HIGH)
                .to(self.index.shards.clone());
        }
        let mut touched_groups: FxHashSet<usize> = FxHashSet::default();
        let mut changed: Vec<SourceFile> = Vec::new();
        let mut removed: Vec<SourceFile> = Vec::new();
        let stored = change
            .stored
            .into_iter()
            .map(|(p, facts)| (p, Some(Content::Stored(facts))));
        let texts = change
            .files
            .into_iter()
            .map(|(p, t)| (p, t.map(Content::Text)));
        for (path, content) in stored.chain(texts) {
            let path: Name = normalize(&path).into();
            match (content, self.files.get(&path).copied()) {
                (Some(content), Some(f)) => {
                    let same = match &content {
                        Content::Text(t) => {
                            f.stored(&self.db).is_none() && **f.text(&self.db) == **t
                        }
                        Content::Stored(s) => f.stored(&self.db).as_ref() == Some(s),
                    };
                    if !same {
                        let (text, stored) = content.split();
                        f.set_text(&mut self.db).to(text);
                        f.set_stored(&mut self.db).to(stored);
                        if f.compiler(&self.db).is_some() {
                            f.set_compiler(&mut self.db).to(None);
                        }
                        changed.push(f);
                        summary.changed.push(path);
                    }
                }
                (Some(content), None) => {
                    let (text, stored) = content.split();
                    let f = SourceFile::builder(path.clone(), text, stored, None)
                        .path_durability(Durability::HIGH)
                        .text_durability(Durability::LOW)
                        .stored_durability(Durability::LOW)
                        .compiler_durability(Durability::LOW)
                        .new(&self.db);
                    self.files.insert(path.clone(), f);
                    touched_groups.insert(self.group_of(&path));
                    changed.push(f);
                    summary.changed.push(path);
                    summary.layout_changed = true;
                }
                (None, Some(f)) => {
                    self.files.remove(&path);
                    self.db.encoded_facts().remove(f);
                    touched_groups.insert(self.group_of(&path));
                    removed.push(f);
                    summary.removed.push(path);
                    summary.layout_changed = true;
                }
                (None, None) => {}
            }
        }
        if !change.compiler.is_empty() {
            let mut seen: FxHashSet<SourceFile> = changed.iter().copied().collect();
            for (path, refs) in change.compiler {
                let path: Name = normalize(&path).into();
                let Some(f) = self.files.get(&path).copied() else {
                    continue;
                };
                if *f.compiler(&self.db) != refs {
                    f.set_compiler(&mut self.db).to(refs);
                    if seen.insert(f) {
                        changed.push(f);
                        summary.changed.push(path);
                    }
                }
            }
        }
        for g in touched_groups {
            let mut members: Vec<(&Name, SourceFile)> = self
                .files
                .iter()
                .filter(|(p, _)| self.group_of(p) == g)
                .map(|(p, f)| (p, *f))
                .collect();
            members.sort_by(|a, b| a.0.cmp(b.0));
            let files: Vec<SourceFile> = members.into_iter().map(|(_, f)| f).collect();
            self.groups[g]
                .set_files(&mut self.db)
                .with_durability(Durability::MEDIUM)
                .to(files);
        }
        if !change.manifests.is_empty() {
            summary.layout_changed = true;
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
        // With the file set changed everything is re-derived anyway: skip
        // the interface diff (it would cost a pass over every new file).
        let track = !summary.layout_changed;
        self.reindex(changed, removed, track.then_some(&mut summary.delta));
        summary
    }

    /// Patch the name index for changed and removed files, noting how their
    /// interfaces moved.
    fn reindex(
        &mut self,
        changed: Vec<SourceFile>,
        removed: Vec<SourceFile>,
        mut delta: Option<&mut InterfaceDelta>,
    ) {
        type Contribution = (SourceFile, Arc<FileInterface>, Arc<[Name]>);
        let extract = |db: &RootDatabase, f: SourceFile| -> Contribution {
            crate::db::parsed_up_to(db, f);
            (f, file_interface(db, f), file_mentions(db, f))
        };
        let fresh: Vec<Contribution> = if changed.len() > 16 {
            // a chunk at a time, so only a chunk's decoded facts are in
            // memory at once (the rest stay encoded)
            let mut fresh = Vec::with_capacity(changed.len());
            for chunk in changed.chunks(RESIDENT_FACTS) {
                let db = self.db.clone();
                fresh.par_extend(
                    chunk
                        .par_iter()
                        .with_min_len(4)
                        .map_with(db, |db, &f| extract(db, f)),
                );
                self.evict();
            }
            fresh
        } else {
            changed.iter().map(|&f| extract(&self.db, f)).collect()
        };
        let mut dirty_defs: FxHashSet<usize> = FxHashSet::default();
        let mut dirty_mentions: FxHashSet<usize> = FxHashSet::default();
        let gone = removed.into_iter().map(|f| {
            (
                f,
                Arc::<FileInterface>::default(),
                Arc::<[Name]>::from(Vec::new()),
            )
        });
        for (f, interface, mentions) in fresh.into_iter().chain(gone) {
            let (old_interface, old_mentions) =
                self.index.contributed.remove(&f).unwrap_or_default();
            if let Some(d) = delta.as_deref_mut() {
                d.add(Some(&old_interface), Some(&interface));
            }
            let old_names: Vec<Name> = old_interface.defs.iter().map(|d| d.name.clone()).collect();
            let names: Vec<Name> = interface.defs.iter().map(|d| d.name.clone()).collect();
            if old_names != names {
                let new = names.iter().enumerate().map(|(i, n)| (n, (f, i as u32)));
                patch(
                    &mut self.index.defs,
                    &old_names,
                    new,
                    |(g, _)| *g == f,
                    &mut dirty_defs,
                );
            }
            if *old_mentions != *mentions {
                let new = mentions.iter().map(|n| (n, f));
                patch(
                    &mut self.index.mentions,
                    &old_mentions,
                    new,
                    |g| *g == f,
                    &mut dirty_mentions,
                );
            }
            if !names.is_empty() || !mentions.is_empty() || *interface != FileInterface::default() {
                self.index.contributed.insert(f, (interface, mentions));
            }
        }
        // Deterministic order (by path, then index), whatever the edit history.
        for &s in &dirty_defs {
            let db = &self.db;
            for v in self.index.defs[s].values_mut() {
                v.sort_by(|a, b| (a.0.path(db), a.1).cmp(&(b.0.path(db), b.1)));
                v.dedup();
            }
            let map = Arc::new(self.index.defs[s].clone());
            self.index.shards[s].set_defs(&mut self.db).to(map);
        }
        for &s in &dirty_mentions {
            let db = &self.db;
            for v in self.index.mentions[s].values_mut() {
                v.sort_by(|a, b| a.path(db).cmp(b.path(db)));
                v.dedup();
            }
            let map = Arc::new(self.index.mentions[s].clone());
            self.index.shards[s].set_mentions(&mut self.db).to(map);
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

    /// Resolve every file on all cores (rayon, one database clone per
    /// split), so later questions are memo hits; a chunk at a time, so
    /// only a chunk's decoded facts are in memory at once.
    pub fn warm_up(&mut self, progress: &(dyn Fn(usize) + Sync)) -> Cancellable<()> {
        let mut files: Vec<SourceFile> = self.files.values().copied().collect();
        files.sort_unstable();
        for chunk in files.chunks(RESIDENT_FACTS) {
            warm_up(&self.db, chunk, progress)?;
            self.evict();
        }
        Ok(())
    }

    /// Paths of the files whose rows may differ after `summary`: the changed
    /// ones and those mentioning a name whose definitions moved, or every
    /// file when that cannot be narrowed.
    pub fn affected(&self, summary: &ChangeSummary) -> Vec<Name> {
        if summary.affects_all() {
            let mut all: Vec<Name> = self.files.keys().cloned().collect();
            all.sort_unstable();
            return all;
        }
        let mut out: FxHashSet<Name> = summary
            .changed
            .iter()
            .filter(|p| self.files.contains_key(*p))
            .cloned()
            .collect();
        let k = self.index.mentions.len();
        for n in &summary.delta.names {
            if let Some(files) = self
                .index
                .mentions
                .get(shard_of(n, k))
                .and_then(|m| m.get(n))
            {
                out.extend(files.iter().map(|f| f.path(&self.db).clone()));
            }
        }
        let mut out: Vec<Name> = out.into_iter().collect();
        out.sort_unstable();
        out
    }

    /// The snapshot rows of these files, on all cores; unknown paths are
    /// skipped.
    pub fn file_rows(&self, paths: &[Name]) -> Cancellable<Vec<FileRows>> {
        let files: Vec<SourceFile> = paths.iter().filter_map(|p| self.file(p)).collect();
        let db = self.db.clone();
        salsa::Cancelled::catch(AssertUnwindSafe(|| {
            files
                .par_iter()
                .with_min_len(8)
                .map_with(db.clone(), |db, &f| crate::export::file_rows(db, f))
                .flatten()
                .collect()
        }))
    }

    /// Drop decoded facts beyond the most recently used
    /// [`RESIDENT_FACTS`]: a caller walking every file (rows of a first
    /// index) calls this between chunks to keep memory flat.
    pub fn evict(&mut self) {
        salsa::Database::trigger_lru_eviction(&mut self.db);
    }

    /// The file's facts as a snapshot stores them, if it was parsed here.
    pub fn encoded_facts(&self, path: &str) -> Option<Arc<Encoded>> {
        use crate::db::Db;
        self.db.encoded_facts().encoded(self.file(path)?)
    }

    /// The text of the file at `path`, when it is in memory: not for a
    /// file whose facts came from a snapshot.
    pub fn text(&self, path: &str) -> Option<Arc<str>> {
        let text = self.file(path)?.text(&self.db);
        (!text.is_empty()).then(|| text.clone())
    }

    /// The extracted facts of the file at `path` (parsing it if needed),
    /// without references an imported compiler index added.
    pub fn facts(&self, path: &str) -> Option<Arc<FileFacts>> {
        let f = self.file(path)?;
        Some(crate::db::extracted_facts(&self.db, f))
    }

    /// Map an imported index's occurrences of the file at `path` onto its
    /// facts (see [`crate::compiler::map_occurrences`]). `None` when the
    /// file is not in the tree.
    pub fn map_compiler_occurrences(
        &self,
        path: &str,
        text: &str,
        content: String,
        occurrences: &[Occurrence],
    ) -> Option<(CompilerRefs, MapCounts)> {
        let f = self.file(path)?;
        let file_of = |p: &str| self.file(p);
        Some(map_occurrences(
            &self.db,
            f,
            text,
            content,
            occurrences,
            &file_of,
        ))
    }

    /// The file at `path`, if indexed.
    pub fn file(&self, path: &str) -> Option<SourceFile> {
        self.files.get(path).copied()
    }

    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    /// The database, for tests that read salsa's event log.
    pub fn raw_database(&self) -> &RootDatabase {
        &self.db
    }
}

/// A handle's cancellation token: cancelling it makes a computation running
/// on `db` unwind with `Cancelled` (a language server's `$/cancelRequest`).
pub fn cancellation_token(db: &RootDatabase) -> salsa::CancellationToken {
    salsa::Database::cancellation_token(db)
}

/// Swap one file's entries in a sharded name index: drop those under its old
/// names (`mine` picks them out), add the new ones, and note touched shards.
fn patch<'n, T>(
    shards: &mut [FxHashMap<Name, Vec<T>>],
    old: &[Name],
    new: impl Iterator<Item = (&'n Name, T)>,
    mine: impl Fn(&T) -> bool,
    dirty: &mut FxHashSet<usize>,
) {
    let k = shards.len();
    for n in old {
        let s = shard_of(n, k);
        if let Some(v) = shards[s].get_mut(n) {
            v.retain(|e| !mine(e));
            if v.is_empty() {
                shards[s].remove(n);
            }
        }
        dirty.insert(s);
    }
    for (n, entry) in new {
        let s = shard_of(n, k);
        shards[s].entry(n.clone()).or_default().push(entry);
        dirty.insert(s);
    }
}

/// A file's new content: its text, or facts from a snapshot.
enum Content {
    Text(Arc<str>),
    Stored(StoredFacts),
}

impl Content {
    fn split(self) -> (Arc<str>, Option<StoredFacts>) {
        match self {
            Content::Text(t) => (t, None),
            Content::Stored(s) => (Arc::from(""), Some(s)),
        }
    }
}

/// Paths are `/`-separated and relative, with no `./` prefix.
pub fn normalize(path: &str) -> String {
    weft_db::api::normalize_path(path)
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

    /// [`AnalysisHost::warm_up`] from a reader's handle, so a server can
    /// warm up while it answers; a change cancels it.
    pub fn warm_up(&self, progress: &(dyn Fn(usize) + Sync)) -> Cancellable<()> {
        let files = salsa::Cancelled::catch(AssertUnwindSafe(|| crate::db::all_files(&self.db)))?;
        warm_up(&self.db, &files, progress)
    }
}

fn warm_up(
    db: &RootDatabase,
    files: &[SourceFile],
    progress: &(dyn Fn(usize) + Sync),
) -> Cancellable<()> {
    salsa::Cancelled::catch(AssertUnwindSafe(|| {
        layout(db);
        files
            .par_iter()
            .with_min_len(8)
            .for_each_with(db.clone(), |db, &f| {
                // the reverse map too, so reverse questions are memo hits
                references_by_target(db, f);
                progress(1);
            });
        crate::symbols::symbol_index(db);
    }))
}
