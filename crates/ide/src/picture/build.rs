//! Which nodes and edges a picture holds, within its cap: nearest first,
//! every edge between drawn nodes, and a count of what was left out.

use std::collections::VecDeque;

use rustc_hash::{FxHashMap, FxHashSet};
use weft_db::api::GraphKind;
use weft_db::api::answer::{Picture, PictureEdge, PictureNode};
use weft_db::search::{glob_matches, path_glob};
use weft_queries::graph::{self, Dependencies, Node};
use weft_queries::resolve::resolve_file;
use weft_queries::symbols::symbol_record;
use weft_queries::{RootDatabase, SourceFile};

/// How many members `cycles --format` draws at most.
pub const CYCLE_NODES: usize = 400;

/// One edge out of a node, as a neighbourhood follows it.
struct Step {
    to: Node,
    heuristic: bool,
    /// The edge points from the node to `to` (else back).
    outward: bool,
}

/// The neighbourhood of `start` along `kind`'s edges (not `Auto`: the
/// caller has chosen), to `depth`, at most `limit` nodes.
pub fn neighbourhood(
    db: &RootDatabase,
    start: Node,
    kind: GraphKind,
    depth: u32,
    limit: u32,
) -> Picture {
    let (name, edge) = match kind {
        GraphKind::Callers => ("callers", "calls"),
        GraphKind::Impact => ("impact", "uses"),
        GraphKind::Deps => ("deps", "imports"),
        GraphKind::Inherits => ("inherits", "inherits"),
        GraphKind::Calls | GraphKind::Auto => ("calls", "calls"),
    };
    let mut sketch = Sketch::new(name, limit as usize);
    let root = sketch.add(start, || node(db, start, 0));
    sketch.pic.root = root;
    let mut queue = VecDeque::from([(start, 0u32)]);
    let mut outer = Vec::new();
    while let Some((n, d)) = queue.pop_front() {
        if d >= depth {
            outer.push(n);
            continue;
        }
        for step in steps(db, kind, n) {
            let new = !sketch.seen(step.to);
            let drawn = sketch.add(step.to, || node(db, step.to, d + 1)).is_some();
            let (a, b) = step.ends(n);
            sketch.edge(a, b, edge, step.heuristic, 1);
            if new && drawn {
                queue.push_back((step.to, d + 1));
            }
        }
    }
    // the outermost ring: its edges to drawn nodes (a caller calling
    // another), but no node beyond the depth
    for n in outer {
        for step in steps(db, kind, n) {
            if sketch.is_drawn(step.to) {
                let (a, b) = step.ends(n);
                sketch.edge(a, b, edge, step.heuristic, 1);
            }
        }
    }
    sketch.pic
}

impl Step {
    /// The edge's (from, to), seen from `n`.
    fn ends(&self, n: Node) -> (Node, Node) {
        if self.outward {
            (n, self.to)
        } else {
            (self.to, n)
        }
    }
}

