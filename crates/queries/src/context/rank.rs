//! Which symbols matter to a target: its typed neighbourhood (two edges
//! out), ranked by personalized PageRank restarting at the target.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::Serialize;
use weft_db::{Role, SymbolKind};

use crate::db::{Db, DefLoc, SourceFile, file_facts, files_mentioning};
use crate::graph::{self, Node, enclosing_function, node_key, within};
use crate::resolve::resolve_file;

/// How a symbol relates to the target. The order is the order of the
/// sections of a context pack, and decides between two edges to one symbol.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Target,
    /// The type or module-level definition the target is part of.
    Container,
    /// Its fields, methods, variants.
    Member,
    /// The traits, interfaces or base classes it implements or extends.
    Implements,
    ImplementedBy,
    Calls,
    CalledBy,
    /// Types named in its signature or body.
    UsesType,
    /// Other symbols it reads or writes.
    Uses,
    UsedBy,
    /// Two edges away.
    Nearby,
}

impl Relation {
    pub const ALL: [Relation; 11] = [
        Relation::Target,
        Relation::Container,
        Relation::Member,
        Relation::Implements,
        Relation::ImplementedBy,
        Relation::Calls,
        Relation::CalledBy,
        Relation::UsesType,
        Relation::Uses,
        Relation::UsedBy,
        Relation::Nearby,
    ];

    pub fn heading(self) -> &'static str {
        match self {
            Relation::Target => "Target",
            Relation::Container => "Defined in",
            Relation::Member => "Members",
            Relation::Implements => "Implements",
            Relation::ImplementedBy => "Implemented by",
            Relation::Calls => "Calls",
            Relation::CalledBy => "Called by",
            Relation::UsesType => "Types used",
            Relation::Uses => "Uses",
            Relation::UsedBy => "Used by",
            Relation::Nearby => "Nearby",
        }
    }

    /// Edge weight in the ranking: what a reader of the target needs most
    /// pulls hardest.
    fn weight(self) -> f64 {
        match self {
            Relation::Target => 0.0,
            Relation::Container | Relation::Implements | Relation::Calls => 1.0,
            Relation::UsesType | Relation::CalledBy => 0.8,
            Relation::Member | Relation::ImplementedBy => 0.6,
            Relation::Uses | Relation::UsedBy => 0.5,
            Relation::Nearby => 0.3,
        }
    }
}

/// A symbol of the target's neighbourhood.
#[derive(Clone, Debug)]
pub struct Ranked {
    pub loc: DefLoc,
    pub relation: Relation,
    /// Edges from the target (1 or 2).
    pub distance: u32,
    /// Personalized PageRank; the scores of a neighbourhood sum to 1.
    pub score: f64,
    /// For distance 2: the neighbour it was reached through.
    pub via: Option<DefLoc>,
    /// Is the edge only `heuristic` (bound by a unique name)?
    pub guess: bool,
}

/// At most this many neighbours are expanded to distance 2 (the strongest
/// first), which bounds the work for a symbol used everywhere.
const EXPAND: usize = 48;
/// Restart probability: higher keeps the mass nearer the target.
const RESTART: f64 = 0.25;
const ITERATIONS: usize = 40;

/// The target's neighbourhood, best first (the target itself is not in it).
pub fn rank(db: &dyn Db, target: DefLoc) -> Vec<Ranked> {
    let mut g = Neighbourhood::new(target);
    let mut first: Vec<(DefLoc, Relation, bool)> = neighbours(db, target, true);
    first.sort_by(|a, b| (a.1, sym_key(db, a.0)).cmp(&(b.1, sym_key(db, b.0))));
    for &(n, rel, guess) in &first {
        g.edge(target, n, rel, guess, 1, None);
    }
    let mut expanded = 0;
    let mut seen = rustc_hash::FxHashSet::default();
    for &(n, _, _) in &first {
        if expanded == EXPAND {
            break;
        }
        if !seen.insert(n) {
            continue;
        }
        expanded += 1;
        for (m, rel, guess) in neighbours(db, n, false) {
            if m != target {
                g.edge(n, m, rel, guess, 2, Some(n));
            }
        }
    }
    let scores = g.pagerank();
    let mut out: Vec<Ranked> = g
        .info
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, info)| Ranked {
            loc: g.nodes[i],
            relation: info.relation,
            distance: info.distance,
            score: scores[i],
            via: info.via,
            guess: info.guess,
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| sym_key(db, a.loc).cmp(&sym_key(db, b.loc)))
    });
    out
}

fn sym_key(db: &dyn Db, loc: DefLoc) -> (bool, &str, u32) {
    node_key(db, Node::Symbol(loc))
}

struct Info {
    relation: Relation,
    distance: u32,
    via: Option<DefLoc>,
    guess: bool,
}

/// The weighted, undirected graph of the neighbourhood; node 0 is the target.
struct Neighbourhood {
    nodes: Vec<DefLoc>,
    index: FxHashMap<DefLoc, usize>,
    info: Vec<Info>,
    /// (smaller index, larger index) -> summed weight; ordered, so the
    /// ranking adds in one order and is the same on every run.
    weights: BTreeMap<(usize, usize), f64>,
}

impl Neighbourhood {
    fn new(target: DefLoc) -> Self {
        let mut index = FxHashMap::default();
        index.insert(target, 0);
        Neighbourhood {
            nodes: vec![target],
            index,
            info: vec![Info {
                relation: Relation::Target,
                distance: 0,
                via: None,
                guess: false,
            }],
            weights: BTreeMap::new(),
        }
    }

