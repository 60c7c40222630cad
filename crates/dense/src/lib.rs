//! Dense vectors for `weft search`: what a symbol's embedding reads, the
//! model that embeds it, where the vectors live, and how their ranking is
//! fused with BM25.
//!
//! Everything heavy is behind a feature, so the default build stays small
//! and builds on the machine's Rust:
//! - `embed`: all-MiniLM-L6-v2 in process ([`minilm`]; candle, pure Rust);
//! - `qdrant-edge`: the Qdrant engine in process, on disk ([`edge`]);
//!   needs rustc ≥ 1.96;
//! - `qdrant-client`: a Qdrant server or cluster over gRPC ([`remote`]).
//!
//! Without features this crate still holds the store trait, the exact
//! in-memory store the backends are checked against, fusion, the text and
//! content hash of each symbol, and the incremental sync.

pub mod config;
pub mod fuse;
mod model;
pub mod store;
pub mod sync;
pub mod text;

#[cfg(feature = "grpc-double")]
pub mod double;
#[cfg(feature = "qdrant-edge")]
pub mod edge;
#[cfg(feature = "embed")]
pub mod minilm;
#[cfg(feature = "qdrant-client")]
pub mod remote;

pub use store::{ExactStore, Filter, Meta, Point, VectorStore};
pub use sync::{Doc, Embedder, SyncReport, sync};

/// The embedding size of all-MiniLM-L6-v2, the one model weft runs.
pub const DIM: usize = 384;
/// The named vector in every collection.
pub const VECTOR_NAME: &str = "code";
