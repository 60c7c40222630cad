//! What a compiler-grade index says about one file's references, as the
//! database stores it beside the file's own facts. Mapping an index onto
//! the graph is `crate::compiler`'s.

use serde::{Deserialize, Serialize};
use weft_db::{Role, Span};

use super::{FileFacts, Name, Receiver, Ref};

/// Bump when [`CompilerRefs`]' encoding changes: stored overlays of another
/// format are dropped (the file keeps weft's resolution until re-imported).
pub const COMPILER_FORMAT: u8 = 1;

/// What a compiler-grade index says about one file's references.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct CompilerRefs {
    /// blake3 (hex) of the text the index was mapped onto.
    pub content: String,
    /// Sorted by span, distinct starts.
    pub refs: Vec<CompilerRef>,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct CompilerRef {
    /// The name's range (UTF-8 columns).
    pub span: Span,
    pub target: CompilerTarget,
    /// For a reference weft's extraction did not find: how it is used and
    /// its innermost enclosing definition.
    pub added: Option<(Role, Option<u32>)>,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum CompilerTarget {
    /// A definition of the tree: its file, index in that file, and name.
    Def { file: Name, ord: u32, name: Name },
    /// A module of the tree, standing for its file.
    Module(Name),
    /// Outside the tree: the package or module the index names.
    External(Name),
    /// A local variable or parameter: no edge of the graph.
    Local,
}

impl CompilerRefs {
    /// The compiler's answer for a name starting where `span` starts.
    pub fn get(&self, span: Span) -> Option<&CompilerRef> {
        self.refs
            .binary_search_by(|r| r.span.start.cmp(&span.start))
            .ok()
            .map(|i| &self.refs[i])
    }

    /// `facts` with the references only the compiler found merged in, in
    /// position order.
    pub fn merge_into(&self, facts: &FileFacts) -> FileFacts {
        let mut out = facts.clone();
        for r in &self.refs {
            let Some((role, scope)) = r.added else {
                continue;
            };
            let name = match &r.target {
                CompilerTarget::Def { name, .. } => name.clone(),
                _ => continue,
            };
            out.refs.push(Ref {
                path: vec![name],
                receiver: Receiver::Unknown,
                role,
                span: r.span,
                scope,
                arity: None,
            });
        }
        out.refs.sort_by_key(|r| r.span);
        out
    }

    pub fn encode(&self) -> Vec<u8> {
        weft_db::codec::encode(COMPILER_FORMAT, self)
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, weft_db::codec::DecodeError> {
        weft_db::codec::decode(COMPILER_FORMAT, bytes)
    }
}
