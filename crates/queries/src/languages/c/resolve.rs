//! C and C++: a file is a module keyed by its path;
//! `#include "x.h"` is looked up beside the including file, then on the
//! include paths: those of compile_commands.json when the tree has one,
//! else the tree's root and its `include/` directories.

use std::sync::Arc;

use rustc_hash::FxHashSet;

use crate::facts::Name;
use crate::inputs::SourceFile;
use crate::lang::{Binding, LangManifests, LangResolver, ManifestData, Scope, manifests_as};
use crate::resolve::{dir_of, join};

pub struct CResolver;

/// Directories `#include` searches, relative to the tree's root.
#[derive(Debug, PartialEq)]
pub(crate) struct IncludePaths(Vec<String>);

impl ManifestData for IncludePaths {}

/// Include paths from compile_commands.json files (`-I`, `-iquote`,
/// `-isystem`), as directories of the tree: an absolute path is matched by
/// its longest tail that is one. Without any, the root and every
/// `include/` directory.
pub(crate) fn include_paths(manifests: &[(&str, &str)], paths: &[&str]) -> Arc<dyn LangManifests> {
    let dirs: FxHashSet<&str> = paths
        .iter()
        .flat_map(|p| {
            let mut d = dir_of(p);
            std::iter::from_fn(move || {
                if d.is_empty() {
                    return None;
                }
                let cur = d;
                d = dir_of(d);
                Some(cur)
            })
        })
        .collect();
    let in_tree = |abs: &str| -> Option<String> {
        let segs: Vec<&str> = abs.split('/').filter(|s| !s.is_empty() && *s != ".").collect();
        (0..segs.len())
            .map(|i| segs[i..].join("/"))
            .find(|tail| dirs.contains(tail.as_str()))
    };
    let mut roots: Vec<String> = Vec::new();
    for (path, text) in manifests {
        let Ok(serde_json::Value::Array(commands)) = serde_json::from_str(text) else {
            continue;
        };
        for c in &commands {
            let directory = c["directory"].as_str().unwrap_or("");
            let args: Vec<String> = match (&c["arguments"], c["command"].as_str()) {
                (serde_json::Value::Array(a), _) => {
                    a.iter().filter_map(|x| x.as_str().map(String::from)).collect()
                }
                (_, Some(cmd)) => cmd.split_whitespace().map(String::from).collect(),
                _ => continue,
            };
            let mut it = args.iter();
            while let Some(a) = it.next() {
                let dir = ["-I", "-iquote", "-isystem"].iter().find_map(|flag| {
                    let rest = a.strip_prefix(flag)?;
                    Some(if rest.is_empty() { it.next()?.clone() } else { rest.to_string() })
                });
                let Some(dir) = dir else { continue };
                let abs = if dir.starts_with('/') {
                    dir
                } else {
                    format!("{directory}/{dir}")
                };
                let found = in_tree(&abs).or_else(|| {
                    // relative to the manifest's own directory
                    let rel = join(dir_of(path), abs.trim_start_matches('/'));
                    dirs.contains(rel.as_str()).then_some(rel)
                });
                if let Some(d) = found
                    && !roots.contains(&d)
                {
                    roots.push(d);
                }
            }
        }
    }
    if roots.is_empty() {
        roots.push(String::new());
        let mut includes: Vec<&str> = dirs
            .iter()
            .copied()
            .filter(|d| d.rsplit('/').next() == Some("include"))
            .collect();
        includes.sort_unstable();
        roots.extend(includes.into_iter().map(String::from));
    }
    Arc::new(IncludePaths(roots))
}

/// The file an `#include` names, as a module binding.
pub(crate) fn resolve_include(
    cx: &dyn Scope,
    from: SourceFile,
    spec: &str,
    prefix: &str,
) -> Option<Binding> {
    // the included file's own key: a C header included from C++ is C's
    let module = |f: SourceFile| match cx.module_of(f) {
        Some(key) => Binding::Module(key.clone()),
        None => Binding::Module(format!("{prefix}:{}", cx.path(f)).into()),
    };
    let (name, quoted) = match spec.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
        Some(inner) => (inner, false),
        None => (spec, true),
    };
    if quoted && let Some(f) = cx.file_at(&join(dir_of(cx.path(from)), name)) {
        return Some(module(f));
    }
    let roots = manifests_as::<IncludePaths>(cx.manifests()).map_or(&[][..], |r| &r.0);
    for root in roots {
        if let Some(f) = cx.file_at(&join(root, name)) {
            return Some(module(f));
        }
    }
    Some(Binding::External(name.into()))
}

/// The C library's names most code uses without defining.
const LIBC: &[&str] = &[
    "NULL", "size_t", "ssize_t", "ptrdiff_t", "intptr_t", "uintptr_t", "int8_t", "int16_t",
    "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "bool", "true", "false",
    "FILE", "EOF", "errno", "stdin", "stdout", "stderr", "printf", "fprintf", "sprintf",
    "snprintf", "vsnprintf", "puts", "fputs", "fopen", "fclose", "fread", "fwrite", "fflush",
    "malloc", "calloc", "realloc", "free", "memcpy", "memmove", "memset", "memcmp", "strlen",
    "strcmp", "strncmp", "strcpy", "strncpy", "strcat", "strchr", "strrchr", "strstr", "strdup",
    "abort", "exit", "assert", "qsort", "atoi", "strtol", "strtoul", "va_list", "va_start",
    "va_end", "va_arg", "sizeof", "offsetof",
];

