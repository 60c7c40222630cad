//! Names in scope: what a name denotes where it is written (the enclosing
//! definitions, the file's own names, imports, globs, a language's roots
//! and builtins), and paths of names from there.

use weft_db::{Role, SymbolKind};

use super::{Binding, Cx, MAX_DEPTH};
use crate::db::{DefLoc, SourceFile, defs_named};
use crate::facts::{FileInterface, InterfaceImport, Name};

impl Cx<'_> {
    /// A name as seen from `scope` in `file`.
    pub fn lookup(
        &self,
        file: SourceFile,
        scope: Option<u32>,
        name: &str,
        depth: u8,
    ) -> Option<Binding> {
        self.lookup_as(file, scope, name, None, depth)
    }

    /// A macro named `name` that `file` sees: its own, or one of a file it
    /// includes (transitively). Looked for only when the tree defines a
    /// macro of that name at all.
    pub(super) fn visible_macro(&self, file: SourceFile, name: &str) -> Option<DefLoc> {
        self.included(file, name, true, |d| d.kind == SymbolKind::Macro)
    }

    /// The nearest top-level definition of `name` satisfying `wanted` in
    /// the files `file` includes (and in `file` itself when `own`): from
    /// the name index, each candidate's file ranked by the inclusion
    /// closure, so a lookup costs the name's definitions, not the closure's
    /// files (a kernel source includes a thousand headers).
    fn included(
        &self,
        file: SourceFile,
        name: &str,
        own: bool,
        wanted: impl Fn(&crate::facts::InterfaceDef) -> bool,
    ) -> Option<DefLoc> {
        let candidates = defs_named(self.db, name);
        if candidates.is_empty() {
            return None;
        }
        let closure = super::include_closure(self.db, file);
        let several = candidates.len() > 1;
        candidates
            .into_iter()
            .filter_map(|(f, j)| {
                let rank = if f == file {
                    own.then_some(0)?
                } else {
                    closure.rank(f)? + 1
                };
                let iface = self.iface(f);
                let d = iface.defs.get(j as usize)?;
                if !(d.container.is_none() && d.owner.is_none() && wanted(d)) {
                    return None;
                }
                // of `#if` alternatives, one in a branch this kind of build takes
                let skipped = several
                    && !iface.conditions_of(j).is_empty()
                    && self.in_taken_branch((f, j), 0) == Some(false);
                Some((skipped, rank, j, f))
            })
            .min()
            .map(|(_, _, j, f)| (f, j))
    }

    /// [`Cx::lookup`] for a name used in a `role`: a type's members in
    /// scope (Java's implicit `this.`) count only when they fit it (a type
    /// where a type is written, a method or a type where one is called),
    /// as a compiler keeps types and values apart.
    pub(super) fn lookup_as(
        &self,
        file: SourceFile,
        scope: Option<u32>,
        name: &str,
        role: Option<Role>,
        depth: u8,
    ) -> Option<Binding> {
        if depth > MAX_DEPTH {
            return None;
        }
        let _guard = self.enter()?;
        let iface = self.iface(file);
        let mut s = scope;
        while let Some(i) = s {
            let d = iface.defs.get(i as usize)?;
            if matches!(
                d.kind,
                SymbolKind::Function | SymbolKind::Method | SymbolKind::Module
            ) && let Some((j, _)) = iface
                .members(i, name)
                // `T::m` defined in a namespace is T's, not the namespace's
                .find(|(_, m)| m.owner.is_none())
            {
                return Some(Binding::Def((file, j)));
            }
            // (a type's own name inside it is the type, not its constructor)
            if d.kind.is_type()
                && d.name != name
                && self.resolver().implicit_members()
                && let Some(b) =
                    self.member_or_constructor((file, i), name, role == Some(Role::Call), depth + 1)
                && self.fits(&b, role)
            {
                return Some(b);
            }
            if self.resolver().implicit_members() {
                // a method defined out of its type (`R T::m() {..}`) sees T's members
                if let Some(owner) = &d.owner
                    && let Some(Binding::Def(t)) = self.lookup(file, d.container, owner, depth + 1)
                {
                    // in `T::m`, `T` is the type (not its constructor)
                    if name == owner.as_str() {
                        return Some(Binding::Def(t));
                    }
                    if let Some(b) = self.type_member(t, name, role == Some(Role::Call), depth + 1)
                        && self.fits(&b, role)
                    {
                        return Some(b);
                    }
                }
            }
            // a namespace's other blocks, in this file or another, then the
            // namespaces its name nests it in (`A` around `A.B`): in C#, C++
            // and Ruby (implicit members) and in PHP (modules as scopes)
            if (self.resolver().implicit_members() || self.resolver().module_is_scope())
                && d.kind == SymbolKind::Module
            {
                let sep = self.lang.separator();
                // (only the names this block's own name adds: the
                // blocks around it are walked in their turn)
                let outer = d
                    .container
                    .map_or(0, |c| iface.defs[c as usize].local_name.len());
                let mut ns = d.local_name.as_str();
                loop {
                    if let Some(b) = self.reopened_in(file, ns, SymbolKind::Module, name, (file, i))
                        && self.fits(&b, role)
                    {
                        return Some(b);
                    }
                    // a nested namespace declared by its full name
                    // (`namespace A.C;` seen as `C` inside `A.B`)
                    if let Some(b) = self.namespace_path_named(&format!("{ns}{sep}{name}"))
                        && self.fits(&b, role)
                    {
                        return Some(b);
                    }
                    // (PHP looks in the current namespace only)
                    match ns.rfind(sep) {
                        Some(k) if k > outer && self.resolver().implicit_members() => ns = &ns[..k],
                        _ => break,
                    }
                }
            }
            s = d.container;
        }
        if self.resolver().macros_shadow()
            && let Some(m) = self.visible_macro(file, name)
        {
            return Some(Binding::Def(m));
        }
        if let Some((j, d)) = iface.top_level(name).next() {
            // C: a function this file defines and a header it includes
            // declares is one function, known by its declaration everywhere
            if d.kind.is_function()
                && self.resolver().includes()
                && let Some(declared) = self.included_function(file, name)
            {
                return Some(Binding::Def(declared));
            }
            return Some(self.def_or_module(file, j, d.kind));
        }
        if let Some(b) = self.lookup_import(file, &iface, name, depth) {
            return Some(b);
        }
        if self.resolver().module_is_scope()
            && let Some(b) = self.in_own_module(file, name)
        {
            return Some(b);
        }
        if self.resolver().global_names()
            && let Some(b) = self.global(name, role)
        {
            return Some(b);
        }
        let mut external = None;
        if self.resolver().includes() {
            if let Some((f, j)) = self.included(file, name, false, |_| true) {
                let kind = self.iface(f).defs[j as usize].kind;
                return Some(self.def_or_module(f, j, kind));
            }
            if let Some(m) = self.defined_by_includer(file, name) {
                return Some(Binding::Def(m));
            }
            external = super::include_closure(self.db, file)
                .external
                .clone()
                .map(Binding::External);
        }
        // (with includes, the closure covered the files; what is left are
        // globs of a namespace or a type: C++'s `using namespace`)
        if let Some(b) = self.through_globs(
            iface.imports.iter().filter(|i| i.glob).map(|i| (file, i)),
            name,
            depth,
            &mut external,
        ) {
            return Some(b);
        }
        if let Some(b) = self.resolver().root(self, file, name) {
            return Some(b);
        }
        if let Some(b) = self.declared_global(name, role) {
            return Some(b);
        }
        if let Some(m) = self.resolver().builtin(name) {
            return Some(Binding::External(m.into()));
        }
        external
    }

    /// Definitions in path order, then file order: where several files
    /// define a name, every file agrees on the first.
    fn by_path(&self, a: DefLoc, b: DefLoc) -> std::cmp::Ordering {
        a.0.path(self.db).cmp(b.0.path(self.db)).then(a.1.cmp(&b.1))
    }

    /// A top-level definition of `name` in any file of the language
    /// ([`LangResolver::global_names`]): the first by path, so every file
    /// agrees on one of a class's reopened declarations.
    pub(super) fn global(&self, name: &str, role: Option<Role>) -> Option<Binding> {
        let lang = self.lang.lang();
        defs_named(self.db, name)
            .into_iter()
            .filter(|&(f, j)| {
                f.lang(self.db) == Some(lang)
                    && self.iface(f).defs.get(j as usize).is_some_and(|d| {
                        d.container.is_none() && d.owner.is_none() && d.kind != SymbolKind::Field
                    })
                    && self.fits(&Binding::Def((f, j)), role)
            })
            .min_by(|a, b| self.by_path(*a, *b))
            .map(Binding::Def)
    }

    /// A macro `file` does not see by its own includes, defined in a file
    /// that includes it: a fragment written to be included after its
    /// macros are defined (`#define FN(X) X##Literal` then `#include
    /// "block_splitter_inc.h"`). The first by path.
    fn defined_by_includer(&self, file: SourceFile, name: &str) -> Option<DefLoc> {
        defs_named(self.db, name)
            .into_iter()
            .filter(|&(f, j)| {
                f != file
                    && self
                        .iface(f)
                        .defs
                        .get(j as usize)
                        .is_some_and(|d| d.kind == SymbolKind::Macro && d.container.is_none())
                    && super::direct_includes(self.db, f).files.contains(&file)
            })
            .min_by(|a, b| self.by_path(*a, *b))
    }

    /// A top-level definition of `name` in a script that declares globals
    /// ([`LangResolver::global_scripts`]): one that imports and exports
    /// nothing. The first by path, as [`Cx::global`].
    fn declared_global(&self, name: &str, role: Option<Role>) -> Option<Binding> {
        let is_script = self.resolver().global_scripts()?;
        let lang = self.lang.lang();
        defs_named(self.db, name)
            .into_iter()
            .filter(|&(f, j)| {
                if f.lang(self.db) != Some(lang) || !is_script(f.path(self.db)) {
                    return false;
                }
                let iface = self.iface(f);
                iface.imports.is_empty()
                    && !iface.defs.iter().any(|d| d.exported)
                    && iface
                        .defs
                        .get(j as usize)
                        .is_some_and(|d| d.container.is_none() && d.owner.is_none())
                    && self.fits(&Binding::Def((f, j)), role)
            })
            .min_by(|a, b| self.by_path(*a, *b))
            .map(Binding::Def)
    }

    /// `name` through glob imports (each with the file importing it) of
    /// the tree. An external glob (`#include <stdio.h>`, `from os import
    /// *`) may hold any name, so it is left in `external` to answer only
    /// when nothing of the tree does.
    pub(super) fn through_globs<'i>(
        &self,
        globs: impl Iterator<Item = (SourceFile, &'i InterfaceImport)>,
        name: &str,
        depth: u8,
        external: &mut Option<Binding>,
    ) -> Option<Binding> {
        if self.in_glob.get() {
            return None;
        }
        let included = self.resolver().includes();
        for (file, imp) in globs {
            // inclusions are the closure's, looked up already
            if included && self.resolver().is_inclusion(&imp.module) {
                continue;
            }
            self.in_glob.set(true);
            let module = self.resolver().resolve_module(self, file, &imp.module);
            self.in_glob.set(false);
            match module {
                Some(Binding::External(m)) => {
                    external.get_or_insert(Binding::External(m));
                }
                Some(m) => match self.member(&m, name, depth + 1) {
                    Some(Binding::External(m)) => {
                        external.get_or_insert(Binding::External(m));
                    }
                    Some(b) => return Some(b),
                    None => {}
                },
                None => {}
            }
        }
        None
    }

    /// A module declaration (`mod a;`) stands for the module's own file.
    pub(super) fn def_or_module(&self, file: SourceFile, idx: u32, kind: SymbolKind) -> Binding {
        if kind == SymbolKind::Module
            && let Some(key) = self.layout.module_of.get(&file)
        {
            let name = &self.iface(file).defs[idx as usize].name;
            let child = format!("{key}{}{name}", self.resolver().module_separator());
            if self.module_exists(&child) {
                return Binding::Module(child.into());
            }
        }
        Binding::Def((file, idx))
    }

    /// A name bound by one of the file's (non-glob) imports.
    pub(super) fn lookup_import(
        &self,
        file: SourceFile,
        iface: &FileInterface,
        name: &str,
        depth: u8,
    ) -> Option<Binding> {
        for imp in &iface.imports {
            if imp.glob {
                continue;
            }
            if imp.names.is_empty() {
                if let Some((local, spec)) = self.resolver().module_import_binding(imp)
                    && local == name
                {
                    return self.resolver().resolve_module(self, file, &spec);
                }
                continue;
            }
            for (n, alias) in &imp.names {
                if alias.as_ref().unwrap_or(n) == name {
                    let m = self.resolver().resolve_module(self, file, &imp.module)?;
                    return match (self.member(&m, n, depth + 1), m) {
                        (Some(b), _) => Some(b),
                        (None, Binding::External(e)) => Some(Binding::External(e)),
                        (None, _) => None,
                    };
                }
            }
        }
        None
    }

    pub fn resolve_path_binding(
        &self,
        file: SourceFile,
        scope: Option<u32>,
        path: &[Name],
        depth: u8,
    ) -> Option<Binding> {
        self.resolve_path_as(file, scope, path, None, depth)
    }

    /// [`Cx::resolve_path_binding`] for a path used in a `role`.
    pub(super) fn resolve_path_as(
        &self,
        file: SourceFile,
        scope: Option<u32>,
        path: &[Name],
        role: Option<Role>,
        depth: u8,
    ) -> Option<Binding> {
        let call = role == Some(Role::Call);
        let (first, rest) = path.split_first()?;
        let mut b = if first == "self" || first == "Self" {
            match self.self_type(file, scope, depth) {
                Some(t) => t,
                None => self.resolver().root(self, file, first)?,
            }
        } else if Some(first.as_str()) == self.resolver().super_name() {
            self.super_type(file, scope, depth)?
        } else {
            // a qualified type's qualifiers are types (or packages) too
            let first_role = match role {
                Some(Role::Type | Role::Inherit) => role,
                _ if rest.is_empty() => role,
                _ => None,
            };
            self.lookup_as(file, scope, first, first_role, depth)?
        };
        for (i, seg) in rest.iter().enumerate() {
            b = self.member_as(&b, seg, call && i + 1 == rest.len(), depth + 1)?;
        }
        Some(b)
    }

    /// The type `super` denotes at `scope`: the first base of the self
    /// type that resolves (a class's superclass is written first).
    pub(super) fn super_type(
        &self,
        file: SourceFile,
        scope: Option<u32>,
        depth: u8,
    ) -> Option<Binding> {
        let Binding::Def((f, idx)) = self.self_type(file, scope, depth)? else {
            return None;
        };
        let iface = self.iface(f);
        iface
            .bases
            .iter()
            .filter(|(sub, _)| *sub == idx)
            .find_map(|(_, base)| {
                self.resolve_path_binding(f, iface.defs[idx as usize].container, base, depth + 1)
            })
    }

    /// The type `self`/`this` denotes at `scope`.
    pub(crate) fn self_type(
        &self,
        file: SourceFile,
        scope: Option<u32>,
        depth: u8,
    ) -> Option<Binding> {
        let iface = self.iface(file);
        let mut s = scope;
        while let Some(i) = s {
            let d = &iface.defs[i as usize];
            if d.kind.is_type() {
                return Some(Binding::Def((file, i)));
            }
            if let Some(owner) = &d.owner {
                return self.lookup(file, None, owner, depth + 1);
            }
            s = d.container;
        }
        None
    }

    /// A top-level `name` of another file of `file`'s module, through the
    /// name index: one lookup, not one per file of a package of hundreds.
    fn in_own_module(&self, file: SourceFile, name: &str) -> Option<Binding> {
        let key = self.layout.module_of.get(&file)?;
        defs_named(self.db, name).into_iter().find_map(|(f, j)| {
            if f == file || self.layout.module_of.get(&f) != Some(key) {
                return None;
            }
            let top = self
                .iface(f)
                .defs
                .get(j as usize)
                .is_some_and(|d| d.container.is_none() && d.owner.is_none());
            top.then_some(Binding::Def((f, j)))
        })
    }

    /// The declaration of function `name` in a file `file` includes.
    fn included_function(&self, file: SourceFile, name: &str) -> Option<DefLoc> {
        self.included(file, name, false, |d| d.kind.is_function())
    }
}
