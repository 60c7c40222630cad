//! An update written as it is computed: rows and facts flow into one open
//! transaction a chunk at a time, so a first index of a big repository
//! never holds all its rows (or all its encoded facts) at once.

use std::collections::HashMap;

use anyhow::Result;
use rayon::prelude::*;
use weft_db::rows::FileRows;
use weft_db::store::{Batch, Store, StoredFile, Update, WriteReport};

/// Files whose rows (or facts) are written with one statement batch.
const CHUNK: usize = 2048;

pub(crate) struct Streamed<'s> {
    store: Option<&'s mut Store>,
    batch: Option<Batch<'s>>,
    pending: Update,
    /// Files whose rows the whole update recomputes (an upper bound of
    /// what it rewrites), and how many of them were compared so far.
    expected: usize,
    checked: usize,
    rows_rewritten: usize,
    unsaved: bool,
}

impl<'s> Streamed<'s> {
    /// `base` holds the states, removals and compiler answers: written
    /// first, so every file's id exists before its rows.
    pub(crate) fn new(store: &'s mut Store, expected: usize, base: Update) -> Self {
        Streamed {
            store: Some(store),
            batch: None,
            pending: base,
            expected,
            checked: 0,
            rows_rewritten: 0,
            unsaved: false,
        }
    }

    /// Recomputed rows: the ones that differ from the stored ones are
    /// written.
    pub(crate) fn rows(
        &mut self,
        rows: Vec<FileRows>,
        stored: &HashMap<String, StoredFile>,
    ) -> Result<()> {
        self.checked += rows.len();
        let differing = differing_rows(rows, stored);
        self.rows_rewritten += differing.len();
        self.pending.rows.extend(differing);
        self.flush_if_full()
    }

    /// Encoded facts by content hash.
    pub(crate) fn blobs(&mut self, blobs: Vec<weft_db::store::FactsBlob>) -> Result<()> {
        self.pending.blobs.extend(blobs);
        self.flush_if_full()
    }

    fn flush_if_full(&mut self) -> Result<()> {
        if self.pending.rows.len() + self.pending.blobs.len() >= CHUNK {
            self.flush(false)?;
        }
        Ok(())
    }

    fn flush(&mut self, last: bool) -> Result<()> {
        let part = std::mem::take(&mut self.pending);
        if part.is_empty() {
            return Ok(());
        }
        if self.batch.is_none() {
            let store = self.store.take().expect("a store or an open batch");
            if store.is_read_only() {
                self.unsaved = true;
                self.store = Some(store);
                return Ok(());
            }
            // What the whole update will rewrite, projected from the share
            // of compared files that differed (exact at the last part).
            let rows = if last || self.checked == 0 {
                part.rows.len()
            } else {
                part.rows.len() * self.expected / self.checked
            };
            self.batch = Some(store.begin(rows)?);
        }
        match &mut self.batch {
            Some(b) => b.put(&part)?,
            None => self.unsaved = true,
        }
        Ok(())
    }

    /// Write what is left and commit with `meta`.
    pub(crate) fn finish(mut self, meta: Vec<(String, String)>) -> Result<Outcome> {
        self.flush(true)?;
        let mut out = Outcome {
            write: None,
            rows_rewritten: self.rows_rewritten,
            unsaved: self.unsaved,
        };
        match (self.batch, self.store) {
            (Some(b), _) => out.write = Some(b.finish(&meta)?),
            (None, _) if meta.is_empty() => {}
            (None, Some(s)) if !s.is_read_only() => {
                out.write = Some(s.write(&Update {
                    meta,
                    ..Default::default()
                })?)
            }
            (None, _) => out.unsaved = true,
        }
        Ok(out)
    }
}

pub(crate) struct Outcome {
    /// `None` when nothing was written (nothing changed, or the store is
    /// read-only).
    pub write: Option<WriteReport>,
    pub rows_rewritten: usize,
    /// Something differed, but the store is read-only.
    pub unsaved: bool,
}

/// The rows whose digest differs from the stored file's, with the digest:
/// what an update must rewrite.
pub(crate) fn differing_rows(
    rows: Vec<FileRows>,
    stored: &HashMap<String, StoredFile>,
) -> Vec<(FileRows, String)> {
    rows.into_par_iter()
        .map(|r| {
            let d = r.digest();
            (r, d)
        })
        .filter(|(r, d)| stored.get(&r.path).is_none_or(|s| s.rows_hash != *d))
        .collect()
}