const COMMON: &[&str] = &[
    "len", "size", "data", "next", "prev", "name", "type", "flags", "count", "value", "list",
    "head", "tail", "priv", "ops", "buf", "length", "id", "key", "parent", "child", "state",
];

/// What GCC predefines on Linux x86-64 (as `gcc -dM -E` lists it), the
/// configuration `#if` branches are weighed under: Windows, Apple and
/// MSVC names are undefined, as every name the tree does not define.
fn gcc_linux_x86_64(name: &str) -> Option<i64> {
    Some(match name {
        "__GNUC__" => 12,
        "__GNUC_MINOR__" | "__GNUC_PATCHLEVEL__" => 0,
        "__STDC__" | "__STDC_HOSTED__" => 1,
        "__linux__" | "__linux" | "linux" | "__unix__" | "__unix" | "unix" | "__gnu_linux__"
        | "__ELF__" => 1,
        "__x86_64__" | "__x86_64" | "__amd64__" | "__amd64" | "__LP64__" | "_LP64" => 1,
        "__CHAR_BIT__" => 8,
        "__SIZEOF_POINTER__" | "__SIZEOF_LONG__" | "__SIZEOF_SIZE_T__" | "__SIZEOF_LONG_LONG__" => 8,
        "__SIZEOF_INT__" => 4,
        "__ORDER_LITTLE_ENDIAN__" | "__BYTE_ORDER__" => 1234,
        "__ORDER_BIG_ENDIAN__" => 4321,
        _ => return None,
    })
}

impl LangResolver for CResolver {
    fn predefined(&self, name: &str) -> Option<i64> {
        match name {
            "__STDC_VERSION__" => Some(201710),
            _ => gcc_linux_x86_64(name),
        }
    }

    fn manifests(&self, manifests: &[(&str, &str)], paths: &[&str]) -> Arc<dyn LangManifests> {
        include_paths(manifests, paths)
    }

    fn module_key(&self, path: &str, _m: &dyn LangManifests) -> Option<Name> {
        Some(format!("c:{path}").into())
    }

    fn display_module<'a>(&self, key: &'a str) -> &'a str {
        let p = &key[2..];
        p.rsplit_once('.').map_or(p, |(stem, _)| stem)
    }

    fn resolve_module(&self, cx: &dyn Scope, from: SourceFile, spec: &str) -> Option<Binding> {
        resolve_include(cx, from, spec, "c")
    }

    fn builtin(&self, name: &str) -> Option<&'static str> {
        LIBC.contains(&name).then_some("libc")
    }

    fn macros_shadow(&self) -> bool {
        true
    }

    fn includes(&self) -> bool {
        true
    }

    fn common_member(&self, name: &str) -> bool {
        COMMON.contains(&name)
    }
}

/// How a `using` names a namespace in an import's module: `namespace a::b`.
pub const NAMESPACE: &str = "namespace ";

pub struct CppResolver;

const CPP_BUILTINS: &[&str] = &["std", "nullptr", "size_t", "ptrdiff_t", "nullptr_t", "NULL"];

const CPP_COMMON: &[&str] = &[
    "size", "begin", "end", "push_back", "emplace_back", "get", "reset", "data", "c_str", "empty",
    "clear", "insert", "erase", "find", "at", "front", "back", "first", "second", "count", "swap",
    "str", "length", "value", "name", "type", "next", "release", "append", "resize", "reserve",
];

impl LangResolver for CppResolver {
    fn predefined(&self, name: &str) -> Option<i64> {
        match name {
            "__cplusplus" => Some(201703),
            _ => gcc_linux_x86_64(name),
        }
    }

    fn manifests(&self, manifests: &[(&str, &str)], paths: &[&str]) -> Arc<dyn LangManifests> {
        include_paths(manifests, paths)
    }

    fn module_key(&self, path: &str, _m: &dyn LangManifests) -> Option<Name> {
        Some(format!("cpp:{path}").into())
    }

    fn display_module<'a>(&self, key: &'a str) -> &'a str {
        let p = &key[4..];
        p.rsplit_once('.').map_or(p, |(stem, _)| stem)
    }

    /// An `#include`, or the namespace a `using` names.
    fn resolve_module(&self, cx: &dyn Scope, from: SourceFile, spec: &str) -> Option<Binding> {
        let Some(path) = spec.strip_prefix(NAMESPACE) else {
            return resolve_include(cx, from, spec, "cpp");
        };
        let mut segs = path.split("::");
        let first = segs.next()?;
        let mut b = match cx.lookup(from, None, first, 1) {
            Some(b) => b,
            None => return Some(Binding::External(first.into())),
        };
        for seg in segs {
            b = cx.member(&b, seg, 1)?;
        }
        Some(b)
    }

    fn root(&self, _cx: &dyn Scope, _from: SourceFile, first: &str) -> Option<Binding> {
        (first == "std").then(|| Binding::External("std".into()))
    }

    fn builtin(&self, name: &str) -> Option<&'static str> {
        if CPP_BUILTINS.contains(&name) {
            return Some("std");
        }
        LIBC.contains(&name).then_some("libc")
    }

    fn common_member(&self, name: &str) -> bool {
        CPP_COMMON.contains(&name) || COMMON.contains(&name)
    }

    fn is_inclusion(&self, spec: &str) -> bool {
        !spec.starts_with(NAMESPACE)
    }

    fn macros_shadow(&self) -> bool {
        true
    }

    fn includes(&self) -> bool {
        true
    }

    fn implicit_members(&self) -> bool {
        true
    }
}
