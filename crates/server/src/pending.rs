//! Files the watcher has seen change that the writer has not applied yet.
//! Every agent answer lists them, so an answer computed a moment before an
//! edit lands says so instead of going silently stale; a client that must
//! see its own edit (the CLI through the daemon) waits for the list to
//! empty.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Pending {
    /// Path -> how many batches in flight name it (a path edited again while
    /// its first batch is applied stays pending until both are).
    batches: Mutex<BTreeMap<String, u32>>,
    drained: Condvar,
}

impl Pending {
    /// A batch being gathered names `path` (once per batch).
    pub fn add(&self, path: &str) {
        *self
            .batches
            .lock()
            .unwrap()
            .entry(path.to_string())
            .or_default() += 1;
    }

    /// A batch has been applied (or found to change nothing).
    pub fn done(&self, paths: &BTreeSet<String>) {
        let mut b = self.batches.lock().unwrap();
        for p in paths {
            if let Some(n) = b.get_mut(p) {
                *n -= 1;
                if *n == 0 {
                    b.remove(p);
                }
            }
        }
        if b.is_empty() {
            self.drained.notify_all();
        }
    }

    /// The pending paths, sorted.
    pub fn list(&self) -> Vec<String> {
        self.batches.lock().unwrap().keys().cloned().collect()
    }

    /// Wait until nothing is pending, at most `limit`; whether it emptied.
    pub fn wait_drained(&self, limit: Duration) -> bool {
        let end = Instant::now() + limit;
        let mut b = self.batches.lock().unwrap();
        while !b.is_empty() {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            b = self.drained.wait_timeout(b, left).unwrap().0;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_stays_pending_until_every_batch_naming_it_is_done() {
        let p = Pending::default();
        p.add("a.rs");
        p.add("a.rs");
        p.add("b.rs");
        let first: BTreeSet<String> = ["a.rs".to_string(), "b.rs".to_string()].into();
        p.done(&first);
        assert_eq!(p.list(), vec!["a.rs".to_string()]);
        assert!(!p.wait_drained(Duration::from_millis(10)));
        p.done(&["a.rs".to_string()].into());
        assert!(p.list().is_empty());
        assert!(p.wait_drained(Duration::ZERO));
    }
}
