//! The language interface: what a language folder (`languages/<name>/`)
//! declares, and what the engine asks of it. A language is data: a
//! tree-sitter grammar, a `.scm` query in the capture convention the
//! extraction engine (`extract/`) documents, hooks for the bits a query
//! cannot say (import statements, visibility, docs), and its import
//! semantics ([`LangResolver`]). This layer sits below the engine and
//! names no language; the registry (`languages/`) sits above it.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use tree_sitter::{Node, Query};
use weft_db::{Lang, SymbolKind};

use crate::facts::Import;
pub use crate::syntax::Family;
use crate::syntax::text;

pub mod resolver;
mod type_text;
mod walk;

pub use resolver::{
    Binding, LangManifests, LangResolver, ManifestData, NAMESPACE_PREFIX, Scope, manifests_as,
    namespace_or_member,
};
pub use type_text::{ELEMENTS, Parameters, parameters, type_path};
pub use walk::{Occurrences, WalkAction, WalkTables};

pub struct Grammar {
    /// File extensions (without the dot) parsed with this grammar.
    pub extensions: &'static [&'static str],
    /// Extensions another language owns that this grammar parses instead
    /// in a tree holding more files of this language's own extensions than
    /// of the owner's (`.h`: C's, but C++'s in a C++ tree). See
    /// [`Languages::choose_shared`].
    pub shared: &'static [&'static str],
    pub language: fn() -> tree_sitter::Language,
    /// The grammar `weft grep` parses patterns and files with, when not
    /// `language` (PHP's without the HTML around `<?php`: a pattern is
    /// PHP code, as ast-grep reads it).
    pub search: Option<fn() -> tree_sitter::Language>,
    pub query: &'static [&'static str],
    pub occurrences: Occurrences,
}

/// One language, as its folder declares it ([`Spec`]), with the caches
/// the engine adds (its registered [`Lang`], compiled grammars).
pub struct LanguageSupport {
    /// The name users and the snapshot know it by (`rust`, `python`).
    pub name: &'static str,
    pub grammars: &'static [Grammar],
    /// How path segments are written (`::` for Rust, `.` elsewhere).
    pub path_separators: &'static [&'static str],
    pub hooks: &'static dyn LanguageHooks,
    pub resolver: &'static dyn LangResolver,
    /// The language's own source files, for the extractor's fingerprint.
    pub sources: &'static [&'static str],
    pub naming: Naming,
    lang: OnceLock<Lang>,
    compiled: OnceLock<Vec<Compiled>>,
}

/// What a language folder declares.
pub struct Spec {
    pub name: &'static str,
    pub grammars: &'static [Grammar],
    pub path_separators: &'static [&'static str],
    pub hooks: &'static dyn LanguageHooks,
    pub resolver: &'static dyn LangResolver,
    pub sources: &'static [&'static str],
    pub naming: Naming,
}

/// How the rest of weft writes about a language: in SCIP indexes, in the
/// comments of context packs, and which build manifests it reads.
pub struct Naming {
    /// How help texts write its name (`TypeScript`).
    pub title: &'static str,
    /// SCIP's name for it (`Document.language`).
    pub scip: &'static str,
    /// A line comment (`//`, `#`).
    pub line_comment: &'static str,
    /// A doc comment line (`///` for Rust).
    pub doc_comment: &'static str,
    /// Build manifests that shape its module resolution, by file name, or
    /// `*.ext` for any file with that extension (`*.csproj`).
    pub manifests: &'static [&'static str],
    /// What a `weft grep` pattern's metavariables (`$X`, `$$$ARGS`) are
    /// written as before the pattern is parsed: `$` where an identifier may
    /// start with it, else a letter no program uses (ast-grep's choice per
    /// language, so patterns parse as they do there).
    pub metavar: char,
}

pub struct Compiled {
    pub language: tree_sitter::Language,
    pub query: Query,
    pub walk: WalkTables,
}

impl LanguageSupport {
    pub const fn new(spec: Spec) -> Self {
        LanguageSupport {
            name: spec.name,
            grammars: spec.grammars,
            path_separators: spec.path_separators,
            hooks: spec.hooks,
            resolver: spec.resolver,
            sources: spec.sources,
            naming: spec.naming,
            lang: OnceLock::new(),
            compiled: OnceLock::new(),
        }
    }

