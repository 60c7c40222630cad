use serde::{Deserialize, Serialize};

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

str_enum! {
    /// What a definition is.
    SymbolKind {
        Module = "module",
        Function = "function",
        Method = "method",
        Struct = "struct",
        Class = "class",
        Enum = "enum",
        EnumMember = "enum_member",
        Trait = "trait",
        Interface = "interface",
        TypeAlias = "type_alias",
        Constant = "constant",
        Static = "static",
        Variable = "variable",
        Field = "field",
        Macro = "macro",
    }
}

impl SymbolKind {
    /// Can a call expression land on this kind of symbol?
    pub fn is_callable(self) -> bool {
        matches!(
            self,
            SymbolKind::Function
                | SymbolKind::Method
                | SymbolKind::Macro
                | SymbolKind::Class
                | SymbolKind::Struct
                | SymbolKind::EnumMember
                | SymbolKind::Variable
                | SymbolKind::Constant
                | SymbolKind::Field
        )
    }
    /// Does this kind name a type that can hold methods and fields?
    pub fn is_type(self) -> bool {
        matches!(
            self,
            SymbolKind::Struct
                | SymbolKind::Class
                | SymbolKind::Enum
                | SymbolKind::Trait
                | SymbolKind::Interface
                | SymbolKind::TypeAlias
        )
    }
    pub fn is_function(self) -> bool {
        matches!(self, SymbolKind::Function | SymbolKind::Method)
    }
}

str_enum! {
    /// How a name occurrence uses the symbol it names.
    Role {
        Call = "call",
        Read = "read",
        Write = "write",
        Type = "type",
        Import = "import",
        Inherit = "inherit",
    }
}

str_enum! {
    /// How an edge's target was found. Every edge says it; none is dressed up.
    Resolution {
        /// Through the language's scopes and imports: what a compiler would pick.
        Scoped = "scoped",
        /// By a unique name: likely, not proven.
        Heuristic = "heuristic",
        /// Outside the indexed tree (std, a package); the module is recorded.
        External = "external",
        /// No target found; the name is kept.
        Unresolved = "unresolved",
        /// Taken from a compiler-grade index (`weft index --scip`) for
        /// content it was computed on. Last: codes are positions.
        Compiler = "compiler",
    }
}

str_enum! {
    /// The kinds of edge in the graph.
    EdgeKind {
        Reference = "reference",
        Call = "call",
        Inherit = "inherit",
        Import = "import",
    }
}

/// A position: 0-based line, UTF-8 byte column (like SCIP and tree-sitter).
#[derive(
    Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default, Serialize, Deserialize,
)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A half-open range of positions.
#[derive(
    Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default, Serialize, Deserialize,
)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub fn contains(&self, p: Pos) -> bool {
        self.start <= p && p < self.end
    }
    pub fn contains_span(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}
