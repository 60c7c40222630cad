//! Rust: items, impls and `use` trees; the module tree comes from the file
//! layout under each crate (`Cargo.toml` names the crate).

use tree_sitter::Node;
use weft_db::{Role, SymbolKind};

use crate::lang::{ElementBinding, Family, Grammar, LanguageHooks, LanguageSupport, LocalBinding, MethodCall, Naming, Occurrences, Shape, Spec};
use crate::facts::{Import, ImportName, Name, Receiver};
use crate::syntax::{Around, span_of, text};

mod macros;
mod resolve;

pub static LANGUAGES: &[&LanguageSupport] = &[&RUST];

static RUST: LanguageSupport = LanguageSupport::new(Spec {
    name: "rust",
    grammars: &[Grammar {
        extensions: &["rs"],
        shared: &[],
        language: || tree_sitter_rust::LANGUAGE.into(),
        search: None,
        query: &[include_str!("queries.scm")],
        occurrences: Occurrences {
            leaves: &[
                ("identifier", Role::Read),
                ("type_identifier", Role::Type),
                ("self", Role::Read),
            ],
            paths: &[
                ("scoped_identifier", Role::Read, "name"),
                ("scoped_type_identifier", Role::Type, "name"),
                ("field_expression", Role::Read, "field"),
            ],
            binders: &[
                ("parameter", "pattern"),
                ("let_declaration", "pattern"),
                ("let_condition", "pattern"),
                ("closure_parameters", ""),
                ("for_expression", "pattern"),
                ("match_arm", "pattern"),
                ("self_parameter", ""),
                ("type_parameters", ""),
            ],
            locals: &["identifier", "shorthand_field_identifier", "self", "type_identifier"],
            typed_bindings: &["let_declaration", "parameter", "for_expression", "closure_parameters"],
            scopes: &[
                "function_item",
                "function_signature_item",
                "closure_expression",
                "block",
                "for_expression",
                "match_arm",
                "if_expression",
                "while_expression",
                "impl_item",
                "trait_item",
                "struct_item",
                "enum_item",
                "union_item",
                "type_item",
            ],
            labels: &[],
        },
    }],
    path_separators: &["::", "."],
    hooks: &RustHooks,
    resolver: &resolve::RustResolver,
    sources: &[include_str!("mod.rs")],
    naming: Naming {
        title: "Rust",
        scip: "Rust",
        line_comment: "//",
        doc_comment: "///",
        manifests: &["Cargo.toml"],
        metavar: 'µ',
    },
});

struct RustHooks;

