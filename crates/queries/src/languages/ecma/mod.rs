//! TypeScript and JavaScript: one module, two languages, four grammars.
//! ES modules (named, default, namespace, `export * from`) and CommonJS
//! `require`.

use tree_sitter::Node;
use weft_db::{Role, SymbolKind};

use crate::lang::{ElementBinding, Family, Grammar, LanguageHooks, LanguageSupport, LocalBinding, MethodCall, Naming, Occurrences, Shape, Spec};
use crate::facts::{Import, ImportName, Name};
use crate::syntax::{span_of, text};

mod repair;
mod resolve;

const ECMA: &str = include_str!("ecma.scm");
const TS: &str = include_str!("ts.scm");

const TS_OCCURRENCES: Occurrences = Occurrences {
    leaves: &[("identifier", Role::Read), ("type_identifier", Role::Type)],
    paths: &[
        ("member_expression", Role::Read, "property"),
        ("nested_type_identifier", Role::Type, "name"),
    ],
    binders: TS_BINDERS,
    locals: TS_LOCALS,
    typed_bindings: ECMA_TYPED,
    scopes: TS_SCOPES,
    labels: &[],
};

/// TypeScript's type parameters are locals of what declares them.
const TS_BINDERS: &[(&str, &str)] = &[
    ("variable_declarator", "name"),
    ("formal_parameters", ""),
    ("arrow_function", "parameter"),
    ("for_in_statement", "left"),
    ("catch_clause", "parameter"),
    ("type_parameter", "name"),
];
const TS_LOCALS: &[&str] = &[
    "identifier",
    "shorthand_property_identifier_pattern",
    "type_identifier",
];
/// The scopes of JavaScript, and after them those a dialect adds.
macro_rules! ecma_scopes {
    ($($more:literal),*) => {
        &[
            "function_declaration",
            "function_expression",
            "arrow_function",
            "method_definition",
            "generator_function_declaration",
            "generator_function",
            "statement_block",
            "for_statement",
            "for_in_statement",
            "catch_clause",
            "class_static_block",
            $($more),*
        ]
    };
}
const ECMA_SCOPES: &[&str] = ecma_scopes!();
/// TypeScript's type parameters are bound by classes, interfaces, aliases
/// and signatures too.
const TS_SCOPES: &[&str] = ecma_scopes!(
    "class_declaration",
    "abstract_class_declaration",
    "interface_declaration",
    "type_alias_declaration",
    "function_signature",
    "method_signature",
    "abstract_method_signature",
    "call_signature",
    "construct_signature"
);

const ECMA_TYPED: &[&str] = &[
    "for_in_statement",
    "arrow_function",
    "variable_declarator",
    "required_parameter",
    "optional_parameter",
];

const ECMA_BINDERS: &[(&str, &str)] = &[
    ("variable_declarator", "name"),
    ("formal_parameters", ""),
    ("arrow_function", "parameter"),
    ("for_in_statement", "left"),
    ("catch_clause", "parameter"),
];
const ECMA_LOCALS: &[&str] = &["identifier", "shorthand_property_identifier_pattern"];

pub static LANGUAGES: &[&LanguageSupport] = &[&TYPESCRIPT, &JAVASCRIPT];

static TYPESCRIPT: LanguageSupport = LanguageSupport::new(Spec {
    name: "typescript",
    grammars: &[
        Grammar {
            extensions: &["ts", "mts", "cts"],
            shared: &[],
            language: || tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            search: None,
            query: &[ECMA, TS],
            occurrences: TS_OCCURRENCES,
        },
        Grammar {
            extensions: &["tsx"],
            shared: &[],
            language: || tree_sitter_typescript::LANGUAGE_TSX.into(),
            search: None,
            query: &[ECMA, TS, include_str!("tsx.scm")],
            occurrences: TS_OCCURRENCES,
        },
    ],
    path_separators: &[".", "?."],
    hooks: &EcmaHooks,
    resolver: &resolve::EcmaResolver,
    sources: &[include_str!("mod.rs"), include_str!("repair.rs")],
    naming: Naming {
        title: "TypeScript",
        scip: "TypeScript",
        line_comment: "//",
        doc_comment: "//",
        manifests: &["tsconfig.json", "jsconfig.json"],
        metavar: '$',
    },
});

