//! Rust: `crate`/`self`/`super`, workspace crates by their Cargo.toml names,
//! std/core/alloc and unknown crates as external, the file-layout module tree.

use std::sync::Arc;

use crate::lang::resolver::ElementMethod;
use crate::lang::{Binding, LangManifests, LangResolver, ManifestData, Scope, manifests_as};
use crate::resolve::{depth_first, dir_of, under};
use crate::inputs::SourceFile;
use crate::facts::Name;

pub struct RustResolver;

/// The workspace's crates: (directory, crate name with `-` as `_`),
/// deepest first, from each `Cargo.toml`'s `[package]`.
#[derive(Debug, PartialEq)]
struct Crates(Vec<(String, String)>);

impl ManifestData for Crates {}

fn cargo_package_name(text: &str) -> Option<String> {
    let mut in_package = false;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('[') {
            in_package = l == "[package]";
            continue;
        }
        if in_package && let Some(rest) = l.strip_prefix("name") {
            let v = rest.trim_start().strip_prefix('=')?.trim();
            return Some(v.trim_matches('"').trim_matches('\'').to_string());
        }
    }
    None
}

const STD_CRATES: &[&str] = &["std", "core", "alloc", "proc_macro", "test"];

const PRELUDE: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "ToString",
    "ToOwned",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Extend",
    "Default",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Debug",
    "Hash",
    "drop",
    "println",
    "print",
    "eprintln",
    "eprint",
    "format",
    "vec",
    "panic",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "write",
    "writeln",
    "unreachable",
    "unimplemented",
    "todo",
    "matches",
    "dbg",
    "cfg",
    "include_str",
    "include_bytes",
    "concat",
    "stringify",
    "env",
    "line",
    "file",
    "column",
    "module_path",
    "format_args",
    "compile_error",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "f32",
    "f64",
    "bool",
    "char",
    "str",
    "derive",
    "test",
];

const COMMON: &[&str] = &[
    "clone",
    "to_string",
    "to_owned",
    "into",
    "from",
    "as_ref",
    "as_mut",
    "unwrap",
    "expect",
    "map",
    "and_then",
    "ok",
    "err",
    "iter",
    "iter_mut",
    "into_iter",
    "collect",
    "len",
    "is_empty",
    "push",
    "pop",
    "insert",
    "remove",
    "get",
    "get_mut",
    "contains",
    "extend",
    "new",
    "default",
    "fmt",
    "eq",
    "cmp",
    "partial_cmp",
    "hash",
    "next",
    "as_str",
    "as_bytes",
    "borrow",
    "borrow_mut",
    "lock",
    "read",
    "write",
    "send",
    "recv",
    "filter",
    "fold",
    "unwrap_or",
    "unwrap_or_default",
    "unwrap_or_else",
    "map_err",
    "ok_or",
    "is_some",
    "is_none",
    "is_ok",
    "is_err",
    "take",
    "replace",
    "drop",
    "with",
    "build",
    "parse",
    "join",
    "split",
    "trim",
    "starts_with",
    "ends_with",
    "chars",
    "bytes",
    "first",
    "last",
    "sort",
    "dedup",
    "entry",
    "or_insert",
    "or_default",
    "keys",
    "values",
    "deref",
    "poll",
    "call",
    "run",
    "start",
    "stop",
    "flush",
    "finish",
    "as_ptr",
    "min",
    "max",
    "copied",
    "cloned",
    "enumerate",
    "zip",
    "rev",
    "skip",
    "any",
    "all",
    "find",
    "position",
    "count",
    "sum",
];

impl RustResolver {
    fn crate_of<'m>(m: &'m dyn LangManifests, path: &str) -> (&'m str, String) {
        let crates = manifests_as::<Crates>(m).map_or(&[][..], |c| &c.0);
        for (dir, name) in crates {
            if let Some(rel) = under(path, dir) {
                return (name, rel.to_string());
            }
        }
        ("crate", path.to_string())
    }

    fn current(cx: &dyn Scope, from: SourceFile) -> Option<Name> {
        cx.module_of(from).cloned()
    }

    fn crate_root(key: &str) -> Name {
        let body = &key[3..];
        let root = body.split("::").next().unwrap_or(body);
        format!("rs:{root}").into()
    }

    fn parent(key: &str) -> Option<Name> {
        key.rfind("::").map(|i| Name::from(&key[..i]))
    }
}

