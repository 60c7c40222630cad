//! Change intelligence: what changed between two versions of a tree, at the
//! level of symbols ([`symbol_changes`]), and where two lines of work will
//! hurt each other when merged ([`conflicts`]).
//!
//! Everything here works on facts, which are content-addressed: two
//! versions of a file with equal bytes have equal facts, so comparing
//! versions never parses anything twice. Bodies are compared by
//! [`Def::body`](crate::facts::Def::body), a digest of a definition's own
//! tokens, so changes that are only whitespace, comments or reordering are
//! not changes.

pub mod conflicts;

use rustc_hash::FxHashMap;
use serde::Serialize;
use weft_db::{Span, SymbolId, SymbolKind};

use crate::db::{Db, DefLoc};
use crate::facts::{Def, FileFacts};
use crate::graph::{Node, Walk, bfs, users};

/// How a symbol changed.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    /// Same kind and same body under another name or in another file (best
    /// effort: only when the pairing is unique).
    Renamed,
    /// The declaration changed: parameters, return or declared type.
    Signature,
    /// Exported before and not now, or the other way round.
    Visibility,
    /// Only the body's tokens changed.
    Body,
}

impl ChangeKind {
    /// Does code elsewhere that uses the symbol have to follow?
    pub fn breaks_users(self) -> bool {
        matches!(
            self,
            ChangeKind::Removed
                | ChangeKind::Renamed
                | ChangeKind::Signature
                | ChangeKind::Visibility
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Signature => "signature",
            ChangeKind::Visibility => "visibility",
            ChangeKind::Body => "body",
        }
    }
}

/// One version of a symbol.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Version {
    pub path: String,
    /// The name inside the file (`Type::method`).
    pub name: String,
    pub id: SymbolId,
    /// Index of the definition in its file's facts.
    #[serde(skip)]
    pub def: u32,
    pub span: Span,
    pub full_span: Span,
    pub signature: String,
    #[serde(skip)]
    pub body: u64,
}

impl Version {
    fn of(path: &str, def: u32, d: &Def) -> Version {
        Version {
            path: path.to_string(),
            name: d.local_name.to_string(),
            id: SymbolId::derive(path, &d.local_name, d.kind.as_str(), d.disambiguator),
            def,
            span: d.span,
            full_span: d.full_span,
            signature: d.signature.clone(),
            body: d.body,
        }
    }
}

/// A changed symbol: its version before (none when added) and after (none
/// when removed).
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct SymbolChange {
    pub change: ChangeKind,
    pub kind: SymbolKind,
    pub old: Option<Version>,
    pub new: Option<Version>,
    /// For an added symbol: the symbol of the old version it follows in its
    /// container (`None`: first in it), and that container. Two sides
    /// inserting at the same place conflict textually.
    #[serde(skip)]
    pub anchor: Option<(String, Option<SymbolId>, Option<SymbolId>)>,
}

impl SymbolChange {
    /// The symbol as the merge base knows it: the old id, or the new one for
    /// an added symbol.
    pub fn base_id(&self) -> SymbolId {
        self.old
            .as_ref()
            .or(self.new.as_ref())
            .expect("a change has a version")
            .id
    }

    /// The version to show: the new one, or the old one when removed.
    pub fn current(&self) -> &Version {
        self.new
            .as_ref()
            .or(self.old.as_ref())
            .expect("a change has a version")
    }
}

/// One file in two versions. `old` and `new` are `None` where the file does
/// not exist.
pub struct FileVersions<'a> {
    pub path: &'a str,
    pub old: Option<&'a FileFacts>,
    pub new: Option<&'a FileFacts>,
}

