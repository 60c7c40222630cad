//! Go: packages are directories, import paths resolve through `go.mod`;
//! methods hang on their receiver type.

use tree_sitter::Node;
use weft_db::{Lang, Role, SymbolKind};

use super::{Grammar, LanguageHooks, LanguageSupport, Occurrences};
use crate::extract::{span_of, text};
use crate::facts::Import;
use crate::resolve::go::GoResolver;

pub static GO: LanguageSupport = LanguageSupport::new(
    Lang::Go,
    &[Grammar {
        extensions: &["go"],
        language: || tree_sitter_go::LANGUAGE.into(),
        query: &[include_str!("go.scm")],
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
            typed_bindings: &[],
        },
    }],
    &["."],
    &GoHooks,
    &GoResolver,
);

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

    fn is_exported(&self, _def: Node, name: &str, _src: &str) -> bool {
        name.chars().next().is_some_and(|c| c.is_uppercase())
    }

    fn members_inherit_export(&self, _container: SymbolKind) -> bool {
        false
    }
}
