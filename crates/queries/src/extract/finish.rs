//! [`Builder::finish`]: what the walks collected becomes the file's facts,
//! one phase at a time: definitions ordered, then placed in their
//! containers, impl blocks attached, scopes built, expressions typed,
//! references kept, inherits placed and imported names added.

use rustc_hash::FxHashMap;
use tree_sitter::Node;
use weft_db::SymbolKind;

use super::scopes::{Scopes, innermost_at};
use super::{Builder, RawDef};
use crate::body_digest::{DefRanges, body_digests};
use crate::facts::{Def, FileFacts, Inherit, Name};

impl Builder<'_> {
    /// The file's facts from what the walks collected, one phase after
    /// another (see the module docs); the order of the phases matters.
    pub(super) fn finish(mut self, root: Node) -> FileFacts {
        let bodies = self.order_defs(root);
        let mut facts = FileFacts {
            package: self.package.take(),
            ..Default::default()
        };
        let parents = self.place_defs(&bodies, &mut facts);
        debug_assert_eq!(facts.defs.len(), self.defs.len());
        facts.conditions = self
            .defs
            .iter_mut()
            .enumerate()
            .filter(|(_, d)| !d.conditions.is_empty())
            .map(|(i, d)| crate::facts::Conditions {
                def: i as u32,
                needs: std::mem::take(&mut d.conditions),
            })
            .collect();
        self.attach_impls(&mut facts);
        let refs = std::mem::take(&mut self.refs);
        let raw_exprs = std::mem::take(&mut self.exprs);
        let scopes = Scopes::new(
            self.lang,
            &self.defs,
            &parents,
            std::mem::take(&mut self.locals),
            std::mem::take(&mut self.typed_locals),
            std::mem::take(&mut self.self_names),
        );
        let expr_of = scopes.convert_exprs(&raw_exprs, &mut facts);
        self.place_refs(refs, &scopes, &expr_of, &mut facts);
        let (locals, rebindings) = scopes.into_locals();
        facts.locals = locals;
        facts.local_refs.extend(rebindings);
        self.place_inherits(&parents, &mut facts);
        self.add_import_refs(&mut facts);
        facts.refs.sort_by_key(|r| r.span);
        facts.local_refs.sort_by_key(|r| r.span);
        facts.imports = self.imports;
        facts
    }

    /// Sort definitions and impl blocks, drop the definitions error
    /// recovery made up, and digest the definitions' bodies (one per
    /// definition, in their new order).
    fn order_defs(&mut self, root: Node) -> Vec<u64> {
        // Definitions in document order, outer before inner.
        self.defs.sort_by(|a, b| {
            a.range
                .start
                .cmp(&b.range.start)
                .then(b.range.end.cmp(&a.range.end))
        });
        drop_orphan_members(&mut self.defs);
        let ranges: Vec<DefRanges> = self
            .defs
            .iter()
            .map(|d| DefRanges {
                node: d.range.clone(),
                name: d.name_range.clone(),
            })
            .collect();
        let bodies = body_digests(root, self.src, &ranges);
        self.impls.sort_by_key(|i| i.range.start);
        bodies
    }

    /// Each definition as a [`Def`]: its container (the innermost
    /// definition around it), impl block, kind (a function in a type is a
    /// method), owner, qualified local name, disambiguator and export.
    /// Returns each definition's container, by index.
    fn place_defs(&self, bodies: &[u64], facts: &mut FileFacts) -> Vec<Option<usize>> {
        let sep = self.lang.path_separators[0];
        let mut stack: Vec<usize> = Vec::new();
        let mut parents: Vec<Option<usize>> = Vec::with_capacity(self.defs.len());
        let mut seen: FxHashMap<(Name, SymbolKind), u32> = FxHashMap::default();
        let mut impls = Innermost::new(&self.impls, |x| &x.range);
        for (i, d) in self.defs.iter().enumerate() {
            while let Some(&top) = stack.last() {
                let outer = &self.defs[top].range;
                // one node declaring several names (`A, B string`) makes
                // siblings, not a container and its member
                if outer.end >= d.range.end && outer.start <= d.range.start && *outer != d.range {
                    break;
                }
                stack.pop();
            }
            let container = stack
                .iter()
                .rev()
                .find(|&&c| self.lang.hooks.encloses(self.defs[c].kind, d.kind))
                .copied();
            parents.push(container);
            let impl_block = impls.of(&d.range).filter(|&ix| {
                container.is_none_or(|c| self.defs[c].range.start < self.impls[ix].range.start)
            });
            let mut kind = d.kind;
            let mut owner = d.owner.clone();
            let mut container = container;
            // an attribute assigned in a method belongs to the method's
            // class (`parents` stays lexical: the scopes of the names after
            // it in the method are the method's)
            if kind == SymbolKind::Field
                && let Some(c) = container
                && facts.defs[c].kind.is_function()
                && let Some(class) = facts.defs[c].container
                && facts.defs[class as usize].kind.is_type()
            {
                container = Some(class as usize);
            }
            let parent_kind = container.map(|c| facts.defs[c].kind);
            if kind == SymbolKind::Function
                && (impl_block.is_some()
                    || parent_kind.is_some_and(|k| k.is_type())
                    || owner.is_some())
            {
                kind = SymbolKind::Method;
            }
            if let Some(ix) = impl_block {
                owner = Some(self.impls[ix].block.self_type.clone());
            }
            let in_namespace = container.is_some_and(|c| facts.defs[c].kind == SymbolKind::Module);
            let prefix = match (&owner, container) {
                // `R T::m() {..}` inside `namespace n {..}`: `n::T::m`
                (Some(o), Some(c)) if in_namespace => Some(format!(
                    "{}{sep}{o}",
                    bounded(&facts.defs[c].local_name, sep)
                )),
                (Some(o), _) => Some(o.to_string()),
                (None, Some(c)) => Some(facts.defs[c].local_name.to_string()),
                (None, None) => None,
            };
            let local_name: Name = match prefix {
                Some(p) => format!("{}{sep}{}", bounded(&p, sep), d.name).into(),
                None => d.name.clone(),
            };
            let dis = seen.entry((local_name.clone(), kind)).or_insert(0);
            let disambiguator = *dis;
            *dis += 1;
            let exported = d.exported
                || (container.is_some_and(|c| facts.defs[c].exported)
                    && self
                        .lang
                        .hooks
                        .members_inherit_export(facts.defs[container.unwrap()].kind));
            facts.defs.push(Def {
                name: d.name.clone(),
                kind,
                container: container.map(|c| c as u32),
                owner: if container.is_some() && impl_block.is_none() && !in_namespace {
                    None
                } else {
                    owner
                },
                impl_block: impl_block.map(|x| x as u32),
                local_name,
                exported,
                signature: d.signature.clone(),
                doc: d.doc.clone(),
                span: d.span,
                full_span: d.full_span,
                disambiguator,
                ty: d.ty.clone(),
                body: bodies[i],
            });
            stack.push(i);
        }
        parents
    }

    /// Each impl block's container, then the blocks into the facts.
    fn attach_impls(&mut self, facts: &mut FileFacts) {
        let mut defs = Innermost::new(&self.defs, |d| &d.range);
        for imp in &mut self.impls {
            imp.block.container = defs.of(&imp.range).map(|c| c as u32);
        }
        facts.impls = std::mem::take(&mut self.impls)
            .into_iter()
            .map(|i| i.block)
            .collect();
    }

    /// Each base type as an [`Inherit`] of the innermost definition around it.
    fn place_inherits(&mut self, parents: &[Option<usize>], facts: &mut FileFacts) {
        for (at, base, span) in std::mem::take(&mut self.inherits) {
            if let Some(sub) = innermost_at(&self.defs, parents, at) {
                facts.inherits.push(Inherit {
                    sub: sub as u32,
                    base,
                    span,
                });
            }
        }
    }
}

