//! C and C++ (`cpp.rs`), one folder as C++'s grammar extends C's. C: a
//! file is a module; `#include` makes the included file's names (and those
//! of everything it includes) visible. Prototypes in headers are
//! definitions too, so a call binds to the declaration it sees, as a C
//! compiler does; `static` names are file-local. A `.h` file is C, or C++
//! in a tree of mostly C++ sources.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use tree_sitter::Node;
use weft_db::{Role, SymbolKind};

use crate::facts::Import;
use crate::lang::{
    Family, Grammar, LanguageHooks, LanguageSupport, LocalBinding, Naming, Occurrences, Shape,
    Spec,
};
use crate::syntax::{span_of, text};

mod branches;
mod cpp;
mod resolve;

pub static LANGUAGES: &[&LanguageSupport] = &[&C, &cpp::CPP];

static C: LanguageSupport = LanguageSupport::new(Spec {
    name: "c",
    grammars: &[Grammar {
        extensions: &["c", "h"],
        shared: &[],
        language: || tree_sitter_c::LANGUAGE.into(),
        search: None,
        query: &[include_str!("c.scm")],
        occurrences: OCCURRENCES,
    }],
    path_separators: &[".", "->"],
    hooks: &CHooks,
    resolver: &resolve::CResolver,
    sources: &[include_str!("mod.rs"), include_str!("branches.rs"), include_str!("resolve.rs"), include_str!("cpp.rs")],
    naming: Naming {
        title: "C",
        scip: "C",
        line_comment: "//",
        doc_comment: "//",
        manifests: &["compile_commands.json"],
        metavar: '\u{10000}',
    },
});

/// Shared with C++, whose grammar extends C's.
const OCCURRENCES: Occurrences = Occurrences {
    leaves: &[("identifier", Role::Read), ("type_identifier", Role::Type)],
    paths: &[("field_expression", Role::Read, "field")],
    binders: &[
        ("declaration", "declarator"),
        ("parameter_declaration", "declarator"),
        ("init_declarator", "declarator"),
        ("pointer_declarator", "declarator"),
        ("array_declarator", "declarator"),
        ("reference_declarator", ""),
        ("for_range_loop", "declarator"),
        ("lambda_capture_specifier", ""),
    ],
    locals: &["identifier"],
    typed_bindings: &["declaration", "parameter_declaration", "for_range_loop"],
    scopes: &["function_definition", "compound_statement", "for_statement", "lambda_expression", "for_range_loop", "catch_clause"],
    labels: &[],
};

struct CHooks;

impl LanguageHooks for CHooks {
    fn decode_import(&self, node: Node, src: &str, out: &mut Vec<Import>) {
        decode_include(node, src, out)
    }

    fn is_exported<'t>(&self, def: Node<'t>, _name: &str, src: &str, _fam: &Family<'t>) -> bool {
        !is_static(def, src)
    }

    fn encloses(&self, container: SymbolKind, member: SymbolKind) -> bool {
        encloses(container, member)
    }

    fn accept_def(&self, def: Node, src: &str) -> bool {
        accept_def(def, src)
    }

    fn branch_conditions<'t>(&self, def: Node<'t>, src: &str, fam: &Family<'t>) -> Vec<(String, bool)> {
        branches::branch_conditions(def, src, fam)
    }

    fn prepare<'s>(&self, src: &'s str) -> Cow<'s, str> {
        blank_export_macros(src)
    }

    fn declared_type<'t>(&self, def: Node<'t>) -> Option<Node<'t>> {
        declared_type(def)
    }

    fn binding<'t>(&self, node: Node<'t>, _src: &str) -> Option<LocalBinding<'t>> {
        binding(node)
    }

    fn shape<'t>(&self, node: Node<'t>, _src: &str) -> Shape<'t> {
        shape(node).unwrap_or(Shape::Other)
    }
}