    /// The language's id in this process; its file extensions (other than
    /// its name) are aliases users may type (`--lang ts`).
    pub fn lang(&self) -> Lang {
        *self.lang.get_or_init(|| {
            let aliases: Vec<&str> = self
                .grammars
                .iter()
                .flat_map(|g| g.extensions.iter().copied())
                .filter(|e| *e != self.name)
                .collect();
            Lang::register(self.name, &aliases)
                .unwrap_or_else(|e| panic!("a language folder declares a bad name: {e}"))
        })
    }

    /// The grammar, compiled query and walk table, built once per process.
    pub fn grammar(&self, i: usize) -> &Compiled {
        let all = self.compiled.get_or_init(|| {
            self.grammars
                .iter()
                .map(|g| {
                    let language = (g.language)();
                    let src = g.query.concat();
                    let query = Query::new(&language, &src)
                        .unwrap_or_else(|e| panic!("{} query does not compile: {e}", self.name));
                    let walk = WalkTables::new(&language, &g.occurrences);
                    Compiled {
                        language,
                        query,
                        walk,
                    }
                })
                .collect()
        });
        &all[i]
    }

    /// Which of this language's grammars parses `path`.
    pub fn grammar_for(&self, path: &str) -> usize {
        let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        self.grammars
            .iter()
            .position(|g| g.extensions.contains(&ext) || g.shared.contains(&ext))
            .unwrap_or(0)
    }

    pub fn separator(&self) -> &'static str {
        self.path_separators[0]
    }
}

