//! Shared by the engine's integration tests.

use weft_queries::{AnalysisHost, Change};

/// A host holding `files`, in a crate named `demo`.
pub fn host(files: &[(&str, &str)]) -> AnalysisHost {
    let mut h = AnalysisHost::new();
    let mut c = Change::default();
    c.set_manifest("Cargo.toml", "[package]\nname = \"demo\"\n");
    for (p, t) in files {
        c.set_file(*p, *t);
    }
    h.apply_change(c);
    h
}
