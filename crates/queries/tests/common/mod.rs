//! Shared by the engine's integration tests.

use weft_queries::{AnalysisHost, Change};

/// A host holding `files` (manifests among them, such as `go.mod`, as
/// manifests), in a crate named `demo`.
pub fn host(files: &[(&str, &str)]) -> AnalysisHost {
    let mut h = AnalysisHost::new();
    let mut c = Change::default();
    c.set_manifest("Cargo.toml", "[package]\nname = \"demo\"\n");
    for (p, t) in files {
        if weft_queries::is_manifest(p) {
            c.set_manifest(*p, *t);
        } else {
            c.set_file(*p, *t);
        }
    }
    h.apply_change(c);
    h
}