/// What a query cannot express, per language.
pub trait LanguageHooks: Sync {
    /// Turn an `@import` node into imports.
    fn decode_import(&self, node: Node, src: &str, out: &mut Vec<Import>);
    /// Is the definition visible outside its module?
    fn is_exported<'t>(&self, def: Node<'t>, name: &str, src: &str, fam: &Family<'t>) -> bool;
    /// The text the grammar parses: the source with what it cannot read
    /// blanked out, byte for byte (C's export macros in `API int f();` and
    /// `class API Name {`), so every position stays the source's.
    fn prepare<'s>(&self, src: &'s str) -> std::borrow::Cow<'s, str> {
        std::borrow::Cow::Borrowed(src)
    }
    /// The preprocessor conditions around a macro or type definition
    /// (`#if`, `#ifdef` branches), innermost first, each with the truth
    /// its branch needs. See [`crate::facts::Conditions`].
    fn branch_conditions<'t>(
        &self,
        _def: Node<'t>,
        _src: &str,
        _fam: &Family<'t>,
    ) -> Vec<(String, bool)> {
        Vec::new()
    }
    /// Is a trait bound of this name a marker, with no members a value of
    /// the bounded type parameter is used for (`Send`, `Copy`)? A type
    /// parameter takes its members from its first other bound.
    fn marker_bound(&self, _name: &str) -> bool {
        false
    }
    /// A second text to parse when `grammar` read part of `src` as an
    /// error: the same length, with what the grammar misreads rewritten
    /// (TypeScript's call signatures on consecutive lines). It is kept
    /// only if less of it is an error.
    fn repair(&self, _grammar: &Grammar, _src: &str) -> Option<String> {
        None
    }
    /// Is this a definition, or a misreading of the grammar's (C's
    /// `API_MACRO int f(void);` read as a variable `int` of type
    /// `API_MACRO`)?
    fn accept_def(&self, _def: Node, _src: &str) -> bool {
        true
    }
    /// Is a definition of kind `member` inside one of kind `container` a
    /// member of it? Not C's enum constants: they are file-scope names.
    fn encloses(&self, _container: SymbolKind, _member: SymbolKind) -> bool {
        true
    }
    /// A definition's name as written at its name node (Ruby's
    /// `attr_reader :name` names `name`).
    fn def_name<'s>(&self, name: Node, src: &'s str) -> &'s str {
        crate::syntax::text(name, src)
    }
    /// The node a definition spans, whose definitions it contains: its
    /// own, or an ancestor (C#'s `namespace A;` holds its whole file).
    fn extent<'t>(&self, def: Node<'t>) -> Node<'t> {
        def
    }
    /// Do members of a container of this kind share its visibility (enum
    /// variants, trait methods)?
    fn members_inherit_export(&self, _container: SymbolKind) -> bool {
        false
    }
    fn signature(&self, def: Node, src: &str) -> String {
        default_signature(def, src)
    }
    fn doc<'t>(&self, def: Node<'t>, src: &str, fam: &Family<'t>) -> Option<String> {
        preceding_comment(def, src, fam)
    }
    /// Does binding a name again in the same scope make a new variable
    /// (Rust's `let x = ...; let x = ...;`)? Elsewhere it assigns the one
    /// variable the first binding made (Python, Go's `:=` with a new name
    /// beside, JavaScript's `var`), and where it cannot (Java, C) the
    /// question does not arise.
    fn rebinding_shadows(&self) -> bool {
        false
    }
    /// The keyword naming the receiver (`self`, `this`).
    fn is_self_name(&self, name: &str) -> bool {
        name == "self"
    }
    /// The node holding a definition's declared type: a field's or
    /// variable's annotation, a function's return type.
    fn declared_type<'t>(&self, _def: Node<'t>) -> Option<Node<'t>> {
        None
    }
    /// A local binding with an annotation or an initial value
    /// (`let x: T = v`, a typed parameter, `x = Foo()`).
    fn binding<'t>(&self, _node: Node<'t>, _src: &str) -> Option<LocalBinding<'t>> {
        None
    }
    /// How an expression is built, as far as typing its value goes.
    fn shape<'t>(&self, _node: Node<'t>, _src: &str) -> Shape<'t> {
        Shape::Other
    }
    /// The path a leaf occurrence is the last segment of, when the tree
    /// does not say (Rust macro arguments are bare tokens: `a.b` and
    /// `A::B` there are found from the neighbouring tokens); an empty
    /// path when the leaf is no reference at all (PHP's `x` of `$x`).
    /// `around` is the leaf's place among its siblings when the caller has
    /// it (the occurrence walk does: tree-sitter finds a parent or a
    /// sibling by walking down from the root and along every child before
    /// it, quadratic in a macro's token tree).
    fn leaf_path<'t>(
        &self,
        _leaf: Node<'t>,
        _around: Option<&crate::syntax::Around<'_, 't>>,
        _src: &str,
        _fam: &Family<'t>,
    ) -> Option<(Vec<crate::facts::Name>, crate::facts::Receiver)> {
        None
    }
    /// How many arguments a call passes (`node` is the call's capture:
    /// the call, or its callee's name), where overloads make it matter.
    fn call_arity<'t>(&self, _node: Node<'t>, _fam: &Family<'t>) -> Option<u8> {
        None
    }
    /// Generic types whose value behaves as their first argument for member
    /// access (`Box<T>`, `Option<T>`, `Promise<T>`, `Optional[T]`).
    fn transparent_type(&self, _name: &str) -> bool {
        false
    }
    /// Generic types that hold elements of their (first, or for a map
    /// last) argument: `Vec<T>`, `list[T]`, `Array<T>`, `List<T>`. Slices
    /// and arrays written as such (`&[T]`, `T[]`, `[]T`) need no name.
    fn collection_type(&self, _name: &str) -> bool {
        false
    }
    /// A name bound to each element of a collection: a `for` loop's
    /// variable, the parameter of a closure passed to a method that calls
    /// it with each element (`xs.iter().map(|x| ..)`, `xs.forEach(x =>
    /// ..)`).
    fn element_binding<'t>(&self, _node: Node<'t>, _src: &str) -> Option<ElementBinding<'t>> {
        None
    }
}

/// See [`LanguageHooks::element_binding`].
pub struct ElementBinding<'t> {
    pub name: Node<'t>,
    pub collection: Node<'t>,
    /// Where its uses start: after the collection (a loop's body, a
    /// closure's), or where a comprehension starts (`[x.f() for x in xs]`).
    pub visible_from: usize,
}

impl<'t> ElementBinding<'t> {
    /// Bound to `name`, visible after both it and `collection`.
    pub fn after(name: Node<'t>, collection: Node<'t>) -> Self {
        ElementBinding {
            name,
            collection,
            visible_from: name.end_byte().max(collection.end_byte()),
        }
    }
}

