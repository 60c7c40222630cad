//! Whether anyone still wants an answer being computed, and how to stop
//! computing it: a client gone, a deadline passed or `$/cancelRequest`
//! trips the salsa cancellation token of the handle computing it, so the
//! work stops at its next query instead of running to its end.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use weft_queries::{CancellationToken, RootDatabase};

#[derive(Default)]
pub struct Interest {
    lost: AtomicBool,
    token: Mutex<Option<CancellationToken>>,
}

impl Interest {
    pub fn wanted(&self) -> bool {
        !self.lost.load(Ordering::Relaxed)
    }

    /// The handle about to compute the answer (again, after a change).
    pub fn computing_on(&self, db: &RootDatabase) {
        let t = weft_queries::cancellation_token(db);
        if !self.wanted() {
            t.cancel();
        }
        *self.token.lock().unwrap() = Some(t);
    }

    /// Nobody wants it any more: stop the computation.
    pub fn lose(&self) {
        self.lost.store(true, Ordering::Relaxed);
        if let Some(t) = self.token.lock().unwrap().as_ref() {
            t.cancel();
        }
    }
}

/// Loses the interest when dropped: held by whoever waits for the answer.
pub struct LoseOnDrop(pub std::sync::Arc<Interest>);

impl Drop for LoseOnDrop {
    fn drop(&mut self) {
        self.0.lose();
    }
}
