//! What the graph says about each file, as the snapshot's rows
//! ([`file_rows`]) and as `weft export` records (derived from the rows, so
//! the two cannot disagree), in a deterministic order (by path, then
//! position).

use weft_db::rows::{
    DefinitionPair, FileDeps, FileRows, FileStats, ImportRow, InheritRow, PairPos, RefRow,
};
use weft_db::{Record, Resolution, Role, Target};

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
            Resolved::Module(f) => Some(f.path(db).to_string()),
            _ => None,
        },
    }
}

/// What a file depends on: files of the tree (sorted by path), external
/// modules (sorted), unresolved import specifiers (in import order).
pub fn file_deps(db: &dyn Db, file: SourceFile) -> FileDeps {
    let resolved = resolve_file(db, file);
    let mut files: Vec<String> = resolved
        .deps
        .iter()
        .map(|f| f.path(db).to_string())
        .collect();
    files.sort();
    let mut external: Vec<String> = resolved
        .imports
        .iter()
        .filter_map(|t| match t {
            ImportTarget::External(m) => Some(m.to_string()),
            _ => None,
        })
        .collect();
    external.sort();
    external.dedup();
    let unresolved = file_facts(db, file)
        .imports
        .iter()
        .zip(&resolved.imports)
        .filter(|(_, t)| matches!(t, ImportTarget::Unresolved))
        .map(|(i, _)| i.module.to_string())
        .collect();
    FileDeps {
        files,
        external,
        unresolved,
    }
}

/// Every row of one file. None for a file weft has no language for.
pub fn file_rows(db: &dyn Db, file: SourceFile) -> Option<FileRows> {
    let lang = file.lang(db)?;
    let facts = file_facts(db, file);
    let resolved = resolve_file(db, file);
    let id = |i: u32| symbol_id(db, (file, i));
    let mut stats = FileStats {
        syntax_errors: facts.has_errors,
        symbols: facts.defs.len() as u32,
        imports: facts.imports.len() as u32,
        ..FileStats::default()
    };
    let symbols = (0..facts.defs.len())
        .map(|i| symbol_record(db, (file, i as u32)))
        .collect();
    let refs = facts
        .refs
        .iter()
        .zip(&resolved.refs)
        .map(|(r, res)| {
            let name = r.path.last().map(|s| s.as_str()).unwrap_or("");
            stats.count_resolution(res.resolution());
            if r.role == Role::Call {
                stats.calls += 1;
            } else {
                stats.refs += 1;
            }
            RefRow {
                span: r.span,
                role: r.role,
                source: r.scope.map(id),
                caller: (r.role == Role::Call)
                    .then(|| enclosing_function(db, file, r.scope).map(id))
                    .flatten(),
                target: target(db, res, name),
            }
        })
        .collect();
    let mut inherits: Vec<InheritRow> = facts
        .inherits
        .iter()
        .zip(&resolved.inherits)
        .map(|(inh, res)| InheritRow {
            span: inh.span,
            sub: id(inh.sub),
            target: target(db, res, inh.base.last().map(|s| s.as_str()).unwrap_or("")),
        })
        .collect();
    for ((imp, res), self_type) in facts
        .impls
        .iter()
        .zip(&resolved.impl_traits)
        .zip(&resolved.impl_types)
    {
        if let (Some(tp), Some(sub)) = (&imp.trait_path, *self_type) {
            inherits.push(InheritRow {
                span: imp.trait_span.unwrap_or(imp.span),
                sub: symbol_id(db, sub),
                target: target(db, res, tp.last().map(|s| s.as_str()).unwrap_or("")),
            });
        }
    }
    stats.inherits = inherits.len() as u32;
    let imports = facts
        .imports
        .iter()
        .zip(&resolved.imports)
        .map(|(imp, res)| {
            let (file, resolution) = match res {
                ImportTarget::Files(fs) if !fs.is_empty() => {
                    (Some(fs[0].path(db).to_string()), Resolution::Scoped)
                }
                ImportTarget::External(_) => (None, Resolution::External),
                _ => (None, Resolution::Unresolved),
            };
            ImportRow {
                span: imp.span,
                module: imp.module.to_string(),
                file,
                resolution,
                names: imp.names.iter().map(|n| n.local().to_string()).collect(),
            }
        })
        .collect();
    Some(FileRows {
        path: file.path(db).to_string(),
        lang,
        stats,
        symbols,
        refs,
        inherits,
        imports,
        deps: file_deps(db, file),
    })
}

