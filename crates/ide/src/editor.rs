//! The questions an editor asks: by file and position (0-based line, UTF-8
//! byte column), answered with records and spans. The language server
//! turns them into LSP's types; nothing here knows of LSP.

use std::collections::BTreeMap;

use weft_db::{Pos, Role, Span, SymbolRecord};
use weft_queries::db::DefLoc;
use weft_queries::graph::{self, Node};
use weft_queries::resolve::Resolved;

use crate::Analysis;
use crate::target::find_file;

/// The definition among `defs` (one file's) that `d` belongs to: the
/// container its facts name, else the type whose qualified name prefixes
/// its own (a Rust method in an `impl` block names no container).
pub fn owner_in(defs: &[SymbolRecord], d: &SymbolRecord) -> Option<weft_db::SymbolId> {
    if let Some(c) = d.container
        && defs.iter().any(|x| x.id == c)
    {
        return Some(c);
    }
    defs.iter()
        .filter(|t| t.id != d.id && t.kind.is_type())
        .filter(|t| {
            d.qualified_name
                .strip_prefix(t.qualified_name.as_str())
                .is_some_and(|rest| rest.starts_with("::") || rest.starts_with('.'))
        })
        .max_by_key(|t| t.qualified_name.len())
        .map(|t| t.id)
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

    /// The definition the name at `pos` denotes: a symbol's name range, or
    /// the start of a module's file.
    pub fn definition_at(&self, file: &str, pos: Pos) -> Option<Spot> {
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
