//! The salsa database: inputs and the per-file and per-group queries.
//!
//! Firewalls: [`file_facts`] holds everything with positions; other files
//! only ever read [`file_interface`] (position-free, so it backdates on body
//! edits) and the [`NameShard`]s of the name index.
//!
//! Durability: file texts are LOW (edits backdate normally); paths, the
//! file groups and manifests are HIGH/MEDIUM, so the module map never needs
//! re-verifying after a text edit.

use std::sync::{Arc, Mutex};

use salsa::{Durability, Storage};
use weft_db::Lang;
use weft_db::word_filter::WordFilter;

use crate::facts::encoded::StoredFacts;
use crate::facts::{FileFacts, FileInterface, Name};
use crate::facts_cache::EncodedFacts;
pub use crate::inputs::{DefLoc, FileGroup, NameShard, SourceFile, Workspace};
use crate::lang::Languages;

impl SourceFile {
    pub fn lang(self, db: &dyn Db) -> Option<Lang> {
        db.languages().of_path(self.path(db))
    }
}

#[salsa::db]
pub trait Db: salsa::Database {
    fn workspace(&self) -> Workspace;
    /// The languages this database parses: the host's registry.
    fn languages(&self) -> &'static Languages;
    /// Parsed files' facts, encoded, for facts evicted from memory.
    fn encoded_facts(&self) -> &EncodedFacts;
}

/// Which queries executed, from salsa's event log (tests read this).
pub type ExecutionLog = Arc<Mutex<Option<Vec<(String, salsa::Id)>>>>;

#[salsa::db]
#[derive(Clone)]
pub struct RootDatabase {
    storage: Storage<Self>,
    workspace: Option<Workspace>,
    languages: &'static Languages,
    log: ExecutionLog,
    encoded: EncodedFacts,
}

impl RootDatabase {
    /// An empty database that parses `languages`.
    pub fn new(languages: &'static Languages) -> Self {
        let log: ExecutionLog = Arc::default();
        let sink = log.clone();
        let storage = Storage::new(Some(Box::new(move |event: salsa::Event| {
            if let salsa::EventKind::WillExecute { database_key } = event.kind
                && let Some(v) = sink.lock().unwrap().as_mut()
            {
                let dbg = format!("{database_key:?}");
                let name = dbg.split('(').next().unwrap_or("").to_string();
                v.push((name, database_key.key_index()));
            }
        })));
        let mut db = RootDatabase {
            storage,
            workspace: None,
            languages,
            log,
            encoded: EncodedFacts::default(),
        };
        let ws = Workspace::builder(Vec::new(), Vec::new(), Vec::new())
            .durability(Durability::HIGH)
            .new(&db);
        db.workspace = Some(ws);
        db
    }

    pub fn execution_log(&self) -> &ExecutionLog {
        &self.log
    }
}

#[salsa::db]
impl salsa::Database for RootDatabase {}

#[salsa::db]
impl Db for RootDatabase {
    fn workspace(&self) -> Workspace {
        self.workspace.expect("set in new")
    }
    fn languages(&self) -> &'static Languages {
        self.languages
    }

    fn encoded_facts(&self) -> &EncodedFacts {
        &self.encoded
    }
}

/// A file's facts: what extraction found, plus the references only an
/// imported compiler index found.
pub fn file_facts(db: &dyn Db, file: SourceFile) -> Arc<FileFacts> {
    match file.compiler(db) {
        Some(_) => facts_with_compiler(db, file),
        None => extracted_facts(db, file),
    }
}

#[salsa::tracked(returns(clone), lru = 128)]
fn facts_with_compiler(db: &dyn Db, file: SourceFile) -> Arc<FileFacts> {
    let facts = extracted_facts(db, file);
    match file.compiler(db) {
        Some(c) if c.refs.iter().any(|r| r.added.is_some()) => Arc::new(c.merge_into(&facts)),
        _ => facts,
    }
}

/// How many files' decoded facts stay in memory (salsa's LRU); the others
/// come back from [`EncodedFacts`] when asked for. Callers that walk every
/// file evict after this many ([`crate::AnalysisHost::evict`]).
pub const RESIDENT_FACTS: usize = 128;

