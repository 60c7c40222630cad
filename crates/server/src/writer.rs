//! The one thread that changes the graph: it owns the `AnalysisHost` and the
//! snapshot, turns each watcher batch into a `Change`, publishes the new
//! revision to readers, then stores the batch.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use weft_db::store::Store;
use weft_queries::change::{FileVersions, symbol_changes};
use weft_queries::facts::FileFacts;
use weft_queries::{AnalysisHost, Change, is_manifest};

use crate::Shared;
use crate::events::{ChangeEvent, SymbolChange};
use crate::watch::Batch;
use weft_load::snapshot::save_batch;
use weft_load::walk::{Listed, WalkOptions, WalkReport, list_repository, read_sources_within};

/// How long the writer waits for one batch's files to be read.
const READ_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// What the writer is asked to do.
pub enum Input {
    /// Files changed on disk.
    Batch(Batch),
    /// An editor's unsaved text for a file (`None`: closed, the disk's text
    /// again); `done` gets the revision that holds it.
    Overlay {
        path: String,
        text: Option<Arc<str>>,
        done: std::sync::mpsc::SyncSender<u64>,
    },
}

pub struct Writer {
    pub root: PathBuf,
    pub host: AnalysisHost,
    pub store: Option<Store>,
    pub walk: WalkOptions,
    /// Content hash of every indexed file, to skip events that change nothing.
    pub hashes: HashMap<String, blake3::Hash>,
    /// Files an editor holds open: their text is the editor's, not the
    /// disk's, until it closes them (and it is never stored). `true` once
    /// the engine holds text the disk does not have.
    pub overlays: HashMap<String, bool>,
}

impl Writer {
    /// Apply batches until the watcher stops; each one becomes a revision.
    pub fn run(mut self, inputs: std::sync::mpsc::Receiver<Input>, shared: Arc<Shared>) {
        while let Ok(input) = inputs.recv() {
            match input {
                Input::Batch(b) => {
                    let paths = b.paths.clone();
                    self.apply(b, &shared);
                    shared.pending.done(&paths);
                }
                Input::Overlay { path, text, done } => {
                    self.overlay(path, text, &shared);
                    let _ = done.send(shared.revision());
                }
            }
        }
        shared.retire_view();
    }

    /// An editor's text for one file, or (closed) the disk's again.
    fn overlay(&mut self, path: String, text: Option<Arc<str>>, shared: &Shared) {
        match text {
            Some(text) => {
                if !weft_queries::languages::is_indexed(&path) {
                    return;
                }
                // opening a file as it is on disk changes nothing: the
                // engine has its facts already (and need not parse it again)
                let diverged = self.overlays.get(&path).copied().unwrap_or(false)
                    || self.hashes.get(&path) != Some(&blake3::hash(text.as_bytes()));
                self.overlays.insert(path.clone(), diverged);
                if !diverged {
                    return;
                }
                let mut change = Change::default();
                change.set_file(path, text);
                shared.retire_view();
                self.host.apply_change(change);
                shared.publish_view(&self.host);
            }
            None => {
                let Some(diverged) = self.overlays.remove(&path) else {
                    return;
                };
                // the disk's text, whatever the hash says the engine holds
                // (the disk may also have changed while the file was open)
                if diverged {
                    self.hashes.remove(&path);
                }
                self.apply(
                    Batch {
                        paths: [path].into(),
                        first: Instant::now(),
                    },
                    shared,
                );
            }
        }
    }

