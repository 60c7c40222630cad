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

use std::cell::RefCell;

use rustc_hash::{FxHashMap, FxHashSet};
use tree_sitter::{Node, Parser, Query, QueryCursor, StreamingIterator};
use weft_db::{Pos, Role, Span, SymbolKind};

use crate::body_digest::{DefRanges, body_digests};
use crate::facts::{Def, Expr, FileFacts, ImplBlock, Import, Inherit, Name, Receiver, Ref};
use crate::lang::{LanguageSupport, Shape};

thread_local! {
    static PARSERS: RefCell<FxHashMap<usize, Parser>> = RefCell::default();
}

pub fn span_of(node: Node) -> Span {
    let s = node.start_position();
    let e = node.end_position();
    Span {
        start: Pos {
            line: s.row as u32,
            col: s.column as u32,
        },
        end: Pos {
            line: e.row as u32,
            col: e.column as u32,
        },
    }
}

pub fn text<'a>(node: Node, src: &'a str) -> &'a str {
    src.get(node.byte_range()).unwrap_or("")
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
    let mut b = Builder::new(lang, query, src);
    b.run(tree.root_node());
    b.walk_occurrences(tree.root_node(), &compiled.walk);
    let mut facts = b.finish(tree.root_node());
    facts.has_errors = tree.root_node().has_error();
    facts
}

