//! The read API answered by the engine: each [`Query`] into its shared
//! answer type (`weft_db::api::answer`). The CLI prints these, as JSON or
//! as text; `weft serve` sends them. A replica builds the same types from
//! the snapshot's tables (`weft_db::read`), and the contract tests check
//! that the two agree.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use weft_db::api::answer::{
    Callee, Callees, Definition, Deps, Implemented, Impls, NodeJson, Reached, Reference,
    References, SearchHit, Stats, Walked,
};
use weft_db::api::{self, Query, TargetError};
use weft_db::{Resolution, SymbolRecord};
use weft_queries::graph::{self, Node, Walk};
use weft_queries::resolve::Resolved;
use weft_queries::symbols::{SymbolFilter, search, symbol_record};
use weft_queries::{RootDatabase, export};

use crate::target::{find_file, parse_position, resolve_target};

/// A read command's answer.
pub enum Answered {
    Symbols(Vec<SymbolRecord>),
    Search(Vec<SearchHit>),
    Definition(Definition),
    References(References),
    Walked(Walked),
    Callees(Callees),
    Impls(Impls),
    Deps(Deps),
    Outline(Vec<SymbolRecord>),
    Stats(Stats),
}

impl Answered {
    /// As JSON documents: one, or one per item for the listings.
    pub fn docs(&self) -> Vec<Vec<u8>> {
        fn one<T: serde::Serialize>(v: &T) -> Vec<Vec<u8>> {
            vec![serde_json::to_vec(v).expect("answers serialize")]
        }
        match self {
            Answered::Symbols(v) | Answered::Outline(v) => v
                .iter()
                .map(|r| serde_json::to_vec(r).expect("records serialize"))
                .collect(),
            Answered::Search(v) => v
                .iter()
                .map(|h| serde_json::to_vec(h).expect("hits serialize"))
                .collect(),
            Answered::Definition(d) => one(d),
            Answered::References(r) => one(r),
            Answered::Walked(w) => one(w),
            Answered::Callees(c) => one(c),
            Answered::Impls(i) => one(i),
            Answered::Deps(d) => one(d),
            Answered::Stats(s) => one(s),
        }
    }

    /// Did the question find what it asked for? (An unresolved name or no
    /// matching symbol is an answer, but the CLI exits 1 for it.)
    pub fn found(&self) -> bool {
        match self {
            Answered::Symbols(v) => !v.is_empty(),
            Answered::Search(v) => !v.is_empty(),
            Answered::Definition(d) => d.resolution != Resolution::Unresolved,
            _ => true,
        }
    }
}

fn target(db: &RootDatabase, root: &Path, s: &str) -> Result<Node> {
    resolve_target(db, root, s).map_err(|e: TargetError| anyhow!("{e}"))
}

fn symbol(db: &RootDatabase, root: &Path, s: &str) -> Result<weft_queries::db::DefLoc> {
    match target(db, root, s)? {
        Node::Symbol(l) => Ok(l),
        Node::File(f) => bail!("{}", api::needs_symbol(s, f.path(db))),
    }
}

pub fn node_json(db: &RootDatabase, n: Node) -> NodeJson {
    match n {
        Node::Symbol(l) => NodeJson::Symbol(symbol_record(db, l)),
        Node::File(f) => NodeJson::File {
            file: f.path(db).to_string(),
        },
    }
}

fn walked(db: &RootDatabase, start: Node, walk: &Walk, label: &'static str) -> Walked {
    Walked {
        target: node_json(db, start),
        label,
        reached: walk
            .order
            .iter()
            .map(|&(n, d)| Reached {
                node: node_json(db, n),
                distance: d,
                path: walk
                    .path_to(n)
                    .into_iter()
                    .map(|p| node_json(db, p))
                    .collect(),
                resolution: Reached::resolution(walk.is_guess(n)),
            })
            .collect(),
    }
}

