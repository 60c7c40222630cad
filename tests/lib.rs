//! Shared helpers for weft's cross-crate tests: a tiny deterministic RNG
//! and a model of a multi-language repository that renders to source text.

use std::collections::BTreeMap;

use weft_queries::{AnalysisHost, Change};

pub mod model;

/// SplitMix64: deterministic, seedable, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> Option<&'a T> {
        if v.is_empty() {
            None
        } else {
            Some(&v[self.below(v.len())])
        }
    }
}

/// A knob from the environment (a seed, a step count), or its default.
pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Build a host from a path -> text map (manifests recognised by name).
pub fn host_from(files: &BTreeMap<String, String>) -> AnalysisHost {
    let mut h = AnalysisHost::new();
    let mut c = Change::default();
    for (p, t) in files {
        if weft_queries::is_manifest(p) {
            c.set_manifest(p.clone(), t.as_str());
        } else {
            c.set_file(p.clone(), t.as_str());
        }
    }
    h.apply_change(c);
    h
}

/// Every record of `weft export`, as JSON lines.
pub fn export(h: &AnalysisHost) -> Vec<String> {
    h.analysis()
        .with_db(|db| {
            weft_queries::export::all_records(db)
                .map(|r| serde_json::to_string(&r).unwrap())
                .collect()
        })
        .expect("not cancelled")
}