fn lang_key(lang: &LanguageSupport, grammar: usize) -> usize {
    (lang.lang as usize) * 8 + grammar
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

/// An expression as the walk builds it; names become locals or paths once
/// scopes are known ([`Builder::finish`]).
enum RawExpr {
    Path { segs: Vec<Name>, at: usize },
    Type(Vec<Name>),
    Call(u32),
    Member(u32, Name),
}

/// A local bound with a type or a value, visible from byte `visible`.
struct TypedLocal {
    name: Name,
    at: usize,
    visible: usize,
    value: Option<u32>,
}

/// Expressions nest at most this deep before typing gives up on them.
const MAX_EXPR_DEPTH: u32 = 24;

/// What the first segment of a path expression names.
enum PathHead {
    SelfValue,
    /// A typed local: the raw expression of its type or value.
    Local(u32),
    Untyped,
    Global,
}

#[derive(Clone, Copy)]
enum Slot {
    Todo,
    Busy,
    Done(Option<u32>),
}

/// Raw expressions to [`Expr`]s. A raw expression may point at a later one
/// (a call captured by the query refers to a local the walk found after),
/// so conversion is on demand, memoized, and refuses cycles.
struct ExprConversion<'r, 'h> {
    raw: &'r [RawExpr],
    slots: Vec<Slot>,
    out: Vec<Expr>,
    head: &'h dyn Fn(&[Name], usize) -> PathHead,
}

impl ExprConversion<'_, '_> {
    fn push(&mut self, e: Expr) -> u32 {
        self.out.push(e);
        self.out.len() as u32 - 1
    }

    fn get(&mut self, i: usize) -> Option<u32> {
        match self.slots.get(i)? {
            Slot::Done(e) => return *e,
            Slot::Busy => return None,
            Slot::Todo => {}
        }
        self.slots[i] = Slot::Busy;
        let e = match &self.raw[i] {
            RawExpr::Type(p) => Some(self.push(Expr::Type(p.clone()))),
            RawExpr::Call(c) => self.get(*c as usize).map(|c| self.push(Expr::Call(c))),
            RawExpr::Member(o, n) => {
                let n = n.clone();
                self.get(*o as usize).map(|o| self.push(Expr::Member(o, n)))
            }
            RawExpr::Path { segs, at } => match (self.head)(segs, *at) {
                PathHead::SelfValue => {
                    let mut segs = segs.clone();
                    segs[0] = Name::new_static("self");
                    Some(self.push(Expr::Path(segs)))
                }
                PathHead::Local(v) => self.get(v as usize).map(|mut b| {
                    for s in &segs[1..] {
                        b = self.push(Expr::Member(b, s.clone()));
                    }
                    b
                }),
                PathHead::Untyped => None,
                PathHead::Global => Some(self.push(Expr::Path(segs.clone()))),
            },
        };
        self.slots[i] = Slot::Done(e);
        e
    }
}

struct RawImpl {
    range: std::ops::Range<usize>,
    block: ImplBlock,
}

struct Builder<'a> {
    lang: &'a LanguageSupport,
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
    fn new(lang: &'a LanguageSupport, query: &'a Query, src: &'a str) -> Self {
        Builder {
            lang,
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

    fn push_expr(&mut self, e: RawExpr) -> Option<u32> {
        self.exprs.push(e);
        Some(self.exprs.len() as u32 - 1)
    }

    /// The typed expression for `node`, if typing can follow it.
    fn expr(&mut self, node: Node, depth: u32) -> Option<u32> {
        if depth > MAX_EXPR_DEPTH {
            return None;
        }
        let shape = self.lang.hooks.shape(node, self.src);
        if let Shape::Member { .. } = shape
            && let Some((segs, Receiver::Path)) = self.path_of(node, None)
        {
            // `module.Class`, `self.field`: resolved as a path, which knows modules
            let at = node.start_byte();
            return self.push_expr(RawExpr::Path { segs, at });
        }
        match shape {
            Shape::Name | Shape::Path => {
                let (segs, receiver) = self.path_of(node, None)?;
                if receiver != Receiver::Path {
                    return None;
                }
                let at = node.start_byte();
                self.push_expr(RawExpr::Path { segs, at })
            }
            Shape::SelfValue => self.push_expr(RawExpr::Path {
                segs: vec![Name::new_static("self")],
                at: node.start_byte(),
            }),
            Shape::Member { object, name } => {
                let o = self.expr(object, depth + 1)?;
                let n = text(name, self.src).into();
                self.push_expr(RawExpr::Member(o, n))
            }
            Shape::Call { callee } => {
                let c = self.expr(callee, depth + 1)?;
                self.push_expr(RawExpr::Call(c))
            }
            Shape::Construct { ty } => {
                let path = self.type_path(ty)?;
                self.push_expr(RawExpr::Type(path))
            }
            Shape::Inner(inner) => self.expr(inner, depth + 1),
            Shape::Other => None,
        }
    }

    fn type_path(&self, ty: Node) -> Option<Vec<Name>> {
        let hooks = self.lang.hooks;
        crate::lang::type_path(text(ty, self.src), self.lang.path_separators, &|n| {
            hooks.transparent_type(n)
        })
    }

    /// A typed local binding at `node`, if the language sees one.
    fn typed_binding(&mut self, node: Node) {
        let Some(b) = self.lang.hooks.binding(node) else {
            return;
        };
        let value = match (b.ty, b.value) {
            (Some(ty), _) => self
                .type_path(ty)
                .and_then(|p| self.push_expr(RawExpr::Type(p))),
            (None, Some(v)) => self.expr(v, 0),
            (None, None) => None,
        };
        self.typed_locals.push(TypedLocal {
            name: text(b.name, self.src).into(),
            at: b.name.start_byte(),
            visible: node.end_byte(),
            value,
        });
    }

    fn run(&mut self, root: Node) {
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

    /// One cursor walk over the tree for every name occurrence the
    /// language's [`Occurrences`](crate::lang::Occurrences) table lists.
    fn walk_occurrences(&mut self, root: Node, tables: &crate::lang::WalkTables) {
        use crate::lang::WalkAction;
        let mut cursor = root.walk();
        // (kind, binding) of each ancestor of the current node
        let mut parents: Vec<(u16, bool)> = Vec::new();
        let mut binding = false;
        let field = |c: &tree_sitter::TreeCursor| c.field_id().map(|f| f.get()).unwrap_or(0);
        loop {
            let node = cursor.node();
            let kind = node.kind_id();
            if tables
                .is_typed_binding
                .get(kind as usize)
                .copied()
                .unwrap_or(false)
            {
                self.typed_binding(node);
            }
            if binding
                && tables
                    .is_local_leaf
                    .get(kind as usize)
                    .copied()
                    .unwrap_or(false)
            {
                self.locals
                    .push((node.start_byte(), text(node, self.src).into()));
            } else {
                match tables.actions.get(kind as usize) {
                    Some(WalkAction::Leaf(role)) => {
                        let role = role.as_str();
                        self.add_ref(role, node, None);
                    }
                    Some(WalkAction::Path(role, field)) => {
                        let name = std::num::NonZeroU16::new(*field)
                            .and_then(|f| node.child_by_field_id(f.get()));
                        let role = role.as_str();
                        self.add_ref(role, node, name);
                    }
                    _ => {}
                }
            }
            if cursor.goto_first_child() {
                parents.push((kind, binding));
                binding = tables.binds(kind, binding, || field(&cursor), cursor.node().kind_id());
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    let &(pk, pb) = parents.last().expect("a sibling has a parent");
                    binding = tables.binds(pk, pb, || field(&cursor), cursor.node().kind_id());
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
                parents.pop();
            }
        }
    }

    fn add_def(&mut self, kind: &str, node: Node, name: Option<Node>, owner: Option<Node>) {
        let Some(kind) = SymbolKind::parse(kind) else {
            return;
        };
        let Some(name_node) = name else { return };
        let name_text = text(name_node, self.src);
        if name_text.is_empty() {
            return;
        }
        if kind == SymbolKind::Field {
            let mut up = node.parent();
            while let Some(p) = up.filter(|p| !p.kind().contains("class")) {
                up = p.parent();
            }
            if let Some(class) = up
                && !self.fields.insert((class.start_byte(), name_text.into()))
            {
                return;
            }
        }
        let hooks = self.lang.hooks;
        let def = RawDef {
            kind,
            range: node.byte_range(),
            name: name_text.into(),
            name_range: name_node.byte_range(),
            span: span_of(name_node),
            full_span: span_of(node),
            owner: owner.map(|o| {
                strip_generics(text(o, self.src))
                    .trim_start_matches('*')
                    .into()
            }),
            exported: hooks.is_exported(node, name_text, self.src),
            signature: hooks.signature(node, self.src),
            doc: hooks.doc(node, self.src),
            ty: hooks.declared_type(node).and_then(|t| self.type_path(t)),
            in_error: self.broken && in_error(node),
        };
        // Two patterns may match one definition (a Go struct is also a type
        // spec; a JS arrow function is also a variable): keep the specific kind.
        match self.def_name_starts.get(&name_node.start_byte()) {
            Some(&i) => {
                if matches!(
                    self.defs[i].kind,
                    SymbolKind::TypeAlias | SymbolKind::Variable
                ) && def.kind != self.defs[i].kind
                {
                    self.defs[i] = def;
                }
            }
            None => {
                self.def_name_starts
                    .insert(name_node.start_byte(), self.defs.len());
                self.defs.push(def);
            }
        }
    }

    fn add_ref(&mut self, role: &str, node: Node, name: Option<Node>) {
        let Some(role) = Role::parse(role) else {
            return;
        };
        let leaf = match name {
            None => self.lang.hooks.leaf_path(node, self.src),
            Some(_) => None,
        };
        let Some((path, mut receiver)) = leaf.or_else(|| self.path_of(node, name)) else {
            return;
        };
        if receiver == Receiver::Unknown
            && let Shape::Member { object, .. } = self.lang.hooks.shape(node, self.src)
            && let Some(e) = self.expr(object, 0)
        {
            receiver = Receiver::Expr(e);
        }
        let qualifiers = if receiver == Receiver::Path && path.len() > 1 {
            segment_spans(node, text(node, self.src), &path)
        } else {
            Vec::new()
        };
        let span = match name {
            Some(n) => span_of(n),
            None => {
                let mut s = span_of(node);
                let last = path.last().map(|l| l.len()).unwrap_or(0) as u32;
                if s.start.line == s.end.line && s.end.col >= last {
                    s.start.col = s.end.col - last;
                }
                s
            }
        };
        self.refs.push(RawRef {
            range: node.byte_range(),
            path,
            receiver,
            role,
            span,
            qualifiers,
            import_path: false,
        });
    }

    /// Split a path node's text into segments; an expression receiver makes
    /// the path `Unknown` with only its last segment kept.
    fn path_of(&self, node: Node, name: Option<Node>) -> Option<(Vec<Name>, Receiver)> {
        let raw = text(node, self.src);
        if raw.len() > 512 {
            return name.map(|n| (vec![Name::from(text(n, self.src))], Receiver::Unknown));
        }
        let cleaned = strip_generics(raw);
        let mut segs: Vec<Name> = Vec::new();
        let mut ok = true;
        for seg in split_path(&cleaned, self.lang.path_separators) {
            let seg = seg.trim();
            if !is_name_segment(seg) {
                ok = false;
                break;
            }
            segs.push(seg.into());
        }
        if ok && !segs.is_empty() {
            if let Some(n) = name
                && segs.last().map(|s| s.as_str()) != Some(text(n, self.src))
            {
                return Some((vec![text(n, self.src).into()], Receiver::Unknown));
            }
            return Some((segs, Receiver::Path));
        }
        let last = match name {
            Some(n) => text(n, self.src),
            None => return None,
        };
        if last.is_empty() {
            return None;
        }
        Some((vec![last.into()], Receiver::Unknown))
    }

    /// A member named in a literal of a known type: `Foo { field: .. }`.
    fn add_member(&mut self, node: Node, ty: Option<Node>) {
        let Some(path) = ty.and_then(|t| self.type_path(t)) else {
            return;
        };
        let Some(e) = self.push_expr(RawExpr::Type(path)) else {
            return;
        };
        self.refs.push(RawRef {
            range: node.byte_range(),
            path: vec![text(node, self.src).into()],
            receiver: Receiver::Expr(e),
            role: Role::Write,
            span: span_of(node),
            qualifiers: Vec::new(),
            import_path: false,
        });
    }

    fn add_impl(&mut self, node: Node, ty: Option<Node>, tr: Option<Node>) {
        let Some(ty) = ty else { return };
        let self_type: Name = last_segment(&strip_generics(text(ty, self.src)), "::").into();
        let trait_path = tr.and_then(|t| self.path_of(t, None)).map(|(p, _)| p);
        self.impls.push(RawImpl {
            range: node.byte_range(),
            block: ImplBlock {
                self_type,
                trait_path,
                trait_span: tr.map(span_of),
                span: span_of(node),
                container: None,
            },
        });
    }

    fn finish(mut self, root: Node) -> FileFacts {
        let sep = self.lang.path_separators[0];
        // Definitions in document order, outer before inner.
        self.defs.sort_by(|a, b| {
            a.range
                .start
                .cmp(&b.range.start)
                .then(b.range.end.cmp(&a.range.end))
        });
        drop_orphan_members(&mut self.defs);
        let ranges: Vec<DefRanges> = self
            .defs
            .iter()
            .map(|d| DefRanges {
                node: d.range.clone(),
                name: d.name_range.clone(),
            })
            .collect();
        let bodies = body_digests(root, self.src, &ranges);
        self.impls.sort_by_key(|i| i.range.start);

        let mut facts = FileFacts {
            package: self.package.take(),
            ..Default::default()
        };
        let mut stack: Vec<usize> = Vec::new();
        let mut parents: Vec<Option<usize>> = Vec::with_capacity(self.defs.len());
        let mut seen: FxHashMap<(Name, SymbolKind), u32> = FxHashMap::default();
        for (i, d) in self.defs.iter().enumerate() {
            while let Some(&top) = stack.last() {
                let outer = &self.defs[top].range;
                // one node declaring several names (`A, B string`) makes
                // siblings, not a container and its member
                if outer.end >= d.range.end && outer.start <= d.range.start && *outer != d.range {
                    break;
                }
                stack.pop();
            }
            let container = stack.last().copied();
            parents.push(container);
            let impl_block = innermost(&self.impls, &d.range, |x| &x.range).filter(|&ix| {
                container.is_none_or(|c| self.defs[c].range.start < self.impls[ix].range.start)
            });
            let mut kind = d.kind;
            let mut owner = d.owner.clone();
            let mut container = container;
            // an attribute assigned in a method belongs to the method's class
            if kind == SymbolKind::Field
                && let Some(c) = container
                && facts.defs[c].kind.is_function()
                && let Some(class) = facts.defs[c].container
                && facts.defs[class as usize].kind.is_type()
            {
                container = Some(class as usize);
                *parents.last_mut().expect("pushed above") = container;
            }
            let parent_kind = container.map(|c| facts.defs[c].kind);
            if kind == SymbolKind::Function
                && (impl_block.is_some()
                    || parent_kind.is_some_and(|k| k.is_type())
                    || owner.is_some())
            {
                kind = SymbolKind::Method;
            }
            if let Some(ix) = impl_block {
                owner = Some(self.impls[ix].block.self_type.clone());
            }
            let prefix = match (&owner, container) {
                (Some(o), _) => Some(o.to_string()),
                (None, Some(c)) => Some(facts.defs[c].local_name.to_string()),
                (None, None) => None,
            };
            let local_name: Name = match prefix {
                Some(p) => format!("{p}{sep}{}", d.name).into(),
                None => d.name.clone(),
            };
            let dis = seen.entry((local_name.clone(), kind)).or_insert(0);
            let disambiguator = *dis;
            *dis += 1;
            let exported = d.exported
                || (container.is_some_and(|c| facts.defs[c].exported)
                    && self
                        .lang
                        .hooks
                        .members_inherit_export(facts.defs[container.unwrap()].kind));
            facts.defs.push(Def {
                name: d.name.clone(),
                kind,
                container: container.map(|c| c as u32),
                owner: if container.is_some() && impl_block.is_none() {
                    None
                } else {
                    owner
                },
                impl_block: impl_block.map(|x| x as u32),
                local_name,
                exported,
                signature: d.signature.clone(),
                doc: d.doc.clone(),
                span: d.span,
                full_span: d.full_span,
                disambiguator,
                ty: d.ty.clone(),
                body: bodies[i],
            });
            stack.push(i);
        }
        for imp in &mut self.impls {
            imp.block.container = innermost(&self.defs, &imp.range, |d| &d.range).map(|c| c as u32);
        }
        facts.impls = self.impls.into_iter().map(|i| i.block).collect();

        // Locals per scope: a reference to a local is not a reference to a symbol.
        let mut locals: FxHashMap<Option<usize>, FxHashSet<Name>> = FxHashMap::default();
        // Every local binding's position, for shadowing between typed ones.
        let mut bound_at: FxHashMap<Name, Vec<(usize, Option<usize>)>> = FxHashMap::default();
        for (at, name) in self.locals.drain(..) {
            let scope = innermost_at(&self.defs, &parents, at);
            bound_at.entry(name.clone()).or_default().push((at, scope));
            locals.entry(scope).or_default().insert(name);
        }
        // name -> (binding start, visible from, scope, raw value expression)
        type Typed = (usize, usize, Option<usize>, Option<u32>);
        let mut typed: FxHashMap<Name, Vec<Typed>> = FxHashMap::default();
        for l in std::mem::take(&mut self.typed_locals) {
            let scope = innermost_at(&self.defs, &parents, l.at);
            bound_at
                .entry(l.name.clone())
                .or_default()
                .push((l.at, scope));
            locals.entry(scope).or_default().insert(l.name.clone());
            typed
                .entry(l.name)
                .or_default()
                .push((l.at, l.visible, scope, l.value));
        }
        // Is a local bound in `local_scope` visible from `scope` (the same
        // function or one it is nested in)?
        let visible_from = |local_scope: Option<usize>, scope: Option<usize>, defs: &[Def]| {
            let mut s = scope;
            loop {
                if s == local_scope {
                    return true;
                }
                match s {
                    Some(i) if defs[i].kind.is_function() => {
                        s = defs[i].container.map(|c| c as usize)
                    }
                    _ => return false,
                }
            }
        };
        // The raw expression typing the local `name` used at `at`, unless
        // a later untyped binding shadows it.
        let typed_local = |name: &str, at: usize, scope: Option<usize>, defs: &[Def]| {
            let cands = typed.get(name)?;
            let best = cands
                .iter()
                .filter(|(_, vis, ls, _)| *vis <= at && visible_from(*ls, scope, defs))
                .max_by_key(|(a, ..)| *a)?;
            let shadowed = bound_at.get(name).is_some_and(|v| {
                v.iter()
                    .any(|(a, ls)| *a > best.0 && *a < at && visible_from(*ls, scope, defs))
            });
            if shadowed { None } else { best.3 }
        };
        let is_local = |scope: Option<usize>, name: &str, defs: &[Def]| {
            let mut s = scope;
            while let Some(i) = s {
                if locals.get(&Some(i)).is_some_and(|l| l.contains(name)) {
                    return true;
                }
                if !defs[i].kind.is_function() {
                    return false;
                }
                s = defs[i].container.map(|c| c as usize);
            }
            false
        };

        let mut selfs: FxHashMap<usize, FxHashSet<Name>> = FxHashMap::default();
        for (at, name) in std::mem::take(&mut self.self_names) {
            if let Some(scope) = innermost_at(&self.defs, &parents, at) {
                selfs.entry(scope).or_default().insert(name);
            }
        }
        let is_self = |scope: Option<usize>, name: &str, defs: &[Def]| {
            let mut s = scope;
            while let Some(i) = s {
                if selfs.get(&i).is_some_and(|l| l.contains(name)) {
                    return true;
                }
                s = defs[i].container.map(|c| c as usize);
            }
            false
        };

        // Expressions: a name becomes the typed local it denotes, `self`, or
        // a path; an untyped local ends typing there.
        let self_name = |scope: Option<usize>, name: &str, defs: &[Def]| {
            self.lang.hooks.is_self_name(name) || is_self(scope, name, defs)
        };
        let chain = |exprs: &mut Vec<Expr>, base: u32, segs: &[Name]| {
            segs.iter().fold(base, |b, s| {
                exprs.push(Expr::Member(b, s.clone()));
                exprs.len() as u32 - 1
            })
        };
        let raw_exprs = std::mem::take(&mut self.exprs);
        let first_segment = |segs: &[Name], at: usize| {
            let scope = innermost_at(&self.defs, &parents, at);
            if self_name(scope, &segs[0], &facts.defs) {
                PathHead::SelfValue
            } else if let Some(v) = typed_local(&segs[0], at, scope, &facts.defs) {
                PathHead::Local(v)
            } else if is_local(scope, &segs[0], &facts.defs) {
                PathHead::Untyped
            } else {
                PathHead::Global
            }
        };
        let mut conv = ExprConversion {
            raw: &raw_exprs,
            slots: vec![Slot::Todo; raw_exprs.len()],
            out: Vec::new(),
            head: &first_segment,
        };
        let expr_of: Vec<Option<u32>> = (0..raw_exprs.len()).map(|i| conv.get(i)).collect();
        facts.exprs = conv.out;

        // References: drop definition names, parts of a larger simple path,
        // duplicates (keep the most specific role), and locals.
        self.refs.sort_by(|a, b| {
            a.range
                .start
                .cmp(&b.range.start)
                .then(b.range.end.cmp(&a.range.end))
                .then(role_rank(a.role).cmp(&role_rank(b.role)))
        });
        let mut outer_end = 0usize;
        let mut last_span: Option<Span> = None;
        let def_spans: FxHashSet<Span> = facts.defs.iter().map(|d| d.span).collect();
        for r in self.refs.drain(..) {
            if r.range.start < outer_end {
                continue;
            }
            if last_span == Some(r.span) {
                continue;
            }
            if (self.def_name_starts.contains_key(&r.range.start) && r.path.len() == 1)
                || def_spans.contains(&r.span)
            {
                continue;
            }
            if !r.import_path
                && self
                    .import_ranges
                    .iter()
                    .any(|i| i.start <= r.range.start && r.range.end <= i.end)
            {
                continue;
            }
            if r.receiver == Receiver::Path {
                outer_end = r.range.end;
            }
            last_span = Some(r.span);
            let scope = innermost_at(&self.defs, &parents, r.range.start);
            let scope32 = scope.map(|s| s as u32);
            let mut path = r.path;
            let mut receiver = r.receiver;
            if let Receiver::Expr(e) = receiver {
                receiver = match expr_of[e as usize] {
                    Some(e) => Receiver::Expr(e),
                    None => Receiver::Unknown,
                };
            }
            // What the segments before the last one denote, for typing the
            // last and for the qualifiers' own references.
            let mut qualifier_receivers: Vec<Option<(Vec<Name>, Receiver)>> = Vec::new();
            if receiver == Receiver::Path
                && path.len() > 1
                && self_name(scope, &path[0], &facts.defs)
            {
                path[0] = Name::new_static("self");
                qualifier_receivers.push(None);
                for k in 1..path.len() - 1 {
                    qualifier_receivers.push(Some((path[..=k].to_vec(), Receiver::Path)));
                }
            } else if receiver == Receiver::Path && is_local(scope, &path[0], &facts.defs) {
                if path.len() == 1 {
                    continue;
                }
                let base = typed_local(&path[0], r.range.start, scope, &facts.defs)
                    .and_then(|v| expr_of[v as usize]);
                qualifier_receivers.push(None);
                for k in 1..path.len() - 1 {
                    qualifier_receivers.push(base.map(|b| {
                        let recv = chain(&mut facts.exprs, b, &path[1..k]);
                        (vec![path[k].clone()], Receiver::Expr(recv))
                    }));
                }
                receiver = match base {
                    Some(b) => Receiver::Expr(chain(&mut facts.exprs, b, &path[1..path.len() - 1])),
                    None => Receiver::Unknown,
                };
                path = vec![path.last().unwrap().clone()];
            } else if receiver == Receiver::Path {
                for k in 0..path.len() - 1 {
                    qualifier_receivers.push(Some((path[..=k].to_vec(), Receiver::Path)));
                }
            }
            if r.qualifiers.len() == qualifier_receivers.len() {
                for (span, q) in r.qualifiers.iter().zip(qualifier_receivers) {
                    if let Some((path, receiver)) = q {
                        facts.refs.push(Ref {
                            path,
                            receiver,
                            role: Role::Read,
                            span: *span,
                            scope: scope32,
                        });
                    }
                }
            }
            facts.refs.push(Ref {
                path,
                receiver,
                role: r.role,
                span: r.span,
                scope: scope32,
            });
        }

        for (at, base, span) in self.inherits {
            if let Some(sub) = innermost_at(&self.defs, &parents, at) {
                facts.inherits.push(Inherit {
                    sub: sub as u32,
                    base,
                    span,
                });
            }
        }
        // Each imported name is a reference with role `import`, resolved
        // through the import itself.
        for imp in &self.imports {
            for n in &imp.names {
                facts.refs.push(Ref {
                    path: vec![n.local().clone()],
                    receiver: Receiver::Path,
                    role: Role::Import,
                    span: n.span,
                    scope: None,
                });
            }
        }
        facts.refs.sort_by_key(|r| r.span);
        facts.imports = self.imports;
        facts
    }
}

fn role_rank(r: Role) -> u8 {
    match r {
        Role::Import => 0,
        Role::Inherit => 1,
        Role::Call => 2,
        Role::Write => 3,
        Role::Type => 4,
        Role::Read => 5,
    }
}

/// Index of the innermost item whose range contains `range`.
fn innermost<T>(
    items: &[T],
    range: &std::ops::Range<usize>,
    r: impl Fn(&T) -> &std::ops::Range<usize>,
) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, it) in items.iter().enumerate() {
        let ir = r(it);
        if ir.start > range.start {
            break;
        }
        if ir.start <= range.start && range.end <= ir.end && *ir != *range {
            best = Some(i);
        }
    }
    best
}

/// Index of the innermost definition containing byte `at`: the last one
/// starting at or before it, then up its container chain.
fn innermost_at(defs: &[RawDef], parents: &[Option<usize>], at: usize) -> Option<usize> {
    let upto = defs.partition_point(|d| d.range.start <= at);
    let mut cur = upto.checked_sub(1);
    while let Some(i) = cur {
        if at < defs[i].range.end {
            return Some(i);
        }
        cur = parents[i];
    }
    None
}

/// Remove generic arguments (`Vec::<T>::new` -> `Vec::::new` is avoided by
/// dropping a `::` that precedes `<`).
pub fn strip_generics(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '<' => depth += 1,
            '>' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    while out.contains("::::") {
        out = out.replace("::::", "::");
    }
    out.trim_end_matches("::").to_string()
}

/// Can this path segment name a symbol (letters, digits, `_`, `$`)?
pub(crate) fn is_name_segment(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

pub(crate) fn split_path<'s>(s: &'s str, seps: &[&str]) -> Vec<&'s str> {
    let mut parts = vec![s];
    for sep in seps {
        parts = parts.into_iter().flat_map(|p| p.split(*sep)).collect();
    }
    parts
}

