//! Swift: a module is a target of `Package.swift` (`Sources/<Module>/`),
//! whose files see each other's top-level declarations; `import M` opens
//! another module (a target of the tree, else the SDK's or a package's).
//! Members of the enclosing types and their bases are in scope without
//! `self.`; an extension's members are its type's (as an `impl` block's);
//! protocol conformance counts as inheritance; `let x = Foo()` types `x`.

use tree_sitter::Node;
use weft_db::{Role, SymbolKind};

use crate::facts::Import;
use crate::lang::{
    Family, Grammar, LanguageHooks, LanguageSupport, LocalBinding, Naming, Occurrences, Shape,
    Spec, written_visibility,
};
use crate::syntax::{span_of, text};

mod resolve;

pub static LANGUAGES: &[&LanguageSupport] = &[&SWIFT];

static SWIFT: LanguageSupport = LanguageSupport::new(Spec {
    name: "swift",
    grammars: &[Grammar {
        extensions: &["swift"],
        shared: &[],
        language: || tree_sitter_swift::LANGUAGE.into(),
        search: None,
        query: &[include_str!("queries.scm")],
        occurrences: Occurrences {
            leaves: &[("simple_identifier", Role::Read), ("type_identifier", Role::Type)],
            paths: &[
                ("navigation_expression", Role::Read, ""),
                ("user_type", Role::Type, ""),
            ],
            binders: &[
                ("pattern", ""),
                ("parameter", "name"),
                ("lambda_parameter", "name"),
                ("catch_block", "error"),
                ("if_statement", "bound_identifier"),
                ("guard_statement", "bound_identifier"),
                ("type_parameter", ""),
            ],
            locals: &["simple_identifier", "type_identifier"],
            typed_bindings: &["property_declaration", "parameter"],
            scopes: &["function_declaration", "init_declaration", "lambda_literal", "for_statement", "catch_block"],
            labels: &[],
        },
    }],
    path_separators: &["."],
    hooks: &SwiftHooks,
    resolver: &resolve::SwiftResolver,
    sources: &[include_str!("mod.rs"), include_str!("resolve.rs")],
    naming: Naming {
        title: "Swift",
        scip: "Swift",
        line_comment: "//",
        doc_comment: "///",
        manifests: &["Package.swift"],
        metavar: 'µ',
    },
});

struct SwiftHooks;

impl LanguageHooks for SwiftHooks {
    /// `import M`, `import struct M.T`: the module, as a glob.
    fn decode_import(&self, node: Node, src: &str, out: &mut Vec<Import>) {
        let Some(path) = node
            .named_children(&mut node.walk())
            .find(|c| c.kind() == "identifier")
        else {
            return;
        };
        let written = text(path, src);
        let module = written.split('.').next().unwrap_or(written);
        out.push(Import {
            module: module.into(),
            names: vec![],
            alias: None,
            glob: true,
            reexport: false,
            span: span_of(node),
        });
    }

    /// Visible beyond its file unless `private` or `fileprivate`.
    fn is_exported<'t>(&self, def: Node<'t>, _name: &str, src: &str, _fam: &Family<'t>) -> bool {
        !matches!(written_visibility(def, src), Some("private" | "fileprivate"))
    }

    fn members_inherit_export(&self, container: SymbolKind) -> bool {
        matches!(container, SymbolKind::Interface | SymbolKind::Enum)
    }

    fn is_self_name(&self, name: &str) -> bool {
        name == "self"
    }

    fn declared_type<'t>(&self, def: Node<'t>) -> Option<Node<'t>> {
        match def.kind() {
            "property_declaration" | "protocol_property_declaration" => {
                let ann = def
                    .named_children(&mut def.walk())
                    .find(|c| c.kind() == "type_annotation")?;
                ann.child_by_field_name("name").filter(|t| t.kind() == "user_type")
            }
            // the return type: the last type among the declaration's `name`s
            "function_declaration" | "protocol_function_declaration" => {
                let mut cur = def.walk();
                let names: Vec<Node> = def.children_by_field_name("name", &mut cur).collect();
                names.into_iter().rev().find(|c| c.kind() == "user_type")
            }
            _ => None,
        }
    }

    /// `let x: T = v`, `let x = Foo()`, parameters `x: T`.
    fn binding<'t>(&self, node: Node<'t>, _src: &str) -> Option<LocalBinding<'t>> {
        match node.kind() {
            "property_declaration" => {
                let name = node
                    .child_by_field_name("name")?
                    .child_by_field_name("bound_identifier")?;
                let ty = self.declared_type(node);
                Some(LocalBinding {
                    name,
                    ty,
                    value: if ty.is_some() { None } else { node.child_by_field_name("value") },
                })
            }
            _ => {
                let mut cur = node.walk();
                let names: Vec<Node> = node.children_by_field_name("name", &mut cur).collect();
                let name = names.iter().copied().find(|c| c.kind() == "simple_identifier")?;
                let ty = names.iter().copied().find(|c| c.kind() == "user_type");
                Some(LocalBinding { name, ty, value: None })
            }
        }
    }

    fn call_arity<'t>(&self, node: Node<'t>, fam: &Family<'t>) -> Option<u8> {
        let call = match node.kind() {
            "call_expression" => node,
            _ => fam.parent(node).filter(|p| p.kind() == "call_expression")?,
        };
        let suffix = call
            .named_children(&mut call.walk())
            .find(|c| c.kind() == "call_suffix")?;
        let mut n = 0usize;
        for part in suffix.named_children(&mut suffix.walk()) {
            match part.kind() {
                "value_arguments" => {
                    n += part
                        .named_children(&mut part.walk())
                        .filter(|a| a.kind() == "value_argument")
                        .count()
                }
                "lambda_literal" => n += 1,
                _ => {}
            }
        }
        u8::try_from(n).ok()
    }

    fn shape<'t>(&self, node: Node<'t>, _src: &str) -> Shape<'t> {
        match node.kind() {
            "simple_identifier" => Shape::Name,
            "self_expression" => Shape::SelfValue,
            "super_expression" => Shape::SuperValue,
            "user_type" => Shape::Path,
            "navigation_expression" => {
                let object = node.child_by_field_name("target");
                let name = node
                    .child_by_field_name("suffix")
                    .and_then(|s| s.child_by_field_name("suffix"));
                match (object, name) {
                    (Some(object), Some(name)) => Shape::Member { object, name },
                    _ => Shape::Other,
                }
            }
            "call_expression" => node
                .named_child(0)
                .map_or(Shape::Other, |callee| Shape::Call { callee }),
            "tuple_expression" => Shape::inner(node.named_child(0)),
            _ => Shape::Other,
        }
    }
}
