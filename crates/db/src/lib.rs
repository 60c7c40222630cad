//! weft's fact model: the plain, serializable vocabulary every other crate
//! speaks — languages, symbol kinds, positions, edges and how they were
//! resolved, stable symbol ids, the records of `weft export` — and the
//! snapshot: its SQL schema (shared by SQLite and D1), the rows it holds,
//! the postcard codec, and (feature `sqlite`) the native store.
//!
//! Architecture invariant: no salsa, no tree-sitter. Without the `sqlite`
//! feature, no I/O either: this crate must build for wasm32 so the edge
//! replica reads the same types and schema.

pub mod api;
pub mod codec;
mod id;
mod lang;
mod model;
pub mod read;
mod record;
pub mod rows;
pub mod schema;
pub mod search;
#[cfg(feature = "sqlite")]
pub mod store;
pub mod wire;
pub mod word_filter;

pub use id::SymbolId;
pub use lang::{BadLanguageName, Lang};
pub use model::{EdgeKind, Pos, Resolution, Role, Span, SymbolKind};
pub use record::{Location, Record, SymbolRecord, Target};
