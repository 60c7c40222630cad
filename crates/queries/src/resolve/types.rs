//! Local type inference: the type of a receiver, worked out the way a reader
//! does from declarations only. `self`/`this`, annotations on parameters
//! and variables, constructors (`Foo::new()`, `Foo(...)`, `new Foo()`,
//! `Foo { .. }`), declared return types, fields with declared types; a
//! member is then looked up through the type's impls, traits and bases.
//! Collections carry their element type (`Vec<T>`, `&[T]`, `list[T]`,
//! `T[]`, `[]T`), which loop variables, indexing and the parameters of
//! closures passed to `map`/`forEach`-like methods take. Anything else
//! (generics, inference across assignments) gives no type, and the
//! reference falls back to the honest unique-name heuristic or stays
//! unresolved.

use weft_db::SymbolKind;

use super::{Binding, Cx, MAX_DEPTH};
use crate::db::{DefLoc, SourceFile};
use crate::facts::{Expr, Name};
use crate::lang::ELEMENTS;
use crate::lang::resolver::ElementMethod;

/// What a value is an instance of.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Ty {
    Def(DefLoc),
    /// A type outside the tree (std, a package): its members are too.
    External(Name),
    /// A collection of `of`s; `container` is its own type (`Vec`, `list`),
    /// None for a slice or an array.
    Items {
        of: Box<Ty>,
        container: Option<Box<Ty>>,
    },
}

impl Ty {
    /// The type whose members a member access looks up: a collection's
    /// own (`len`, `push`), not its elements'.
    pub fn for_members(self) -> Option<Ty> {
        match self {
            Ty::Items { container, .. } => container.map(|c| *c),
            t => Some(t),
        }
    }
}

