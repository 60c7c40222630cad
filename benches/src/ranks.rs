//! Ranks of the expected answers and the scores over them, shared by the
//! lexical and the dense search evaluations.

use serde_json::json;

/// Where each query's answer ranked (None: not in the top 10).
#[derive(Default)]
pub(crate) struct Ranks(Vec<Option<usize>>);

impl Ranks {
    pub(crate) fn add(&mut self, rank: Option<usize>) {
        self.0.push(rank);
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        let n = self.0.len().max(1) as f64;
        let mrr: f64 = self.0.iter().flatten().map(|r| 1.0 / (r + 1) as f64).sum();
        let at = |k: usize| self.0.iter().flatten().filter(|r| **r < k).count() as f64 / n;
        json!({"mrr_at_10": mrr / n, "recall_at_1": at(1), "recall_at_10": at(10)})
    }
}
