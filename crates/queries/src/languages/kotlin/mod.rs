//! Kotlin: `package a.b` is a namespace holding its file's declarations,
//! reopened by every file of the package, which see each other's
//! declarations (Kotlin places no rule on directories); imports name a
//! class, a top-level function or property, or a whole package (`*`),
//! with `as` aliases. Members of the enclosing classes and their bases are
//! in scope without `this.`; a companion object's members are its
//! class's; an extension function is found by its name (a heuristic).

use tree_sitter::Node;
use weft_db::{Role, SymbolKind};

use crate::facts::{Import, ImportName};
use crate::lang::{
    Family, Grammar, LanguageHooks, LanguageSupport, LocalBinding, Naming, Occurrences, Shape,
    Spec, written_visibility,
};
use crate::syntax::{span_of, text};

mod resolve;

pub static LANGUAGES: &[&LanguageSupport] = &[&KOTLIN];

static KOTLIN: LanguageSupport = LanguageSupport::new(Spec {
    name: "kotlin",
    grammars: &[Grammar {
        extensions: &["kt", "kts"],
        shared: &[],
        language: || tree_sitter_kotlin_ng::LANGUAGE.into(),
        search: None,
        query: &[include_str!("queries.scm")],
        occurrences: Occurrences {
            leaves: &[("identifier", Role::Read)],
            paths: &[
                ("navigation_expression", Role::Read, ""),
                ("user_type", Role::Type, ""),
            ],
            binders: &[
                ("variable_declaration", ""),
                ("parameter", ""),
                ("class_parameter", ""),
                ("lambda_parameters", ""),
                ("catch_block", ""),
                // `<T>`: a type parameter, not a type of the tree
                ("type_parameter", ""),
            ],
            locals: &["identifier"],
            typed_bindings: &["property_declaration", "parameter", "catch_block", "for_statement"],
            scopes: &["function_declaration", "lambda_literal", "anonymous_function", "for_statement", "catch_block"],
            labels: &[],
        },
    }],
    path_separators: &["."],
    hooks: &KotlinHooks,
    resolver: &resolve::KotlinResolver,
    sources: &[include_str!("mod.rs"), include_str!("resolve.rs")],
    naming: Naming {
        title: "Kotlin",
        scip: "Kotlin",
        line_comment: "//",
        doc_comment: "*",
        manifests: &[],
        metavar: 'µ',
    },
});

struct KotlinHooks;

impl LanguageHooks for KotlinHooks {
    /// `import a.b.C`, `import a.b.C as D`, `import a.b.*`.
    fn decode_import(&self, node: Node, src: &str, out: &mut Vec<Import>) {
        let Some(path) = node
            .named_children(&mut node.walk())
            .find(|c| c.kind() == "qualified_identifier")
        else {
            return;
        };
        let written = text(path, src);
        if text(node, src).trim_end().ends_with('*') {
            out.push(Import {
                module: written.into(),
                names: vec![],
                alias: None,
                glob: true,
                reexport: false,
                span: span_of(node),
            });
            return;
        }
        let Some((module, name)) = written.rsplit_once('.') else {
            return;
        };
        let last = path.named_child(path.named_child_count().saturating_sub(1) as u32).unwrap_or(path);
        let alias = node
            .named_children(&mut node.walk())
            .filter(|c| c.kind() == "identifier")
            .last()
            .map(|a| text(a, src).into());
        out.push(Import::one_name(
            module.into(),
            ImportName {
                name: name.into(),
                alias,
                span: span_of(last),
            },
            span_of(node),
        ));
    }

