//! Getting a repository into the engine, the analogue of rust-analyzer's
//! vfs and load-cargo: the directory walk ([`walk`]) or a code dump
//! ([`dump`]) gives the files; [`snapshot`] restarts warm from the saved
//! graph and keeps it in line with the tree; [`history`] reads other
//! versions of the tree from git; [`scip`] lays a compiler's index over
//! the graph and writes the graph as one.
//!
//! It prints nothing: front ends report what it returns.

pub mod dump;
pub mod history;
pub mod scip;
pub mod snapshot;
mod stream;
pub mod walk;

use std::path::PathBuf;
use std::sync::Arc;

use weft_db::store::Store;
use weft_queries::AnalysisHost;

/// A repository loaded into an engine, and how that went.
pub struct Loaded {
    pub root: PathBuf,
    pub host: AnalysisHost,
    pub report: walk::WalkReport,
    pub elapsed: std::time::Duration,
    /// Present when answering from a snapshot.
    pub snapshot: Option<(Store, snapshot::RefreshReport)>,
    /// SCIP indexes imported by `weft index --scip`.
    pub imports: Vec<scip::ImportReport>,
    /// The dump the files came from (`--dump`), else the directory `root`.
    pub dump: Option<Arc<dump::Dump>>,
}
