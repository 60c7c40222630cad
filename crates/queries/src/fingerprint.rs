//! What produced a snapshot's facts, as one short hash: the extraction
//! code, every language's own sources and `.scm` queries, and the pinned
//! grammar versions. Any change to them makes stored facts stale, so the
//! snapshot is rebuilt rather than trusted.

use crate::facts::FACTS_FORMAT;

pub fn extractor_fingerprint() -> &'static str {
    static FP: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    FP.get_or_init(|| {
        let mut h = blake3::Hasher::new();
        h.update(&[FACTS_FORMAT]);
        for part in [
            env!("CARGO_PKG_VERSION"),
            include_str!("facts/mod.rs"),
            include_str!("syntax.rs"),
            include_str!("extract/mod.rs"),
            include_str!("extract/exprs.rs"),
            include_str!("extract/finish.rs"),
            include_str!("extract/occurrences.rs"),
            include_str!("extract/refs.rs"),
            include_str!("extract/scopes.rs"),
            include_str!("body_digest.rs"),
            include_str!("lang/mod.rs"),
            include_str!("languages/mod.rs"),
            include_str!("../../../Cargo.toml"),
            include_str!("../Cargo.toml"),
        ] {
            h.update(part.as_bytes());
        }
        for s in crate::languages::all().all() {
            for part in s.sources {
                h.update(part.as_bytes());
            }
            for g in s.grammars {
                for q in g.query {
                    h.update(q.as_bytes());
                }
            }
        }
        h.finalize().to_hex()[..16].to_string()
    })
}