impl LanguageHooks for RustHooks {
    fn rebinding_shadows(&self) -> bool {
        true
    }
    fn prepare<'s>(&self, src: &'s str) -> std::borrow::Cow<'s, str> {
        macros::macros_as_calls(src)
    }
    fn decode_import(&self, node: Node, src: &str, out: &mut Vec<Import>) {
        let reexport = node
            .named_children(&mut node.walk())
            .any(|c| c.kind() == "visibility_modifier");
        if let Some(arg) = node.child_by_field_name("argument") {
            use_tree(arg, src, &[], reexport, out, 0);
        }
    }

    fn is_exported(&self, def: Node, _name: &str, src: &str, _fam: &Family) -> bool {
        def.named_children(&mut def.walk())
            .any(|c| c.kind() == "visibility_modifier" && text(c, src).starts_with("pub"))
    }

    fn members_inherit_export(&self, container: SymbolKind) -> bool {
        matches!(container, SymbolKind::Enum | SymbolKind::Trait)
    }

    fn declared_type<'t>(&self, def: Node<'t>) -> Option<Node<'t>> {
        match def.kind() {
            "function_item" | "function_signature_item" => def.child_by_field_name("return_type"),
            "field_declaration" | "const_item" | "static_item" => def.child_by_field_name("type"),
            _ => None,
        }
    }

    fn binding<'t>(&self, node: Node<'t>, _src: &str) -> Option<LocalBinding<'t>> {
        if !matches!(node.kind(), "let_declaration" | "parameter") {
            return None;
        }
        let mut name = node.child_by_field_name("pattern")?;
        if name.kind() == "mut_pattern" {
            name = name.named_child(name.named_child_count().checked_sub(1)? as u32)?;
        }
        (name.kind() == "identifier").then(|| LocalBinding {
            name,
            ty: node.child_by_field_name("type"),
            value: node.child_by_field_name("value"),
        })
    }

    fn element_binding<'t>(&self, node: Node<'t>, src: &str) -> Option<ElementBinding<'t>> {
        // `for x in xs`, `for &x in xs`
        let bare = |p: Node<'t>| match p.kind() {
            "identifier" => Some(p),
            "reference_pattern" => p.named_child(0).filter(|n| n.kind() == "identifier"),
            _ => None,
        };
        match node.kind() {
            "for_expression" => Some(ElementBinding::after(
                bare(node.child_by_field_name("pattern")?)?,
                node.child_by_field_name("value")?,
            )),
            // `xs.iter().map(|x| ..)`: the closure is the call's first argument
            "closure_parameters" => {
                let call = MethodCall {
                    arguments: "arguments",
                    callee: Some("function"),
                    member: "field_expression",
                    method: "field",
                    object: "value",
                };
                let name = bare(node.named_child(0)?)?;
                ElementBinding::of_callback(name, node.parent()?, src, &call, ELEMENT_CALLBACKS)
            }
            _ => None,
        }
    }

    fn collection_type(&self, name: &str) -> bool {
        matches!(
            name,
            "Vec"
                | "VecDeque"
                | "HashSet"
                | "BTreeSet"
                | "BinaryHeap"
                | "LinkedList"
                | "SmallVec"
                | "IndexSet"
                | "Iter"
                | "IterMut"
                | "IntoIter"
                | "Iterator"
                | "IntoIterator"
                | "DoubleEndedIterator"
                | "ExactSizeIterator"
                | "Peekable"
                | "Rev"
        )
    }

    fn shape<'t>(&self, node: Node<'t>, _src: &str) -> Shape<'t> {
        match node.kind() {
            "identifier" => Shape::Name,
            "index_expression" => match node.named_child(0) {
                Some(c) => Shape::Index(c),
                None => Shape::Other,
            },
            "self" => Shape::SelfValue,
            "scoped_identifier" => Shape::Path,
            "field_expression" => Shape::member(node, "value", "field"),
            "call_expression" => Shape::call(node, "function"),
            "generic_function" => Shape::inner(node.child_by_field_name("function")),
            "struct_expression" => Shape::construct(node, "name"),
            "reference_expression" => Shape::inner(node.child_by_field_name("value")),
            "try_expression"
            | "await_expression"
            | "parenthesized_expression"
            | "unary_expression" => Shape::inner(node.named_child(0)),
            _ => Shape::Other,
        }
    }

    fn leaf_path<'t>(
        &self,
        leaf: Node<'t>,
        around: Option<&Around<'_, 't>>,
        src: &str,
        fam: &Family<'t>,
    ) -> Option<(Vec<Name>, Receiver)> {
        let parent = match around {
            Some(a) => a.parent,
            None => fam.parent(leaf)?,
        };
        if parent.kind() != "token_tree" {
            return None;
        }
        // the token `k` places from the leaf (by index when the walk gave
        // one: tree-sitter's own sibling lookups are linear in the tree)
        let token = |k: isize, at: Node<'t>| -> Option<Node<'t>> {
            match (around, k) {
                (Some(a), _) => a.sibling(k),
                (None, 1) => at.next_sibling(),
                (None, _) => fam.prev_sibling(at),
            }
        };
        let mut segs = vec![Name::from(text(leaf, src))];
        // `name: value` in a macro argument is a field of a struct literal
        // whose type the tokens do not say: a member of an unknown receiver.
        if token(1, leaf).is_some_and(|n| n.kind() == ":") {
            return Some((segs, Receiver::Unknown));
        }
        let mut back = 0isize;
        let mut cur = leaf;
        while let Some(sep) = token(back - 1, cur) {
            if !matches!(sep.kind(), "::" | ".") {
                break;
            }
            match token(back - 2, sep) {
                Some(p) if matches!(p.kind(), "identifier" | "self" | "crate" | "super") => {
                    segs.insert(0, text(p, src).into());
                    cur = p;
                    back -= 2;
                }
                // `f(x).name`, `<T>::name`: a receiver no path names
                _ => return Some((vec![segs.pop()?], Receiver::Unknown)),
            }
        }
        Some((segs, Receiver::Path))
    }

    fn marker_bound(&self, name: &str) -> bool {
        matches!(
            name,
            "Send" | "Sync" | "Sized" | "Unpin" | "Copy" | "Clone" | "Debug" | "Default" | "Eq"
                | "PartialEq" | "Ord" | "PartialOrd" | "Hash"
        )
    }

    fn transparent_type(&self, name: &str) -> bool {
        matches!(
            name,
            "Box"
                | "Arc"
                | "Rc"
                | "Option"
                | "Result"
                | "Cow"
                | "RefCell"
                | "Cell"
                | "Mutex"
                | "RwLock"
                | "Pin"
                | "ManuallyDrop"
        )
    }
}

