//! Java: a package is a directory under a source root; imports name
//! classes (`a.b.C`), whole packages (`a.b.*`) or static members
//! (`static a.b.C.m`). Members of the enclosing classes and their bases
//! are in scope without `this.`.

use tree_sitter::Node;
use weft_db::{Role, SymbolKind};

use crate::facts::{Import, ImportName};
use crate::lang::{
    ElementBinding, Family, Grammar, LanguageHooks, LanguageSupport, LocalBinding, MethodCall,
    Naming, Occurrences, Shape, Spec,
};
use crate::syntax::{span_of, text};

mod resolve;

pub static LANGUAGES: &[&LanguageSupport] = &[&JAVA];

static JAVA: LanguageSupport = LanguageSupport::new(Spec {
    name: "java",
    grammars: &[Grammar {
        extensions: &["java"],
        shared: &[],
        language: || tree_sitter_java::LANGUAGE.into(),
        search: None,
        query: &[include_str!("queries.scm")],
        occurrences: Occurrences {
            leaves: &[("identifier", Role::Read), ("type_identifier", Role::Type)],
            paths: &[
                ("field_access", Role::Read, "field"),
                ("scoped_type_identifier", Role::Type, ""),
                ("scoped_identifier", Role::Read, "name"),
            ],
            binders: &[
                ("variable_declarator", "name"),
                ("formal_parameter", "name"),
                ("catch_formal_parameter", "name"),
                ("enhanced_for_statement", "name"),
                ("lambda_expression", "parameters"),
                ("inferred_parameters", ""),
                ("resource", "name"),
                ("instanceof_expression", "name"),
                ("type_pattern", ""),
                ("spread_parameter", ""),
            ],
            locals: &["identifier"],
            typed_bindings: &[
                "variable_declarator",
                "formal_parameter",
                "catch_formal_parameter",
                "enhanced_for_statement",
                "resource",
                "instanceof_expression",
                "lambda_expression",
            ],
            scopes: &["method_declaration", "constructor_declaration", "compact_constructor_declaration", "lambda_expression", "block", "for_statement", "enhanced_for_statement", "catch_clause", "try_with_resources_statement", "switch_block_statement_group", "switch_rule"],
            labels: &[],
        },
    }],
    path_separators: &["."],
    hooks: &JavaHooks,
    resolver: &resolve::JavaResolver,
    sources: &[include_str!("mod.rs"), include_str!("resolve.rs")],
    naming: Naming {
        title: "Java",
        scip: "Java",
        line_comment: "//",
        doc_comment: "//",
        manifests: &["pom.xml", "build.gradle", "build.gradle.kts"],
        metavar: '$',
    },
});

struct JavaHooks;

impl LanguageHooks for JavaHooks {
    fn decode_import(&self, node: Node, src: &str, out: &mut Vec<Import>) {
        let Some(path) = node
            .named_children(&mut node.walk())
            .find(|c| matches!(c.kind(), "scoped_identifier" | "identifier"))
        else {
            return;
        };
        let glob = node
            .named_children(&mut node.walk())
            .any(|c| c.kind() == "asterisk");
        let full = text(path, src);
        if glob {
            out.push(Import {
                module: full.into(),
                names: vec![],
                alias: None,
                glob: true,
                reexport: false,
                span: span_of(path),
            });
            return;
        }
        let (Some((module, _)), Some(last)) = (full.rsplit_once('.'), path.child_by_field_name("name"))
        else {
            return;
        };
        out.push(Import::one_name(
            module.into(),
            ImportName {
                name: text(last, src).into(),
                alias: None,
                span: span_of(last),
            },
            span_of(path),
        ));
    }

