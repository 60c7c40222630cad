//! Graph questions over resolved files: references, callers and callees,
//! implementations, impact, module dependencies, cycles, paths.
//!
//! Reverse questions never scan the repository: candidate files come from
//! the name index ([`files_mentioning`]) and only those are resolved.

use std::collections::VecDeque;

use rustc_hash::{FxHashMap, FxHashSet};
use weft_db::{Resolution, Role, Span};

use crate::db::{Db, DefLoc, SourceFile, all_files, file_facts, file_interface, files_mentioning};
use crate::resolve::{Resolved, references_by_target, resolve_file};

/// A node of the graph: a symbol, or a file (for module-level code and imports).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Node {
    Symbol(DefLoc),
    File(SourceFile),
}

impl Node {
    pub fn file(self) -> SourceFile {
        match self {
            Node::Symbol((f, _)) => f,
            Node::File(f) => f,
        }
    }
}

/// One occurrence of a symbol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefHit {
    pub file: SourceFile,
    pub span: Span,
    pub role: Role,
    /// Innermost enclosing definition.
    pub from: Option<u32>,
    /// `scoped`, `heuristic` or `compiler`.
    pub resolution: Resolution,
}

impl RefHit {
    /// Bound only by a unique name?
    pub fn is_guess(&self) -> bool {
        self.resolution == Resolution::Heuristic
    }
}

/// Does `scope` lie inside definition `idx` of the same file (or is it)?
pub fn within(defs: &[crate::facts::Def], scope: Option<u32>, idx: u32) -> bool {
    let mut s = scope;
    while let Some(i) = s {
        if i == idx {
            return true;
        }
        s = defs[i as usize].container;
    }
    false
}

/// Innermost enclosing function or method of a scope.
pub fn enclosing_function(db: &dyn Db, file: SourceFile, scope: Option<u32>) -> Option<u32> {
    let iface = file_interface(db, file);
    let mut s = scope;
    while let Some(i) = s {
        if iface.defs[i as usize].kind.is_function() {
            return Some(i);
        }
        s = iface.defs[i as usize].container;
    }
    None
}

/// Candidate files plus `also`, once each, in path order: answers list
/// files by path so that every reader of the graph (the snapshot's too)
/// gives them in one order.
fn by_path(db: &dyn Db, mut files: Vec<SourceFile>, also: SourceFile) -> Vec<SourceFile> {
    files.push(also);
    files.sort_by(|a, b| a.path(db).cmp(b.path(db)));
    files.dedup();
    files
}

/// The canonical order of nodes: symbols before files, by path, then by
/// position in the file.
pub fn node_key(db: &dyn Db, n: Node) -> (bool, &str, u32) {
    match n {
        Node::Symbol((f, i)) => (false, f.path(db).as_str(), i),
        Node::File(f) => (true, f.path(db).as_str(), 0),
    }
}

/// Every resolved occurrence of `target`, its own definition excluded.
pub fn references(db: &dyn Db, target: DefLoc) -> Vec<RefHit> {
    references_in(db, target, &|_| true)
}

/// [`references`] in the files `only` accepts: the others are not resolved.
pub fn references_in(
    db: &dyn Db,
    target: DefLoc,
    only: &dyn Fn(SourceFile) -> bool,
) -> Vec<RefHit> {
    let name = file_interface(db, target.0).defs[target.1 as usize]
        .name
        .clone();
    let files = by_path(db, files_mentioning(db, &name), target.0);
    let mut out = Vec::new();
    for f in files.into_iter().filter(|&f| only(f)) {
        let by_target = references_by_target(db, f);
        let Some(indices) = by_target.get(&target) else {
            continue;
        };
        let facts = file_facts(db, f);
        let resolved = resolve_file(db, f);
        for &i in indices {
            let r = &facts.refs[i as usize];
            out.push(RefHit {
                file: f,
                span: r.span,
                role: r.role,
                from: r.scope,
                resolution: resolved.refs[i as usize].resolution(),
            });
        }
    }
    out
}

