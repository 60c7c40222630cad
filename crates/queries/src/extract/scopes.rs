//! Scopes for [`Builder::finish`](super::Builder): the locals, typed locals
//! and self names bound in each definition, what a name used somewhere
//! denotes, and the conversion of raw expressions that needs it.

use rustc_hash::{FxHashMap, FxHashSet};

use super::RawDef;
use super::exprs::{ExprConversion, PathHead, RawExpr, Slot, TypedLocal};
use crate::facts::{Def, FileFacts, Name};
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
}

impl<'s> Scopes<'s> {
    /// The scopes of `locals`, `typed_locals` and `self_names` (each with
    /// the byte it is bound at), among `defs` whose containers are `parents`.
    pub(super) fn new(
        lang: &'s LanguageSupport,
        defs: &'s [RawDef],
        parents: &'s [Option<usize>],
        locals_at: Vec<(usize, Name)>,
        typed_locals: Vec<TypedLocal>,
        self_names: Vec<(usize, Name)>,
    ) -> Self {
        // Locals per scope: a reference to a local is not a reference to a symbol.
        let mut locals: FxHashMap<Option<usize>, FxHashSet<Name>> = FxHashMap::default();
        // Every local binding's position, for shadowing between typed ones.
        let mut bound_at: FxHashMap<Name, Vec<(usize, Option<usize>)>> = FxHashMap::default();
        for (at, name) in locals_at {
            let scope = innermost_at(defs, parents, at);
            bound_at.entry(name.clone()).or_default().push((at, scope));
            locals.entry(scope).or_default().insert(name);
        }
        // name -> (binding start, visible from, scope, raw value expression)
        let mut typed: FxHashMap<Name, Vec<Typed>> = FxHashMap::default();
        for l in typed_locals {
            let scope = innermost_at(defs, parents, l.at);
            bound_at
                .entry(l.name.clone())
                .or_default()
                .push((l.at, scope));
            locals.entry(scope).or_default().insert(l.name.clone());
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
        }
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
        } else if self.is_local(scope, &segs[0], defs) {
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