    /// Public unless `private` (`internal` reaches its module; `protected`
    /// its subclasses).
    fn is_exported<'t>(&self, def: Node<'t>, _name: &str, src: &str, _fam: &Family<'t>) -> bool {
        written_visibility(def, src) != Some("private")
    }

    fn members_inherit_export(&self, container: SymbolKind) -> bool {
        matches!(container, SymbolKind::Interface | SymbolKind::Enum)
    }

    /// A constructor parameter is a property only when `val` or `var`.
    fn accept_def(&self, def: Node, _src: &str) -> bool {
        def.kind() != "class_parameter"
            || def
                .children(&mut def.walk())
                .any(|c| matches!(c.kind(), "val" | "var"))
    }

    /// `package a.b` holds every declaration of its file.
    fn extent<'t>(&self, def: Node<'t>) -> Node<'t> {
        match def.kind() {
            "package_header" => def.parent().unwrap_or(def),
            _ => def,
        }
    }

    fn is_self_name(&self, name: &str) -> bool {
        name == "this"
    }

    fn declared_type<'t>(&self, def: Node<'t>) -> Option<Node<'t>> {
        match def.kind() {
            "property_declaration" => {
                let decl = def
                    .named_children(&mut def.walk())
                    .find(|c| c.kind() == "variable_declaration")?;
                decl.named_children(&mut decl.walk())
                    .find(|c| c.kind() == "user_type")
            }
            "class_parameter" => def
                .named_children(&mut def.walk())
                .find(|c| c.kind() == "user_type"),
            // the return type: the type after the parameters
            "function_declaration" => {
                let mut after_params = false;
                def.named_children(&mut def.walk()).find(|c| {
                    if c.kind() == "function_value_parameters" {
                        after_params = true;
                        return false;
                    }
                    after_params && c.kind() == "user_type"
                })
            }
            _ => None,
        }
    }

    /// `val x: T = v`, `val x = Foo()`, parameters `x: T`, `catch (e: T)`,
    /// `for (x in xs)`.
    fn binding<'t>(&self, node: Node<'t>, _src: &str) -> Option<LocalBinding<'t>> {
        let (holder, value) = match node.kind() {
            "property_declaration" => {
                let decl = node
                    .named_children(&mut node.walk())
                    .find(|c| c.kind() == "variable_declaration")?;
                let value = node
                    .named_children(&mut node.walk())
                    .filter(|c| c.id() != decl.id() && c.kind() != "modifiers")
                    .last();
                (decl, value)
            }
            "for_statement" => (
                node.named_children(&mut node.walk())
                    .find(|c| c.kind() == "variable_declaration")?,
                None,
            ),
            _ => (node, None),
        };
        let name = holder
            .named_children(&mut holder.walk())
            .find(|c| c.kind() == "identifier")?;
        let ty = holder
            .named_children(&mut holder.walk())
            .find(|c| c.kind() == "user_type");
        Some(LocalBinding {
            name,
            ty,
            value: if ty.is_some() { None } else { value },
        })
    }

    fn call_arity<'t>(&self, node: Node<'t>, fam: &Family<'t>) -> Option<u8> {
        let call = match node.kind() {
            "call_expression" => node,
            _ => fam.parent(node).filter(|p| p.kind() == "call_expression")?,
        };
        let args = call
            .named_children(&mut call.walk())
            .find(|c| c.kind() == "value_arguments");
        let lambda = call
            .named_children(&mut call.walk())
            .any(|c| c.kind() == "annotated_lambda");
        let n = args.map_or(0, |a| {
            a.named_children(&mut a.walk())
                .filter(|c| c.kind() == "value_argument")
                .count()
        }) + usize::from(lambda);
        u8::try_from(n).ok()
    }

    fn shape<'t>(&self, node: Node<'t>, _src: &str) -> Shape<'t> {
        match node.kind() {
            "identifier" => Shape::Name,
            "this_expression" => Shape::SelfValue,
            "super_expression" => Shape::SuperValue,
            "user_type" => Shape::Path,
            "navigation_expression" => {
                match (node.named_child(0), node.named_child(node.named_child_count().saturating_sub(1) as u32)) {
                    (Some(object), Some(name)) if object.id() != name.id() => {
                        Shape::Member { object, name }
                    }
                    _ => Shape::Other,
                }
            }
            "call_expression" => node.named_child(0).map_or(Shape::Other, |callee| Shape::Call { callee }),
            "parenthesized_expression" => Shape::inner(node.named_child(0)),
            _ => Shape::Other,
        }
    }
}
