//! Which model and which vector store a repository's dense search uses:
//! `.weft/dense.json`, written by `weft index --embed`, read by every
//! later `weft index` (to keep the vectors current) and `weft search`
//! (to embed the query and fuse).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

pub use crate::model::model_files;
use crate::store::VectorStore;
use crate::sync::Embedder;

pub const FILE: &str = "dense.json";
/// The embedded store's folder, beside the snapshot.
pub const EDGE_DIR: &str = "vectors";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct DenseConfig {
    /// Only "minilm" so far.
    pub model: String,
    pub model_dir: PathBuf,
    pub store: StoreConfig,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "backend", rename_all = "kebab-case")]
pub enum StoreConfig {
    /// The Qdrant engine in process, in this folder.
    QdrantEdge { dir: PathBuf },
    /// A Qdrant server or cluster.
    Qdrant { url: String, collection: String },
}

impl DenseConfig {
    /// The config in the snapshot's folder, if dense search was set up.
    pub fn find(weft_dir: &Path) -> Result<Option<DenseConfig>> {
        let path = weft_dir.join(FILE);
        match std::fs::read_to_string(&path) {
            Ok(s) => serde_json::from_str(&s)
                .map(Some)
                .with_context(|| format!("{} is not a dense search config; remove it and run `weft index --embed minilm --model DIR` again", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }

    pub fn save(&self, weft_dir: &Path) -> Result<()> {
        let path = weft_dir.join(FILE);
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_string_pretty(self)? + "\n")
            .with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("writing {}", path.display()))
    }
}

/// The features this build lacks for `config`, as a sentence, if any.
pub fn missing_features(config: &DenseConfig) -> Option<String> {
    let mut missing = Vec::new();
    if !cfg!(feature = "embed") {
        missing.push("embed");
    }
    match config.store {
        StoreConfig::QdrantEdge { .. } if !cfg!(feature = "qdrant-edge") => {
            missing.push("qdrant-edge")
        }
        StoreConfig::Qdrant { .. } if !cfg!(feature = "qdrant-client") => {
            missing.push("qdrant-client")
        }
        _ => {}
    }
    (!missing.is_empty()).then(|| {
        format!(
            "this weft was built without dense search (cargo features: {}); `cargo xtask dense build` builds one with it (docs/SEARCH.md)",
            missing.join(", ")
        )
    })
}

/// Open the store `config` names, creating it if it does not exist.
pub fn open_store(config: &StoreConfig) -> Result<Box<dyn VectorStore>> {
    match config {
        #[cfg(feature = "qdrant-edge")]
        StoreConfig::QdrantEdge { dir } => Ok(Box::new(crate::edge::EdgeStore::open(dir)?)),
        #[cfg(feature = "qdrant-client")]
        StoreConfig::Qdrant { url, collection } => Ok(Box::new(
            crate::remote::RemoteStore::connect(url, collection)?,
        )),
        #[allow(unreachable_patterns)]
        _ => bail!(
            "this weft was built without the vector store {config:?} needs: `cargo xtask dense build` (docs/SEARCH.md)"
        ),
    }
}

/// Load the model `config` names.
pub fn load_embedder(config: &DenseConfig) -> Result<Box<dyn Embedder>> {
    match config.model.as_str() {
        #[cfg(feature = "embed")]
        crate::minilm::MODEL => Ok(Box::new(crate::minilm::MiniLm::load(&config.model_dir)?)),
        #[cfg(not(feature = "embed"))]
        "minilm" => bail!(
            "this weft was built without the `embed` feature: `cargo xtask dense build` (docs/SEARCH.md)"
        ),
        other => bail!("unknown model `{other}`: weft runs `minilm` (all-MiniLM-L6-v2)"),
    }
}
