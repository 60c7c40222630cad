//! Decoding the snapshot's rows: the columns of a symbol record (`rec!`),
//! typed reads of single columns, and the SQL filters searches share.

use super::{Node, Sym, Value};
use crate::api::ApiError;
use crate::schema::Coded;
use crate::{Lang, Pos, Span, SymbolId, SymbolKind, SymbolRecord};

/// The columns of a symbol record, for symbol alias `$s` and file alias
/// `$f` (20 columns; NULL throughout when a LEFT JOIN found none).
macro_rules! rec {
    ($s:literal, $f:literal) => {
        concat!(
            "CASE WHEN ",
            $s,
            ".id IS NULL THEN NULL ELSE printf('%016x', ",
            $s,
            ".id) END, ",
            $s,
            ".name, ",
            $s,
            ".qualified_name, ",
            $s,
            ".kind, ",
            $f,
            ".lang, ",
            $f,
            ".path, ",
            $s,
            ".line, ",
            $s,
            ".col, ",
            $s,
            ".end_line, ",
            $s,
            ".end_col, ",
            $s,
            ".full_line, ",
            $s,
            ".full_col, ",
            $s,
            ".full_end_line, ",
            $s,
            ".full_end_col, ",
            "CASE WHEN ",
            $s,
            ".container IS NULL THEN NULL ELSE printf('%016x', ",
            $s,
            ".container) END, ",
            $s,
            ".exported, ",
            $s,
            ".signature, ",
            $s,
            ".doc, ",
            $s,
            ".file, ",
            $s,
            ".ord"
        )
    };
}

pub(super) fn corrupt(what: &str) -> ApiError {
    ApiError::Unavailable(format!(
        "the snapshot holds a row this reader cannot read ({what}); re-export it"
    ))
}

pub(super) fn int(row: &[Value], i: usize) -> Result<i64, ApiError> {
    row.get(i)
        .and_then(Value::int)
        .ok_or_else(|| corrupt("an integer column"))
}

fn u32_at(row: &[Value], i: usize) -> Result<u32, ApiError> {
    u32::try_from(int(row, i)?).map_err(|_| corrupt("a position"))
}

pub(super) fn text(row: &[Value], i: usize) -> Result<String, ApiError> {
    row.get(i)
        .and_then(Value::text)
        .map(str::to_string)
        .ok_or_else(|| corrupt("a text column"))
}

pub(super) fn opt_text(row: &[Value], i: usize) -> Option<String> {
    row.get(i).and_then(Value::text).map(str::to_string)
}

pub(super) fn coded<T: Coded>(row: &[Value], i: usize) -> Result<T, ApiError> {
    T::from_code(int(row, i)?).ok_or_else(|| corrupt("an enumeration code"))
}

pub(super) fn span(row: &[Value], i: usize) -> Result<Span, ApiError> {
    Ok(Span {
        start: Pos {
            line: u32_at(row, i)?,
            col: u32_at(row, i + 1)?,
        },
        end: Pos {
            line: u32_at(row, i + 2)?,
            col: u32_at(row, i + 3)?,
        },
    })
}

/// A reference's span from (line, col, end_col): a reference is one name
/// on one line.
pub(super) fn ref_span(row: &[Value], i: usize) -> Result<Span, ApiError> {
    let line = u32_at(row, i)?;
    Ok(Span {
        start: Pos {
            line,
            col: u32_at(row, i + 1)?,
        },
        end: Pos {
            line,
            col: u32_at(row, i + 2)?,
        },
    })
}

fn id(row: &[Value], i: usize) -> Result<SymbolId, ApiError> {
    text(row, i)?.parse().map_err(|_| corrupt("a symbol id"))
}

/// The record at columns `i..i + REC_COLUMNS`, if the join found one.
pub(super) fn sym(row: &[Value], i: usize) -> Result<Option<Sym>, ApiError> {
    if matches!(row.get(i), None | Some(Value::Null)) {
        return Ok(None);
    }
    let rec = SymbolRecord {
        id: id(row, i)?,
        name: text(row, i + 1)?,
        qualified_name: text(row, i + 2)?,
        kind: coded::<SymbolKind>(row, i + 3)?,
        lang: Lang::register(&text(row, i + 4)?, &[]).map_err(|_| corrupt("a language"))?,
        file: text(row, i + 5)?,
        span: span(row, i + 6)?,
        full_span: span(row, i + 10)?,
        container: match row.get(i + 14) {
            Some(Value::Null) | None => None,
            Some(_) => Some(id(row, i + 14)?),
        },
        exported: int(row, i + 15)? != 0,
        signature: text(row, i + 16)?,
        doc: opt_text(row, i + 17),
    };
    Ok(Some(Sym {
        rec,
        file: int(row, i + 18)?,
        ord: int(row, i + 19)?,
    }))
}

pub(super) fn sym_node(s: Sym) -> Node {
    Node::Symbol(Box::new(s))
}

/// A symbol id as a bound parameter: decimal text, `CAST` back in SQL.
pub(super) fn id_param(id: SymbolId) -> Value {
    Value::Text((id.0 as i64).to_string())
}

/// Columns `rec!` selects.
pub(super) const REC_COLUMNS: usize = 20;

/// The condition on `s.kind`, if any (codes inlined: they come from a
/// closed enumeration).
pub(super) fn kind_filter(kinds: &[SymbolKind]) -> Option<String> {
    let codes: Vec<String> = kinds.iter().map(|k| k.code().to_string()).collect();
    (!codes.is_empty()).then(|| format!("s.kind IN ({})", codes.join(", ")))
}

/// The condition on `f.lang`, if any (names inlined, as kinds are).
pub(super) fn lang_filter(langs: &[Lang]) -> Option<String> {
    let names: Vec<String> = langs.iter().map(|l| format!("'{}'", l.as_str())).collect();
    (!names.is_empty()).then(|| format!("f.lang IN ({})", names.join(", ")))
}

/// `AND` conditions on `s.kind` and `f.lang`.
pub(super) fn kind_lang_filters(kinds: &[SymbolKind], langs: &[Lang]) -> String {
    [kind_filter(kinds), lang_filter(langs)]
        .into_iter()
        .flatten()
        .map(|c| format!(" AND {c}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_from_rows() {
        let row: Vec<Value> = vec![
            "00000000000000ff".into(),
            "f".into(),
            "m::f".into(),
            Value::Int(SymbolKind::Function.code()),
            "rust".into(),
            "src/m.rs".into(),
            Value::Int(1),
            Value::Real(3.0),
            Value::Int(1),
            Value::Int(4),
            Value::Int(0),
            Value::Int(0),
            Value::Int(2),
            Value::Int(1),
            Value::Null,
            Value::Int(1),
            "fn f()".into(),
            Value::Null,
            Value::Int(7),
            Value::Int(0),
        ];
        assert_eq!(row.len(), REC_COLUMNS);
        let s = sym(&row, 0).unwrap().unwrap();
        assert_eq!(s.rec.id, SymbolId(255));
        assert_eq!(s.rec.span.start, Pos { line: 1, col: 3 });
        assert_eq!((s.file, s.ord, s.rec.container), (7, 0, None));
        let mut bad = row.clone();
        bad[3] = Value::Int(999);
        assert_eq!(sym(&bad, 0).unwrap_err().status(), 503);
        assert!(sym(&[Value::Null], 0).unwrap().is_none());
    }
}
