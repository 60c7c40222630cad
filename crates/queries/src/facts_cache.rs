//! Parsed files' facts kept encoded (postcard + zstd, the snapshot's own
//! blob format), so the decoded facts can leave memory: salsa holds only
//! the most recently used ones (`extracted_facts` is an LRU query), and a
//! file whose facts were evicted gets them back by decoding, not parsing.
//! A first index thus never holds every file's decoded facts at once, and
//! the snapshot writes these same blobs instead of encoding again.
//!
//! Entries are keyed by file and checked against the blake3 of the text
//! they were extracted from, so a stale entry is never used: it is
//! replaced when its file is parsed again.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::facts::encoded::Encoded;
use crate::facts::{FileFacts, encode_facts};
use crate::inputs::SourceFile;

#[derive(Clone, Default)]
pub struct EncodedFacts(Arc<Mutex<FxHashMap<SourceFile, Arc<Encoded>>>>);

impl EncodedFacts {
    /// The facts stored for `file` if they describe the text hashing to
    /// `hash`.
    pub fn get(&self, file: SourceFile, hash: &blake3::Hash) -> Option<FileFacts> {
        self.encoded(file).filter(|e| e.hash == *hash)?.decode()
    }

    /// Keep `facts` of the text hashing to `hash`.
    pub fn put(&self, file: SourceFile, hash: blake3::Hash, facts: &mut FileFacts) {
        facts.source_hash = Some(*hash.as_bytes());
        let blob = encode_facts(facts);
        facts.source_hash = None;
        let e = Arc::new(Encoded {
            hash,
            blob,
            words: None,
        });
        self.0.lock().unwrap().insert(file, e);
    }

    pub fn encoded(&self, file: SourceFile) -> Option<Arc<Encoded>> {
        self.0.lock().unwrap().get(&file).cloned()
    }

    pub fn remove(&self, file: SourceFile) {
        self.0.lock().unwrap().remove(&file);
    }
}
