//! SCIP, the index format of Sourcegraph's compiler-grade indexers, both
//! ways: [`import`] lays an index's references over weft's own resolution
//! for the files it covers (resolution `compiler`); [`export`] writes weft's
//! graph as an index.

pub mod export;
pub mod import;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use weft_queries::compiler::MapCounts;
use weft_queries::facts::compiler::CompilerRefs;
use weft_queries::{AnalysisHost, Change};

/// The compiler answers an import laid over the graph, by file path.
pub type Overlays = Vec<(String, Arc<CompilerRefs>)>;

/// What importing one index did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct ImportReport {
    pub index: String,
    pub tool: String,
    pub documents: usize,
    /// Documents that are files of the tree.
    pub files: usize,
    /// Documents not found under the root (another checkout, generated
    /// files weft does not index).
    pub outside: usize,
    #[serde(flatten)]
    pub counts: MapCounts,
    /// References to a symbol defined in several places: left to weft.
    pub ambiguous: usize,
    /// References to a symbol of the indexed package that the index does
    /// not define: left to weft.
    pub undefined: usize,
}

/// Import the SCIP indexes at `paths` into `host`. Files covered by several
/// indexes get the union of their occurrences. Returns one report per
/// index and the overlays set, by path.
pub fn import_indexes(
    host: &mut AnalysisHost,
    root: &Path,
    paths: &[PathBuf],
) -> Result<(Vec<ImportReport>, Overlays)> {
    let readable = |rel: &str| -> Option<String> {
        host.file(rel)?;
        std::fs::read_to_string(root.join(rel)).ok()
    };
    let mut reports = Vec::new();
    let mut by_file: BTreeMap<String, (String, Vec<_>, Vec<usize>)> = BTreeMap::new();
    for (i, p) in paths.iter().enumerate() {
        let index = import::read_index(p, root, &readable)
            .with_context(|| format!("importing {}", p.display()))?;
        reports.push(ImportReport {
            index: p.display().to_string(),
            tool: index.tool,
            documents: index.documents,
            files: index.files.len(),
            outside: index.outside.len(),
            ambiguous: index.ambiguous,
            undefined: index.undefined,
            ..Default::default()
        });
        for f in index.files {
            let e = by_file
                .entry(f.path)
                .or_insert_with(|| (f.text, Vec::new(), Vec::new()));
            e.1.extend(f.occurrences);
            e.2.push(i);
        }
    }
    let mut change = Change::default();
    let mut overlays = Vec::new();
    for (path, (text, occurrences, from)) in by_file {
        let content = blake3::hash(text.as_bytes()).to_hex().to_string();
        let Some((refs, counts)) =
            host.map_compiler_occurrences(&path, &text, content, &occurrences)
        else {
            continue;
        };
        // Counts go to the first index covering the file.
        reports[from[0]].counts += counts;
        let refs = Arc::new(refs);
        change.set_compiler_refs(path.clone(), Some(refs.clone()));
        overlays.push((path, refs));
    }
    host.apply_change(change);
    Ok((reports, overlays))
}
