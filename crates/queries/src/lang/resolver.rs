//! What a language tells name resolution: its import semantics
//! ([`LangResolver`]), over the view of the module map and lookups the
//! engine lends it ([`Scope`]). Both are declared here, below the engine
//! (`resolve/`), so a language folder can implement one and call the
//! other without the engine naming any language.

use std::any::Any;
use std::fmt::Debug;
use std::sync::Arc;

use crate::facts::{InterfaceImport, Name};
use crate::inputs::{DefLoc, SourceFile};

/// What a name denotes during resolution.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Binding {
    Def(DefLoc),
    /// A module key of the module map.
    Module(Name),
    External(Name),
}

/// See [`LangResolver::element_method`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ElementMethod {
    Same,
    Element,
}

/// What the engine offers a resolver: the module map and lookups.
pub trait Scope {
    /// A file's path.
    fn path(&self, file: SourceFile) -> &str;
    /// The file at a path, if the tree has it.
    fn file_at(&self, path: &str) -> Option<SourceFile>;
    /// The module key of a file.
    fn module_of(&self, file: SourceFile) -> Option<&Name>;
    /// The files making up a module (empty when there is none).
    fn module_files(&self, key: &str) -> &[SourceFile];
    /// A module, or a prefix of one (a parent, a namespace package).
    fn module_exists(&self, key: &str) -> bool;
    /// What [`LangResolver::manifests`] read for this language.
    fn manifests(&self) -> &dyn LangManifests;
    /// A name as seen from `scope` in `file`.
    fn lookup(
        &self,
        file: SourceFile,
        scope: Option<u32>,
        name: &str,
        depth: u8,
    ) -> Option<Binding>;
    /// `binding.seg`: a module's item or submodule, a type's member.
    fn member(&self, b: &Binding, seg: &str, depth: u8) -> Option<Binding>;
    /// A namespace (a module definition) of `from`'s language by its
    /// qualified name (`A.B`, `a::b`): one of its blocks, whose members
    /// are those of every block.
    fn namespace(&self, from: SourceFile, qualified: &str) -> Option<Binding>;
    /// [`Scope::namespace`], or, when `qualified` only leads the names of
    /// namespaces (`A` of `namespace A.B`, which no block declares), a
    /// binding whose members are those namespaces and which refers to
    /// nothing itself.
    fn namespace_path(&self, from: SourceFile, qualified: &str) -> Option<Binding>;
}

/// `spec` (`A.B.C`) as a namespace of the tree, or as a member path of
/// the longest namespace it starts with (a type, a member of a type); a
/// library's when a namespace of the tree starts it but does not hold the
/// rest (`kotlin.test` beside the tree's own `package kotlin`). None when
/// no namespace of the tree starts it.
pub fn namespace_or_member(
    cx: &dyn Scope,
    from: SourceFile,
    spec: &str,
    sep: &str,
) -> Option<Binding> {
    if let Some(ns) = cx.namespace_path(from, spec) {
        return Some(ns);
    }
    let segs: Vec<&str> = spec.split(sep).collect();
    (1..segs.len()).rev().find_map(|cut| {
        let mut b = cx.namespace(from, &segs[..cut].join(sep))?;
        for seg in &segs[cut..] {
            match cx.member(&b, seg, 1) {
                Some(m) => b = m,
                None => return Some(Binding::External(spec.into())),
            }
        }
        Some(b)
    })
}

/// The module key of [`Scope::namespace_path`]'s namespace prefixes; by
/// itself, the top level (whose members are the namespaces, the
/// top-level definitions of [`LangResolver::global_names`], the builtins).
pub const NAMESPACE_PREFIX: &str = "namespace prefix:";

