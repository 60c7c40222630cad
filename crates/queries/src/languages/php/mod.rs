//! PHP: a namespace is a definition holding its declarations, reopened in
//! any number of files (`namespace A\B;` for the rest of a file, or
//! `namespace A\B { }`); a file sees its namespace's declarations and the
//! global namespace's without a `use`. `use A\B\C;`, `use A\B\{C, D as
//! E}`, `use function` and `use const` import names. A `$variable` is
//! always the function's own (never a symbol of the tree); `$this->x`,
//! `self::`, `static::` and `parent::` name the class's members. Traits
//! used in a class count as its bases.

use tree_sitter::Node;
use weft_db::{Role, SymbolKind};

use crate::facts::{Import, ImportName, Name, Receiver};
use crate::lang::{
    Family, Grammar, LanguageHooks, LanguageSupport, LocalBinding, Naming, Occurrences, Shape,
    Spec,
};
use crate::syntax::{is_name_segment, span_of, text};

mod resolve;

pub static LANGUAGES: &[&LanguageSupport] = &[&PHP];

static PHP: LanguageSupport = LanguageSupport::new(Spec {
    name: "php",
    grammars: &[Grammar {
        extensions: &["php"],
        shared: &[],
        language: || tree_sitter_php::LANGUAGE_PHP.into(),
        search: Some(|| tree_sitter_php::LANGUAGE_PHP_ONLY.into()),
        query: &[include_str!("queries.scm")],
        occurrences: Occurrences {
            leaves: &[("name", Role::Read)],
            paths: &[
                ("member_access_expression", Role::Read, "name"),
                ("nullsafe_member_access_expression", Role::Read, "name"),
                // (no field: `leaf_path` reads `static::` and `\A\B`)
                ("scoped_property_access_expression", Role::Read, ""),
                ("class_constant_access_expression", Role::Read, ""),
                ("qualified_name", Role::Read, ""),
            ],
            binders: &[
                ("assignment_expression", "left"),
                ("simple_parameter", "name"),
                ("variadic_parameter", "name"),
                ("property_promotion_parameter", "name"),
                ("foreach_statement", ""),
                ("pair", ""),
                ("list_literal", ""),
                ("catch_clause", "name"),
                ("anonymous_function_use_clause", ""),
                ("static_variable_declaration", "name"),
                ("global_declaration", ""),
            ],
            locals: &["variable_name"],
            typed_bindings: &["assignment_expression", "simple_parameter", "property_promotion_parameter"],
            scopes: &["function_definition", "method_declaration", "anonymous_function", "arrow_function"],
            labels: &[],
        },
    }],
    path_separators: &["\\", "::", "?->", "->"],
    hooks: &PhpHooks,
    resolver: &resolve::PhpResolver,
    sources: &[include_str!("mod.rs"), include_str!("resolve.rs")],
    naming: Naming {
        title: "PHP",
        scip: "PHP",
        line_comment: "//",
        doc_comment: "*",
        manifests: &["composer.json"],
        metavar: 'µ',
    },
});

struct PhpHooks;

impl LanguageHooks for PhpHooks {
    /// `use A\B\C;` (C from A\B), `use A\B\{C, D as E};`, `use function
    /// A\f;`, `use const A\X;`: names taken from a namespace.
    fn decode_import(&self, node: Node, src: &str, out: &mut Vec<Import>) {
        let group_prefix = node
            .named_children(&mut node.walk())
            .find(|c| c.kind() == "namespace_name")
            .map(|p| text(p, src).trim_start_matches('\\').to_string());
        let clauses: Vec<Node> = match node.child_by_field_name("body") {
            Some(group) => group
                .named_children(&mut group.walk())
                .filter(|c| c.kind() == "namespace_use_clause")
                .collect(),
            None => node
                .named_children(&mut node.walk())
                .filter(|c| c.kind() == "namespace_use_clause")
                .collect(),
        };
        for clause in clauses {
            let Some(target) = clause
                .named_children(&mut clause.walk())
                .find(|c| matches!(c.kind(), "qualified_name" | "name"))
            else {
                continue;
            };
            let written = text(target, src).trim_start_matches('\\');
            let full = match &group_prefix {
                Some(p) => format!("{p}\\{written}"),
                None => written.to_string(),
            };
            let (module, name) = match full.rsplit_once('\\') {
                Some((m, n)) => (m.to_string(), n.to_string()),
                // `use Foo;`: a class of the global namespace
                None => (String::new(), full.clone()),
            };
            let alias = clause.child_by_field_name("alias").map(|a| text(a, src).into());
            // the imported name as written: the last segment
            let last = match target.kind() {
                "qualified_name" => target
                    .named_children(&mut target.walk())
                    .filter(|c| c.kind() == "name")
                    .last()
                    .unwrap_or(target),
                _ => target,
            };
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
    }

    /// Public unless `private` or `protected`; what is not in a class is
    /// public.
    fn is_exported<'t>(&self, def: Node<'t>, _name: &str, src: &str, fam: &Family<'t>) -> bool {
        let decl = match def.kind() {
            "property_element" | "const_element" => fam.parent(def).unwrap_or(def),
            _ => def,
        };
        !decl
            .named_children(&mut decl.walk())
            .filter(|c| c.kind() == "visibility_modifier")
            .any(|m| matches!(text(m, src), "private" | "protected"))
    }

    fn members_inherit_export(&self, container: SymbolKind) -> bool {
        matches!(container, SymbolKind::Interface | SymbolKind::Enum)
    }