fn steps(db: &RootDatabase, kind: GraphKind, n: Node) -> Vec<Step> {
    let step = |to, heuristic, outward| Step {
        to,
        heuristic,
        outward,
    };
    let mut out: Vec<Step> =
        match (kind, n) {
            (GraphKind::Calls | GraphKind::Auto, Node::Symbol(s)) => graph::direct_callees(db, s)
                .into_iter()
                .filter_map(|(r, _, _)| Some(step(Node::Symbol(r.def()?), r.is_guess(), true)))
                .collect(),
            (GraphKind::Callers, Node::Symbol(s)) => graph::direct_callers(db, s)
                .into_iter()
                .map(|(n, _, h)| step(n, h, false))
                .collect(),
            (GraphKind::Impact, Node::Symbol(s)) => graph::users(db, s)
                .into_iter()
                .map(|(n, h)| step(n, h, false))
                .collect(),
            (GraphKind::Impact, Node::File(f)) => graph::dependents(db, f)
                .into_iter()
                .map(|f| step(Node::File(f), false, false))
                .collect(),
            (GraphKind::Deps, n) => {
                let f = n.file();
                let mut imports: Vec<SourceFile> = resolve_file(db, f)
                    .deps
                    .iter()
                    .copied()
                    .filter(|&d| d != f)
                    .collect();
                imports.sort_by(|a, b| a.path(db).cmp(b.path(db)));
                imports.dedup();
                imports
                    .into_iter()
                    .map(|d| step(Node::File(d), false, true))
                    .chain(
                        graph::dependents(db, f)
                            .into_iter()
                            .map(|d| step(Node::File(d), false, false)),
                    )
                    .collect()
            }
            (GraphKind::Inherits, Node::Symbol(s)) => {
                let i = graph::impls(db, s);
                i.implementors
                    .iter()
                    .map(|(l, _)| step(Node::Symbol(*l), false, false))
                    .chain(i.implements.iter().filter_map(|(r, _)| {
                        Some(step(Node::Symbol(r.def()?), r.is_guess(), true))
                    }))
                    .collect()
            }
            _ => Vec::new(),
        };
    // one edge per neighbour and direction, a proven one if any
    let mut seen = FxHashSet::default();
    out.sort_by_key(|s| s.heuristic);
    out.retain(|s| seen.insert((s.to, s.outward)));
    out
}

fn node(db: &RootDatabase, n: Node, distance: u32) -> PictureNode {
    match n {
        Node::Symbol(l) => {
            let r = symbol_record(db, l);
            PictureNode {
                id: r.id.to_string(),
                label: r.name,
                kind: r.kind.as_str().to_string(),
                title: r.qualified_name,
                cluster: r.file,
                distance,
            }
        }
        Node::File(f) => file_node(f.path(db), distance),
    }
}

fn file_node(path: &str, distance: u32) -> PictureNode {
    let (dir, name) = split(path);
    PictureNode {
        id: path.to_string(),
        label: name.to_string(),
        kind: "file".into(),
        title: path.to_string(),
        cluster: dir.to_string(),
        distance,
    }
}

/// `a/b/c.rs` → (`a/b/`, `c.rs`); a folder `a/b/` → (`a/`, `b/`).
fn split(path: &str) -> (&str, &str) {
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    match trimmed.rfind('/') {
        Some(i) => (&path[..=i], &path[i + 1..]),
        None => ("", path),
    }
}