/// The symbol-level changes between two versions of a set of files, ordered
/// by path, then position.
pub fn symbol_changes(files: &[FileVersions]) -> Vec<SymbolChange> {
    let mut out = Vec::new();
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for f in files {
        let empty = FileFacts::default();
        let old = f.old.unwrap_or(&empty);
        let new = f.new.unwrap_or(&empty);
        let key = |d: &Def| (d.local_name.clone(), d.kind, d.disambiguator);
        let olds: FxHashMap<_, usize> = old
            .defs
            .iter()
            .enumerate()
            .map(|(i, d)| (key(d), i))
            .collect();
        let mut matched = vec![false; old.defs.len()];
        for (j, n) in new.defs.iter().enumerate() {
            let Some(&i) = olds.get(&key(n)) else {
                added.push(SymbolChange {
                    change: ChangeKind::Added,
                    kind: n.kind,
                    old: None,
                    new: Some(Version::of(f.path, j as u32, n)),
                    anchor: Some(anchor(f.path, new, j, &olds)),
                });
                continue;
            };
            matched[i] = true;
            let o = &old.defs[i];
            let change = if squeeze(&o.signature) != squeeze(&n.signature) || o.ty != n.ty {
                ChangeKind::Signature
            } else if o.exported != n.exported {
                ChangeKind::Visibility
            } else if o.body != n.body {
                ChangeKind::Body
            } else {
                continue;
            };
            out.push(SymbolChange {
                change,
                kind: n.kind,
                old: Some(Version::of(f.path, i as u32, o)),
                new: Some(Version::of(f.path, j as u32, n)),
                anchor: None,
            });
        }
        for (i, o) in old.defs.iter().enumerate() {
            if !matched[i] {
                removed.push(SymbolChange {
                    change: ChangeKind::Removed,
                    kind: o.kind,
                    old: Some(Version::of(f.path, i as u32, o)),
                    new: None,
                    anchor: None,
                });
            }
        }
    }
    pair_renames(&mut removed, &mut added, &mut out);
    out.extend(removed);
    out.extend(added);
    out.sort_by(|a, b| {
        let (x, y) = (a.current(), b.current());
        (&x.path, x.full_span.start, x.def).cmp(&(&y.path, y.full_span.start, y.def))
    });
    out
}

/// Where an added definition sits: its container and the nearest earlier
/// sibling that the old version also has.
fn anchor(
    path: &str,
    new: &FileFacts,
    j: usize,
    olds: &FxHashMap<(crate::facts::Name, SymbolKind, u32), usize>,
) -> (String, Option<SymbolId>, Option<SymbolId>) {
    let d = &new.defs[j];
    let id = |i: usize| {
        let s = &new.defs[i];
        SymbolId::derive(path, &s.local_name, s.kind.as_str(), s.disambiguator)
    };
    let container = d.container.map(|c| id(c as usize));
    let before = (0..j).rev().find(|&i| {
        let s = &new.defs[i];
        s.container == d.container
            && olds.contains_key(&(s.local_name.clone(), s.kind, s.disambiguator))
    });
    (path.to_string(), container, before.map(id))
}

/// A removed and an added symbol of the same kind with the same non-empty
/// body, each the only one with that body, are one symbol renamed or moved.
fn pair_renames(
    removed: &mut Vec<SymbolChange>,
    added: &mut Vec<SymbolChange>,
    out: &mut Vec<SymbolChange>,
) {
    let key = |c: &SymbolChange| (c.kind, c.current().body);
    let mut count: FxHashMap<(SymbolKind, u64), (u32, u32)> = FxHashMap::default();
    for c in removed.iter() {
        count.entry(key(c)).or_default().0 += 1;
    }
    for c in added.iter() {
        count.entry(key(c)).or_default().1 += 1;
    }
    let unique =
        |k: &(SymbolKind, u64)| k.1 != crate::body_digest::EMPTY && count.get(k) == Some(&(1, 1));
    let mut from: FxHashMap<(SymbolKind, u64), Version> = FxHashMap::default();
    removed.retain(|c| {
        let k = key(c);
        if unique(&k) {
            from.insert(k, c.old.clone().expect("removed has an old version"));
            false
        } else {
            true
        }
    });
    added.retain(|c| {
        let k = key(c);
        match from.remove(&k) {
            Some(old) => {
                out.push(SymbolChange {
                    change: ChangeKind::Renamed,
                    kind: c.kind,
                    old: Some(old),
                    new: c.new.clone(),
                    anchor: None,
                });
                false
            }
            None => true,
        }
    });
}

/// What transitively depends on the given symbols: each reference's
/// enclosing definition, or its file for module-level code, breadth-first
/// with distances. Files are not followed further (their dependents are
/// whole files, not symbols).
pub fn impact_walk(db: &dyn Db, starts: &[DefLoc], depth: u32, limit: usize) -> Walk {
    let starts: Vec<Node> = starts.iter().map(|&l| Node::Symbol(l)).collect();
    bfs(&starts, depth, limit, |n| match n {
        Node::Symbol(s) => users(db, s),
        Node::File(_) => Vec::new(),
    })
}

/// A signature with all whitespace taken out.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}
