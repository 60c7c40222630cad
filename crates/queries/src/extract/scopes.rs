//! Scopes for [`Builder::finish`](super::Builder): the locals, typed locals
//! and self names bound in each definition, what a name used somewhere
//! denotes, and the conversion of raw expressions that needs it.

use rustc_hash::{FxHashMap, FxHashSet};

use super::exprs::{ExprConversion, PathHead, RawExpr, Slot, TypedLocal};
use super::{RawDef, RawLocal};
use crate::facts::{Def, FileFacts, Local, LocalRef, Name};
use crate::lang::LanguageSupport;

/// A typed local binding: (binding start, visible from, scope, raw value
/// expression).
type Typed = (usize, usize, Option<usize>, Option<u32>);

/// What is bound in which scope, a scope being the index of the innermost
/// definition around a place (`None` at the top level).
pub(super) struct Scopes<'s> {
    lang: &'s LanguageSupport,
    defs: &'s [RawDef],
    parents: &'s [Option<usize>],
    /// Local names per scope.
    locals: FxHashMap<Option<usize>, FxHashSet<Name>>,
    /// Every local binding's position and scope, by name.
    bound_at: FxHashMap<Name, Vec<(usize, Option<usize>)>>,
    /// Typed local bindings, by name.
    typed: FxHashMap<Name, Vec<Typed>>,
    /// Names that denote the receiver (`self`), per scope.
    selfs: FxHashMap<usize, FxHashSet<Name>>,
    /// Every binding, in the order of [`FileFacts::locals`].
    bindings: Vec<Binding>,
    /// Bindings by name, as indexes into `bindings`.
    binding_names: FxHashMap<Name, Vec<u32>>,
    /// A name bound again where that assigns the variable a first binding
    /// made: (where, that binding).
    rebindings: Vec<(weft_db::Span, u32)>,
}

/// Where one local binding can be used.
struct Binding {
    local: Local,
    at: usize,
    /// Visible from this byte...
    from: usize,
    /// ...within this window (its scope node or function).
    window: std::ops::Range<usize>,
    /// Is the window a scope node's (not merely its function's or file's)?
    in_scope_node: bool,
    names_type: bool,
}

impl<'s> Scopes<'s> {
    /// The scopes of `locals`, `typed_locals` and `self_names` (each with
    /// the byte it is bound at), among `defs` whose containers are `parents`.
    pub(super) fn new(
        lang: &'s LanguageSupport,
        defs: &'s [RawDef],
        parents: &'s [Option<usize>],
        mut locals_at: Vec<RawLocal>,
        typed_locals: Vec<TypedLocal>,
        self_names: Vec<(usize, Name)>,
    ) -> Self {
        // Locals per scope: a reference to a local is not a reference to a symbol.
        let mut locals: FxHashMap<Option<usize>, FxHashSet<Name>> = FxHashMap::default();
        // Every local binding's position, for shadowing between typed ones.
        let mut bound_at: FxHashMap<Name, Vec<(usize, Option<usize>)>> = FxHashMap::default();
        let mut bindings = Vec::new();
        let mut binding_names: FxHashMap<Name, Vec<u32>> = FxHashMap::default();
        let mut rebindings = Vec::new();
        let mut first: FxHashMap<(Name, std::ops::Range<usize>), u32> = FxHashMap::default();
        let shadows = lang.hooks.rebinding_shadows();
        // (found by both the walk and a query: one binding)
        locals_at.sort_by_key(|l| l.at);
        locals_at.dedup_by_key(|l| l.at);
        // every binding, typed or not: its scope's names and its position
        let mut note = |name: &Name, at: usize| {
            let scope = innermost_at(defs, parents, at);
            bound_at.entry(name.clone()).or_default().push((at, scope));
            locals.entry(scope).or_default().insert(name.clone());
            scope
        };
        for l in locals_at {
            let scope = note(&l.name, l.at);
            // (a module's or class's variable is a symbol, not a local)
            if scope.is_some_and(|i| defs[i].name_range.start == l.at) {
                continue;
            }
            let in_scope_node = l.extent.is_some();
            let window = l
                .extent
                .or_else(|| scope.map(|i| defs[i].range.clone()))
                .unwrap_or(0..usize::MAX);
            if !shadows {
                match first.entry((l.name.clone(), window.clone())) {
                    std::collections::hash_map::Entry::Occupied(e) => {
                        rebindings.push((l.span, *e.get()));
                        continue;
                    }
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(bindings.len() as u32);
                    }
                }
            }
            binding_names
                .entry(l.name.clone())
                .or_default()
                .push(bindings.len() as u32);
            bindings.push(Binding {
                local: Local {
                    name: l.name,
                    span: l.span,
                    scope: scope.map(|s| s as u32),
                    parameter: l.parameter,
                },
                at: l.at,
                from: l.from,
                window,
                in_scope_node,
                names_type: l.names_type,
            });
        }
        // name -> (binding start, visible from, scope, raw value expression)
        let mut typed: FxHashMap<Name, Vec<Typed>> = FxHashMap::default();
        for l in typed_locals {
            let scope = note(&l.name, l.at);
            typed
                .entry(l.name)
                .or_default()
                .push((l.at, l.visible, scope, l.value));
        }