    fn edge(
        &mut self,
        from: DefLoc,
        to: DefLoc,
        rel: Relation,
        guess: bool,
        distance: u32,
        via: Option<DefLoc>,
    ) {
        let relation = if distance == 1 { rel } else { Relation::Nearby };
        let j = match self.index.get(&to) {
            Some(&j) => {
                let info = &mut self.info[j];
                if (info.distance, info.relation, info.guess) > (distance, relation, guess) {
                    *info = Info {
                        relation,
                        distance,
                        via,
                        guess,
                    };
                }
                j
            }
            None => {
                let j = self.nodes.len();
                self.nodes.push(to);
                self.index.insert(to, j);
                self.info.push(Info {
                    relation,
                    distance,
                    via,
                    guess,
                });
                j
            }
        };
        let i = self.index[&from];
        if i != j {
            let w = rel.weight() * if guess { 0.5 } else { 1.0 };
            *self.weights.entry((i.min(j), i.max(j))).or_default() += w;
        }
    }

    /// Personalized PageRank by power iteration, restarting at node 0.
    fn pagerank(&self) -> Vec<f64> {
        let n = self.nodes.len();
        let mut out_weight = vec![0.0; n];
        for (&(i, j), &w) in &self.weights {
            out_weight[i] += w;
            out_weight[j] += w;
        }
        let mut r = vec![0.0; n];
        r[0] = 1.0;
        for _ in 0..ITERATIONS {
            let mut next = vec![0.0; n];
            next[0] = RESTART;
            let mut dangling = 0.0;
            for (i, &w) in out_weight.iter().enumerate() {
                if w == 0.0 {
                    dangling += r[i];
                }
            }
            next[0] += (1.0 - RESTART) * dangling;
            for (&(i, j), &w) in &self.weights {
                next[j] += (1.0 - RESTART) * r[i] * w / out_weight[i];
                next[i] += (1.0 - RESTART) * r[j] * w / out_weight[j];
            }
            r = next;
        }
        r
    }
}

/// The item a reference inside `scope` belongs to: its function, else the
/// type a field belongs to, else the innermost definition.
fn user_item(db: &dyn Db, file: SourceFile, scope: Option<u32>) -> Option<u32> {
    if let Some(f) = enclosing_function(db, file, scope) {
        return Some(f);
    }
    let facts = file_facts(db, file);
    let mut s = scope?;
    while matches!(
        facts.defs[s as usize].kind,
        SymbolKind::Field | SymbolKind::EnumMember
    ) {
        match facts.defs[s as usize].container {
            Some(c) => s = c,
            None => break,
        }
    }
    Some(s)
}

/// Typed edges out of a symbol: its container and members, what its code
/// names; with `reverse`, also who names it, what it implements and what
/// implements it, and methods of a type in other files (the costly half:
/// it resolves the files that mention the name).
fn neighbours(db: &dyn Db, loc: DefLoc, reverse: bool) -> Vec<(DefLoc, Relation, bool)> {
    let (file, idx) = loc;
    let facts = file_facts(db, file);
    let resolved = resolve_file(db, file);
    let def = &facts.defs[idx as usize];
    let mut out = Vec::new();
    if let Some(c) = def.container {
        out.push(((file, c), Relation::Container, false));
    } else if let Some(t) = def
        .impl_block
        .and_then(|b| resolved.impl_types.get(b as usize).copied().flatten())
    {
        out.push((t, Relation::Container, false));
    }
    for (j, d) in facts.defs.iter().enumerate() {
        if d.container == Some(idx) {
            out.push(((file, j as u32), Relation::Member, false));
        }
    }
    for (r, res) in facts.refs.iter().zip(&resolved.refs) {
        let Some(t) = res.def() else { continue };
        if t == loc || !within(&facts.defs, r.scope, idx) {
            continue;
        }
        let rel = match r.role {
            Role::Call => Relation::Calls,
            Role::Type => Relation::UsesType,
            Role::Inherit => Relation::Implements,
            Role::Read | Role::Write => Relation::Uses,
            Role::Import => continue,
        };
        out.push((t, rel, res.is_guess()));
    }
    if !reverse {
        return out;
    }
    let impls = graph::impls(db, loc);
    out.extend(
        impls
            .implementors
            .iter()
            .map(|&(l, _)| (l, Relation::ImplementedBy, false)),
    );
    out.extend(
        impls
            .implements
            .iter()
            .filter_map(|(r, _)| Some((r.def()?, Relation::Implements, r.is_guess()))),
    );
    for hit in graph::references(db, loc) {
        let Some(user) = user_item(db, hit.file, hit.from) else {
            continue;
        };
        let user_facts = file_facts(db, hit.file);
        if (hit.file, user) == loc
            || (hit.file == file && within(&user_facts.defs, Some(user), idx))
        {
            continue;
        }
        let rel = if hit.role == Role::Call {
            Relation::CalledBy
        } else {
            Relation::UsedBy
        };
        out.push(((hit.file, user), rel, hit.is_guess()));
    }
    if def.kind.is_type() {
        let mut files = files_mentioning(db, &def.name);
        files.push(file);
        files.sort_by(|a, b| a.path(db).cmp(b.path(db)));
        files.dedup();
        for f in files {
            let ff = file_facts(db, f);
            let fr = resolve_file(db, f);
            for (j, d) in ff.defs.iter().enumerate() {
                let owner = d
                    .impl_block
                    .and_then(|b| fr.impl_types.get(b as usize).copied().flatten());
                if owner == Some(loc) {
                    out.push(((f, j as u32), Relation::Member, false));
                }
            }
        }
    }
    out
}
