//! Reading a SCIP index into weft's terms: per file of the tree, its
//! reference occurrences with UTF-8 columns and the definition each one
//! points at (file and position), external package, or local.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use protobuf::{Enum, Message};
use scip::types::{Index, Occurrence as ScipOccurrence, PositionEncoding, SymbolRole};
use weft_db::{Pos, Span};
use weft_queries::compiler::{Occurrence, OccurrenceTarget};
use weft_queries::facts::Name;

/// One index, read and mapped onto the tree's paths.
pub struct ImportedIndex {
    /// The indexer's name and version, as it reports them.
    pub tool: String,
    /// Documents of the index, and of those, files of the tree.
    pub documents: usize,
    /// Occurrences per file of the tree (path relative to the root), with
    /// the file's text they were converted against.
    pub files: Vec<ImportedFile>,
    /// Documents whose path is not a readable file under the root.
    pub outside: Vec<String>,
    /// Global symbols defined more than once in other documents than the
    /// reference's own: their references are left to weft.
    pub ambiguous: usize,
    /// References to a symbol of a package the index defines symbols of,
    /// but not this one (scip-python calls src/click/core.py's module
    /// `src.click.core` and the tests' `import click.core` `click.core`):
    /// in the project, place unknown, so left to weft.
    pub undefined: usize,
}

pub struct ImportedFile {
    pub path: String,
    pub text: String,
    pub occurrences: Vec<Occurrence>,
}

/// Read the SCIP index at `path` for the tree at `root`. `readable` says
/// whether a relative path is a file weft indexes, and gives its text.
pub fn read_index(
    path: &Path,
    root: &Path,
    readable: &dyn Fn(&str) -> Option<String>,
) -> Result<ImportedIndex> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let index = Index::parse_from_bytes(&bytes).map_err(|e| {
        anyhow::anyhow!(
            "{} is not a SCIP index ({e}); produce one with an indexer such as \
             rust-analyzer scip, scip-python or scip-typescript",
            path.display()
        )
    })?;
    if index.documents.is_empty() {
        bail!(
            "{} is a SCIP index with no documents: nothing to import",
            path.display()
        );
    }
    let (tool_name, tool) = match index.metadata.tool_info.as_ref() {
        Some(t) => (
            t.name.as_str(),
            format!("{} {}", t.name, t.version).trim().to_string(),
        ),
        None => ("", String::new()),
    };
    let rebase = Rebase::new(&index.metadata.project_root, root);
    // Unspecified encodings: tools written in Rust, Go or C++ count UTF-8
    // bytes; the TypeScript-based ones (scip-typescript, scip-python) count
    // UTF-16 units.
    let default_utf8 = matches!(
        tool_name,
        "rust-analyzer" | "scip-go" | "scip-clang" | "weft"
    );

    let paths: Vec<Option<String>> = index
        .documents
        .iter()
        .map(|d| rebase.apply(&d.relative_path))
        .collect();
    // Global symbol -> its definitions (document, range).
    let mut defs: HashMap<&str, Vec<(usize, Span)>> = HashMap::new();
    let texts: Vec<Option<String>> = paths
        .iter()
        .map(|p| p.as_deref().and_then(readable))
        .collect();
    let mut ranges: Vec<Vec<Option<Span>>> = Vec::with_capacity(index.documents.len());
    for (di, doc) in index.documents.iter().enumerate() {
        let encoding = match doc.position_encoding.enum_value() {
            Ok(PositionEncoding::UTF8CodeUnitOffsetFromLineStart) => Encoding::Utf8,
            Ok(PositionEncoding::UTF32CodeUnitOffsetFromLineStart) => Encoding::Utf32,
            Ok(PositionEncoding::UTF16CodeUnitOffsetFromLineStart) => Encoding::Utf16,
            _ if default_utf8 => Encoding::Utf8,
            _ => Encoding::Utf16,
        };
        let lines: Vec<&str> = texts[di]
            .as_deref()
            .map(|t| t.split('\n').collect())
            .unwrap_or_default();
        let spans: Vec<Option<Span>> = doc
            .occurrences
            .iter()
            .map(|o| range_of(o).map(|r| encoding.to_utf8(r, &lines)))
            .collect();
        for (o, span) in doc.occurrences.iter().zip(&spans) {
            if let Some(span) = span
                && is_definition(o)
                && !o.symbol.is_empty()
                && !o.symbol.starts_with("local ")
            {
                defs.entry(o.symbol.as_str()).or_default().push((di, *span));
            }
        }
        ranges.push(spans);
    }

    let mut out = ImportedIndex {
        tool,
        documents: index.documents.len(),
        files: Vec::new(),
        outside: Vec::new(),
        ambiguous: 0,
        undefined: 0,
    };
    let own: HashSet<Name> = defs.keys().map(|s| package_of(s)).collect();
    let mut classes: HashMap<&str, Class> = HashMap::new();
    for (di, doc) in index.documents.iter().enumerate() {
        let (Some(path), Some(text)) = (&paths[di], &texts[di]) else {
            out.outside.push(doc.relative_path.clone());
            continue;
        };
        let mut occurrences = Vec::new();
        for (o, span) in doc.occurrences.iter().zip(&ranges[di]) {
            let Some(span) = *span else { continue };
            if o.symbol.is_empty() || is_definition(o) || span.start.line != span.end.line {
                continue;
            }
            let class = *classes
                .entry(o.symbol.as_str())
                .or_insert_with(|| classify(&o.symbol));
            let target = if class == Class::Local {
                OccurrenceTarget::Local
            } else {
                match defs.get(o.symbol.as_str()).map(|d| pick(d, di)) {
                    Some(Some((ddi, at))) => match &paths[ddi] {
                        Some(file) => OccurrenceTarget::Def {
                            file: file.as_str().into(),
                            at,
                            module: class == Class::Module,
                        },
                        None => continue,
                    },
                    Some(None) => {
                        out.ambiguous += 1;
                        continue;
                    }
                    None => {
                        let package = package_of(&o.symbol);
                        if own.contains(&package) {
                            out.undefined += 1;
                            continue;
                        }
                        OccurrenceTarget::External(package)
                    }
                }
            };
            occurrences.push(Occurrence {
                span,
                target,
                import: o.symbol_roles & SymbolRole::Import.value() != 0,
                write: o.symbol_roles & SymbolRole::WriteAccess.value() != 0,
            });
        }
        out.files.push(ImportedFile {
            path: path.clone(),
            text: text.clone(),
            occurrences,
        });
    }
    Ok(out)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    /// A local, a parameter or a type parameter: not a node of the graph.
    Local,
    /// A module, package or namespace.
    Module,
    Other,
}

