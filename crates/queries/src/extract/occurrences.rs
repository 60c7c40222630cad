//! Collecting what the query's captures and the occurrence walk find:
//! definitions, references, members and impl blocks, with the path text
//! helpers they need.

use tree_sitter::Node;
use weft_db::{Pos, Role, Span, SymbolKind};

use super::exprs::RawExpr;
use super::{Builder, RawDef, RawImpl, RawLocal, RawRef};

/// How far up a binding looks for the scope node that bounds it; past
/// that (pathological nesting), it is visible to the end of its function.
const MAX_SCOPE_SEARCH: usize = 64;
use crate::facts::{ImplBlock, Name, Receiver};
use crate::lang::Shape;
use crate::syntax::{Around, is_name_segment, span_of, split_path, strip_generics, text};

impl Builder<'_> {
    /// One cursor walk over the tree for every name occurrence the
    /// language's [`Occurrences`](crate::lang::Occurrences) table lists.
    pub(super) fn walk_occurrences(&mut self, root: Node, tables: &crate::lang::WalkTables) {
        use crate::lang::WalkAction;
        let mut cursor = root.walk();
        // each ancestor of the current node, innermost last
        let mut parents: Vec<Level> = Vec::new();
        let mut binding = false;
        let field = |c: &tree_sitter::TreeCursor| c.field_id().map(|f| f.get()).unwrap_or(0);
        loop {
            let node = cursor.node();
            let kind = node.kind_id();
            if tables
                .is_typed_binding
                .get(kind as usize)
                .copied()
                .unwrap_or(false)
            {
                self.typed_binding(node);
            }
            if binding
                && tables
                    .is_local_leaf
                    .get(kind as usize)
                    .copied()
                    .unwrap_or(false)
            {
                let local = self.raw_local(node, &parents, tables);
                self.locals.push(local);
            } else {
                let label = || {
                    parents.last().is_some_and(|p| {
                        tables
                            .label_fields
                            .get(p.kind as usize)
                            .is_some_and(|f| !f.is_empty() && f.contains(&field(&cursor)))
                    })
                };
                let (role, name) = match tables.actions.get(kind as usize) {
                    Some(WalkAction::Leaf(_)) if label() => (None, None),
                    Some(WalkAction::Leaf(role)) => (Some(role.as_str()), None),
                    Some(WalkAction::Path(role, field)) => (
                        Some(role.as_str()),
                        std::num::NonZeroU16::new(*field)
                            .and_then(|f| node.child_by_field_id(f.get())),
                    ),
                    _ => (None, None),
                };
                if let Some(role) = role {
                    // (only a leaf asks where it stands)
                    let around = match name {
                        None => parents.last_mut().map(Level::around),
                        Some(_) => None,
                    };
                    self.add_ref(role, node, name, around.as_ref());
                }
            }
            if cursor.goto_first_child() {
                parents.push(Level {
                    node,
                    kind,
                    binding,
                    index: 0,
                    children: None,
                });
                binding = tables.binds(kind, binding, || field(&cursor), cursor.node().kind_id());
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    let p = parents.last_mut().expect("a sibling has a parent");
                    p.index += 1;
                    binding = tables.binds(
                        p.kind,
                        p.binding,
                        || field(&cursor),
                        cursor.node().kind_id(),
                    );
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
                parents.pop();
            }
        }
    }

    /// The local a binding leaf binds, with where it is visible: from
    /// after its binder's value, to the end of the innermost scope node.
    fn raw_local(
        &self,
        node: Node,
        parents: &[Level],
        tables: &crate::lang::WalkTables,
    ) -> RawLocal {
        let is_scope = |kind: u16| tables.is_scope.get(kind as usize).copied().unwrap_or(false);
        let binder = parents.iter().rev().find(|l| !l.binding);
        // (a scope's `value` is its body, as of a Rust match arm)
        let from = binder
            .filter(|b| !is_scope(b.kind))
            .map(|b| b.node)
            .into_iter()
            .flat_map(|b| {
                tables
                    .value_fields
                    .iter()
                    .filter_map(move |&f| b.child_by_field_id(f))
            })
            .map(|v| v.end_byte())
            .fold(node.end_byte(), usize::max);
        let extent = parents
            .iter()
            .rev()
            .take(MAX_SCOPE_SEARCH)
            .find(|l| is_scope(l.kind))
            .map(|l| l.node.byte_range());
        RawLocal {
            name: text(node, self.src).into(),
            at: node.start_byte(),
            span: span_of(node),
            from,
            extent,
            parameter: binder.is_some_and(|b| b.node.kind().contains("param")),
            names_type: matches!(
                tables.actions.get(node.kind_id() as usize),
                Some(crate::lang::WalkAction::Leaf(Role::Type))
            ),
        }
    }

    pub(super) fn add_def(
        &mut self,
        kind: &str,
        node: Node,
        name: Option<Node>,
        owner: Option<Node>,
    ) {
        let Some(kind) = SymbolKind::parse(kind) else {
            return;
        };
        let Some(name_node) = name else { return };
        let name_text = self.lang.hooks.def_name(name_node, self.src);
        if name_text.is_empty() || !self.lang.hooks.accept_def(node, self.src) {
            return;
        }
        if kind == SymbolKind::Field {
            let mut up = self.family.parent(node);
            while let Some(p) = up.filter(|p| !p.kind().contains("class")) {
                up = self.family.parent(p);
            }
            if let Some(class) = up
                && !self.fields.insert((class.start_byte(), name_text.into()))
            {
                return;
            }
        }
        let hooks = self.lang.hooks;
        let extent = hooks.extent(node);
        let def = RawDef {
            kind,
            range: extent.byte_range(),
            name: name_text.into(),
            name_range: name_node.byte_range(),
            span: span_of(name_node),
            full_span: span_of(extent),
            owner: owner.map(|o| {
                strip_generics(text(o, self.src))
                    .trim_start_matches('*')
                    .into()
            }),
            exported: hooks.is_exported(node, name_text, self.src, &self.family),
            signature: hooks.signature(node, self.src),
            doc: hooks.doc(node, self.src, &self.family),
            ty: hooks.declared_type(node).and_then(|t| self.type_path(t)),
            in_error: self.broken && self.family.in_error(node),
            // (what may have alternatives: see `Cx::one_of_alternatives`)
            conditions: match kind {
                SymbolKind::Macro
                | SymbolKind::Class
                | SymbolKind::Struct
                | SymbolKind::Enum
                | SymbolKind::Interface
                | SymbolKind::TypeAlias => hooks.branch_conditions(node, self.src, &self.family),
                _ => Vec::new(),
            },
        };
        // Two patterns may match one definition (a Go struct is also a type
        // spec; a JS arrow function is also a variable): keep the specific kind.
        match self.def_name_starts.get(&name_node.start_byte()) {
            Some(&i) => {
                if matches!(
                    self.defs[i].kind,
                    SymbolKind::TypeAlias | SymbolKind::Variable
                ) && def.kind != self.defs[i].kind
                {
                    self.defs[i] = def;
                }
            }
            None => {
                self.def_name_starts
                    .insert(name_node.start_byte(), self.defs.len());
                self.defs.push(def);
            }
        }
    }

    /// `around`: `node`'s place among its siblings, when the caller knows it.
    pub(super) fn add_ref<'n>(
        &mut self,
        role: &str,
        node: Node<'n>,
        name: Option<Node<'n>>,
        around: Option<&Around<'_, 'n>>,
    ) {
        let Some(role) = Role::parse(role) else {
            return;
        };
        let leaf = match name {
            None => self
                .lang
                .hooks
                .leaf_path(node, around, self.src, &self.family),
            Some(_) => None,
        };
        // (a leaf's path comes from its neighbouring tokens, not its own
        // text: no qualifier spans can be read from it)
        let from_leaf = leaf.is_some();
        let Some((path, mut receiver)) = leaf.or_else(|| self.path_of(node, name)) else {
            return;
        };
        // (a language's `leaf_path` says "no reference" with an empty path)
        if path.is_empty() {
            return;
        }
        if receiver == Receiver::Unknown {
            let object = match self.lang.hooks.shape(node, self.src) {
                Shape::Member { object, .. } | Shape::MethodCall { object, .. } => Some(object),
                // `Foo.new(..)` (a value of Foo) names `new`, a member of Foo
                Shape::Construct { ty } if name.is_some_and(|n| n.id() != ty.id()) => Some(ty),
                _ => None,
            };
            if let Some(e) = object.and_then(|o| self.expr(o, 0)) {
                receiver = Receiver::Expr(e);
            }
        }
        let qualifiers = if receiver == Receiver::Path && path.len() > 1 && !from_leaf {
            segment_spans(node, text(node, self.src), &path)
        } else {
            Vec::new()
        };
        let span = match name {
            Some(n) => span_of(n),
            None => {
                let mut s = span_of(node);
                let last = path.last().map(|l| l.as_str()).unwrap_or("");
                let raw = text(node, self.src);
                // the last segment before any generic arguments: `b` in `a::b<T>`
                let head = &raw[..raw.find('<').unwrap_or(raw.len())];
                match head.rfind(last) {
                    Some(at) if s.start.line == s.end.line && !raw[..at].contains('\n') => {
                        s.start.col += at as u32;
                        s.end.col = s.start.col + last.len() as u32;
                    }
                    _ if s.start.line == s.end.line && s.end.col >= last.len() as u32 => {
                        s.start.col = s.end.col - last.len() as u32;
                    }
                    _ => {}
                }
                s
            }
        };
        self.refs.push(RawRef {
            range: node.byte_range(),
            path,
            receiver,
            role,
            span,
            qualifiers,
            import_path: false,
            arity: (role == Role::Call)
                .then(|| self.lang.hooks.call_arity(node, &self.family))
                .flatten(),
        });
    }

    /// Split a path node's text into segments; an expression receiver makes
    /// the path `Unknown` with only its last segment kept.
    pub(super) fn path_of(&self, node: Node, name: Option<Node>) -> Option<(Vec<Name>, Receiver)> {
        let raw = text(node, self.src);
        if raw.len() > 512 {
            return name.map(|n| (vec![Name::from(text(n, self.src))], Receiver::Unknown));
        }
        let cleaned = strip_generics(raw);
        let mut segs: Vec<Name> = Vec::new();
        let mut ok = true;
        let parts = split_path(&cleaned, self.lang.path_separators);
        let n = parts.len();
        for (i, seg) in parts.into_iter().enumerate() {
            let seg = seg.trim();
            // Ruby's `@field` first, `valid?` and `save!` last
            let bare = if i == 0 {
                seg.trim_start_matches('@')
            } else {
                seg
            };
            let bare = if i + 1 == n {
                bare.strip_suffix(['?', '!']).unwrap_or(bare)
            } else {
                bare
            };
            if !is_name_segment(bare) {
                ok = false;
                break;
            }
            segs.push(seg.into());
        }
        if ok && !segs.is_empty() {
            if let Some(n) = name
                && segs.last().map(|s| s.as_str()) != Some(text(n, self.src))
            {
                return Some((vec![text(n, self.src).into()], Receiver::Unknown));
            }
            return Some((segs, Receiver::Path));
        }
        let last = match name {
            Some(n) => text(n, self.src),
            None => return None,
        };
        if last.is_empty() {
            return None;
        }
        Some((vec![last.into()], Receiver::Unknown))
    }

    /// A member named in a literal of a known type (`Foo { field: .. }`),
    /// or of the type of a value (`switch (kind) { case A: }`).
    pub(super) fn add_member(&mut self, node: Node, ty: Option<Node>, value: Option<Node>) {
        let (e, role) = match (ty, value) {
            (Some(t), _) => {
                let Some(path) = self.type_path(t) else {
                    return;
                };
                (self.push_expr(RawExpr::Type(path)), Role::Write)
            }
            (None, Some(v)) => (self.expr(v, 0), Role::Read),
            (None, None) => return,
        };
        let Some(e) = e else {
            return;
        };
        self.refs.push(RawRef {
            range: node.byte_range(),
            path: vec![text(node, self.src).into()],
            receiver: Receiver::Expr(e),
            role,
            span: span_of(node),
            qualifiers: Vec::new(),
            import_path: false,
            arity: None,
        });
    }

    pub(super) fn add_impl(&mut self, node: Node, ty: Option<Node>, tr: Option<Node>) {
        let Some(ty) = ty else { return };
        let self_type: Name = last_segment(&strip_generics(text(ty, self.src)), "::").into();
        let trait_path = tr.and_then(|t| self.path_of(t, None)).map(|(p, _)| p);
        self.impls.push(RawImpl {
            range: node.byte_range(),
            block: ImplBlock {
                self_type,
                trait_path,
                trait_span: tr.map(span_of),
                span: span_of(node),
                container: None,
            },
        });
    }
}

