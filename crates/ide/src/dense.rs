//! Dense search over the graph: `weft index --embed` keeps a vector per
//! symbol in line with the snapshot ([`refresh`]), and search fuses the
//! nearest vectors with BM25 when they exist ([`hybrid`], docs/SEARCH.md).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use weft_db::SymbolKind;
use weft_db::api::answer::SearchHit;
use weft_dense::config::{self, DenseConfig, StoreConfig};
use weft_dense::fuse::{RRF_K, rrf};
use weft_dense::text::symbol_text;
use weft_dense::{Doc, Filter, SyncReport};
use weft_queries::RootDatabase;
use weft_queries::db::{all_files, file_facts};
use weft_queries::symbols::{find_by_id, symbol_record};

/// What `weft index --embed` asks for.
#[derive(Debug, Default)]
pub struct EmbedOptions {
    /// The model (`minilm`); none keeps the saved config, if any.
    pub embed: Option<String>,
    /// The model's folder: model.safetensors, config.json, tokenizer.json.
    pub model: Option<PathBuf>,
    /// A Qdrant server's gRPC URL instead of the in-process store.
    pub qdrant: Option<String>,
    /// The collection, with `qdrant`.
    pub collection: String,
}

/// What is embedded: the kinds people search for by meaning. Fields,
/// constants and variables are many (half the symbols of the Rust corpus)
/// and their names say most of what they are; BM25 finds them.
pub fn embedded(kind: SymbolKind) -> bool {
    kind.is_function() || kind.is_type() || matches!(kind, SymbolKind::Module | SymbolKind::Macro)
}

/// The dense config `weft index` works with: a new one from `--embed`,
/// else the one saved beside the snapshot. Fails before any indexing when
/// this build cannot do what the flags ask.
pub fn index_config(weft_dir: &Path, args: &EmbedOptions) -> Result<Option<DenseConfig>> {
    let Some(model) = &args.embed else {
        return DenseConfig::find(weft_dir);
    };
    if model != "minilm" {
        bail!("unknown model `{model}`: weft runs `minilm` (all-MiniLM-L6-v2)");
    }
    let Some(dir) = &args.model else {
        bail!(
            "--embed minilm needs --model DIR, the folder with the model's files (docs/SEARCH.md)"
        );
    };
    config::model_files(dir)?;
    let store = match &args.qdrant {
        Some(url) => StoreConfig::Qdrant {
            url: url.clone(),
            collection: args.collection.clone(),
        },
        None => StoreConfig::QdrantEdge {
            dir: PathBuf::from(config::EDGE_DIR),
        },
    };
    let config = DenseConfig {
        model: model.clone(),
        model_dir: std::path::absolute(dir)?,
        store,
    };
    if let Some(why) = config::missing_features(&config) {
        bail!("--embed: {why}");
    }
    Ok(Some(config))
}

/// The store's config with its folder resolved against the snapshot's.
fn resolved(weft_dir: &Path, store: &StoreConfig) -> StoreConfig {
    match store {
        StoreConfig::QdrantEdge { dir } => StoreConfig::QdrantEdge {
            dir: weft_dir.join(dir),
        },
        other => other.clone(),
    }
}

/// The text of every embedded symbol, with its payload.
fn docs(db: &RootDatabase, read_source: &dyn Fn(&str) -> Option<Arc<str>>) -> Vec<Doc> {
    let mut out = Vec::new();
    for f in all_files(db) {
        let n = file_facts(db, f).defs.len() as u32;
        let records: Vec<_> = (0..n)
            .map(|i| symbol_record(db, (f, i)))
            .filter(|r| embedded(r.kind))
            .collect();
        if records.is_empty() {
            continue;
        }
        // files answered from the snapshot carry no text in the engine
        let held = f.text(db);
        let source = if held.is_empty() {
            read_source(f.path(db).as_str())
        } else {
            Some(held.clone())
        };
        for r in records {
            out.push(Doc {
                id: r.id.0,
                text: symbol_text(&r, source.as_deref()),
                kind: r.kind.as_str().to_string(),
                lang: r.lang.as_str().to_string(),
                path: r.file.clone(),
            });
        }
    }
    out
}

