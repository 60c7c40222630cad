//! Where vectors live: one small trait, the same collection layout in
//! every backend.
//!
//! A point is one symbol: its id is the symbol id, its vector the
//! embedding of [`crate::text::symbol_text`] under [`crate::VECTOR_NAME`],
//! and its payload holds `kind`, `lang`, `path` (for filters) and `hash`
//! (the content hash of the text, so only changed symbols are embedded
//! again).

use std::collections::HashMap;

use anyhow::{Result, bail};

/// What a point carries besides its vector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    pub kind: String,
    pub lang: String,
    pub path: String,
    /// [`crate::text::content_hash`] of the embedded text.
    pub hash: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// The symbol id.
    pub id: u64,
    pub vector: Vec<f32>,
    pub meta: Meta,
}

/// Which points a search may return: each non-empty list must hold the
/// point's value. Paths are filtered by the caller (weft's globs are not
/// Qdrant's).
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub kinds: Vec<String>,
    pub langs: Vec<String>,
}

impl Filter {
    pub fn admits(&self, m: &Meta) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&m.kind))
            && (self.langs.is_empty() || self.langs.contains(&m.lang))
    }
}

/// A vector store. Writes take effect for the next read on the same
/// value; [`VectorStore::finish`] makes them durable and builds what
/// makes searches fast.
pub trait VectorStore {
    /// Insert or replace points by id.
    fn upsert(&mut self, points: Vec<Point>) -> Result<()>;
    fn delete(&mut self, ids: &[u64]) -> Result<()>;
    /// Every point's content hash, by id.
    fn hashes(&self) -> Result<HashMap<u64, String>>;
    /// The `limit` points nearest `vector` by cosine that `filter`
    /// admits, nearest first, with their similarity.
    fn nearest(&self, vector: &[f32], filter: &Filter, limit: usize) -> Result<Vec<(u64, f32)>>;
    fn len(&self) -> Result<usize>;
    fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }
    /// Flush to disk and build the search index.
    fn finish(&mut self) -> Result<()>;
    /// Where the vectors are, for messages.
    fn describe(&self) -> String;
}

/// Exact nearest neighbours over points in memory: the reference the
/// Qdrant backends are checked against, and the store of unit tests.
#[derive(Default)]
pub struct ExactStore {
    points: HashMap<u64, Point>,
}

pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (mut dot, mut na, mut nb) = (0f32, 0f32, 0f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na.sqrt() * nb.sqrt())
    }
}

/// Refuse a vector of the wrong size before it reaches a backend, whose
/// own error would not say which symbol.
pub fn check_dim(points: &[Point], dim: usize) -> Result<()> {
    if let Some(p) = points.iter().find(|p| p.vector.len() != dim) {
        bail!(
            "symbol {:016x}: a vector of {} numbers where the collection holds {dim}",
            p.id,
            p.vector.len()
        );
    }
    Ok(())
}

impl VectorStore for ExactStore {
    fn upsert(&mut self, points: Vec<Point>) -> Result<()> {
        for p in points {
            self.points.insert(p.id, p);
        }
        Ok(())
    }
    fn delete(&mut self, ids: &[u64]) -> Result<()> {
        for id in ids {
            self.points.remove(id);
        }
        Ok(())
    }
    fn hashes(&self) -> Result<HashMap<u64, String>> {
        Ok(self
            .points
            .values()
            .map(|p| (p.id, p.meta.hash.clone()))
            .collect())
    }
    fn nearest(&self, vector: &[f32], filter: &Filter, limit: usize) -> Result<Vec<(u64, f32)>> {
        let mut all: Vec<(u64, f32)> = self
            .points
            .values()
            .filter(|p| filter.admits(&p.meta))
            .map(|p| (p.id, cosine(vector, &p.vector)))
            .collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        all.truncate(limit);
        Ok(all)
    }
    fn len(&self) -> Result<usize> {
        Ok(self.points.len())
    }
    fn finish(&mut self) -> Result<()> {
        Ok(())
    }
    fn describe(&self) -> String {
        "memory".into()
    }
}