/// How a language writes a method call `xs.m(callback, ..)`, for
/// [`ElementBinding::of_callback`].
pub struct MethodCall {
    /// The kind of the arguments' node.
    pub arguments: &'static str,
    /// The call's field holding `xs.m`; None: the call node holds `xs`
    /// and `m` itself (Java's `method_invocation`).
    pub callee: Option<&'static str>,
    /// The kind of the node holding `xs` and `m`, and their fields.
    pub member: &'static str,
    pub method: &'static str,
    pub object: &'static str,
}

impl<'t> ElementBinding<'t> {
    /// `name`, a parameter of `callback`, bound to the elements of `xs`
    /// when `callback` is the first argument of `xs.m(..)` with `m` one of
    /// `methods` (`xs.map(|x| ..)`, `xs.forEach(x => ..)`).
    pub fn of_callback(
        name: Node<'t>,
        callback: Node<'t>,
        src: &str,
        call: &MethodCall,
        methods: &[&str],
    ) -> Option<Self> {
        let args = callback.parent()?;
        if args.kind() != call.arguments || args.named_child(0)? != callback {
            return None;
        }
        let member = match call.callee {
            Some(field) => args.parent()?.child_by_field_name(field)?,
            None => args.parent()?,
        };
        if member.kind() != call.member {
            return None;
        }
        let method = member.child_by_field_name(call.method)?;
        if !methods.contains(&&src[method.byte_range()]) {
            return None;
        }
        Some(ElementBinding::after(
            name,
            member.child_by_field_name(call.object)?,
        ))
    }
}

/// A local variable or parameter and what types it.
pub struct LocalBinding<'t> {
    pub name: Node<'t>,
    pub ty: Option<Node<'t>>,
    pub value: Option<Node<'t>>,
}

