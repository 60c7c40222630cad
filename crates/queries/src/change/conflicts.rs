//! Predicting where merging two lines of work will hurt, in three tiers:
//!
//! 1. **direct** ([`direct`]): the same symbol changed on both sides, or
//!    both sides inserting at the same place. Needs only the changed files'
//!    facts.
//! 2. **semantic** ([`semantic`]): one side changes a symbol's interface
//!    (signature, visibility, removal, rename) and code the other side
//!    changed or added uses it. Needs the other side's graph.
//! 3. **impact** ([`impact`]): one side's change lies in the transitive
//!    impact of the other side's changes, within a depth, ranked by
//!    distance. Needs the other side's graph.
//!
//! Tiers 2 and 3 run on one side's graph at a time ("theirs"), asking how
//! the other side's ("mine") changes reach what they changed: a symbol keeps
//! its id across versions, so mine's base symbols are found in theirs.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use weft_db::SymbolId;

use super::{ChangeKind, SymbolChange};
use crate::db::{Db, DefLoc, SourceFile, file_facts};
use crate::graph::{Node, references_in};
use crate::symbols::file_by_path;

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Direct,
    Semantic,
    Impact,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Direct => "direct",
            Tier::Semantic => "semantic",
            Tier::Impact => "impact",
        }
    }
}

/// A point on the edge path between the two sides' symbols.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Step {
    pub path: String,
    /// The symbol's name in its file, or empty for module-level code.
    pub name: String,
    /// 0-based line of its name.
    pub line: u32,
}

/// One predicted problem: both sides' changes and how they meet.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Prediction {
    pub tier: Tier,
    pub a: SymbolChange,
    pub b: SymbolChange,
    /// Edges between the two changes (0 for tier 1).
    pub distance: u32,
    /// The dependency path: the user first, the used symbol last.
    pub via: Vec<Step>,
    pub reason: String,
}

impl Prediction {
    fn key(&self) -> (SymbolId, SymbolId) {
        (self.a.base_id(), self.b.base_id())
    }
}

/// Which side's changes are "mine" in a tier 2 or 3 call.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mine {
    A,
    B,
}

/// Tier 1: symbols changed on both sides (not identically), and insertions
/// at the same place in the same container.
pub fn direct(a: &[SymbolChange], b: &[SymbolChange]) -> Vec<Prediction> {
    let by_base: FxHashMap<SymbolId, &SymbolChange> = a.iter().map(|c| (c.base_id(), c)).collect();
    let by_anchor: FxHashMap<_, Vec<&SymbolChange>> = a
        .iter()
        .filter_map(|c| c.anchor.as_ref().map(|k| (k, c)))
        .fold(FxHashMap::default(), |mut m, (k, c)| {
            m.entry(k).or_insert_with(Vec::new).push(c);
            m
        });
    let mut out = Vec::new();
    for cb in b {
        if let Some(ca) = by_base.get(&cb.base_id()) {
            if same_result(ca, cb) {
                continue;
            }
            let v = cb.current();
            out.push(Prediction {
                tier: Tier::Direct,
                a: (*ca).clone(),
                b: cb.clone(),
                distance: 0,
                via: vec![step(v)],
                reason: format!(
                    "both sides change {}: {} here, {} there",
                    v.name,
                    ca.change.as_str(),
                    cb.change.as_str()
                ),
            });
            continue;
        }
        let Some(k) = &cb.anchor else { continue };
        for ca in by_anchor.get(k).into_iter().flatten() {
            if same_result(ca, cb) {
                continue;
            }
            let after = match (&k.2, &k.1) {
                (Some(_), _) => "after the same symbol",
                (None, Some(_)) => "at the start of the same container",
                (None, None) => "at the start of the file",
            };
            out.push(Prediction {
                tier: Tier::Direct,
                a: (*ca).clone(),
                b: cb.clone(),
                distance: 0,
                via: vec![step(ca.current()), step(cb.current())],
                reason: format!(
                    "both sides insert {after} in {}: {} and {}",
                    k.0,
                    ca.current().name,
                    cb.current().name
                ),
            });
        }
    }
    out
}

