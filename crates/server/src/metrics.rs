//! Prometheus text exposition, by hand: latency histograms per route,
//! watcher lag, and what the current revision holds.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0,
];

#[derive(Default, Clone)]
struct Histogram {
    counts: Vec<u64>,
    sum: f64,
    n: u64,
}

impl Histogram {
    fn observe(&mut self, v: f64) {
        if self.counts.is_empty() {
            self.counts = vec![0; BUCKETS.len()];
        }
        for (i, b) in BUCKETS.iter().enumerate() {
            if v <= *b {
                self.counts[i] += 1;
            }
        }
        self.sum += v;
        self.n += 1;
    }

    fn write(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (i, b) in BUCKETS.iter().enumerate() {
            let c = self.counts.get(i).copied().unwrap_or(0);
            let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{b}\"}} {c}");
        }
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}", self.n);
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {}", self.sum);
        let _ = writeln!(out, "{name}_count{braces} {}", self.n);
    }
}

pub struct Metrics {
    /// (route, status class) -> latency histogram
    requests: Mutex<BTreeMap<(String, u16), Histogram>>,
    lag: Mutex<Histogram>,
    retries: AtomicU64,
    snapshot_lost: AtomicU64,
    /// The last revision's counts: computing them reads the whole graph.
    counts: Mutex<Option<Arc<GraphCounts>>>,
}

/// Counts of the served revision, computed once per revision.
pub struct GraphCounts {
    pub revision: u64,
    pub files: usize,
    pub symbols: usize,
    pub edges: BTreeMap<String, usize>,
}

impl Metrics {
    pub fn new() -> Self {
        Metrics {
            requests: Mutex::new(BTreeMap::new()),
            lag: Mutex::new(Histogram::default()),
            retries: AtomicU64::new(0),
            snapshot_lost: AtomicU64::new(0),
            counts: Mutex::new(None),
        }
    }

    pub fn counts_at(&self, revision: u64) -> Option<Arc<GraphCounts>> {
        self.counts
            .lock()
            .unwrap()
            .clone()
            .filter(|c| c.revision == revision)
    }

    pub fn keep_counts(&self, c: Arc<GraphCounts>) {
        *self.counts.lock().unwrap() = Some(c);
    }

    pub fn request(&self, route: &str, status: u16, seconds: f64) {
        self.requests
            .lock()
            .unwrap()
            .entry((route.to_string(), status))
            .or_default()
            .observe(seconds);
    }

    pub fn watcher_lag(&self, ms: f64) {
        self.lag.lock().unwrap().observe(ms / 1e3);
    }

    pub fn retried(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
    }

    /// The snapshot file went away under the server.
    pub fn snapshot_lost(&self) {
        self.snapshot_lost.store(1, Ordering::Relaxed);
    }

    pub fn render(&self, g: &GraphCounts) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP weft_request_duration_seconds Time to answer a request, by route and status.\n",
        );
        out.push_str("# TYPE weft_request_duration_seconds histogram\n");
        for ((route, status), h) in self.requests.lock().unwrap().iter() {
            h.write(
                &mut out,
                "weft_request_duration_seconds",
                &format!("route=\"{route}\",status=\"{status}\""),
            );
        }
        out.push_str("# HELP weft_watcher_lag_seconds From the first file event of a batch to its revision being served.\n");
        out.push_str("# TYPE weft_watcher_lag_seconds histogram\n");
        self.lag
            .lock()
            .unwrap()
            .write(&mut out, "weft_watcher_lag_seconds", "");
        let _ = writeln!(
            out,
            "# HELP weft_query_retries_total Queries cancelled by a change and run again on the next revision.\n# TYPE weft_query_retries_total counter\nweft_query_retries_total {}",
            self.retries.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP weft_snapshot_lost 1 once the snapshot file was deleted under the server: batches are no longer stored.\n# TYPE weft_snapshot_lost gauge\nweft_snapshot_lost {}",
            self.snapshot_lost.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP weft_revision The revision being served.\n# TYPE weft_revision gauge\nweft_revision {}",
            g.revision
        );
        let _ = writeln!(
            out,
            "# HELP weft_files Indexed files.\n# TYPE weft_files gauge\nweft_files {}",
            g.files
        );
        let _ = writeln!(
            out,
            "# HELP weft_symbols Definitions in the graph.\n# TYPE weft_symbols gauge\nweft_symbols {}",
            g.symbols
        );
        out.push_str("# HELP weft_edges Edges in the graph, by kind.\n# TYPE weft_edges gauge\n");
        for (k, n) in &g.edges {
            let _ = writeln!(out, "weft_edges{{kind=\"{k}\"}} {n}");
        }
        out
    }
}
