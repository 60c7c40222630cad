//! The typed questions of the read API: what a front end hands a backend
//! once it has parsed a command line, a URL or a tool call.

use crate::{Lang, SymbolKind};

/// The read questions every front end asks. The CLI offers them as
/// commands, the HTTP API as routes (`/v1/refs?target=...`); both parse
/// into this, from the one description in [`super::routes`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    Symbols {
        query: String,
        kind: Vec<SymbolKind>,
        lang: Vec<Lang>,
        path: Option<String>,
        limit: u32,
    },
    Search {
        query: String,
        kind: Vec<SymbolKind>,
        lang: Vec<Lang>,
        path: Option<String>,
        limit: u32,
    },
    Def {
        position: String,
    },
    Refs {
        target: String,
    },
    Callers {
        target: String,
        depth: u32,
    },
    Callees {
        target: String,
        depth: u32,
    },
    Impls {
        target: String,
    },
    Impact {
        target: String,
        depth: u32,
        limit: u32,
    },
    Deps {
        target: String,
    },
    Outline {
        file: String,
    },
    Stats,
    Path {
        from: String,
        to: String,
        max_depth: u32,
    },
    Cycles {
        level: Level,
        /// Drawn as a picture instead of listed.
        format: Option<Drawing>,
    },
    Graph(Box<GraphQuery>),
    Grep(Box<Grep>),
    Export {
        pairs: bool,
        /// Pairs include uses of locals and parameters.
        locals: bool,
    },
    Context {
        target: String,
        budget: usize,
        tokenizer: Tokenizer,
    },
    Map {
        budget: usize,
        tokenizer: Tokenizer,
    },
}

impl Query {
    /// The route (and command) that asks it.
    pub fn route(&self) -> &'static str {
        match self {
            Query::Symbols { .. } => "symbols",
            Query::Search { .. } => "search",
            Query::Def { .. } => "def",
            Query::Refs { .. } => "refs",
            Query::Callers { .. } => "callers",
            Query::Callees { .. } => "callees",
            Query::Impls { .. } => "impls",
            Query::Impact { .. } => "impact",
            Query::Deps { .. } => "deps",
            Query::Outline { .. } => "outline",
            Query::Stats => "stats",
            Query::Path { .. } => "path",
            Query::Cycles { .. } => "cycles",
            Query::Grep(_) => "grep",
            Query::Graph(_) => "graph",
            Query::Export { .. } => "export",
            Query::Context { .. } => "context",
            Query::Map { .. } => "map",
        }
    }
}

/// A structural search (`weft grep`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Grep {
    /// An ast-grep pattern; or
    pub pattern: Option<String>,
    /// the text of an ast-grep YAML rule file.
    pub rule: Option<String>,
    pub lang: Vec<Lang>,
    /// A glob over paths (see `crate::search::path_glob`).
    pub path: Option<String>,
    /// Only inside this TARGET and its callees to `depth`.
    pub within: Option<String>,
    /// Only in what a change to this TARGET affects, to `depth`.
    pub impact_of: Option<String>,
    /// Only calls resolving to this TARGET.
    pub calls: Option<String>,
    pub depth: u32,
    /// Lines of context around each match.
    pub context: u32,
    /// At most this many matches; 0: all.
    pub limit: u32,
}

/// `weft graph`: what to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphQuery {
    /// The symbol or file whose neighbourhood is drawn (`None`: the module
    /// map).
    pub target: Option<String>,
    pub kind: GraphKind,
    pub depth: u32,
    /// Only files matching this glob (the module map).
    pub path: Option<String>,
    /// `None`: the picture as JSON.
    pub format: Option<Drawing>,
    /// At most this many nodes.
    pub limit: u32,
}

/// Which edges a neighbourhood follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphKind {
    /// Calls for a symbol, imports for a file.
    Auto,
    Calls,
    Callers,
    Impact,
    Deps,
    Inherits,
}

/// A picture's text form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Drawing {
    Dot,
    Mermaid,
    Svg,
}

/// What `cycles` groups by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    File,
    Module,
}

/// How the budgets of `context` and `map` count tokens. (The counting
/// itself lives above this crate: it needs the BPE tables.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tokenizer {
    /// OpenAI's o200k_base BPE (GPT-4o and later), exact.
    O200k,
    /// OpenAI's cl100k_base BPE (GPT-4, GPT-3.5), exact.
    Cl100k,
    /// An estimate with no vocabulary: one token per 4 bytes, rounded up.
    /// Packs of Rust measured 3.4-3.7 bytes per o200k token, so this
    /// undercounts by 10-15%; leave that margin in the budget.
    Bytes,
}

impl Tokenizer {
    /// The name a budget's JSON reports it by.
    pub fn name(self) -> &'static str {
        match self {
            Tokenizer::O200k => "o200k_base",
            Tokenizer::Cl100k => "cl100k_base",
            Tokenizer::Bytes => "bytes/4",
        }
    }
}

pub fn parse_kind(s: &str) -> Result<SymbolKind, String> {
    SymbolKind::parse(s).ok_or_else(|| {
        format!(
            "unknown kind `{s}`; one of: {}",
            SymbolKind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// A known language by name or alias (`ts`, `py`); the error lists them.
pub fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Lang::known().into_iter().map(Lang::as_str).collect();
        format!("unknown language `{s}`; one of: {}", names.join(", "))
    })
}
