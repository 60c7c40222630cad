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

/// The path under one of `roots` (the root as given, and as the file
/// system resolves it) a `file://` URI names, `/`-separated; `None` for
/// anything outside them, `..` included.
pub fn rel_path(roots: &[std::path::PathBuf], uri: &Uri) -> Option<String> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // an authority (`file://host/...`) is not ours
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    let abs = std::path::PathBuf::from(decode(path)?);
    let rel = roots.iter().find_map(|r| abs.strip_prefix(r).ok())?;
    if !rel
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        return None;
    }
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

/// A file's text with where each line starts, for column conversions.
pub struct Doc {
    text: std::sync::Arc<str>,
    starts: Vec<usize>,
}

impl Doc {
    pub fn new(text: std::sync::Arc<str>) -> Doc {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Doc { text, starts }
    }

    /// Line `n` (0-based) without its line break.
    pub fn line(&self, n: u32) -> Option<&str> {
        let a = *self.starts.get(n as usize)?;
        let b = self
            .starts
            .get(n as usize + 1)
            .map_or(self.text.len(), |&b| b - 1);
        Some(self.text[a..b.max(a)].trim_end_matches('\r'))
    }
}

/// A client position as weft's: the column in UTF-8 bytes of its line.
pub fn to_pos(doc: Option<&Doc>, p: Position, enc: Encoding) -> Pos {
    let col = match (enc, doc.and_then(|d| d.line(p.line))) {
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
pub fn to_position(doc: Option<&Doc>, p: Pos, enc: Encoding) -> Position {
    let character = match (enc, doc.and_then(|d| d.line(p.line))) {
        (Encoding::Utf16, Some(line)) => {
            let mut end = (p.col as usize).min(line.len());
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

pub fn to_range(doc: Option<&Doc>, s: Span, enc: Encoding) -> Range {
    Range {
        start: to_position(doc, s.start, enc),
        end: to_position(doc, s.end, enc),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_round_trip_through_utf8_bytes() {
        let text = "first\r\nlet s = \"héllo 😀\"; call(s);\n";
        let doc = Doc::new(text.into());
        assert_eq!(doc.line(0), Some("first"));
        assert_eq!(doc.line(3), None);
        let call = text.lines().nth(1).unwrap().find("call").unwrap() as u32;
        let at = Pos { line: 1, col: call };
        let p = to_position(Some(&doc), at, Encoding::Utf16);
        // é is one UTF-16 unit (two bytes), 😀 two units (four bytes)
        assert_eq!(p.character, call - 1 - 2);
        assert_eq!(to_pos(Some(&doc), p, Encoding::Utf16), at);
        assert_eq!(to_position(Some(&doc), at, Encoding::Utf8).character, call);
    }

    #[test]
    fn uris_name_paths_under_the_root_and_back() {
        let root = Path::new("/work/my repo");
        let roots = [root.to_path_buf(), "/real/repo".into()];
        let u = uri(root, "src/a b#.rs");
        assert_eq!(u.as_str(), "file:///work/my%20repo/src/a%20b%23.rs");
        assert_eq!(rel_path(&roots, &u).as_deref(), Some("src/a b#.rs"));
        let linked = Uri::from_str("file:///real/repo/src/x.rs").unwrap();
        assert_eq!(rel_path(&roots, &linked).as_deref(), Some("src/x.rs"));
        let outside = Uri::from_str("file:///elsewhere/x.rs").unwrap();
        assert_eq!(rel_path(&roots, &outside), None);
        let up = Uri::from_str("file:///work/my%20repo/../etc/passwd").unwrap();
        assert_eq!(rel_path(&roots, &up), None);
    }
}