/// Bring the vectors in line with the graph; the config is saved first,
/// so an interrupted run is resumed by the next `weft index`.
pub fn refresh(
    db: &RootDatabase,
    read_source: &dyn Fn(&str) -> Option<Arc<str>>,
    weft_dir: &Path,
    config: &DenseConfig,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(SyncReport, String)> {
    if let Some(why) = config::missing_features(config) {
        bail!("the vectors were not updated: {why}");
    }
    std::fs::create_dir_all(weft_dir)?;
    config.save(weft_dir)?;
    let docs = docs(db, read_source);
    let mut store = config::open_store(&resolved(weft_dir, &config.store))?;
    let mut embedder = config::load_embedder(config)?;
    let report = weft_dense::sync(&mut *store, &mut *embedder, docs, progress)
        .with_context(|| format!("updating the vectors in {}", store.describe()))?;
    Ok((report, store.describe()))
}

/// The dense config beside a snapshot, for search: `None` when there is
/// none, or when this build cannot use it (and why).
pub fn search_config(weft_dir: &Path) -> Result<(Option<DenseConfig>, Option<String>)> {
    Ok(match DenseConfig::find(weft_dir)? {
        Some(c) => match config::missing_features(&c) {
            Some(why) => (None, Some(why.to_string())),
            None => (Some(c), None),
        },
        None => (None, None),
    })
}

/// How many candidates each ranking gives the fusion.
pub const CANDIDATES: u32 = 100;

/// Fuse `lexical` (BM25 hits, best first, at least [`CANDIDATES`] asked
/// for) with the nearest vectors to the query, by reciprocal rank fusion.
/// Scores are the fused ones, to 6 decimals.
pub fn hybrid(
    db: &RootDatabase,
    weft_dir: &Path,
    config: &DenseConfig,
    query: &str,
    f: &crate::Filter,
    limit: u32,
    lexical: Vec<SearchHit>,
) -> Result<Vec<SearchHit>> {
    let (kinds, langs, path) = (&f.kinds, &f.langs, f.path.as_deref());
    let store = config::open_store(&resolved(weft_dir, &config.store))?;
    let mut embedder = config::load_embedder(config)?;
    let vector = embedder.embed(&[query])?.remove(0);
    let filter = Filter {
        kinds: kinds.iter().map(|k| k.as_str().to_string()).collect(),
        langs: langs.iter().map(|l| l.as_str().to_string()).collect(),
    };
    // with a path glob, ask for more: the store cannot apply it
    let asked = if path.is_some() {
        CANDIDATES * 4
    } else {
        CANDIDATES
    };
    let glob = path.map(weft_db::search::path_glob);
    let mut dense = Vec::new();
    for (id, _) in store.nearest(&vector, &filter, asked as usize)? {
        // vectors of symbols deleted since the last `weft index` are skipped
        let Some(loc) = find_by_id(db, weft_db::SymbolId(id)) else {
            continue;
        };
        let rec = symbol_record(db, loc);
        if glob
            .as_deref()
            .is_some_and(|g| !weft_db::search::glob_matches(g, &rec.file))
        {
            continue;
        }
        dense.push(rec);
        if dense.len() == CANDIDATES as usize {
            break;
        }
    }
    let lexical_ids: Vec<u64> = lexical.iter().map(|h| h.symbol.id.0).collect();
    let dense_ids: Vec<u64> = dense.iter().map(|r| r.id.0).collect();
    let mut records: std::collections::HashMap<u64, weft_db::SymbolRecord> = dense
        .into_iter()
        .map(|r| (r.id.0, r))
        .chain(lexical.into_iter().map(|h| (h.symbol.id.0, h.symbol)))
        .collect();
    Ok(rrf(&[&lexical_ids, &dense_ids], RRF_K)
        .into_iter()
        .take(limit as usize)
        .filter_map(|(id, score)| {
            Some(SearchHit {
                score: (score * 1e6).round() / 1e6,
                symbol: records.remove(&id)?,
            })
        })
        .collect())
}
