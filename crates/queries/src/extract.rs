//! The language-independent extraction engine: parse with tree-sitter, run
//! the language's `.scm` query, and turn captures into [`FileFacts`].
//!
//! Capture names are the contract with the query files:
//! - `@def.<kind>` a definition node (kinds: see [`SymbolKind`]), with
//!   `@name` for its name and optionally `@owner` (the type a method hangs
//!   on, e.g. a Go receiver);
//! - `@ref.<role>` a name or path occurrence (roles: see [`Role`]), with
//!   optional `@name` for the last segment;
//! - `@import` an import statement, decoded by the language's hooks;
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

use crate::facts::{Def, FileFacts, ImplBlock, Import, Inherit, Name, Receiver, Ref};
use crate::lang::LanguageSupport;

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
    let mut facts = b.finish();
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
    span: Span,
    full_span: Span,
    owner: Option<Name>,
    exported: bool,
    signature: String,
    doc: Option<String>,
}

struct RawRef {
    range: std::ops::Range<usize>,
    path: Vec<Name>,
    receiver: Receiver,
    role: Role,
    span: Span,
}

struct RawImpl {
    range: std::ops::Range<usize>,
    block: ImplBlock,
}

struct Builder<'a> {
    lang: &'a LanguageSupport,
    query: &'a Query,
    src: &'a str,
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
}

impl<'a> Builder<'a> {
    fn new(lang: &'a LanguageSupport, query: &'a Query, src: &'a str) -> Self {
        Builder {
            lang,
            query,
            src,
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
        }
    }

    fn run(&mut self, root: Node) {
        let names = self.query.capture_names();
        let mut cursor = QueryCursor::new();
        cursor.set_match_limit(4096);
        let mut matches = cursor.matches(self.query, root, self.src.as_bytes());
        while let Some(m) = matches.next() {
            let mut main: Option<(&str, Node)> = None;
            let (mut name, mut owner, mut impl_type, mut impl_trait) = (None, None, None, None);
            for c in m.captures() {
                let cap = names[c.index as usize];
                match cap {
                    "name" => name = Some(c.node),
                    "owner" => owner = Some(c.node),
                    "impl.type" => impl_type = Some(c.node),
                    "impl.trait" => impl_trait = Some(c.node),
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
                    "impl" => self.add_impl(node, impl_type, impl_trait),
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
        let hooks = self.lang.hooks;
        let def = RawDef {
            kind,
            range: node.byte_range(),
            name: name_text.into(),
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
        let Some((path, receiver)) = self.path_of(node, name) else {
            return;
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
            if seg.is_empty()
                || !seg
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
            {
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

    fn finish(mut self) -> FileFacts {
        let sep = self.lang.path_separators[0];
        // Definitions in document order, outer before inner.
        self.defs.sort_by(|a, b| {
            a.range
                .start
                .cmp(&b.range.start)
                .then(b.range.end.cmp(&a.range.end))
        });
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
                if self.defs[top].range.end >= d.range.end
                    && self.defs[top].range.start <= d.range.start
                {
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
            });
            stack.push(i);
        }
        for imp in &mut self.impls {
            imp.block.container = innermost(&self.defs, &imp.range, |d| &d.range).map(|c| c as u32);
        }
        facts.impls = self.impls.into_iter().map(|i| i.block).collect();

        // Locals per scope: a reference to a local is not a reference to a symbol.
        let mut locals: FxHashMap<Option<usize>, FxHashSet<Name>> = FxHashMap::default();
        for (at, name) in self.locals.drain(..) {
            let scope = innermost_at(&self.defs, &parents, at);
            locals.entry(scope).or_default().insert(name);
        }
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
        for r in self.refs.drain(..) {
            if r.range.start < outer_end {
                continue;
            }
            if last_span == Some(r.span) {
                continue;
            }
            if self.def_name_starts.contains_key(&r.range.start) && r.path.len() == 1 {
                continue;
            }
            if self
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
            let mut path = r.path;
            let mut receiver = r.receiver;
            if receiver == Receiver::Path
                && path.len() > 1
                && (self.lang.hooks.is_self_name(&path[0]) || is_self(scope, &path[0], &facts.defs))
            {
                path[0] = Name::new_static("self");
            } else if receiver == Receiver::Path
                && is_local(scope, &path[0], &facts.defs)
                && (path.len() == 1 || !self.lang.hooks.is_self_name(&path[0]))
            {
                if path.len() == 1 {
                    continue;
                }
                path = vec![path.last().unwrap().clone()];
                receiver = Receiver::Unknown;
            }
            facts.refs.push(Ref {
                path,
                receiver,
                role: r.role,
                span: r.span,
                scope: scope.map(|s| s as u32),
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

fn split_path<'s>(s: &'s str, seps: &[&str]) -> Vec<&'s str> {
    let mut parts = vec![s];
    for sep in seps {
        parts = parts.into_iter().flat_map(|p| p.split(*sep)).collect();
    }
    parts
}

fn last_segment<'s>(s: &'s str, sep: &str) -> &'s str {
    s.rsplit(sep).next().unwrap_or(s).trim()
}