/// Answer `q` from the engine. `Stats` counts every file's rows.
pub fn answer(db: &RootDatabase, root: &Path, q: Query) -> Result<Answered> {
    Ok(match q {
        Query::Symbols {
            query,
            kind,
            lang,
            path,
            limit,
        } => {
            let hits = search(
                db,
                &query,
                &SymbolFilter {
                    kinds: kind,
                    langs: lang,
                    path,
                    limit: limit as usize,
                },
            );
            Answered::Symbols(hits.iter().map(|(_, l)| symbol_record(db, *l)).collect())
        }
        Query::Search {
            query,
            kind,
            lang,
            path,
            limit,
        } => Answered::Search(search_engine(db, &query, kind, lang, path, limit)?),
        Query::Def { position } => {
            let (file, pos) = match parse_position(db, root, &position) {
                Some(r) => r.map_err(|e| anyhow!("{e}"))?,
                None => bail!("{}", api::bad_position(&position)),
            };
            let Some((res, name)) = weft_queries::symbols::definition_at(db, file, pos) else {
                bail!("{}", api::no_name_at(&position));
            };
            let mut d = Definition {
                name: name.unwrap_or_default(),
                resolution: res.resolution(),
                definition: None,
                module: None,
                module_file: None,
            };
            match &res {
                Resolved::Def { loc, .. } => d.definition = Some(symbol_record(db, *loc)),
                Resolved::External(m) => d.module = Some(m.to_string()),
                Resolved::Module(f) => d.module_file = Some(f.path(db).to_string()),
                Resolved::Unresolved => {}
            }
            Answered::Definition(d)
        }
        Query::Refs { target } => {
            let t = symbol(db, root, &target)?;
            let references = graph::references(db, t)
                .iter()
                .map(|h| Reference {
                    file: h.file.path(db).to_string(),
                    span: h.span,
                    role: h.role,
                    resolution: h.resolution,
                })
                .collect();
            Answered::References(References {
                target: symbol_record(db, t),
                references,
            })
        }
        Query::Callers { target, depth } => {
            let t = symbol(db, root, &target)?;
            let w = graph::callers(db, t, depth.clamp(1, api::MAX_DEPTH), api::WALK_LIMIT);
            Answered::Walked(walked(db, Node::Symbol(t), &w, "callers"))
        }
        Query::Callees { target, depth } => {
            let t = symbol(db, root, &target)?;
            if depth <= 1 {
                let callees = graph::direct_callees(db, t)
                    .into_iter()
                    .map(|(r, name, span)| Callee {
                        name,
                        at: span,
                        resolution: r.resolution(),
                        target: r.def().map(|d| symbol_record(db, d)),
                        module: match &r {
                            Resolved::External(m) => Some(m.to_string()),
                            _ => None,
                        },
                    })
                    .collect();
                Answered::Callees(Callees {
                    target: symbol_record(db, t),
                    callees,
                })
            } else {
                let w = graph::callees(db, t, depth.min(api::MAX_DEPTH), api::WALK_LIMIT);
                Answered::Walked(walked(db, Node::Symbol(t), &w, "callees"))
            }
        }
        Query::Impls { target } => {
            let t = symbol(db, root, &target)?;
            let i = graph::impls(db, t);
            Answered::Impls(Impls {
                target: symbol_record(db, t),
                implementors: i
                    .implementors
                    .iter()
                    .map(|(l, _)| symbol_record(db, *l))
                    .collect(),
                implements: i
                    .implements
                    .iter()
                    .map(|(r, name)| Implemented {
                        name: name.clone(),
                        resolution: r.resolution(),
                        target: r.def().map(|d| symbol_record(db, d)),
                    })
                    .collect(),
            })
        }
        Query::Impact {
            target: t,
            depth,
            limit,
        } => {
            let t = target(db, root, &t)?;
            let w = graph::impact(
                db,
                t,
                depth.clamp(1, api::MAX_DEPTH),
                (limit as usize).max(1),
            );
            Answered::Walked(walked(db, t, &w, "impact"))
        }
        Query::Deps { target: t } => {
            let file = target(db, root, &t)?.file();
            let d = export::file_deps(db, file);
            Answered::Deps(Deps {
                file: file.path(db).to_string(),
                imports: d.files,
                external: d.external,
                unresolved: d.unresolved,
                imported_by: graph::dependents(db, file)
                    .iter()
                    .map(|f| f.path(db).to_string())
                    .collect(),
            })
        }
        Query::Outline { file } => {
            let Some(f) = find_file(db, root, &file) else {
                bail!("{}", TargetError::no_file(&file))
            };
            let n = weft_queries::db::file_facts(db, f).defs.len() as u32;
            Answered::Outline((0..n).map(|i| symbol_record(db, (f, i))).collect())
        }
        Query::Stats => Answered::Stats(export::stats(db)),
    })
}

/// `search` answered by the engine's word index.
pub fn search_engine(
    db: &RootDatabase,
    query: &str,
    kinds: Vec<weft_db::SymbolKind>,
    langs: Vec<weft_db::Lang>,
    path: Option<String>,
    limit: u32,
) -> Result<Vec<SearchHit>> {
    let filter = SymbolFilter {
        kinds,
        langs,
        path,
        limit: limit as usize,
    };
    let Some(hits) = weft_queries::search::search(db, query, &filter) else {
        bail!("{}", api::no_words(query));
    };
    Ok(hits
        .into_iter()
        .map(|(s, l)| SearchHit {
            score: weft_db::search::shown_score(s),
            symbol: symbol_record(db, l),
        })
        .collect())
}

/// `search` answered from a current snapshot's FTS5 table: the same
/// ranking as [`search_engine`]'s, without building the engine's index.
pub fn search_snapshot(
    store: &weft_db::store::Store,
    query: &str,
    kinds: &[weft_db::SymbolKind],
    langs: &[weft_db::Lang],
    path: Option<&str>,
    limit: u32,
) -> Result<Vec<SearchHit>> {
    weft_db::read::now(weft_db::read::search(
        store, query, kinds, langs, path, limit,
    ))
    .map_err(|e| anyhow!("{}", e.message()))
}
