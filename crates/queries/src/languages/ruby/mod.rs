//! Ruby: classes and modules are constants, global once loaded, reopened
//! in any number of files; a constant is looked up in the lexically
//! enclosing modules and classes, then among the top-level ones of the
//! whole tree. `require` and `require_relative` load files (the module
//! dependencies) without binding names. A bare name is a local when the
//! method assigns it, else a call of a method of `self` (its class's,
//! reopened parts', bases' and mixins'). `include`, `extend` and `prepend`
//! count as inheritance; `attr_*` symbols define methods; `@x = v` defines
//! a field of the class at its first assignment.

use tree_sitter::Node;
use weft_db::{Role, SymbolKind};

use crate::facts::{Import, Name, Receiver};
use crate::lang::{
    Family, Grammar, LanguageHooks, LanguageSupport, LocalBinding, Naming, Occurrences, Shape,
    Spec, preceding_comment,
};
use crate::syntax::{is_name_segment, span_of, text};

mod resolve;

pub static LANGUAGES: &[&LanguageSupport] = &[&RUBY];

static RUBY: LanguageSupport = LanguageSupport::new(Spec {
    name: "ruby",
    grammars: &[Grammar {
        extensions: &["rb", "rake", "gemspec"],
        shared: &[],
        language: || tree_sitter_ruby::LANGUAGE.into(),
        search: None,
        query: &[include_str!("queries.scm")],
        occurrences: Occurrences {
            // a bare name no assignment made local is a method call
            leaves: &[
                ("identifier", Role::Call),
                ("constant", Role::Read),
                ("instance_variable", Role::Read),
            ],
            // (no field: `leaf_path` sees `::X` first)
            paths: &[("scope_resolution", Role::Read, "")],
            binders: &[
                ("assignment", "left"),
                ("operator_assignment", "left"),
                ("method_parameters", ""),
                ("block_parameters", ""),
                ("lambda_parameters", ""),
                ("for", "pattern"),
                ("exception_variable", ""),
            ],
            locals: &["identifier"],
            typed_bindings: &["assignment"],
            scopes: &["method", "singleton_method", "block", "do_block", "lambda"],
            labels: &[],
        },
    }],
    path_separators: &["::"],
    hooks: &RubyHooks,
    resolver: &resolve::RubyResolver,
    sources: &[include_str!("mod.rs"), include_str!("resolve.rs")],
    naming: Naming {
        title: "Ruby",
        scip: "Ruby",
        line_comment: "#",
        doc_comment: "#",
        manifests: &["*.gemspec", "Gemfile"],
        metavar: 'µ',
    },
});

struct RubyHooks;

impl LanguageHooks for RubyHooks {
    /// `require "a/b"` and `autoload :B, "a/b"` (from the load path),
    /// `require_relative "b"` (from the file's directory, written `./b`):
    /// the file, no names.
    fn decode_import(&self, node: Node, src: &str, out: &mut Vec<Import>) {
        let (Some(method), Some(args)) = (
            node.child_by_field_name("method"),
            node.child_by_field_name("arguments"),
        ) else {
            return;
        };
        let Some(spec) = args
            .named_children(&mut args.walk())
            .find(|a| a.kind() == "string")
            .and_then(|s| s.named_child(0))
            .filter(|c| c.kind() == "string_content")
            .map(|c| text(c, src))
        else {
            return;
        };
        let spec = spec.strip_suffix(".rb").unwrap_or(spec);
        let module = match text(method, src) {
            "require_relative" if !spec.starts_with('.') => format!("./{spec}"),
            _ => spec.to_string(),
        };
        out.push(Import {
            module: module.into(),
            names: vec![],
            alias: None,
            glob: false,
            reexport: false,
            span: span_of(node),
        });
    }

