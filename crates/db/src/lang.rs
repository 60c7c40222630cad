//! Languages by name. weft-db knows no language: a language is a name that
//! someone registered, the parsing host from its registry
//! (`weft_queries::languages`), a reader from the snapshot's `languages`
//! meta row. A [`Lang`] is an index into one process-wide, append-only
//! table, so it stays a copyable byte and reading its name takes no lock.

use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How many distinct languages one process can know.
const CAPACITY: usize = 256;

/// A source language, by its registered name (`rust`, `python`...).
/// Ordered by name, so listings are the same in every process.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lang(u8);

struct Entry {
    name: &'static str,
    aliases: &'static [&'static str],
}

static TABLE: [OnceLock<Entry>; CAPACITY] = [const { OnceLock::new() }; CAPACITY];
/// Serializes appends; readers go through `TABLE` alone.
static APPEND: Mutex<usize> = Mutex::new(0);

/// Why a name cannot be a language.
#[derive(Debug, PartialEq, Eq)]
pub struct BadLanguageName(pub String);

impl std::fmt::Display for BadLanguageName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is not a language name: lowercase letters, digits, `_` and `-`, at most 32, and at most {CAPACITY} languages",
            self.0
        )
    }
}

impl Lang {
    /// The language named `name`, registering it (with `aliases`, also
    /// accepted by [`Lang::parse`]) the first time. Names are inlined into
    /// SQL filters, so only `[a-z0-9_-]` is accepted.
    pub fn register(name: &str, aliases: &[&str]) -> Result<Lang, BadLanguageName> {
        if let Some(l) = Lang::named(name) {
            return Ok(l);
        }
        let valid = |s: &str| {
            !s.is_empty()
                && s.len() <= 32
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        };
        if !valid(name) || !aliases.iter().all(|a| valid(a)) {
            return Err(BadLanguageName(name.to_string()));
        }
        let mut len = APPEND.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(l) = Lang::named(name) {
            return Ok(l); // registered while we waited
        }
        if *len == CAPACITY {
            return Err(BadLanguageName(name.to_string()));
        }
        let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
        let aliases: Vec<&'static str> = aliases.iter().map(|a| leak(a)).collect();
        let entry = Entry {
            name: leak(name),
            aliases: Box::leak(aliases.into_boxed_slice()),
        };
        let _ = TABLE[*len].set(entry);
        *len += 1;
        Ok(Lang((*len - 1) as u8))
    }

    /// A known language by its name or one of its aliases.
    pub fn parse(s: &str) -> Option<Lang> {
        Lang::named(s).or_else(|| {
            Lang::known()
                .into_iter()
                .find(|l| l.entry().aliases.contains(&s))
        })
    }

    fn named(name: &str) -> Option<Lang> {
        TABLE
            .iter()
            .map_while(OnceLock::get)
            .position(|e| e.name == name)
            .map(|i| Lang(i as u8))
    }

    /// Every known language, in the order they were registered.
    pub fn known() -> Vec<Lang> {
        let n = TABLE.iter().map_while(OnceLock::get).count();
        (0..n).map(|i| Lang(i as u8)).collect()
    }

    fn entry(self) -> &'static Entry {
        TABLE[self.0 as usize]
            .get()
            .expect("a Lang is only made for a registered entry")
    }

    /// Dense, below 256, this process's only: for tables indexed by language.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub fn as_str(self) -> &'static str {
        self.entry().name
    }

    pub fn aliases(self) -> &'static [&'static str] {
        self.entry().aliases
    }

    /// The known languages and their aliases, as the snapshot's
    /// `languages` meta row stores them: `rust:rs python:py ...`.
    pub fn catalog() -> String {
        Lang::known()
            .iter()
            .map(|l| {
                std::iter::once(l.as_str())
                    .chain(l.aliases().iter().copied())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Register every language of a [`Lang::catalog`] string.
    pub fn register_catalog(catalog: &str) -> Result<(), BadLanguageName> {
        for entry in catalog.split_whitespace() {
            let mut parts = entry.split(',');
            let name = parts.next().unwrap_or_default();
            let aliases: Vec<&str> = parts.collect();
            Lang::register(name, &aliases)?;
        }
        Ok(())
    }
}

impl PartialOrd for Lang {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Lang {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Lang({})", self.as_str())
    }
}

/// By name: the index is this process's only.
impl Serialize for Lang {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Lang::register(&name, &[]).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_registers_once_and_reads_back() {
        let a = Lang::register("test-lang-a", &["tla"]).unwrap();
        assert_eq!(Lang::register("test-lang-a", &[]).unwrap(), a);
        assert_eq!(a.as_str(), "test-lang-a");
        assert_eq!(Lang::parse("tla"), Some(a));
        assert_eq!(Lang::parse("test-lang-a"), Some(a));
        assert_eq!(Lang::parse("no-such-test-lang"), None);
        assert!(Lang::known().contains(&a));
        assert!(Lang::catalog().contains("test-lang-a,tla"));
    }

    #[test]
    fn names_that_could_break_sql_are_refused() {
        for bad in ["", "Rust", "a'b", "a b", "x;--", &"x".repeat(33)] {
            assert!(Lang::register(bad, &[]).is_err(), "{bad:?}");
        }
        assert!(Lang::register("ok-name", &["bad alias"]).is_err());
    }

    #[test]
    fn serializes_by_name() {
        let l = Lang::register("test-lang-b", &[]).unwrap();
        let json = serde_json::to_string(&l).unwrap();
        assert_eq!(json, "\"test-lang-b\"");
        let back: Lang = serde_json::from_str("\"test-lang-c\"").unwrap();
        assert_eq!(back.as_str(), "test-lang-c");
        let bytes = postcard::to_allocvec(&l).unwrap();
        assert_eq!(postcard::from_bytes::<Lang>(&bytes).unwrap(), l);
    }

    #[test]
    fn a_catalog_round_trips() {
        Lang::register_catalog("test-lang-d,tld test-lang-e").unwrap();
        assert_eq!(Lang::parse("tld").map(Lang::as_str), Some("test-lang-d"));
        assert!(Lang::parse("test-lang-e").is_some());
        assert!(Lang::register_catalog("Bad!").is_err());
    }
}
