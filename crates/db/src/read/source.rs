//! Where a reader's rows come from: one async method, so the same queries
//! run over rusqlite (native: it completes at once) and Cloudflare D1 (a
//! JavaScript promise per statement).

use std::future::Future;
use std::task::{Context, Poll, Waker};

/// A bound parameter or a column value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl Value {
    /// As an integer. D1 hands integers to JavaScript as doubles: exact
    /// below 2^53, which holds for every integer the read queries select
    /// (symbol ids travel as text).
    pub fn int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Real(f) if f.fract() == 0.0 => Some(*f as i64),
            Value::Text(t) => t.parse().ok(),
            _ => None,
        }
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

/// A row source failed: the database is gone, or a statement was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceError(pub String);

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Runs one `SELECT` with positional parameters (`?1`, `?2`, ...) and
/// returns every row. The SQL is SQLite's, which D1 speaks.
#[allow(async_fn_in_trait)] // used with concrete types only, never spawned
pub trait RowSource {
    async fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, SourceError>;
}

/// Run a future that never waits, such as a query over a synchronous row
/// source, to its end on this thread.
pub fn now<F: Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("a synchronous row source returned a pending future"),
    }
}
