//! The module map: which files make up which module, from paths and build
//! manifests alone. File contents never enter it, so body edits can't touch it.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use weft_db::Lang;

use crate::db::{Db, SourceFile, all_files};
use crate::facts::Name;

#[derive(Default, PartialEq, Eq, Debug)]
pub struct Layout {
    pub by_path: FxHashMap<Name, SourceFile>,
    /// Module key (namespaced by language family, e.g. `rs:serde::de`).
    pub module_of: FxHashMap<SourceFile, Name>,
    pub modules: FxHashMap<Name, Vec<SourceFile>>,
    /// Every proper prefix of a module key: parents and namespace packages.
    pub prefixes: FxHashSet<Name>,
    pub manifests: Manifests,
}

/// What the build manifests say about module resolution.
#[derive(Default, PartialEq, Eq, Debug, Clone)]
pub struct Manifests {
    /// Rust crates: (directory, crate name with `-` as `_`), deepest first.
    pub crates: Vec<(String, String)>,
    /// Go modules: (directory, module path), deepest first.
    pub go_modules: Vec<(String, String)>,
    /// tsconfig/jsconfig: (directory, baseUrl, paths patterns).
    pub ts_configs: Vec<TsConfig>,
    /// Python: directories holding an `__init__.py`.
    pub py_packages: FxHashSet<String>,
}

#[derive(Default, PartialEq, Eq, Debug, Clone)]
pub struct TsConfig {
    pub dir: String,
    pub base_url: Option<String>,
    pub paths: Vec<(String, Vec<String>)>,
}

pub fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

pub fn join(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = if dir.is_empty() {
        vec![]
    } else {
        dir.split('/').collect()
    };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// `rel` relative to `dir` if `dir` contains it.
pub fn under<'a>(path: &'a str, dir: &str) -> Option<&'a str> {
    if dir.is_empty() {
        return Some(path);
    }
    path.strip_prefix(dir)?.strip_prefix('/')
}

#[salsa::tracked(returns(clone))]
pub fn layout(db: &dyn Db) -> Arc<Layout> {
    let ws = db.workspace();
    let files = all_files(db);
    let mut manifests = parse_manifests(ws.manifests(db));
    for &f in &files {
        let p = f.path(db);
        if p.ends_with("/__init__.py") || p == "__init__.py" || p.ends_with("/__init__.pyi") {
            manifests.py_packages.insert(dir_of(p).to_string());
        }
    }
    let mut l = Layout {
        manifests,
        ..Default::default()
    };
    for &f in &files {
        let path = f.path(db);
        l.by_path.insert(path.clone(), f);
        let Some(lang) = Lang::from_path(path) else {
            continue;
        };
        let Some(key) = super::resolver(lang).module_key(path, &l.manifests) else {
            continue;
        };
        let mut k = key.as_str();
        while let Some(cut) = k.rfind(['.', ':', '/']) {
            k = k[..cut].trim_end_matches(':');
            if !l.prefixes.insert(k.into()) {
                break;
            }
        }
        l.modules.entry(key.clone()).or_default().push(f);
        l.module_of.insert(f, key);
    }
    Arc::new(l)
}

fn parse_manifests(manifests: &[(Name, Arc<str>)]) -> Manifests {
    let mut m = Manifests::default();
    for (path, text) in manifests {
        let dir = dir_of(path).to_string();
        let file = path.rsplit('/').next().unwrap_or(path);
        match file {
            "Cargo.toml" => {
                if let Some(name) = cargo_package_name(text) {
                    m.crates.push((dir, name.replace('-', "_")));
                }
            }
            "go.mod" => {
                if let Some(module) = text.lines().find_map(|l| l.trim().strip_prefix("module ")) {
                    m.go_modules
                        .push((dir, module.trim().trim_matches('"').to_string()));
                }
            }
            "tsconfig.json" | "jsconfig.json" => m.ts_configs.push(parse_tsconfig(dir, text)),
            _ => {}
        }
    }
    let depth = |d: &str| {
        if d.is_empty() {
            0
        } else {
            d.matches('/').count() + 1
        }
    };
    m.crates.sort_by_key(|(d, _)| std::cmp::Reverse(depth(d)));
    m.go_modules
        .sort_by_key(|(d, _)| std::cmp::Reverse(depth(d)));
    m.ts_configs
        .sort_by_key(|c| std::cmp::Reverse(depth(&c.dir)));
    m
}

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