/// Did both sides make the same change (which merges cleanly)?
fn same_result(x: &SymbolChange, y: &SymbolChange) -> bool {
    match (&x.new, &y.new) {
        (None, None) => true,
        (Some(p), Some(q)) => {
            p.name == q.name && p.path == q.path && p.body == q.body && p.signature == q.signature
        }
        _ => false,
    }
}

/// Tier 2 on theirs' graph: theirs' changed or added code that uses a
/// symbol whose interface mine changed.
pub fn semantic(
    db: &dyn Db,
    mine_side: Mine,
    mine: &[SymbolChange],
    theirs: &[SymbolChange],
) -> Vec<Prediction> {
    let changed = Changed::new(theirs);
    // Only theirs' changed code can pair with mine: the other files that
    // mention the name are never resolved.
    let their_files: FxHashSet<&str> = theirs
        .iter()
        .filter_map(|c| c.new.as_ref().map(|v| v.path.as_str()))
        .collect();
    let in_theirs = |f: SourceFile| their_files.contains(f.path(db).as_str());
    let mut out = Vec::new();
    for m in mine.iter().filter(|c| c.change.breaks_users()) {
        let Some(old) = &m.old else { continue };
        let Some(target) = locate(db, &old.path, old.id) else {
            continue;
        };
        for hit in references_in(db, target, &in_theirs) {
            let Some(from) = hit.from else { continue };
            let Some((user, t)) = changed.enclosing(db, hit.file, from) else {
                continue;
            };
            let via = vec![step_at(db, user), step(old)];
            let t = t.clone();
            let reason = format!(
                "{} ({}) uses {}, whose {} changes on the other side",
                t.current().name,
                t.change.as_str(),
                old.name,
                match m.change {
                    ChangeKind::Removed => "existence",
                    ChangeKind::Renamed => "name",
                    ChangeKind::Visibility => "visibility",
                    _ => "signature",
                },
            );
            out.push(pair(
                mine_side,
                Tier::Semantic,
                m.clone(),
                t,
                1,
                via,
                reason,
            ));
        }
    }
    dedup(out)
}

/// Tier 3 on theirs' graph: theirs' changes that transitively depend on
/// mine's, within `depth` edges, nearest first. Pairs already in `known`
/// (earlier tiers) are left out.
pub fn impact(
    db: &dyn Db,
    mine_side: Mine,
    mine: &[SymbolChange],
    theirs: &[SymbolChange],
    depth: u32,
    known: &FxHashSet<(SymbolId, SymbolId)>,
) -> Vec<Prediction> {
    let changed = Changed::new(theirs);
    let mut starts: Vec<DefLoc> = Vec::new();
    let mut start_of: FxHashMap<Node, &SymbolChange> = FxHashMap::default();
    for m in mine {
        let Some(old) = &m.old else { continue };
        if let Some(loc) = locate(db, &old.path, old.id)
            && start_of.insert(Node::Symbol(loc), m).is_none()
        {
            starts.push(loc);
        }
    }
    let walk = super::impact_walk(db, &starts, depth, usize::MAX);
    let mut out = Vec::new();
    for &(n, d) in &walk.order {
        let Node::Symbol((file, i)) = n else { continue };
        let Some((_, t)) = changed.enclosing(db, file, i) else {
            continue;
        };
        let path = walk.path_to(n);
        let m = start_of[&path[0]];
        let key = match mine_side {
            Mine::A => (m.base_id(), t.base_id()),
            Mine::B => (t.base_id(), m.base_id()),
        };
        if known.contains(&key) {
            continue;
        }
        let via: Vec<Step> = path.iter().rev().map(|&n| node_step(db, n)).collect();
        let reason = format!(
            "{} ({}) depends on {} ({}) through {} edge{}{}",
            t.current().name,
            t.change.as_str(),
            m.current().name,
            m.change.as_str(),
            d,
            if d == 1 { "" } else { "s" },
            if walk.is_guess(n) {
                ", one of them a name-only guess"
            } else {
                ""
            },
        );
        out.push(pair(
            mine_side,
            Tier::Impact,
            m.clone(),
            t.clone(),
            d,
            via,
            reason,
        ));
    }
    dedup(out)
}

