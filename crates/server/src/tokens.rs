//! Token counting for `weft context` and `weft map` budgets.

use clap::ValueEnum;

/// How budgets are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Tokenizer {
    /// OpenAI's o200k_base BPE (GPT-4o and later), exact.
    O200k,
    /// OpenAI's cl100k_base BPE (GPT-4, GPT-3.5), exact.
    Cl100k,
    /// An estimate with no vocabulary: one token per 4 bytes, rounded up.
    /// Packs of Rust measured 3.4-3.7 bytes per o200k token, so this
    /// undercounts by 10-15%; leave that margin in the budget.
    Bytes,
}

impl Tokenizer {
    pub fn name(self) -> &'static str {
        match self {
            Tokenizer::O200k => "o200k_base",
            Tokenizer::Cl100k => "cl100k_base",
            Tokenizer::Bytes => "bytes/4",
        }
    }

    /// A counter. The BPE tables ship inside the binary (tiktoken-rs bundles
    /// them): nothing is downloaded.
    pub fn counter(self) -> Box<dyn Fn(&str) -> usize + Sync> {
        match self {
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
}