/// The parts of an expression that typing looks at.
pub enum Shape<'t> {
    /// An identifier: a local, or a name in scope.
    Name,
    /// `self`, `this`.
    SelfValue,
    /// `super`: the receiver seen as its base type.
    SuperValue,
    /// A whole path (`a::b::C`), split by the language's separators.
    Path,
    /// `object.name`.
    Member {
        object: Node<'t>,
        name: Node<'t>,
    },
    /// `callee(...)`.
    Call {
        callee: Node<'t>,
    },
    /// `object.name(...)` as one node (Java's `method_invocation`): a
    /// call of the member, with no node for `object.name` alone.
    MethodCall {
        object: Node<'t>,
        name: Node<'t>,
    },
    /// A value of a named type: `new Foo()`, `Foo { .. }`.
    Construct {
        ty: Node<'t>,
    },
    /// Same type as the inner expression: parentheses, `await`, `?`.
    Inner(Node<'t>),
    /// An element of the collection: `xs[i]`.
    Index(Node<'t>),
    Other,
}

/// Shapes read from a node's fields; `Other` when a field is missing
/// (error recovery leaves holes).
impl<'t> Shape<'t> {
    pub fn member(node: Node<'t>, object: &str, name: &str) -> Self {
        match (
            node.child_by_field_name(object),
            node.child_by_field_name(name),
        ) {
            (Some(object), Some(name)) => Shape::Member { object, name },
            _ => Shape::Other,
        }
    }
    pub fn call(node: Node<'t>, callee: &str) -> Self {
        node.child_by_field_name(callee)
            .map_or(Shape::Other, |callee| Shape::Call { callee })
    }
    pub fn method_call(node: Node<'t>, object: &str, name: &str) -> Self {
        match (
            node.child_by_field_name(object),
            node.child_by_field_name(name),
        ) {
            (Some(object), Some(name)) => Shape::MethodCall { object, name },
            _ => Shape::Other,
        }
    }
    pub fn construct(node: Node<'t>, ty: &str) -> Self {
        node.child_by_field_name(ty)
            .map_or(Shape::Other, |ty| Shape::Construct { ty })
    }
    pub fn inner(inner: Option<Node<'t>>) -> Self {
        inner.map_or(Shape::Other, Shape::Inner)
    }
}

/// A set of languages: the registry's (`languages::all()`), or a test's.
pub struct Languages {
    all: Vec<&'static LanguageSupport>,
    by_extension: FxHashMap<&'static str, &'static LanguageSupport>,
    /// Shared extensions and the language that may claim each from its owner.
    claims: FxHashMap<&'static str, &'static LanguageSupport>,
    /// Extensions of `claims` that this tree gives to the claimant.
    claimed: std::sync::RwLock<Vec<&'static str>>,
    /// Whether `claimed` is non-empty, read without the lock on every lookup.
    any_claimed: std::sync::atomic::AtomicBool,
    by_lang: FxHashMap<Lang, &'static LanguageSupport>,
    manifests: Vec<&'static str>,
}

impl Languages {
    /// Registers each language's name, in this order (the order `--lang`'s
    /// error lists them in).
    pub fn new(all: Vec<&'static LanguageSupport>) -> Self {
        let mut by_extension = FxHashMap::default();
        let mut claims = FxHashMap::default();
        let mut by_lang = FxHashMap::default();
        let mut manifests = Vec::new();
        for &s in &all {
            by_lang.insert(s.lang(), s);
            for g in s.grammars {
                for e in g.extensions {
                    let clash = by_extension.insert(*e, s);
                    assert!(clash.is_none(), "two languages claim `.{e}`");
                }
                for e in g.shared {
                    claims.insert(*e, s);
                }
            }
            manifests.extend(s.naming.manifests.iter().copied());
        }
        manifests.sort_unstable();
        manifests.dedup();
        Languages {
            all,
            by_extension,
            claims,
            claimed: Default::default(),
            any_claimed: Default::default(),
            by_lang,
            manifests,
        }
    }

    /// Decide who parses each shared extension in this tree, from its
    /// paths: the claimant when the tree holds more files of the
    /// claimant's own extensions than of the owner's (`.cpp` and `.cc`
    /// against `.c`: googletest's headers are C++, the Linux kernel's stay
    /// C beside its few C++ tools), else the owner. The process serves one
    /// tree: this is decided when it is listed. Returns the shared
    /// extensions given to their claimant, with its name.
    pub fn choose_shared<'p>(
        &self,
        paths: impl IntoIterator<Item = &'p str>,
    ) -> Vec<(&'static str, &'static str)> {
        if self.claims.is_empty() {
            return Vec::new();
        }
        let mut files: FxHashMap<Lang, usize> = FxHashMap::default();
        for p in paths {
            let Some(ext) = p.rsplit_once('.').map(|(_, e)| e) else {
                continue;
            };
            if self.claims.contains_key(ext) {
                continue;
            }
            if let Some(s) = self.by_extension.get(ext) {
                *files.entry(s.lang()).or_default() += 1;
            }
        }
        let count = |s: &LanguageSupport| files.get(&s.lang()).copied().unwrap_or(0);
        let chosen: Vec<(&'static str, &'static str)> = self
            .claims
            .iter()
            .filter(|(ext, claimant)| {
                let owner = self.by_extension.get(*ext).map_or(0, |o| count(o));
                count(claimant) > owner
            })
            .map(|(e, s)| (*e, s.name))
            .collect();
        *self.claimed.write().unwrap_or_else(|e| e.into_inner()) =
            chosen.iter().map(|(e, _)| *e).collect();
        self.any_claimed
            .store(!chosen.is_empty(), std::sync::atomic::Ordering::Release);
        chosen
    }

    /// The shared extensions given to their claimant in this tree.
    pub fn claimed(&self) -> Vec<&'static str> {
        self.claimed
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn all(&self) -> &[&'static LanguageSupport] {
        &self.all
    }

    /// The language of a path, from its extension.
    pub fn of_path(&self, path: &str) -> Option<Lang> {
        self.support_of_path(path).map(LanguageSupport::lang)
    }

    pub fn support_of_path(&self, path: &str) -> Option<&'static LanguageSupport> {
        let ext = path.rsplit_once('.')?.1;
        if self.any_claimed.load(std::sync::atomic::Ordering::Acquire)
            && let Some(&claimant) = self.claims.get(ext)
            && self
                .claimed
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .contains(&ext)
        {
            return Some(claimant);
        }
        self.by_extension.get(ext).copied()
    }

    /// One of these languages. Panics for another: every `Lang` the
    /// engine holds came from [`Languages::of_path`].
    pub fn get(&self, lang: Lang) -> &'static LanguageSupport {
        self.find(lang)
            .unwrap_or_else(|| panic!("`{lang}` is not one of this database's languages"))
    }

    pub fn find(&self, lang: Lang) -> Option<&'static LanguageSupport> {
        self.by_lang.get(&lang).copied()
    }

    /// Is this a build manifest some language reads (by file name)?
    pub fn is_manifest(&self, path: &str) -> bool {
        self.manifests.iter().any(|m| names_manifest(m, path))
    }
}

