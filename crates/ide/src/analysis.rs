//! The questions, answered by the engine: one typed method per question,
//! and [`Analysis::answer`] for a parsed [`Query`]. A replica answers the
//! same questions from the snapshot's tables (`weft_db::read`); the
//! contract tests check that the two agree.

use anyhow::{Result, anyhow, bail};
use weft_db::api::answer::Picture;
use weft_db::api::answer::{
    Callee, Callees, Definition, Deps, Implemented, Impls, LocalRecord, NodeJson, Reached,
    Reference, References, SearchHit, Stats, Walked,
};
use weft_db::api::{self, GraphKind, GraphQuery, Level, Query, Tokenizer};
use weft_db::{Lang, Resolution, SymbolKind, SymbolRecord};
use weft_queries::db::DefLoc;
use weft_queries::graph::{self, Node, Walk};
use weft_queries::resolve::Resolved;
use weft_queries::symbols::{SymbolFilter, symbol_record};
use weft_queries::{RootDatabase, context, export};

use crate::answer::Answer;
use crate::picture::{self, Drawn};
use crate::target::{Position, Target, find_file, find_position, resolve_target};
use crate::{Env, dense, tokens};

/// The engine at one revision, with what answers need besides the graph.
pub struct Analysis<'a> {
    pub db: &'a RootDatabase,
    pub env: &'a Env<'a>,
}

/// One symbol, told whole: what an agent reads before deciding where to
/// look next.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Explained {
    pub symbol: SymbolRecord,
    /// The symbol it is declared in (a class for a method), if any.
    pub container: Option<SymbolRecord>,
    /// The definition's text, its whole range (`None` when the file cannot
    /// be read now).
    pub source: Option<String>,
    pub references: usize,
    /// Direct callers, at most [`EXPLAIN_CALLERS`].
    pub callers: Vec<SymbolRecord>,
    /// Whether there were more callers than listed.
    pub more_callers: bool,
}

/// A local told whole: its binding, whose it is, where it is used.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ExplainedLocal {
    pub local: LocalRecord,
    /// The line that binds it (`None` when the file cannot be read now).
    pub binding: Option<String>,
    pub uses: Vec<(weft_db::Span, weft_db::Role)>,
}

/// What `explain` tells: a symbol, or a local at a position.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(untagged)]
pub enum Explanation {
    Symbol(Explained),
    Local(ExplainedLocal),
}

/// How many callers an explanation lists.
pub const EXPLAIN_CALLERS: usize = 20;

/// What a search is narrowed to.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub kinds: Vec<SymbolKind>,
    pub langs: Vec<Lang>,
    pub path: Option<String>,
}

impl Filter {
    fn with_limit(self, limit: u32) -> SymbolFilter {
        SymbolFilter {
            kinds: self.kinds,
            langs: self.langs,
            path: self.path,
            limit: limit as usize,
        }
    }
}