/// Import semantics of one language.
pub trait LangResolver: Sync {
    /// Read the language's build manifests (the files its
    /// `Naming::manifests` names, as (path, text)) and the paths of its
    /// source files into what [`LangResolver::module_key`] and
    /// [`Scope::manifests`] give back. Paths and manifests only, never
    /// file contents: body edits cannot change the module map.
    fn manifests(&self, _manifests: &[(&str, &str)], _paths: &[&str]) -> Arc<dyn LangManifests> {
        Arc::new(())
    }
    /// The module key of a file (namespaced, e.g. `py:pkg.mod`).
    fn module_key(&self, path: &str, m: &dyn LangManifests) -> Option<Name>;
    /// How the module is shown in qualified names.
    fn display_module<'a>(&self, key: &'a str) -> &'a str {
        key.split_once(':').map(|(_, k)| k).unwrap_or(key)
    }
    /// What joins a module key to a child module's name (`::`, `.`, `/`).
    fn module_separator(&self) -> &'static str {
        "/"
    }
    /// Resolve an import's module specifier as written in `from`.
    fn resolve_module(&self, cx: &dyn Scope, from: SourceFile, spec: &str) -> Option<Binding>;
    /// The local name and specifier a whole-module import binds, if any.
    fn module_import_binding(&self, imp: &InterfaceImport) -> Option<(Name, Name)> {
        imp.alias.clone().map(|a| (a, imp.module.clone()))
    }
    /// Path roots that are not in any scope: crate names, `crate`, `super`.
    fn root(&self, _cx: &dyn Scope, _from: SourceFile, _first: &str) -> Option<Binding> {
        None
    }
    /// Names always in scope (prelude, builtins), with their module.
    fn builtin(&self, name: &str) -> Option<&'static str>;
    /// Member names too common to bind by name alone (`clone`, `push`...).
    fn common_member(&self, name: &str) -> bool;
    /// Methods whose result has the receiver's type for member access
    /// (`clone`, `unwrap`, `lock`...), whatever type declares them.
    fn transparent_method(&self, _name: &str) -> bool {
        false
    }
    /// What a method of a collection gives: the collection again
    /// (`iter`, `filter`, `stream`) or one of its elements (`first`,
    /// `get`, `pop`); None for anything else.
    fn element_method(&self, _name: &str) -> Option<ElementMethod> {
        None
    }
    /// Are the top-level names of a file's whole module (the other files
    /// with its module key) in scope without an import (Go's and Java's
    /// packages)?
    fn module_is_scope(&self) -> bool {
        false
    }
    /// A constructor call's member as written and the method that
    /// declares it, when they differ (Ruby: `new`, `initialize`).
    fn constructor(&self) -> Option<(&'static str, &'static str)> {
        None
    }
    /// Is every top-level definition of the language's files in scope in
    /// every file, loaded or not (Ruby's constants)?
    fn global_names(&self) -> bool {
        false
    }
    /// The value the compiler predefines for a preprocessor name on this
    /// kind of machine (`__GNUC__`, `__linux__`), for weighing `#if`
    /// branches; None: not predefined.
    fn predefined(&self, _name: &str) -> Option<i64> {
        None
    }
    /// Does an import's module specifier name the file it resolves to
    /// (`'./util'` in TypeScript), so go to definition on it opens the
    /// file? Not where an import is a path of names, each a reference of
    /// its own (`use a::b::C`, `from a.b import c`).
    fn specifiers_name_files(&self) -> bool {
        false
    }
    /// Which files, by path, put their top-level names in every file's
    /// scope when they import and export nothing (TypeScript's declaration
    /// scripts: `declare const __DEV__: boolean` in `global.d.ts`)? None:
    /// no file does.
    fn global_scripts(&self) -> Option<fn(&str) -> bool> {
        None
    }
    /// The keyword naming the receiver as its base type (`super`, `base`):
    /// a path starting with it is a member of the first base.
    fn super_name(&self) -> Option<&'static str> {
        None
    }
    /// Are glob imports textual inclusion (C's `#include`): a file sees the
    /// top-level names of every file it includes, transitively? The engine
    /// then computes each file's inclusion closure once instead of walking
    /// the includes for every name.
    fn includes(&self) -> bool {
        false
    }
    /// Of a language that [`LangResolver::includes`], is this glob import
    /// an inclusion of a file (not C++'s `using namespace`)?
    fn is_inclusion(&self, _spec: &str) -> bool {
        true
    }
    /// Does a visible macro of a name hide every other definition of it
    /// (C and C++'s preprocessor runs first)?
    fn macros_shadow(&self) -> bool {
        false
    }
    /// Are a type's members (its own and inherited) in scope inside its
    /// methods without `this.` (Java, C#, C++)?
    fn implicit_members(&self) -> bool {
        false
    }
    /// Is a type one across its declarations, in any files (C#'s partial
    /// classes, Ruby's reopened classes): its members are every
    /// declaration's?
    fn reopened_types(&self) -> bool {
        false
    }
    /// Can a type gain members declared outside it (C#'s extension
    /// methods, Kotlin's extension functions)? A member a known type lacks
    /// is then looked for by name, as a heuristic.
    fn extension_members(&self) -> bool {
        false
    }
    /// Do imports make a module's names visible as its attributes (Python)?
    fn imports_are_attributes(&self) -> bool {
        false
    }
}

/// A language's reading of its manifests, private to its folder: the
/// engine stores and compares it (the module map is a memoized query),
/// the language's resolver reads it back with [`manifests_as`]. A folder
/// marks its type with [`ManifestData`].
pub trait LangManifests: Any + Debug + Send + Sync {
    fn as_any(&self) -> &dyn Any;
    fn equals(&self, other: &dyn LangManifests) -> bool;
}

/// A type a language reads its manifests into.
pub trait ManifestData: Any + Debug + PartialEq + Send + Sync {}

impl ManifestData for () {}

impl<T: ManifestData> LangManifests for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn equals(&self, other: &dyn LangManifests) -> bool {
        other.as_any().downcast_ref::<T>() == Some(self)
    }
}

impl PartialEq for dyn LangManifests {
    fn eq(&self, other: &Self) -> bool {
        self.equals(other)
    }
}

impl Eq for dyn LangManifests {}

/// The manifests a language's own [`LangResolver::manifests`] returned,
/// as its type (None only for another language's).
pub fn manifests_as<T: ManifestData>(m: &dyn LangManifests) -> Option<&T> {
    m.as_any().downcast_ref::<T>()
}
