//! C#: a namespace is a definition holding its types, reopened in any
//! number of files (`namespace A.B { }`, or `namespace A.B;` for the rest
//! of a file); every file of an assembly (the directory of a `.csproj`,
//! else the whole tree) sees the types of its namespace, of the
//! namespaces around it and of the global namespace without a `using`.
//! `using A.B;` opens a namespace, `using static A.B.C;` a type's members,
//! `using X = A.B.C;` names either. Members of the enclosing types and
//! their bases are in scope without `this.`; a partial class is one type
//! across its files; an extension method is found by name (a heuristic).

use tree_sitter::Node;
use weft_db::{Role, SymbolKind};

use crate::facts::Import;
use crate::lang::{
    Family, Grammar, LanguageHooks, first_doc_line, LanguageSupport, LocalBinding, Naming, Occurrences, Shape,
    Spec,
};
use crate::syntax::{span_of, text};

mod resolve;

pub static LANGUAGES: &[&LanguageSupport] = &[&CSHARP];

static CSHARP: LanguageSupport = LanguageSupport::new(Spec {
    name: "csharp",
    grammars: &[Grammar {
        extensions: &["cs"],
        shared: &[],
        language: || tree_sitter_c_sharp::LANGUAGE.into(),
        search: None,
        query: &[include_str!("queries.scm")],
        occurrences: Occurrences {
            leaves: &[("identifier", Role::Read)],
            paths: &[
                ("member_access_expression", Role::Read, "name"),
                ("qualified_name", Role::Type, "name"),
            ],
            binders: &[
                ("variable_declarator", "name"),
                ("parameter", "name"),
                ("foreach_statement", "left"),
                ("catch_declaration", "name"),
                ("declaration_pattern", "name"),
                ("declaration_expression", "name"),
                ("lambda_expression", "parameters"),
                // `<T>`: a generic's type parameter, not a type of the tree
                ("type_parameter", "name"),
            ],
            locals: &["identifier", "implicit_parameter"],
            typed_bindings: &[
                "variable_declarator",
                "parameter",
                "foreach_statement",
                "catch_declaration",
                "declaration_pattern",
                "declaration_expression",
            ],
            scopes: &["method_declaration", "constructor_declaration", "local_function_statement", "lambda_expression", "anonymous_method_expression", "block", "for_statement", "foreach_statement", "catch_clause", "using_statement", "switch_section"],
            labels: &[],
        },
    }],
    path_separators: &["."],
    hooks: &CSharpHooks,
    resolver: &resolve::CSharpResolver,
    sources: &[include_str!("mod.rs"), include_str!("resolve.rs")],
    naming: Naming {
        title: "C#",
        scip: "CSharp",
        line_comment: "//",
        doc_comment: "///",
        manifests: &["*.csproj"],
        metavar: 'µ',
    },
});

struct CSharpHooks;

impl LanguageHooks for CSharpHooks {
    /// `using A.B;` (a glob of the namespace), `using static A.B.C;` (a
    /// glob of the type's members), `using X = A.B.C;` (an alias).
    fn decode_import(&self, node: Node, src: &str, out: &mut Vec<Import>) {
        let Some(target) = node
            .named_children(&mut node.walk())
            .filter(|c| matches!(c.kind(), "qualified_name" | "identifier" | "generic_name"))
            .last()
        else {
            return;
        };
        let path = text(target, src).trim_start_matches("global::");
        let alias = node.child_by_field_name("name").filter(|a| a.id() != target.id());
        let is_static = node
            .children(&mut node.walk())
            .any(|c| c.kind() == "static");
        out.push(Import {
            module: if is_static {
                format!("{}{path}", resolve::STATIC).into()
            } else {
                path.into()
            },
            names: vec![],
            alias: alias.map(|a| text(a, src).into()),
            glob: alias.is_none(),
            reexport: false,
            span: span_of(target),
        });
    }