/// `#include "a.h"` and `#include <a.h>`: every name of the included file
/// (and of what it includes) becomes visible, as a glob import would. The
/// angle brackets are kept, to search only the include paths.
fn decode_include(node: Node, src: &str, out: &mut Vec<Import>) {
    let Some(path) = node.child_by_field_name("path") else {
        return;
    };
    let spec = text(path, src).trim();
    let module = match path.kind() {
        "system_lib_string" => spec,
        _ => spec.trim_matches('"'),
    };
    if module.is_empty() {
        return;
    }
    out.push(Import {
        module: module.into(),
        names: vec![],
        alias: None,
        glob: true,
        reexport: true,
        span: span_of(path),
    });
}

/// An enum's constants are names of the scope around the enum (and around
/// a typedef of it), not its members; so is a struct tag declared in a
/// typedef (`typedef struct s {..} t;` declares `s` and `t`), and so is
/// every macro.
fn encloses(container: SymbolKind, member: SymbolKind) -> bool {
    if member == SymbolKind::Macro {
        // the preprocessor knows no scopes: a macro in a namespace is global
        return false;
    }
    match container {
        SymbolKind::Enum => member != SymbolKind::Constant,
        SymbolKind::TypeAlias => !(member == SymbolKind::Constant || member.is_type()),
        _ => true,
    }
}

/// An all-capitals macro before a declaration's type (`API int f(void);`,
/// `static INLINE T f(`, `API extern const T x[4];`), between `class`
/// and the class's name (`class API Name {`), or between a pointer's `*`
/// and its name (`uint8_t* RESTRICT data`): an export, inline or
/// qualifier marker the grammar would read as a type or a name. All go
/// unread (and count as uses of the macro).
static EXPORT_MACRO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?m)^[ \t]*(?:(?:static|extern|inline)\s+)*\b([A-Z][A-Z0-9_]{2,})[ \t]+",
        r"(?:(?:static|extern|inline|const|volatile|unsigned|signed|struct|enum|union)\s+)*",
        r"[A-Za-z_]\w*(?:<[^;{}()\n]*>)?[\s*&]+[A-Za-z_][\w:~]*\s*[(\[;=]",
        r"|\b(?:class|struct|union)\s+([A-Z][A-Z0-9_]{2,})\s+[A-Za-z_]\w*\s*(?:final\s*)?[:{]",
        r"|[\w)\]][ \t]*\*+[ \t]*(?:const[ \t]+)?([A-Z][A-Z0-9_]{2,})[ \t]+(?:const[ \t]+)?[A-Za-z_]\w*\b",
    ))
    .expect("a valid pattern")
});

fn blank_export_macros(src: &str) -> Cow<'_, str> {
    let mut spans = Vec::new();
    for c in EXPORT_MACRO.captures_iter(src) {
        if let Some(m) = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3)) {
            spans.push(m.range());
        }
    }
    if spans.is_empty() {
        return Cow::Borrowed(src);
    }
    let mut bytes = src.as_bytes().to_vec();
    for r in spans {
        bytes[r].fill(b' ');
    }
    // only ASCII letters were replaced by spaces: still UTF-8
    Cow::Owned(String::from_utf8(bytes).expect("ASCII replaced by ASCII"))
}

/// A macro before a declaration's type (`API int f(void);`, a common
/// export marker) makes tree-sitter read `API int` as the whole
/// declaration, with its `;` missing, and the rest as a statement: that
/// declaration defines nothing. (The query recovers the function from the
/// statement.)
fn accept_def(def: Node, src: &str) -> bool {
    let misread_declaration =
        def.kind() == "declaration" && def.has_error() && !text(def, src).trim_end().ends_with(';');
    !misread_declaration && !is_macro_with_body(def, src)
}

/// `TEST_F(Suite, Name) { .. }`: a macro call with a body after it, read
/// by the grammar as a function without a return type. No function has
/// no return type (but C's implicit `int`, written in lower case): the
/// name is the macro's, called (`c.scm` makes it a reference).
fn is_macro_with_body(def: Node, src: &str) -> bool {
    def.kind() == "function_definition"
        && def.child_by_field_name("type").is_none()
        && def
            .child_by_field_name("declarator")
            .filter(|d| d.kind() == "function_declarator")
            .and_then(|d| d.child_by_field_name("declarator"))
            .is_some_and(|n| n.kind() == "identifier" && is_macro_name(text(n, src)))
}

