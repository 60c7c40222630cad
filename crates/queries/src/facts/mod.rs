//! What extraction produces for one file: definitions, imports, references,
//! inheritance — with positions (the file's *facts*) — and the position-free
//! projection other files may read (its *interface*).

pub mod compiler;
pub mod encoded;

use serde::{Deserialize, Serialize};
use smol_str::SmolStr;
use weft_db::{Lang, Role, Span, SymbolKind};

pub type Name = SmolStr;

/// Facts about one file; recomputed whenever its text changes.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct FileFacts {
    pub defs: Vec<Def>,
    pub imports: Vec<Import>,
    pub refs: Vec<Ref>,
    pub inherits: Vec<Inherit>,
    pub impls: Vec<ImplBlock>,
    /// Typed expressions that references' receivers point into
    /// ([`Receiver::Expr`]); an expression only points to earlier ones.
    pub exprs: Vec<Expr>,
    /// Names bound inside function bodies: parameters, `let`/`var`
    /// bindings, loop, closure and pattern variables. Not symbols: nothing
    /// outside the file can name them, so they stay out of the interface.
    pub locals: Vec<Local>,
    /// Uses of those names, each with the binding it denotes.
    pub local_refs: Vec<LocalRef>,
    /// Go: the `package` clause.
    pub package: Option<Name>,
    /// Macros and types defined inside `#if` branches (C, C++), by index
    /// in `defs`, with what their branch needs.
    pub conditions: Vec<Conditions>,
    /// Does the parse tree contain syntax errors (facts are then partial)?
    pub has_errors: bool,
    /// Set when parsing the whole file ran over its time budget: the facts
    /// cover the text up to this byte (see [`crate::extract::budget`]).
    pub parsed_up_to: Option<u32>,
    /// The length in bytes of the text these facts were extracted from: a
    /// snapshot checks it against the file before trusting stored facts.
    pub source_len: u64,
    /// The blake3 of that content's bytes, set when a snapshot stores the
    /// facts under it: read back under another hash, they are not trusted.
    pub source_hash: Option<[u8; 32]>,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Def {
    pub name: Name,
    pub kind: SymbolKind,
    /// Index of the enclosing definition in the same file.
    pub container: Option<u32>,
    /// The type a method belongs to, when that is not a definition of this
    /// file's (a Rust `impl` of a type defined elsewhere, a Go receiver).
    pub owner: Option<Name>,
    /// Index into `FileFacts::impls` for Rust methods.
    pub impl_block: Option<u32>,
    /// Name inside the file: container chain and name, joined by the
    /// language's separator (`Type::method`, `Class.method`).
    pub local_name: Name,
    pub exported: bool,
    pub signature: String,
    pub doc: Option<String>,
    pub span: Span,
    pub full_span: Span,
    /// Counts earlier siblings with the same local name and kind.
    pub disambiguator: u32,
    /// The declared type, as a path: a field's, variable's or constant's
    /// annotation, a function's return type (references, `Box`, `Option`,
    /// `Promise`... unwrapped; `Self` kept as written).
    pub ty: Option<Vec<Name>>,
    /// Digest of the definition's own tokens (comments, its name and nested
    /// definitions left out): equal when only layout or comments changed.
    pub body: u64,
}

/// What the preprocessor branch around a definition needs: each
/// condition as written (`defined(_MSC_VER)`, `GTEST_OS_WINDOWS`), with
/// the truth it needs (true inside `#if`, false in a later `#elif` or
/// `#else`). Include guards are left out.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Conditions {
    pub def: u32,
    pub needs: Vec<(String, bool)>,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Import {
    /// The module as written: `crate::a::b`, `./x`, `..pkg.mod`, `fmt`.
    pub module: Name,
    /// Names taken from the module; empty for a whole-module import.
    pub names: Vec<ImportName>,
    /// The local name a whole-module import binds (`import x as y`,
    /// `import * as ns`, a Go alias); None binds the module's own name.
    pub alias: Option<Name>,
    pub glob: bool,
    pub reexport: bool,
    pub span: Span,
}

impl Import {
    /// `import module.name` (as `alias`): one name from a module, not
    /// re-exported; `span` is the whole import's.
    pub fn one_name(module: Name, name: ImportName, span: Span) -> Import {
        Import {
            module,
            names: vec![name],
            alias: None,
            glob: false,
            reexport: false,
            span,
        }
    }
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ImportName {
    pub name: Name,
    pub alias: Option<Name>,
    pub span: Span,
}

impl ImportName {
    pub fn local(&self) -> &Name {
        self.alias.as_ref().unwrap_or(&self.name)
    }
}

/// A name bound inside a function body.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Local {
    pub name: Name,
    /// The binding occurrence's range.
    pub span: Span,
    /// The innermost enclosing definition (the function whose local it is).
    pub scope: Option<u32>,
    pub parameter: bool,
}

