//! The JSON shapes of the read answers. Both readers build these types and
//! serialize them, so a field cannot drift in name or order between them.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::rows::FileStats;
use crate::{EdgeKind, Lang, Resolution, Role, Span, SymbolId, SymbolKind, SymbolRecord};

/// One `search` result: its relevance (`-bm25`, higher is better, rounded
/// to 4 decimals) and the symbol.
#[derive(Serialize, Debug, Clone)]
pub struct SearchHit {
    pub score: f64,
    pub symbol: SymbolRecord,
}

/// `def`: what the name at a position denotes.
#[derive(Serialize, Debug)]
pub struct Definition {
    pub name: String,
    pub resolution: Resolution,
    /// A definition of the tree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<SymbolRecord>,
    /// The module, for `external`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
    /// A module of the tree: its file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module_file: Option<String>,
    /// A local variable or parameter of a function.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local: Option<LocalRecord>,
}

/// A name bound inside a function: a parameter, or a local variable (a
/// `let`, a loop, closure or pattern variable). Not a symbol: it has no id
/// and is named by its position.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct LocalRecord {
    pub name: String,
    /// `parameter` or `local`.
    pub kind: &'static str,
    pub file: String,
    /// The binding's range.
    pub span: Span,
    /// The function (or other definition) it is bound in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<SymbolRecord>,
}

/// A graph node: a symbol's record, or `{"file": PATH}`.
#[derive(Serialize, Clone, Debug)]
#[serde(untagged)]
pub enum NodeJson {
    Symbol(SymbolRecord),
    File { file: String },
}

/// One node reached by a walk (callers, callees, impact).
#[derive(Serialize, Debug)]
pub struct Reached {
    pub node: NodeJson,
    pub distance: u32,
    /// From the start to `node`.
    pub path: Vec<NodeJson>,
    /// `heuristic` when an edge on the path is only a name match.
    pub resolution: &'static str,
}

impl Reached {
    /// The `resolution` of a node reached through a heuristic edge or not.
    pub fn resolution(guessed: bool) -> &'static str {
        if guessed { "heuristic" } else { "scoped" }
    }
}

/// `callers`, `callees` (depth > 1), `impact`: `{"target": .., LABEL: [..]}`.
#[derive(Debug)]
pub struct Walked {
    pub target: NodeJson,
    pub label: &'static str,
    pub reached: Vec<Reached>,
}

impl Serialize for Walked {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("target", &self.target)?;
        m.serialize_entry(self.label, &self.reached)?;
        m.end()
    }
}

/// One reference in `refs` answers.
#[derive(Serialize, Debug)]
pub struct Reference {
    pub file: String,
    pub span: Span,
    pub role: Role,
    pub resolution: Resolution,
}

#[derive(Serialize, Debug)]
pub struct References {
    /// The symbol; absent when the target is a local.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<SymbolRecord>,
    /// The local (a position on a parameter or variable, or on a use of one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local: Option<LocalRecord>,
    pub references: Vec<Reference>,
}

/// One call in a function's body (`callees` at depth 1).
#[derive(Serialize, Debug)]
pub struct Callee {
    pub name: String,
    pub at: Span,
    pub resolution: Resolution,
    pub target: Option<SymbolRecord>,
    /// For `external` calls.
    pub module: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct Callees {
    pub target: SymbolRecord,
    pub callees: Vec<Callee>,
}

/// A base type or trait, as `impls` lists what a symbol implements.
#[derive(Serialize, Debug)]
pub struct Implemented {
    pub name: String,
    pub resolution: Resolution,
    pub target: Option<SymbolRecord>,
}

#[derive(Serialize, Debug)]
pub struct Impls {
    pub target: SymbolRecord,
    pub implementors: Vec<SymbolRecord>,
    pub implements: Vec<Implemented>,
}

#[derive(Serialize, Debug)]
pub struct Deps {
    pub file: String,
    pub imports: Vec<String>,
    pub external: Vec<String>,
    pub unresolved: Vec<String>,
    pub imported_by: Vec<String>,
}

/// Counts: files per language, symbols, edges by kind and resolution.
#[derive(Default, Debug, Clone, Serialize)]
pub struct Stats {
    pub files: BTreeMap<Lang, usize>,
    pub files_with_syntax_errors: usize,
    pub symbols: usize,
    pub edges: BTreeMap<EdgeKind, usize>,
    pub resolution: BTreeMap<Resolution, usize>,
}

impl Stats {
    /// Add `n` files of `lang` whose counts sum to `s`.
    pub fn add(&mut self, lang: Lang, n: usize, s: &FileStats, with_errors: usize) {
        *self.files.entry(lang).or_default() += n;
        self.files_with_syntax_errors += with_errors;
        self.symbols += s.symbols as usize;
        for (k, v) in [
            (EdgeKind::Reference, s.refs),
            (EdgeKind::Call, s.calls),
            (EdgeKind::Inherit, s.inherits),
            (EdgeKind::Import, s.imports),
        ] {
            *self.edges.entry(k).or_default() += v as usize;
        }
        for (k, v) in [
            (Resolution::Scoped, s.scoped),
            (Resolution::Heuristic, s.heuristic),
            (Resolution::External, s.external),
            (Resolution::Unresolved, s.unresolved),
            (Resolution::Compiler, s.compiler),
        ] {
            *self.resolution.entry(k).or_default() += v as usize;
        }
    }
}

/// A symbol named briefly: where a `grep` match sits, or what a name in it
/// resolves to.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct SymbolBrief {
    pub id: SymbolId,
    pub qualified_name: String,
    pub kind: SymbolKind,
    pub file: String,
    /// Where its name is.
    pub span: Span,
}

