//! TypeScript and JavaScript: relative specifiers with extension and index
//! resolution, tsconfig `baseUrl`/`paths`, bare specifiers as packages.

use super::{Binding, Cx, LangResolver, Manifests, dir_of, join, under};
use crate::db::SourceFile;
use crate::facts::Name;

pub struct EcmaResolver;

const EXTS: &[&str] = &["ts", "tsx", "d.ts", "mts", "cts", "js", "jsx", "mjs", "cjs"];

const GLOBALS: &[&str] = &[
    "console",
    "window",
    "document",
    "globalThis",
    "process",
    "require",
    "module",
    "exports",
    "Object",
    "Array",
    "String",
    "Number",
    "Boolean",
    "Symbol",
    "BigInt",
    "Math",
    "JSON",
    "Date",
    "RegExp",
    "Error",
    "TypeError",
    "RangeError",
    "SyntaxError",
    "Promise",
    "Map",
    "Set",
    "WeakMap",
    "WeakSet",
    "Proxy",
    "Reflect",
    "Function",
    "parseInt",
    "parseFloat",
    "isNaN",
    "isFinite",
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "undefined",
    "NaN",
    "Infinity",
    "Buffer",
    "fetch",
    "URL",
    "URLSearchParams",
    "TextEncoder",
    "TextDecoder",
    "queueMicrotask",
    "structuredClone",
    "Record",
    "Partial",
    "Required",
    "Readonly",
    "Pick",
    "Omit",
    "Exclude",
    "Extract",
    "NonNullable",
    "ReturnType",
    "Parameters",
    "InstanceType",
    "Awaited",
    "Iterable",
    "Iterator",
    "AsyncIterable",
    "PromiseLike",
    "ArrayLike",
    "Uint8Array",
    "ArrayBuffer",
    "__dirname",
    "__filename",
    "arguments",
    "unknown",
    "never",
    "any",
];

const COMMON: &[&str] = &[
    "push",
    "pop",
    "map",
    "filter",
    "reduce",
    "forEach",
    "then",
    "catch",
    "finally",
    "join",
    "split",
    "slice",
    "splice",
    "concat",
    "indexOf",
    "includes",
    "find",
    "findIndex",
    "some",
    "every",
    "keys",
    "values",
    "entries",
    "get",
    "set",
    "has",
    "delete",
    "add",
    "clear",
    "toString",
    "valueOf",
    "call",
    "apply",
    "bind",
    "length",
    "replace",
    "trim",
    "match",
    "test",
    "exec",
    "log",
    "error",
    "warn",
    "emit",
    "on",
    "off",
    "once",
    "resolve",
    "reject",
    "next",
    "subscribe",
    "pipe",
    "constructor",
    "default",
    "name",
    "type",
    "value",
    "data",
    "sort",
    "shift",
    "unshift",
    "assign",
    "create",
];

fn with_exts(cx: &Cx, base: &str) -> Option<SourceFile> {
    let l = cx.layout;
    if let Some(&f) = l.by_path.get(base) {
        return Some(f);
    }
    let stem = ["js", "jsx", "mjs", "cjs"]
        .iter()
        .find_map(|e| base.strip_suffix(&format!(".{e}")))
        .unwrap_or(base);
    for e in EXTS {
        if let Some(&f) = l.by_path.get(format!("{stem}.{e}").as_str()) {
            return Some(f);
        }
    }
    for e in EXTS {
        if let Some(&f) = l.by_path.get(join(base, &format!("index.{e}")).as_str()) {
            return Some(f);
        }
    }
    None
}

impl LangResolver for EcmaResolver {
    fn module_key(&self, path: &str, _m: &Manifests) -> Option<Name> {
        Some(format!("es:{path}").into())
    }

    fn display_module<'a>(&self, key: &'a str) -> &'a str {
        let p = &key[3..];
        let p = p.rsplit_once('.').map(|(s, _)| s).unwrap_or(p);
        p.strip_suffix(".d").unwrap_or(p)
    }

    fn resolve_module(&self, cx: &Cx, from: SourceFile, spec: &str) -> Option<Binding> {
        let file = |f: SourceFile| Binding::Module(format!("es:{}", f.path(cx.db)).into());
        let here = dir_of(from.path(cx.db));
        if spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == ".." {
            return with_exts(cx, &join(here, spec)).map(file);
        }
        let from_path = from.path(cx.db).to_string();
        for cfg in &cx.layout.manifests.ts_configs {
            if under(&from_path, &cfg.dir).is_none() {
                continue;
            }
            let base = join(&cfg.dir, cfg.base_url.as_deref().unwrap_or("."));
            for (pat, targets) in &cfg.paths {
                let matched = match pat.split_once('*') {
                    Some((pre, post)) => spec.strip_prefix(pre).and_then(|s| s.strip_suffix(post)),
                    None => (pat == spec).then_some(""),
                };
                if let Some(star) = matched {
                    for t in targets {
                        if let Some(f) = with_exts(cx, &join(&base, &t.replace('*', star))) {
                            return Some(file(f));
                        }
                    }
                }
            }
            if cfg.base_url.is_some()
                && let Some(f) = with_exts(cx, &join(&base, spec))
            {
                return Some(file(f));
            }
        }
        let pkg = if spec.starts_with('@') {
            spec.splitn(3, '/').take(2).collect::<Vec<_>>().join("/")
        } else {
            spec.split('/').next().unwrap_or(spec).to_string()
        };
        Some(Binding::External(pkg.into()))
    }

    fn builtin(&self, name: &str) -> Option<&'static str> {
        GLOBALS.contains(&name).then_some("globals")
    }

    fn common_member(&self, name: &str) -> bool {
        COMMON.contains(&name)
    }
}