/// Direct callers of a symbol: functions (or files, for module-level code).
/// Direct callers of a symbol, with the call's position and whether the
/// call was only bound by a unique name (`heuristic`).
pub fn direct_callers(db: &dyn Db, target: DefLoc) -> Vec<(Node, Span, bool)> {
    let mut out = Vec::new();
    for hit in references(db, target) {
        if hit.role != Role::Call {
            continue;
        }
        let node = match enclosing_function(db, hit.file, hit.from) {
            Some(i) => Node::Symbol((hit.file, i)),
            None => Node::File(hit.file),
        };
        out.push((node, hit.span, hit.is_guess()));
    }
    out
}

/// What a function calls: resolved targets, or the name when unresolved.
pub fn direct_callees(db: &dyn Db, caller: DefLoc) -> Vec<(Resolved, String, Span)> {
    let (file, idx) = caller;
    let facts = file_facts(db, file);
    let resolved = resolve_file(db, file);
    let mut out = Vec::new();
    for (r, res) in facts.refs.iter().zip(&resolved.refs) {
        if r.role == Role::Call && enclosing_function(db, file, r.scope) == Some(idx) {
            out.push((
                res.clone(),
                r.path.last().map(|s| s.to_string()).unwrap_or_default(),
                r.span,
            ));
        }
    }
    out
}

/// Breadth-first walk with distances and the edge that reached each node.
pub struct Walk {
    pub order: Vec<(Node, u32)>,
    pub parent: FxHashMap<Node, Node>,
    /// Nodes reached through a `heuristic` edge.
    pub guessed: FxHashSet<Node>,
}

impl Walk {
    /// The path from the start to `node`, start first.
    pub fn path_to(&self, node: Node) -> Vec<Node> {
        let mut path = vec![node];
        let mut cur = node;
        while let Some(&p) = self.parent.get(&cur) {
            path.push(p);
            cur = p;
        }
        path.reverse();
        path
    }

    /// Is any edge on the way to `node` only a heuristic one?
    pub fn is_guess(&self, node: Node) -> bool {
        self.path_to(node).iter().any(|n| self.guessed.contains(n))
    }
}

pub fn bfs(
    start: &[Node],
    depth: u32,
    limit: usize,
    mut next: impl FnMut(Node) -> Vec<(Node, bool)>,
) -> Walk {
    let mut seen: FxHashSet<Node> = start.iter().copied().collect();
    let mut queue: VecDeque<(Node, u32)> = start.iter().map(|&n| (n, 0)).collect();
    let mut walk = Walk {
        order: Vec::new(),
        parent: FxHashMap::default(),
        guessed: FxHashSet::default(),
    };
    while let Some((n, d)) = queue.pop_front() {
        if d > 0 {
            walk.order.push((n, d));
            if walk.order.len() >= limit {
                break;
            }
        }
        if d >= depth {
            continue;
        }
        for (m, heuristic) in next(n) {
            if seen.insert(m) {
                walk.parent.insert(m, n);
                if heuristic {
                    walk.guessed.insert(m);
                }
                queue.push_back((m, d + 1));
            }
        }
    }
    walk
}

pub fn callers(db: &dyn Db, target: DefLoc, depth: u32, limit: usize) -> Walk {
    bfs(&[Node::Symbol(target)], depth, limit, |n| match n {
        Node::Symbol(s) => direct_callers(db, s)
            .into_iter()
            .map(|(n, _, h)| (n, h))
            .collect(),
        Node::File(_) => vec![],
    })
}

pub fn callees(db: &dyn Db, target: DefLoc, depth: u32, limit: usize) -> Walk {
    bfs(&[Node::Symbol(target)], depth, limit, |n| match n {
        Node::Symbol(s) => direct_callees(db, s)
            .into_iter()
            .filter_map(|(r, _, _)| r.def().map(|d| (Node::Symbol(d), r.is_guess())))
            .collect(),
        Node::File(_) => vec![],
    })
}

/// Files importing `file`, by path.
pub fn dependents(db: &dyn Db, file: SourceFile) -> Vec<SourceFile> {
    importers(db).get(&file).cloned().unwrap_or_default()
}

/// Every file's importers, by path: the reverse of each file's resolved
/// imports, built once per revision (an impact walk asks for the
/// importers of many files; scanning every file for each cost 20-70 ms on
/// Django).
#[salsa::tracked(returns(ref))]
fn importers(db: &dyn Db) -> FxHashMap<SourceFile, Vec<SourceFile>> {
    let mut by: FxHashMap<SourceFile, Vec<SourceFile>> = FxHashMap::default();
    for f in all_files(db) {
        for &d in resolve_file(db, f).deps.iter() {
            if d != f {
                by.entry(d).or_default().push(f);
            }
        }
    }
    for v in by.values_mut() {
        v.sort_by(|a, b| a.path(db).cmp(b.path(db)));
        v.dedup();
    }
    by
}

