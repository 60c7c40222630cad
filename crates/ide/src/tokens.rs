//! Counting tokens for the budgets of `context` and `map`.

use weft_db::api::Tokenizer;

/// A counter. The BPE tables ship inside the binary (tiktoken-rs bundles
/// them): nothing is downloaded.
pub fn counter(t: Tokenizer) -> Box<dyn Fn(&str) -> usize + Sync> {
    match t {
        Tokenizer::O200k => {
            let bpe = tiktoken_rs::o200k_base_singleton();
            Box::new(move |s| bpe.encode_ordinary(s).len())
        }
        Tokenizer::Cl100k => {
            let bpe = tiktoken_rs::cl100k_base_singleton();
            Box::new(move |s| bpe.encode_ordinary(s).len())
        }
        Tokenizer::Bytes => Box::new(|s| s.len().div_ceil(4)),
    }
}
