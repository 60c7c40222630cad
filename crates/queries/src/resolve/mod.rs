//! Name resolution: every reference, import and base type of a file gets a
//! target and says how it got it (`scoped`, `heuristic`, `external`,
//! `unresolved`). Cross-file lookups read only other files' interfaces and
//! the name index, never their bodies.

mod module_map;
mod types;

use std::sync::Arc;

pub use module_map::{Layout, depth_first, dir_of, join, layout, under};
pub use types::Ty;
use weft_db::{Resolution, Role, SymbolKind};

use crate::db::{Db, DefLoc, SourceFile, defs_named, file_facts, file_interface};
use crate::facts::compiler::CompilerTarget;
use crate::facts::{Expr, FileInterface, InterfaceImport, Name, Receiver};
pub use crate::lang::Binding;
use crate::lang::{LangManifests, LangResolver, LanguageSupport, Scope};

/// How a reference's definition was found.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum By {
    /// Scopes, imports and local types: what a compiler would pick.
    Scope,
    /// A unique name: likely, not proven.
    Name,
    /// An imported compiler index said so.
    Compiler,
}

/// Where a reference points, and how that was decided.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Resolved {
    Def {
        loc: DefLoc,
        by: By,
    },
    /// A module of the tree, standing for its (first) file.
    Module(SourceFile),
    External(Name),
    Unresolved,
}

impl Resolved {
    pub fn resolution(&self) -> Resolution {
        match self {
            Resolved::Def { by: By::Scope, .. } => Resolution::Scoped,
            Resolved::Def { by: By::Name, .. } => Resolution::Heuristic,
            Resolved::Def {
                by: By::Compiler, ..
            } => Resolution::Compiler,
            Resolved::Module(_) => Resolution::Scoped,
            Resolved::External(_) => Resolution::External,
            Resolved::Unresolved => Resolution::Unresolved,
        }
    }
    /// Bound only by a unique name?
    pub fn is_guess(&self) -> bool {
        matches!(self, Resolved::Def { by: By::Name, .. })
    }
    pub fn def(&self) -> Option<DefLoc> {
        match self {
            Resolved::Def { loc, .. } => Some(*loc),
            _ => None,
        }
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ImportTarget {
    Files(Vec<SourceFile>),
    External(Name),
    Unresolved,
}

/// A file's resolved edges, aligned index by index with its facts.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct ResolvedFile {
    pub refs: Vec<Resolved>,
    pub imports: Vec<ImportTarget>,
    pub inherits: Vec<Resolved>,
    pub impl_traits: Vec<Resolved>,
    /// The type each impl block is for, when it is a definition in the tree.
    pub impl_types: Vec<Option<DefLoc>>,
    /// Files this file depends on through imports (sorted, distinct).
    pub deps: Vec<SourceFile>,
}

const MAX_DEPTH: u8 = 12;

/// Resolution context shared by every language.
pub struct Cx<'a> {
    pub db: &'a dyn Db,
    pub layout: &'a Layout,
    pub lang: &'static LanguageSupport,
    /// Nesting of lookups in progress: import and glob chains can loop
    /// (`use super::*` both ways), so every recursive entry counts here.
    nesting: std::cell::Cell<u32>,
}

/// Leaves a [`Cx::enter`] scope.
struct Nested<'c>(&'c std::cell::Cell<u32>);

impl Drop for Nested<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

const MAX_NESTING: u32 = 48;

impl<'a> Cx<'a> {
    pub fn new(db: &'a dyn Db, layout: &'a Layout, lang: &'static LanguageSupport) -> Self {
        Cx {
            db,
            layout,
            lang,
            nesting: std::cell::Cell::new(0),
        }
    }