/// A use of a local: which of [`FileFacts::locals`] it denotes.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct LocalRef {
    pub span: Span,
    pub local: u32,
    pub role: Role,
}

/// A name occurrence that may name a symbol.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Ref {
    /// Path segments; the last one is the name this reference is about.
    pub path: Vec<Name>,
    pub receiver: Receiver,
    pub role: Role,
    /// Range of the last segment.
    pub span: Span,
    /// Innermost enclosing definition.
    pub scope: Option<u32>,
    /// How many arguments a call passes, where the language tells: picks
    /// among overloads (Java, C#, C++).
    pub arity: Option<u8>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum Receiver {
    /// Every segment of `path` is a name: `a::b::c`, `self.x`, `pkg.Name`.
    Path,
    /// The value before the last segment is an expression weft cannot type
    /// (`a[i].x`, an untyped local); only the last segment is in `path`.
    Unknown,
    /// The value before the last segment is `FileFacts::exprs[i]`, whose
    /// type resolution works out (`Foo::new().x`, `let v: Vec<Foo>`...);
    /// only the last segment is in `path`.
    Expr(u32),
}

/// An expression whose type resolution can work out from declarations:
/// what a reader infers without running a type checker.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum Expr {
    /// A name or path resolved like a reference; its type is the declared
    /// type of what it names (`self.field`, `CONST`, a module's variable).
    Path(Vec<Name>),
    /// A value of the type this path names (`new Foo()`, `Foo { .. }`, an
    /// annotation `x: Foo`).
    Type(Vec<Name>),
    /// The result of calling `exprs[i]`: a constructor's type, a function's
    /// declared return type.
    Call(u32),
    /// Member `name` of the value `exprs[i]`.
    Member(u32, Name),
    /// An element of the collection `exprs[i]`: a loop's variable, `xs[i]`,
    /// the parameter of a closure passed to `xs.iter().map(..)`.
    Element(u32),
}

/// `class A(B)`, `class A extends B implements C`, a Go embedded field.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Inherit {
    pub sub: u32,
    pub base: Vec<Name>,
    pub span: Span,
}

/// A Rust `impl [Trait for] Type` block.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ImplBlock {
    pub self_type: Name,
    pub trait_path: Option<Vec<Name>>,
    pub trait_span: Option<Span>,
    pub span: Span,
    /// Enclosing definition (a module or function), if any.
    pub container: Option<u32>,
}

