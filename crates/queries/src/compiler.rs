//! References taken from a compiler-grade index (a SCIP file imported with
//! `weft index --scip`), laid over weft's own resolution file by file.
//!
//! An overlay belongs to one content of one file: the host drops it when
//! the file's text changes, so an edited file falls back to weft's
//! resolution while the rest of the tree keeps the compiler's answers.
//! Targets are held by (file, definition index, name), which stays true
//! across body edits of the target file and is checked on every use: a
//! target that moved or vanished falls back too.

use rustc_hash::FxHashSet;
use weft_db::{Pos, Role, Span, SymbolKind};

use crate::db::{Db, SourceFile, extracted_facts};
use crate::facts::Name;
use crate::facts::compiler::{CompilerRef, CompilerRefs, CompilerTarget};

/// One occurrence of an imported index, in weft's terms: positions in UTF-8
/// columns, paths relative to the root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub span: Span,
    pub target: OccurrenceTarget,
    /// The index marks it as an import or a write.
    pub import: bool,
    pub write: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OccurrenceTarget {
    /// Defined in the index at this file and position; `module` when the
    /// symbol is a module or namespace.
    Def {
        file: Name,
        at: Pos,
        module: bool,
    },
    External(Name),
    Local,
}

/// How an index's occurrences of one file mapped onto weft's facts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct MapCounts {
    /// References weft found too, now answered by the compiler.
    pub matched: usize,
    /// References only the compiler found, added to the graph.
    pub added: usize,
    /// Occurrences whose definition is not one weft has (a file weft does
    /// not index, a name bound in a nested block): left to weft.
    pub unmapped: usize,
}

impl std::ops::AddAssign for MapCounts {
    fn add_assign(&mut self, o: MapCounts) {
        self.matched += o.matched;
        self.added += o.added;
        self.unmapped += o.unmapped;
    }
}

/// Map one file's occurrences onto its facts. `text` is the file's content
/// (for telling calls from reads among the added references); `content` its
/// hash; `file_of` finds a file of the tree by path.
pub fn map_occurrences(
    db: &dyn Db,
    file: SourceFile,
    text: &str,
    content: String,
    occurrences: &[Occurrence],
    file_of: &dyn Fn(&str) -> Option<SourceFile>,
) -> (CompilerRefs, MapCounts) {
    let facts = extracted_facts(db, file);
    let mut counts = MapCounts::default();
    let mut refs: Vec<CompilerRef> = Vec::new();
    let lines: Vec<&str> = text.split('\n').collect();
    let def_starts: FxHashSet<Pos> = facts.defs.iter().map(|d| d.span.start).collect();
    let ref_starts: FxHashSet<Pos> = facts.refs.iter().map(|r| r.span.start).collect();
    for o in occurrences {
        // A name weft defines here is a definition, not a reference.
        if def_starts.contains(&o.span.start) {
            continue;
        }
        let known = ref_starts.contains(&o.span.start);
        let (target, kind) = match &o.target {
            OccurrenceTarget::Def {
                file: path,
                at,
                module,
            } => {
                let target = file_of(path);
                // A module symbol is a module definition (`mod m;`) or its file.
                let found = target.and_then(|f| {
                    let tf = extracted_facts(db, f);
                    tf.defs
                        .iter()
                        .position(|d| {
                            d.span.start == *at && (!*module || d.kind == SymbolKind::Module)
                        })
                        .map(|i| (i as u32, tf.defs[i].name.clone(), tf.defs[i].kind))
                });
                match found {
                    Some((ord, name, kind)) => (
                        CompilerTarget::Def {
                            file: path.clone(),
                            ord,
                            name,
                        },
                        Some(kind),
                    ),
                    // A module defined by its file (a Python module, a crate root).
                    None if *module && target.is_some() => {
                        (CompilerTarget::Module(path.clone()), None)
                    }
                    None => {
                        counts.unmapped += 1;
                        continue;
                    }
                }
            }
            OccurrenceTarget::External(m) => (CompilerTarget::External(m.clone()), None),
            OccurrenceTarget::Local => (CompilerTarget::Local, None),
        };
        let added = if known {
            counts.matched += 1;
            None
        } else if let Some(kind) = kind {
            counts.added += 1;
            let role = if o.import {
                Role::Import
            } else if o.write {
                Role::Write
            } else if kind.is_callable() && called(&lines, o.span.end) {
                Role::Call
            } else if kind.is_type() {
                Role::Type
            } else {
                Role::Read
            };
            let scope = facts
                .defs
                .iter()
                .enumerate()
                .filter(|(_, d)| d.full_span.contains_span(&o.span))
                .max_by_key(|(_, d)| d.full_span.start)
                .map(|(i, _)| i as u32);
            Some((role, scope))
        } else {
            // An external or local name weft did not see: nothing to add.
            continue;
        };
        refs.push(CompilerRef {
            span: o.span,
            target,
            added,
        });
    }
    refs.sort_by_key(|r| r.span.start);
    refs.dedup_by_key(|r| r.span.start);
    (CompilerRefs { content, refs }, counts)
}

/// Is the name ending at `end` called: followed by `(`, or by a Rust
/// macro's `!(`/`![`/`!{`, or a turbofish?
fn called(lines: &[&str], end: Pos) -> bool {
    let Some(rest) = lines
        .get(end.line as usize)
        .and_then(|l| l.get(end.col as usize..))
    else {
        return false;
    };
    let rest = rest.trim_start();
    rest.starts_with('(') || rest.starts_with('!') || rest.starts_with("::<")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FileFacts;

    #[test]
    fn called_sees_parens_macros_and_turbofish() {
        let lines = ["a.run (x)", "m!(1)", "f::<u8>()", "x.y"];
        let at = |line, col| Pos { line, col };
        assert!(called(&lines, at(0, 5)));
        assert!(called(&lines, at(1, 1)));
        assert!(called(&lines, at(2, 1)));
        assert!(!called(&lines, at(3, 3)));
        assert!(!called(&lines, at(9, 0)));
    }

    #[test]
    fn overlay_round_trips_and_finds_by_start() {
        let span = |l, c| Span {
            start: Pos { line: l, col: c },
            end: Pos {
                line: l,
                col: c + 3,
            },
        };
        let o = CompilerRefs {
            content: "abc".into(),
            refs: vec![
                CompilerRef {
                    span: span(1, 4),
                    target: CompilerTarget::External("std".into()),
                    added: None,
                },
                CompilerRef {
                    span: span(2, 0),
                    target: CompilerTarget::Def {
                        file: "a.rs".into(),
                        ord: 3,
                        name: "foo".into(),
                    },
                    added: Some((Role::Call, Some(1))),
                },
            ],
        };
        assert_eq!(CompilerRefs::decode(&o.encode()).unwrap(), o);
        assert_eq!(o.get(span(2, 0)).map(|r| r.span), Some(span(2, 0)));
        assert!(o.get(span(2, 1)).is_none());
        let merged = o.merge_into(&FileFacts::default());
        assert_eq!(merged.refs.len(), 1);
        assert_eq!(merged.refs[0].path, vec![Name::from("foo")]);
        assert_eq!(merged.refs[0].scope, Some(1));
    }
}
