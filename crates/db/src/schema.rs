//! The snapshot's SQL schema: one text for SQLite and Cloudflare D1.

/// Bump when a table or a column's meaning changes; a snapshot of another
/// version is rebuilt.
pub const SCHEMA_VERSION: u32 = 6;

/// `CREATE TABLE/INDEX IF NOT EXISTS` statements, `;`-separated, with
/// comments that document each table.
pub const SCHEMA: &str = include_str!("schema.sql");

/// The rows of the `enums` table: every code of every enumeration stored as
/// an integer, with its name. Codes are positions in the enums' `ALL`
/// lists: new variants go last (or bump [`SCHEMA_VERSION`]).
pub fn enum_rows() -> Vec<(&'static str, i64, &'static str)> {
    use crate::{Resolution, Role, SymbolKind};
    let mut v = Vec::new();
    v.extend(
        SymbolKind::ALL
            .iter()
            .map(|k| ("kind", code(*k), k.as_str())),
    );
    v.extend(Role::ALL.iter().map(|k| ("role", code(*k), k.as_str())));
    v.extend(
        Resolution::ALL
            .iter()
            .map(|k| ("resolution", code(*k), k.as_str())),
    );
    v
}

/// The stored code of an enumeration value.
pub fn code<T: Coded>(v: T) -> i64 {
    v.code()
}

/// Enumerations stored as integers.
pub trait Coded: Copy + PartialEq + 'static {
    const ALL: &'static [Self];
    fn code(self) -> i64 {
        Self::ALL.iter().position(|x| *x == self).expect("in ALL") as i64
    }
    fn from_code(c: i64) -> Option<Self> {
        usize::try_from(c)
            .ok()
            .and_then(|i| Self::ALL.get(i).copied())
    }
}

impl Coded for crate::SymbolKind {
    const ALL: &'static [Self] = crate::SymbolKind::ALL;
}
impl Coded for crate::Role {
    const ALL: &'static [Self] = crate::Role::ALL;
}
impl Coded for crate::Resolution {
    const ALL: &'static [Self] = crate::Resolution::ALL;
}

/// The options that make the `search` table contentless in a native
/// snapshot.
const CONTENTLESS: &str = ", content = '', contentless_delete = 1";

/// The schema as separate statements, comments stripped (the comments may
/// hold `;`). The schema's only string literal is `''`, so `--` always
/// starts a comment.
pub fn statements() -> Vec<String> {
    let stripped: String = SCHEMA
        .lines()
        .map(|l| l.split("--").next().unwrap_or("").trim_end())
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    stripped
        .split(';')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The schema of a D1 export: the same, but `search` keeps its words.
/// D1's SQLite (workerd's, at least) does not take a deleted row's words
/// out of a contentless table's BM25 totals, so a replica brought forward
/// by `--since` batches would rank differently from the snapshot.
pub fn d1_statements() -> Vec<String> {
    statements()
        .into_iter()
        .map(|s| s.replace(CONTENTLESS, ""))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Resolution, Role, SymbolKind};

    #[test]
    fn only_the_native_search_table_is_contentless() {
        let search = |v: Vec<String>| {
            v.into_iter()
                .find(|s| s.contains("VIRTUAL TABLE IF NOT EXISTS search"))
                .expect("the schema has a search table")
        };
        assert!(search(statements()).contains(CONTENTLESS));
        let d1 = search(d1_statements());
        assert!(!d1.contains("content"), "{d1}");
        assert!(d1.contains("tokenize = ascii"), "{d1}");
    }

    #[test]
    fn codes_round_trip_and_are_named() {
        for k in SymbolKind::ALL {
            assert_eq!(SymbolKind::from_code(code(*k)), Some(*k));
        }
        for k in Role::ALL {
            assert_eq!(Role::from_code(code(*k)), Some(*k));
        }
        for k in Resolution::ALL {
            assert_eq!(Resolution::from_code(code(*k)), Some(*k));
        }
        let rows = enum_rows();
        assert_eq!(
            rows.len(),
            SymbolKind::ALL.len() + Role::ALL.len() + Resolution::ALL.len()
        );
        assert!(rows.contains(&("resolution", 1, "heuristic")));
        assert_eq!(Role::from_code(99), None);
    }
}
