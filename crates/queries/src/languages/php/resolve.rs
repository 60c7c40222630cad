//! PHP: the tree (or each `composer.json` package) is one module whose
//! files see each other's global functions and constants; namespaces are
//! definitions found by their qualified name, reopened in any file.
//! `use` imports a name from a namespace; what no namespace of the tree
//! declares is PHP's or a library's.

use std::sync::Arc;

use crate::facts::Name;
use crate::inputs::SourceFile;
use crate::lang::{
    Binding, LangManifests, LangResolver, ManifestData, NAMESPACE_PREFIX, Scope, manifests_as,
};
use crate::resolve::{innermost, manifest_dirs};

pub struct PhpResolver;

/// The global namespace as a path's first segment (`\strlen`).
pub const TOP: &str = "\\";

/// The directories holding a `composer.json`, deepest first.
#[derive(Debug, PartialEq, Default)]
struct Packages(Vec<String>);

impl ManifestData for Packages {}

/// PHP's own functions, classes and interfaces most code calls.
const CORE: &[&str] = &[
    "strlen", "count", "isset", "unset", "empty", "array_map", "array_filter", "array_keys",
    "array_values", "array_merge", "array_key_exists", "in_array", "implode", "explode",
    "sprintf", "printf", "echo", "print", "var_dump", "print_r", "json_encode", "json_decode",
    "str_replace", "substr", "strpos", "str_contains", "str_starts_with", "str_ends_with",
    "strtolower", "strtoupper", "trim", "ltrim", "rtrim", "is_array", "is_string", "is_int",
    "is_null", "is_numeric", "is_callable", "intval", "floatval", "strval", "array_push",
    "array_pop", "array_shift", "array_slice", "array_search", "array_unique", "sort", "usort",
    "ksort", "min", "max", "abs", "round", "floor", "ceil", "time", "date", "microtime",
    "file_get_contents", "file_put_contents", "file_exists", "is_file", "is_dir", "dirname",
    "basename", "define", "defined", "constant", "function_exists", "class_exists",
    "method_exists", "property_exists", "get_class", "sprintf", "preg_match", "preg_replace",
    "preg_split", "array_reduce", "array_combine", "array_fill", "range", "compact", "extract",
    "call_user_func", "call_user_func_array", "func_get_args", "iterator_to_array", "spl_autoload_register",
    "Exception", "RuntimeException", "LogicException", "InvalidArgumentException",
    "DomainException", "LengthException", "OutOfRangeException", "OutOfBoundsException",
    "UnexpectedValueException", "TypeError", "ValueError", "Error", "Throwable", "ArrayObject",
    "ArrayIterator", "ArrayAccess", "Countable", "IteratorAggregate", "Iterator", "Traversable",
    "JsonSerializable", "Stringable", "Closure", "Generator", "DateTime", "DateTimeImmutable",
    "DateTimeInterface", "DateInterval", "SplObjectStorage", "stdClass", "PDO", "Attribute",
    "self", "static", "parent", "true", "false", "null", "PHP_EOL", "PHP_VERSION", "E_ALL",
];

const COMMON: &[&str] = &[
    "get", "set", "has", "add", "remove", "count", "toArray", "getIterator", "offsetGet",
    "offsetSet", "offsetExists", "offsetUnset", "jsonSerialize", "__toString", "current", "key",
    "next", "rewind", "valid", "format", "getMessage", "getCode", "getPrevious", "getName",
    "getValue", "setValue", "__construct", "__get", "__set", "__call", "__invoke", "all",
    "first", "last", "map", "filter", "each", "find", "save", "delete", "update", "create",
];

impl LangResolver for PhpResolver {
    fn manifests(&self, manifests: &[(&str, &str)], _paths: &[&str]) -> Arc<dyn LangManifests> {
        Arc::new(Packages(manifest_dirs(manifests.iter().map(|(p, _)| *p))))
    }

    fn module_key(&self, path: &str, m: &dyn LangManifests) -> Option<Name> {
        let root = manifests_as::<Packages>(m)
            .and_then(|p| innermost(&p.0, path))
            .unwrap_or("");
        Some(format!("php:{root}").into())
    }

    /// Qualified names are namespace-qualified, as PHP writes them.
    fn display_module<'a>(&self, _key: &'a str) -> &'a str {
        ""
    }

    fn module_separator(&self) -> &'static str {
        "\\"
    }

    /// A namespace (`A\B` of `use A\B\C;`), the global one (`use C;`).
    fn resolve_module(&self, cx: &dyn Scope, from: SourceFile, spec: &str) -> Option<Binding> {
        if spec.is_empty() {
            return Some(Binding::Module(NAMESPACE_PREFIX.into()));
        }
        if let Some(ns) = cx.namespace_path(from, spec) {
            return Some(ns);
        }
        Some(Binding::External(spec.into()))
    }

    /// `\X`: the global namespace; `A` of `A\B`: a namespace of the tree;
    /// else a function or constant the tree does not define, which PHP
    /// finds in the global namespace: its own or an extension's (a class
    /// has no such fallback).
    fn root(&self, cx: &dyn Scope, from: SourceFile, first: &str) -> Option<Binding> {
        if first == TOP {
            return Some(Binding::Module(NAMESPACE_PREFIX.into()));
        }
        if let Some(ns) = cx.namespace_path(from, first) {
            return Some(ns);
        }
        let function = first.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
        let constant = first.len() > 1
            && first.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        (function || constant).then(|| Binding::External("php".into()))
    }

    fn builtin(&self, name: &str) -> Option<&'static str> {
        CORE.contains(&name).then_some("php")
    }

    fn common_member(&self, name: &str) -> bool {
        COMMON.contains(&name)
    }

    fn module_is_scope(&self) -> bool {
        true
    }

    fn super_name(&self) -> Option<&'static str> {
        Some("parent")
    }
}
