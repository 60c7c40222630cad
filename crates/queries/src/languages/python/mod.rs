//! Python: classes, functions, module-level names; packages from
//! `__init__.py`; absolute and relative imports.

use tree_sitter::Node;
use weft_db::Role;

use crate::lang::{ElementBinding, Family, Grammar, LanguageHooks, LanguageSupport, LocalBinding, Naming, Occurrences, Shape,
    first_doc_line, one_line, Spec};
use crate::facts::{Import, ImportName, Name};
use crate::syntax::{span_of, text};

mod resolve;

pub static LANGUAGES: &[&LanguageSupport] = &[&PYTHON];

static PYTHON: LanguageSupport = LanguageSupport::new(Spec {
    name: "python",
    grammars: &[Grammar {
        extensions: &["py", "pyi"],
        shared: &[],
        language: || tree_sitter_python::LANGUAGE.into(),
        search: None,
        query: &[include_str!("queries.scm")],
        occurrences: Occurrences {
            leaves: &[("identifier", Role::Read)],
            paths: &[("attribute", Role::Read, "attribute")],
            binders: &[
                ("parameters", ""),
                ("lambda_parameters", ""),
                ("assignment", "left"),
                ("augmented_assignment", "left"),
                ("for_statement", "left"),
                ("for_in_clause", "left"),
                ("as_pattern", "alias"),
                ("named_expression", "name"),
            ],
            locals: &["identifier"],
            typed_bindings: &["assignment", "typed_parameter", "typed_default_parameter", "for_statement", "for_in_clause"],
            scopes: &["function_definition", "lambda", "list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"],
            labels: &[("keyword_argument", "name")],
        },
    }],
    path_separators: &["."],
    hooks: &PythonHooks,
    resolver: &resolve::PythonResolver,
    sources: &[include_str!("mod.rs")],
    naming: Naming {
        title: "Python",
        scip: "Python",
        line_comment: "#",
        doc_comment: "#",
        manifests: &[],
        metavar: 'µ',
    },
});

struct PythonHooks;

impl LanguageHooks for PythonHooks {
    fn declared_type<'t>(&self, def: Node<'t>) -> Option<Node<'t>> {
        match def.kind() {
            "function_definition" => def.child_by_field_name("return_type"),
            "assignment" => def.child_by_field_name("type"),
            _ => None,
        }
    }

    fn element_binding<'t>(&self, node: Node<'t>, _src: &str) -> Option<ElementBinding<'t>> {
        // `for x in xs:`, `[.. for x in xs]`
        if !matches!(node.kind(), "for_statement" | "for_in_clause") {
            return None;
        }
        let name = node.child_by_field_name("left")?;
        let collection = node.child_by_field_name("right")?;
        (name.kind() == "identifier").then(|| ElementBinding {
            name,
            collection,
            // a comprehension's element is used before its `for`
            visible_from: match node.kind() {
                "for_in_clause" => node.parent().map_or(0, |c| c.start_byte()),
                _ => collection.end_byte(),
            },
        })
    }

    fn collection_type(&self, name: &str) -> bool {
        matches!(
            name,
            "list"
                | "List"
                | "Sequence"
                | "MutableSequence"
                | "Iterable"
                | "Iterator"
                | "Collection"
                | "set"
                | "Set"
                | "frozenset"
                | "FrozenSet"
                | "AbstractSet"
                | "MutableSet"
                | "deque"
                | "Deque"
        )
    }

    fn binding<'t>(&self, node: Node<'t>, _src: &str) -> Option<LocalBinding<'t>> {
        let name = match node.kind() {
            "for_statement" | "for_in_clause" => return None,
            "assignment" => node.child_by_field_name("left")?,
            "typed_default_parameter" => node.child_by_field_name("name")?,
            _ => node.named_child(0)?,
        };
        (name.kind() == "identifier").then(|| LocalBinding {
            name,
            ty: node.child_by_field_name("type"),
            value: node
                .child_by_field_name("right")
                .or_else(|| node.child_by_field_name("value")),
        })
    }

    fn shape<'t>(&self, node: Node<'t>, _src: &str) -> Shape<'t> {
        match node.kind() {
            "identifier" => Shape::Name,
            "attribute" => Shape::member(node, "object", "attribute"),
            "call" => Shape::call(node, "function"),
            "subscript" => match node.child_by_field_name("value") {
                Some(c) => Shape::Index(c),
                None => Shape::Other,
            },
            "parenthesized_expression" | "await" => Shape::inner(node.named_child(0)),
            _ => Shape::Other,
        }
    }

    fn transparent_type(&self, name: &str) -> bool {
        matches!(
            name,
            "Optional" | "Type" | "Final" | "ClassVar" | "Annotated"
        )
    }

    fn decode_import(&self, node: Node, src: &str, out: &mut Vec<Import>) {
        let span = span_of(node);
        if node.kind() == "import_statement" {
            for c in node.children_by_field_name("name", &mut node.walk()) {
                let (path, alias) = match c.kind() {
                    "aliased_import" => (
                        c.child_by_field_name("name"),
                        c.child_by_field_name("alias"),
                    ),
                    _ => (Some(c), None),
                };
                let Some(path) = path else { continue };
                out.push(Import {
                    module: text(path, src).into(),
                    names: vec![],
                    alias: alias.map(|a| text(a, src).into()),
                    glob: false,
                    reexport: false,
                    span: span_of(path),
                });
            }
            return;
        }
        let Some(module) = node.child_by_field_name("module_name") else {
            return;
        };
        let mut imp = Import {
            module: text(module, src).replace(' ', "").into(),
            names: vec![],
            alias: None,
            glob: false,
            reexport: false,
            span,
        };
        for c in node.named_children(&mut node.walk()) {
            if c.kind() == "wildcard_import" {
                imp.glob = true;
            }
        }
        for c in node.children_by_field_name("name", &mut node.walk()) {
            let (name, alias) = match c.kind() {
                "aliased_import" => (
                    c.child_by_field_name("name"),
                    c.child_by_field_name("alias"),
                ),
                _ => (Some(c), None),
            };
            let Some(name) = name else { continue };
            imp.names.push(ImportName {
                name: text(name, src).into(),
                alias: alias.map(|a| Name::from(text(a, src))),
                span: span_of(name),
            });
        }
        out.push(imp);
    }

    fn is_exported(&self, _def: Node, name: &str, _src: &str, _fam: &Family) -> bool {
        !name.starts_with('_') || (name.starts_with("__") && name.ends_with("__"))
    }

    fn signature(&self, def: Node, src: &str) -> String {
        let sig = crate::lang::default_signature(def, src);
        one_line(sig.trim_end_matches(':'), 200)
    }

    fn doc(&self, def: Node, src: &str, _fam: &Family) -> Option<String> {
        let body = def.child_by_field_name("body")?;
        let first = body.named_child(0)?;
        let s = (first.kind() == "expression_statement")
            .then(|| first.named_child(0))
            .flatten()?;
        if s.kind() != "string" {
            return None;
        }
        first_doc_line(text(s, src).trim_matches(|c| c == '"' || c == '\'' || c == 'r' || c == 'b'))
    }
}
