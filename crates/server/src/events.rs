//! Change events: a ring of recent batches for clients that reconnect with
//! `Last-Event-ID`, and a broadcast for the ones listening.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tokio::sync::broadcast;

/// One applied batch of file edits.
#[derive(Serialize, Debug, Clone)]
pub struct ChangeEvent {
    /// The revision the batch produced; also the SSE event id.
    pub revision: u64,
    /// Files added or whose content changed.
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    /// Definitions added, removed, renamed or changed in those files, as
    /// `weft diff` sees them (`weft_queries::change::symbol_changes`).
    pub symbols: Vec<SymbolChange>,
    /// Other files whose references may resolve differently now.
    pub affected: Vec<String>,
    /// Milliseconds from the first file event of the batch to the new
    /// revision being served.
    pub lag_ms: f64,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SymbolChange {
    pub file: String,
    /// The name inside the file (`Type::method`).
    pub name: String,
    pub kind: &'static str,
    /// `added`, `removed`, `renamed`, `signature`, `visibility` or `body`.
    pub change: &'static str,
    /// For `renamed`: where it was, and its name there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Was>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Was {
    pub file: String,
    pub name: String,
}

impl SymbolChange {
    pub fn of(c: &weft_queries::change::SymbolChange) -> SymbolChange {
        let v = c.current();
        SymbolChange {
            file: v.path.clone(),
            name: v.name.clone(),
            kind: c.kind.as_str(),
            change: c.change.as_str(),
            from: match (&c.change, &c.old) {
                (weft_queries::change::ChangeKind::Renamed, Some(o)) => Some(Was {
                    file: o.path.clone(),
                    name: o.name.clone(),
                }),
                _ => None,
            },
        }
    }
}

/// How many past events a reconnecting client can catch up on.
const KEEP: usize = 1024;

pub struct EventLog {
    recent: Mutex<VecDeque<Arc<ChangeEvent>>>,
    tx: broadcast::Sender<Arc<ChangeEvent>>,
}

/// What a (re)connecting client gets before the live stream.
pub enum CatchUp {
    /// The events after the client's last one, oldest first.
    Replay(Vec<Arc<ChangeEvent>>),
    /// The client's last event is older than what is kept: it must re-read.
    Resync,
}

impl EventLog {
    pub fn new() -> Self {
        EventLog {
            recent: Mutex::new(VecDeque::new()),
            tx: broadcast::channel(256).0,
        }
    }

    pub fn publish(&self, e: ChangeEvent) {
        let e = Arc::new(e);
        let mut recent = self.recent.lock().unwrap();
        recent.push_back(e.clone());
        if recent.len() > KEEP {
            recent.pop_front();
        }
        // No receivers is fine: nobody is listening.
        let _ = self.tx.send(e);
    }

    /// Subscribe, and say what the client missed since `last` (its
    /// `Last-Event-ID`); `current` is the revision served now.
    pub fn subscribe(
        &self,
        last: Option<u64>,
        current: u64,
    ) -> (broadcast::Receiver<Arc<ChangeEvent>>, CatchUp) {
        // Subscribe under the lock so no event falls between the replay
        // and the live stream.
        let recent = self.recent.lock().unwrap();
        let rx = self.tx.subscribe();
        let Some(last) = last else {
            return (rx, CatchUp::Replay(Vec::new()));
        };
        if last >= current {
            return (rx, CatchUp::Replay(Vec::new()));
        }
        let oldest = recent.front().map(|e| e.revision);
        match oldest {
            Some(o) if o <= last + 1 => (
                rx,
                CatchUp::Replay(
                    recent
                        .iter()
                        .filter(|e| e.revision > last)
                        .cloned()
                        .collect(),
                ),
            ),
            _ => (rx, CatchUp::Resync),
        }
    }
}
