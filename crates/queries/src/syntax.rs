//! Small helpers over tree-sitter nodes and path text that every layer
//! above the facts uses: the extraction engine, the language hooks. A leaf:
//! it imports nothing of the crate.

use tree_sitter::Node;
use weft_db::{Pos, Span};

pub fn span_of(node: Node) -> Span {
    let s = node.start_position();
    let e = node.end_position();
    Span {
        start: Pos {
            line: s.row as u32,
            col: s.column as u32,
        },
        end: Pos {
            line: e.row as u32,
            col: e.column as u32,
        },
    }
}

pub fn text<'a>(node: Node, src: &'a str) -> &'a str {
    src.get(node.byte_range()).unwrap_or("")
}

/// Remove generic arguments (`Vec::<T>::new` -> `Vec::::new` is avoided by
/// dropping a `::` that precedes `<`).
pub fn strip_generics(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '<' => depth += 1,
            '>' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    while out.contains("::::") {
        out = out.replace("::::", "::");
    }
    out.trim_end_matches("::").to_string()
}

/// Can this path segment name a symbol (letters, digits, `_`, `$`)?
pub fn is_name_segment(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

pub fn split_path<'s>(s: &'s str, seps: &[&str]) -> Vec<&'s str> {
    let mut parts = vec![s];
    for sep in seps {
        parts = parts.into_iter().flat_map(|p| p.split(*sep)).collect();
    }
    parts
}
