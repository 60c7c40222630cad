//! postcard behind a format byte: a value written by another layout of the
//! same types is recognised and refused, never misread.

use serde::{Serialize, de::DeserializeOwned};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("empty blob")]
    Empty,
    #[error("format {found}, expected {expected}")]
    Format { found: u8, expected: u8 },
    #[error("malformed: {0}")]
    Malformed(String),
}

/// `format` byte, then the postcard encoding of `value`.
pub fn encode<T: Serialize>(format: u8, value: &T) -> Vec<u8> {
    let out = vec![format];
    postcard::to_extend(value, out).expect("serializing to a Vec cannot fail")
}

pub fn decode<T: DeserializeOwned>(format: u8, bytes: &[u8]) -> Result<T, DecodeError> {
    let (&found, rest) = bytes.split_first().ok_or(DecodeError::Empty)?;
    if found != format {
        return Err(DecodeError::Format {
            found,
            expected: format,
        });
    }
    postcard::from_bytes(rest).map_err(|e| DecodeError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_another_format_and_garbage() {
        let b = encode(3, &("x", 7u32));
        assert_eq!(decode::<(String, u32)>(3, &b), Ok(("x".into(), 7)));
        assert_eq!(
            decode::<(String, u32)>(4, &b),
            Err(DecodeError::Format {
                found: 3,
                expected: 4
            })
        );
        assert_eq!(decode::<(String, u32)>(3, &[]), Err(DecodeError::Empty));
        assert!(matches!(
            decode::<(String, u32)>(3, &[3, 200]),
            Err(DecodeError::Malformed(_))
        ));
    }
}