        let mut selfs: FxHashMap<usize, FxHashSet<Name>> = FxHashMap::default();
        for (at, name) in self_names {
            if let Some(scope) = innermost_at(defs, parents, at) {
                selfs.entry(scope).or_default().insert(name);
            }
        }
        Scopes {
            lang,
            defs,
            parents,
            locals,
            bound_at,
            typed,
            selfs,
            bindings,
            binding_names,
            rebindings,
        }
    }

    /// The binding a use of `name` at byte `at` denotes: the latest one
    /// visible there, or else (a use before its binding, as in a loop of a
    /// function-scoped language) the first one bound later in the same
    /// window, never the binding whose own initializer holds the use.
    pub(super) fn binding_of(&self, name: &str, at: usize) -> Option<u32> {
        let cands = self.binding_names.get(name)?;
        let in_window = |&&i: &&u32| self.bindings[i as usize].window.contains(&at);
        let visible = cands
            .iter()
            .filter(in_window)
            .filter(|&&i| self.bindings[i as usize].from <= at)
            .max_by_key(|&&i| (self.bindings[i as usize].from, self.bindings[i as usize].at));
        visible
            .or_else(|| {
                cands
                    .iter()
                    .filter(in_window)
                    .filter(|&&i| self.bindings[i as usize].at > at)
                    .min_by_key(|&&i| self.bindings[i as usize].at)
            })
            .copied()
    }

    /// Is `name` bound somewhere in the file, but by no binding a use at
    /// `at` can see (`ast` in `let ast = match .. { .. ast::Kind .. }`, or
    /// bound in another block)? The use then names something else.
    pub(super) fn unbound_at(&self, name: &str, at: usize) -> bool {
        self.binding_names.contains_key(name) && self.binding_of(name, at).is_none()
    }

    /// Does the use of `name` at `at` denote a type parameter (which may
    /// head a path of types, `A::Output`, where a value may not)?
    pub(super) fn names_type_at(&self, name: &str, at: usize) -> bool {
        self.binding_of(name, at)
            .is_some_and(|b| self.bindings[b as usize].names_type)
    }

    /// Is the binding's window a scope node's (a block, an impl), so that
    /// it is a local wherever it is visible?
    pub(super) fn in_scope_node(&self, b: u32) -> bool {
        self.bindings[b as usize].in_scope_node
    }

    /// The bindings as facts, in the order [`Scopes::binding_of`] counts
    /// them, and the rebindings as writes to them.
    pub(super) fn into_locals(self) -> (Vec<Local>, Vec<LocalRef>) {
        let writes = self
            .rebindings
            .iter()
            .map(|&(span, local)| LocalRef {
                span,
                local,
                role: weft_db::Role::Write,
            })
            .collect();
        (self.bindings.into_iter().map(|b| b.local).collect(), writes)
    }

    /// The scope at byte `at`.
    pub(super) fn scope_at(&self, at: usize) -> Option<usize> {
        innermost_at(self.defs, self.parents, at)
    }

    /// The raw expression typing the local `name` used at `at`, unless
    /// a later untyped binding shadows it.
    pub(super) fn typed_local(
        &self,
        name: &str,
        at: usize,
        scope: Option<usize>,
        defs: &[Def],
    ) -> Option<u32> {
        let cands = self.typed.get(name)?;
        let best = cands
            .iter()
            .filter(|(_, vis, ls, _)| *vis <= at && visible_from(*ls, scope, defs))
            .max_by_key(|(a, ..)| *a)?;
        let shadowed = self.bound_at.get(name).is_some_and(|v| {
            v.iter()
                .any(|(a, ls)| *a > best.0 && *a < at && visible_from(*ls, scope, defs))
        });
        if shadowed { None } else { best.3 }
    }

    pub(super) fn is_local(&self, scope: Option<usize>, name: &str, defs: &[Def]) -> bool {
        let mut s = scope;
        while let Some(i) = s {
            if self.locals.get(&Some(i)).is_some_and(|l| l.contains(name)) {
                return true;
            }
            if !defs[i].kind.is_function() {
                return false;
            }
            s = defs[i].container.map(|c| c as usize);
        }
        false
    }

    fn is_self(&self, scope: Option<usize>, name: &str, defs: &[Def]) -> bool {
        let mut s = scope;
        while let Some(i) = s {
            if self.selfs.get(&i).is_some_and(|l| l.contains(name)) {
                return true;
            }
            s = defs[i].container.map(|c| c as usize);
        }
        false
    }

    /// Does `name` denote the receiver (`self`) in `scope`?
    pub(super) fn self_name(&self, scope: Option<usize>, name: &str, defs: &[Def]) -> bool {
        self.lang.hooks.is_self_name(name) || self.is_self(scope, name, defs)
    }

    /// What the first segment of a path expression at `at` names.
    fn path_head(&self, segs: &[Name], at: usize, defs: &[Def]) -> PathHead {
        let scope = self.scope_at(at);
        if self.self_name(scope, &segs[0], defs) {
            PathHead::SelfValue
        } else if let Some(v) = self.typed_local(&segs[0], at, scope, defs) {
            PathHead::Local(v)
        } else if self.is_local(scope, &segs[0], defs) && !self.unbound_at(&segs[0], at) {
            PathHead::Untyped
        } else {
            PathHead::Global
        }
    }

    /// Expressions: a name becomes the typed local it denotes, `self`, or
    /// a path; an untyped local ends typing there. Fills `facts.exprs` and
    /// returns, for each raw expression, its index there if it has one.
    pub(super) fn convert_exprs(&self, raw: &[RawExpr], facts: &mut FileFacts) -> Vec<Option<u32>> {
        let defs = &facts.defs;
        let first_segment = |segs: &[Name], at: usize| self.path_head(segs, at, defs);
        let mut conv = ExprConversion {
            raw,
            slots: vec![Slot::Todo; raw.len()],
            out: Vec::new(),
            head: &first_segment,
        };
        let expr_of: Vec<Option<u32>> = (0..raw.len()).map(|i| conv.get(i)).collect();
        facts.exprs = conv.out;
        expr_of
    }
}

/// Is a local bound in `local_scope` visible from `scope` (the same
/// function or one it is nested in)?
fn visible_from(local_scope: Option<usize>, scope: Option<usize>, defs: &[Def]) -> bool {
    let mut s = scope;
    loop {
        if s == local_scope {
            return true;
        }
        match s {
            Some(i) if defs[i].kind.is_function() => s = defs[i].container.map(|c| c as usize),
            _ => return false,
        }
    }
}

/// Index of the innermost definition containing byte `at`: the last one
/// starting at or before it, then up its container chain.
pub(super) fn innermost_at(defs: &[RawDef], parents: &[Option<usize>], at: usize) -> Option<usize> {
    let upto = defs.partition_point(|d| d.range.start <= at);
    let mut cur = upto.checked_sub(1);
    while let Some(i) = cur {
        if at < defs[i].range.end {
            return Some(i);
        }
        cur = parents[i];
    }
    None
}
