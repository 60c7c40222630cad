//! weft's fact model: the plain, serializable vocabulary every other crate
//! speaks — languages, symbol kinds, positions, edges and how they were
//! resolved, stable symbol ids, and the records of `weft export`.
//!
//! Architecture invariant: no salsa, no tree-sitter, no I/O. This crate must
//! build for wasm32 so the edge replica can read the same types.

mod id;
mod model;
mod record;

pub use id::SymbolId;
pub use model::{EdgeKind, Lang, Pos, Resolution, Role, Span, SymbolKind};
pub use record::{Location, Record, SymbolRecord, Target};
