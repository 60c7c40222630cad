//! The questions an editor asks: by file and position (0-based line, UTF-8
//! byte column), answered with records and spans. The language server
//! turns them into LSP's types; nothing here knows of LSP.

use std::collections::BTreeMap;

use weft_db::api::answer::LocalRecord;
use weft_db::{Pos, Role, Span, SymbolRecord};
use weft_queries::db::DefLoc;
use weft_queries::graph::{self, Node};
use weft_queries::resolve::Resolved;

use crate::Analysis;
use crate::target::find_file;

/// For each of one file's definitions, the one it belongs to: the
/// container its facts name, else the type whose qualified name is the
/// longest prefix of its own (a Rust method in an `impl` block names no
/// container). One pass over the file, then a lookup per prefix.
pub fn owners(defs: &[SymbolRecord]) -> Vec<Option<weft_db::SymbolId>> {
    let ids: std::collections::HashSet<_> = defs.iter().map(|d| d.id).collect();
    let types: std::collections::HashMap<&str, weft_db::SymbolId> = defs
        .iter()
        .filter(|t| t.kind.is_type())
        .map(|t| (t.qualified_name.as_str(), t.id))
        .collect();
    defs.iter()
        .map(|d| {
            if let Some(c) = d.container.filter(|c| ids.contains(c)) {
                return Some(c);
            }
            let q = d.qualified_name.as_str();
            // each prefix ending before a `::` or `.`, longest first
            q.char_indices()
                .rev()
                .filter(|&(i, c)| c == '.' || (c == ':' && q[..i].ends_with(':')))
                .map(|(i, c)| if c == ':' { &q[..i - 1] } else { &q[..i] })
                .find_map(|prefix| types.get(prefix).copied().filter(|&t| t != d.id))
        })
        .collect()
}

/// Where something is: a file and a range in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spot {
    pub file: String,
    pub span: Span,
}

/// One side of a call: the function (or, for module-level code, the file)
/// and the call sites' ranges, in the caller's file.
#[derive(Clone, Debug)]
pub struct Call {
    pub symbol: Option<SymbolRecord>,
    /// For module-level code: the file.
    pub file: String,
    pub sites: Vec<Span>,
}