impl<'a> Analysis<'a> {
    pub fn new(db: &'a RootDatabase, env: &'a Env<'a>) -> Analysis<'a> {
        Analysis { db, env }
    }

    /// Answer a parsed question.
    pub fn answer(&self, q: Query) -> Result<Answer> {
        Ok(match q {
            Query::Symbols {
                query,
                kind,
                lang,
                path,
                limit,
            } => Answer::Symbols(self.symbols(&query, filter(kind, lang, path), limit)),
            Query::Search {
                query,
                kind,
                lang,
                path,
                limit,
            } => Answer::Search(self.search(&query, &filter(kind, lang, path), limit)?),
            Query::Def { position } => Answer::Definition(self.def(&position)?),
            Query::Refs { target } => Answer::References(self.refs(&target)?),
            Query::Callers { target, depth } => Answer::Walked(self.callers(&target, depth)?),
            Query::Callees { target, depth } => self.callees(&target, depth)?,
            Query::Impls { target } => Answer::Impls(self.impls(&target)?),
            Query::Impact {
                target,
                depth,
                limit,
            } => Answer::Walked(self.impact(&target, depth, limit)?),
            Query::Deps { target } => Answer::Deps(self.deps(&target)?),
            Query::Outline { file } => Answer::Outline(self.outline(&file)?),
            Query::Stats => Answer::Stats(self.stats()),
            Query::Path {
                from,
                to,
                max_depth,
            } => self.path(&from, &to, max_depth)?,
            Query::Cycles {
                level,
                format: None,
            } => Answer::Cycles(self.cycles(level)),
            Query::Cycles {
                level,
                format: Some(f),
            } => Answer::Picture(Box::new(Drawn::new(
                picture::cycles(self.db, level == Level::Module),
                Some(f),
            )?)),
            Query::Graph(g) => Answer::Picture(Box::new(Drawn::new(self.graph(&g)?, g.format)?)),
            Query::Export { pairs: false, .. } => Answer::Records(self.records()),
            Query::Export {
                pairs: true,
                locals,
            } => Answer::Pairs(self.pairs(locals)),
            Query::Context {
                target,
                budget,
                tokenizer,
            } => Answer::Context(
                Box::new(self.context(&target, budget, tokenizer)?),
                tokenizer,
            ),
            Query::Grep(g) => {
                let (matches, stats) = self.grep(&g)?;
                Answer::Grep(matches, stats)
            }
            Query::Map { budget, tokenizer } => Answer::Map(self.map(budget, tokenizer), tokenizer),
        })
    }

    /// A TARGET: a symbol id, `FILE:LINE:COL`, a file or a qualified name.
    pub fn target(&self, s: &str) -> Result<Node> {
        resolve_target(self.db, self.env.root, &Target::parse(s)).map_err(|e| anyhow!("{e}"))
    }

    fn symbol(&self, s: &str) -> Result<DefLoc> {
        match self.target(s)? {
            Node::Symbol(l) => Ok(l),
            Node::File(f) => bail!("{}", api::needs_symbol(s, f.path(self.db))),
        }
    }

    pub fn node_json(&self, n: Node) -> NodeJson {
        match n {
            Node::Symbol(l) => NodeJson::Symbol(symbol_record(self.db, l)),
            Node::File(f) => NodeJson::File {
                file: f.path(self.db).to_string(),
            },
        }
    }

    fn record(&self, l: DefLoc) -> SymbolRecord {
        symbol_record(self.db, l)
    }

    fn walked(&self, start: Node, walk: &Walk, label: &'static str) -> Walked {
        // paths share their prefixes: each node's record is made once
        let mut records: rustc_hash::FxHashMap<Node, NodeJson> = Default::default();
        let mut json = |n: Node| {
            records
                .entry(n)
                .or_insert_with(|| self.node_json(n))
                .clone()
        };
        let reached = walk
            .order
            .iter()
            .map(|&(n, d)| Reached {
                node: json(n),
                distance: d,
                path: walk.path_to(n).into_iter().map(&mut json).collect(),
                resolution: Reached::resolution(walk.is_guess(n)),
            })
            .collect();
        Walked {
            target: self.node_json(start),
            label,
            reached,
        }
    }

    /// Symbols by name: exact, prefix, substring, then fuzzy, ranked.
    pub fn symbols(&self, query: &str, f: Filter, limit: u32) -> Vec<SymbolRecord> {
        let hits = weft_queries::symbols::search(self.db, query, &f.with_limit(limit));
        hits.iter().map(|(_, l)| self.record(*l)).collect()
    }

    /// Symbols by words, best first: BM25 from the snapshot's table when
    /// the environment holds a current one, else from the engine's index
    /// (the same ranking); fused with the nearest vectors when dense
    /// search is configured.
    pub fn search(&self, query: &str, f: &Filter, limit: u32) -> Result<Vec<SearchHit>> {
        // fusion takes more candidates than it shows
        let asked = match self.env.dense {
            Some(_) => limit.max(dense::CANDIDATES),
            None => limit,
        };
        let lexical = match self.env.search_table {
            Some(store) => weft_db::read::now(weft_db::read::search(
                store,
                query,
                &f.kinds,
                &f.langs,
                f.path.as_deref(),
                asked,
            ))
            .map_err(|e| anyhow!("{}", e.message()))?,
            None => self.search_engine(query, f, asked)?,
        };
        Ok(match self.env.dense {
            Some((dir, config)) => dense::hybrid(self.db, dir, config, query, f, limit, lexical)?,
            None => lexical,
        })
    }

    fn search_engine(&self, query: &str, f: &Filter, limit: u32) -> Result<Vec<SearchHit>> {
        let Some(hits) = weft_queries::search::search(self.db, query, &f.clone().with_limit(limit))
        else {
            bail!("{}", api::no_words(query));
        };
        Ok(hits
            .into_iter()
            .map(|(s, l)| SearchHit {
                score: weft_db::search::shown_score(s),
                symbol: self.record(l),
            })
            .collect())
    }

    /// Go to definition of the name at `FILE:LINE:COL` (or `FILE:LINE`).
    pub fn def(&self, position: &str) -> Result<Definition> {
        let db = self.db;
        let Some(p) = Position::parse(position) else {
            bail!("{}", api::bad_position(position));
        };
        let (file, pos) = find_position(db, self.env.root, &p).map_err(|e| anyhow!("{e}"))?;
        if let Some(local) = weft_queries::symbols::local_at(db, file, pos) {
            let local = self.local_record(file, local);
            return Ok(Definition {
                name: local.name.clone(),
                resolution: Resolution::Scoped,
                definition: None,
                module: None,
                module_file: None,
                local: Some(local),
            });
        }
        let Some((res, name)) = weft_queries::symbols::definition_at(db, file, pos) else {
            bail!("{}", api::no_name_at(position));
        };
        let mut d = Definition {
            name: name.unwrap_or_default(),
            resolution: res.resolution(),
            definition: None,
            module: None,
            module_file: None,
            local: None,
        };
        match &res {
            Resolved::Def { loc, .. } => d.definition = Some(self.record(*loc)),
            Resolved::External(m) => d.module = Some(m.to_string()),
            Resolved::Module(f) => d.module_file = Some(f.path(db).to_string()),
            Resolved::Unresolved => {}
        }
        Ok(d)
    }

    /// The record of `file`'s local number `i`.
    pub(crate) fn local_record(&self, file: weft_queries::SourceFile, i: u32) -> LocalRecord {
        let facts = weft_queries::db::file_facts(self.db, file);
        let l = &facts.locals[i as usize];
        LocalRecord {
            name: l.name.to_string(),
            kind: if l.parameter { "parameter" } else { "local" },
            file: file.path(self.db).to_string(),
            span: l.span,
            function: l.scope.map(|s| self.record((file, s))),
        }
    }

    /// A symbol's record, container, source, and who uses it.
    pub fn explain(&self, target: &str) -> Result<Explanation> {
        if let Some(r) = self.local_refs(target) {
            let local = r.local.expect("a local's references name it");
            return Ok(Explanation::Local(ExplainedLocal {
                binding: self.source_line(&local.file, local.span.start.line),
                uses: r.references.iter().map(|h| (h.span, h.role)).collect(),
                local,
            }));
        }
        let t = self.symbol(target)?;
        let symbol = self.record(t);
        let defs = self.outline(&symbol.file)?;
        let container = defs
            .iter()
            .position(|d| d.id == symbol.id)
            .and_then(|i| crate::editor::owners(&defs)[i])
            .and_then(|c| defs.iter().find(|d| d.id == c).cloned());
        let source = self.env.read_source(&symbol.file).map(|text| {
            let (a, b) = (symbol.full_span.start.line, symbol.full_span.end.line);
            text.lines()
                .skip(a as usize)
                .take((b - a + 1) as usize)
                .collect::<Vec<_>>()
                .join("\n")
        });
        // (the walk counts its start among what it reaches)
        let w = graph::callers(self.db, t, 1, EXPLAIN_CALLERS + 2);
        let mut callers: Vec<SymbolRecord> = w
            .order
            .iter()
            .filter_map(|&(n, _)| match n {
                Node::Symbol(l) if l != t => Some(self.record(l)),
                _ => None,
            })
            .collect();
        let more_callers = callers.len() > EXPLAIN_CALLERS;
        callers.truncate(EXPLAIN_CALLERS);
        Ok(Explanation::Symbol(Explained {
            references: graph::references(self.db, t).len(),
            symbol,
            container,
            source,
            callers,
            more_callers,
        }))
    }

    pub fn refs(&self, target: &str) -> Result<References> {
        if let Some(r) = self.local_refs(target) {
            return Ok(r);
        }
        let t = self.symbol(target)?;
        let references = graph::references(self.db, t)
            .iter()
            .map(|h| Reference {
                file: h.file.path(self.db).to_string(),
                span: h.span,
                role: h.role,
                resolution: h.resolution,
            })
            .collect();
        Ok(References {
            target: Some(self.record(t)),
            local: None,
            references,
        })
    }

    /// The uses of the local at a `FILE:LINE:COL` target, if one is there.
    fn local_refs(&self, target: &str) -> Option<References> {
        let p = Position::parse(target)?;
        let (file, pos) = find_position(self.db, self.env.root, &p).ok()?;
        let i = weft_queries::symbols::local_at(self.db, file, pos)?;
        let path = file.path(self.db);
        Some(References {
            target: None,
            local: Some(self.local_record(file, i)),
            references: self
                .local_uses(file, i)
                .map(|(span, role)| Reference {
                    file: path.to_string(),
                    span,
                    role,
                    resolution: Resolution::Scoped,
                })
                .collect(),
        })
    }

    /// Where `file`'s local number `i` is used, and how.
    pub(crate) fn local_uses(
        &self,
        file: weft_queries::SourceFile,
        i: u32,
    ) -> impl Iterator<Item = (weft_db::Span, weft_db::Role)> + use<> {
        let facts = weft_queries::db::file_facts(self.db, file);
        (0..facts.local_refs.len())
            .map(move |k| facts.local_refs[k])
            .filter(move |r| r.local == i)
            .map(|r| (r.span, r.role))
    }

    pub fn callers(&self, target: &str, depth: u32) -> Result<Walked> {
        let t = self.symbol(target)?;
        let w = graph::callers(self.db, t, depth.clamp(1, api::MAX_DEPTH), api::WALK_LIMIT);
        Ok(self.walked(Node::Symbol(t), &w, "callers"))
    }

    /// Direct callees with how each call resolved (depth 1), or the
    /// transitive walk.
    pub fn callees(&self, target: &str, depth: u32) -> Result<Answer> {
        let t = self.symbol(target)?;
        if depth > 1 {
            let w = graph::callees(self.db, t, depth.min(api::MAX_DEPTH), api::WALK_LIMIT);
            return Ok(Answer::Walked(self.walked(Node::Symbol(t), &w, "callees")));
        }
        let callees = graph::direct_callees(self.db, t)
            .into_iter()
            .map(|(r, name, span)| Callee {
                name,
                at: span,
                resolution: r.resolution(),
                target: r.def().map(|d| self.record(d)),
                module: match &r {
                    Resolved::External(m) => Some(m.to_string()),
                    _ => None,
                },
            })
            .collect();
        Ok(Answer::Callees(Callees {
            target: self.record(t),
            callees,
        }))
    }

    pub fn impls(&self, target: &str) -> Result<Impls> {
        let t = self.symbol(target)?;
        let i = graph::impls(self.db, t);
        Ok(Impls {
            target: self.record(t),
            implementors: i
                .implementors
                .iter()
                .map(|(l, _)| self.record(*l))
                .collect(),
            implements: i
                .implements
                .iter()
                .map(|(r, name)| Implemented {
                    name: name.clone(),
                    resolution: r.resolution(),
                    target: r.def().map(|d| self.record(d)),
                })
                .collect(),
        })
    }

    pub fn impact(&self, target: &str, depth: u32, limit: u32) -> Result<Walked> {
        let t = self.target(target)?;
        let w = graph::impact(
            self.db,
            t,
            depth.clamp(1, api::MAX_DEPTH),
            (limit as usize).max(1),
        );
        Ok(self.walked(t, &w, "impact"))
    }

    pub fn deps(&self, target: &str) -> Result<Deps> {
        let db = self.db;
        let file = self.target(target)?.file();
        let d = export::file_deps(db, file);
        Ok(Deps {
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

    pub fn outline(&self, file: &str) -> Result<Vec<SymbolRecord>> {
        let Some(f) = find_file(self.db, self.env.root, file) else {
            bail!("{}", api::TargetError::no_file(file))
        };
        let n = weft_queries::db::file_facts(self.db, f).defs.len() as u32;
        Ok((0..n).map(|i| self.record((f, i))).collect())
    }

    /// Counts over every file's rows.
    pub fn stats(&self) -> Stats {
        export::stats(self.db)
    }

    /// A shortest chain of references or imports from one target to another.
    pub fn path(&self, from: &str, to: &str, max_depth: u32) -> Result<Answer> {
        let a = self.target(from)?;
        let b = self.target(to)?;
        Ok(
            match graph::path(self.db, a, b, max_depth.min(api::MAX_DEPTH)) {
                Some((p, guess)) => Answer::Path {
                    path: Some(p.iter().map(|&n| self.node_json(n)).collect()),
                    resolution: Reached::resolution(guess),
                },
                None => Answer::Path {
                    path: None,
                    resolution: Reached::resolution(false),
                },
            },
        )
    }

    /// A picture: the neighbourhood of a target, or the module map.
    pub fn graph(&self, g: &GraphQuery) -> Result<Picture> {
        let Some(target) = &g.target else {
            return Ok(picture::modules(self.db, g.path.as_deref(), g.limit));
        };
        let start = self.target(target)?;
        let (start, kind) = match (g.kind, start) {
            (GraphKind::Auto, Node::Symbol(_)) => (start, GraphKind::Calls),
            (GraphKind::Auto | GraphKind::Deps, n) => (Node::File(n.file()), GraphKind::Deps),
            (GraphKind::Impact, _) => (start, GraphKind::Impact),
            (_, Node::File(f)) => bail!(
                "{}; or draw the file with --kind deps or impact",
                api::needs_symbol(target, f.path(self.db))
            ),
            (k, Node::Symbol(_)) => (start, k),
        };
        let depth = g.depth.clamp(1, api::MAX_DEPTH);
        Ok(picture::neighbourhood(self.db, start, kind, depth, g.limit))
    }

    pub fn cycles(&self, level: Level) -> Vec<Vec<String>> {
        graph::cycles(self.db, level == Level::Module)
    }

    pub fn records(&self) -> Vec<weft_db::Record> {
        export::all_records(self.db).collect()
    }

    /// Go-to-definition pairs of every reference resolved into the tree
    /// and of import specifiers naming a file, and with `locals`, of every
    /// use of a local or parameter.
    pub fn pairs(&self, locals: bool) -> Vec<weft_db::rows::DefinitionPair> {
        let mut pairs = weft_db::rows::definition_pairs(&export::all_rows(self.db));
        pairs.extend(export::import_pairs(self.db));
        if locals {
            pairs.extend(export::local_pairs(self.db));
        }
        pairs
    }

    /// What a language model needs to understand or edit a symbol.
    pub fn context(
        &self,
        target: &str,
        budget: usize,
        tokenizer: Tokenizer,
    ) -> Result<context::Pack> {
        let Node::Symbol(loc) = self.target(target)? else {
            bail!(
                "`{target}` is a file; context is for a symbol: name one of its definitions, or see `weft map`"
            );
        };
        let count = tokens::counter(tokenizer);
        Ok(context::pack(self.db, loc, budget, &*count, &|p| {
            self.env.read_source(p)
        }))
    }

    /// The repository's most central symbols, within a token budget.
    pub fn map(&self, budget: usize, tokenizer: Tokenizer) -> context::RepoMap {
        let count = tokens::counter(tokenizer);
        context::map(self.db, budget, &*count)
    }
}

fn filter(kinds: Vec<SymbolKind>, langs: Vec<Lang>, path: Option<String>) -> Filter {
    Filter { kinds, langs, path }
}
