//! Facts in the snapshot's blob format (postcard + zstd), held instead of
//! decoded facts where memory matters: see [`crate::facts_cache`].

use std::sync::Arc;

use weft_db::word_filter::WordFilter;

use super::{FileFacts, decode_facts};

/// One file's facts as a snapshot stores them: stamped with the hash of
/// the text they describe, then encoded.
#[derive(Debug, PartialEq, Eq)]
pub struct Encoded {
    pub hash: blake3::Hash,
    pub blob: Vec<u8>,
    /// The text's words, when the snapshot kept them (see [`crate::db::file_words`]).
    pub words: Option<Arc<WordFilter>>,
}

impl Encoded {
    /// The facts, without their stamp (facts just parsed carry none).
    pub fn decode(&self) -> Option<FileFacts> {
        let mut facts = decode_facts(&self.blob).ok()?;
        facts.source_hash = None;
        Some(facts)
    }
}

/// Facts a file is given instead of its text (a warm start, another
/// version of the tree): extraction returns these without parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoredFacts {
    Decoded(Arc<FileFacts>),
    /// Decoded when asked for, and only the most recently used kept so:
    /// a warm start holds every file's facts at the size of its snapshot.
    Encoded(Arc<Encoded>),
}