fn last_segment<'s>(s: &'s str, sep: &str) -> &'s str {
    s.rsplit(sep).next().unwrap_or(s).trim()
}

/// Ranges of a path's segments before the last, found in the node's text
/// in order, with only separators and whitespace between them. Empty when
/// the text is not that simple (generic arguments, comments...).
fn segment_spans(node: Node, raw: &str, path: &[Name]) -> Vec<Span> {
    let start = node.start_position();
    let mut out = Vec::with_capacity(path.len().saturating_sub(1));
    let mut from = 0usize;
    for seg in &path[..path.len().saturating_sub(1)] {
        let Some(off) = raw[from..].find(seg.as_str()) else {
            return Vec::new();
        };
        let gap = &raw[from..from + off];
        if !gap
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, ':' | '.' | '?' | '!'))
        {
            return Vec::new();
        }
        let at = from + off;
        let line_start = raw[..at].rfind('\n').map(|i| i + 1);
        let line = start.row as u32 + raw[..at].matches('\n').count() as u32;
        let col = match line_start {
            Some(ls) => (at - ls) as u32,
            None => (start.column + at) as u32,
        };
        out.push(Span {
            start: Pos { line, col },
            end: Pos {
                line,
                col: col + seg.len() as u32,
            },
        });
        from = at + seg.len();
    }
    out
}