fn classify(symbol: &str) -> Class {
    use scip::types::descriptor::Suffix;
    if symbol.starts_with("local ") {
        return Class::Local;
    }
    let Ok(s) = scip::symbol::parse_symbol(symbol) else {
        return Class::Other;
    };
    match s.descriptors.last().map(|d| d.suffix.enum_value()) {
        Some(Ok(Suffix::Parameter | Suffix::TypeParameter)) => Class::Local,
        Some(Ok(Suffix::Namespace | Suffix::Package | Suffix::Meta)) => Class::Module,
        _ => Class::Other,
    }
}

fn is_definition(o: &ScipOccurrence) -> bool {
    o.symbol_roles & SymbolRole::Definition.value() != 0
}

/// The definition a reference in document `from` means: the one in its
/// own document if the symbol has several (rust-analyzer gives each test
/// crate root the same symbol), else the only one.
fn pick(defs: &[(usize, Span)], from: usize) -> Option<(usize, Pos)> {
    if let Some((d, s)) = defs.iter().find(|(d, _)| *d == from) {
        return Some((*d, s.start));
    }
    match defs {
        [(d, s)] => Some((*d, s.start)),
        _ => None,
    }
}

/// The package a global SCIP symbol belongs to (`scheme manager name
/// version descriptors`): its name, or the scheme when it has none.
fn package_of(symbol: &str) -> Name {
    match scip::symbol::parse_symbol(symbol) {
        Ok(s) => match s.package.as_ref() {
            Some(p) if !p.name.is_empty() => p.name.as_str().into(),
            _ => s.scheme.as_str().into(),
        },
        Err(_) => symbol.split(' ').next().unwrap_or(symbol).into(),
    }
}

