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
//!   (a field in a struct literal), or the type of the `@member.value`
//!   expression (an enum constant in a Java `case` of a switch on it);
//! - `@import` an import statement, decoded by the language's hooks;
//! - `@import.path` the module path of an import (`crate::a` in
//!   `use crate::a::B;`): its segments are references to the modules;
//! - `@local` an identifier that binds a local variable or parameter;
//! - `@impl` a Rust impl block with `@impl.type` and optional `@impl.trait`;
//! - `@inherit` a base type of the innermost enclosing definition;
//! - `@package` the package name (Go).
//!
//! The parse tree is dropped when this returns: only facts are memoized.

mod bounds;
mod exprs;
mod finish;
mod occurrences;
mod refs;
mod scopes;

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

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
/// give partial facts through tree-sitter's error recovery, and a file
/// whose parse runs over [`budget`] gives the facts of the part that
/// parsed in time.
pub fn extract(lang: &LanguageSupport, grammar: usize, src: &str) -> FileFacts {
    extract_within(lang, grammar, src, budget(src.len()))
}

/// How long parsing a file of `len` bytes may take: two seconds, plus four
/// per MiB. A bare parse runs at 4-7 MB per CPU-second here, so only a
/// grammar's own pathological case (tree-sitter-python scans every
/// following comment line again at each one: quadratic) reaches it.
pub fn budget(len: usize) -> Duration {
    Duration::from_secs(2) + Duration::from_secs_f64(4.0 * len as f64 / (1 << 20) as f64)
}

/// [`extract`] with an explicit parse budget.
pub fn extract_within(
    lang: &LanguageSupport,
    grammar: usize,
    src: &str,
    budget: Duration,
) -> FileFacts {
    let original = src;
    let compiled = lang.grammar(grammar);
    let (ts_lang, query) = (&compiled.language, &compiled.query);
    // same length, same positions: only what the grammar cannot read is blanked
    let mut prepared = lang.hooks.prepare(src);
    debug_assert_eq!(prepared.len(), src.len());
    let with_parser = |f: &mut dyn FnMut(&mut Parser)| {
        PARSERS.with(|p| {
            let mut parsers = p.borrow_mut();
            let parser = parsers.entry(lang_key(lang, grammar)).or_insert_with(|| {
                let mut p = Parser::new();
                p.set_language(ts_lang)
                    .expect("grammar ABI matches tree-sitter");
                p
            });
            f(parser)
        })
    };
    let mut parsed = None;
    with_parser(&mut |parser| parsed = parse_in_time(parser, &prepared, budget));
    if let Some((tree, len)) = &parsed
        && *len == prepared.len()
        && tree.root_node().has_error()
        && let Some(repaired) = lang.hooks.repair(&lang.grammars[grammar], &prepared)
    {
        debug_assert_eq!(repaired.len(), prepared.len());
        let mut second = None;
        with_parser(&mut |parser| second = parse_within(parser, &repaired, budget).ok());
        if let Some(second) = second
            && error_bytes(&second) < error_bytes(tree)
        {
            parsed = Some((second, repaired.len()));
            prepared = std::borrow::Cow::Owned(repaired);
        }
    }
    let src: &str = &prepared;
    let Some((tree, len)) = parsed else {
        return FileFacts {
            has_errors: true,
            parsed_up_to: Some(0),
            source_len: src.len() as u64,
            ..FileFacts::default()
        };
    };
    let whole = src.len();
    let src = &src[..len];
    let mut b = Builder::new(lang, query, src, Family::new(tree.root_node()));
    b.run(tree.root_node());
    b.walk_occurrences(tree.root_node(), &compiled.walk);
    if !std::ptr::eq(original.as_ptr(), src.as_ptr()) {
        b.blanked_names(&original[..len]);
    }
    let mut facts = b.finish(tree.root_node());
    facts.has_errors = tree.root_node().has_error();
    facts.source_len = whole as u64;
    if len < whole {
        facts.has_errors = true;
        facts.parsed_up_to = Some(len as u32);
    }
    facts
}