/// Iterator methods that call their closure with each element.
const ELEMENT_CALLBACKS: &[&str] = &[
    "map",
    "for_each",
    "filter",
    "filter_map",
    "flat_map",
    "any",
    "all",
    "find",
    "find_map",
    "position",
    "inspect",
    "take_while",
    "skip_while",
    "map_while",
    "max_by_key",
    "min_by_key",
    "sort_by_key",
    "sort_unstable_by_key",
    "retain",
    "partition",
    "group_by",
    "dedup_by_key",
    "binary_search_by_key",
];

fn segments(node: Node, src: &str) -> Vec<Name> {
    text(node, src)
        .split("::")
        .map(|s| Name::from(s.trim()))
        .filter(|s| !s.is_empty())
        .collect()
}

/// How deep a `use` tree is followed: real ones nest a few levels; a
/// generated one 20,000 deep must not overflow the stack.
const MAX_USE_DEPTH: usize = 64;

fn use_tree(
    node: Node,
    src: &str,
    prefix: &[Name],
    reexport: bool,
    out: &mut Vec<Import>,
    depth: usize,
) {
    if depth > MAX_USE_DEPTH {
        return;
    }
    let join = |segs: &[Name]| -> Name {
        segs.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("::")
            .into()
    };
    match node.kind() {
        "use_as_clause" => {
            let (Some(path), alias) = (
                node.child_by_field_name("path"),
                node.child_by_field_name("alias"),
            ) else {
                return;
            };
            single(
                path,
                alias.map(|a| text(a, src).into()),
                src,
                prefix,
                reexport,
                out,
            );
        }
        "use_wildcard" => {
            let mut full = prefix.to_vec();
            if let Some(p) = node.named_child(0) {
                full.extend(segments(p, src));
            }
            out.push(Import {
                module: join(&full),
                names: vec![],
                alias: None,
                glob: true,
                reexport,
                span: span_of(node),
            });
        }
        "scoped_use_list" => {
            let mut full = prefix.to_vec();
            if let Some(p) = node.child_by_field_name("path") {
                full.extend(segments(p, src));
            }
            if let Some(list) = node.child_by_field_name("list") {
                use_tree(list, src, &full, reexport, out, depth + 1);
            }
        }
        "use_list" => {
            for c in node.named_children(&mut node.walk()) {
                use_tree(c, src, prefix, reexport, out, depth + 1);
            }
        }
        "identifier" | "scoped_identifier" | "self" | "crate" | "super" => {
            single(node, None, src, prefix, reexport, out)
        }
        _ => {}
    }
}

fn single(
    path: Node,
    alias: Option<Name>,
    src: &str,
    prefix: &[Name],
    reexport: bool,
    out: &mut Vec<Import>,
) {
    let mut full = prefix.to_vec();
    full.extend(segments(path, src));
    if full.last().is_some_and(|l| l == "self") && full.len() > 1 {
        full.pop();
    }
    let Some(name) = full.pop() else { return };
    let mut span = span_of(path);
    if let Some(last) = path.child_by_field_name("name") {
        span = span_of(last);
    }
    out.push(Import {
        module: full
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("::")
            .into(),
        names: vec![ImportName { name, alias, span }],
        alias: None,
        glob: false,
        reexport,
        span: span_of(path),
    });
}