impl LangResolver for RustResolver {
    fn manifests(&self, manifests: &[(&str, &str)], _paths: &[&str]) -> Arc<dyn LangManifests> {
        let mut crates: Vec<(String, String)> = manifests
            .iter()
            .filter_map(|(path, text)| {
                let name = cargo_package_name(text)?;
                Some((dir_of(path).to_string(), name.replace('-', "_")))
            })
            .collect();
        depth_first(&mut crates, |(d, _)| d);
        Arc::new(Crates(crates))
    }

    fn module_key(&self, path: &str, m: &dyn LangManifests) -> Option<Name> {
        let (krate, rel) = Self::crate_of(m, path);
        let rel = rel.strip_prefix("src/").unwrap_or(&rel);
        let rel = rel.strip_suffix(".rs")?;
        let mut segs: Vec<&str> = rel.split('/').collect();
        if matches!(segs.last(), Some(&"mod") | Some(&"lib") | Some(&"main")) {
            segs.pop();
        }
        let mut key = format!("rs:{krate}");
        for s in segs {
            key.push_str("::");
            key.push_str(s);
        }
        Some(key.into())
    }

    fn resolve_module(&self, cx: &dyn Scope, from: SourceFile, spec: &str) -> Option<Binding> {
        if spec.is_empty() {
            return Self::current(cx, from).map(Binding::Module);
        }
        let segs: Vec<Name> = spec.split("::").map(Name::from).collect();
        let (first, rest) = segs.split_first()?;
        let mut b = self.root(cx, from, first).or_else(|| {
            let cur = Self::current(cx, from)?;
            let child = format!("{cur}::{first}");
            if cx.module_exists(&child) {
                return Some(Binding::Module(child.into()));
            }
            cx.lookup(from, None, first, 1)
        });
        if b.is_none() {
            b = Some(Binding::External(first.clone()));
        }
        let mut b = b?;
        for seg in rest {
            b = cx.member(&b, seg, 1)?;
        }
        Some(b)
    }

    fn root(&self, cx: &dyn Scope, from: SourceFile, first: &str) -> Option<Binding> {
        let cur = Self::current(cx, from);
        match first {
            "crate" => cur.map(|c| Binding::Module(Self::crate_root(&c))),
            "self" => cur.map(Binding::Module),
            "super" => cur.and_then(|c| Self::parent(&c)).map(Binding::Module),
            _ if STD_CRATES.contains(&first) => Some(Binding::External(first.into())),
            _ => {
                let key = format!("rs:{first}");
                let workspace_crate = manifests_as::<Crates>(cx.manifests())
                    .is_some_and(|c| c.0.iter().any(|(_, n)| n == first));
                if !cx.module_files(&key).is_empty() && workspace_crate
                {
                    Some(Binding::Module(key.into()))
                } else {
                    None
                }
            }
        }
    }

    fn module_separator(&self) -> &'static str {
        "::"
    }

    fn builtin(&self, name: &str) -> Option<&'static str> {
        PRELUDE.contains(&name).then_some("std")
    }

    fn common_member(&self, name: &str) -> bool {
        COMMON.contains(&name)
    }

    fn element_method(&self, name: &str) -> Option<ElementMethod> {
        match name {
            "iter" | "iter_mut" | "into_iter" | "filter" | "rev" | "skip" | "take" | "cloned"
            | "copied" | "peekable" | "skip_while" | "take_while" | "step_by" | "by_ref"
            | "drain" | "to_vec" | "as_slice" | "as_mut_slice" | "chain" | "inspect" => {
                Some(ElementMethod::Same)
            }
            "first" | "last" | "get" | "get_mut" | "next" | "next_back" | "pop" | "pop_front"
            | "pop_back" | "front" | "back" | "nth" | "min" | "max" | "min_by_key"
            | "max_by_key" | "min_by" | "max_by" | "find" | "swap_remove" | "remove" | "peek"
            | "first_mut" | "last_mut" | "front_mut" | "back_mut" => Some(ElementMethod::Element),
            _ => None,
        }
    }

    fn transparent_method(&self, name: &str) -> bool {
        matches!(
            name,
            "clone"
                | "unwrap"
                | "expect"
                | "as_ref"
                | "as_mut"
                | "borrow"
                | "borrow_mut"
                | "lock"
                | "read"
                | "write"
                | "unwrap_or_default"
                | "to_owned"
                | "as_deref"
                | "as_deref_mut"
                | "get_mut"
                | "into_inner"
        )
    }
}
