//! `weft diff` and `weft conflicts`: the symbol-level diff between two
//! versions with its impact, and merge-conflict prediction in three tiers,
//! each reported as soon as it is known.

use std::time::Instant;

use anyhow::Result;
use rustc_hash::FxHashSet;
use serde::Serialize;
use weft_queries::change::conflicts::{self, Mine, Prediction, Step, Tier, node_step};
use weft_queries::change::{ChangeKind, FileVersions, SymbolChange, impact_walk, symbol_changes};
use weft_queries::symbols::file_by_path;

use weft_load::history::repo::Delta;
use weft_load::history::versions::{FactsStats, Side, Versions};

/// Something that transitively depends on a change.
#[derive(Clone, Debug, Serialize)]
pub struct Impacted {
    pub path: String,
    /// The symbol's name in its file; empty for module-level code.
    pub name: String,
    pub line: u32,
    pub distance: u32,
    /// From the impacted symbol to the changed one.
    pub via: Vec<Step>,
    /// Reached through a name-only (`heuristic`) edge somewhere.
    pub guess: bool,
}

#[derive(Debug, Serialize)]
pub struct DiffReport {
    pub from: String,
    pub to: String,
    /// Files whose content differs.
    pub files: usize,
    pub changes: Vec<SymbolChange>,
    pub depth: u32,
    pub impact: Vec<Impacted>,
    pub facts: FactsStats,
    pub millis: DiffMillis,
}

#[derive(Debug, Default, Serialize)]
pub struct DiffMillis {
    pub changes: f64,
    pub impact: f64,
}

fn ms(t: Instant) -> f64 {
    (t.elapsed().as_secs_f64() * 1e4).round() / 10.0
}

/// The symbol-level changes from one side to another.
pub fn changes_between(v: &mut Versions, deltas: &[Delta]) -> Result<Vec<SymbolChange>> {
    let sources: Vec<&Delta> = deltas
        .iter()
        .filter(|d| !weft_queries::is_manifest(&d.path))
        .collect();
    let olds: Vec<(&str, gix::ObjectId)> = sources
        .iter()
        .filter_map(|d| d.old.map(|o| (d.path.as_str(), o)))
        .collect();
    let news: Vec<(&str, gix::ObjectId)> = sources
        .iter()
        .filter_map(|d| d.new.map(|n| (d.path.as_str(), n)))
        .collect();
    let (of, nf) = (v.facts(&olds)?, v.facts(&news)?);
    let (mut oi, mut ni) = (of.iter(), nf.iter());
    let files: Vec<FileVersions> = sources
        .iter()
        .map(|d| FileVersions {
            path: &d.path,
            old: d.old.map(|_| oi.next().expect("one per old").as_ref()),
            new: d.new.map(|_| ni.next().expect("one per new").as_ref()),
        })
        .collect();
    Ok(symbol_changes(&files))
}

/// `weft diff` on a repository: revision `from` (default HEAD) against
/// `to` (default: the working tree).
pub fn diff_revisions(
    root: &std::path::Path,
    max_file_size: u64,
    from: Option<&str>,
    to: Option<&str>,
    depth: u32,
    limit: usize,
) -> Result<DiffReport> {
    let mut v = Versions::open(root, max_file_size)?;
    let a = v.side(Some(from.unwrap_or("HEAD")))?;
    let b = v.side(to)?;
    diff(&mut v, &a, &b, depth, limit)
}

/// Two branches of a repository and their common version, read and ready
/// for [`Merge::conflicts`] (a bad revision is an error here, before any
/// prediction is reported).
pub struct Merge {
    v: Versions,
    base: Side,
    a: Side,
    b: Side,
}

impl Merge {
    /// `base` defaults to the merge base of `a` and `b`.
    pub fn open(
        root: &std::path::Path,
        max_file_size: u64,
        a: &str,
        b: &str,
        base: Option<&str>,
    ) -> Result<Merge> {
        let v = Versions::open(root, max_file_size)?;
        let (a, b) = (v.side(Some(a))?, v.side(Some(b))?);
        let base = match base {
            Some(r) => v.side(Some(r))?,
            None => v.merge_base(&a, &b)?,
        };
        Ok(Merge { v, base, a, b })
    }

    /// [`conflicts`] between the two.
    pub fn conflicts(mut self, depth: u32, emit: &mut dyn FnMut(Event)) -> Result<()> {
        conflicts(&mut self.v, &self.base, &self.a, &self.b, depth, emit)
    }
}