/// Everything that transitively depends on a node: symbols through their
/// references (the enclosing definition, or the file for module-level
/// code), files through imports.
pub fn impact(db: &dyn Db, start: Node, depth: u32, limit: usize) -> Walk {
    bfs(&[start], depth, limit, |n| match n {
        Node::Symbol(s) => users(db, s),
        Node::File(f) => dependents(db, f)
            .into_iter()
            .map(|f| (Node::File(f), false))
            .collect(),
    })
}

/// What uses a symbol, one edge away: each reference's enclosing
/// definition, or its file for module-level code; proven edges first. The
/// flag marks a `heuristic` edge.
pub fn users(db: &dyn Db, target: DefLoc) -> Vec<(Node, bool)> {
    let v: Vec<(Node, bool)> = references(db, target)
        .into_iter()
        .map(|h| {
            let n = match h.from {
                Some(i) => Node::Symbol((h.file, i)),
                None => Node::File(h.file),
            };
            (n, h.is_guess())
        })
        .collect();
    proven_first(db, v)
}

/// Implementations, both directions: what implements or extends `target`,
/// and what `target` implements or extends.
pub struct Impls {
    pub implementors: Vec<(DefLoc, Span)>,
    pub implements: Vec<(Resolved, String)>,
}

pub fn impls(db: &dyn Db, target: DefLoc) -> Impls {
    let (tfile, tidx) = target;
    let tface = file_interface(db, tfile);
    let tname = tface.defs[tidx as usize].name.clone();
    let mut implementors = Vec::new();
    let mut implements = Vec::new();
    for f in by_path(db, files_mentioning(db, &tname), tfile) {
        let facts = file_facts(db, f);
        let resolved = resolve_file(db, f);
        for (inh, res) in facts.inherits.iter().zip(&resolved.inherits) {
            if res.def() == Some(target) {
                implementors.push(((f, inh.sub), inh.span));
            }
            if (f, inh.sub) == target {
                implements.push((
                    res.clone(),
                    inh.base.last().map(|s| s.to_string()).unwrap_or_default(),
                ));
            }
        }
        for ((imp, res), &self_loc) in facts
            .impls
            .iter()
            .zip(&resolved.impl_traits)
            .zip(&resolved.impl_types)
        {
            if res.def() == Some(target)
                && let Some(l) = self_loc
            {
                implementors.push((l, imp.trait_span.unwrap_or(imp.span)));
            }
            if self_loc == Some(target) && imp.trait_path.is_some() {
                let name = imp
                    .trait_path
                    .as_ref()
                    .and_then(|p| p.last())
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                implements.push((res.clone(), name));
            }
        }
    }
    implementors.sort_by(|a, b| {
        (node_key(db, Node::Symbol(a.0)), a.1).cmp(&(node_key(db, Node::Symbol(b.0)), b.1))
    });
    implementors.dedup();
    Impls {
        implementors,
        implements,
    }
}

/// The dependency graph between files (or modules): node names, and
/// each node's sorted successors, self-loops left out.
pub struct Dependencies {
    pub names: Vec<String>,
    pub adj: Vec<Vec<usize>>,
}

/// Strongly connected components of the file (or module) dependency graph
/// with more than one member, largest first. Tarjan's algorithm, iterative.
pub fn cycles(db: &dyn Db, by_module: bool) -> Vec<Vec<String>> {
    dependencies(db, by_module).cycles()
}

impl Dependencies {
    /// The cycles of [`cycles`], by name.
    pub fn cycles(&self) -> Vec<Vec<String>> {
        let Dependencies { names, adj } = self;
        let mut sccs = tarjan(adj);
        sccs.retain(|c| c.len() > 1);
        let mut out: Vec<Vec<String>> = sccs
            .into_iter()
            .map(|c| {
                let mut v: Vec<String> = c.into_iter().map(|i| names[i].clone()).collect();
                v.sort();
                v
            })
            .collect();
        out.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        out
    }
}