/// The module map: every file and the files it imports, in groups. It
/// starts from the top-level folders and opens folders, a level at a time
/// and the largest first, while the picture still fits `limit` nodes;
/// with everything open, the groups are the files. If even the top level
/// is too big, the most connected are drawn.
pub fn modules(db: &RootDatabase, path: Option<&str>, limit: u32) -> Picture {
    let Dependencies { names, adj } = graph::dependencies(db, false);
    let glob = path.map(path_glob);
    let kept: Vec<bool> = names
        .iter()
        .map(|n| glob.as_deref().is_none_or(|g| glob_matches(g, n)))
        .collect();
    let limit = limit as usize;
    let files: Vec<&str> = names
        .iter()
        .zip(&kept)
        .filter(|(_, k)| **k)
        .map(|(n, _)| n.as_str())
        .collect();
    let groups = open_folders(&files, limit);
    let all_open = groups.len() == files.len();
    // each kept file's group
    let group: Vec<Option<&str>> = names
        .iter()
        .zip(&kept)
        .map(|(name, k)| {
            k.then(|| {
                ancestors(name)
                    .find(|a| groups.contains(*a))
                    .unwrap_or(name)
            })
        })
        .collect();
    // the groups' files, and the imports between groups
    let mut sizes: FxHashMap<String, u32> = FxHashMap::default();
    let mut weights: FxHashMap<(String, String), u32> = FxHashMap::default();
    for (a, succ) in adj.iter().enumerate() {
        let Some(ga) = group[a] else { continue };
        *sizes.entry(ga.to_string()).or_default() += 1;
        for &b in succ {
            if let Some(gb) = group[b]
                && gb != ga
            {
                *weights.entry((ga.to_string(), gb.to_string())).or_default() += 1;
            }
        }
    }
    // the most connected first when they cannot all be drawn
    let mut degree: FxHashMap<&str, u32> = FxHashMap::default();
    for ((a, b), w) in &weights {
        *degree.entry(a).or_default() += w;
        *degree.entry(b).or_default() += w;
    }
    let mut order: Vec<&String> = sizes.keys().collect();
    order.sort_by(|a, b| {
        let (da, db) = (degree.get(a.as_str()), degree.get(b.as_str()));
        db.cmp(&da).then(a.cmp(b))
    });
    let mut sketch = Sketch::new("modules", limit);
    let mut drawn: Vec<&String> = order.iter().copied().take(limit).collect();
    drawn.sort();
    for g in &drawn {
        let mut n = file_node(g, 0);
        if g.ends_with('/') {
            n.kind = "folder".into();
            n.title = format!("{g} ({} files)", sizes[*g]);
        }
        sketch.draw(n);
    }
    sketch.pic.left_out.nodes = (order.len() - drawn.len()) as u32;
    let mut edges: Vec<(&(String, String), &u32)> = weights.iter().collect();
    edges.sort();
    for ((a, b), &w) in edges {
        sketch.edge_ids(a, b, "imports", false, w);
    }
    if !all_open {
        sketch.pic.note = Some(format!(
            "{} files in {} groups: folders opened a level at a time, largest first, while {limit} nodes fit",
            files.len(),
            sizes.len()
        ));
    }
    sketch.pic
}

/// `a/b/c.rs` → `a/`, `a/b/`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..=i])
}

/// The groups of the module map: folders (ending in `/`) and files. The
/// top level first; then each folder is replaced by what it holds when
/// the count stays within `limit`, shallow folders before deep ones and
/// large before small.
fn open_folders<'a>(files: &[&'a str], limit: usize) -> FxHashSet<&'a str> {
    // each folder's entries (files and folders directly in it) and size
    let mut entries: FxHashMap<&str, FxHashSet<&str>> = FxHashMap::default();
    let mut size: FxHashMap<&str, u32> = FxHashMap::default();
    let mut top: FxHashSet<&str> = FxHashSet::default();
    for &f in files {
        let mut parent: Option<&str> = None;
        for a in ancestors(f).chain(std::iter::once(f)) {
            match parent {
                Some(p) => {
                    entries.entry(p).or_default().insert(a);
                }
                None => {
                    top.insert(a);
                }
            }
            if a.ends_with('/') {
                *size.entry(a).or_default() += 1;
            }
            parent = Some(a);
        }
    }
    let mut groups = top;
    let mut queue: Vec<&str> = groups
        .iter()
        .copied()
        .filter(|g| g.ends_with('/'))
        .collect();
    loop {
        // shallowest first (the map keeps one level of detail before the
        // next), then largest, then by name; the next to open is last
        let depth = |f: &str| f.matches('/').count();
        queue.sort_by(|a, b| {
            depth(b)
                .cmp(&depth(a))
                .then(size[a].cmp(&size[b]))
                .then(b.cmp(a))
        });
        let Some(pos) = (0..queue.len())
            .rev()
            .find(|&i| groups.len() - 1 + entries[queue[i]].len() <= limit)
        else {
            return groups;
        };
        let folder = queue.remove(pos);
        groups.remove(folder);
        for &e in &entries[folder] {
            groups.insert(e);
            if e.ends_with('/') {
                queue.push(e);
            }
        }
    }
}

