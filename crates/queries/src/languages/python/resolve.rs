//! Python: module names from packages (`__init__.py`), absolute and relative
//! imports, imported names as module attributes.

use std::sync::Arc;

use rustc_hash::FxHashSet;

use crate::lang::resolver::ElementMethod;
use crate::lang::{Binding, LangManifests, LangResolver, ManifestData, Scope, manifests_as};
use crate::resolve::dir_of;
use crate::inputs::SourceFile;
use crate::facts::{InterfaceImport, Name};

pub struct PythonResolver;

/// Directories holding an `__init__.py`: the packages.
#[derive(Debug, PartialEq)]
struct Packages(FxHashSet<String>);

impl ManifestData for Packages {}

fn is_init(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "__init__.py" || name == "__init__.pyi"
}

const BUILTINS: &[&str] = &[
    "print",
    "len",
    "range",
    "str",
    "int",
    "float",
    "bool",
    "list",
    "dict",
    "set",
    "tuple",
    "object",
    "type",
    "isinstance",
    "issubclass",
    "super",
    "open",
    "enumerate",
    "zip",
    "map",
    "filter",
    "sorted",
    "reversed",
    "min",
    "max",
    "sum",
    "any",
    "all",
    "abs",
    "round",
    "repr",
    "hash",
    "id",
    "iter",
    "next",
    "getattr",
    "setattr",
    "hasattr",
    "delattr",
    "callable",
    "vars",
    "dir",
    "format",
    "input",
    "bytes",
    "bytearray",
    "memoryview",
    "frozenset",
    "property",
    "staticmethod",
    "classmethod",
    "Exception",
    "BaseException",
    "ValueError",
    "TypeError",
    "KeyError",
    "IndexError",
    "AttributeError",
    "RuntimeError",
    "NotImplementedError",
    "StopIteration",
    "ImportError",
    "OSError",
    "IOError",
    "AssertionError",
    "ZeroDivisionError",
    "NotImplemented",
    "Ellipsis",
    "None",
    "True",
    "False",
    "__name__",
    "__file__",
    "__doc__",
    "slice",
    "divmod",
    "pow",
    "chr",
    "ord",
    "hex",
    "oct",
    "bin",
    "globals",
    "locals",
    "exec",
    "eval",
    "compile",
    "complex",
    "UnicodeDecodeError",
    "FileNotFoundError",
    "LookupError",
    "ArithmeticError",
    "PermissionError",
    "TimeoutError",
    "Warning",
    "DeprecationWarning",
    "UserWarning",
    "StopAsyncIteration",
    "GeneratorExit",
    "KeyboardInterrupt",
    "SystemExit",
];

const COMMON: &[&str] = &[
    "append",
    "extend",
    "get",
    "items",
    "keys",
    "values",
    "pop",
    "update",
    "join",
    "split",
    "strip",
    "format",
    "replace",
    "startswith",
    "endswith",
    "lower",
    "upper",
    "encode",
    "decode",
    "read",
    "write",
    "close",
    "copy",
    "add",
    "remove",
    "insert",
    "sort",
    "index",
    "count",
    "setdefault",
    "__init__",
    "__str__",
    "__repr__",
    "__eq__",
    "__hash__",
    "__call__",
    "__enter__",
    "__exit__",
    "run",
    "start",
    "stop",
    "send",
    "open",
    "clear",
    "find",
    "match",
    "search",
    "group",
    "info",
    "debug",
    "warning",
    "error",
    "exception",
    "name",
    "value",
    "data",
    "result",
    "items",
];

impl PythonResolver {
    fn package_of(cx: &dyn Scope, from: SourceFile) -> Option<String> {
        let key = cx.module_of(from)?;
        let body = &key[3..];
        if is_init(cx.path(from)) {
            Some(body.to_string())
        } else {
            Some(
                body.rsplit_once('.')
                    .map(|(p, _)| p.to_string())
                    .unwrap_or_default(),
            )
        }
    }
}

impl LangResolver for PythonResolver {
    fn element_method(&self, name: &str) -> Option<ElementMethod> {
        match name {
            "copy" => Some(ElementMethod::Same),
            "pop" | "popleft" => Some(ElementMethod::Element),
            _ => None,
        }
    }

    fn manifests(&self, _manifests: &[(&str, &str)], paths: &[&str]) -> Arc<dyn LangManifests> {
        let packages = paths
            .iter()
            .filter(|p| is_init(p))
            .map(|p| dir_of(p).to_string())
            .collect();
        Arc::new(Packages(packages))
    }

    fn module_key(&self, path: &str, m: &dyn LangManifests) -> Option<Name> {
        let packages = manifests_as::<Packages>(m);
        let is_package = |dir: &str| packages.is_some_and(|p| p.0.contains(dir));
        let stem = path
            .strip_suffix(".py")
            .or_else(|| path.strip_suffix(".pyi"))?;
        let mut dir = dir_of(path);
        let file = stem.rsplit('/').next().unwrap_or(stem);
        let mut segs: Vec<&str> = if file == "__init__" {
            vec![]
        } else {
            vec![file]
        };
        while is_package(dir) {
            let name = dir.rsplit('/').next().unwrap_or(dir);
            if name.is_empty() {
                break;
            }
            segs.push(name);
            dir = dir_of(dir);
        }
        segs.reverse();
        if segs.is_empty() {
            return None;
        }
        Some(format!("py:{}", segs.join(".")).into())
    }

    fn resolve_module(&self, cx: &dyn Scope, from: SourceFile, spec: &str) -> Option<Binding> {
        let dots = spec.chars().take_while(|&c| c == '.').count();
        let rest = &spec[dots..];
        let full = if dots > 0 {
            let mut pkg = Self::package_of(cx, from)?;
            for _ in 1..dots {
                pkg = pkg
                    .rsplit_once('.')
                    .map(|(p, _)| p.to_string())
                    .unwrap_or_default();
            }
            match (pkg.is_empty(), rest.is_empty()) {
                (true, _) => rest.to_string(),
                (false, true) => pkg,
                (false, false) => format!("{pkg}.{rest}"),
            }
        } else {
            rest.to_string()
        };
        let key = format!("py:{full}");
        if cx.module_exists(&key) {
            return Some(Binding::Module(key.into()));
        }
        if dots > 0 {
            return None;
        }
        Some(Binding::External(
            full.split('.').next().unwrap_or(&full).into(),
        ))
    }

    fn module_import_binding(&self, imp: &InterfaceImport) -> Option<(Name, Name)> {
        match &imp.alias {
            Some(a) => Some((a.clone(), imp.module.clone())),
            None => {
                let first: Name = imp.module.split('.').next().unwrap_or(&imp.module).into();
                Some((first.clone(), first))
            }
        }
    }

    fn builtin(&self, name: &str) -> Option<&'static str> {
        BUILTINS.contains(&name).then_some("builtins")
    }

    fn common_member(&self, name: &str) -> bool {
        COMMON.contains(&name)
    }

    fn module_separator(&self) -> &'static str {
        "."
    }

    fn imports_are_attributes(&self) -> bool {
        true
    }
}
