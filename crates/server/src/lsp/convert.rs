//! Between LSP's coordinates and weft's: `file://` URIs and paths relative
//! to the root, and columns in the encoding the client speaks (UTF-16
//! code units unless it offers UTF-8) and UTF-8 bytes.

use std::path::Path;
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};
use weft_db::{Pos, Span};

/// How the client counts columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// The path under `root` a `file://` URI names, `/`-separated.
pub fn rel_path(root: &Path, uri: &Uri) -> Option<String> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // an authority (`file://host/...`) is not ours
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    let abs = std::path::PathBuf::from(decode(path)?);
    let rel = abs.strip_prefix(root).ok()?;
    Some(rel.to_string_lossy().replace('\\', "/"))
}

/// The `file://` URI of a path relative to `root`.
pub fn uri(root: &Path, rel: &str) -> Uri {
    let abs = root.join(rel);
    let mut s = String::from("file://");
    for b in abs.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                s.push(b as char)
            }
            _ => s.push_str(&format!("%{b:02X}")),
        }
    }
    Uri::from_str(&s).expect("a percent-encoded file URI parses")
}

fn decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A client position as weft's: the column in UTF-8 bytes of `line`.
pub fn to_pos(text: Option<&str>, p: Position, enc: Encoding) -> Pos {
    let col = match (enc, text.and_then(|t| t.lines().nth(p.line as usize))) {
        (Encoding::Utf16, Some(line)) => {
            let mut units = 0u32;
            let mut bytes = line.len();
            for (i, c) in line.char_indices() {
                if units >= p.character {
                    bytes = i;
                    break;
                }
                units += c.len_utf16() as u32;
            }
            bytes as u32
        }
        _ => p.character,
    };
    Pos { line: p.line, col }
}

/// A weft position as the client's.
pub fn to_position(text: Option<&str>, p: Pos, enc: Encoding) -> Position {
    let character = match (enc, text.and_then(|t| t.lines().nth(p.line as usize))) {
        (Encoding::Utf16, Some(line)) => {
            let end = (p.col as usize).min(line.len());
            let mut end = end;
            while !line.is_char_boundary(end) {
                end -= 1;
            }
            line[..end].encode_utf16().count() as u32
        }
        _ => p.col,
    };
    Position {
        line: p.line,
        character,
    }
}

pub fn to_range(text: Option<&str>, s: Span, enc: Encoding) -> Range {
    Range {
        start: to_position(text, s.start, enc),
        end: to_position(text, s.end, enc),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_round_trip_through_utf8_bytes() {
        let text = "let s = \"héllo 😀\"; call(s);\n";
        let call = text.find("call").unwrap() as u32;
        let p = to_position(Some(text), Pos { line: 0, col: call }, Encoding::Utf16);
        // é is one UTF-16 unit (two bytes), 😀 two units (four bytes)
        assert_eq!(p.character, call - 1 - 2);
        assert_eq!(
            to_pos(Some(text), p, Encoding::Utf16),
            Pos { line: 0, col: call }
        );
        let same = to_position(Some(text), Pos { line: 0, col: call }, Encoding::Utf8);
        assert_eq!(same.character, call);
    }

    #[test]
    fn uris_name_paths_under_the_root_and_back() {
        let root = Path::new("/work/my repo");
        let u = uri(root, "src/a b#.rs");
        assert_eq!(u.as_str(), "file:///work/my%20repo/src/a%20b%23.rs");
        assert_eq!(rel_path(root, &u).as_deref(), Some("src/a b#.rs"));
        let outside = Uri::from_str("file:///elsewhere/x.rs").unwrap();
        assert_eq!(rel_path(root, &outside), None);
    }
}