/// Written like a macro: upper case, digits and underscores.
fn is_macro_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn is_static(def: Node, src: &str) -> bool {
    def.named_children(&mut def.walk())
        .any(|c| c.kind() == "storage_class_specifier" && text(c, src) == "static")
}

/// The name a declarator declares: `x` in `*x`, `x[4]`, `x = 1`, `(*x)`.
fn declared_name(mut d: Node) -> Option<Node> {
    for _ in 0..16 {
        match d.kind() {
            "identifier" | "field_identifier" | "type_identifier" => return Some(d),
            "parenthesized_declarator" | "reference_declarator" => d = d.named_child(0)?,
            _ => d = d.child_by_field_name("declarator")?,
        }
    }
    None
}

/// The type a declaration names, as a node whose text is a type path:
/// `point` in `struct point *`, `ns::T` in `const ns::T&`.
fn type_name(ty: Node) -> Option<Node> {
    match ty.kind() {
        "type_identifier" | "qualified_identifier" | "template_type" => Some(ty),
        "struct_specifier" | "union_specifier" | "enum_specifier" | "class_specifier" => {
            ty.child_by_field_name("name")
        }
        "type_descriptor" => type_name(ty.child_by_field_name("type")?),
        _ => None,
    }
}

/// A pointer or plain declarator of a value of the declared type (not a
/// function or an array).
fn of_declared_type(d: Node) -> bool {
    match d.kind() {
        "identifier" | "field_identifier" => true,
        "pointer_declarator" | "init_declarator" | "reference_declarator" => {
            d.child_by_field_name("declarator")
                .or_else(|| d.named_child(0))
                .is_some_and(of_declared_type)
        }
        _ => false,
    }
}

/// A declarator of a function (a prototype or a method declaration,
/// returning a value or a pointer or reference to one).
fn of_function(d: Node) -> bool {
    match d.kind() {
        "function_declarator" => d
            .child_by_field_name("declarator")
            .is_some_and(|n| n.kind() != "parenthesized_declarator"),
        "pointer_declarator" | "reference_declarator" => d
            .child_by_field_name("declarator")
            .or_else(|| d.named_child(0))
            .is_some_and(of_function),
        _ => false,
    }
}

/// A variable's or field's type, a function's return type, what a typedef
/// or an object-like macro names.
fn declared_type(def: Node) -> Option<Node> {
    if def.kind() == "preproc_def" {
        // `#define Alias Type`: an alias when its body is one name
        return def.child_by_field_name("value");
    }
    let ty = def.child_by_field_name("type")?;
    let declarator = def.child_by_field_name("declarator");
    let typed = match def.kind() {
        "function_definition" | "type_definition" => true,
        "declaration" | "field_declaration" => {
            declarator.is_some_and(|d| of_declared_type(d) || of_function(d))
        }
        _ => false,
    };
    if typed { type_name(ty) } else { None }
}

/// `T x = v;`, `T *x;`, a parameter `T *x`, C++'s `for (T x : xs)`.
fn binding(node: Node) -> Option<LocalBinding> {
    let declarator = node.child_by_field_name("declarator")?;
    if !of_declared_type(declarator) {
        return None;
    }
    let name = declared_name(declarator)?;
    let ty = node.child_by_field_name("type");
    let value = match declarator.kind() {
        "init_declarator" => declarator.child_by_field_name("value"),
        _ => None,
    };
    let named = ty.and_then(type_name).filter(|t| t.kind() != "placeholder_type_specifier");
    Some(LocalBinding {
        name,
        ty: named,
        value: if named.is_some() { None } else { value },
    })
}

fn shape(node: Node) -> Option<Shape> {
    Some(match node.kind() {
        "identifier" => Shape::Name,
        "field_expression" => Shape::member(node, "argument", "field"),
        "call_expression" => Shape::call(node, "function"),
        "parenthesized_expression" => Shape::inner(node.named_child(0)),
        "pointer_expression" => Shape::inner(node.child_by_field_name("argument")),
        "cast_expression" => Shape::Construct {
            ty: type_name(node.child_by_field_name("type")?)?,
        },
        _ => return None,
    })
}
