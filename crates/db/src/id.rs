use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A symbol's identity across edits, processes and replicas.
///
/// Derived with blake3 from what survives an edit — the file path, the
/// symbol's qualified name inside the file, its kind and a disambiguator for
/// same-named siblings — never from positions, so moving a function down a
/// file keeps its id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SymbolId(pub u64);

impl SymbolId {
    pub fn derive(path: &str, qualified_name: &str, kind: &str, disambiguator: u32) -> SymbolId {
        let mut h = blake3::Hasher::new();
        for part in [path, qualified_name, kind] {
            h.update(part.as_bytes());
            h.update(&[0]);
        }
        h.update(&disambiguator.to_le_bytes());
        let bytes = h.finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&bytes.as_bytes()[..8]);
        SymbolId(u64::from_be_bytes(first))
    }
}

impl fmt::Display for SymbolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl fmt::Debug for SymbolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SymbolId({self})")
    }
}

impl FromStr for SymbolId {
    type Err = std::num::ParseIntError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        u64::from_str_radix(s, 16).map(SymbolId)
    }
}

impl Serialize for SymbolId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SymbolId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_depend_on_identity_not_position() {
        let a = SymbolId::derive("src/a.rs", "Foo::bar", "method", 0);
        assert_eq!(a, SymbolId::derive("src/a.rs", "Foo::bar", "method", 0));
        assert_ne!(a, SymbolId::derive("src/b.rs", "Foo::bar", "method", 0));
        assert_ne!(a, SymbolId::derive("src/a.rs", "Foo::bar", "function", 0));
        assert_ne!(a, SymbolId::derive("src/a.rs", "Foo::bar", "method", 1));
        // Field boundaries matter: "ab"+"c" must differ from "a"+"bc".
        assert_ne!(
            SymbolId::derive("ab", "c", "k", 0),
            SymbolId::derive("a", "bc", "k", 0)
        );
    }

    #[test]
    fn ids_round_trip_through_text() {
        let a = SymbolId::derive("x.py", "C.m", "method", 0);
        assert_eq!(a.to_string().parse::<SymbolId>().unwrap(), a);
        assert_eq!(a.to_string().len(), 16);
    }
}
