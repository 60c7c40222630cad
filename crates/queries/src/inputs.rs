//! The database's inputs: files, their groups, the workspace and the
//! shards of the name index. Below everything that reads them (the
//! accessors take any salsa database), so the language interface can name
//! a file without knowing the database.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::facts::Name;
use crate::facts::compiler::CompilerRefs;
use crate::facts::encoded::StoredFacts;

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
    pub stored: Option<StoredFacts>,
    /// An imported compiler index's answers for this content; the host
    /// clears it when the text changes.
    #[returns(ref)]
    pub compiler: Option<Arc<CompilerRefs>>,
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
    /// Build manifests that shape module resolution, (path, text): the
    /// files each language's `Naming::manifests` names.
    #[returns(ref)]
    pub manifests: Vec<(Name, Arc<str>)>,
    #[returns(ref)]
    pub shards: Vec<NameShard>,
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
