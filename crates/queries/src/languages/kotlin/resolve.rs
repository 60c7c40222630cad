//! Kotlin: packages are namespaces (definitions found by their qualified
//! name, one block per file); an import names a class, a top-level
//! declaration or a whole package; what no package of the tree declares
//! (`kotlin.*`, the JVM's, libraries) is external.

use crate::facts::Name;
use crate::inputs::SourceFile;
use crate::lang::{Binding, LangManifests, LangResolver, Scope, namespace_or_member};

pub struct KotlinResolver;

/// What every Kotlin file sees: the standard library's functions and
/// types, and the JVM's core classes.
const STDLIB: &[&str] = &[
    "println", "print", "listOf", "mutableListOf", "arrayListOf", "setOf", "mutableSetOf",
    "mapOf", "mutableMapOf", "hashMapOf", "arrayOf", "emptyList", "emptyMap", "emptySet",
    "sequenceOf", "lazy", "require", "requireNotNull", "check", "checkNotNull", "error", "TODO",
    "repeat", "run", "let", "also", "apply", "with", "takeIf", "takeUnless", "maxOf", "minOf",
    "buildList", "buildString", "buildMap", "Pair", "Triple", "to", "String", "Int", "Long",
    "Short", "Byte", "Double", "Float", "Boolean", "Char", "Unit", "Any", "Nothing", "Array",
    "IntArray", "List", "MutableList", "Set", "MutableSet", "Map", "MutableMap", "Collection",
    "Iterable", "Sequence", "Comparable", "Comparator", "Exception", "RuntimeException",
    "IllegalArgumentException", "IllegalStateException", "NullPointerException",
    "IndexOutOfBoundsException", "UnsupportedOperationException", "Throwable", "Error",
    "StringBuilder", "Regex", "Result", "Lazy", "Suppress", "JvmStatic", "JvmField",
    "JvmOverloads", "JvmName", "Deprecated", "Throws", "Volatile", "Synchronized", "Override",
    "System", "Math", "Thread", "Object", "Enum", "Annotation", "Function", "KClass", "assert",
    "synchronized", "arrayOfNulls", "enumValues", "enumValueOf", "suspend", "null", "true",
    "false",
];

const COMMON: &[&str] = &[
    "toString", "equals", "hashCode", "compareTo", "copy", "get", "set", "add", "addAll",
    "remove", "contains", "containsKey", "size", "isEmpty", "isNotEmpty", "clear", "iterator",
    "map", "filter", "forEach", "first", "last", "firstOrNull", "lastOrNull", "find", "any",
    "all", "none", "count", "sum", "sumOf", "joinToString", "toList", "toMutableList", "toSet",
    "toMap", "sorted", "sortedBy", "groupBy", "associate", "associateBy", "flatMap", "mapNotNull",
    "filterNotNull", "let", "also", "apply", "run", "use", "invoke", "length", "substring",
    "split", "trim", "startsWith", "endsWith", "format", "plus", "minus", "keys", "values",
    "entries", "getOrNull", "getOrElse", "getOrPut", "name", "ordinal", "value", "key", "close",
    "start", "stop", "build", "create", "of", "from", "parse", "write", "read", "append",
    "second", "next", "hasNext", "join", "await", "cancel", "send", "receive", "offer",
    "poll", "resume", "resumeWith", "context", "message", "cause", "isActive", "isCancelled",
    "isCompleted", "lock", "unlock", "compareAndSet", "getAndSet", "incrementAndGet",
];

impl LangResolver for KotlinResolver {
    /// One module: packages, not files or directories, scope names.
    fn module_key(&self, _path: &str, _m: &dyn LangManifests) -> Option<Name> {
        Some(Name::new_static("kt:"))
    }

    /// Qualified names are package-qualified, as Kotlin writes them.
    fn display_module<'a>(&self, _key: &'a str) -> &'a str {
        ""
    }

    fn module_separator(&self) -> &'static str {
        "."
    }

    /// A package (`a.b` of `import a.b.*`), or a declaration inside one.
    fn resolve_module(&self, cx: &dyn Scope, from: SourceFile, spec: &str) -> Option<Binding> {
        Some(namespace_or_member(cx, from, spec, ".").unwrap_or_else(|| Binding::External(spec.into())))
    }

    /// `com.acme.Item` written out: a package of the tree by its first
    /// segment.
    fn root(&self, cx: &dyn Scope, from: SourceFile, first: &str) -> Option<Binding> {
        cx.namespace_path(from, first)
    }

    fn builtin(&self, name: &str) -> Option<&'static str> {
        STDLIB.contains(&name).then_some("kotlin")
    }

    fn common_member(&self, name: &str) -> bool {
        COMMON.contains(&name)
    }

    fn super_name(&self) -> Option<&'static str> {
        Some("super")
    }

    fn implicit_members(&self) -> bool {
        true
    }

    fn extension_members(&self) -> bool {
        true
    }
}