static JAVASCRIPT: LanguageSupport = LanguageSupport::new(Spec {
    name: "javascript",
    grammars: &[Grammar {
        extensions: &["js", "jsx", "mjs", "cjs"],
        shared: &[],
        language: || tree_sitter_javascript::LANGUAGE.into(),
        search: None,
        query: &[ECMA, include_str!("js.scm")],
        occurrences: Occurrences {
            leaves: &[("identifier", Role::Read)],
            paths: &[("member_expression", Role::Read, "property")],
            binders: ECMA_BINDERS,
            locals: ECMA_LOCALS,
            typed_bindings: ECMA_TYPED,
            scopes: ECMA_SCOPES,
            labels: &[],
        },
    }],
    path_separators: &[".", "?."],
    hooks: &EcmaHooks,
    resolver: &resolve::EcmaResolver,
    sources: &[include_str!("mod.rs")],
    naming: Naming {
        title: "JavaScript",
        scip: "JavaScript",
        line_comment: "//",
        doc_comment: "//",
        manifests: &["tsconfig.json", "jsconfig.json"],
        metavar: '$',
    },
});

struct EcmaHooks;

fn unquote(s: &str) -> Name {
    s.trim_matches(|c| c == '"' || c == '\'' || c == '`').into()
}

impl LanguageHooks for EcmaHooks {
    fn repair(&self, grammar: &Grammar, src: &str) -> Option<String> {
        // TypeScript's own grammar: TSX reads a line opening with `<` as a tag
        std::ptr::eq(grammar, &TYPESCRIPT.grammars[0])
            .then(|| repair::end_members_before_call_signatures(src))
            .flatten()
    }

    fn decode_import(&self, node: Node, src: &str, out: &mut Vec<Import>) {
        match node.kind() {
            "import_statement" | "export_statement" => {
                let Some(source) = node.child_by_field_name("source") else {
                    return;
                };
                let mut imp = Import {
                    module: unquote(text(source, src)),
                    names: vec![],
                    alias: None,
                    glob: false,
                    reexport: node.kind() == "export_statement",
                    span: span_of(source),
                };
                let mut has_clause = false;
                collect_clause(node, src, &mut imp, &mut has_clause);
                if imp.reexport && !has_clause {
                    imp.glob = true; // export * from '...'
                }
                out.push(imp);
            }
            "lexical_declaration" | "variable_declaration" => {
                for d in node.named_children(&mut node.walk()) {
                    let (Some(name), Some(value)) = (
                        d.child_by_field_name("name"),
                        d.child_by_field_name("value"),
                    ) else {
                        continue;
                    };
                    let Some(arg) = value
                        .child_by_field_name("arguments")
                        .and_then(|a| a.named_child(0))
                    else {
                        continue;
                    };
                    let mut imp = Import {
                        module: unquote(text(arg, src)),
                        names: vec![],
                        alias: None,
                        glob: false,
                        reexport: false,
                        span: span_of(arg),
                    };
                    if name.kind() == "identifier" {
                        imp.alias = Some(text(name, src).into());
                    } else {
                        for p in name.named_children(&mut name.walk()) {
                            match p.kind() {
                                "shorthand_property_identifier_pattern" => {
                                    imp.names.push(ImportName {
                                        name: text(p, src).into(),
                                        alias: None,
                                        span: span_of(p),
                                    })
                                }
                                "pair_pattern" => {
                                    if let (Some(k), Some(v)) = (
                                        p.child_by_field_name("key"),
                                        p.child_by_field_name("value"),
                                    ) {
                                        imp.names.push(ImportName {
                                            name: text(k, src).into(),
                                            alias: Some(text(v, src).into()),
                                            span: span_of(k),
                                        });
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                    out.push(imp);
                }
            }
            _ => {}
        }
    }

    fn is_exported<'t>(&self, def: Node<'t>, _name: &str, src: &str, fam: &Family<'t>) -> bool {
        let mut n = def;
        for _ in 0..3 {
            match fam.parent(n) {
                Some(p) if p.kind() == "export_statement" => return true,
                Some(p) if p.kind() == "program" => return false,
                Some(p) => n = p,
                None => return false,
            }
        }
        // class members: public unless marked private
        let head = text(def, src);
        !(head.starts_with("private") || head.starts_with('#'))
    }

    fn members_inherit_export(&self, container: SymbolKind) -> bool {
        matches!(
            container,
            SymbolKind::Class | SymbolKind::Interface | SymbolKind::Enum
        )
    }

    fn is_self_name(&self, name: &str) -> bool {
        name == "this"
    }

    fn declared_type<'t>(&self, def: Node<'t>) -> Option<Node<'t>> {
        match def.kind() {
            "function_declaration"
            | "method_definition"
            | "function_signature"
            | "method_signature"
            | "abstract_method_signature" => def.child_by_field_name("return_type"),
            "public_field_definition" | "property_signature" | "variable_declarator" => {
                def.child_by_field_name("type")
            }
            _ => None,
        }
    }

    fn element_binding<'t>(&self, node: Node<'t>, src: &str) -> Option<ElementBinding<'t>> {
        match node.kind() {
            // `for (const x of xs)`
            "for_in_statement" => {
                let of = node
                    .child_by_field_name("operator")
                    .is_some_and(|o| &src[o.byte_range()] == "of");
                let name = node.child_by_field_name("left")?;
                (of && name.kind() == "identifier")
                    .then_some(ElementBinding::after(name, node.child_by_field_name("right")?))
            }
            // `xs.map(x => ..)`, `xs.forEach((x) => ..)`: the first argument
            "arrow_function" => {
                let name = match node.child_by_field_name("parameter") {
                    Some(p) => p,
                    None => {
                        let first = node.child_by_field_name("parameters")?.named_child(0)?;
                        if first.child_by_field_name("type").is_some() {
                            return None;
                        }
                        first.child_by_field_name("pattern").unwrap_or(first)
                    }
                };
                if name.kind() != "identifier" {
                    return None;
                }
                let call = MethodCall {
                    arguments: "arguments",
                    callee: Some("function"),
                    member: "member_expression",
                    method: "property",
                    object: "object",
                };
                ElementBinding::of_callback(name, node, src, &call, ELEMENT_CALLBACKS)
            }
            _ => None,
        }
    }

