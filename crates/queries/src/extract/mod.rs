//! The language-independent extraction engine: parse with tree-sitter, run
//! the language's `.scm` query, and turn captures into [`FileFacts`].
//!
//! Capture names are the contract with the query files:
//! - `@def.<kind>` a definition node (kinds: see [`SymbolKind`]), with
//!   `@name` for its name and optionally `@owner` (the type a method hangs
//!   on, e.g. a Go receiver);
//! - `@ref.<role>` a name or path occurrence (roles: see [`Role`]), with
//!   optional `@name` for the last segment;
//! - `@member` a member name whose type is the one named by `@member.type`
//!   (a field in a struct literal);
//! - `@import` an import statement, decoded by the language's hooks;
//! - `@import.path` the module path of an import (`crate::a` in
//!   `use crate::a::B;`): its segments are references to the modules;
//! - `@local` an identifier that binds a local variable or parameter;
//! - `@impl` a Rust impl block with `@impl.type` and optional `@impl.trait`;
//! - `@inherit` a base type of the innermost enclosing definition;
//! - `@package` the package name (Go).
//!
//! The parse tree is dropped when this returns: only facts are memoized.

mod exprs;
mod finish;
mod occurrences;
mod refs;
mod scopes;

use std::cell::RefCell;

use rustc_hash::{FxHashMap, FxHashSet};
use tree_sitter::{Node, Parser, Query, QueryCursor, StreamingIterator};
use weft_db::{Role, Span, SymbolKind};

use crate::facts::{FileFacts, ImplBlock, Import, Name, Receiver};
use crate::lang::LanguageSupport;
use crate::syntax::{Family, span_of, text};
use exprs::{RawExpr, TypedLocal};

thread_local! {
    static PARSERS: RefCell<FxHashMap<usize, Parser>> = RefCell::default();
}

/// Extract the facts of one file. Never panics on bad input: syntax errors
/// give partial facts through tree-sitter's error recovery.
pub fn extract(lang: &LanguageSupport, grammar: usize, src: &str) -> FileFacts {
    let compiled = lang.grammar(grammar);
    let (ts_lang, query) = (&compiled.language, &compiled.query);
    let tree = PARSERS.with(|p| {
        let mut parsers = p.borrow_mut();
        let parser = parsers.entry(lang_key(lang, grammar)).or_insert_with(|| {
            let mut p = Parser::new();
            p.set_language(ts_lang)
                .expect("grammar ABI matches tree-sitter");
            p
        });
        parser.parse(src, None)
    });
    let Some(tree) = tree else {
        return FileFacts::default();
    };
    let mut b = Builder::new(lang, query, src, Family::new(tree.root_node()));
    b.run(tree.root_node());
    b.walk_occurrences(tree.root_node(), &compiled.walk);
    let mut facts = b.finish(tree.root_node());
    facts.has_errors = tree.root_node().has_error();
    facts
}

fn lang_key(lang: &LanguageSupport, grammar: usize) -> usize {
    lang.lang().index() * 8 + grammar
}

struct RawDef {
    kind: SymbolKind,
    range: std::ops::Range<usize>,
    name: Name,
    name_range: std::ops::Range<usize>,
    span: Span,
    full_span: Span,
    owner: Option<Name>,
    exported: bool,
    signature: String,
    doc: Option<String>,
    ty: Option<Vec<Name>>,
    /// Inside a region the parser could not make sense of.
    in_error: bool,
}

struct RawRef {
    range: std::ops::Range<usize>,
    path: Vec<Name>,
    receiver: Receiver,
    role: Role,
    span: Span,
    /// Ranges of the segments before the last one, when they could be found.
    qualifiers: Vec<Span>,
    /// A module path inside an import, kept though imports' other names
    /// are references of the import itself.
    import_path: bool,
}

struct RawImpl {
    range: std::ops::Range<usize>,
    block: ImplBlock,
}