/// What other files may see of a file: no positions, no bodies, no docs.
/// Equal interfaces backdate, so body edits stop here.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct FileInterface {
    pub lang: Option<Lang>,
    pub package: Option<Name>,
    pub defs: Vec<InterfaceDef>,
    pub imports: Vec<InterfaceImport>,
    pub bases: Vec<(u32, Vec<Name>)>,
    pub impls: Vec<(Name, Option<Vec<Name>>)>,
    /// See [`FileFacts::conditions`].
    pub conditions: Vec<Conditions>,
    /// Each name's definitions, in order: a lookup costs its matches, not
    /// a scan of every definition (98,000 functions in one file made
    /// resolution quadratic).
    by_name: rustc_hash::FxHashMap<Name, Vec<u32>>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct InterfaceDef {
    pub name: Name,
    pub kind: SymbolKind,
    pub container: Option<u32>,
    pub owner: Option<Name>,
    pub local_name: Name,
    pub exported: bool,
    pub signature: String,
    pub disambiguator: u32,
    pub ty: Option<Vec<Name>>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct InterfaceImport {
    pub module: Name,
    pub names: Vec<(Name, Option<Name>)>,
    pub alias: Option<Name>,
    pub glob: bool,
    pub reexport: bool,
}

impl FileFacts {
    /// Were these facts stored under this content hash (hex), or under none?
    pub fn stored_under(&self, hash: &str) -> bool {
        self.source_hash
            .is_none_or(|h| blake3::Hash::from_bytes(h).to_hex().as_str() == hash)
    }

    /// Stamp the facts with the content hash (hex) a snapshot stores them under.
    pub fn stamp(&mut self, hash: &str) {
        self.source_hash = blake3::Hash::from_hex(hash).ok().map(|h| *h.as_bytes());
    }

    pub fn interface(&self, lang: Lang) -> FileInterface {
        let mut by_name: rustc_hash::FxHashMap<Name, Vec<u32>> = Default::default();
        for (i, d) in self.defs.iter().enumerate() {
            by_name.entry(d.name.clone()).or_default().push(i as u32);
        }
        FileInterface {
            by_name,
            lang: Some(lang),
            package: self.package.clone(),
            defs: self
                .defs
                .iter()
                .map(|d| InterfaceDef {
                    name: d.name.clone(),
                    kind: d.kind,
                    container: d.container,
                    owner: d.owner.clone(),
                    local_name: d.local_name.clone(),
                    exported: d.exported,
                    signature: d.signature.clone(),
                    disambiguator: d.disambiguator,
                    ty: d.ty.clone(),
                })
                .collect(),
            imports: self
                .imports
                .iter()
                .map(|i| InterfaceImport {
                    module: i.module.clone(),
                    names: i
                        .names
                        .iter()
                        .map(|n| (n.name.clone(), n.alias.clone()))
                        .collect(),
                    alias: i.alias.clone(),
                    glob: i.glob,
                    reexport: i.reexport,
                })
                .collect(),
            bases: self
                .inherits
                .iter()
                .map(|i| (i.sub, i.base.clone()))
                .collect(),
            impls: self
                .impls
                .iter()
                .map(|i| (i.self_type.clone(), i.trait_path.clone()))
                .collect(),
            conditions: self.conditions.clone(),
        }
    }
}

impl FileInterface {
    /// An interface of imports alone (what a module re-exports).
    pub fn of_imports(imports: Vec<InterfaceImport>) -> FileInterface {
        FileInterface {
            imports,
            ..Default::default()
        }
    }
    /// Definitions with this name, in order.
    pub fn named<'a>(&'a self, name: &str) -> impl Iterator<Item = (u32, &'a InterfaceDef)> {
        self.by_name
            .get(name)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| (i, &self.defs[i as usize]))
    }
    /// Top-level definitions (no container) with this name.
    pub fn top_level(&self, name: &str) -> impl Iterator<Item = (u32, &InterfaceDef)> {
        self.named(name)
            .filter(|(_, d)| d.container.is_none() && d.owner.is_none())
    }
    /// Members of the definition `parent` with this name.
    pub fn members(&self, parent: u32, name: &str) -> impl Iterator<Item = (u32, &InterfaceDef)> {
        self.named(name)
            .filter(move |(_, d)| d.container == Some(parent))
    }
    /// What the preprocessor branch around definition `def` needs (empty
    /// outside any `#if`).
    pub fn conditions_of(&self, def: u32) -> &[(String, bool)] {
        self.conditions
            .binary_search_by_key(&def, |c| c.def)
            .map_or(&[][..], |i| self.conditions[i].needs.as_slice())
    }
    /// Methods attached to a type by name (Rust impls, Go receivers).
    pub fn owned(&self, owner: &str, name: &str) -> impl Iterator<Item = (u32, &InterfaceDef)> {
        self.named(name)
            .filter(move |(_, d)| d.owner.as_deref() == Some(owner))
    }
}

/// Layout of encoded [`FileFacts`]: the format byte of every stored blob.
pub const FACTS_FORMAT: u8 = 8;

/// Stored facts: [`FACTS_FORMAT`], then zstd-compressed postcard (about
/// 2.7x smaller) with zstd's content checksum, so a damaged blob is refused
/// rather than misread.
pub fn encode_facts(facts: &FileFacts) -> Vec<u8> {
    use std::io::Write;
    let plain = weft_db::codec::encode(FACTS_FORMAT, facts);
    let mut z = zstd::Encoder::new(vec![FACTS_FORMAT], 3).expect("zstd level 3");
    z.include_checksum(true).expect("checksum flag");
    z.write_all(&plain[1..]).expect("compressing to memory");
    z.finish().expect("compressing to memory")
}

pub fn decode_facts(bytes: &[u8]) -> Result<FileFacts, weft_db::codec::DecodeError> {
    use weft_db::codec::DecodeError;
    let (&format, rest) = bytes.split_first().ok_or(DecodeError::Empty)?;
    if format != FACTS_FORMAT {
        return Err(DecodeError::Format {
            found: format,
            expected: FACTS_FORMAT,
        });
    }
    let mut plain = vec![FACTS_FORMAT];
    unzstd(rest, &mut plain).map_err(|e| DecodeError::Malformed(e.to_string()))?;
    weft_db::codec::decode(FACTS_FORMAT, &plain)
}

