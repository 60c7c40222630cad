//! `weft export`: every symbol, reference, call, inheritance and import
//! edge as [`Record`]s, in a deterministic order (by path, then position).

use std::collections::BTreeMap;

use weft_db::{EdgeKind, Lang, Location, Record, Resolution, Role, Target};

use crate::db::{Db, SourceFile, all_files, file_facts};
use crate::graph::enclosing_function;
use crate::resolve::{ImportTarget, Resolved, resolve_file};
use crate::symbols::{symbol_id, symbol_record};

fn target(db: &dyn Db, res: &Resolved, name: &str) -> Target {
    Target {
        resolution: res.resolution(),
        symbol: res.def().map(|l| symbol_id(db, l)),
        name: name.to_string(),
        module: match res {
            Resolved::External(m) => Some(m.to_string()),
            _ => None,
        },
    }
}

/// All records of one file.
pub fn file_records(db: &dyn Db, file: SourceFile) -> Vec<Record> {
    let facts = file_facts(db, file);
    let resolved = resolve_file(db, file);
    let path = file.path(db).to_string();
    let at = |span| Location {
        file: path.clone(),
        span,
    };
    let mut out = Vec::new();
    for i in 0..facts.defs.len() {
        out.push(Record::Symbol(symbol_record(db, (file, i as u32))));
    }
    for (r, res) in facts.refs.iter().zip(&resolved.refs) {
        let name = r.path.last().map(|s| s.as_str()).unwrap_or("");
        let t = target(db, res, name);
        if r.role == Role::Call {
            out.push(Record::Call {
                at: at(r.span),
                caller: enclosing_function(db, file, r.scope).map(|i| symbol_id(db, (file, i))),
                target: t.clone(),
            });
        }
        out.push(Record::Reference {
            at: at(r.span),
            role: r.role,
            from: r.scope.map(|i| symbol_id(db, (file, i))),
            target: t,
        });
    }
    for (inh, res) in facts.inherits.iter().zip(&resolved.inherits) {
        let name = inh.base.last().map(|s| s.as_str()).unwrap_or("");
        out.push(Record::Inherit {
            at: at(inh.span),
            sub: symbol_id(db, (file, inh.sub)),
            target: target(db, res, name),
        });
    }
    for ((imp, res), self_type) in facts
        .impls
        .iter()
        .zip(&resolved.impl_traits)
        .zip(&resolved.impl_types)
    {
        let Some(tp) = &imp.trait_path else { continue };
        if let Some(sub) = *self_type {
            let name = tp.last().map(|s| s.as_str()).unwrap_or("");
            out.push(Record::Inherit {
                at: at(imp.trait_span.unwrap_or(imp.span)),
                sub: symbol_id(db, sub),
                target: target(db, res, name),
            });
        }
    }
    for (imp, res) in facts.imports.iter().zip(&resolved.imports) {
        let (file, resolution) = match res {
            ImportTarget::Files(fs) if !fs.is_empty() => {
                (Some(fs[0].path(db).to_string()), Resolution::Scoped)
            }
            ImportTarget::External(_) => (None, Resolution::External),
            _ => (None, Resolution::Unresolved),
        };
        out.push(Record::Import {
            at: at(imp.span),
            module: imp.module.to_string(),
            file,
            resolution,
            names: imp.names.iter().map(|n| n.local().to_string()).collect(),
        });
    }
    out
}

/// Every record of the repository, files in path order.
pub fn all_records(db: &dyn Db) -> impl Iterator<Item = Record> + '_ {
    let mut files = all_files(db);
    files.sort_by(|a, b| a.path(db).cmp(b.path(db)));
    files.into_iter().flat_map(move |f| file_records(db, f))
}

#[derive(Default, Debug, serde::Serialize)]
pub struct Stats {
    pub files: BTreeMap<Lang, usize>,
    pub files_with_syntax_errors: usize,
    pub symbols: usize,
    pub edges: BTreeMap<EdgeKind, usize>,
    pub resolution: BTreeMap<Resolution, usize>,
}

pub fn stats(db: &dyn Db) -> Stats {
    let mut s = Stats::default();
    for f in all_files(db) {
        let Some(lang) = f.lang(db) else { continue };
        *s.files.entry(lang).or_default() += 1;
        let facts = file_facts(db, f);
        let resolved = resolve_file(db, f);
        s.files_with_syntax_errors += facts.has_errors as usize;
        s.symbols += facts.defs.len();
        for (r, res) in facts.refs.iter().zip(&resolved.refs) {
            let kind = if r.role == Role::Call {
                EdgeKind::Call
            } else {
                EdgeKind::Reference
            };
            *s.edges.entry(kind).or_default() += 1;
            *s.resolution.entry(res.resolution()).or_default() += 1;
        }
        *s.edges.entry(EdgeKind::Inherit).or_default() += facts.inherits.len()
            + facts
                .impls
                .iter()
                .filter(|i| i.trait_path.is_some())
                .count();
        *s.edges.entry(EdgeKind::Import).or_default() += facts.imports.len();
    }
    s
}