/// Drop methods and fields that belong to nothing and sit in a region the
/// parser could not make sense of: error recovery made them up. TypeScript's
/// grammar, after two call signatures in a row in an interface, reads the
/// next object literal's statements as method signatures of a broken type
/// (`asCreateObservableOptions(options)` in mobx); left in, such a "method"
/// is a top-level, exported definition that captures the references of the
/// real one. `defs` are sorted outer first.
fn drop_orphan_members(defs: &mut Vec<RawDef>) {
    if !defs.iter().any(|d| d.in_error) {
        return;
    }
    let mut enclosing_end = 0usize;
    defs.retain(|d| {
        let contained = d.range.end <= enclosing_end;
        let orphan = !contained
            && d.in_error
            && d.owner.is_none()
            && matches!(d.kind, SymbolKind::Method | SymbolKind::Field);
        if !orphan {
            enclosing_end = enclosing_end.max(d.range.end);
        }
        !orphan
    });
}

/// Is the node inside an ERROR node?
fn in_error(node: Node) -> bool {
    let mut up = node.parent();
    while let Some(p) = up {
        if p.is_error() {
            return true;
        }
        up = p.parent();
    }
    false
}

/// Extract a file's facts outside the database, as the engine would for
/// the same path and text (what comparing versions of a tree needs).
pub fn extract_path(path: &str, src: &str) -> FileFacts {
    match weft_db::Lang::from_path(path) {
        Some(lang) => {
            let support = crate::lang::support(lang);
            extract(support, support.grammar_for(path), src)
        }
        None => FileFacts::default(),
    }
}
