//! Reciprocal rank fusion: each list gives an item `1 / (k + rank)`
//! (rank from 1), and the sums rank the union. It needs no score
//! calibration between BM25 and cosine, which is why hybrid search uses it.

use std::collections::HashMap;
use std::hash::Hash;

/// The usual constant (Cormack et al. 2009), also Qdrant's default.
pub const RRF_K: f64 = 60.0;

/// Fuse ranked lists (best first) into one, best first. Ties keep the
/// order of the earliest list that holds the item.
pub fn rrf<T: Copy + Eq + Hash>(lists: &[&[T]], k: f64) -> Vec<(T, f64)> {
    let mut score: HashMap<T, (f64, usize)> = HashMap::new();
    let mut order = 0usize;
    for list in lists {
        for (rank, item) in list.iter().enumerate() {
            let e = score.entry(*item).or_insert_with(|| {
                order += 1;
                (0.0, order)
            });
            e.0 += 1.0 / (k + rank as f64 + 1.0);
        }
    }
    let mut out: Vec<(T, f64, usize)> = score.into_iter().map(|(t, (s, o))| (t, s, o)).collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
    out.into_iter().map(|(t, s, _)| (t, s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_both_lists_rank_beats_one_only_one_list_ranks_first() {
        let lexical = [1u64, 2, 3];
        let dense = [4u64, 2, 5];
        let fused = rrf(&[&lexical, &dense], RRF_K);
        assert_eq!(fused[0].0, 2, "{fused:?}");
        assert!((fused[0].1 - 2.0 / 62.0).abs() < 1e-12);
        // 1 and 4 both rank first in one list: the earlier list's wins the tie
        assert_eq!(fused[1].0, 1);
        assert_eq!(fused[2].0, 4);
        assert_eq!(fused.len(), 5);
    }

    #[test]
    fn one_list_keeps_its_order() {
        let only = [9u64, 3, 7];
        let fused: Vec<u64> = rrf(&[&only], RRF_K).into_iter().map(|x| x.0).collect();
        assert_eq!(fused, only);
        assert!(rrf::<u64>(&[], RRF_K).is_empty());
    }
}
