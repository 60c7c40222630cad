//! The callers, callees and impact walks: a breadth-first search whose
//! edges are read a node at a time.

use std::collections::{HashMap, HashSet, VecDeque};

use super::columns::{id_param, int, sym, sym_node, text};
use super::{Key, Node, Reader, RowSource};
use crate::api::ApiError;
use crate::api::answer::{Reached, Walked};
use crate::schema::Coded;
use crate::{Resolution, Role};

/// Which way a walk goes.
#[derive(Clone, Copy)]
pub(super) enum Walk {
    Callers,
    Callees,
    Impact,
}

/// A breadth-first walk's outcome, as `graph::bfs` in the engine keeps it.
struct Bfs {
    order: Vec<(Key, u32)>,
    parent: HashMap<Key, Key>,
    guessed: HashSet<Key>,
    nodes: HashMap<Key, Node>,
}

impl Bfs {
    fn path_to(&self, k: Key) -> Vec<Key> {
        let mut path = vec![k];
        let mut cur = k;
        while let Some(&p) = self.parent.get(&cur) {
            path.push(p);
            cur = p;
        }
        path.reverse();
        path
    }
}

impl<S: RowSource> Reader<'_, S> {
    /// Files whose dependencies include `path`, by path.
    pub(super) async fn dependents(
        &self,
        file: i64,
        path: &str,
    ) -> Result<Vec<(i64, String)>, ApiError> {
        let rows = self
            .rows(
                "SELECT f.id, f.path FROM file_deps d JOIN files f ON f.id = d.file
                 WHERE d.kind = 0 AND d.name = ?1 AND d.file != ?2 ORDER BY f.path",
                &[path.into(), file.into()],
            )
            .await?;
        rows.iter().map(|r| Ok((int(r, 0)?, text(r, 1)?))).collect()
    }

    /// The next nodes of a walk from `n`, each with whether the edge is
    /// only a name match.
    async fn next(&self, walk: Walk, n: &Node) -> Result<Vec<(Node, bool)>, ApiError> {
        let heuristic = Resolution::Heuristic.code();
        match (walk, n) {
            (Walk::Callers | Walk::Impact, Node::Symbol(s)) => {
                // callers: the enclosing function of each call; impact: the
                // enclosing definition of each reference
                let sql = match walk {
                    Walk::Callers => concat!(
                        "SELECT rf.id, rf.path, r.resolution, ",
                        rec!("s", "rf"),
                        " FROM refs r JOIN files rf ON rf.id = r.file
                           LEFT JOIN symbols s ON s.file = r.file AND s.ord = r.caller
                         WHERE r.target = CAST(?1 AS INTEGER) AND r.role = ?2
                         ORDER BY rf.path, r.seq"
                    ),
                    _ => concat!(
                        "SELECT rf.id, rf.path, r.resolution, ",
                        rec!("s", "rf"),
                        " FROM refs r JOIN files rf ON rf.id = r.file
                           LEFT JOIN symbols s ON s.file = r.file AND s.ord = r.source
                         WHERE r.target = CAST(?1 AS INTEGER)
                         ORDER BY rf.path, r.seq"
                    ),
                };
                let mut params = vec![id_param(s.rec.id)];
                if let Walk::Callers = walk {
                    params.push(Role::Call.code().into());
                }
                let rows = self.rows(sql, &params).await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    let node = match sym(r, 3)? {
                        Some(s) => sym_node(s),
                        None => Node::File {
                            id: int(r, 0)?,
                            path: text(r, 1)?,
                        },
                    };
                    out.push((node, int(r, 2)? == heuristic));
                }
                if let Walk::Impact = walk {
                    // proven edges first, each node once, in node order
                    out.sort_by(|a, b| (a.0.order(), a.1).cmp(&(b.0.order(), b.1)));
                    out.dedup_by_key(|(n, _)| n.key());
                }
                Ok(out)
            }
            (Walk::Callees, Node::Symbol(s)) => {
                let rows = self
                    .rows(
                        concat!(
                            "SELECT r.resolution, ",
                            rec!("t", "tf"),
                            " FROM refs r JOIN symbols t ON t.id = r.target
                               JOIN files tf ON tf.id = t.file
                             WHERE r.file = ?1 AND r.role = ?2 AND r.caller = ?3 ORDER BY r.seq"
                        ),
                        &[s.file.into(), Role::Call.code().into(), s.ord.into()],
                    )
                    .await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    if let Some(t) = sym(r, 1)? {
                        out.push((sym_node(t), int(r, 0)? == heuristic));
                    }
                }
                Ok(out)
            }
            (Walk::Impact, Node::File { id, path }) => Ok(self
                .dependents(*id, path)
                .await?
                .into_iter()
                .map(|(id, path)| (Node::File { id, path }, false))
                .collect()),
            (_, Node::File { .. }) => Ok(vec![]),
        }
    }

    /// Breadth-first, as the engine's walk: the same order, parents and
    /// limit.
    pub(super) async fn walk(
        &self,
        walk: Walk,
        start: Node,
        depth: u32,
        limit: usize,
    ) -> Result<Walked, ApiError> {
        let label = match walk {
            Walk::Callers => "callers",
            Walk::Callees => "callees",
            Walk::Impact => "impact",
        };
        let start_key = start.key();
        let mut w = Bfs {
            order: Vec::new(),
            parent: HashMap::new(),
            guessed: HashSet::new(),
            nodes: HashMap::new(),
        };
        let mut seen: HashSet<Key> = HashSet::from([start_key]);
        let mut queue: VecDeque<(Key, u32)> = VecDeque::from([(start_key, 0)]);
        w.nodes.insert(start_key, start);
        while let Some((k, d)) = queue.pop_front() {
            if d > 0 {
                w.order.push((k, d));
                if w.order.len() >= limit {
                    break;
                }
            }
            if d >= depth {
                continue;
            }
            let next = self.next(walk, &w.nodes[&k]).await?;
            for (m, heuristic) in next {
                let mk = m.key();
                if seen.insert(mk) {
                    w.parent.insert(mk, k);
                    if heuristic {
                        w.guessed.insert(mk);
                    }
                    w.nodes.insert(mk, m);
                    queue.push_back((mk, d + 1));
                }
            }
        }
        let reached = w
            .order
            .iter()
            .map(|&(k, d)| {
                let path = w.path_to(k);
                Reached {
                    node: w.nodes[&k].json(),
                    distance: d,
                    resolution: Reached::resolution(path.iter().any(|p| w.guessed.contains(p))),
                    path: path.iter().map(|p| w.nodes[p].json()).collect(),
                }
            })
            .collect();
        Ok(Walked {
            target: w.nodes[&start_key].json(),
            label,
            reached,
        })
    }
}
