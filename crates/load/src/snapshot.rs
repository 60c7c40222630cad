//! Keeping a snapshot (`.weft/graph.db`) in step with the working tree, and
//! starting warm from it.
//!
//! A refresh stats every file; only files whose size or mtime moved are read
//! and hashed, and only content never seen before is parsed: facts of known
//! content come from the snapshot's blobs through the engine's `stored`
//! input. Then the rows of every file whose graph may have changed are
//! recomputed, and those that differ are written in one transaction.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rayon::prelude::*;
use weft_db::schema::SCHEMA_VERSION;
use weft_db::store::{
    FactsBlob, FileState, Notice, OpenOptions, Store, StoreError, StoredFile, Update, WriteReport,
};
use weft_db::word_filter::WordFilter;
use weft_queries::db::RESIDENT_FACTS;
use weft_queries::facts::compiler::CompilerRefs;
use weft_queries::facts::encoded::Encoded;
use weft_queries::facts::{FileFacts, InterfaceDelta, Name, decode_facts, encode_facts};
use weft_queries::fingerprint::extractor_fingerprint;
use weft_queries::{AnalysisHost, Change, ChangeSummary};

use crate::stream::{Streamed, differing_rows};
use crate::walk::{Listed, WalkOptions, WalkReport, list_repository, read_sources};

/// Where a repository's snapshot lives unless `--db` says otherwise.
pub const DEFAULT_DIR: &str = ".weft";
pub const DEFAULT_FILE: &str = "graph.db";

/// The snapshot for the directory `start`: the nearest `.weft/graph.db` in it
/// or an ancestor, like git finds `.git`.
pub fn find_snapshot(start: &Path) -> Option<(PathBuf, PathBuf)> {
    let mut dir = start;
    loop {
        let db = dir.join(DEFAULT_DIR).join(DEFAULT_FILE);
        if db.is_file() {
            return Some((dir.to_path_buf(), db));
        }
        dir = dir.parent()?;
    }
}

pub struct SnapshotOptions {
    pub db: PathBuf,
    pub lock_timeout: Duration,
    pub walk: WalkOptions,
    /// False: read the snapshot, never write it.
    pub write: bool,
    /// Fail rather than fall back to reading when the snapshot cannot be
    /// written (`weft index`, whose job is to write it).
    pub require_write: bool,
}

/// What a refresh did, for `weft index` and `weft snapshot info`.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct RefreshReport {
    pub db: String,
    pub files: usize,
    /// Size and mtime unchanged: not read.
    pub unchanged: usize,
    /// Read and hashed again, content unchanged.
    pub rehashed: usize,
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
    /// Files whose facts came from the snapshot instead of a parse.
    pub cache_hits: usize,
    pub parsed: usize,
    /// Files whose references an imported compiler index still answers.
    pub compiler_files: usize,
    /// Files whose rows were recomputed, and of those, rewritten.
    pub rows_checked: usize,
    pub rows_rewritten: usize,
    pub revision: i64,
    /// Changes found but not saved (read-only snapshot).
    pub unsaved: bool,
    pub notices: Vec<String>,
    pub write: Option<WriteReport>,
    pub millis: Timings,
}

#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Timings {
    pub open: f64,
    pub walk: f64,
    pub load: f64,
    pub apply: f64,
    pub rows: f64,
    pub write: f64,
}

impl RefreshReport {
    /// Share of files whose facts came from the snapshot.
    pub fn hit_rate(&self) -> f64 {
        if self.files == 0 {
            1.0
        } else {
            self.cache_hits as f64 / self.files as f64
        }
    }
}