/// A container's qualified name as the prefix of its members': whole up
/// to [`MAX_PREFIX`] bytes, else `…` and its last segments. Without the
/// cap, 10,000 nested definitions have names 10,000 segments long, and
/// writing them is quadratic; the disambiguator keeps ids apart.
fn bounded<'p>(prefix: &'p str, sep: &str) -> std::borrow::Cow<'p, str> {
    if prefix.len() <= MAX_PREFIX {
        return prefix.into();
    }
    let mut cut = prefix.len() - MAX_PREFIX / 2;
    while !prefix.is_char_boundary(cut) {
        cut += 1;
    }
    let tail = match prefix[cut..].find(sep) {
        Some(i) => &prefix[cut + i + sep.len()..],
        None => &prefix[cut..],
    };
    format!("…{sep}{tail}").into()
}

const MAX_PREFIX: usize = 256;

/// The innermost of `items` (syntax ranges sorted by start: nested or
/// disjoint) containing each of a series of ranges asked for in order of
/// their start. A stack of the items still open keeps every question
/// amortized O(1): scanning all items per question made a file with
/// thousands of impl blocks quadratic.
struct Innermost<'i> {
    ranges: Vec<&'i std::ops::Range<usize>>,
    next: usize,
    open: Vec<usize>,
}

impl<'i> Innermost<'i> {
    fn new<T>(items: &'i [T], r: impl Fn(&T) -> &std::ops::Range<usize>) -> Self {
        Innermost {
            ranges: items.iter().map(r).collect(),
            next: 0,
            open: Vec::new(),
        }
    }

    /// The last item (by index) starting at or before `range` that
    /// contains it and is not the same range.
    fn of(&mut self, range: &std::ops::Range<usize>) -> Option<usize> {
        while let Some(&r) = self.ranges.get(self.next) {
            if r.start > range.start {
                break;
            }
            self.close_before(r.start);
            self.open.push(self.next);
            self.next += 1;
        }
        self.close_before(range.start);
        self.open.iter().rev().copied().find(|&i| {
            let ir = self.ranges[i];
            ir.start <= range.start && range.end <= ir.end && ir != range
        })
    }

    /// Drop the open items that end before `at`: they contain nothing later.
    fn close_before(&mut self, at: usize) {
        while let Some(&top) = self.open.last() {
            if self.ranges[top].end >= at {
                break;
            }
            self.open.pop();
        }
    }
}

/// Drop methods and fields that belong to nothing and sit in a region the
/// parser could not make sense of: error recovery made them up. TypeScript's
/// grammar, after two call signatures in a row in an interface, reads the
/// next object literal's statements as method signatures of a broken type
/// (`asCreateObservableOptions(options)` in mobx); left in, such a "method"
/// is a top-level, exported definition that captures the references of the
/// real one. `defs` are sorted outer first.
fn drop_orphan_members(defs: &mut Vec<RawDef>) {
    if !defs.iter().any(|d| d.in_error) {
        return;
    }
    let mut enclosing_end = 0usize;
    defs.retain(|d| {
        let contained = d.range.end <= enclosing_end;
        let orphan = !contained
            && d.in_error
            && d.owner.is_none()
            && matches!(d.kind, SymbolKind::Method | SymbolKind::Field);
        if !orphan {
            enclosing_end = enclosing_end.max(d.range.end);
        }
        !orphan
    });
}