/// The dependency cycles, each a cluster, with the imports that close it.
pub fn cycles(db: &RootDatabase, by_module: bool) -> Picture {
    let deps = graph::dependencies(db, by_module);
    let list = deps.cycles();
    let Dependencies { names, adj } = &deps;
    let index: FxHashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    // every member's cycle, drawn or not: an import to a member the cap
    // left out is counted as left out
    let mut cycle_of: FxHashMap<usize, usize> = FxHashMap::default();
    let mut sketch = Sketch::new("cycles", CYCLE_NODES);
    for (c, members) in list.iter().enumerate() {
        for m in members {
            let mut n = file_node(m, 0);
            if by_module {
                n.kind = "module".into();
                n.label = m.clone();
            }
            n.cluster = format!("cycle {} ({} members)", c + 1, members.len());
            if !sketch.draw(n) {
                sketch.pic.left_out.nodes += 1;
            }
            cycle_of.insert(index[m.as_str()], c);
        }
    }
    for (a, succ) in adj.iter().enumerate() {
        let Some(ca) = cycle_of.get(&a) else { continue };
        for &b in succ {
            if cycle_of.get(&b) == Some(ca) {
                sketch.edge_ids(&names[a], &names[b], "imports", false, 1);
            }
        }
    }
    sketch.pic
}

/// A picture being filled, with its cap.
struct Sketch {
    pic: Picture,
    limit: usize,
    /// Nodes met: their id when drawn, `None` when the cap left them out.
    met: FxHashMap<Node, Option<String>>,
    ids: FxHashSet<String>,
    edges: FxHashSet<(String, String, &'static str)>,
    left_edges: FxHashSet<(Node, Node)>,
}

impl Sketch {
    fn new(kind: &'static str, limit: usize) -> Sketch {
        Sketch {
            pic: Picture {
                kind,
                ..Picture::default()
            },
            limit: limit.max(1),
            met: FxHashMap::default(),
            ids: FxHashSet::default(),
            edges: FxHashSet::default(),
            left_edges: FxHashSet::default(),
        }
    }

    fn seen(&self, n: Node) -> bool {
        self.met.contains_key(&n)
    }

    fn is_drawn(&self, n: Node) -> bool {
        self.met.get(&n).is_some_and(Option::is_some)
    }

    /// Draw a node met in a walk, once; `None` when the cap leaves it out.
    /// Its record is made only when it is drawn.
    fn add(&mut self, n: Node, node: impl FnOnce() -> PictureNode) -> Option<String> {
        if let Some(id) = self.met.get(&n) {
            return id.clone();
        }
        let drawn = if self.pic.nodes.len() < self.limit {
            let node = node();
            let id = node.id.clone();
            self.draw(node).then_some(id)
        } else {
            None
        };
        if drawn.is_none() {
            self.pic.left_out.nodes += 1;
        }
        self.met.insert(n, drawn.clone());
        drawn
    }

    /// Draw a node if the cap allows.
    fn draw(&mut self, node: PictureNode) -> bool {
        if self.ids.contains(&node.id) {
            return true;
        }
        if self.pic.nodes.len() >= self.limit {
            return false;
        }
        self.ids.insert(node.id.clone());
        self.pic.nodes.push(node);
        true
    }

    /// An edge between nodes met in a walk.
    fn edge(&mut self, a: Node, b: Node, kind: &'static str, heuristic: bool, count: u32) {
        match (
            self.met.get(&a).cloned().flatten(),
            self.met.get(&b).cloned().flatten(),
        ) {
            (Some(x), Some(y)) => self.edge_ids(&x, &y, kind, heuristic, count),
            _ => {
                if self.left_edges.insert((a, b)) {
                    self.pic.left_out.edges += 1;
                }
            }
        }
    }

    /// An edge by node ids; counted as left out unless both are drawn.
    fn edge_ids(&mut self, a: &str, b: &str, kind: &'static str, heuristic: bool, count: u32) {
        if !(self.ids.contains(a) && self.ids.contains(b)) {
            self.pic.left_out.edges += 1;
            return;
        }
        if self.edges.insert((a.to_string(), b.to_string(), kind)) {
            self.pic.edges.push(PictureEdge {
                from: a.to_string(),
                to: b.to_string(),
                kind,
                heuristic,
                count,
            });
        }
    }
}