    pub fn apply(&mut self, batch: Batch, shared: &Shared) {
        let mut report = WalkReport::default();
        let mut listed: Vec<Listed> = Vec::new();
        let mut gone: BTreeSet<String> = BTreeSet::new();
        for rel in batch
            .paths
            .iter()
            .filter(|p| !self.overlays.contains_key(*p))
        {
            let abs = self.root.join(rel);
            // not `metadata`: a symlink is not followed, as in the walk, so
            // one pointing outside the root cannot bring its target in
            match std::fs::symlink_metadata(&abs) {
                Ok(m) if m.is_symlink() => {
                    gone.insert(rel.clone());
                }
                Ok(m) if m.is_dir() => {
                    // a directory appeared (checkout, move): its files
                    for mut l in list_repository(&abs, &self.walk, &mut report) {
                        l.rel = format!("{rel}/{}", l.rel);
                        listed.push(l);
                    }
                }
                Ok(_) if !weft_queries::languages::is_indexed(rel) => {}
                Ok(m) if !m.is_file() => {
                    // a FIFO, socket or device named like a source file:
                    // opening it could block the writer for good
                    tracing::warn!("{rel}: not a regular file; not indexed");
                    gone.insert(rel.clone());
                }
                Ok(m) if m.len() > self.walk.max_file_size => {
                    tracing::warn!("{rel}: {} bytes is over the size limit; dropped", m.len());
                    gone.insert(rel.clone());
                }
                Ok(m) => listed.push(Listed::new(rel.clone(), abs, &m)),
                Err(_) => {
                    // the file, or every file of a directory, is gone
                    if self.host.file(rel).is_some() || is_manifest(rel) {
                        gone.insert(rel.clone());
                    } else {
                        let prefix = format!("{rel}/");
                        gone.extend(
                            self.hashes
                                .keys()
                                .filter(|p| p.starts_with(&prefix))
                                .cloned(),
                        );
                    }
                }
            }
        }
        let read = read_sources_within(listed.clone(), READ_LIMIT, &mut report);
        for w in &report.warnings {
            tracing::warn!("{w}");
        }
        let mut change = Change::default();
        let mut written: Vec<(Listed, blake3::Hash)> = Vec::new();
        for (l, src) in listed.into_iter().zip(read) {
            let Some(src) = src else {
                // binary or unreadable now: no longer indexed
                gone.insert(l.rel);
                continue;
            };
            if l.manifest {
                change.set_manifest(l.rel.clone(), src.text);
                continue;
            }
            if self.hashes.get(&l.rel) == Some(&src.hash) {
                continue; // touched, not changed
            }
            self.hashes.insert(l.rel.clone(), src.hash);
            change.set_file(l.rel.clone(), src.text);
            written.push((l, src.hash));
        }
        for rel in &gone {
            if is_manifest(rel) && !self.root.join(rel).is_file() {
                change.remove_manifest(rel.clone());
            } else {
                // (a file only an editor had, never on disk, has no hash)
                let known = self.hashes.remove(rel).is_some();
                if known || self.host.file(rel).is_some() {
                    change.remove_file(rel.clone());
                }
            }
        }
        if change.is_empty() {
            return;
        }

        let before: HashMap<String, Arc<FileFacts>> = written
            .iter()
            .map(|(l, _)| l.rel.clone())
            .chain(gone.iter().cloned())
            .filter_map(|p| self.host.facts(&p).map(|f| (p, f)))
            .collect();
        // Readers hold database handles; the change waits for them to
        // notice the cancellation and let go.
        let t = Instant::now();
        shared.retire_view();
        let summary = self.host.apply_change(change);
        let revision = shared.publish_view(&self.host);
        let apply_ms = t.elapsed().as_secs_f64() * 1e3;
        let lag_ms = batch.first.elapsed().as_secs_f64() * 1e3;

        let after: Vec<(&str, Option<Arc<FileFacts>>)> = written
            .iter()
            .map(|(l, _)| l.rel.as_str())
            .chain(gone.iter().map(String::as_str))
            .map(|p| (p, self.host.facts(p)))
            .collect();
        let versions: Vec<FileVersions> = after
            .iter()
            .map(|(path, new)| FileVersions {
                path,
                old: before.get(*path).map(|f| &**f),
                new: new.as_deref(),
            })
            .collect();
        let mut symbols: Vec<SymbolChange> = symbol_changes(&versions)
            .iter()
            .map(SymbolChange::of)
            .collect();
        symbols.sort();
        let changed: Vec<String> = summary.changed.iter().map(|p| p.to_string()).collect();
        let removed: Vec<String> = summary.removed.iter().map(|p| p.to_string()).collect();
        let affected: Vec<String> = self
            .host
            .affected(&summary)
            .iter()
            .map(|p| p.to_string())
            .filter(|p| !changed.contains(p))
            .collect();
        shared.metrics.watcher_lag(lag_ms);
        tracing::info!(
            revision,
            changed = changed.len(),
            removed = removed.len(),
            lag_ms,
            apply_ms,
            "applied a batch"
        );
        shared.events.publish(ChangeEvent {
            revision,
            changed,
            removed,
            symbols,
            affected,
            lag_ms,
        });

        let t = Instant::now();
        if let Some(store) = &self.store
            && !store.path().exists()
        {
            // written on, a deleted file would take every batch with it
            tracing::error!(
                "the snapshot {} was deleted; batches are no longer stored (the next `weft index` or start writes a new one)",
                store.path().display()
            );
            shared.metrics.snapshot_lost();
            self.store = None;
        }
        if let Some(store) = &mut self.store {
            match save_batch(store, &self.host, &summary, &written) {
                Ok(_) => tracing::debug!(ms = t.elapsed().as_secs_f64() * 1e3, "batch stored"),
                // The tree on disk is the truth: the next start re-reads
                // whatever the snapshot missed.
                Err(e) => tracing::error!("storing revision {revision} failed: {e:#}"),
            }
        }
    }
}

/// Every indexed file's content hash, as the snapshot holds it (empty
/// without one: then every event counts as a change).
pub fn initial_hashes(store: Option<&Store>) -> HashMap<String, blake3::Hash> {
    store
        .and_then(|s| s.files().ok())
        .map(|files| {
            files
                .into_iter()
                .filter_map(|(p, f)| Some((p, blake3::Hash::from_hex(&f.hash).ok()?)))
                .collect()
        })
        .unwrap_or_default()
}