    /// `public` and `protected` are visible outside the package, and so is
    /// every member of an interface or annotation.
    fn is_exported<'t>(&self, def: Node<'t>, _name: &str, src: &str, fam: &Family<'t>) -> bool {
        if fam
            .parent(def)
            .is_some_and(|p| matches!(p.kind(), "interface_body" | "annotation_type_body"))
        {
            return true;
        }
        def.named_children(&mut def.walk())
            .find(|c| c.kind() == "modifiers")
            .is_some_and(|m| {
                let m = text(m, src);
                m.contains("public") || m.contains("protected")
            })
    }

    fn members_inherit_export(&self, container: SymbolKind) -> bool {
        matches!(container, SymbolKind::Interface | SymbolKind::Enum)
    }

    fn is_self_name(&self, name: &str) -> bool {
        name == "this"
    }

    fn declared_type<'t>(&self, def: Node<'t>) -> Option<Node<'t>> {
        match def.kind() {
            "method_declaration"
            | "field_declaration"
            | "constant_declaration"
            | "formal_parameter"
            | "annotation_type_element_declaration" => object_type(def.child_by_field_name("type")?),
            _ => None,
        }
    }

    /// `T x = v` and `var x = v` (typed by `v`), parameters, `for (T x :
    /// xs)`, `catch (T e)`, resources, `o instanceof T t`.
    fn element_binding<'t>(&self, node: Node<'t>, src: &str) -> Option<ElementBinding<'t>> {
        match node.kind() {
            // `for (var x : xs)`
            "enhanced_for_statement" => {
                let ty = node.child_by_field_name("type")?;
                (&src[ty.byte_range()] == "var").then_some(ElementBinding::after(
                    node.child_by_field_name("name")?,
                    node.child_by_field_name("value")?,
                ))
            }
            // `xs.forEach(x -> ..)`, `xs.stream().map((x) -> ..)`
            "lambda_expression" => {
                let params = node.child_by_field_name("parameters")?;
                let name = match params.kind() {
                    "identifier" => params,
                    "inferred_parameters" => params.named_child(0)?,
                    _ => return None,
                };
                let call = MethodCall {
                    arguments: "argument_list",
                    callee: None,
                    member: "method_invocation",
                    method: "name",
                    object: "object",
                };
                ElementBinding::of_callback(name, node, src, &call, ELEMENT_CALLBACKS)
            }
            _ => None,
        }
    }

    fn collection_type(&self, name: &str) -> bool {
        matches!(
            name,
            "List"
                | "ArrayList"
                | "LinkedList"
                | "Set"
                | "HashSet"
                | "TreeSet"
                | "LinkedHashSet"
                | "SortedSet"
                | "NavigableSet"
                | "Collection"
                | "Iterable"
                | "Iterator"
                | "ListIterator"
                | "Stream"
                | "Queue"
                | "Deque"
                | "ArrayDeque"
                | "PriorityQueue"
                | "BlockingQueue"
                | "CopyOnWriteArrayList"
                | "Vector"
                | "Stack"
        )
    }

    fn binding<'t>(&self, node: Node<'t>, src: &str) -> Option<LocalBinding<'t>> {
        let (name, declared, value) = match node.kind() {
            "lambda_expression" => return None,
            "variable_declarator" => (
                node.child_by_field_name("name")?,
                node.parent()?.child_by_field_name("type"),
                node.child_by_field_name("value"),
            ),
            "catch_formal_parameter" => {
                // `catch (A | B e)` has no one type
                let ty = node
                    .named_children(&mut node.walk())
                    .find(|c| c.kind() == "catch_type")
                    .filter(|c| c.named_child_count() == 1)
                    .and_then(|c| c.named_child(0));
                (node.child_by_field_name("name")?, ty, None)
            }
            "instanceof_expression" => (
                node.child_by_field_name("name")?,
                node.child_by_field_name("right"),
                None,
            ),
            "enhanced_for_statement" => (
                node.child_by_field_name("name")?,
                node.child_by_field_name("type"),
                None,
            ),
            _ => (
                node.child_by_field_name("name")?,
                node.child_by_field_name("type"),
                node.child_by_field_name("value"),
            ),
        };
        if name.kind() != "identifier" || node.child_by_field_name("dimensions").is_some() {
            return None;
        }
        let ty = match declared {
            // `var x = v`: typed by its initializer
            Some(t) if text(t, src) == "var" => None,
            Some(t) => Some(object_type(t)?),
            None => None,
        };
        Some(LocalBinding {
            name,
            ty,
            value: if ty.is_some() { None } else { value },
        })
    }

    fn call_arity<'t>(&self, node: Node<'t>, fam: &Family<'t>) -> Option<u8> {
        let call = match node.kind() {
            "method_invocation" => node,
            _ => fam.parent(node).filter(|p| p.kind() == "method_invocation")?,
        };
        let args = call.child_by_field_name("arguments")?;
        let n = args
            .named_children(&mut args.walk())
            .filter(|a| !a.kind().contains("comment"))
            .count();
        u8::try_from(n).ok()
    }

    fn shape<'t>(&self, node: Node<'t>, _src: &str) -> Shape<'t> {
        match node.kind() {
            "identifier" => Shape::Name,
            "this" => Shape::SelfValue,
            "super" => Shape::SuperValue,
            "field_access" => Shape::member(node, "object", "field"),
            "method_invocation" => match node.child_by_field_name("object") {
                Some(_) => Shape::method_call(node, "object", "name"),
                None => Shape::call(node, "name"),
            },
            "object_creation_expression" => Shape::construct(node, "type"),
            "cast_expression" => Shape::construct(node, "type"),
            "parenthesized_expression" => Shape::inner(node.named_child(0)),
            "array_access" => match node.child_by_field_name("array") {
                Some(c) => Shape::Index(c),
                None => Shape::Other,
            },
            _ => Shape::Other,
        }
    }
}

/// Methods of collections and streams that call their lambda with each
/// element first.
const ELEMENT_CALLBACKS: &[&str] = &[
    "forEach",
    "forEachOrdered",
    "removeIf",
    "anyMatch",
    "allMatch",
    "noneMatch",
    "filter",
    "map",
    "mapToInt",
    "mapToLong",
    "mapToDouble",
    "flatMap",
    "peek",
    "takeWhile",
    "dropWhile",
];

/// A declared type with members of its own: not a primitive, an array or
/// `var` (whose type is the initializer's).
fn object_type(ty: Node) -> Option<Node> {
    match ty.kind() {
        "type_identifier" | "scoped_type_identifier" | "generic_type" | "array_type" => Some(ty),
        _ => None,
    }
}