    /// `$x` of `public int $x` is the property `x` (read as `$o->x`); a
    /// static one keeps its `$` (read as `A::$x`).
    fn def_name<'s>(&self, name: Node, src: &'s str) -> &'s str {
        let written = text(name, src);
        if name.kind() != "variable_name" {
            return written;
        }
        let is_static = name
            .parent()
            .and_then(|element| element.parent())
            .is_some_and(|decl| {
                decl.named_children(&mut decl.walk())
                    .any(|c| c.kind() == "static_modifier")
            });
        if is_static {
            written
        } else {
            written.trim_start_matches('$')
        }
    }

    /// `namespace A\B;` holds every declaration of its file.
    fn extent<'t>(&self, def: Node<'t>) -> Node<'t> {
        match def.kind() {
            "namespace_definition" if def.child_by_field_name("body").is_none() => {
                def.parent().unwrap_or(def)
            }
            _ => def,
        }
    }

    fn is_self_name(&self, name: &str) -> bool {
        name == "$this"
    }

    /// A `$variable`'s own name is no reference; `static::` is the
    /// class's own (as `self::`); `\A\B` is from the global namespace.
    fn leaf_path<'t>(
        &self,
        leaf: Node<'t>,
        around: Option<&crate::syntax::Around<'_, 't>>,
        src: &str,
        fam: &Family<'t>,
    ) -> Option<(Vec<Name>, Receiver)> {
        if leaf.kind() == "name" {
            let in_variable = around
                .map(|a| a.parent)
                .or_else(|| fam.parent(leaf))
                .is_some_and(|p| matches!(p.kind(), "variable_name" | "namespace_name"));
            return in_variable.then(|| (Vec::new(), Receiver::Unknown));
        }
        let written = text(leaf, src);
        let (top, rest) = match written.strip_prefix('\\') {
            Some(rest) => (true, rest),
            None => (false, written),
        };
        let mut path: Vec<Name> = Vec::new();
        if top {
            path.push(Name::new_static(resolve::TOP));
        }
        // `Foo::class` names the class Foo
        let rest = rest.strip_suffix("::class").unwrap_or(rest);
        for (i, seg) in rest.split(['\\', ':']).filter(|s| !s.is_empty()).enumerate() {
            let seg = seg.trim();
            if !is_name_segment(seg) {
                return None;
            }
            path.push(match (i, seg) {
                (0, "static") => Name::new_static("self"),
                _ => seg.into(),
            });
        }
        (!path.is_empty()).then_some((path, Receiver::Path))
    }

    /// `$x = new Foo()`, parameters typed `Foo $x`.
    fn binding<'t>(&self, node: Node<'t>, _src: &str) -> Option<LocalBinding<'t>> {
        match node.kind() {
            "assignment_expression" => {
                let name = node.child_by_field_name("left")?;
                (name.kind() == "variable_name").then_some(LocalBinding {
                    name,
                    ty: None,
                    value: node.child_by_field_name("right"),
                })
            }
            _ => Some(LocalBinding {
                name: node.child_by_field_name("name")?,
                ty: node.child_by_field_name("type").and_then(object_type),
                value: None,
            }),
        }
    }

    fn declared_type<'t>(&self, def: Node<'t>) -> Option<Node<'t>> {
        let ty = match def.kind() {
            "method_declaration" | "function_definition" => def.child_by_field_name("return_type"),
            "property_promotion_parameter" => def.child_by_field_name("type"),
            "property_element" => def.parent()?.child_by_field_name("type"),
            _ => None,
        };
        object_type(ty?)
    }

    fn call_arity<'t>(&self, node: Node<'t>, fam: &Family<'t>) -> Option<u8> {
        let call = match node.kind() {
            "member_call_expression"
            | "nullsafe_member_call_expression"
            | "scoped_call_expression"
            | "function_call_expression"
            | "object_creation_expression" => node,
            _ => fam.parent(node)?,
        };
        let args = call
            .named_children(&mut call.walk())
            .find(|c| c.kind() == "arguments")?;
        let n = args
            .named_children(&mut args.walk())
            .filter(|a| a.kind() == "argument")
            .count();
        u8::try_from(n).ok()
    }

    fn shape<'t>(&self, node: Node<'t>, src: &str) -> Shape<'t> {
        match node.kind() {
            "name" | "variable_name" => Shape::Name,
            "qualified_name" | "class_constant_access_expression" => Shape::Path,
            "relative_scope" => match text(node, src) {
                "parent" => Shape::SuperValue,
                _ => Shape::SelfValue,
            },
            "member_access_expression" | "nullsafe_member_access_expression" => {
                Shape::member(node, "object", "name")
            }
            "member_call_expression" | "nullsafe_member_call_expression" => {
                Shape::method_call(node, "object", "name")
            }
            "scoped_call_expression" => Shape::method_call(node, "scope", "name"),
            "function_call_expression" => Shape::call(node, "function"),
            "object_creation_expression" => node
                .named_children(&mut node.walk())
                .find(|c| matches!(c.kind(), "name" | "qualified_name"))
                .map_or(Shape::Other, |ty| Shape::Construct { ty }),
            "parenthesized_expression" => Shape::inner(node.named_child(0)),
            _ => Shape::Other,
        }
    }
}

/// A declared class type (`Foo`, `?Foo`, `\A\Foo`), not a built-in one.
fn object_type(ty: Node) -> Option<Node> {
    match ty.kind() {
        "named_type" => ty.named_child(0),
        "optional_type" => object_type(ty.named_child(0)?),
        "name" | "qualified_name" => Some(ty),
        _ => None,
    }
}
