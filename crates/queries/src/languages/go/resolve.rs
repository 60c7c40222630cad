//! Go: a package is a directory; import paths map to directories through
//! `go.mod` (a `module std` go.mod maps paths directly, as in GOROOT/src).

use std::sync::Arc;

use crate::lang::{Binding, LangManifests, LangResolver, ManifestData, Scope, manifests_as};
use crate::resolve::{depth_first, dir_of, under};
use crate::inputs::SourceFile;
use crate::facts::{InterfaceImport, Name};

pub struct GoResolver;

/// Go modules: (directory, module path from `go.mod`), deepest first.
#[derive(Debug, PartialEq)]
struct Modules(Vec<(String, String)>);

impl ManifestData for Modules {}

const BUILTINS: &[&str] = &[
    "append",
    "cap",
    "clear",
    "close",
    "complex",
    "copy",
    "delete",
    "imag",
    "len",
    "make",
    "max",
    "min",
    "new",
    "panic",
    "print",
    "println",
    "real",
    "recover",
    "bool",
    "byte",
    "complex64",
    "complex128",
    "error",
    "float32",
    "float64",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "rune",
    "string",
    "uint",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "uintptr",
    "any",
    "comparable",
    "true",
    "false",
    "iota",
    "nil",
];

const COMMON: &[&str] = &[
    "Error", "String", "Close", "Read", "Write", "Len", "Lock", "Unlock", "Done", "Err", "Value",
    "Get", "Set", "Add", "Del", "Run", "Start", "Stop", "Next", "Reset", "Flush", "Bytes", "Name",
];

impl LangResolver for GoResolver {
    fn manifests(&self, manifests: &[(&str, &str)], _paths: &[&str]) -> Arc<dyn LangManifests> {
        let mut modules: Vec<(String, String)> = manifests
            .iter()
            .filter_map(|(path, text)| {
                let module = text.lines().find_map(|l| l.trim().strip_prefix("module "))?;
                Some((dir_of(path).to_string(), module.trim().trim_matches('"').to_string()))
            })
            .collect();
        depth_first(&mut modules, |(d, _)| d);
        Arc::new(Modules(modules))
    }

    fn module_key(&self, path: &str, m: &dyn LangManifests) -> Option<Name> {
        let dir = dir_of(path);
        let modules = manifests_as::<Modules>(m).map_or(&[][..], |m| &m.0);
        for (mdir, module) in modules {
            if let Some(rel) = under(dir, mdir).or_else(|| (dir == mdir).then_some("")) {
                let ip = match (module.as_str(), rel) {
                    ("std", r) => r.to_string(),
                    (m, "") => m.to_string(),
                    (m, r) => format!("{m}/{r}"),
                };
                return Some(format!("go:{ip}").into());
            }
        }
        Some(format!("go:{dir}").into())
    }

    fn resolve_module(&self, cx: &dyn Scope, _from: SourceFile, spec: &str) -> Option<Binding> {
        let key = format!("go:{spec}");
        if !cx.module_files(&key).is_empty() {
            return Some(Binding::Module(key.into()));
        }
        Some(Binding::External(spec.into()))
    }

    fn module_import_binding(&self, imp: &InterfaceImport) -> Option<(Name, Name)> {
        let local = match &imp.alias {
            Some(a) if a == "_" || a == "." => return None,
            Some(a) => a.clone(),
            None => {
                let last = imp.module.rsplit('/').next().unwrap_or(&imp.module);
                // `gopkg.in/yaml.v3` and `foo/v2` name their package by the element before the version.
                let last = last.split('.').next().unwrap_or(last);
                Name::from(last.trim_start_matches("go-"))
            }
        };
        Some((local, imp.module.clone()))
    }

    fn builtin(&self, name: &str) -> Option<&'static str> {
        BUILTINS.contains(&name).then_some("builtin")
    }

    fn common_member(&self, name: &str) -> bool {
        COMMON.contains(&name)
    }

    fn module_is_scope(&self) -> bool {
        true
    }
}