/// Parse and extract one file. The tree is dropped; facts stay, encoded,
/// and decoded for the most recently used files only. This is what a
/// snapshot stores per content.
#[salsa::tracked(returns(clone), lru = 128)]
pub fn extracted_facts(db: &dyn Db, file: SourceFile) -> Arc<FileFacts> {
    match file.stored(db) {
        Some(StoredFacts::Decoded(facts)) => return facts.clone(),
        // checked when the snapshot was opened: decoding cannot fail short
        // of memory corruption, and then no facts beat wrong ones
        Some(StoredFacts::Encoded(e)) => return Arc::new(e.decode().unwrap_or_default()),
        None => {}
    }
    let Some(lang) = file.lang(db) else {
        return Arc::default();
    };
    let text = file.text(db);
    let hash = blake3::hash(text.as_bytes());
    if let Some(facts) = db.encoded_facts().get(file, &hash) {
        return Arc::new(facts);
    }
    let support = db.languages().get(lang);
    let path = file.path(db);
    let mut facts = crate::extract::extract(support, support.grammar_for(path), text);
    db.encoded_facts().put(file, hash, &mut facts);
    Arc::new(facts)
}

/// The words of a file's text, what `weft grep` reads to skip files that
/// cannot match: kept beside the snapshot's facts for stored files (their
/// text is not in memory), else cut from the text. `None` when not known
/// (facts given decoded, with no text): the file must be searched.
#[salsa::tracked(returns(clone))]
pub fn file_words(db: &dyn Db, file: SourceFile) -> Option<Arc<WordFilter>> {
    match file.stored(db) {
        Some(StoredFacts::Encoded(e)) => e.words.clone(),
        Some(StoredFacts::Decoded(_)) => None,
        None => Some(Arc::new(WordFilter::of(file.text(db)))),
    }
}

/// What other files may see. Equal after a body edit, so salsa backdates it
/// and nothing downstream in other files re-runs.
#[salsa::tracked(returns(clone))]
pub fn file_interface(db: &dyn Db, file: SourceFile) -> Arc<FileInterface> {
    let Some(lang) = file.lang(db) else {
        return Arc::default();
    };
    Arc::new(extracted_facts(db, file).interface(lang))
}

/// How many bytes of the file its facts cover when parsing ran over its
/// time budget (`None`: all of it). Its own query so that a report over
/// every file reads memos, not every file's facts: it is computed with the
/// interface, while the facts are in memory.
#[salsa::tracked(returns(copy))]
pub fn parsed_up_to(db: &dyn Db, file: SourceFile) -> Option<u32> {
    file_facts(db, file).parsed_up_to
}

/// Names a file's body mentions (sorted, distinct): the candidate filter
/// for reverse questions.
#[salsa::tracked(returns(clone))]
pub fn file_mentions(db: &dyn Db, file: SourceFile) -> Arc<[Name]> {
    let facts = file_facts(db, file);
    let mut names: Vec<Name> = facts
        .refs
        .iter()
        .filter_map(|r| r.path.last().cloned())
        .collect();
    for i in &facts.imports {
        names.extend(i.names.iter().map(|n| n.name.clone()));
    }
    // `Foo.new` calls `initialize`: a file writing one mentions the other
    if let Some(lang) = file.lang(db)
        && let Some((written, declared)) = db.languages().get(lang).resolver.constructor()
        && names.iter().any(|n| n == written)
    {
        names.push(Name::new_static(declared));
    }
    names.sort_unstable();
    names.dedup();
    names.into()
}

pub fn shard_of(name: &str, shards: usize) -> usize {
    let mut h = rustc_hash::FxHasher::default();
    std::hash::Hasher::write(&mut h, name.as_bytes());
    (std::hash::Hasher::finish(&h) % shards as u64) as usize
}

/// The shard holding `name`, if the workspace has any.
fn shard(db: &dyn Db, name: &str) -> Option<NameShard> {
    let shards = db.workspace().shards(db);
    (!shards.is_empty()).then(|| shards[shard_of(name, shards.len())])
}

/// Every definition with this name, repository-wide.
pub fn defs_named(db: &dyn Db, name: &str) -> Vec<DefLoc> {
    shard(db, name)
        .and_then(|s| s.defs(db).get(name).cloned())
        .unwrap_or_default()
}

/// Files whose code mentions this name, repository-wide.
pub fn files_mentioning(db: &dyn Db, name: &str) -> Vec<SourceFile> {
    shard(db, name)
        .and_then(|s| s.mentions(db).get(name).cloned())
        .unwrap_or_default()
}

/// Every source file, in group order.
pub fn all_files(db: &dyn Db) -> Vec<SourceFile> {
    let ws = db.workspace();
    ws.groups(db)
        .iter()
        .flat_map(|g| g.files(db).iter().copied())
        .collect()
}
