//! weft's engine: a salsa database of code-graph facts over file inputs,
//! the languages that feed it, name resolution, graph algorithms, and the
//! [`AnalysisHost`]/[`Analysis`] API that embedders use.

pub mod body_digest;
pub mod change;
pub mod compiler;
pub mod context;
pub mod db;
pub mod export;
pub mod extract;
pub mod facts;
pub mod facts_cache;
pub mod fingerprint;
pub mod graph;
mod host;
mod inputs;
pub mod lang;
pub mod languages;
pub mod resolve;
pub mod search;
pub mod symbols;
pub mod syntax;

pub use db::{Db, RootDatabase, SourceFile};
pub use host::{
    Analysis, AnalysisHost, Cancellable, Change, ChangeSummary, cancellation_token, is_manifest,
    normalize,
};
pub use salsa::CancellationToken;
