//! API answers in postcard (`Accept: application/x-postcard`).
//!
//! The API's answers are JSON documents whose shape depends on the route.
//! postcard is not self-describing, so a `serde_json::Value` can be written
//! but not read back; [`Value`] is the same tree as an enum postcard carries
//! both ways. A Rust client decodes a body with [`decode_answer`].

use serde::{Deserialize, Serialize};

use crate::codec::{self, DecodeError};

/// The format byte in front of every postcard answer; bumped when
/// [`Answer`] or [`Value`] change layout.
pub const FORMAT: u8 = 2;

/// The media type of a postcard answer.
pub const MEDIA_TYPE: &str = "application/x-postcard";

/// A JSON value. Object members keep their order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

/// A whole answer: the revision it was computed at and the result, the
/// same two members as the JSON body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub revision: u64,
    pub result: Value,
}

pub fn encode_answer(a: &Answer) -> Vec<u8> {
    codec::encode(FORMAT, a)
}

pub fn decode_answer(bytes: &[u8]) -> Result<Answer, DecodeError> {
    codec::decode(FORMAT, bytes)
}

impl From<&serde_json::Value> for Value {
    fn from(v: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        match v {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Value::Int(i),
                (None, Some(u)) => Value::UInt(u),
                _ => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::String(s) => Value::String(s.clone()),
            J::Array(a) => Value::Array(a.iter().map(Value::from).collect()),
            J::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), v.into())).collect()),
        }
    }
}

impl From<Value> for serde_json::Value {
    fn from(v: Value) -> serde_json::Value {
        use serde_json::Value as J;
        match v {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(b),
            Value::Int(i) => J::from(i),
            Value::UInt(u) => J::from(u),
            // JSON has no NaN or infinity; serde_json writes them as null too
            Value::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s),
            Value::Array(a) => J::Array(a.into_iter().map(J::from).collect()),
            Value::Object(o) => J::Object(o.into_iter().map(|(k, v)| (k, v.into())).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip_through_postcard_and_back_to_the_same_json() {
        let json = serde_json::json!({
            "target": {"name": "parse", "span": [1, 2, 3, 4], "kind": "function"},
            "callers": [{"distance": 1, "score": 0.5, "path": [], "neg": -3, "big": u64::MAX}],
            "none": null, "yes": true,
        });
        let a = Answer {
            revision: 42,
            result: (&json).into(),
        };
        let bytes = encode_answer(&a);
        let back = decode_answer(&bytes).unwrap();
        assert_eq!(back, a);
        assert_eq!(serde_json::Value::from(back.result), json);
        assert!(matches!(
            decode_answer(&bytes[..bytes.len() - 1]),
            Err(DecodeError::Malformed(_))
        ));
    }
}