/// Does a manifest entry of [`Naming::manifests`] (`Cargo.toml`,
/// `*.csproj`) name the file at `path`?
pub fn names_manifest(entry: &str, path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    match entry.strip_prefix('*') {
        Some(ext) => name.len() > ext.len() && name.ends_with(ext),
        None => name == entry,
    }
}

/// The definition's head: from its start to its body, on one line.
pub fn default_signature(def: Node, src: &str) -> String {
    let end = def
        .child_by_field_name("body")
        .map(|b| b.start_byte())
        .unwrap_or_else(|| {
            let s = text(def, src);
            def.start_byte() + s.find('\n').unwrap_or(s.len())
        });
    let head = src
        .get(def.start_byte()..end.max(def.start_byte()))
        .unwrap_or("");
    one_line(head, 200)
}

/// Collapse whitespace, drop a trailing `{`/`:`/`=`, and cap the length.
pub fn one_line(s: &str, cap: usize) -> String {
    let mut out = String::with_capacity(s.len().min(cap));
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.len() > cap {
            let mut cut = cap;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            out.push('…');
            return out;
        }
    }
    out.trim_end_matches(['{', ':', '=', ' ']).to_string()
}

/// The first line of the comment block right above a definition (skipping
/// attributes and decorators, and looking past a wrapping export).
pub fn preceding_comment<'t>(def: Node<'t>, src: &str, fam: &Family<'t>) -> Option<String> {
    let mut anchor = def;
    while let Some(p) = fam.parent(anchor) {
        if matches!(
            p.kind(),
            "export_statement"
                | "decorated_definition"
                | "type_declaration"
                | "const_declaration"
                | "var_declaration"
                | "lexical_declaration"
        ) && p.start_byte() <= anchor.start_byte()
        {
            anchor = p;
        } else {
            break;
        }
    }
    let mut first: Option<Node> = None;
    let mut line = anchor.start_position().row;
    let mut cur = fam.prev_sibling(anchor);
    while let Some(n) = cur {
        let kind = n.kind();
        if kind.contains("attribute") || kind == "decorator" {
            line = n.start_position().row;
        } else if kind.contains("comment") && n.end_position().row + 1 >= line {
            first = Some(n);
            line = n.start_position().row;
        } else {
            break;
        }
        cur = fam.prev_sibling(n);
    }
    let c = first?;
    let t = text(c, src);
    if t.starts_with("//!") || t.starts_with("/*!") {
        return None;
    }
    first_doc_line(t)
}

/// The visibility a declaration's `modifiers` child writes (`private`),
/// in the grammars that nest a `visibility_modifier` there (Kotlin's,
/// Swift's).
pub fn written_visibility<'s>(def: Node, src: &'s str) -> Option<&'s str> {
    def.named_children(&mut def.walk())
        .filter(|c| c.kind() == "modifiers")
        .find_map(|m| {
            m.named_children(&mut m.walk())
                .find(|v| v.kind() == "visibility_modifier")
        })
        .map(|v| crate::syntax::text(v, src))
}

pub fn first_doc_line(t: &str) -> Option<String> {
    t.lines()
        .map(|l| {
            l.trim()
                .trim_start_matches("/**")
                .trim_start_matches("///")
                .trim_start_matches("//")
                .trim_start_matches("/*")
                .trim_start_matches('#')
                .trim_start_matches('*')
                .trim_end_matches("*/")
                .trim()
        })
        .find(|l| !l.is_empty())
        .map(|l| one_line(l, 200))
}