    /// Count one level of recursion; `None` when too deep.
    fn enter(&self) -> Option<Nested<'_>> {
        let n = self.nesting.get();
        if n >= MAX_NESTING {
            return None;
        }
        self.nesting.set(n + 1);
        Some(Nested(&self.nesting))
    }

    pub fn iface(&self, f: SourceFile) -> Arc<FileInterface> {
        file_interface(self.db, f)
    }

    fn resolver(&self) -> &'static dyn LangResolver {
        self.lang.resolver
    }

    pub fn module_files(&self, key: &str) -> &[SourceFile] {
        self.layout
            .modules
            .get(key)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
    }

    pub fn module_exists(&self, key: &str) -> bool {
        self.layout.modules.contains_key(key) || self.layout.prefixes.contains(key)
    }

    /// A name as seen from `scope` in `file`.
    pub fn lookup(
        &self,
        file: SourceFile,
        scope: Option<u32>,
        name: &str,
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
            ) && let Some((j, _)) = iface.members(i, name).next()
            {
                return Some(Binding::Def((file, j)));
            }
            s = d.container;
        }
        if let Some((j, d)) = iface.top_level(name).next() {
            return Some(self.def_or_module(file, j, d.kind));
        }
        if let Some(b) = self.lookup_import(file, &iface, name, depth) {
            return Some(b);
        }
        for sib in self.resolver().package_siblings(self, file) {
            if sib != file
                && let Some((j, _)) = self.iface(sib).top_level(name).next()
            {
                return Some(Binding::Def((sib, j)));
            }
        }
        for imp in iface.imports.iter().filter(|i| i.glob) {
            if let Some(m) = self.resolver().resolve_module(self, file, &imp.module)
                && let Some(b) = self.member(&m, name, depth + 1)
            {
                return Some(b);
            }
        }
        self.resolver().root(self, file, name).or_else(|| {
            self.resolver()
                .builtin(name)
                .map(|m| Binding::External(m.into()))
        })
    }

    /// A module declaration (`mod a;`) stands for the module's own file.
    fn def_or_module(&self, file: SourceFile, idx: u32, kind: SymbolKind) -> Binding {
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
    fn lookup_import(
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

    /// `binding.seg`: a module's item or submodule, a type's member.
    pub fn member(&self, b: &Binding, seg: &str, depth: u8) -> Option<Binding> {
        if depth > MAX_DEPTH {
            return None;
        }
        let _guard = self.enter()?;
        match b {
            Binding::External(m) => Some(Binding::External(m.clone())),
            Binding::Def(loc) => self.type_member(*loc, seg, false, depth),
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
                for &f in files {
                    for imp in self
                        .iface(f)
                        .imports
                        .iter()
                        .filter(|i| i.glob && i.reexport)
                    {
                        if let Some(m) = self.resolver().resolve_module(self, f, &imp.module)
                            && let Some(b) = self.member(&m, seg, depth + 1)
                        {
                            return Some(b);
                        }
                    }
                }
                None
            }
        }
    }

    /// A member of a definition: class/struct/trait members, methods
    /// attached by impls or receivers, then base types. For a `call`, a
    /// method wins over a same-named field (`x.len()` next to `len: usize`);
    /// the field is the answer only when no method has the name.
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
        for (j, d) in iface.members(idx, seg) {
            if !call || d.kind.is_function() {
                return Some(Binding::Def((file, j)));
            }
            field.get_or_insert(Binding::Def((file, j)));
        }
        if !(def.kind.is_type() || def.kind == SymbolKind::Module) {
            // a field or variable: a member of its declared type
            return match self.value_type((file, idx), depth + 1)? {
                Ty::Def(t) if t != (file, idx) => self.type_member(t, seg, call, depth + 1),
                Ty::Def(_) => None,
                Ty::External(m) => Some(Binding::External(m)),
            };
        }
        self.attached_member((file, idx), seg, call, depth)
            .filter(|b| !call || field.is_none() || self.is_function(b))
            .or(field)
    }

    fn is_function(&self, b: &Binding) -> bool {
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
    fn attached_member(
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
            if cd.owner.as_deref() != Some(def.name.as_str()) {
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
            if let Some(Binding::Def(b)) = self.resolve_path_binding(file, None, base, depth + 1)
                && b != (file, idx)
                && let Some(found) = self.type_member(b, seg, call, depth + 1)
            {
                return Some(found);
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
        let (first, rest) = path.split_first()?;
        let mut b = if first == "self" || first == "Self" {
            match self.self_type(file, scope, depth) {
                Some(t) => t,
                None => self.resolver().root(self, file, first)?,
            }
        } else {
            self.lookup(file, scope, first, depth)?
        };
        for seg in rest {
            b = self.member(&b, seg, depth + 1)?;
        }
        Some(b)
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

    /// What an imported compiler index's target stands for now; None when
    /// its definition moved or vanished since the import.
    fn compiler_target(&self, t: &CompilerTarget) -> Option<Resolved> {
        Some(match t {
            CompilerTarget::Def { file, ord, name } => {
                let f = *self.layout.by_path.get(file)?;
                let iface = self.iface(f);
                if iface.defs.get(*ord as usize)?.name != *name {
                    return None;
                }
                Resolved::Def {
                    loc: (f, *ord),
                    by: By::Compiler,
                }
            }
            CompilerTarget::Module(file) => Resolved::Module(*self.layout.by_path.get(file)?),
            CompilerTarget::External(m) => Resolved::External(m.clone()),
            CompilerTarget::Local => Resolved::Unresolved,
        })
    }

    /// Resolve a reference: scopes and imports first, then a unique name.
    pub fn resolve_ref(
        &self,
        file: SourceFile,
        scope: Option<u32>,
        path: &[Name],
        receiver: Receiver,
        role: Role,
        exprs: &[Expr],
    ) -> Resolved {
        match receiver {
            Receiver::Path => match self.resolve_path_binding(file, scope, path, 0) {
                Some(Binding::Def(loc)) => {
                    return Resolved::Def { loc, by: By::Scope };
                }
                Some(Binding::External(m)) => return Resolved::External(m),
                Some(Binding::Module(key)) => {
                    return match self.module_files(&key).first() {
                        Some(&f) => Resolved::Module(f),
                        None => Resolved::Unresolved,
                    };
                }
                None => {}
            },
            Receiver::Expr(e) => {
                let name = path.last().map(|n| n.as_str()).unwrap_or("");
                match self.type_of(file, scope, exprs, e, 0) {
                    Some(Ty::Def(t)) => {
                        // The receiver's type is known: its member or nothing,
                        // never a same-named member of another type.
                        return match self.type_member(t, name, role == Role::Call, 1) {
                            Some(Binding::Def(loc)) => Resolved::Def { loc, by: By::Scope },
                            Some(Binding::External(m)) => Resolved::External(m),
                            _ => Resolved::Unresolved,
                        };
                    }
                    Some(Ty::External(m)) => return Resolved::External(m),
                    None => {}
                }
            }
            Receiver::Unknown => {}
        }
        self.heuristic(file, path, receiver, role)
    }

    fn heuristic(
        &self,
        file: SourceFile,
        path: &[Name],
        receiver: Receiver,
        role: Role,
    ) -> Resolved {
        let Some(name) = path.last() else {
            return Resolved::Unresolved;
        };
        let member = path.len() > 1 || receiver != Receiver::Path;
        if member && self.resolver().common_member(name) {
            return Resolved::Unresolved;
        }
        let lang = file.lang(self.db);
        let mut found: Option<DefLoc> = None;
        for (cf, ci) in defs_named(self.db, name) {
            if cf.lang(self.db) != lang {
                continue;
            }
            let iface = self.iface(cf);
            let d = &iface.defs[ci as usize];
            let is_member = d.container.is_some() || d.owner.is_some();
            if member != is_member {
                continue;
            }
            let fits = match role {
                Role::Call => d.kind.is_callable(),
                Role::Type | Role::Inherit => d.kind.is_type(),
                _ => true,
            };
            if !fits {
                continue;
            }
            if found.is_some() {
                return Resolved::Unresolved;
            }
            found = Some((cf, ci));
        }
        match found {
            Some(loc) => Resolved::Def { loc, by: By::Name },
            None => Resolved::Unresolved,
        }
    }
}

/// The engine's side of the language interface.
impl Scope for Cx<'_> {
    fn path(&self, file: SourceFile) -> &str {
        file.path(self.db)
    }
    fn file_at(&self, path: &str) -> Option<SourceFile> {
        self.layout.by_path.get(path).copied()
    }
    fn module_of(&self, file: SourceFile) -> Option<&Name> {
        self.layout.module_of.get(&file)
    }
    fn module_files(&self, key: &str) -> &[SourceFile] {
        Cx::module_files(self, key)
    }
    fn module_exists(&self, key: &str) -> bool {
        Cx::module_exists(self, key)
    }
    fn manifests(&self) -> &dyn LangManifests {
        match self.layout.manifests.get(&self.lang.lang()) {
            Some(m) => &**m,
            None => &(),
        }
    }
    fn lookup(
        &self,
        file: SourceFile,
        scope: Option<u32>,
        name: &str,
        depth: u8,
    ) -> Option<Binding> {
        Cx::lookup(self, file, scope, name, depth)
    }
    fn member(&self, b: &Binding, seg: &str, depth: u8) -> Option<Binding> {
        Cx::member(self, b, seg, depth)
    }
}

/// Resolve every reference, import and base type of one file.
#[salsa::tracked(returns(clone))]
pub fn resolve_file(db: &dyn Db, file: SourceFile) -> Arc<ResolvedFile> {
    let Some(lang) = file.lang(db) else {
        return Arc::default();
    };
    let support = db.languages().get(lang);
    let layout = layout(db);
    let cx = Cx::new(db, &layout, support);
    let facts = file_facts(db, file);
    let compiler = file.compiler(db).as_deref();
    let mut out = ResolvedFile::default();
    let mut deps = Vec::new();
    for imp in &facts.imports {
        let target = match support.resolver.resolve_module(&cx, file, &imp.module) {
            Some(Binding::Module(key)) => ImportTarget::Files(cx.module_files(&key).to_vec()),
            Some(Binding::Def((f, _))) => ImportTarget::Files(vec![f]),
            Some(Binding::External(m)) => ImportTarget::External(m),
            None => ImportTarget::Unresolved,
        };
        if let ImportTarget::Files(fs) = &target {
            deps.extend(fs.iter().copied().filter(|&f| f != file));
        }
        out.imports.push(target);
    }
    for r in &facts.refs {
        let res = compiler
            .and_then(|c| c.get(r.span))
            .and_then(|c| cx.compiler_target(&c.target))
            .unwrap_or_else(|| {
                cx.resolve_ref(file, r.scope, &r.path, r.receiver, r.role, &facts.exprs)
            });
        if let Resolved::Def { loc: (f, _), by } = res
            && by != By::Name
            && f != file
            && r.role == Role::Import
        {
            deps.push(f);
        }
        out.refs.push(res);
    }
    for inh in &facts.inherits {
        out.inherits.push(cx.resolve_ref(
            file,
            None,
            &inh.base,
            Receiver::Path,
            Role::Inherit,
            &[],
        ));
    }
    for imp in &facts.impls {
        out.impl_traits.push(match &imp.trait_path {
            Some(p) => cx.resolve_ref(file, imp.container, p, Receiver::Path, Role::Inherit, &[]),
            None => Resolved::Unresolved,
        });
        out.impl_types
            .push(match cx.lookup(file, imp.container, &imp.self_type, 0) {
                Some(Binding::Def(loc)) => Some(loc),
                _ => None,
            });
    }
    deps.sort();
    deps.dedup();
    out.deps = deps;
    Arc::new(out)
}

/// A file's references grouped by the definition they resolve to, so a
/// reverse question costs one lookup per candidate file.
#[salsa::tracked(returns(clone))]
pub fn references_by_target(
    db: &dyn Db,
    file: SourceFile,
) -> Arc<rustc_hash::FxHashMap<DefLoc, Vec<u32>>> {
    let mut map: rustc_hash::FxHashMap<DefLoc, Vec<u32>> = rustc_hash::FxHashMap::default();
    for (i, r) in resolve_file(db, file).refs.iter().enumerate() {
        if let Resolved::Def { loc, .. } = r {
            map.entry(*loc).or_default().push(i as u32);
        }
    }
    Arc::new(map)
}

/// The module part of a file's qualified names (`serde::de`, `pkg.mod`).
pub fn module_display(db: &dyn Db, file: SourceFile) -> String {
    let Some(lang) = file.lang(db) else {
        return String::new();
    };
    let l = layout(db);
    match l.module_of.get(&file) {
        Some(k) => db
            .languages()
            .get(lang)
            .resolver
            .display_module(k)
            .to_string(),
        None => String::new(),
    }
}