struct Builder<'a> {
    lang: &'a LanguageSupport,
    /// Parents and previous siblings in O(1) on deeply nested trees.
    family: Family<'a>,
    query: &'a Query,
    src: &'a str,
    /// Does the tree hold ERROR nodes? (Only then is a def's ancestry checked.)
    broken: bool,
    defs: Vec<RawDef>,
    refs: Vec<RawRef>,
    imports: Vec<Import>,
    locals: Vec<(usize, Name)>,
    inherits: Vec<(usize, Vec<Name>, Span)>,
    impls: Vec<RawImpl>,
    def_name_starts: FxHashMap<usize, usize>,
    self_names: Vec<(usize, Name)>,
    import_ranges: Vec<std::ops::Range<usize>>,
    package: Option<Name>,
    /// (enclosing class start, name) of fields seen: an attribute assigned
    /// in several methods is one field, defined where first assigned.
    fields: FxHashSet<(usize, Name)>,
    exprs: Vec<RawExpr>,
    typed_locals: Vec<TypedLocal>,
}

impl<'a> Builder<'a> {
    fn new(lang: &'a LanguageSupport, query: &'a Query, src: &'a str, family: Family<'a>) -> Self {
        Builder {
            lang,
            family,
            query,
            src,
            broken: false,
            defs: Vec::new(),
            refs: Vec::new(),
            imports: Vec::new(),
            locals: Vec::new(),
            inherits: Vec::new(),
            impls: Vec::new(),
            def_name_starts: FxHashMap::default(),
            self_names: Vec::new(),
            import_ranges: Vec::new(),
            package: None,
            fields: FxHashSet::default(),
            exprs: Vec::new(),
            typed_locals: Vec::new(),
        }
    }

    fn run(&mut self, root: Node<'a>) {
        self.broken = root.has_error();
        let names = self.query.capture_names();
        let mut cursor = QueryCursor::new();
        cursor.set_match_limit(4096);
        let mut matches = cursor.matches(self.query, root, self.src.as_bytes());
        while let Some(m) = matches.next() {
            let mut main: Option<(&str, Node)> = None;
            let (mut name, mut owner, mut impl_type, mut impl_trait) = (None, None, None, None);
            let mut member_type = None;
            for c in m.captures() {
                let cap = names[c.index as usize];
                match cap {
                    "name" => name = Some(c.node),
                    "owner" => owner = Some(c.node),
                    "impl.type" => impl_type = Some(c.node),
                    "impl.trait" => impl_trait = Some(c.node),
                    "member.type" => member_type = Some(c.node),
                    _ if cap.starts_with('_') => {}
                    _ => {
                        if main.is_none() {
                            main = Some((cap, c.node))
                        }
                    }
                }
            }
            let Some((cap, node)) = main else { continue };
            if let Some(kind) = cap.strip_prefix("def.") {
                self.add_def(kind, node, name, owner);
            } else if let Some(role) = cap.strip_prefix("ref.") {
                self.add_ref(role, node, name);
            } else {
                match cap {
                    "import" => {
                        self.import_ranges.push(node.byte_range());
                        self.lang
                            .hooks
                            .decode_import(node, self.src, &mut self.imports)
                    }
                    "selfname" => self
                        .self_names
                        .push((node.start_byte(), text(node, self.src).into())),
                    "local" => self
                        .locals
                        .push((node.start_byte(), text(node, self.src).into())),
                    "inherit" => {
                        if let Some(path) = self.path_of(node, None) {
                            self.inherits
                                .push((node.start_byte(), path.0, span_of(node)));
                        }
                    }
                    "import.path" => {
                        let n = self.refs.len();
                        self.add_ref("read", node, None);
                        if let Some(r) = self.refs.get_mut(n) {
                            r.import_path = true;
                        }
                    }
                    "impl" => self.add_impl(node, impl_type, impl_trait),
                    "member" => self.add_member(node, member_type),
                    "package" => self.package = Some(text(node, self.src).into()),
                    _ => {}
                }
            }
        }
    }
}
