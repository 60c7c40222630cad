//! C++: C's files, includes and macros, with namespaces (reopened across
//! files: a namespace's members are all of its blocks'), classes whose
//! members are in scope in their methods (also those defined out of line
//! as `Type::name`), `using` declarations and directives, templates by
//! name, and overloads by arity.

use tree_sitter::Node;
use weft_db::{Role, SymbolKind};

use crate::facts::{Import, ImportName};
use crate::lang::{Family, Grammar, LanguageHooks, LanguageSupport, LocalBinding, Naming, Occurrences, Shape, Spec};
use crate::syntax::{span_of, text};

use super::{resolve, accept_def, binding, declared_type, decode_include, encloses, is_static, shape};

/// The extensions only C++ uses; `.h` is C++'s too in a tree with more
/// files of these than of C's (see `Grammar::shared`).
const EXTENSIONS: &[&str] = &["cc", "cpp", "cxx", "hpp", "hh", "hxx", "ipp", "tpp", "inl"];

pub static CPP: LanguageSupport = LanguageSupport::new(Spec {
    name: "cpp",
    grammars: &[Grammar {
        extensions: EXTENSIONS,
        shared: &["h"],
        language: || tree_sitter_cpp::LANGUAGE.into(),
        search: None,
        query: &[include_str!("cpp.scm")],
        occurrences: Occurrences {
            leaves: &[
                ("identifier", Role::Read),
                ("type_identifier", Role::Type),
                ("namespace_identifier", Role::Read),
            ],
            paths: &[
                ("field_expression", Role::Read, "field"),
                ("qualified_identifier", Role::Read, ""),
            ],
            ..super::OCCURRENCES
        },
    }],
    path_separators: &["::", ".", "->"],
    hooks: &CppHooks,
    resolver: &resolve::CppResolver,
    sources: &[include_str!("cpp.rs"), include_str!("mod.rs"), include_str!("resolve.rs"), include_str!("branches.rs")],
    naming: Naming {
        title: "C++",
        scip: "CPP",
        line_comment: "//",
        doc_comment: "//",
        manifests: &["compile_commands.json"],
        metavar: '\u{10000}',
    },
});

struct CppHooks;

impl LanguageHooks for CppHooks {
    fn decode_import(&self, node: Node, src: &str, out: &mut Vec<Import>) {
        if node.kind() == "preproc_include" {
            return decode_include(node, src, out);
        }
        // `using namespace a::b;` and `using a::b::C;`
        let Some(target) = node.named_children(&mut node.walk()).last() else {
            return;
        };
        let path = text(target, src).trim_start_matches("::");
        if text(node, src).trim_start().starts_with("using namespace") {
            out.push(Import {
                module: format!("{}{path}", resolve::NAMESPACE).into(),
                names: vec![],
                alias: None,
                glob: true,
                reexport: false,
                span: span_of(target),
            });
            return;
        }
        let Some((scope, name)) = path.rsplit_once("::") else {
            return;
        };
        let name_node = target.child_by_field_name("name").unwrap_or(target);
        out.push(Import::one_name(
            format!("{}{scope}", resolve::NAMESPACE).into(),
            ImportName {
                name: name.into(),
                alias: None,
                span: span_of(name_node),
            },
            span_of(target),
        ));
    }

    fn is_exported<'t>(&self, def: Node<'t>, _name: &str, src: &str, _fam: &Family<'t>) -> bool {
        !is_static(def, src)
    }

    fn branch_conditions<'t>(&self, def: Node<'t>, src: &str, fam: &Family<'t>) -> Vec<(String, bool)> {
        super::branches::branch_conditions(def, src, fam)
    }

    fn members_inherit_export(&self, container: SymbolKind) -> bool {
        matches!(container, SymbolKind::Class | SymbolKind::Struct | SymbolKind::Enum | SymbolKind::Module)
    }

    fn accept_def(&self, def: Node, src: &str) -> bool {
        accept_def(def, src)
    }

    fn prepare<'s>(&self, src: &'s str) -> std::borrow::Cow<'s, str> {
        super::blank_export_macros(src)
    }

    fn encloses(&self, container: SymbolKind, member: SymbolKind) -> bool {
        encloses(container, member)
    }

    fn is_self_name(&self, name: &str) -> bool {
        name == "this"
    }

    fn declared_type<'t>(&self, def: Node<'t>) -> Option<Node<'t>> {
        if def.kind() == "alias_declaration" {
            return super::type_name(def.child_by_field_name("type")?);
        }
        declared_type(def)
    }

    fn binding<'t>(&self, node: Node<'t>, _src: &str) -> Option<LocalBinding<'t>> {
        binding(node)
    }

    fn call_arity<'t>(&self, node: Node<'t>, fam: &Family<'t>) -> Option<u8> {
        let mut call = node;
        for _ in 0..3 {
            if call.kind() == "call_expression" {
                let args = call.child_by_field_name("arguments")?;
                let n = args
                    .named_children(&mut args.walk())
                    .filter(|a| !a.kind().contains("comment"))
                    .count();
                return u8::try_from(n).ok();
            }
            call = fam.parent(call)?;
        }
        None
    }

    fn shape<'t>(&self, node: Node<'t>, _src: &str) -> Shape<'t> {
        match node.kind() {
            "this" => Shape::SelfValue,
            "qualified_identifier" => Shape::Path,
            "template_function" => Shape::inner(node.child_by_field_name("name")),
            "new_expression" => node
                .child_by_field_name("type")
                .and_then(super::type_name)
                .map_or(Shape::Other, |ty| Shape::Construct { ty }),
            _ => shape(node).unwrap_or(Shape::Other),
        }
    }

    fn transparent_type(&self, name: &str) -> bool {
        matches!(name, "unique_ptr" | "shared_ptr" | "weak_ptr" | "optional" | "reference_wrapper")
    }
}