/// Parse `src` within `budget`. When the whole text does not parse in
/// time, parse ever shorter prefixes (half of what was reached, cut at a
/// line end) with half the budget each: the facts of a prefix beat none,
/// and the whole stays within twice the budget. Returns the tree and the
/// length of text it covers.
fn parse_in_time(
    parser: &mut Parser,
    src: &str,
    budget: Duration,
) -> Option<(tree_sitter::Tree, usize)> {
    let mut len = src.len();
    let mut budget = budget;
    loop {
        match parse_within(parser, &src[..len], budget) {
            Ok(tree) => return Some((tree, len)),
            Err(reached) => {
                parser.reset();
                let half = reached.min(len) / 2;
                len = src[..floor_char_boundary(src, half)]
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                budget /= 2;
                if len == 0 || budget < Duration::from_millis(20) {
                    return None;
                }
            }
        }
    }
}

/// One parse, cancelled once it runs over `budget`; `Err` holds how far
/// the lexer got.
pub fn parse_within(
    parser: &mut Parser,
    src: &str,
    budget: Duration,
) -> Result<tree_sitter::Tree, usize> {
    let start = Instant::now();
    let mut reached = 0;
    let mut in_time = |s: &tree_sitter::ParseState| {
        reached = s.current_byte_offset();
        if start.elapsed() > budget {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let options = tree_sitter::ParseOptions::new().progress_callback(&mut in_time);
    let bytes = src.as_bytes();
    parser
        .parse_with_options(
            &mut |i, _| bytes.get(i..).unwrap_or(&[]),
            None,
            Some(options),
        )
        .ok_or(reached)
}

/// How much of a tree is errors: the bytes under ERROR nodes, and one
/// for each token the parser made up (MISSING).
fn error_bytes(tree: &tree_sitter::Tree) -> usize {
    let mut total = 0;
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        let descend = if node.is_error() {
            total += node.byte_range().len();
            false
        } else {
            total += usize::from(node.is_missing());
            node.has_error()
        };
        if descend && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return total;
            }
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
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
    /// The preprocessor branch around it ([`crate::facts::Conditions`]).
    conditions: Vec<(String, bool)>,
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
    arity: Option<u8>,
}

/// A local binding as the walk finds it.
struct RawLocal {
    name: Name,
    at: usize,
    span: Span,
    /// Visible from this byte: after its initializer (`let x = x + 1`).
    from: usize,
    /// The innermost scope node around it (a block, a closure, a loop); it
    /// is visible up to its end. None: to the end of its function.
    extent: Option<std::ops::Range<usize>>,
    parameter: bool,
    /// Does it name a type (a type parameter), which may head a path of
    /// types (`A::Output`)?
    names_type: bool,
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
    locals: Vec<RawLocal>,
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
    type_bounds: Vec<bounds::TypeBound>,
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
            type_bounds: Vec::new(),
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
            let (mut member_type, mut member_value) = (None, None);
            let (mut bound_name, mut bound_traits) = (None, None);
            for c in m.captures() {
                let cap = names[c.index as usize];
                match cap {
                    "name" => name = Some(c.node),
                    "owner" => owner = Some(c.node),
                    "impl.type" => impl_type = Some(c.node),
                    "impl.trait" => impl_trait = Some(c.node),
                    "member.type" => member_type = Some(c.node),
                    "member.value" => member_value = Some(c.node),
                    "bound.name" => bound_name = Some(c.node),
                    "bound.traits" => bound_traits = Some(c.node),
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
                self.add_ref(role, node, name, None);
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
                    "local" => self.locals.push(RawLocal {
                        name: text(node, self.src).into(),
                        at: node.start_byte(),
                        span: span_of(node),
                        from: node.end_byte(),
                        extent: None,
                        parameter: false,
                        names_type: false,
                    }),
                    "inherit" => {
                        let written = self
                            .lang
                            .hooks
                            .leaf_path(node, None, self.src, &self.family);
                        if let Some(path) = written
                            .filter(|(p, _)| !p.is_empty())
                            .or_else(|| self.path_of(node, None))
                        {
                            self.inherits
                                .push((node.start_byte(), path.0, span_of(node)));
                        }
                    }
                    "import.path" => {
                        let n = self.refs.len();
                        self.add_ref("read", node, None, None);
                        if let Some(r) = self.refs.get_mut(n) {
                            r.import_path = true;
                        }
                    }
                    "impl" => self.add_impl(node, impl_type, impl_trait),
                    "member" => self.add_member(node, member_type, member_value),
                    "typebound" => self.add_type_bound(node, bound_name, bound_traits),
                    "package" => self.package = Some(text(node, self.src).into()),
                    _ => {}
                }
            }
        }
    }
}
