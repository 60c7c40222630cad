//! C#: an assembly per `.csproj` directory (else the whole tree) is the
//! module; namespaces are definitions found by their qualified name.

use std::sync::Arc;

use crate::facts::Name;
use crate::inputs::SourceFile;
use crate::lang::{
    Binding, LangManifests, LangResolver, ManifestData, Scope, manifests_as, namespace_or_member,
};
use crate::resolve::{dir_of, innermost, join, manifest_dirs};

pub struct CSharpResolver;

/// How `using static A.B.C;` is written in its import's module.
pub const STATIC: &str = "static ";

/// The directories holding a `.csproj` (each an assembly's root, the
/// deepest first) and the roots each one's `<ProjectReference>`s name.
#[derive(Debug, PartialEq, Default)]
struct Assemblies {
    roots: Vec<String>,
    references: Vec<(String, Vec<String>)>,
}

impl Assemblies {
    fn read(manifests: &[(&str, &str)]) -> Self {
        let references = manifests
            .iter()
            .map(|(path, text)| {
                let root = dir_of(path).to_string();
                let refs = text
                    .split("<ProjectReference")
                    .skip(1)
                    .filter_map(|tag| {
                        let inc = &tag[tag.find("Include=\"")? + 9..];
                        let target = inc[..inc.find('"')?].replace('\\', "/");
                        Some(dir_of(&join(&root, &target)).to_string())
                    })
                    .collect();
                (root, refs)
            })
            .collect();
        Assemblies {
            roots: manifest_dirs(manifests.iter().map(|(p, _)| *p)),
            references,
        }
    }

    /// The root of the assembly holding `path` ("" for the tree's).
    fn root_of(&self, path: &str) -> &str {
        innermost(&self.roots, path).unwrap_or("")
    }
}

impl ManifestData for Assemblies {}

/// Names of the base class library most code uses without a `using` the
/// tree could answer.
const SYSTEM: &[&str] = &[
    "System", "Console", "String", "Object", "Math", "Exception", "ArgumentException",
    "ArgumentNullException", "InvalidOperationException", "NotImplementedException",
    "NotSupportedException", "Task", "List", "Dictionary", "HashSet", "IEnumerable", "IList",
    "IDictionary", "ICollection", "IDisposable", "IEquatable", "IComparable", "Action", "Func",
    "EventHandler", "EventArgs", "Guid", "DateTime", "TimeSpan", "Int32", "Int64", "Boolean",
    "Double", "StringBuilder", "Enumerable", "Nullable", "Type", "Attribute", "Array",
    "nameof", "Span", "CancellationToken", "IntPtr", "UIntPtr",
    // the keywords of the predefined types, for members of values typed by them
    "string", "object", "bool", "byte", "sbyte", "char", "short", "ushort", "int", "uint",
    "long", "ulong", "float", "double", "decimal", "nint", "nuint", "dynamic",
];

const COMMON: &[&str] = &[
    "ToString", "Equals", "GetHashCode", "GetType", "CompareTo", "Add", "Remove", "Contains",
    "ContainsKey", "Count", "Clear", "Get", "Set", "TryGetValue", "Select", "Where", "First",
    "FirstOrDefault", "Any", "All", "ToList", "ToArray", "OrderBy", "Length", "Dispose",
    "Invoke", "Format", "Join", "Split", "Trim", "Substring", "IndexOf", "StartsWith",
    "EndsWith", "Replace", "Value", "Key", "Name", "Parse", "TryParse", "WriteLine", "Write",
    "Read", "Close", "Flush", "Start", "Stop", "Run", "Wait", "Result", "Current", "MoveNext",
    "GetEnumerator", "Keys", "Values", "Message",
];

impl LangResolver for CSharpResolver {
    fn manifests(&self, manifests: &[(&str, &str)], _paths: &[&str]) -> Arc<dyn LangManifests> {
        Arc::new(Assemblies::read(manifests))
    }

    fn module_key(&self, path: &str, m: &dyn LangManifests) -> Option<Name> {
        let root = manifests_as::<Assemblies>(m).map_or("", |a| a.root_of(path));
        Some(format!("cs:{root}").into())
    }

    /// Qualified names are namespace-qualified, as C# writes them.
    fn display_module<'a>(&self, _key: &'a str) -> &'a str {
        ""
    }

    fn module_separator(&self) -> &'static str {
        "."
    }

    /// A namespace, or a type inside one (`A.B.C`, `static A.B.C`).
    fn resolve_module(&self, cx: &dyn Scope, from: SourceFile, spec: &str) -> Option<Binding> {
        let spec = spec.strip_prefix(STATIC).unwrap_or(spec);
        if let Some(b) = namespace_or_member(cx, from, spec, ".") {
            return Some(b);
        }
        // a type of the global namespace (`using static Util;`)
        if !spec.contains('.')
            && let Some(b) = cx.lookup(from, None, spec, 1)
        {
            return Some(b);
        }
        Some(Binding::External(spec.into()))
    }

    /// A namespace of the tree (`A` of `A.B.C` written out), the
    /// framework's (`System`, whose names the tree may add to), a type of
    /// the global namespace of an assembly this one references, else a
    /// name leading the tree's namespaces (`A` of `namespace A.B`).
    fn root(&self, cx: &dyn Scope, from: SourceFile, first: &str) -> Option<Binding> {
        if let Some(ns) = cx.namespace(from, first) {
            return Some(ns);
        }
        if matches!(first, "System" | "Microsoft") {
            return Some(Binding::External(first.into()));
        }
        if let Some(a) = manifests_as::<Assemblies>(cx.manifests()) {
            let own = a.root_of(cx.path(from));
            let referenced = a.references.iter().filter(|(r, _)| r == own).flat_map(|(_, to)| to);
            for root in referenced {
                if let Some(b @ Binding::Def(_)) =
                    cx.member(&Binding::Module(format!("cs:{root}").into()), first, 1)
                {
                    return Some(b);
                }
            }
        }
        cx.namespace_path(from, first)
    }

    fn builtin(&self, name: &str) -> Option<&'static str> {
        SYSTEM.contains(&name).then_some("System")
    }

    fn common_member(&self, name: &str) -> bool {
        COMMON.contains(&name)
    }

    fn module_is_scope(&self) -> bool {
        true
    }

    fn super_name(&self) -> Option<&'static str> {
        Some("base")
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