fn last_segment<'s>(s: &'s str, sep: &str) -> &'s str {
    s.rsplit(sep).next().unwrap_or(s).trim()
}

/// Ranges of a path's segments before the last, found in the node's text
/// in order, with only separators and whitespace between them. Empty when
/// the text is not that simple (generic arguments, comments...).
fn segment_spans(node: Node, raw: &str, path: &[Name]) -> Vec<Span> {
    let start = node.start_position();
    let mut out = Vec::with_capacity(path.len().saturating_sub(1));
    let mut from = 0usize;
    for seg in &path[..path.len().saturating_sub(1)] {
        let Some(off) = raw[from..].find(seg.as_str()) else {
            return Vec::new();
        };
        let gap = &raw[from..from + off];
        if !gap
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, ':' | '.' | '?' | '!'))
        {
            return Vec::new();
        }
        let at = from + off;
        let line_start = raw[..at].rfind('\n').map(|i| i + 1);
        let line = start.row as u32 + raw[..at].matches('\n').count() as u32;
        let col = match line_start {
            Some(ls) => (at - ls) as u32,
            None => (start.column + at) as u32,
        };
        out.push(Span {
            start: Pos { line, col },
            end: Pos {
                line,
                col: col + seg.len() as u32,
            },
        });
        from = at + seg.len();
    }
    out
}

/// An ancestor in the occurrence walk: which child of it the walk is in,
/// and (once a leaf below asks) its children, so a leaf's siblings are
/// found by index.
struct Level<'t> {
    node: Node<'t>,
    kind: u16,
    binding: bool,
    index: usize,
    children: Option<Vec<Node<'t>>>,
}

impl<'t> Level<'t> {
    fn around(&mut self) -> Around<'_, 't> {
        let node = self.node;
        let children = self.children.get_or_insert_with(|| {
            let mut c = node.walk();
            node.children(&mut c).collect()
        });
        Around {
            parent: node,
            siblings: children,
            index: self.index,
        }
    }
}
