//! Java: packages from directories under a source root, class imports,
//! on-demand (`*`) and static imports, `java.lang` always in scope.


use crate::facts::Name;
use crate::inputs::SourceFile;
use crate::lang::resolver::ElementMethod;
use crate::lang::{Binding, LangResolver, Scope};
use crate::resolve::package_under_roots;

pub struct JavaResolver;

/// Where a package's directories start: Maven and Gradle layouts, the
/// JDK's own, then a plain `src/`.
const ROOT_MARKERS: &[&str] = &[
    "src/main/java/",
    "src/test/java/",
    "src/testFixtures/java/",
    "src/integrationTest/java/",
    "share/classes/",
    "src/java/",
    "src/",
];

/// First segments of package names, for trees with no known source root.
const PACKAGE_HEADS: &[&str] = &[
    "com", "org", "net", "io", "edu", "gov", "dev", "me", "de", "fr", "uk", "nl", "ch", "jp", "cn",
    "javax", "jakarta", "jdk", "sun", "java",
];

/// The package a file is in, by its directory: the path below its source
/// root, with `/` as `.`.
pub fn package_of(path: &str) -> String {
    package_under_roots(path, ROOT_MARKERS, PACKAGE_HEADS)
}

/// `java.lang`: in scope in every file.
const JAVA_LANG: &[&str] = &[
    "Object", "String", "Class", "System", "Math", "StrictMath", "Integer", "Long", "Short",
    "Byte", "Double", "Float", "Boolean", "Character", "Number", "Void", "Enum", "Record",
    "Iterable", "Comparable", "CharSequence", "Runnable", "AutoCloseable", "Cloneable",
    "Appendable", "Readable", "StringBuilder", "StringBuffer", "Thread", "ThreadLocal",
    "ThreadGroup", "Runtime", "Process", "ProcessBuilder", "ClassLoader", "Module",
    "StackTraceElement", "Throwable", "Exception", "Error", "RuntimeException",
    "IllegalArgumentException", "IllegalStateException", "NullPointerException",
    "UnsupportedOperationException", "IndexOutOfBoundsException",
    "ArrayIndexOutOfBoundsException", "StringIndexOutOfBoundsException", "ClassCastException",
    "ArithmeticException", "NumberFormatException", "InterruptedException",
    "CloneNotSupportedException", "ClassNotFoundException", "ReflectiveOperationException",
    "SecurityException", "NegativeArraySizeException", "ArrayStoreException",
    "IllegalMonitorStateException", "NoSuchFieldException", "NoSuchMethodException",
    "InstantiationException", "IllegalAccessException", "AssertionError", "LinkageError",
    "OutOfMemoryError", "StackOverflowError", "VirtualMachineError", "InternalError",
    "ExceptionInInitializerError", "NoClassDefFoundError", "Override", "Deprecated",
    "SuppressWarnings", "FunctionalInterface", "SafeVarargs", "SecurityManager",
];

const COMMON: &[&str] = &[
    "toString", "equals", "hashCode", "getClass", "compareTo", "clone", "get", "set", "put",
    "add", "addAll", "remove", "contains", "containsKey", "size", "isEmpty", "clear", "iterator",
    "hasNext", "next", "stream", "map", "filter", "forEach", "collect", "apply", "accept", "test",
    "run", "call", "close", "length", "append", "valueOf", "of", "name", "ordinal", "values",
    "getName", "getValue", "getKey", "keySet", "entrySet", "orElse", "isPresent", "format",
    "print", "println", "write", "read", "flush", "start", "stop", "init", "build", "create",
    "list", "copy", "join", "charAt", "substring", "indexOf", "trim", "split", "startsWith",
    "endsWith", "getMessage", "printStackTrace", "toArray", "sort", "reverse", "max", "min",
];

impl LangResolver for JavaResolver {
    fn element_method(&self, name: &str) -> Option<ElementMethod> {
        match name {
            "stream" | "parallelStream" | "filter" | "sorted" | "distinct" | "limit" | "skip"
            | "subList" | "iterator" | "listIterator" | "descendingIterator" | "reversed"
            | "toList" => Some(ElementMethod::Same),
            "get" | "getFirst" | "getLast" | "first" | "last" | "next" | "previous" | "poll"
            | "pollFirst" | "pollLast" | "pop" | "element" | "removeFirst" | "removeLast"
            | "peekFirst" | "peekLast" | "findFirst" | "findAny" | "take" => {
                Some(ElementMethod::Element)
            }
            _ => None,
        }
    }

    fn module_key(&self, path: &str, _m: &dyn crate::lang::LangManifests) -> Option<Name> {
        Some(format!("java:{}", package_of(path)).into())
    }

    fn module_separator(&self) -> &'static str {
        "."
    }

    /// A package, or a class (or member) inside one: `a.b` or `a.b.C.D`.
    fn resolve_module(&self, cx: &dyn Scope, _from: SourceFile, spec: &str) -> Option<Binding> {
        let key = format!("java:{spec}");
        if !cx.module_files(&key).is_empty() {
            return Some(Binding::Module(key.into()));
        }
        let segs: Vec<&str> = spec.split('.').collect();
        for cut in (1..segs.len()).rev() {
            let package = format!("java:{}", segs[..cut].join("."));
            if cx.module_files(&package).is_empty() {
                continue;
            }
            let mut b = Binding::Module(package.into());
            for seg in &segs[cut..] {
                b = cx.member(&b, seg, 1)?;
            }
            return Some(b);
        }
        if cx.module_exists(&key) {
            return Some(Binding::Module(key.into()));
        }
        Some(Binding::External(spec.into()))
    }

    /// `java.util.List` written out: a package of the tree by its first
    /// segment; `java.lang`'s classes when the tree is the JDK itself.
    fn root(&self, cx: &dyn Scope, _from: SourceFile, first: &str) -> Option<Binding> {
        if JAVA_LANG.contains(&first) && !cx.module_files("java:java.lang").is_empty() {
            return cx.member(&Binding::Module("java:java.lang".into()), first, 1);
        }
        let key = format!("java:{first}");
        cx.module_exists(&key).then(|| Binding::Module(key.into()))
    }

    fn builtin(&self, name: &str) -> Option<&'static str> {
        JAVA_LANG.contains(&name).then_some("java.lang")
    }

    fn common_member(&self, name: &str) -> bool {
        COMMON.contains(&name)
    }

    fn module_is_scope(&self) -> bool {
        true
    }

    fn super_name(&self) -> Option<&'static str> {
        Some("super")
    }

    fn implicit_members(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::package_of;

    #[test]
    fn packages_from_source_roots() {
        assert_eq!(package_of("src/main/java/com/acme/A.java"), "com.acme");
        assert_eq!(package_of("svc/src/test/java/com/acme/t/A.java"), "com.acme.t");
        assert_eq!(package_of("java.base/share/classes/java/util/List.java"), "java.util");
        assert_eq!(package_of("lib/org/x/Y.java"), "org.x");
        assert_eq!(package_of("src/A.java"), "");
        assert_eq!(package_of("demo/A.java"), "demo");
    }
}