/// Every file's (or module's) imports of the tree.
pub fn dependencies(db: &dyn Db, by_module: bool) -> Dependencies {
    let files = all_files(db);
    let layout = crate::resolve::layout(db);
    let key = |f: SourceFile| -> String {
        if by_module {
            match layout.module_of.get(&f) {
                Some(k) => k
                    .split_once(':')
                    .map(|(_, k)| k.to_string())
                    .unwrap_or_else(|| k.to_string()),
                None => f.path(db).to_string(),
            }
        } else {
            f.path(db).to_string()
        }
    };
    let mut ids: FxHashMap<String, usize> = FxHashMap::default();
    let mut names: Vec<String> = Vec::new();
    let mut id_of = |k: String, names: &mut Vec<String>| -> usize {
        *ids.entry(k.clone()).or_insert_with(|| {
            names.push(k);
            names.len() - 1
        })
    };
    let mut edges: Vec<FxHashSet<usize>> = Vec::new();
    for &f in &files {
        let a = id_of(key(f), &mut names);
        for &d in &resolve_file(db, f).deps {
            let b = id_of(key(d), &mut names);
            if edges.len() < names.len() {
                edges.resize_with(names.len(), FxHashSet::default);
            }
            if a != b {
                edges[a].insert(b);
            }
        }
    }
    edges.resize_with(names.len(), FxHashSet::default);
    let adj: Vec<Vec<usize>> = edges
        .into_iter()
        .map(|s| {
            let mut v: Vec<usize> = s.into_iter().collect();
            v.sort();
            v
        })
        .collect();
    Dependencies { names, adj }
}

pub fn tarjan(adj: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = adj.len();
    let (mut index, mut low, mut on) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut out, mut next) = (Vec::new(), Vec::new(), 0usize);
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if *ei == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on[v] = true;
            }
            if *ei < adj[v].len() {
                let w = adj[v][*ei];
                *ei += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(u, _)) = work.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] == index[v] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on[w] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(comp);
            }
        }
    }
    out
}

/// Distinct nodes; where a node is reached both ways, the proven edge wins.
fn proven_first(db: &dyn Db, mut v: Vec<(Node, bool)>) -> Vec<(Node, bool)> {
    v.sort_by(|a, b| (node_key(db, a.0), a.1).cmp(&(node_key(db, b.0), b.1)));
    v.dedup_by_key(|(n, _)| *n);
    v
}

/// Forward edges of a node: what its code refers to (symbols) and imports
/// (files), each with whether it is only `heuristic`.
pub fn forward(db: &dyn Db, n: Node) -> Vec<(Node, bool)> {
    let mut out = Vec::new();
    match n {
        Node::Symbol((file, idx)) => {
            let facts = file_facts(db, file);
            let resolved = resolve_file(db, file);
            for (r, res) in facts.refs.iter().zip(&resolved.refs) {
                if within(&facts.defs, r.scope, idx)
                    && let Some(loc) = res.def()
                    && loc != (file, idx)
                {
                    out.push((Node::Symbol(loc), res.is_guess()));
                }
            }
        }
        Node::File(f) => {
            let resolved = resolve_file(db, f);
            out.extend(resolved.deps.iter().map(|&d| (Node::File(d), false)));
            let facts = file_facts(db, f);
            for (r, res) in facts.refs.iter().zip(&resolved.refs) {
                if r.scope.is_none()
                    && let Some(loc) = res.def()
                {
                    out.push((Node::Symbol(loc), res.is_guess()));
                }
            }
        }
    }
    proven_first(db, out)
}

/// A shortest chain of edges from one node to another.
/// Returns the nodes and whether any edge on the chain is only heuristic.
pub fn path(db: &dyn Db, from: Node, to: Node, max_depth: u32) -> Option<(Vec<Node>, bool)> {
    let mut found = false;
    let walk = bfs(&[from], max_depth, 200_000, |n| {
        if found {
            return vec![];
        }
        let next = forward(db, n);
        if next.iter().any(|(m, _)| *m == to) {
            found = true;
        }
        next
    });
    if from == to {
        return Some((vec![from], false));
    }
    walk.parent
        .contains_key(&to)
        .then(|| (walk.path_to(to), walk.is_guess(to)))
}