/// `weft diff`: changes from `a` to `b`, and what depends on them within
/// `depth` (removed symbols on `a`'s graph, the rest on `b`'s).
pub fn diff(v: &mut Versions, a: &Side, b: &Side, depth: u32, limit: usize) -> Result<DiffReport> {
    let t = Instant::now();
    let deltas = v.deltas(a, b)?;
    let changes = changes_between(v, &deltas)?;
    let mut millis = DiffMillis {
        changes: ms(t),
        ..Default::default()
    };
    let t = Instant::now();
    let mut impact = Vec::new();
    if depth > 0 && !changes.is_empty() {
        // Users of a removed or renamed symbol are found where it still
        // has its old name: on `a`'s graph.
        let (gone, kept): (Vec<&SymbolChange>, Vec<&SymbolChange>) = changes
            .iter()
            .partition(|c| matches!(c.change, ChangeKind::Removed | ChangeKind::Renamed));
        for (side, set, old) in [(a, gone, true), (b, kept, false)] {
            if set.is_empty() {
                continue;
            }
            let listing = v.listing(side)?;
            v.switch(&listing)?;
            let analysis = v.analysis();
            let found = analysis
                .with_db(|db| {
                    let starts: Vec<_> = set
                        .iter()
                        .filter_map(|c| {
                            let ver = if old { c.old.as_ref() } else { c.new.as_ref() }?;
                            Some((file_by_path(db, &ver.path)?, ver.def))
                        })
                        .collect();
                    let walk = impact_walk(db, &starts, depth, limit);
                    walk.order
                        .iter()
                        .map(|&(n, d)| {
                            let via: Vec<Step> = walk
                                .path_to(n)
                                .iter()
                                .rev()
                                .map(|&n| node_step(db, n))
                                .collect();
                            let first = via[0].clone();
                            Impacted {
                                path: first.path,
                                name: first.name,
                                line: first.line,
                                distance: d,
                                guess: walk.is_guess(n),
                                via,
                            }
                        })
                        .collect::<Vec<_>>()
                })
                .map_err(|_| anyhow::anyhow!("cancelled"))?;
            impact.extend(found);
        }
        impact.sort_by(|x, y| {
            (x.distance, &x.path, x.line, &x.name).cmp(&(y.distance, &y.path, y.line, &y.name))
        });
        let mut seen = FxHashSet::default();
        impact.retain(|i| seen.insert((i.path.clone(), i.name.clone(), i.line)));
    }
    millis.impact = ms(t);
    Ok(DiffReport {
        from: a.label(),
        to: b.label(),
        files: deltas.len(),
        changes,
        depth,
        impact,
        facts: v.stats,
        millis,
    })
}

/// What `weft conflicts` reports, in order.
#[derive(Debug, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// The three versions, and how much each side changed.
    Start {
        base: String,
        a: String,
        b: String,
        a_files: usize,
        b_files: usize,
        a_changes: usize,
        b_changes: usize,
    },
    /// One tier's predictions, as soon as the tier is done.
    Tier {
        tier: Tier,
        millis: f64,
        predictions: Vec<Prediction>,
    },
    Done {
        predictions: usize,
        millis: f64,
        facts: FactsStats,
    },
}

/// `weft conflicts`: predict where merging `a` and `b` (from `base`) will
/// hurt. Calls `emit` once per event.
pub fn conflicts(
    v: &mut Versions,
    base: &Side,
    a: &Side,
    b: &Side,
    depth: u32,
    emit: &mut dyn FnMut(Event),
) -> Result<()> {
    let start = Instant::now();
    let t = Instant::now();
    let (da, db) = (v.deltas(base, a)?, v.deltas(base, b)?);
    let ca = changes_between(v, &da)?;
    let cb = changes_between(v, &db)?;
    emit(Event::Start {
        base: base.label(),
        a: a.label(),
        b: b.label(),
        a_files: da.len(),
        b_files: db.len(),
        a_changes: ca.len(),
        b_changes: cb.len(),
    });
    let mut direct = conflicts::direct(&ca, &cb);
    conflicts::sort(&mut direct);
    let mut total = direct.len();
    let mut known: FxHashSet<_> = direct
        .iter()
        .map(|p| (p.a.base_id(), p.b.base_id()))
        .collect();
    emit(Event::Tier {
        tier: Tier::Direct,
        millis: ms(t),
        predictions: direct,
    });

    // Tier 2 on each side's graph: the engine switches A -> B -> A, and each
    // switch applies only the files the two sides hold differently.
    let t = Instant::now();
    let (la, lb) = (v.listing(a)?, v.listing(b)?);
    tracing::debug!(ms = ms(t), "listed both sides");
    let on = |v: &mut Versions,
              mine: Mine,
              listing,
              f: &dyn Fn(&weft_queries::RootDatabase, Mine) -> Vec<Prediction>|
     -> Result<Vec<Prediction>> {
        let t = Instant::now();
        let files = v.switch(listing)?;
        tracing::debug!(files, ms = ms(t), "switched versions");
        let t = Instant::now();
        let analysis = v.analysis();
        let r = analysis
            .with_db(|db| f(db, mine))
            .map_err(|_| anyhow::anyhow!("cancelled"));
        tracing::debug!(ms = ms(t), ?mine, "queried");
        r
    };
    let mut semantic = on(v, Mine::B, &la, &|db, m| {
        conflicts::semantic(db, m, &cb, &ca)
    })?;
    semantic.extend(on(v, Mine::A, &lb, &|db, m| {
        conflicts::semantic(db, m, &ca, &cb)
    })?);
    conflicts::sort(&mut semantic);
    total += semantic.len();
    known.extend(semantic.iter().map(|p| (p.a.base_id(), p.b.base_id())));
    emit(Event::Tier {
        tier: Tier::Semantic,
        millis: ms(t),
        predictions: semantic,
    });

    let t = Instant::now();
    let mut impact = on(v, Mine::A, &lb, &|db, m| {
        conflicts::impact(db, m, &ca, &cb, depth, &known)
    })?;
    impact.extend(on(v, Mine::B, &la, &|db, m| {
        conflicts::impact(db, m, &cb, &ca, depth, &known)
    })?);
    conflicts::sort(&mut impact);
    let mut seen = FxHashSet::default();
    impact.retain(|p| seen.insert((p.a.base_id(), p.b.base_id())));
    total += impact.len();
    emit(Event::Tier {
        tier: Tier::Impact,
        millis: ms(t),
        predictions: impact,
    });
    emit(Event::Done {
        predictions: total,
        millis: ms(start),
        facts: v.stats,
    });
    Ok(())
}
