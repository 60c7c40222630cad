//! Swift: a module per target of `Package.swift` (`Sources/<Module>/` and
//! `Tests/<Module>/`), else one for the tree; its files see each other's
//! top-level declarations; `import M` opens a module of the tree, else
//! the SDK's or a dependency's (external).

use std::sync::Arc;

use crate::facts::Name;
use crate::inputs::SourceFile;
use crate::lang::{Binding, LangManifests, LangResolver, ManifestData, Scope, manifests_as};
use crate::resolve::{manifest_dirs, under};

pub struct SwiftResolver;

/// The directories holding a `Package.swift`, deepest first.
#[derive(Debug, PartialEq, Default)]
struct Packages(Vec<String>);

impl ManifestData for Packages {}

/// The standard library's types and functions most code names.
const STDLIB: &[&str] = &[
    "print", "debugPrint", "fatalError", "precondition", "preconditionFailure", "assert",
    "assertionFailure", "min", "max", "abs", "zip", "stride", "type", "String", "Int", "Int8",
    "Int16", "Int32", "Int64", "UInt", "UInt8", "UInt16", "UInt32", "UInt64", "Double",
    "Float", "Bool", "Character", "Array", "Dictionary", "Set", "Optional", "Result", "Error",
    "Never", "Void", "Any", "AnyObject", "Equatable", "Hashable", "Comparable", "Codable",
    "Encodable", "Decodable", "Identifiable", "CustomStringConvertible", "Sequence",
    "Collection", "IteratorProtocol", "Range", "ClosedRange", "Substring", "Data", "Date",
    "URL", "UUID", "NSObject", "DispatchQueue", "Task", "MainActor", "Sendable", "true",
    "false", "nil", "Self",
];

const COMMON: &[&str] = &[
    "count", "isEmpty", "first", "last", "append", "insert", "remove", "removeAll", "contains",
    "map", "flatMap", "compactMap", "filter", "reduce", "forEach", "sorted", "sort", "reversed",
    "joined", "split", "description", "debugDescription", "hash", "hashValue", "init", "get",
    "set", "value", "name", "id", "index", "keys", "values", "lowercased", "uppercased",
    "hasPrefix", "hasSuffix", "components", "replacingOccurrences", "trimmingCharacters",
    "encode", "decode", "write", "read", "close", "start", "stop", "run", "async", "sync",
];

impl LangResolver for SwiftResolver {
    fn manifests(&self, manifests: &[(&str, &str)], _paths: &[&str]) -> Arc<dyn LangManifests> {
        Arc::new(Packages(manifest_dirs(manifests.iter().map(|(p, _)| *p))))
    }

    /// `swift:<Module>` for `Sources/<Module>/...` and `Tests/<Module>/...`
    /// of a package, else `swift:` (the tree is one module).
    fn module_key(&self, path: &str, m: &dyn LangManifests) -> Option<Name> {
        let packages = manifests_as::<Packages>(m).map_or(&[][..], |p| &p.0[..]);
        for rest in packages.iter().filter_map(|root| under(path, root)) {
            let mut parts = rest.split('/');
            if let (Some("Sources" | "Tests"), Some(module), Some(_)) =
                (parts.next(), parts.next(), parts.next())
            {
                return Some(format!("swift:{module}").into());
            }
        }
        Some(Name::new_static("swift:"))
    }

    /// Qualified names are the types' nesting, as Swift writes them.
    fn display_module<'a>(&self, _key: &'a str) -> &'a str {
        ""
    }

    fn module_separator(&self) -> &'static str {
        "."
    }

    fn resolve_module(&self, cx: &dyn Scope, _from: SourceFile, spec: &str) -> Option<Binding> {
        let key = format!("swift:{spec}");
        if !cx.module_files(&key).is_empty() {
            return Some(Binding::Module(key.into()));
        }
        Some(Binding::External(spec.into()))
    }

    /// `ShopCore.Item` written out: a module of the tree.
    fn root(&self, cx: &dyn Scope, _from: SourceFile, first: &str) -> Option<Binding> {
        let key = format!("swift:{first}");
        (!cx.module_files(&key).is_empty()).then(|| Binding::Module(key.into()))
    }

    fn builtin(&self, name: &str) -> Option<&'static str> {
        STDLIB.contains(&name).then_some("Swift")
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

    fn reopened_types(&self) -> bool {
        true
    }

    fn extension_members(&self) -> bool {
        true
    }
}