/// A SCIP range as (start line, start col, end line, end col), in the
/// document's encoding.
fn range_of(o: &ScipOccurrence) -> Option<[u32; 4]> {
    use scip::types::occurrence::Typed_range;
    let v: [i32; 4] = match &o.typed_range {
        Some(Typed_range::SingleLineRange(r)) => {
            [r.line, r.start_character, r.line, r.end_character]
        }
        Some(Typed_range::MultiLineRange(r)) => {
            [r.start_line, r.start_character, r.end_line, r.end_character]
        }
        _ => match *o.range.as_slice() {
            [l, c, ec] => [l, c, l, ec],
            [l, c, el, ec] => [l, c, el, ec],
            _ => return None,
        },
    };
    if v.iter().any(|x| *x < 0) {
        return None;
    }
    Some(v.map(|x| x as u32))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    fn to_utf8(self, [l, c, el, ec]: [u32; 4], lines: &[&str]) -> Span {
        let col = |line: u32, c: u32| -> u32 {
            let Some(text) = lines.get(line as usize) else {
                return c;
            };
            let mut units = 0u32;
            for (byte, ch) in text.char_indices() {
                if units >= c {
                    return byte as u32;
                }
                units += match self {
                    Encoding::Utf8 => return c,
                    Encoding::Utf16 => ch.len_utf16() as u32,
                    Encoding::Utf32 => 1,
                };
            }
            // At or past the end of the line.
            text.len() as u32 + (c - units.min(c))
        };
        Span {
            start: Pos {
                line: l,
                col: col(l, c),
            },
            end: Pos {
                line: el,
                col: col(el, ec),
            },
        }
    }
}

/// How the index's document paths map onto the tree's: an index made for a
/// parent or a subdirectory of the root still lines up when both roots are
/// on this machine; otherwise the paths are taken as they are.
struct Rebase {
    /// Prepend this to document paths (the index's root is below ours).
    prefix: String,
    /// Strip this from document paths (our root is below the index's).
    strip: String,
}

impl Rebase {
    fn new(project_root: &str, root: &Path) -> Rebase {
        let none = Rebase {
            prefix: String::new(),
            strip: String::new(),
        };
        let Some(theirs) = project_root
            .strip_prefix("file://")
            .map(percent_decode)
            .map(PathBuf::from)
        else {
            return none;
        };
        let (Ok(theirs), Ok(ours)) = (theirs.canonicalize(), root.canonicalize()) else {
            return none;
        };
        let rel = |p: &Path| p.to_string_lossy().replace('\\', "/");
        if let Ok(below) = theirs.strip_prefix(&ours) {
            let p = rel(below);
            Rebase {
                prefix: if p.is_empty() { p } else { p + "/" },
                strip: String::new(),
            }
        } else if let Ok(above) = ours.strip_prefix(&theirs) {
            let p = rel(above);
            Rebase {
                prefix: String::new(),
                strip: if p.is_empty() { p } else { p + "/" },
            }
        } else {
            none
        }
    }

    fn apply(&self, relative: &str) -> Option<String> {
        let p = relative.strip_prefix(self.strip.as_str())?;
        Some(format!("{}{}", self.prefix, p))
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            let v = (h * 16 + l) as u8;
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_convert_from_utf16_and_utf32() {
        // "é" is 2 bytes, 1 UTF-16 unit; "😀" is 4 bytes, 2 UTF-16 units.
        let lines = ["let é = f(😀, x);"];
        let x_utf8 = lines[0].find('x').unwrap() as u32;
        let x16 = lines[0]
            .encode_utf16()
            .take_while(|u| *u != 'x' as u16)
            .count() as u32;
        let x32 = lines[0].chars().take_while(|c| *c != 'x').count() as u32;
        let at = |e: Encoding, c| e.to_utf8([0, c, 0, c + 1], &lines).start.col;
        assert_eq!(at(Encoding::Utf16, x16), x_utf8);
        assert_eq!(at(Encoding::Utf32, x32), x_utf8);
        assert_eq!(at(Encoding::Utf8, x_utf8), x_utf8);
        assert_ne!(x16, x_utf8);
    }

    #[test]
    fn external_symbols_name_their_package() {
        assert_eq!(
            package_of("scip-python python requests 2.31.0 `requests.api`/get()."),
            "requests"
        );
        assert_eq!(package_of("rust-analyzer cargo std 1.0.0 io/Read#"), "std");
    }

    #[test]
    fn parameters_are_locals_and_namespaces_modules() {
        let py = "scip-python python requests 2.34.2 `src.requests`";
        assert_eq!(classify(&format!("{py}/check().(version)")), Class::Local);
        assert_eq!(classify(&format!("{py}/__init__:")), Class::Module);
        assert_eq!(classify(&format!("{py}/check().")), Class::Other);
        assert_eq!(classify("local 7"), Class::Local);
        assert_eq!(classify("rust-analyzer cargo x 0.1.0 a/b/"), Class::Module);
    }

    #[test]
    fn percent_escapes_decode() {
        assert_eq!(percent_decode("/a%20b/c"), "/a b/c");
        assert_eq!(percent_decode("/x%"), "/x%");
    }
}