thread_local! {
    /// One decompression context per thread: making one per blob (what
    /// `zstd::decode_all` does) allocated and zeroed ~100 KB for each of
    /// the thousands of blobs a warm start reads.
    static UNZSTD: std::cell::RefCell<zstd::zstd_safe::DCtx<'static>> =
        std::cell::RefCell::new(zstd::zstd_safe::DCtx::create());
}

/// Decompress every frame of `src` onto `out`.
fn unzstd(src: &[u8], out: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::Read;
    UNZSTD.with(|ctx| {
        let mut ctx = ctx.borrow_mut();
        zstd::stream::read::Decoder::with_context(src, &mut ctx)
            .read_to_end(out)
            .map(|_| ())
    })
}

/// What changed between two interfaces of one file, for deciding which other
/// files may now resolve differently.
#[derive(Default, Debug, Clone, PartialEq, Eq)]
pub struct InterfaceDelta {
    /// Names whose definitions, re-exports, bases or impls changed: files
    /// mentioning one of them may resolve differently.
    pub names: rustc_hash::FxHashSet<Name>,
    /// A change no name list captures (a glob or whole-module import, a Go
    /// package clause): any file may resolve differently.
    pub broad: bool,
}

impl InterfaceDelta {
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && !self.broad
    }

    /// Record the difference between `old` and `new` (either may be absent).
    pub fn add(&mut self, old: Option<&FileInterface>, new: Option<&FileInterface>) {
        if old == new {
            return;
        }
        let empty = FileInterface::default();
        let (old, new) = (old.unwrap_or(&empty), new.unwrap_or(&empty));
        if old.package != new.package {
            self.broad = true;
        }
        // Definitions keyed by what other files can observe; indices shift
        // with every insertion, so they are not part of the key.
        type Key = (Name, SymbolKind, Option<Name>, bool, String, u32);
        let key = |d: &InterfaceDef| -> (Key, Option<Vec<Name>>) {
            (
                (
                    d.local_name.clone(),
                    d.kind,
                    d.owner.clone(),
                    d.exported,
                    d.signature.clone(),
                    d.disambiguator,
                ),
                d.ty.clone(),
            )
        };
        let old_defs: rustc_hash::FxHashMap<_, &Name> =
            old.defs.iter().map(|d| (key(d), &d.name)).collect();
        let new_defs: rustc_hash::FxHashMap<_, &Name> =
            new.defs.iter().map(|d| (key(d), &d.name)).collect();
        for (k, n) in &old_defs {
            if !new_defs.contains_key(k) {
                self.names.insert((*n).clone());
            }
        }
        for (k, n) in &new_defs {
            if !old_defs.contains_key(k) {
                self.names.insert((*n).clone());
            }
        }
        for (a, b) in [(&old.imports, &new.imports), (&new.imports, &old.imports)] {
            for i in a.iter().filter(|i| !b.contains(i)) {
                if i.glob || i.names.is_empty() {
                    self.broad = true;
                }
                for (n, alias) in &i.names {
                    self.names.insert(n.clone());
                    self.names.extend(alias.clone());
                }
            }
        }
        // The subclass as (local name, name): indices shift, names do not.
        type Base = (Option<(Name, Name)>, Vec<Name>);
        let bases = |f: &FileInterface| -> Vec<Base> {
            f.bases
                .iter()
                .map(|(s, b)| {
                    let sub = f.defs.get(*s as usize);
                    (
                        sub.map(|d| (d.local_name.clone(), d.name.clone())),
                        b.clone(),
                    )
                })
                .collect()
        };
        let (ob, nb) = (bases(old), bases(new));
        for (a, b) in [(&ob, &nb), (&nb, &ob)] {
            for (sub, base) in a.iter().filter(|x| !b.contains(x)) {
                if let Some((_, name)) = sub {
                    self.names.insert(name.clone());
                }
                self.names.extend(base.last().cloned());
            }
        }
        for (a, b) in [(&old.impls, &new.impls), (&new.impls, &old.impls)] {
            for (ty, tr) in a.iter().filter(|x| !b.contains(x)) {
                self.names.insert(ty.clone());
                self.names
                    .extend(tr.as_ref().and_then(|t| t.last().cloned()));
            }
        }
    }
}