/// Orders predictions: tier, distance, then the A side's place, then B's.
pub fn sort(predictions: &mut [Prediction]) {
    predictions.sort_by(|x, y| {
        let k = |p: &Prediction| {
            let (a, b) = (p.a.current(), p.b.current());
            (
                p.tier,
                p.distance,
                a.path.clone(),
                a.full_span.start,
                b.path.clone(),
                b.full_span.start,
            )
        };
        k(x).cmp(&k(y))
    });
}

fn pair(
    mine_side: Mine,
    tier: Tier,
    mine: SymbolChange,
    theirs: SymbolChange,
    distance: u32,
    via: Vec<Step>,
    reason: String,
) -> Prediction {
    let (a, b) = match mine_side {
        Mine::A => (mine, theirs),
        Mine::B => (theirs, mine),
    };
    Prediction {
        tier,
        a,
        b,
        distance,
        via,
        reason,
    }
}

/// One prediction per pair of changes, the nearest.
fn dedup(mut v: Vec<Prediction>) -> Vec<Prediction> {
    sort(&mut v);
    let mut seen = FxHashSet::default();
    v.retain(|p| seen.insert(p.key()));
    v
}

/// Theirs' changes that exist on their side, by id.
struct Changed<'c> {
    by_id: FxHashMap<SymbolId, &'c SymbolChange>,
}

impl<'c> Changed<'c> {
    fn new(changes: &'c [SymbolChange]) -> Self {
        Changed {
            by_id: changes
                .iter()
                .filter_map(|c| c.new.as_ref().map(|v| (v.id, c)))
                .collect(),
        }
    }

    /// The innermost changed definition around definition `i` of `file`,
    /// itself included.
    fn enclosing(
        &self,
        db: &dyn Db,
        file: SourceFile,
        i: u32,
    ) -> Option<(DefLoc, &'c SymbolChange)> {
        let facts = file_facts(db, file);
        let mut at = Some(i);
        while let Some(i) = at {
            let d = &facts.defs[i as usize];
            let id = SymbolId::derive(
                file.path(db),
                &d.local_name,
                d.kind.as_str(),
                d.disambiguator,
            );
            if let Some(c) = self.by_id.get(&id) {
                return Some(((file, i), c));
            }
            at = d.container;
        }
        None
    }
}

/// A symbol of the base, found by path and id in this graph.
fn locate(db: &dyn Db, path: &str, id: SymbolId) -> Option<DefLoc> {
    let file = file_by_path(db, path)?;
    let facts = file_facts(db, file);
    facts
        .defs
        .iter()
        .position(|d| SymbolId::derive(path, &d.local_name, d.kind.as_str(), d.disambiguator) == id)
        .map(|i| (file, i as u32))
}

fn step(v: &super::Version) -> Step {
    Step {
        path: v.path.clone(),
        name: v.name.clone(),
        line: v.span.start.line,
    }
}

fn step_at(db: &dyn Db, (file, i): DefLoc) -> Step {
    let facts = file_facts(db, file);
    let d = &facts.defs[i as usize];
    Step {
        path: file.path(db).to_string(),
        name: d.local_name.to_string(),
        line: d.span.start.line,
    }
}

/// A graph node as a step of a path.
pub fn node_step(db: &dyn Db, n: Node) -> Step {
    match n {
        Node::Symbol(loc) => step_at(db, loc),
        Node::File(f) => Step {
            path: f.path(db).to_string(),
            name: String::new(),
            line: 0,
        },
    }
}