impl Analysis<'_> {
    fn at(&self, file: &str, pos: Pos) -> Option<(Resolved, weft_queries::SourceFile)> {
        let f = find_file(self.db, self.env.root, file)?;
        let (r, _) = weft_queries::symbols::definition_at(self.db, f, pos)?;
        Some((r, f))
    }

    /// The local (parameter or variable) whose binding or use is at `pos`.
    pub fn local_at(&self, file: &str, pos: Pos) -> Option<LocalRecord> {
        let f = find_file(self.db, self.env.root, file)?;
        let i = weft_queries::symbols::local_at(self.db, f, pos)?;
        Some(self.local_record(f, i))
    }

    /// One line of a file as the engine has it (an editor's unsaved text),
    /// else as the disk has it.
    pub fn source_line(&self, file: &str, line: u32) -> Option<String> {
        let f = find_file(self.db, self.env.root, file)?;
        let text = f.text(self.db);
        let text = if text.is_empty() {
            self.env.read_source(file)?
        } else {
            text.clone()
        };
        text.lines().nth(line as usize).map(str::to_string)
    }

    /// The uses of the local at `pos` (its binding first when
    /// `declaration`, as a write), in its file.
    fn local_references_at(
        &self,
        file: &str,
        pos: Pos,
        declaration: bool,
    ) -> Option<Vec<(Spot, Role)>> {
        let f = find_file(self.db, self.env.root, file)?;
        let i = weft_queries::symbols::local_at(self.db, f, pos)?;
        let path = f.path(self.db);
        let spot = |span| Spot {
            file: path.to_string(),
            span,
        };
        let binding = declaration.then(|| (spot(self.local_record(f, i).span), Role::Write));
        Some(
            binding
                .into_iter()
                .chain(self.local_uses(f, i).map(|(span, role)| (spot(span), role)))
                .collect(),
        )
    }

    /// The definition the name at `pos` denotes: a symbol's or a local's
    /// name range, or the start of a module's file.
    pub fn definition_at(&self, file: &str, pos: Pos) -> Option<Spot> {
        if let Some(l) = self.local_at(file, pos) {
            return Some(Spot {
                file: l.file,
                span: l.span,
            });
        }
        match self.at(file, pos)?.0 {
            Resolved::Def { loc, .. } => {
                let r = self.record_of(loc);
                Some(Spot {
                    file: r.file,
                    span: r.span,
                })
            }
            Resolved::Module(f) => Some(Spot {
                file: f.path(self.db).to_string(),
                span: Span::default(),
            }),
            Resolved::External(_) | Resolved::Unresolved => None,
        }
    }

    /// The symbol whose name (defined or referenced) is at `pos`.
    pub fn symbol_at(&self, file: &str, pos: Pos) -> Option<SymbolRecord> {
        self.loc_at(file, pos).map(|l| self.record_of(l))
    }

    fn loc_at(&self, file: &str, pos: Pos) -> Option<DefLoc> {
        self.at(file, pos)?.0.def()
    }

    fn record_of(&self, l: DefLoc) -> SymbolRecord {
        weft_queries::symbols::symbol_record(self.db, l)
    }

    fn loc_of(&self, id: &str) -> Option<DefLoc> {
        match self.target(id).ok()? {
            Node::Symbol(l) => Some(l),
            Node::File(_) => None,
        }
    }

    /// Every reference to the symbol at `pos` (with its definition first
    /// when `declaration`), each with its role.
    pub fn references_at(&self, file: &str, pos: Pos, declaration: bool) -> Vec<(Spot, Role)> {
        if let Some(local) = self.local_references_at(file, pos, declaration) {
            return local;
        }
        let Some(l) = self.loc_at(file, pos) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if declaration {
            let r = self.record_of(l);
            out.push((
                Spot {
                    file: r.file,
                    span: r.span,
                },
                Role::Read,
            ));
        }
        out.extend(graph::references(self.db, l).iter().map(|h| {
            (
                Spot {
                    file: h.file.path(self.db).to_string(),
                    span: h.span,
                },
                h.role,
            )
        }));
        out
    }

    /// What implements or extends the symbol at `pos`.
    pub fn implementations_at(&self, file: &str, pos: Pos) -> Vec<SymbolRecord> {
        let Some(l) = self.loc_at(file, pos) else {
            return Vec::new();
        };
        graph::impls(self.db, l)
            .implementors
            .iter()
            .map(|(l, _)| self.record_of(*l))
            .collect()
    }

    /// Who calls the symbol with this id, with the call sites.
    pub fn incoming_calls(&self, id: &str) -> Vec<Call> {
        let Some(l) = self.loc_of(id) else {
            return Vec::new();
        };
        let mut by: BTreeMap<Node, Vec<Span>> = BTreeMap::new();
        for (n, span, _) in graph::direct_callers(self.db, l) {
            by.entry(n).or_default().push(span);
        }
        by.into_iter()
            .map(|(n, sites)| match n {
                Node::Symbol(s) => {
                    let r = self.record_of(s);
                    Call {
                        file: r.file.clone(),
                        symbol: Some(r),
                        sites,
                    }
                }
                Node::File(f) => Call {
                    symbol: None,
                    file: f.path(self.db).to_string(),
                    sites,
                },
            })
            .collect()
    }

    /// What the symbol with this id calls (resolved calls only), with the
    /// call sites in its own file.
    pub fn outgoing_calls(&self, id: &str) -> Vec<Call> {
        let Some(l) = self.loc_of(id) else {
            return Vec::new();
        };
        let mut by: BTreeMap<DefLoc, Vec<Span>> = BTreeMap::new();
        for (r, _, span) in graph::direct_callees(self.db, l) {
            if let Some(d) = r.def() {
                by.entry(d).or_default().push(span);
            }
        }
        by.into_iter()
            .map(|(d, sites)| {
                let r = self.record_of(d);
                Call {
                    file: r.file.clone(),
                    symbol: Some(r),
                    sites,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use weft_db::{Lang, SymbolId, SymbolKind, SymbolRecord};

    fn def(id: u64, q: &str, kind: SymbolKind, container: Option<u64>) -> SymbolRecord {
        SymbolRecord {
            id: SymbolId(id),
            name: q.rsplit([':', '.']).next().unwrap().into(),
            qualified_name: q.into(),
            kind,
            lang: Lang::register("rust", &[]).unwrap(),
            file: "a".into(),
            span: Default::default(),
            full_span: Default::default(),
            container: container.map(SymbolId),
            exported: true,
            signature: String::new(),
            doc: None,
        }
    }

    #[test]
    fn members_belong_to_their_container_or_the_type_their_name_extends() {
        let defs = [
            def(1, "m::Outer", SymbolKind::Struct, None),
            def(2, "m::Outer::Inner", SymbolKind::Struct, None),
            def(3, "m::Outer::Inner::go", SymbolKind::Method, None),
            def(4, "m::Outer::new", SymbolKind::Method, None),
            def(5, "pkg.C", SymbolKind::Class, None),
            def(6, "pkg.C.f", SymbolKind::Method, None),
            def(7, "m::free", SymbolKind::Function, Some(99)),
            def(8, "m::field", SymbolKind::Field, Some(1)),
        ];
        let o: Vec<Option<u64>> = super::owners(&defs)
            .into_iter()
            .map(|x| x.map(|i| i.0))
            .collect();
        assert_eq!(
            o,
            [
                None,
                Some(1),
                Some(2),
                Some(1),
                None,
                Some(5),
                None,
                Some(1)
            ]
        );
    }
}