impl From<&SymbolRecord> for SymbolBrief {
    fn from(s: &SymbolRecord) -> SymbolBrief {
        SymbolBrief {
            id: s.id,
            qualified_name: s.qualified_name.clone(),
            kind: s.kind,
            file: s.file.clone(),
            span: s.span,
        }
    }
}

/// What a name in a `grep` match resolves to.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct NameTarget {
    pub name: String,
    pub resolution: Resolution,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub symbol: Option<SymbolBrief>,
    /// The module, for `external`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
}

/// A node a metavariable captured.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct CapturedNode {
    pub text: String,
    pub span: Span,
    /// What it names or calls, when it is a reference weft resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<NameTarget>,
}

/// What one metavariable captured: `$X` a node, `$$$X` a list.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(untagged)]
pub enum Captured {
    One(CapturedNode),
    Many(Vec<CapturedNode>),
}

/// Byte offsets into a file, `end` exclusive.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bytes {
    pub start: usize,
    pub end: usize,
}

/// One `grep` match.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct GrepMatch {
    pub file: String,
    pub lang: Lang,
    pub span: Span,
    pub bytes: Bytes,
    pub text: String,
    /// The whole lines the match is on.
    pub lines: String,
    /// Lines of context before and after (`--context`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub before: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
    /// By metavariable name.
    pub captures: BTreeMap<String, Captured>,
    /// The innermost definition holding the match.
    pub symbol: Option<SymbolBrief>,
    /// What the match calls or names, when it is a call or a reference
    /// weft resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<NameTarget>,
    /// The id of the rule that matched, for a rule search.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// How a `grep` went: what the index ruled out, what could not be read.
#[derive(Serialize, Debug, Clone, Default, PartialEq, Eq)]
pub struct GrepStats {
    /// Files of the searched languages (and path, and graph scope).
    pub files: usize,
    /// Those whose words met the pattern's: read and parsed.
    pub parsed: usize,
    /// Files with at least one match.
    pub matched: usize,
    /// Matches left out by `--limit`.
    pub cut: usize,
    /// Files that could not be searched, with why.
    pub skipped: Vec<(String, String)>,
}

/// `graph` (and `cycles --format`): a part of the graph as a picture,
/// ready to draw: nodes grouped into clusters (a symbol's file, a file's
/// folder), labelled edges, and what the size cap left out.
#[derive(Serialize, Debug, Clone, Default, PartialEq, Eq)]
pub struct Picture {
    /// What is drawn: `calls`, `callers`, `impact`, `deps`, `inherits`,
    /// `modules` or `cycles`.
    pub kind: &'static str,
    /// The id of the node asked about, for a neighbourhood.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    pub nodes: Vec<PictureNode>,
    pub edges: Vec<PictureEdge>,
    /// How many nodes and edges the cap left out.
    pub left_out: LeftOut,
    /// What a reader should know about how it was drawn (folders merged
    /// to stay readable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct PictureNode {
    /// A TARGET for it: a symbol's id, a file's path; a folder ends in `/`.
    pub id: String,
    /// A short name to draw.
    pub label: String,
    /// A symbol's kind, or `file`, `folder`, `module`.
    pub kind: String,
    /// The qualified name, a file's path: what a tooltip shows.
    pub title: String,
    /// The group it is drawn in (a file, a folder, a cycle), `""` for none.
    pub cluster: String,
    /// Hops from the root.
    pub distance: u32,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct PictureEdge {
    pub from: String,
    pub to: String,
    /// `calls`, `uses`, `imports` or `inherits`.
    pub kind: &'static str,
    /// Bound by a unique name only.
    pub heuristic: bool,
    /// How many edges of the finer graph it stands for (imports merged
    /// between folders).
    pub count: u32,
}

#[derive(Serialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftOut {
    pub nodes: u32,
    pub edges: u32,
}