pub struct Refreshed {
    pub host: AnalysisHost,
    pub store: Store,
    pub report: RefreshReport,
    pub walk: WalkReport,
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// Open the snapshot, bring it up to date with `root`, and return a host
/// holding the whole graph. A snapshot found corrupt mid-way is moved aside
/// and rebuilt.
pub fn open_and_refresh(root: &Path, opts: &SnapshotOptions) -> Result<Refreshed> {
    match refresh_once(root, opts) {
        Err(e) => match e.downcast::<StoreError>() {
            // a reader leaves the file alone: the caller indexes in memory
            Ok(e @ StoreError::Corrupt { .. }) if !opts.write => Err(e.into()),
            Ok(StoreError::Corrupt { path, detail }) => {
                let to = weft_db::store::quarantine(&path)
                    .with_context(|| format!("moving the corrupt {} aside", path.display()))?;
                let mut r = refresh_once(root, opts)?;
                r.report
                    .notices
                    .insert(0, Notice::MovedAside { to, detail }.to_string());
                Ok(r)
            }
            Ok(other) => Err(other.into()),
            Err(e) => Err(e),
        },
        ok => ok,
    }
}

/// Facts as a snapshot stores them: stamped with the content hash they
/// are stored under.
fn stored_blob(hash: &str, facts: &FileFacts) -> Vec<u8> {
    let mut f = facts.clone();
    f.stamp(hash);
    encode_facts(&f)
}

/// Blobs of freshly parsed files: the ones the engine encoded when it
/// parsed them, else encoded now (a text that was not valid UTF-8 hashes
/// differently decoded).
fn blobs_of(host: &AnalysisHost, paths: Vec<(Name, blake3::Hash)>) -> Vec<FactsBlob> {
    let mut ready = Vec::with_capacity(paths.len());
    let mut encode: Vec<(Name, String, Arc<FileFacts>)> = Vec::new();
    for (p, h) in paths {
        let hash = h.to_hex().to_string();
        match host.encoded_facts(&p) {
            Some(e) if e.hash == h => ready.push((p, hash, e.blob.clone())),
            _ => encode.extend(host.facts(&p).map(|f| (p, hash, f))),
        }
    }
    ready.par_extend(encode.into_par_iter().map(|(p, hash, f)| {
        let blob = stored_blob(&hash, &f);
        (p, hash, blob)
    }));
    let texts: Vec<Option<Arc<str>>> = ready.iter().map(|(p, _, _)| host.text(p)).collect();
    ready
        .into_par_iter()
        .zip(texts)
        .map(|((_, hash, data), text)| FactsBlob {
            hash,
            data,
            words: words_of(text.as_deref()),
        })
        .collect()
}

/// A parsed file's words as the snapshot stores them (empty: unknown).
fn words_of(text: Option<&str>) -> Vec<u8> {
    text.map(|t| WordFilter::of(t).as_bytes().to_vec())
        .unwrap_or_default()
}

/// Stored facts, if they decode and were stored under this hash.
fn read_blob(hash: &str, blob: &[u8]) -> Option<FileFacts> {
    decode_facts(blob).ok().filter(|f| f.stored_under(hash))
}

/// A listed file's fate.
enum Status<'a> {
    /// Same size and mtime as stored: trusted without reading.
    Unchanged(&'a StoredFile),
    /// Read; content equal to stored.
    Rehashed(&'a StoredFile, blake3::Hash),
    /// Read; content differs from stored (`None`: a new file).
    Changed(Option<&'a StoredFile>, Arc<str>, blake3::Hash),
}

fn refresh_once(root: &Path, opts: &SnapshotOptions) -> Result<Refreshed> {
    let t = Instant::now();
    let (mut store, notices) = Store::open(
        &opts.db,
        &OpenOptions {
            lock_timeout: opts.lock_timeout,
            extractor: extractor_fingerprint().to_string(),
            read_only: !opts.write,
            verify: opts.require_write,
        },
    )?;
    // `.weft/` ignores itself, so the snapshot never shows up in `git status`.
    if let Some(dir) = opts.db.parent().filter(|d| d.ends_with(DEFAULT_DIR))
        && !store.is_read_only()
        && !dir.join(".gitignore").exists()
    {
        let _ = std::fs::write(dir.join(".gitignore"), "*\n");
    }
    if opts.require_write && store.is_read_only() {
        return Err(StoreError::ReadOnly {
            path: opts.db.clone(),
            detail: "the location is not writable; nothing stored was changed".into(),
        }
        .into());
    }
    let mut report = RefreshReport {
        db: opts.db.display().to_string(),
        notices: notices
            .iter()
            .filter(|n| **n != Notice::Created)
            .map(|n| n.to_string())
            .collect(),
        ..Default::default()
    };
    let fresh_store = notices
        .iter()
        .any(|n| !matches!(n, Notice::ReadOnly { .. }));
    if store.is_read_only() {
        // Rows of another schema cannot be read, and read-only they cannot
        // be rebuilt either: the caller answers without the snapshot.
        let version = store.meta("schema_version")?;
        if version.as_deref() != Some(SCHEMA_VERSION.to_string().as_str()) {
            return Err(StoreError::Outdated {
                path: opts.db.clone(),
                detail: format!(
                    "schema version {}, this weft reads version {SCHEMA_VERSION}",
                    version.as_deref().unwrap_or("(none)")
                ),
            }
            .into());
        }
    }
    let stored = store.files()?;
    report.millis.open = ms(t);

    let t = Instant::now();
    let mut walk = WalkReport::default();
    let listed = list_repository(root, &opts.walk, &mut walk);
    let (manifests, sources): (Vec<&Listed>, Vec<&Listed>) =
        listed.iter().partition(|l| l.manifest);
    let needs_read: Vec<bool> = sources
        .iter()
        .map(|l| {
            stored.get(&l.rel).is_none_or(|s| {
                s.size != l.size
                    || s.mtime_ns != l.mtime_ns
                    || s.mtime_ns == 0
                    || !same_language(&s.lang, &l.rel)
            })
        })
        .collect();
    let to_read: Vec<&Listed> = sources
        .iter()
        .zip(&needs_read)
        .filter(|(_, n)| **n)
        .map(|(l, _)| *l)
        .collect();
    let read = read_sources(&to_read, &mut walk);
    let mut fresh_text: HashMap<&str, (Arc<str>, blake3::Hash)> = HashMap::new();
    for (l, src) in to_read.iter().zip(read) {
        if let Some(s) = src {
            fresh_text.insert(l.rel.as_str(), (s.text, s.hash));
        }
    }
    let manifest_texts = read_sources(&manifests, &mut walk);
    let mut status: Vec<(&Listed, Status)> = Vec::with_capacity(sources.len());
    for (l, read) in sources.iter().zip(needs_read) {
        let old = stored.get(&l.rel);
        let s = match (fresh_text.remove(l.rel.as_str()), old) {
            (None, Some(o)) if !read => Status::Unchanged(o),
            (None, _) => continue, // unreadable or binary now: counted by the walk
            // same content, same language (a `.h` read as C++ once the tree
            // has become mostly C++ is parsed again)
            (Some((_, h)), Some(o))
                if h.to_hex().as_str() == o.hash && same_language(&o.lang, &l.rel) =>
            {
                Status::Rehashed(o, h)
            }
            (Some((text, h)), old) => Status::Changed(old, text, h),
        };
        status.push((l, s));
    }
    walk.files = status.len();
    walk.bytes = status.iter().map(|(l, _)| l.size).sum();
    report.millis.walk = ms(t);

    // Facts: stored blobs for known content, parse the rest.
    let t = Instant::now();
    // Every stored file's facts, checked to decode and then kept encoded:
    // unchanged files are given them (decoded when asked for), changed
    // ones give their old interface for the delta below.
    let blobs: Vec<FactsBlob> = if stored.is_empty() {
        Vec::new()
    } else {
        store.current_blobs()?
    };
    let checked: HashMap<String, (Arc<Encoded>, u64)> = blobs
        .into_par_iter()
        .filter_map(|b| {
            let source_len = read_blob(&b.hash, &b.data)?.source_len;
            let hash = blake3::Hash::from_hex(&b.hash).ok()?;
            let e = Encoded {
                hash,
                blob: b.data,
                words: WordFilter::from_bytes(&b.words).map(Arc::new),
            };
            Some((b.hash, (Arc::new(e), source_len)))
        })
        .collect();
    let mut change = Change::default();
    let mut parsed: Vec<(String, blake3::Hash)> = Vec::new();
    let mut changed_paths: Vec<String> = Vec::new();
    let mut old_hash: HashMap<String, String> = HashMap::new();
    let mut misses: Vec<&Listed> = Vec::new();
    for (l, s) in &status {
        match s {
            Status::Unchanged(o) | Status::Rehashed(o, _) => {
                if matches!(s, Status::Unchanged(_)) {
                    report.unchanged += 1;
                } else {
                    report.rehashed += 1;
                }
                // facts of other content (a hash row pointing at another
                // file's blob) are parsed again, not trusted
                match checked.get(o.hash.as_str()) {
                    Some((e, len)) if *len == l.size => {
                        change.set_file_encoded(l.rel.clone(), e.clone());
                        report.cache_hits += 1;
                    }
                    _ => misses.push(l),
                }
            }
            Status::Changed(old, text, h) => {
                let hex = h.to_hex().to_string();
                match old {
                    Some(o) => {
                        report.changed += 1;
                        old_hash.insert(l.rel.clone(), o.hash.clone());
                    }
                    None => report.added += 1,
                }
                changed_paths.push(l.rel.clone());
                let seen = store
                    .blob(&hex)?
                    .and_then(|b| read_blob(&hex, &b))
                    .filter(|f| f.source_len == text.len() as u64);
                match seen {
                    Some(f) => {
                        change.set_file_facts(l.rel.clone(), Arc::new(f));
                        report.cache_hits += 1;
                    }
                    None => {
                        change.set_file(l.rel.clone(), text.clone());
                        parsed.push((l.rel.clone(), *h));
                    }
                }
            }
        }
    }
    // Stored facts that no longer decode (should not happen: the extractor
    // fingerprint guards the format): parse those files.
    let reread = read_sources(&misses, &mut walk);
    for (l, src) in misses.iter().zip(reread) {
        if let Some(src) = src {
            change.set_file(l.rel.clone(), src.text);
            parsed.push((l.rel.clone(), src.hash));
        }
    }
    report.parsed = parsed.len();
    let listed_paths: HashSet<&str> = status.iter().map(|(l, _)| l.rel.as_str()).collect();
    let removed: Vec<String> = stored
        .keys()
        .filter(|p| !listed_paths.contains(p.as_str()))
        .cloned()
        .collect();
    report.removed = removed.len();
    report.files = status.len();
    let manifest_digest = {
        let mut h = blake3::Hasher::new();
        for (l, src) in manifests.iter().zip(&manifest_texts) {
            if let Some(src) = src {
                change.set_manifest(l.rel.clone(), src.text.clone());
                h.update(l.rel.as_bytes());
                h.update(src.hash.as_bytes());
            }
        }
        h.finalize().to_hex().to_string()
    };
    let manifests_changed = store.meta("manifests")?.as_deref() != Some(manifest_digest.as_str());
    // Imported compiler answers hold for the content they were mapped on.
    let mut stale_compiler: Vec<String> = Vec::new();
    if !stored.is_empty() {
        let current: HashMap<&str, String> = status
            .iter()
            .map(|(l, s)| {
                let h = match s {
                    Status::Unchanged(o) | Status::Rehashed(o, _) => o.hash.clone(),
                    Status::Changed(_, _, h) => h.to_hex().to_string(),
                };
                (l.rel.as_str(), h)
            })
            .collect();
        for (path, hash, blob) in store.compiler_refs()? {
            let fresh = current.get(path.as_str()) == Some(&hash);
            match CompilerRefs::decode(&blob) {
                Ok(refs) if fresh => change.set_compiler_refs(path, Some(Arc::new(refs))),
                _ => stale_compiler.push(path),
            }
        }
        report.compiler_files = change.compiler.len();
    }
    report.millis.load = ms(t);

    let t = Instant::now();
    let mut host = AnalysisHost::new();
    host.apply_change(change);
    report.millis.apply = ms(t);

    // Which files' rows may differ from the stored ones.
    let t = Instant::now();
    let mut summary = ChangeSummary {
        changed: changed_paths.iter().map(|p| p.as_str().into()).collect(),
        removed: removed.iter().map(|p| p.as_str().into()).collect(),
        layout_changed: fresh_store || manifests_changed || report.added > 0 || !removed.is_empty(),
        delta: InterfaceDelta::default(),
    };
    if !summary.layout_changed {
        for (path, hash) in &old_hash {
            let (Some(old), Some(lang)) = (
                checked.get(hash.as_str()).and_then(|(e, _)| e.decode()),
                weft_queries::languages::of_path(path),
            ) else {
                summary.delta.broad = true;
                break;
            };
            let new = host.facts(path).map(|n| n.interface(lang));
            summary.delta.add(Some(&old.interface(lang)), new.as_ref());
        }
    }
    let affected = host.affected(&summary);

    // Rows and facts flow into one transaction a chunk at a time; nothing
    // is visible to readers until it commits.
    let mut base = Update {
        removed,
        compiler: stale_compiler.into_iter().map(|p| (p, None)).collect(),
        ..Default::default()
    };
    for (l, s) in &status {
        let hash = match s {
            Status::Unchanged(_) => continue,
            Status::Rehashed(_, h) | Status::Changed(_, _, h) => h.to_hex().to_string(),
        };
        base.states.extend(file_state(l, hash));
    }
    let mut parsed: HashMap<Name, blake3::Hash> = parsed
        .into_iter()
        .map(|(p, h)| (Name::from(p.as_str()), h))
        .collect();
    let mut out = Streamed::new(&mut store, affected.len(), base);
    let (mut rows_ms, mut write_ms) = (ms(t), 0.0);
    // decoded facts leave memory between chunks: they stay encoded
    for chunk in affected.chunks(RESIDENT_FACTS) {
        let t = Instant::now();
        let rows = host
            .file_rows(chunk)
            .map_err(|_| anyhow::anyhow!("cancelled"))?;
        report.rows_checked += rows.len();
        let mine: Vec<(Name, blake3::Hash)> = chunk
            .iter()
            .filter_map(|p| Some((p.clone(), parsed.remove(p)?)))
            .collect();
        let blobs = blobs_of(&host, mine);
        host.evict();
        rows_ms += ms(t);
        let t = Instant::now();
        out.rows(rows, &stored)?;
        out.blobs(blobs)?;
        write_ms += ms(t);
    }
    let t = Instant::now();
    // parsed but unaffected: cannot happen today (a parsed file changed),
    // but its facts are still worth keeping
    out.blobs(blobs_of(&host, parsed.into_iter().collect()))?;
    let meta = if manifests_changed {
        vec![("manifests".to_string(), manifest_digest)]
    } else {
        Vec::new()
    };
    let outcome = out.finish(meta)?;
    report.rows_rewritten = outcome.rows_rewritten;
    report.unsaved = outcome.unsaved;
    report.write = outcome.write;
    report.millis.rows = rows_ms;
    report.revision = store.revision()?;
    report.millis.write = write_ms + ms(t);
    Ok(Refreshed {
        host,
        store,
        report,
        walk,
    })
}

/// Store compiler answers just laid over `host` (see [`crate::scip`]): the
/// overlays, and the rows of the files they cover. An overlay for content
/// the snapshot does not hold (the file changed since the refresh) is not
/// stored: it would be dropped on the next refresh anyway.
pub fn save_compiler(
    store: &mut Store,
    host: &AnalysisHost,
    overlays: &[(String, Arc<CompilerRefs>)],
) -> Result<Option<WriteReport>> {
    let stored = store.files()?;
    let current: Vec<&(String, Arc<CompilerRefs>)> = overlays
        .iter()
        .filter(|(p, o)| stored.get(p).is_some_and(|s| s.hash == o.content))
        .collect();
    let paths: Vec<weft_queries::facts::Name> =
        current.iter().map(|(p, _)| p.as_str().into()).collect();
    let rows = host
        .file_rows(&paths)
        .map_err(|_| anyhow::anyhow!("cancelled"))?;
    let update = Update {
        rows: differing_rows(rows, &stored),
        compiler: current
            .iter()
            .map(|(p, o)| (p.clone(), Some((o.content.clone(), o.encode()))))
            .collect(),
        ..Default::default()
    };
    if update.is_empty() {
        return Ok(None);
    }
    Ok(Some(store.write(&update)?))
}

/// Store one batch of edits already applied to `host` (the server's watcher
/// batches): the new files' states and facts, the rows of every file the
/// change may affect that differ from the stored ones, and the removals.
/// `written` holds the listed files whose text changed, with its hash.
pub fn save_batch(
    store: &mut Store,
    host: &AnalysisHost,
    summary: &ChangeSummary,
    written: &[(Listed, blake3::Hash)],
) -> Result<Option<WriteReport>> {
    if store.is_read_only() {
        return Ok(None);
    }
    let stored = store.files()?;
    let rows = host
        .file_rows(&host.affected(summary))
        .map_err(|_| anyhow::anyhow!("cancelled"))?;
    let mut update = Update {
        rows: differing_rows(rows, &stored),
        removed: summary
            .removed
            .iter()
            .filter(|p| stored.contains_key(p.as_str()))
            .map(|p| p.to_string())
            .collect(),
        ..Default::default()
    };
    for (l, h) in written {
        let hash = h.to_hex().to_string();
        let (Some(state), Some(facts)) = (file_state(l, hash.clone()), host.facts(&l.rel)) else {
            continue;
        };
        let data = stored_blob(&hash, &facts);
        let words = words_of(host.text(&l.rel).as_deref());
        update.blobs.push(FactsBlob { hash, data, words });
        update.states.push(state);
    }
    if update.is_empty() {
        return Ok(None);
    }
    Ok(Some(store.write(&update)?))
}

/// Is `stored` (a snapshot's language of a file) what the file is now?
/// Not when a shared extension changed hands (see `Languages::choose_shared`).
fn same_language(stored: &str, path: &str) -> bool {
    weft_queries::languages::of_path(path).is_some_and(|l| l.to_string() == stored)
}

/// What the snapshot stores about a listed source file with content
/// `hash`; None for a file of no indexed language. A file written in the
/// last moments may change again within the clock's resolution: it is
/// stored without an mtime, so the next refresh re-hashes it.
fn file_state(l: &Listed, hash: String) -> Option<FileState> {
    let recent = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0)
        - 2_000_000_000;
    Some(FileState {
        path: l.rel.clone(),
        lang: weft_queries::languages::of_path(&l.rel)?,
        hash,
        size: l.size,
        mtime_ns: if l.mtime_ns > recent { 0 } else { l.mtime_ns },
    })
}
