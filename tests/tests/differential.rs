//! Incremental equals fresh: a seeded random sequence of edits to a
//! multi-language repository; after every step the incremental database's
//! `export` must equal a fresh database's built from the same files.

use std::collections::BTreeMap;

use weft_queries::Change;
use weft_tests::model::Repo;
use weft_tests::{Rng, env_or, export, host_from};

#[test]
fn incremental_export_equals_fresh_after_every_edit() {
    let seed: u64 = env_or("WEFT_DIFF_SEED", 0x5eed);
    let steps: usize = env_or("WEFT_DIFF_STEPS", 220);
    let mut rng = Rng::new(seed);
    let mut repo = Repo::new(&mut rng);
    let mut before = repo.render();
    let mut host = host_from(&before);
    assert_eq!(export(&host), export(&host_from(&before)));
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for step in 0..steps {
        let kind = repo.edit(&mut rng);
        *kinds.entry(kind).or_default() += 1;
        let after = repo.render();
        let mut change = Change::default();
        for (p, t) in &after {
            if before.get(p) != Some(t) {
                if weft_queries::is_manifest(p) {
                    change.set_manifest(p.clone(), t.as_str())
                } else {
                    change.set_file(p.clone(), t.as_str())
                }
            }
        }
        for p in before.keys() {
            if !after.contains_key(p) {
                change.remove_file(p.clone());
            }
        }
        host.apply_change(change);
        let incremental = export(&host);
        let fresh = export(&host_from(&after));
        if incremental != fresh {
            let diff: Vec<_> = incremental
                .iter()
                .zip(&fresh)
                .filter(|(a, b)| a != b)
                .take(3)
                .collect();
            panic!(
                "step {step} ({kind}, seed {seed}): incremental export differs from fresh ({} vs {} records); first differences: {diff:#?}",
                incremental.len(),
                fresh.len()
            );
        }
        before = after;
    }
    // every kind of edit was exercised
    for k in [
        "body",
        "signature",
        "rename definition",
        "import",
        "add/remove definition",
        "new file",
        "delete file",
        "switch language",
        "syntax error toggled",
    ] {
        assert!(
            kinds.get(k).copied().unwrap_or(0) > 0,
            "no `{k}` edit in {kinds:?}"
        );
    }
}
