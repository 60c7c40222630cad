//! The API every front end calls: the CLI, the HTTP server, and the agent
//! and editor front ends to come. A typed [`Query`] (parsed by
//! `weft_db::api` from a URL, or built by the CLI) goes in; an [`Answer`]
//! of plain values comes out, for the front end to print or send. No front
//! end calls another.
//!
//! ```no_run
//! # fn demo(db: &weft_queries::RootDatabase) -> anyhow::Result<()> {
//! use weft_ide::{Analysis, Env};
//! let env = Env::new(std::path::Path::new("."));
//! let q = weft_db::api::parse("refs", &[("target".into(), "crate::db::Store".into())])?;
//! let answer = Analysis::new(db, &env).answer(q)?;
//! for doc in answer.docs() {
//!     println!("{}", String::from_utf8_lossy(&doc));
//! }
//! # Ok(()) }
//! ```

mod analysis;
mod answer;
pub mod changes;
pub mod dense;
pub mod editor;
mod grep;
pub mod picture;
mod target;
pub mod text;
pub mod tokens;

use std::path::Path;
use std::sync::Arc;

pub use analysis::{Analysis, EXPLAIN_CALLERS, Explained, ExplainedLocal, Explanation, Filter};
pub use answer::Answer;
pub use target::{find_file, resolve_target};
pub use weft_db::api::{Query, TargetError};

use weft_dense::config::DenseConfig;
use weft_load::dump::Dump;

/// What answers need besides the graph: where the files are, and what a
/// front end may have to answer faster or better.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    /// The repository root: relative TARGET paths are taken from it.
    pub root: &'a Path,
    /// The dump the files came from, if not from `root`.
    pub dump: Option<&'a Dump>,
    /// A snapshot brought up to date with the tree: word search answers
    /// from its table, with no index to build first.
    pub search_table: Option<&'a weft_db::store::Store>,
    /// The snapshot's folder and its dense config: search fuses vectors.
    pub dense: Option<(&'a Path, &'a DenseConfig)>,
}

impl<'a> Env<'a> {
    pub fn new(root: &'a Path) -> Env<'a> {
        Env {
            root,
            dump: None,
            search_table: None,
            dense: None,
        }
    }

    /// The current text of an indexed file, from the dump or the disk (a
    /// host loaded from a snapshot holds facts, not text).
    pub fn read_source(&self, rel: &str) -> Option<Arc<str>> {
        read_source(self.root, self.dump, rel)
    }
}

/// [`Env::read_source`] from its parts, for threads an `Env` (with its
/// SQLite connection) cannot go to.
fn read_source(root: &Path, dump: Option<&Dump>, rel: &str) -> Option<Arc<str>> {
    let bytes = match dump {
        Some(d) => d.get(rel)?.to_vec(),
        None => std::fs::read(root.join(rel)).ok()?,
    };
    Some(String::from_utf8_lossy(&bytes).into())
}
