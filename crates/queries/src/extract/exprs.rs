//! Expressions as the walk builds them, the typed local bindings they hang
//! on, and their conversion to [`Expr`]s once scopes are known.

use tree_sitter::Node;

use super::Builder;
use crate::facts::{Expr, Name, Receiver};
use crate::lang::Shape;
use crate::syntax::text;

/// An expression as the walk builds it; names become locals or paths once
/// scopes are known ([`Builder::finish`]).
pub(super) enum RawExpr {
    Path { segs: Vec<Name>, at: usize },
    Type(Vec<Name>),
    Call(u32),
    Member(u32, Name),
    Element(u32),
}

/// A local bound with a type or a value, visible from byte `visible`.
pub(super) struct TypedLocal {
    pub(super) name: Name,
    pub(super) at: usize,
    pub(super) visible: usize,
    pub(super) value: Option<u32>,
}

/// Expressions nest at most this deep before typing gives up on them.
const MAX_EXPR_DEPTH: u32 = 24;

/// What the first segment of a path expression names.
pub(super) enum PathHead {
    SelfValue,
    /// A typed local: the raw expression of its type or value.
    Local(u32),
    Untyped,
    Global,
}

#[derive(Clone, Copy)]
pub(super) enum Slot {
    Todo,
    Busy,
    Done(Option<u32>),
}

/// Raw expressions to [`Expr`]s. A raw expression may point at a later one
/// (a call captured by the query refers to a local the walk found after),
/// so conversion is on demand, memoized, and refuses cycles.
pub(super) struct ExprConversion<'r, 'h> {
    pub(super) raw: &'r [RawExpr],
    pub(super) slots: Vec<Slot>,
    pub(super) out: Vec<Expr>,
    pub(super) head: &'h dyn Fn(&[Name], usize) -> PathHead,
}

impl ExprConversion<'_, '_> {
    fn push(&mut self, e: Expr) -> u32 {
        self.out.push(e);
        self.out.len() as u32 - 1
    }

    pub(super) fn get(&mut self, i: usize) -> Option<u32> {
        match self.slots.get(i)? {
            Slot::Done(e) => return *e,
            Slot::Busy => return None,
            Slot::Todo => {}
        }
        self.slots[i] = Slot::Busy;
        let e = match &self.raw[i] {
            RawExpr::Type(p) => Some(self.push(Expr::Type(p.clone()))),
            RawExpr::Call(c) => self.get(*c as usize).map(|c| self.push(Expr::Call(c))),
            RawExpr::Member(o, n) => {
                let n = n.clone();
                self.get(*o as usize).map(|o| self.push(Expr::Member(o, n)))
            }
            RawExpr::Element(c) => self.get(*c as usize).map(|c| self.push(Expr::Element(c))),
            RawExpr::Path { segs, at } => match (self.head)(segs, *at) {
                PathHead::SelfValue => {
                    let mut segs = segs.clone();
                    segs[0] = Name::new_static("self");
                    Some(self.push(Expr::Path(segs)))
                }
                PathHead::Local(v) => self.get(v as usize).map(|mut b| {
                    for s in &segs[1..] {
                        b = self.push(Expr::Member(b, s.clone()));
                    }
                    b
                }),
                PathHead::Untyped => None,
                PathHead::Global => Some(self.push(Expr::Path(segs.clone()))),
            },
        };
        self.slots[i] = Slot::Done(e);
        e
    }
}

impl Builder<'_> {
    pub(super) fn push_expr(&mut self, e: RawExpr) -> Option<u32> {
        self.exprs.push(e);
        Some(self.exprs.len() as u32 - 1)
    }

    /// The typed expression for `node`, if typing can follow it.
    pub(super) fn expr(&mut self, node: Node, depth: u32) -> Option<u32> {
        if depth > MAX_EXPR_DEPTH {
            return None;
        }
        let shape = self.lang.hooks.shape(node, self.src);
        if let Shape::Member { .. } = shape
            && let Some((segs, Receiver::Path)) = self.path_of(node, None)
        {
            // `module.Class`, `self.field`: resolved as a path, which knows modules
            let at = node.start_byte();
            return self.push_expr(RawExpr::Path { segs, at });
        }
        match shape {
            Shape::Name | Shape::Path => {
                let written = match shape {
                    Shape::Path => self
                        .lang
                        .hooks
                        .leaf_path(node, None, self.src, &self.family),
                    _ => None,
                };
                let (segs, receiver) = written.or_else(|| self.path_of(node, None))?;
                if receiver != Receiver::Path {
                    return None;
                }
                let at = node.start_byte();
                self.push_expr(RawExpr::Path { segs, at })
            }
            Shape::SelfValue => self.push_expr(RawExpr::Path {
                segs: vec![Name::new_static("self")],
                at: node.start_byte(),
            }),
            Shape::SuperValue => self.push_expr(RawExpr::Path {
                segs: vec![text(node, self.src).into()],
                at: node.start_byte(),
            }),
            Shape::Member { object, name } => {
                let o = self.expr(object, depth + 1)?;
                let n = text(name, self.src).into();
                self.push_expr(RawExpr::Member(o, n))
            }
            Shape::Call { callee } => {
                let c = self.expr(callee, depth + 1)?;
                self.push_expr(RawExpr::Call(c))
            }
            Shape::MethodCall { object, name } => {
                let o = self.expr(object, depth + 1)?;
                let m = self.push_expr(RawExpr::Member(o, text(name, self.src).into()))?;
                self.push_expr(RawExpr::Call(m))
            }
            Shape::Construct { ty } => {
                let path = self.type_path(ty)?;
                self.push_expr(RawExpr::Type(path))
            }
            Shape::Inner(inner) => self.expr(inner, depth + 1),
            Shape::Index(collection) => {
                let c = self.expr(collection, depth + 1)?;
                self.push_expr(RawExpr::Element(c))
            }
            Shape::Other => None,
        }
    }

    pub(super) fn type_path(&self, ty: Node) -> Option<Vec<Name>> {
        let hooks = self.lang.hooks;
        let path = crate::lang::type_path(
            text(ty, self.src),
            self.lang.path_separators,
            &|n| hooks.transparent_type(n),
            &|n| hooks.collection_type(n),
        )?;
        Some(self.through_bound(path, ty.start_byte()))
    }

    /// A typed local binding at `node`, if the language sees one.
    pub(super) fn typed_binding(&mut self, node: Node) {
        if let Some(b) = self.lang.hooks.element_binding(node, self.src) {
            let value = self
                .expr(b.collection, 0)
                .and_then(|c| self.push_expr(RawExpr::Element(c)));
            self.typed_locals.push(TypedLocal {
                name: text(b.name, self.src).into(),
                at: b.name.start_byte(),
                visible: b.visible_from,
                value,
            });
            return;
        }
        let Some(b) = self.lang.hooks.binding(node, self.src) else {
            return;
        };
        // Visible once its name, type and value are read: a `for` loop's
        // variable inside the body, not only after the loop.
        let visible = [Some(b.name), b.ty, b.value]
            .into_iter()
            .flatten()
            .map(|n| n.end_byte())
            .max()
            .unwrap_or(node.end_byte());
        let value = match (b.ty, b.value) {
            (Some(ty), _) => self
                .type_path(ty)
                .and_then(|p| self.push_expr(RawExpr::Type(p))),
            (None, Some(v)) => self.expr(v, 0),
            // (nothing types it: what else may, an enclosing closure's call, stands)
            (None, None) => return,
        };
        self.typed_locals.push(TypedLocal {
            name: text(b.name, self.src).into(),
            at: b.name.start_byte(),
            visible,
            value,
        });
    }
}