    /// Picks among overload signatures (`function f(a): X; function f(a, b): Y;`).
    fn call_arity<'t>(&self, node: Node<'t>, fam: &Family<'t>) -> Option<u8> {
        let parent = fam.parent(node)?;
        let call = match parent.kind() {
            "call_expression" => parent,
            "member_expression" => fam.parent(parent).filter(|c| c.kind() == "call_expression")?,
            _ => return None,
        };
        let args = call.child_by_field_name("arguments")?;
        let n = args
            .named_children(&mut args.walk())
            .filter(|a| a.kind() != "comment")
            .count();
        u8::try_from(n).ok()
    }

    fn collection_type(&self, name: &str) -> bool {
        matches!(
            name,
            "Array"
                | "ReadonlyArray"
                | "Set"
                | "ReadonlySet"
                | "Iterable"
                | "IterableIterator"
                | "Iterator"
                | "AsyncIterable"
                | "Generator"
        )
    }

    fn binding<'t>(&self, node: Node<'t>, _src: &str) -> Option<LocalBinding<'t>> {
        if matches!(node.kind(), "for_in_statement" | "arrow_function") {
            return None;
        }
        let name = node
            .child_by_field_name("name")
            .or_else(|| node.child_by_field_name("pattern"))?;
        (name.kind() == "identifier").then(|| LocalBinding {
            name,
            ty: node.child_by_field_name("type"),
            value: node.child_by_field_name("value"),
        })
    }

    fn shape<'t>(&self, node: Node<'t>, _src: &str) -> Shape<'t> {
        match node.kind() {
            "identifier" => Shape::Name,
            "this" => Shape::SelfValue,
            "member_expression" => Shape::member(node, "object", "property"),
            "call_expression" => Shape::call(node, "function"),
            "new_expression" => Shape::construct(node, "constructor"),
            "subscript_expression" => match node.child_by_field_name("object") {
                Some(c) => Shape::Index(c),
                None => Shape::Other,
            },
            "await_expression" | "parenthesized_expression" | "non_null_expression" => {
                Shape::inner(node.named_child(0))
            }
            _ => Shape::Other,
        }
    }

    fn transparent_type(&self, name: &str) -> bool {
        matches!(
            name,
            "Promise" | "Readonly" | "Required" | "Partial" | "NonNullable"
        )
    }
}

/// Array methods that call their callback with each element first.
const ELEMENT_CALLBACKS: &[&str] = &[
    "map",
    "forEach",
    "filter",
    "find",
    "findIndex",
    "findLast",
    "findLastIndex",
    "some",
    "every",
    "flatMap",
];

fn collect_clause(node: Node, src: &str, imp: &mut Import, has_clause: &mut bool) {
    for c in node.named_children(&mut node.walk()) {
        match c.kind() {
            "import_clause" => {
                *has_clause = true;
                collect_clause(c, src, imp, has_clause)
            }
            "identifier" => imp.names.push(ImportName {
                name: "default".into(),
                alias: Some(text(c, src).into()),
                span: span_of(c),
            }),
            "namespace_import" | "namespace_export" => {
                *has_clause = true;
                if let Some(id) = c.named_child(0) {
                    imp.alias = Some(text(id, src).into());
                } else {
                    imp.glob = true;
                }
            }
            "named_imports" | "export_clause" => {
                *has_clause = true;
                for s in c.named_children(&mut c.walk()) {
                    let Some(name) = s.child_by_field_name("name") else {
                        continue;
                    };
                    imp.names.push(ImportName {
                        name: unquote(text(name, src)),
                        alias: s
                            .child_by_field_name("alias")
                            .map(|a| unquote(text(a, src))),
                        span: span_of(name),
                    });
                }
            }
            _ => {}
        }
    }
}
