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

use rustc_hash::FxHashMap;
use salsa::{Durability, Storage};
use weft_db::Lang;

use crate::facts::compiler::CompilerRefs;
use crate::facts::{FileFacts, FileInterface, Name};
use crate::lang;

#[salsa::input(debug)]
#[derive(PartialOrd, Ord)]
pub struct SourceFile {
    #[returns(ref)]
    pub path: Name,
    #[returns(ref)]
    pub text: Arc<str>,
    /// Facts taken from a snapshot for this exact content: extraction then
    /// returns them instead of parsing (`text` is empty and unread).
    #[returns(ref)]
    pub stored: Option<Arc<FileFacts>>,
    /// An imported compiler index's answers for this content; the host
    /// clears it when the text changes.
    #[returns(ref)]
    pub compiler: Option<Arc<CompilerRefs>>,
}

impl SourceFile {
    pub fn lang(self, db: &dyn Db) -> Option<Lang> {
        Lang::from_path(self.path(db))
    }
}

/// A shard of the file set; membership changes only when files come or go.
#[salsa::input(debug)]
pub struct FileGroup {
    #[returns(ref)]
    pub files: Vec<SourceFile>,
}

#[salsa::input(debug)]
pub struct Workspace {
    #[returns(ref)]
    pub groups: Vec<FileGroup>,
    /// Build manifests that shape module resolution: `Cargo.toml`,
    /// `go.mod`, `tsconfig.json`/`jsconfig.json` (path, text).
    #[returns(ref)]
    pub manifests: Vec<(Name, Arc<str>)>,
    #[returns(ref)]
    pub shards: Vec<NameShard>,
}

#[salsa::db]
pub trait Db: salsa::Database {
    fn workspace(&self) -> Workspace;
}

/// Which queries executed, from salsa's event log (tests read this).
pub type ExecutionLog = Arc<Mutex<Option<Vec<(String, salsa::Id)>>>>;

#[salsa::db]
#[derive(Clone)]
pub struct RootDatabase {
    storage: Storage<Self>,
    workspace: Option<Workspace>,
    log: ExecutionLog,
}

impl Default for RootDatabase {
    fn default() -> Self {
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
            log,
        };
        let ws = Workspace::builder(Vec::new(), Vec::new(), Vec::new())
            .durability(Durability::HIGH)
            .new(&db);
        db.workspace = Some(ws);
        db
    }
}

impl RootDatabase {
    pub fn execution_log(&self) -> &ExecutionLog {
        &self.log
    }
}

#[salsa::db]
impl salsa::Database for RootDatabase {}

#[salsa::db]
impl Db for RootDatabase {
    fn workspace(&self) -> Workspace {
        self.workspace.expect("set in Default")
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

#[salsa::tracked(returns(clone))]
fn facts_with_compiler(db: &dyn Db, file: SourceFile) -> Arc<FileFacts> {
    let facts = extracted_facts(db, file);
    match file.compiler(db) {
        Some(c) if c.refs.iter().any(|r| r.added.is_some()) => Arc::new(c.merge_into(&facts)),
        _ => facts,
    }
}

/// Parse and extract one file. The tree is dropped; facts stay. This is
/// what a snapshot stores per content.
#[salsa::tracked(returns(clone))]
pub fn extracted_facts(db: &dyn Db, file: SourceFile) -> Arc<FileFacts> {
    if let Some(facts) = file.stored(db) {
        return facts.clone();
    }
    let Some(lang) = file.lang(db) else {
        return Arc::default();
    };
    let support = lang::support(lang);
    let path = file.path(db);
    Arc::new(crate::extract::extract(
        support,
        support.grammar_for(path),
        file.text(db),
    ))
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
    names.sort_unstable();
    names.dedup();
    names.into()
}

/// A definition somewhere: (file, index into its facts and interface).
pub type DefLoc = (SourceFile, u32);

/// One shard of the repository-wide name index: who defines and who
/// mentions each name hashing here. An *input*, patched by the host from
/// interface diffs, so a global lookup costs one input read, not a walk
/// over every file's memo: that keeps edits from fanning out.
#[salsa::input(debug)]
pub struct NameShard {
    #[returns(ref)]
    pub defs: Arc<FxHashMap<Name, Vec<DefLoc>>>,
    #[returns(ref)]
    pub mentions: Arc<FxHashMap<Name, Vec<SourceFile>>>,
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
