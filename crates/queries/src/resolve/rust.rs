//! Rust: `crate`/`self`/`super`, workspace crates by their Cargo.toml names,
//! std/core/alloc and unknown crates as external, the file-layout module tree.

use super::{Binding, Cx, LangResolver, Manifests, under};
use crate::db::SourceFile;
use crate::facts::Name;

pub struct RustResolver;

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
    fn crate_of<'m>(m: &'m Manifests, path: &str) -> (&'m str, String) {
        for (dir, name) in &m.crates {
            if let Some(rel) = under(path, dir) {
                return (name, rel.to_string());
            }
        }
        ("crate", path.to_string())
    }

    fn current(cx: &Cx, from: SourceFile) -> Option<Name> {
        cx.layout.module_of.get(&from).cloned()
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
    fn module_key(&self, path: &str, m: &Manifests) -> Option<Name> {
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

    fn resolve_module(&self, cx: &Cx, from: SourceFile, spec: &str) -> Option<Binding> {
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

    fn root(&self, cx: &Cx, from: SourceFile, first: &str) -> Option<Binding> {
        let cur = Self::current(cx, from);
        match first {
            "crate" => cur.map(|c| Binding::Module(Self::crate_root(&c))),
            "self" => cur.map(Binding::Module),
            "super" => cur.and_then(|c| Self::parent(&c)).map(Binding::Module),
            _ if STD_CRATES.contains(&first) => Some(Binding::External(first.into())),
            _ => {
                let key = format!("rs:{first}");
                if cx.layout.modules.contains_key(key.as_str())
                    && cx.layout.manifests.crates.iter().any(|(_, n)| n == first)
                {
                    Some(Binding::Module(key.into()))
                } else {
                    None
                }
            }
        }
    }

    fn builtin(&self, name: &str) -> Option<&'static str> {
        PRELUDE.contains(&name).then_some("std")
    }

    fn common_member(&self, name: &str) -> bool {
        COMMON.contains(&name)
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
