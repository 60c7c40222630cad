//! Go: packages are directories, import paths resolve through `go.mod`;
//! methods hang on their receiver type.

use tree_sitter::Node;
use weft_db::{Role, SymbolKind};

use crate::lang::{ElementBinding, Family, Grammar, LanguageHooks, LanguageSupport, LocalBinding, Naming, Occurrences, Shape, Spec};
use crate::facts::Import;
use crate::syntax::{span_of, text};

mod resolve;

pub static LANGUAGES: &[&LanguageSupport] = &[&GO];

static GO: LanguageSupport = LanguageSupport::new(Spec {
    name: "go",
    grammars: &[Grammar {
        extensions: &["go"],
        shared: &[],
        language: || tree_sitter_go::LANGUAGE.into(),
        search: None,
        query: &[include_str!("queries.scm")],
        occurrences: Occurrences {
            leaves: &[("identifier", Role::Read), ("type_identifier", Role::Type)],
            paths: &[
                ("selector_expression", Role::Read, "field"),
                ("qualified_type", Role::Type, "name"),
            ],
            binders: &[
                ("parameter_declaration", "name"),
                ("variadic_parameter_declaration", "name"),
                ("short_var_declaration", "left"),
                ("range_clause", "left"),
                ("type_switch_statement", "alias"),
                ("var_spec", "name"),
                ("const_spec", "name"),
                ("receive_statement", "left"),
            ],
            locals: &["identifier"],
            typed_bindings: &["parameter_declaration", "short_var_declaration", "var_spec", "range_clause"],
            scopes: &["function_declaration", "method_declaration", "func_literal", "block", "if_statement", "for_statement", "expression_switch_statement", "type_switch_statement", "select_statement", "expression_case", "type_case", "communication_case", "default_case"],
            labels: &[],
        },
    }],
    path_separators: &["."],
    hooks: &GoHooks,
    resolver: &resolve::GoResolver,
    sources: &[include_str!("mod.rs")],
    naming: Naming {
        title: "Go",
        scip: "Go",
        line_comment: "//",
        doc_comment: "//",
        manifests: &["go.mod"],
        metavar: 'µ',
    },
});

struct GoHooks;

impl LanguageHooks for GoHooks {
    fn decode_import(&self, node: Node, src: &str, out: &mut Vec<Import>) {
        let mut specs = Vec::new();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if n.kind() == "import_spec" {
                specs.push(n);
            } else {
                stack.extend(n.named_children(&mut n.walk()));
            }
        }
        specs.sort_by_key(|n| n.start_byte());
        for s in specs {
            let Some(path) = s.child_by_field_name("path") else {
                continue;
            };
            let alias = s.child_by_field_name("name").map(|a| text(a, src));
            out.push(Import {
                module: text(path, src)
                    .trim_matches(|c| c == '"' || c == '`')
                    .into(),
                names: vec![],
                alias: alias.map(Into::into),
                glob: alias == Some("."),
                reexport: false,
                span: span_of(path),
            });
        }
    }

    fn is_exported(&self, _def: Node, name: &str, _src: &str, _fam: &Family) -> bool {
        name.chars().next().is_some_and(|c| c.is_uppercase())
    }

    fn members_inherit_export(&self, _container: SymbolKind) -> bool {
        false
    }

    fn declared_type<'t>(&self, def: Node<'t>) -> Option<Node<'t>> {
        match def.kind() {
            "function_declaration" | "method_declaration" | "method_elem" => {
                first_result(def.child_by_field_name("result")?)
            }
            "field_declaration" | "var_spec" | "const_spec" => def.child_by_field_name("type"),
            _ => None,
        }
    }

    /// `p T` (the first name of `a, b T`), `x := v` and `x, err := f()`
    /// (the first name takes the first value, or the call's first result),
    /// `var x T = v`.
    fn element_binding<'t>(&self, node: Node<'t>, _src: &str) -> Option<ElementBinding<'t>> {
        // `for _, v := range xs`: the second name is the element (the
        // first is an index or a key)
        if node.kind() != "range_clause" {
            return None;
        }
        let name = node.child_by_field_name("left")?.named_child(1)?;
        (name.kind() == "identifier").then_some(ElementBinding::after(name, node.child_by_field_name("right")?))
    }

    fn binding<'t>(&self, node: Node<'t>, _src: &str) -> Option<LocalBinding<'t>> {
        let (name, ty, value) = match node.kind() {
            "range_clause" => return None,
            "short_var_declaration" => {
                let left = node.child_by_field_name("left")?;
                let right = node.child_by_field_name("right")?;
                (left.named_child(0)?, None, right.named_child(0))
            }
            _ => (
                node.child_by_field_name("name")?,
                node.child_by_field_name("type"),
                node.child_by_field_name("value")
                    .and_then(|v| v.named_child(0)),
            ),
        };
        (name.kind() == "identifier").then_some(LocalBinding { name, ty, value })
    }

    fn shape<'t>(&self, node: Node<'t>, src: &str) -> Shape<'t> {
        match node.kind() {
            "identifier" => Shape::Name,
            "selector_expression" => Shape::member(node, "operand", "field"),
            "index_expression" => match node.child_by_field_name("operand") {
                Some(c) => Shape::Index(c),
                None => Shape::Other,
            },
            "call_expression" => match new_of(node, src) {
                Some(ty) => Shape::Construct { ty },
                None => Shape::call(node, "function"),
            },
            "composite_literal" | "type_assertion_expression" | "type_conversion_expression" => {
                Shape::construct(node, "type")
            }
            "unary_expression" | "parenthesized_expression" => Shape::inner(
                node.child_by_field_name("operand")
                    .or_else(|| node.named_child(0)),
            ),
            _ => Shape::Other,
        }
    }
}

/// `T` in `new(T)`, which is a `*T`.
fn new_of<'t>(call: Node<'t>, src: &str) -> Option<Node<'t>> {
    let callee = call.child_by_field_name("function")?;
    if text(callee, src) != "new" {
        return None;
    }
    let args = call.child_by_field_name("arguments")?;
    (args.named_child_count() == 1).then(|| args.named_child(0))?
}

/// The first result of a signature: `T` in `(T, error)`.
fn first_result(result: Node) -> Option<Node> {
    if result.kind() != "parameter_list" {
        return Some(result);
    }
    let first = result.named_child(0)?;
    first.child_by_field_name("type")
}
