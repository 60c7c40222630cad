//! TypeScript and JavaScript: relative specifiers with extension and index
//! resolution, tsconfig `baseUrl`/`paths`, bare specifiers as packages.

use std::sync::Arc;

use crate::facts::Name;
use crate::inputs::SourceFile;
use crate::lang::resolver::ElementMethod;
use crate::lang::{Binding, LangManifests, LangResolver, ManifestData, Scope, manifests_as};
use crate::resolve::{depth_first, dir_of, join, under};

pub struct EcmaResolver;

/// tsconfig.json/jsconfig.json files, deepest first.
#[derive(Debug, PartialEq)]
struct Configs(Vec<TsConfig>);

impl ManifestData for Configs {}

#[derive(Default, PartialEq, Eq, Debug, Clone)]
struct TsConfig {
    dir: String,
    base_url: Option<String>,
    paths: Vec<(String, Vec<String>)>,
}

fn parse_tsconfig(dir: String, text: &str) -> TsConfig {
    // tsconfig allows comments and trailing commas: drop line comments, then try JSON.
    let cleaned: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut cfg = TsConfig {
        dir,
        ..Default::default()
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&cleaned) else {
        return cfg;
    };
    let opts = &v["compilerOptions"];
    cfg.base_url = opts["baseUrl"].as_str().map(str::to_string);
    if let Some(paths) = opts["paths"].as_object() {
        for (pat, targets) in paths {
            let t = targets
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            cfg.paths.push((pat.clone(), t));
        }
    }
    cfg
}

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

fn with_exts(cx: &dyn Scope, base: &str) -> Option<SourceFile> {
    if let Some(f) = cx.file_at(base) {
        return Some(f);
    }
    let stem = ["js", "jsx", "mjs", "cjs"]
        .iter()
        .find_map(|e| base.strip_suffix(&format!(".{e}")))
        .unwrap_or(base);
    for e in EXTS {
        if let Some(f) = cx.file_at(&format!("{stem}.{e}")) {
            return Some(f);
        }
    }
    for e in EXTS {
        if let Some(f) = cx.file_at(&join(base, &format!("index.{e}"))) {
            return Some(f);
        }
    }
    None
}

impl LangResolver for EcmaResolver {
    fn element_method(&self, name: &str) -> Option<ElementMethod> {
        match name {
            "filter" | "slice" | "concat" | "reverse" | "sort" | "toSorted" | "toReversed"
            | "values" | "splice" => Some(ElementMethod::Same),
            "find" | "findLast" | "pop" | "shift" | "at" => Some(ElementMethod::Element),
            _ => None,
        }
    }

    fn manifests(&self, manifests: &[(&str, &str)], _paths: &[&str]) -> Arc<dyn LangManifests> {
        let mut configs: Vec<TsConfig> = manifests
            .iter()
            .map(|(path, text)| parse_tsconfig(dir_of(path).to_string(), text))
            .collect();
        depth_first(&mut configs, |c| &c.dir);
        Arc::new(Configs(configs))
    }

    fn module_key(&self, path: &str, _m: &dyn LangManifests) -> Option<Name> {
        Some(format!("es:{path}").into())
    }

    fn display_module<'a>(&self, key: &'a str) -> &'a str {
        let p = &key[3..];
        let p = p.rsplit_once('.').map(|(s, _)| s).unwrap_or(p);
        p.strip_suffix(".d").unwrap_or(p)
    }

    fn resolve_module(&self, cx: &dyn Scope, from: SourceFile, spec: &str) -> Option<Binding> {
        let file = |f: SourceFile| Binding::Module(format!("es:{}", cx.path(f)).into());
        let here = dir_of(cx.path(from));
        if spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == ".." {
            return with_exts(cx, &join(here, spec)).map(file);
        }
        let from_path = cx.path(from).to_string();
        let configs = manifests_as::<Configs>(cx.manifests()).map_or(&[][..], |c| &c.0);
        for cfg in configs {
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

    fn specifiers_name_files(&self) -> bool {
        true
    }

    fn global_scripts(&self) -> Option<fn(&str) -> bool> {
        Some(|path| path.ends_with(".d.ts"))
    }

    fn builtin(&self, name: &str) -> Option<&'static str> {
        GLOBALS.contains(&name).then_some("globals")
    }

    fn common_member(&self, name: &str) -> bool {
        COMMON.contains(&name)
    }
}
