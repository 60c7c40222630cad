//! Members: what `x.name` denotes once `x` is known — a module's item, a
//! type's own or inherited member, through aliases, and the overload a
//! call's arity picks.

use std::sync::Arc;

use weft_db::{Role, SymbolKind};

use super::{Binding, Cx, MAX_DEPTH, Ty};
use crate::db::{DefLoc, SourceFile, defs_named};
use crate::facts::{FileInterface, InterfaceImport};
use crate::lang::NAMESPACE_PREFIX;

impl Cx<'_> {
    /// `binding.seg`: a module's item or submodule, a type's member.
    pub fn member(&self, b: &Binding, seg: &str, depth: u8) -> Option<Binding> {
        self.member_as(b, seg, false, depth)
    }

    pub(super) fn member_as(
        &self,
        b: &Binding,
        seg: &str,
        call: bool,
        depth: u8,
    ) -> Option<Binding> {
        if depth > MAX_DEPTH {
            return None;
        }
        let _guard = self.enter()?;
        match b {
            Binding::External(m) => Some(Binding::External(m.clone())),
            Binding::Def(loc) => self
                .member_or_constructor(*loc, seg, call, depth)
                .or_else(|| {
                    // a namespace declared by its full name (`namespace A\B\C`
                    // as `C` of `A\B`)
                    let iface = self.iface(loc.0);
                    let d = iface.defs.get(loc.1 as usize)?;
                    let sep = self.lang.separator();
                    (d.kind == SymbolKind::Module)
                        .then(|| self.namespace_path_named(&format!("{}{sep}{seg}", d.local_name)))
                        .flatten()
                }),
            Binding::Module(key) if key.starts_with(NAMESPACE_PREFIX) => {
                let path = &key[NAMESPACE_PREFIX.len()..];
                if path.is_empty() {
                    // the top level: a namespace, a top-level definition, a builtin
                    return self.namespace_path_named(seg).or_else(|| {
                        if !self.resolver().global_names() {
                            let m = self.resolver().builtin(seg)?;
                            return Some(Binding::External(m.into()));
                        }
                        // every top-level name is the tree's or a library's
                        self.global(seg, None).or_else(|| {
                            let m = self.resolver().builtin(seg).unwrap_or(seg);
                            Some(Binding::External(m.into()))
                        })
                    });
                }
                let sep = self.lang.separator();
                self.namespace_path_named(&format!("{path}{sep}{seg}"))
            }
            Binding::Module(key) => {
                let files = self.module_files(key);
                for &f in files {
                    if let Some((j, d)) = self.iface(f).top_level(seg).next() {
                        return Some(self.def_or_module(f, j, d.kind));
                    }
                }
                for &f in files {
                    let iface = self.iface(f);
                    let attrs = self.resolver().imports_are_attributes();
                    let visible: Vec<&InterfaceImport> = iface
                        .imports
                        .iter()
                        .filter(|i| (i.reexport || attrs) && !i.glob)
                        .collect();
                    if !visible.is_empty() {
                        let sub = FileInterface::of_imports(visible.into_iter().cloned().collect());
                        if let Some(b) = self.lookup_import(f, &sub, seg, depth + 1) {
                            return Some(b);
                        }
                    }
                }
                let child = format!("{key}{}{seg}", self.resolver().module_separator());
                if self.module_exists(&child) {
                    return Some(Binding::Module(child.into()));
                }
                let ifaces: Vec<(SourceFile, Arc<FileInterface>)> =
                    files.iter().map(|&f| (f, self.iface(f))).collect();
                let mut external = None;
                let globs = ifaces.iter().flat_map(|(f, iface)| {
                    iface
                        .imports
                        .iter()
                        .filter(|i| i.glob && i.reexport)
                        .map(move |i| (*f, i))
                });
                self.through_globs(globs, seg, depth, &mut external)
                    .or(external)
            }
        }
    }

    /// [`Cx::type_member`], where a constructor call written one way
    /// (Ruby's `Foo.new`) is declared another (`initialize`).
    pub(super) fn member_or_constructor(
        &self,
        loc: DefLoc,
        seg: &str,
        call: bool,
        depth: u8,
    ) -> Option<Binding> {
        self.type_member(loc, seg, call, depth).or_else(|| {
            let (written, declared) = self.resolver().constructor()?;
            if seg != written {
                return None;
            }
            // a class declaring no constructor of its own: the class
            self.type_member(loc, declared, call, depth).or_else(|| {
                let kind = self.iface(loc.0).defs.get(loc.1 as usize)?.kind;
                kind.is_type().then_some(Binding::Def(loc))
            })
        })
    }

    /// A member of a definition: class/struct/trait members, methods
    /// attached by impls or receivers, then base types. For a `call`, a
    /// method wins over a same-named field (`x.len()` next to `len: usize`);
    /// the field is the answer only when no method has the name. Otherwise
    /// the field wins (`next < n` beside `next()`). A constructor (a method
    /// named like its type) is never a member: the name means the type.
    pub fn type_member(
        &self,
        (file, idx): DefLoc,
        seg: &str,
        call: bool,
        depth: u8,
    ) -> Option<Binding> {
        if depth > MAX_DEPTH {
            return None;
        }
        let _guard = self.enter()?;
        let iface = self.iface(file);
        let def = iface.defs.get(idx as usize)?;
        let mut field = None;
        let mut method = None;
        // (only a file with `#if` alternatives has any to pass over)
        let same_named: Vec<DefLoc> = match iface.conditions.is_empty() {
            true => Vec::new(),
            false => iface.members(idx, seg).map(|(j, _)| (file, j)).collect(),
        };
        for (j, d) in iface.members(idx, seg) {
            if d.kind.is_function() && d.name == def.name
                || self.passed_over((file, j), &same_named)
            {
                continue;
            }
            if call == d.kind.is_function() {
                return Some(Binding::Def((file, j)));
            }
            if call {
                field.get_or_insert(Binding::Def((file, j)));
            } else {
                method.get_or_insert(Binding::Def((file, j)));
            }
        }
        if method.is_some() {
            // an inherited field beats an own method for a value
            return match self.attached_member((file, idx), seg, false, depth) {
                Some(b) if !self.is_function(&b) => Some(b),
                _ => method,
            };
        }
        if let Some(t) = self.alias_target((file, idx), depth) {
            // `typedef struct point point_t;`, `type A = B`: B's members
            return self.type_member(t, seg, call, depth + 1);
        }
        // (a namespace's other blocks: those of languages whose modules
        // are scopes, PHP's, or whose members are implicit, C#'s and C++'s)
        let r = self.resolver();
        if (def.kind == SymbolKind::Module && (r.implicit_members() || r.module_is_scope())
            || def.kind.is_type() && r.reopened_types())
            && let Some(b) = self.reopened_member((file, idx), seg)
        {
            return Some(b);
        }
        if !(def.kind.is_type() || def.kind == SymbolKind::Module) {
            // a field or variable: a member of its declared type
            return match self.value_type((file, idx), depth + 1)?.for_members()? {
                Ty::Def(t) if t != (file, idx) => self.type_member(t, seg, call, depth + 1),
                Ty::Def(_) | Ty::Items { .. } => None,
                Ty::External(m) => Some(Binding::External(m)),
            };
        }
        self.attached_member((file, idx), seg, call, depth)
            .filter(|b| !call || field.is_none() || self.is_function(b))
            .or(field)
    }

    /// The type an alias names: `type A = B`, `typedef struct b A;`, an
    /// object-like C macro whose body is a type (`#define A B`). B is
    /// looked up where the alias is written; a C struct tag that is not
    /// visible there (only declared, completed in a file the alias's own
    /// file does not include) is the tree's one type of that name.
    pub(super) fn alias_target(&self, (file, idx): DefLoc, depth: u8) -> Option<DefLoc> {
        let iface = self.iface(file);
        let def = iface.defs.get(idx as usize)?;
        if !matches!(def.kind, SymbolKind::TypeAlias | SymbolKind::Macro) {
            return None;
        }
        let ty = def.ty.as_ref()?;
        let found = match self.resolve_path_binding(file, def.container, ty, depth + 1) {
            // `typedef struct s {..} s;`: the typedef names the struct
            Some(Binding::Def(t)) if t == (file, idx) => iface
                .top_level(&def.name)
                .find(|(j, d)| *j != idx && d.kind.is_type() && d.kind != SymbolKind::TypeAlias)
                .map(|(j, _)| (file, j)),
            Some(Binding::Def(t)) => Some(t),
            Some(Binding::Module(_)) => None,
            // not visible (or only maybe, through an external include)
            Some(Binding::External(_)) | None if ty.len() == 1 => {
                // `typedef struct s {..} s;` names one type twice: the
                // struct is the one
                let lang = file.lang(self.db);
                let kinds: Vec<(DefLoc, SymbolKind)> = defs_named(self.db, &ty[0])
                    .into_iter()
                    .filter(|&(f, _)| f.lang(self.db) == lang)
                    .filter_map(|(f, i)| Some(((f, i), self.iface(f).defs.get(i as usize)?.kind)))
                    .filter(|(_, k)| k.is_type())
                    .collect();
                let structs: Vec<DefLoc> = kinds
                    .iter()
                    .filter(|(_, k)| *k != SymbolKind::TypeAlias)
                    .map(|(l, _)| *l)
                    .collect();
                match (structs.as_slice(), kinds.as_slice()) {
                    ([one], _) => Some(*one),
                    ([], [(one, _)]) => Some(*one),
                    _ => None,
                }
            }
            Some(Binding::External(_)) | None => None,
        };
        found.filter(|&t| {
            t != (file, idx)
                && self
                    .iface(t.0)
                    .defs
                    .get(t.1 as usize)
                    .is_some_and(|d| d.kind.is_type() || d.kind == SymbolKind::Macro)
        })
    }

    /// Is this definition one of several alternatives of the same name,
    /// kind and scope in its file (`#if`/`#else` branches defining a macro
    /// or a class per platform, a class defined in `try`/`except`)? Which
    /// one a build sees depends on configuration weft does not evaluate:
    /// the answer is a guess. Functions and variables are left out: a
    /// prototype and its body, `extern int x;` and `int x = 0;`, are one.
    pub(super) fn one_of_alternatives(&self, (file, idx): DefLoc) -> bool {
        let iface = self.iface(file);
        iface.defs.get(idx as usize).is_some_and(|d| {
            matches!(
                d.kind,
                SymbolKind::Macro
                    | SymbolKind::Class
                    | SymbolKind::Struct
                    | SymbolKind::Enum
                    | SymbolKind::Interface
                    | SymbolKind::TypeAlias
            ) && iface
                .named(&d.name)
                .filter(|(_, o)| o.kind == d.kind && o.container == d.container)
                .nth(1)
                .is_some()
        })
    }

    /// Can a name used in `role` denote `b`?
    pub(super) fn fits(&self, b: &Binding, role: Option<Role>) -> bool {
        let Binding::Def((f, i)) = b else {
            return true;
        };
        let Some(d) = self.iface(*f).defs.get(*i as usize).map(|d| d.kind) else {
            return false;
        };
        match role {
            Some(Role::Type | Role::Inherit) => d.is_type(),
            Some(Role::Call) => d.is_function() || d.is_type() || d == SymbolKind::Macro,
            _ => true,
        }
    }

    pub(super) fn is_function(&self, b: &Binding) -> bool {
        match b {
            Binding::Def((f, i)) => self
                .iface(*f)
                .defs
                .get(*i as usize)
                .is_some_and(|d| d.kind.is_function()),
            _ => true,
        }
    }

    /// Members a type gets from outside its body: impls, implemented
    /// traits' provided methods, Go receivers, base types.
    pub(super) fn attached_member(
        &self,
        (file, idx): DefLoc,
        seg: &str,
        call: bool,
        depth: u8,
    ) -> Option<Binding> {
        let iface = self.iface(file);
        let def = iface.defs.get(idx as usize)?;
        if let Some((j, _)) = iface.owned(&def.name, seg).next() {
            return Some(Binding::Def((file, j)));
        }
        // provided methods of the traits this file implements for the type
        for (ty, tr) in &iface.impls {
            if ty == &def.name
                && let Some(tr) = tr
                && let Some(Binding::Def(t)) = self.resolve_path_binding(file, None, tr, depth + 1)
                && t != (file, idx)
                && let Some(found) = self.type_member(t, seg, call, depth + 1)
            {
                return Some(found);
            }
        }
        for (cf, ci) in defs_named(self.db, seg) {
            if cf == file || cf.lang(self.db) != file.lang(self.db) {
                continue;
            }
            let ciface = self.iface(cf);
            let cd = &ciface.defs[ci as usize];
            // (`T::T() {..}` is T's constructor: not a member by name)
            if cd.owner.as_deref() != Some(def.name.as_str()) || cd.name == def.name {
                continue;
            }
            if self.lookup(cf, None, &def.name, depth + 1) == Some(Binding::Def((file, idx))) {
                return Some(Binding::Def((cf, ci)));
            }
        }
        for (sub, base) in &iface.bases {
            if *sub != idx {
                continue;
            }
            // a base is written in the scope around the type (a nested
            // type's base may be its outer type's sibling)
            if let Some(Binding::Def(b)) =
                self.resolve_path_binding(file, def.container, base, depth + 1)
                && b != (file, idx)
                && let Some(found) = self.type_member(b, seg, call, depth + 1)
            {
                return Some(found);
            }
        }
        None
    }

    /// The overload of the method at `loc` (a sibling with its name) that
    /// takes `arity` arguments, and whether it is the only one; `loc` when
    /// none does. Overloads told apart only by their parameters' types
    /// are not sure: the answer is then a guess.
    pub(super) fn overload(&self, (file, idx): DefLoc, arity: u8) -> (DefLoc, bool) {
        let iface = self.iface(file);
        let Some(def) = iface
            .defs
            .get(idx as usize)
            .filter(|d| d.kind.is_function())
        else {
            return ((file, idx), true);
        };
        // same name, same scope: a type's methods, or a file's functions
        let siblings: Vec<(u32, &crate::facts::InterfaceDef)> = iface
            .named(&def.name)
            .filter(|(_, d)| {
                d.kind.is_function() && d.container == def.container && d.owner == def.owner
            })
            .collect();
        if siblings.len() < 2 {
            return ((file, idx), true);
        }
        let params = |d: &crate::facts::InterfaceDef| {
            crate::lang::parameters(&d.signature, &d.name)
                .map(|p| (p.take(arity as usize), p.list.to_string()))
        };
        let fitting: Vec<(u32, String)> = siblings
            .iter()
            .filter_map(|(j, d)| match params(d) {
                Some((true, list)) => Some((*j, list)),
                _ => None,
            })
            .collect();
        let own_fits = fitting.iter().any(|(j, _)| *j == idx);
        let pick = if own_fits {
            idx
        } else {
            fitting.first().map_or(idx, |(j, _)| *j)
        };
        // one parameter list fits (a prototype and its body share it): sure
        let sure = match fitting.first() {
            Some((_, first)) => fitting.iter().all(|(_, l)| l == first),
            None => false,
        };
        ((file, pick), sure)
    }

    /// A member of a namespace declared in another block of it (C++
    /// reopens namespaces across files): a definition named `seg` whose
    /// container is a namespace with the same qualified name.
    pub(super) fn reopened_member(&self, (file, idx): DefLoc, seg: &str) -> Option<Binding> {
        let iface = self.iface(file);
        let block = iface.defs.get(idx as usize)?;
        self.reopened_in(file, &block.local_name, block.kind, seg, (file, idx))
    }

    /// `seg` declared in another block (in any file of `file`'s language)
    /// of the namespace or type whose qualified local name is `name`: a
    /// namespace's blocks, a partial or reopened type's declarations.
    pub(super) fn reopened_in(
        &self,
        file: SourceFile,
        name: &str,
        kind: SymbolKind,
        seg: &str,
        skip: DefLoc,
    ) -> Option<Binding> {
        let lang = file.lang(self.db);
        let same_kind = |k: SymbolKind| match kind {
            SymbolKind::Module => k == SymbolKind::Module,
            _ => k.is_type(),
        };
        let all = defs_named(self.db, seg);
        all.iter().find_map(|&(f, j)| {
            if (f, j) == skip || f.lang(self.db) != lang || self.passed_over((f, j), &all) {
                return None;
            }
            let other = self.iface(f);
            let def = other.defs.get(j as usize)?;
            if def.owner.is_some() {
                return None;
            }
            let c = def.container?;
            let block = other.defs.get(c as usize)?;
            (same_kind(block.kind) && block.local_name == name).then_some(Binding::Def((f, j)))
        })
    }
}
