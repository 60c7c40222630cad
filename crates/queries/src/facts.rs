//! What extraction produces for one file: definitions, imports, references,
//! inheritance — with positions (the file's *facts*) — and the position-free
//! projection other files may read (its *interface*).

use smol_str::SmolStr;
use weft_db::{Lang, Role, Span, SymbolKind};

pub type Name = SmolStr;

/// Facts about one file; recomputed whenever its text changes.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct FileFacts {
    pub defs: Vec<Def>,
    pub imports: Vec<Import>,
    pub refs: Vec<Ref>,
    pub inherits: Vec<Inherit>,
    pub impls: Vec<ImplBlock>,
    /// Go: the `package` clause.
    pub package: Option<Name>,
    /// Does the parse tree contain syntax errors (facts are then partial)?
    pub has_errors: bool,
}

#[derive(Clone, PartialEq, Eq, Debug)]
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
}

#[derive(Clone, PartialEq, Eq, Debug)]
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

#[derive(Clone, PartialEq, Eq, Debug)]
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

/// A name occurrence that may name a symbol.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Ref {
    /// Path segments; the last one is the name this reference is about.
    pub path: Vec<Name>,
    pub receiver: Receiver,
    pub role: Role,
    /// Range of the last segment.
    pub span: Span,
    /// Innermost enclosing definition.
    pub scope: Option<u32>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Receiver {
    /// Every segment of `path` is a name: `a::b::c`, `self.x`, `pkg.Name`.
    Path,
    /// The value before the last segment is an expression weft cannot name
    /// (`f().x`, `local_var.x`); only the last segment is in `path`.
    Unknown,
}

/// `class A(B)`, `class A extends B implements C`, a Go embedded field.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Inherit {
    pub sub: u32,
    pub base: Vec<Name>,
    pub span: Span,
}

/// A Rust `impl [Trait for] Type` block.
#[derive(Clone, PartialEq, Eq, Debug)]
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
    pub fn interface(&self, lang: Lang) -> FileInterface {
        FileInterface {
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
        }
    }
}

impl FileInterface {
    /// Top-level definitions (no container) with this name.
    pub fn top_level(&self, name: &str) -> impl Iterator<Item = (u32, &InterfaceDef)> {
        self.defs
            .iter()
            .enumerate()
            .filter(move |(_, d)| d.container.is_none() && d.owner.is_none() && d.name == name)
            .map(|(i, d)| (i as u32, d))
    }
    /// Members of the definition `parent` with this name.
    pub fn members(&self, parent: u32, name: &str) -> impl Iterator<Item = (u32, &InterfaceDef)> {
        self.defs
            .iter()
            .enumerate()
            .filter(move |(_, d)| d.container == Some(parent) && d.name == name)
            .map(|(i, d)| (i as u32, d))
    }
    /// Methods attached to a type by name (Rust impls, Go receivers).
    pub fn owned(&self, owner: &str, name: &str) -> impl Iterator<Item = (u32, &InterfaceDef)> {
        self.defs
            .iter()
            .enumerate()
            .filter(move |(_, d)| d.owner.as_deref() == Some(owner) && d.name == name)
            .map(|(i, d)| (i as u32, d))
    }
}