    /// `public`, `protected` and `internal` reach beyond the type; an
    /// interface's and an enum's members are as visible as it is.
    fn is_exported<'t>(&self, def: Node<'t>, _name: &str, src: &str, fam: &Family<'t>) -> bool {
        if def.kind().contains("namespace") {
            return true;
        }
        let decl = match def.kind() {
            "variable_declarator" => fam.parent(def).and_then(|p| fam.parent(p)).unwrap_or(def),
            _ => def,
        };
        decl.children(&mut decl.walk())
            .filter(|c| c.kind() == "modifier")
            .any(|m| matches!(text(m, src), "public" | "protected" | "internal"))
    }

    fn members_inherit_export(&self, container: SymbolKind) -> bool {
        matches!(container, SymbolKind::Interface | SymbolKind::Enum)
    }

    /// `namespace A.B;` holds every declaration of its file.
    fn extent<'t>(&self, def: Node<'t>) -> Node<'t> {
        match def.kind() {
            "file_scoped_namespace_declaration" => def.parent().unwrap_or(def),
            _ => def,
        }
    }

    /// XML doc comments (`/// <summary>` over several lines): the first
    /// line of text, without the tags.
    fn doc<'t>(&self, def: Node<'t>, src: &str, fam: &Family<'t>) -> Option<String> {
        let mut lines = Vec::new();
        let mut cur = fam.prev_sibling(def);
        while let Some(n) = cur.filter(|n| n.kind() == "comment" || n.kind() == "attribute_list") {
            if n.kind() == "comment" {
                lines.push(text(n, src));
            }
            cur = fam.prev_sibling(n);
        }
        let mut plain = String::new();
        for line in lines.iter().rev() {
            let mut rest = *line;
            while let Some(open) = rest.find('<') {
                plain.push_str(&rest[..open]);
                rest = rest[open..].find('>').map_or("", |close| &rest[open + close + 1..]);
            }
            plain.push_str(rest);
            plain.push('\n');
        }
        first_doc_line(&plain)
    }

    fn is_self_name(&self, name: &str) -> bool {
        name == "this"
    }

    fn declared_type<'t>(&self, def: Node<'t>) -> Option<Node<'t>> {
        let ty = match def.kind() {
            "method_declaration" => def.child_by_field_name("returns"),
            "property_declaration" | "event_declaration" | "parameter" => {
                def.child_by_field_name("type")
            }
            "field_declaration" | "event_field_declaration" => def
                .named_children(&mut def.walk())
                .find(|c| c.kind() == "variable_declaration")?
                .child_by_field_name("type"),
            _ => None,
        };
        object_type(ty?)
    }

    /// `T x = v` and `var x = v` (typed by `v`), parameters, `foreach (T x
    /// in xs)`, `catch (T e)`, `o is T t`, `out T x`.
    fn binding<'t>(&self, node: Node<'t>, src: &str) -> Option<LocalBinding<'t>> {
        let (name, declared, value) = match node.kind() {
            "variable_declarator" => {
                let name = node.child_by_field_name("name")?;
                let value = node
                    .named_children(&mut node.walk())
                    .filter(|c| c.id() != name.id() && !c.kind().contains("comment"))
                    .last();
                (name, node.parent()?.child_by_field_name("type"), value)
            }
            "foreach_statement" => (
                node.child_by_field_name("left")?,
                node.child_by_field_name("type"),
                None,
            ),
            _ => (
                node.child_by_field_name("name")?,
                node.child_by_field_name("type"),
                None,
            ),
        };
        if name.kind() != "identifier" {
            return None;
        }
        let ty = match declared {
            Some(t) if matches!(t.kind(), "implicit_type") || text(t, src) == "var" => None,
            Some(t) => Some(object_type(t)?),
            None => None,
        };
        Some(LocalBinding {
            name,
            ty,
            value: if ty.is_some() { None } else { value },
        })
    }

    /// The call's arguments, the call being the captured node or up to
    /// two levels above it (`a.M` in `a.M(..)`, `T` in `new T<U>(..)`).
    fn call_arity<'t>(&self, node: Node<'t>, fam: &Family<'t>) -> Option<u8> {
        let mut call = node;
        for _ in 0..2 {
            if matches!(call.kind(), "invocation_expression" | "object_creation_expression") {
                break;
            }
            call = fam.parent(call)?;
        }
        if !matches!(call.kind(), "invocation_expression" | "object_creation_expression") {
            return None;
        }
        let args = call.child_by_field_name("arguments")?;
        let n = args
            .named_children(&mut args.walk())
            .filter(|a| a.kind() == "argument")
            .count();
        u8::try_from(n).ok()
    }

    fn shape<'t>(&self, node: Node<'t>, _src: &str) -> Shape<'t> {
        match node.kind() {
            "identifier" => Shape::Name,
            "this" => Shape::SelfValue,
            "base" => Shape::SuperValue,
            "member_access_expression" => Shape::member(node, "expression", "name"),
            "invocation_expression" => Shape::call(node, "function"),
            "object_creation_expression" | "cast_expression" => Shape::construct(node, "type"),
            "parenthesized_expression" | "await_expression" => Shape::inner(node.named_child(0)),
            _ => Shape::Other,
        }
    }
}

/// A declared type with members of its own: a named type or a predefined
/// one (`string`: the framework's, see `resolve::SYSTEM`), not an array
/// or `var` (whose type is the initializer's); `T?` is `T`.
fn object_type(ty: Node) -> Option<Node> {
    match ty.kind() {
        "identifier" | "qualified_name" | "generic_name" | "predefined_type" => Some(ty),
        "nullable_type" => object_type(ty.child_by_field_name("type").or(ty.named_child(0))?),
        _ => None,
    }
}
