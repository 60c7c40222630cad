//! Small helpers over tree-sitter nodes and path text that every layer
//! above the facts uses: the extraction engine, the language hooks. A leaf:
//! it imports nothing of the crate.

use tree_sitter::Node;
use weft_db::{Pos, Span};

pub fn span_of(node: Node) -> Span {
    let s = node.start_position();
    let e = node.end_position();
    Span {
        start: Pos {
            line: s.row as u32,
            col: s.column as u32,
        },
        end: Pos {
            line: e.row as u32,
            col: e.column as u32,
        },
    }
}

pub fn text<'a>(node: Node, src: &'a str) -> &'a str {
    src.get(node.byte_range()).unwrap_or("")
}

/// Remove generic arguments (`Vec::<T>::new` -> `Vec::::new` is avoided by
/// dropping a `::` that precedes `<`).
pub fn strip_generics(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '<' => depth += 1,
            '>' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    while out.contains("::::") {
        out = out.replace("::::", "::");
    }
    out.trim_end_matches("::").to_string()
}

/// Can this path segment name a symbol (letters, digits, `_`, `$`)?
pub fn is_name_segment(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

pub fn split_path<'s>(s: &'s str, seps: &[&str]) -> Vec<&'s str> {
    let mut parts = vec![s];
    for sep in seps {
        parts = parts.into_iter().flat_map(|p| p.split(*sep)).collect();
    }
    parts
}

/// How deep a tree must be before [`Family`] builds its maps: below it,
/// tree-sitter's own lookups (a walk down from the root) are cheap enough.
const DEEP: usize = 128;

/// A node's place in its parent: the parent, its children, and the node's
/// index among them. The occurrence walk knows it for every node it visits.
pub struct Around<'a, 't> {
    pub parent: Node<'t>,
    pub siblings: &'a [Node<'t>],
    pub index: usize,
}

impl<'t> Around<'_, 't> {
    /// The sibling `k` places after (positive) or before (negative).
    pub fn sibling(&self, k: isize) -> Option<Node<'t>> {
        let i = self.index.checked_add_signed(k)?;
        self.siblings.get(i).copied()
    }
}

/// A node's parent and previous sibling. tree-sitter finds both by walking
/// down from the root, O(depth) per call: on a deeply nested file (10,000
/// nested classes) asking them for every definition is quadratic. On a
/// tree deeper than [`DEEP`], both come from maps one cursor walk builds;
/// on a shallow one, from the node itself.
pub struct Family<'t> {
    maps: Option<FamilyMaps<'t>>,
}

struct FamilyMaps<'t> {
    parent: rustc_hash::FxHashMap<usize, Node<'t>>,
    prev: rustc_hash::FxHashMap<usize, Node<'t>>,
    /// The outermost ERROR nodes: disjoint, in order.
    errors: Vec<(std::ops::Range<usize>, usize)>,
}

impl<'t> Family<'t> {
    pub fn new(root: Node<'t>) -> Self {
        let maps = deeper_than(root, DEEP).then(|| {
            let mut m = FamilyMaps {
                parent: Default::default(),
                prev: Default::default(),
                errors: Vec::new(),
            };
            let mut cursor = root.walk();
            let mut ancestors: Vec<Node<'t>> = Vec::new();
            let mut prev: Option<Node<'t>> = None;
            loop {
                let node = cursor.node();
                if let Some(&p) = ancestors.last() {
                    m.parent.insert(node.id(), p);
                }
                if let Some(p) = prev {
                    m.prev.insert(node.id(), p);
                }
                let inside = m
                    .errors
                    .last()
                    .is_some_and(|(r, _)| node.end_byte() <= r.end);
                if node.is_error() && !inside {
                    m.errors.push((node.byte_range(), node.id()));
                }
                if cursor.goto_first_child() {
                    ancestors.push(node);
                    prev = None;
                    continue;
                }
                prev = Some(node);
                loop {
                    if cursor.goto_next_sibling() {
                        break;
                    }
                    if !cursor.goto_parent() {
                        return m;
                    }
                    prev = ancestors.pop();
                }
            }
        });
        Family { maps }
    }

    pub fn parent(&self, n: Node<'t>) -> Option<Node<'t>> {
        match &self.maps {
            Some(m) => m.parent.get(&n.id()).copied(),
            None => n.parent(),
        }
    }

    pub fn prev_sibling(&self, n: Node<'t>) -> Option<Node<'t>> {
        match &self.maps {
            Some(m) => m.prev.get(&n.id()).copied(),
            None => n.prev_sibling(),
        }
    }

    /// Is the node inside an ERROR node?
    pub fn in_error(&self, n: Node<'t>) -> bool {
        match &self.maps {
            Some(m) => {
                let i = m.errors.partition_point(|(r, _)| r.start <= n.start_byte());
                i > 0 && {
                    let (r, id) = &m.errors[i - 1];
                    n.end_byte() <= r.end && *id != n.id()
                }
            }
            None => {
                let mut up = n.parent();
                while let Some(p) = up {
                    if p.is_error() {
                        return true;
                    }
                    up = p.parent();
                }
                false
            }
        }
    }
}

/// Does the tree nest deeper than `limit`? Stops as soon as it does.
fn deeper_than(root: Node, limit: usize) -> bool {
    let mut cursor = root.walk();
    let mut depth = 0;
    loop {
        if cursor.goto_first_child() {
            depth += 1;
            if depth > limit {
                return true;
            }
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return false;
            }
            depth -= 1;
        }
    }
}