    /// Public unless a bare `private` or `protected` comes before it in
    /// its class body (with no `public` between), or it is the argument of
    /// one (`private def f`).
    fn is_exported<'t>(&self, def: Node<'t>, _name: &str, src: &str, fam: &Family<'t>) -> bool {
        if !matches!(def.kind(), "method" | "singleton_method") {
            return true;
        }
        if let Some(call) = fam.parent(def).and_then(|a| fam.parent(a))
            && call.kind() == "call"
            && call
                .child_by_field_name("method")
                .is_some_and(|m| matches!(text(m, src), "private" | "protected"))
        {
            return false;
        }
        let mut cur = fam.prev_sibling(def);
        while let Some(n) = cur {
            if n.kind() == "identifier" {
                match text(n, src) {
                    "private" | "protected" => return false,
                    "public" => return true,
                    _ => {}
                }
            }
            cur = fam.prev_sibling(n);
        }
        true
    }

    fn members_inherit_export(&self, _container: SymbolKind) -> bool {
        false
    }

    /// `:name` of `attr_reader :name` is the method `name`.
    fn def_name<'s>(&self, name: Node, src: &'s str) -> &'s str {
        text(name, src).trim_start_matches(':')
    }

    /// The comment above; tree-sitter-ruby hangs a body's first comment
    /// on the class or module around it, before the body.
    fn doc<'t>(&self, def: Node<'t>, src: &str, fam: &Family<'t>) -> Option<String> {
        preceding_comment(def, src, fam).or_else(|| {
            let body = fam.parent(def).filter(|b| b.kind() == "body_statement")?;
            (body.named_child(0)?.id() == def.id())
                .then(|| preceding_comment(body, src, fam))
                .flatten()
        })
    }

    /// `::A::B`: from the top level, written with [`resolve::TOP`] first.
    fn leaf_path<'t>(
        &self,
        leaf: Node<'t>,
        _around: Option<&crate::syntax::Around<'_, 't>>,
        src: &str,
        _fam: &Family<'t>,
    ) -> Option<(Vec<Name>, Receiver)> {
        let rest = text(leaf, src).strip_prefix("::")?;
        let mut path = vec![Name::new_static(resolve::TOP)];
        for seg in rest.split("::") {
            if !is_name_segment(seg.trim()) {
                return None;
            }
            path.push(seg.trim().into());
        }
        Some((path, Receiver::Path))
    }

    fn is_self_name(&self, name: &str) -> bool {
        name == "self"
    }

    /// `x = Foo.new(..)`: typed by the value.
    fn binding<'t>(&self, node: Node<'t>, _src: &str) -> Option<LocalBinding<'t>> {
        let name = node.child_by_field_name("left")?;
        if name.kind() != "identifier" {
            return None;
        }
        Some(LocalBinding {
            name,
            ty: None,
            value: node.child_by_field_name("right"),
        })
    }

    /// A call's arguments; a bare name's, none.
    fn call_arity<'t>(&self, node: Node<'t>, fam: &Family<'t>) -> Option<u8> {
        let call = match node.kind() {
            "call" => node,
            _ => match fam.parent(node).filter(|p| p.kind() == "call") {
                Some(call) => call,
                None => return Some(0),
            },
        };
        let n = call.child_by_field_name("arguments").map_or(0, |args| {
            args.named_children(&mut args.walk())
                .filter(|a| !a.kind().contains("comment"))
                .count()
        });
        u8::try_from(n).ok()
    }

    fn shape<'t>(&self, node: Node<'t>, src: &str) -> Shape<'t> {
        match node.kind() {
            "identifier" | "constant" => Shape::Name,
            "self" => Shape::SelfValue,
            "scope_resolution" => Shape::Path,
            "call" => {
                let receiver = node.child_by_field_name("receiver");
                let method = node.child_by_field_name("method");
                match (receiver, method) {
                    // `Foo.new(..)`, `A::B.new`: a value of the class
                    (Some(r), Some(m))
                        if text(m, src) == "new"
                            && matches!(r.kind(), "constant" | "scope_resolution") =>
                    {
                        Shape::Construct { ty: r }
                    }
                    (Some(object), Some(name)) => Shape::MethodCall { object, name },
                    (None, Some(callee)) => Shape::Call { callee },
                    _ => Shape::Other,
                }
            }
            "parenthesized_statements" => Shape::inner(node.named_child(0)),
            _ => Shape::Other,
        }
    }
}
