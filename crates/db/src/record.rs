//! The records of `weft export`: one JSON object per line, tagged by `type`.
//! Positions are 0-based lines and UTF-8 byte columns; paths are relative to
//! the indexed root with `/` separators. Absent values are `null`, never
//! omitted: the same types travel as postcard, which cannot skip fields.

use serde::{Deserialize, Serialize};

use crate::{Lang, Resolution, Role, Span, SymbolId, SymbolKind};

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct SymbolRecord {
    pub id: SymbolId,
    pub name: String,
    pub qualified_name: String,
    pub kind: SymbolKind,
    pub lang: Lang,
    pub file: String,
    /// The name's range.
    pub span: Span,
    /// The whole definition's range.
    pub full_span: Span,
    #[serde(default)]
    pub container: Option<SymbolId>,
    pub exported: bool,
    pub signature: String,
    #[serde(default)]
    pub doc: Option<String>,
}

/// Where an edge points.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Target {
    pub resolution: Resolution,
    /// The symbol, for `scoped` and `heuristic`.
    #[serde(default)]
    pub symbol: Option<SymbolId>,
    /// The name as written, always kept.
    pub name: String,
    /// The module, for `external`; for a `scoped` reference to a module of
    /// the tree (no symbol), the module's file.
    #[serde(default)]
    pub module: Option<String>,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Location {
    pub file: String,
    pub span: Span,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    Symbol(SymbolRecord),
    Reference {
        at: Location,
        role: Role,
        /// The innermost enclosing definition, if any.
        #[serde(default)]
        from: Option<SymbolId>,
        target: Target,
    },
    Call {
        at: Location,
        /// The caller: innermost enclosing function or method; none for module level.
        #[serde(default)]
        caller: Option<SymbolId>,
        target: Target,
    },
    Inherit {
        at: Location,
        sub: SymbolId,
        target: Target,
    },
    Import {
        at: Location,
        /// The module specifier as written.
        module: String,
        /// The file it resolved to, if inside the tree.
        #[serde(default)]
        file: Option<String>,
        resolution: Resolution,
        names: Vec<String>,
    },
}
