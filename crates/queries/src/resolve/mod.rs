//! Name resolution: every reference, import and base type of a file gets a
//! target and says how it got it (`scoped`, `heuristic`, `external`,
//! `unresolved`). Cross-file lookups read only other files' interfaces and
//! the name index, never their bodies.

mod branches;
mod members;
mod module_map;
mod names;
mod types;

use std::sync::Arc;

pub use module_map::{
    Layout, depth_first, dir_of, innermost, join, layout, manifest_dirs, package_under_roots, under,
};
pub use types::Ty;
use weft_db::{Resolution, Role, SymbolKind};

use crate::db::{Db, DefLoc, SourceFile, defs_named, file_facts, file_interface};
use crate::facts::compiler::{CompilerRefs, CompilerTarget};
use crate::facts::{Expr, FileFacts, FileInterface, Name, Receiver, Ref};
pub use crate::lang::Binding;
use crate::lang::{LangManifests, LangResolver, LanguageSupport, NAMESPACE_PREFIX, Scope};

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
    /// Interfaces read so far: a lookup reads the same few again and again,
    /// and each salsa read records a dependency (a third of resolution's
    /// time on the JDK before this).
    ifaces: std::cell::RefCell<rustc_hash::FxHashMap<SourceFile, Arc<FileInterface>>>,
    /// `#if` branches weighed so far ([`Cx::in_taken_branch`]): a macro's
    /// alternatives come up at every use of it.
    taken: std::cell::RefCell<rustc_hash::FxHashMap<DefLoc, Option<bool>>>,
    /// Resolving a glob import's module right now: the lookup that names
    /// it (C++'s `using namespace a;`) must not go through glob imports
    /// again, or each `using` re-resolves every other, exponentially.
    in_glob: std::cell::Cell<bool>,
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
            ifaces: Default::default(),
            taken: Default::default(),
            in_glob: std::cell::Cell::new(false),
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
        if let Some(i) = self.ifaces.borrow().get(&f) {
            return i.clone();
        }
        let i = file_interface(self.db, f);
        self.ifaces.borrow_mut().insert(f, i.clone());
        i
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
        self.resolve_call(file, scope, path, receiver, role, exprs, None)
    }

    /// [`Cx::resolve_ref`] for a call passing `arity` arguments: among
    /// overloads of the method found, the one that takes that many.
    #[allow(clippy::too_many_arguments)]
    pub fn resolve_call(
        &self,
        file: SourceFile,
        scope: Option<u32>,
        path: &[Name],
        receiver: Receiver,
        role: Role,
        exprs: &[Expr],
        arity: Option<u8>,
    ) -> Resolved {
        match self.resolve_ignoring_arity(file, scope, path, receiver, role, exprs) {
            Resolved::Def { loc, by } if arity.is_some() => {
                let (loc, sure) = self.overload(loc, arity.unwrap_or(0));
                let by = if sure { by } else { By::Name };
                Resolved::Def { loc, by }
            }
            r => r,
        }
    }

    /// Does `first` name a namespace (a module definition) here?
    fn names_namespace(&self, file: SourceFile, scope: Option<u32>, first: &str) -> bool {
        matches!(self.lookup(file, scope, first, 0), Some(Binding::Def((f, i)))
            if self.iface(f).defs.get(i as usize).is_some_and(|d| d.kind == SymbolKind::Module))
    }

    fn resolve_ignoring_arity(
        &self,
        file: SourceFile,
        scope: Option<u32>,
        path: &[Name],
        receiver: Receiver,
        role: Role,
        exprs: &[Expr],
    ) -> Resolved {
        match receiver {
            Receiver::Path => match self.resolve_path_as(file, scope, path, Some(role), 0) {
                Some(Binding::Def(loc)) => {
                    let by = if self.one_of_alternatives(loc) {
                        By::Name
                    } else {
                        By::Scope
                    };
                    return Resolved::Def { loc, by };
                }
                Some(Binding::External(m)) => return Resolved::External(m),
                Some(Binding::Module(key)) => {
                    return match self.module_files(&key).first() {
                        Some(&f) => Resolved::Module(f),
                        None => Resolved::Unresolved,
                    };
                }
                // `ns::name` in a namespace the tree only partly holds
                // (`namespace std { .. }` specializations): not a guess
                None if path.len() > 1 && self.names_namespace(file, scope, &path[0]) => {
                    return Resolved::Unresolved;
                }
                None => {}
            },
            Receiver::Expr(e) => {
                let name = path.last().map(|n| n.as_str()).unwrap_or("");
                match self.type_of(file, scope, exprs, e, 0).map(Ty::for_members) {
                    Some(Some(Ty::Def(t))) => {
                        // The receiver's type is known: its member or nothing,
                        // never a same-named member of another type.
                        match self.member_or_constructor(t, name, role == Role::Call, 1) {
                            Some(Binding::Def(loc)) => return Resolved::Def { loc, by: By::Scope },
                            Some(Binding::External(m)) => return Resolved::External(m),
                            // an extension declared elsewhere, by its name
                            _ if self.resolver().extension_members() => {}
                            _ => return Resolved::Unresolved,
                        }
                    }
                    // a library type, unless an extension of the tree names
                    // the member (Kotlin's `fun Int.twice()`, Swift's
                    // `extension String`: a definition with an owner, not a
                    // member of some class of the tree)
                    Some(Some(Ty::External(m))) => {
                        if self.resolver().extension_members()
                            && let guess @ Resolved::Def { loc, .. } =
                                self.heuristic(file, path, receiver, role)
                            && self.iface(loc.0).defs[loc.1 as usize].owner.is_some()
                        {
                            return guess;
                        }
                        return Resolved::External(m);
                    }
                    // (a slice's own members: as if untyped)
                    Some(Some(Ty::Items { .. }) | None) | None => {}
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
    fn namespace(&self, _from: SourceFile, qualified: &str) -> Option<Binding> {
        self.namespace_named(qualified)
    }
    fn namespace_path(&self, _from: SourceFile, qualified: &str) -> Option<Binding> {
        self.namespace_path_named(qualified)
    }
}

impl Cx<'_> {
    /// [`Scope::namespace`], in the language being resolved.
    pub(super) fn namespace_named(&self, qualified: &str) -> Option<Binding> {
        let lang = self.lang.lang();
        let last = qualified.rsplit(self.lang.separator()).next()?;
        let names = std::iter::once(qualified).chain((last != qualified).then_some(last));
        names
            .flat_map(|n| defs_named(self.db, n))
            .find(|&(f, j)| {
                f.lang(self.db) == Some(lang)
                    && self.iface(f).defs.get(j as usize).is_some_and(|d| {
                        d.kind == SymbolKind::Module && d.local_name.as_str() == qualified
                    })
            })
            .map(Binding::Def)
    }

    /// [`Scope::namespace_path`], in the language being resolved.
    pub(super) fn namespace_path_named(&self, qualified: &str) -> Option<Binding> {
        if let Some(ns) = self.namespace_named(qualified) {
            return Some(ns);
        }
        let sep = self.lang.separator().chars().next()?;
        namespace_prefixes(self.db, self.lang.lang().index() as u32, sep)
            .contains(qualified)
            .then(|| Binding::Module(format!("{NAMESPACE_PREFIX}{qualified}").into()))
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
        let res = resolve_reference(&cx, file, &facts, compiler, r);
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
        // a base is written in the scope around its type (a namespace, an
        // outer class)
        let scope = facts.defs.get(inh.sub as usize).and_then(|d| d.container);
        out.inherits.push(cx.resolve_ref(
            file,
            scope,
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

/// One reference, as [`resolve_file`] resolves it: a compiler index's
/// answer when one was imported, else weft's own.
fn resolve_reference(
    cx: &Cx,
    file: SourceFile,
    facts: &FileFacts,
    compiler: Option<&CompilerRefs>,
    r: &Ref,
) -> Resolved {
    compiler
        .and_then(|c| c.get(r.span))
        .and_then(|c| cx.compiler_target(&c.target))
        .unwrap_or_else(|| {
            cx.resolve_call(
                file,
                r.scope,
                &r.path,
                r.receiver,
                r.role,
                &facts.exprs,
                r.arity,
            )
        })
}

/// The `i`th reference of a file alone, exactly as [`resolve_file`] would
/// resolve it, without resolving the rest: go to definition right after an
/// edit need not wait for the whole file (hundreds of milliseconds for a
/// large one).
pub fn resolve_one(db: &dyn Db, file: SourceFile, i: usize) -> Resolved {
    let Some(lang) = file.lang(db) else {
        return Resolved::Unresolved;
    };
    let facts = file_facts(db, file);
    let Some(r) = facts.refs.get(i) else {
        return Resolved::Unresolved;
    };
    let layout = layout(db);
    let cx = Cx::new(db, &layout, db.languages().get(lang));
    resolve_reference(&cx, file, &facts, file.compiler(db).as_deref(), r)
}

/// What a file sees through its includes (see [`LangResolver::includes`]).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct IncludeClosure {
    /// Every file it includes, directly or not, nearest first; not itself.
    pub files: Vec<SourceFile>,
    /// The first include outside the tree (`<stdio.h>`): any name no file
    /// of the tree defines may come from it.
    pub external: Option<Name>,
    /// `files` by file, with each one's place in `files`.
    by_file: Vec<(SourceFile, u32)>,
}

impl IncludeClosure {
    /// How near `f` is (0: included directly first), if included at all.
    pub fn rank(&self, f: SourceFile) -> Option<u32> {
        let i = self.by_file.binary_search_by_key(&f, |(g, _)| *g).ok()?;
        Some(self.by_file[i].1)
    }
}

/// Files further than this many includes away are not followed.
const MAX_INCLUDED: usize = 20_000;

/// The files one file includes directly, resolved once (a header is
/// included from thousands of files), and the first include outside the
/// tree: [`include_closure`]'s steps (`rank` answers only on a closure).
#[salsa::tracked(returns(clone))]
pub fn direct_includes(db: &dyn Db, file: SourceFile) -> Arc<IncludeClosure> {
    let Some(lang) = file.lang(db) else {
        return Arc::default();
    };
    let support = db.languages().get(lang);
    let layout = layout(db);
    let cx = Cx::new(db, &layout, support);
    let resolver = support.resolver;
    let mut out = IncludeClosure::default();
    for imp in cx
        .iface(file)
        .imports
        .iter()
        .filter(|i| i.glob && resolver.is_inclusion(&i.module))
    {
        match resolver.resolve_module(&cx, file, &imp.module) {
            Some(Binding::Module(key)) => out.files.extend(cx.module_files(&key)),
            Some(Binding::External(m)) => {
                out.external.get_or_insert(m);
            }
            _ => {}
        }
    }
    Arc::new(out)
}

/// The names that lead a qualified namespace name of a language's files
/// (`A` and `A.B` of `namespace A.B.C`), which no definition declares.
/// Depends on the interfaces only, and is equal after most edits.
#[salsa::tracked(returns(clone))]
pub fn namespace_prefixes(db: &dyn Db, lang: u32, sep: char) -> Arc<rustc_hash::FxHashSet<Name>> {
    let mut out = rustc_hash::FxHashSet::default();
    for f in crate::db::all_files(db) {
        if f.lang(db).map(|l| l.index() as u32) != Some(lang) {
            continue;
        }
        for d in &crate::db::file_interface(db, f).defs {
            if d.kind != SymbolKind::Module {
                continue;
            }
            let mut name = d.local_name.as_str();
            // (`::` as `:`, trimmed)
            while let Some(k) = name.rfind(sep) {
                name = name[..k].trim_end_matches(sep);
                out.insert(Name::from(name));
            }
        }
    }
    Arc::new(out)
}

/// A file's inclusion closure, breadth first, each file once (headers
/// include each other in diamonds and cycles). Depends only on the
/// interfaces' imports: a body edit leaves it be.
#[salsa::tracked(returns(clone))]
pub fn include_closure(db: &dyn Db, file: SourceFile) -> Arc<IncludeClosure> {
    let mut out = IncludeClosure::default();
    let mut seen = rustc_hash::FxHashSet::default();
    seen.insert(file);
    let mut queue = std::collections::VecDeque::from([file]);
    while let Some(f) = queue.pop_front() {
        let direct = direct_includes(db, f);
        if out.external.is_none() {
            out.external.clone_from(&direct.external);
        }
        for &g in &direct.files {
            if out.files.len() < MAX_INCLUDED && seen.insert(g) {
                out.files.push(g);
                queue.push_back(g);
            }
        }
    }
    out.by_file = out
        .files
        .iter()
        .enumerate()
        .map(|(i, &f)| (f, i as u32))
        .collect();
    out.by_file.sort_unstable();
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
