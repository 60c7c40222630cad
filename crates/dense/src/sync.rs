//! Bring a vector store in line with the symbols of a snapshot: embed
//! only symbols whose text changed (by content hash), drop the ones that
//! are gone.

use std::collections::HashSet;

use anyhow::Result;

use crate::store::{Meta, Point, VectorStore};
use crate::text::content_hash;

/// A text embedder. Vectors come back L2-normalised, one per text.
pub trait Embedder {
    /// Names the model in content hashes: another model re-embeds all.
    fn model(&self) -> &str;
    fn embed(&mut self, texts: &[&str]) -> Result<Vec<Vec<f32>>>;
}

/// One symbol as the store should hold it.
#[derive(Clone, Debug)]
pub struct Doc {
    pub id: u64,
    pub text: String,
    pub kind: String,
    pub lang: String,
    pub path: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub embedded: usize,
    pub kept: usize,
    pub removed: usize,
}

/// Texts embedded per call: enough to amortise a batch, small enough that
/// an interrupted run keeps most of its work (each batch is stored).
pub const BATCH: usize = 32;

/// Embed what changed, upsert it batch by batch, delete what is gone,
/// then finish the store. `progress(done, total)` follows the embedding.
/// A symbol id given twice keeps its first document.
pub fn sync(
    store: &mut dyn VectorStore,
    embedder: &mut dyn Embedder,
    docs: Vec<Doc>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<SyncReport> {
    let have = store.hashes()?;
    let mut seen = HashSet::new();
    let mut todo = Vec::new();
    let mut kept = 0;
    for d in docs {
        if !seen.insert(d.id) {
            continue;
        }
        let hash = content_hash(embedder.model(), &d.text);
        if have.get(&d.id) == Some(&hash) {
            kept += 1;
        } else {
            todo.push((d, hash));
        }
    }
    let gone: Vec<u64> = have
        .keys()
        .filter(|id| !seen.contains(id))
        .copied()
        .collect();
    let total = todo.len();
    progress(0, total);
    for (n, batch) in todo.chunks(BATCH).enumerate() {
        let texts: Vec<&str> = batch.iter().map(|(d, _)| d.text.as_str()).collect();
        let vectors = embedder.embed(&texts)?;
        anyhow::ensure!(
            vectors.len() == batch.len(),
            "the model gave {} vectors for {} texts",
            vectors.len(),
            batch.len()
        );
        let points = batch
            .iter()
            .zip(vectors)
            .map(|((d, hash), vector)| Point {
                id: d.id,
                vector,
                meta: Meta {
                    kind: d.kind.clone(),
                    lang: d.lang.clone(),
                    path: d.path.clone(),
                    hash: hash.clone(),
                },
            })
            .collect();
        store.upsert(points)?;
        progress((n * BATCH + batch.len()).min(total), total);
    }
    if !gone.is_empty() {
        store.delete(&gone)?;
    }
    store.finish()?;
    Ok(SyncReport {
        embedded: total,
        kept,
        removed: gone.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ExactStore, Filter};

    /// Deterministic vectors from the text's bytes; counts its calls.
    struct Fake {
        texts: usize,
    }

    impl Embedder for Fake {
        fn model(&self) -> &str {
            "fake"
        }
        fn embed(&mut self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
            self.texts += texts.len();
            Ok(texts
                .iter()
                .map(|t| {
                    let h = blake3::hash(t.as_bytes());
                    h.as_bytes()[..8]
                        .iter()
                        .map(|b| *b as f32 - 127.5)
                        .collect()
                })
                .collect())
        }
    }

    fn doc(id: u64, text: &str) -> Doc {
        Doc {
            id,
            text: text.into(),
            kind: if id.is_multiple_of(2) {
                "function"
            } else {
                "struct"
            }
            .into(),
            lang: "rust".into(),
            path: format!("src/{id}.rs"),
        }
    }

    #[test]
    fn only_changed_texts_are_embedded_and_gone_ids_removed() {
        let mut store = ExactStore::default();
        let mut fake = Fake { texts: 0 };
        let docs: Vec<Doc> = (0..70).map(|i| doc(i, &format!("text {i}"))).collect();
        let mut calls = Vec::new();
        let r = sync(&mut store, &mut fake, docs.clone(), &mut |d, t| {
            calls.push((d, t))
        })
        .unwrap();
        assert_eq!(
            r,
            SyncReport {
                embedded: 70,
                kept: 0,
                removed: 0
            }
        );
        assert_eq!(calls.last(), Some(&(70, 70)));
        assert_eq!(calls.len(), 4, "one call before, one per batch of {BATCH}");
        assert_eq!(store.len().unwrap(), 70);

        // one text edited, two symbols gone, one new, one duplicate id
        let mut next: Vec<Doc> = docs
            .into_iter()
            .filter(|d| d.id != 5 && d.id != 6)
            .collect();
        next[0].text = "edited".into();
        next.push(doc(100, "new"));
        next.push(doc(100, "a second definition with the same id"));
        fake.texts = 0;
        let r = sync(&mut store, &mut fake, next, &mut |_, _| {}).unwrap();
        assert_eq!(
            r,
            SyncReport {
                embedded: 2,
                kept: 67,
                removed: 2
            }
        );
        assert_eq!(fake.texts, 2);
        let hashes = store.hashes().unwrap();
        assert!(!hashes.contains_key(&5) && !hashes.contains_key(&6));
        assert_eq!(hashes[&100], content_hash("fake", "new"));
        assert_eq!(hashes[&0], content_hash("fake", "edited"));

        // the edited text is what is found now
        let v = fake.embed(&["edited"]).unwrap().remove(0);
        let hit = store.nearest(&v, &Filter::default(), 1).unwrap();
        assert_eq!(hit[0].0, 0);
        assert!((hit[0].1 - 1.0).abs() < 1e-5);
        let only_structs = Filter {
            kinds: vec!["struct".into()],
            langs: vec![],
        };
        assert!(
            store
                .nearest(&v, &only_structs, 100)
                .unwrap()
                .iter()
                .all(|(id, _)| id % 2 == 1)
        );

        // nothing changed: nothing embedded
        fake.texts = 0;
        let again: Vec<Doc> = (0..3).map(|i| doc(i, &format!("text {i}"))).collect();
        let r = sync(&mut store, &mut fake, again, &mut |_, _| {}).unwrap();
        assert_eq!(
            (r.embedded, r.kept),
            (1, 2),
            "id 0 goes back to its first text"
        );
    }
}