/// All records of one file.
pub fn file_records(db: &dyn Db, file: SourceFile) -> Vec<Record> {
    file_rows(db, file).map(|r| r.records()).unwrap_or_default()
}

/// Every file's rows, in path order.
pub fn all_rows(db: &dyn Db) -> Vec<FileRows> {
    let mut files = all_files(db);
    files.sort_by(|a, b| a.path(db).cmp(b.path(db)));
    files.into_iter().filter_map(|f| file_rows(db, f)).collect()
}

/// A pair for every use of a local or parameter, files in path order.
pub fn local_pairs(db: &dyn Db) -> Vec<DefinitionPair> {
    let mut files = all_files(db);
    files.sort_by(|a, b| a.path(db).cmp(b.path(db)));
    let mut out = Vec::new();
    for f in files {
        let facts = file_facts(db, f);
        let path = f.path(db);
        let at = |p: weft_db::Pos| PairPos {
            file: path.to_string(),
            line: p.line,
            col: p.col,
        };
        out.extend(facts.local_refs.iter().map(|r| DefinitionPair {
            reference: at(r.span.start),
            def: at(facts.locals[r.local as usize].span.start),
            resolution: Resolution::Scoped,
        }));
    }
    out
}

/// A pair for every import specifier that names a file of the tree
/// ([`LangResolver::specifiers_name_files`](crate::lang::LangResolver::specifiers_name_files)):
/// `'./util'` -> the start of `util.ts`. Files in path order.
pub fn import_pairs(db: &dyn Db) -> Vec<DefinitionPair> {
    let mut files = all_files(db);
    files.sort_by(|a, b| a.path(db).cmp(b.path(db)));
    let mut out = Vec::new();
    for f in files {
        if !f
            .lang(db)
            .is_some_and(|l| db.languages().get(l).resolver.specifiers_name_files())
        {
            continue;
        }
        let facts = file_facts(db, f);
        let resolved = resolve_file(db, f);
        for (imp, target) in facts.imports.iter().zip(&resolved.imports) {
            if let ImportTarget::Files(fs) = target
                && let Some(to) = fs.first()
            {
                out.push(DefinitionPair {
                    reference: PairPos {
                        file: f.path(db).to_string(),
                        line: imp.span.start.line,
                        col: imp.span.start.col,
                    },
                    def: PairPos {
                        file: to.path(db).to_string(),
                        line: 0,
                        col: 0,
                    },
                    resolution: Resolution::Scoped,
                });
            }
        }
    }
    out
}

/// Every record of the repository, files in path order.
pub fn all_records(db: &dyn Db) -> impl Iterator<Item = Record> + '_ {
    let mut files = all_files(db);
    files.sort_by(|a, b| a.path(db).cmp(b.path(db)));
    files.into_iter().flat_map(move |f| file_records(db, f))
}

pub use weft_db::api::answer::Stats;

/// Files whose parse ran over its time budget, with how many bytes of
/// each the facts cover.
pub fn over_budget(db: &dyn Db) -> Vec<(String, u32)> {
    all_files(db)
        .into_iter()
        .filter_map(|f| {
            let upto = crate::db::parsed_up_to(db, f)?;
            Some((f.path(db).to_string(), upto))
        })
        .collect()
}

pub fn stats(db: &dyn Db) -> Stats {
    let mut s = Stats::default();
    for f in all_files(db) {
        if let Some(rows) = file_rows(db, f) {
            s.add(rows.lang, 1, &rows.stats, rows.stats.syntax_errors as usize);
        }
    }
    s
}