impl Cx<'_> {
    /// The type of `exprs[i]`, seen from `scope` in `file`.
    pub fn type_of(
        &self,
        file: SourceFile,
        scope: Option<u32>,
        exprs: &[Expr],
        i: u32,
        depth: u8,
    ) -> Option<Ty> {
        if depth > MAX_DEPTH {
            return None;
        }
        let _guard = self.enter()?;
        match exprs.get(i as usize)? {
            Expr::Element(c) => match self.type_of(file, scope, exprs, *c, depth + 1)? {
                Ty::Items { of, .. } => Some(*of),
                _ => None,
            },
            Expr::Type(path) => self.named_type(file, scope, path, depth + 1),
            Expr::Path(path) => match self.resolve_path_binding(file, scope, path, depth + 1)? {
                Binding::Def(loc) => self.value_type(loc, depth + 1),
                Binding::External(m) => Some(Ty::External(m)),
                Binding::Module(_) => None,
            },
            Expr::Member(object, name) => {
                match self
                    .type_of(file, scope, exprs, *object, depth + 1)?
                    .for_members()?
                {
                    Ty::Def(t) => match self.type_member(t, name, false, depth + 1)? {
                        Binding::Def(m) => self.value_type(m, depth + 1),
                        _ => None,
                    },
                    other => Some(other),
                }
            }
            Expr::Call(callee) => {
                if let Some(Expr::Member(object, name)) = exprs.get(*callee as usize) {
                    let r = self.resolver();
                    if let Some(how) = r.element_method(name)
                        && let Some(Ty::Items { of, container }) =
                            self.type_of(file, scope, exprs, *object, depth + 1)
                    {
                        return Some(match how {
                            ElementMethod::Same => Ty::Items { of, container },
                            ElementMethod::Element => *of,
                        });
                    }
                    if r.transparent_method(name) {
                        return self.type_of(file, scope, exprs, *object, depth + 1);
                    }
                }
                match self.callee(file, scope, exprs, *callee, depth + 1)? {
                    Binding::Def(loc) => self.call_result(loc, depth + 1),
                    Binding::External(m) => Some(Ty::External(m)),
                    Binding::Module(_) => None,
                }
            }
        }
    }

    /// The definition a called expression names.
    fn callee(
        &self,
        file: SourceFile,
        scope: Option<u32>,
        exprs: &[Expr],
        i: u32,
        depth: u8,
    ) -> Option<Binding> {
        match exprs.get(i as usize)? {
            Expr::Path(path) => self.resolve_path_binding(file, scope, path, depth),
            Expr::Member(object, name) => match self
                .type_of(file, scope, exprs, *object, depth)?
                .for_members()?
            {
                Ty::Def(t) => self.type_member(t, name, true, depth),
                Ty::External(m) => Some(Binding::External(m)),
                Ty::Items { .. } => None,
            },
            Expr::Type(path) => match self.named_type(file, scope, path, depth)? {
                Ty::Def(loc) => Some(Binding::Def(loc)),
                Ty::External(m) => Some(Binding::External(m)),
                Ty::Items { .. } => None,
            },
            Expr::Call(_) | Expr::Element(_) => None,
        }
    }

    /// A call's result: an instance of a called class or tuple struct, or
    /// a function's declared return type.
    fn call_result(&self, (file, idx): DefLoc, depth: u8) -> Option<Ty> {
        let iface = self.iface(file);
        let def = iface.defs.get(idx as usize)?;
        // (a tuple variant's value: `One(x)`, whose members are its enum's)
        if def.kind.is_type() || def.kind == SymbolKind::EnumMember {
            return Some(Ty::Def((file, idx)));
        }
        if !def.kind.is_callable() {
            return None;
        }
        let ty = def.ty.as_ref()?;
        if ty.len() == 1 && ty[0] == "Self" {
            return match self.self_type(file, Some(idx), depth)? {
                Binding::Def(loc) => Some(Ty::Def(loc)),
                _ => None,
            };
        }
        self.named_type(file, def.container, ty, depth)
    }

    /// The type of the value a definition names: a field's, variable's or
    /// constant's declared type; a type used as a value stands for itself.
    pub(super) fn value_type(&self, (file, idx): DefLoc, depth: u8) -> Option<Ty> {
        let iface = self.iface(file);
        let def = iface.defs.get(idx as usize)?;
        // a namespace as a value: its members (`Utils.escape` in Ruby)
        if def.kind.is_type() || def.kind == SymbolKind::Module {
            return Some(Ty::Def((file, idx)));
        }
        if def.kind == SymbolKind::EnumMember {
            return def.container.map(|c| Ty::Def((file, c)));
        }
        if !matches!(
            def.kind,
            SymbolKind::Field | SymbolKind::Variable | SymbolKind::Constant | SymbolKind::Static
        ) {
            return None;
        }
        let ty = def.ty.as_ref()?;
        // a field's type is written in the scope around its type (a
        // namespace, an outer class), not inside it
        let scope = match def.container {
            Some(c) if iface.defs[c as usize].kind.is_type() => iface.defs[c as usize].container,
            c => c,
        };
        self.named_type(file, scope, ty, depth)
    }

    /// The type a type path names from `scope` (`Self` included).
    fn named_type(
        &self,
        file: SourceFile,
        scope: Option<u32>,
        path: &[Name],
        depth: u8,
    ) -> Option<Ty> {
        if let Some(k) = path.iter().position(|s| s == ELEMENTS) {
            let container = match k {
                0 => None,
                _ => self
                    .named_type(file, scope, &path[..k], depth + 1)
                    .map(Box::new),
            };
            return match self.named_type(file, scope, &path[k + 1..], depth + 1) {
                Some(of) => Some(Ty::Items {
                    of: Box::new(of),
                    container,
                }),
                None => container.map(|c| *c),
            };
        }
        let b = if path.len() == 1 && path[0] == "Self" {
            self.self_type(file, scope, depth)?
        } else {
            self.resolve_path_binding(file, scope, path, depth)?
        };
        match b {
            Binding::Def(mut loc) => {
                // through C macros naming a type: `#define A B`
                for _ in 0..4 {
                    let kind = self.iface(loc.0).defs.get(loc.1 as usize)?.kind;
                    // (a variant names a type in a literal or a pattern:
                    // `E::V { field: .. }`; its other members are the enum's)
                    if kind.is_type() || kind == SymbolKind::EnumMember {
                        return Some(Ty::Def(loc));
                    }
                    if kind != SymbolKind::Macro {
                        return None;
                    }
                    loc = self.alias_target(loc, depth + 1)?;
                }
                None
            }
            Binding::External(m) => Some(Ty::External(m)),
            Binding::Module(_) => None,
        }
    }
}
