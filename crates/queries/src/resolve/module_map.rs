//! The module map: which files make up which module, from paths and build
//! manifests alone. File contents never enter it, so body edits can't touch it.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use weft_db::Lang;

use crate::db::{Db, SourceFile, all_files};
use crate::facts::Name;
use crate::lang::LangManifests;

#[derive(Default, PartialEq, Eq, Debug)]
pub struct Layout {
    pub by_path: FxHashMap<Name, SourceFile>,
    /// Module key (namespaced by language family, e.g. `rs:serde::de`).
    pub module_of: FxHashMap<SourceFile, Name>,
    pub modules: FxHashMap<Name, Vec<SourceFile>>,
    /// Every proper prefix of a module key: parents and namespace packages.
    pub prefixes: FxHashSet<Name>,
    /// What each language read from its manifests and its files' paths.
    pub manifests: FxHashMap<Lang, Arc<dyn LangManifests>>,
}

/// Sort by directory depth, deepest first, keeping the order of equals:
/// the innermost manifest around a file wins.
pub fn depth_first<T>(items: &mut [T], dir: impl Fn(&T) -> &str) {
    let depth = |d: &str| {
        if d.is_empty() {
            0
        } else {
            d.matches('/').count() + 1
        }
    };
    items.sort_by_key(|i| std::cmp::Reverse(depth(dir(i))));
}

/// The package of a file whose packages are its directories below a
/// source root (JVM languages): the path below the first of `roots`
/// (`src/main/java/`) found, else from the first directory named like a
/// package's first segment (`com`, `org`), else the whole directory; with
/// `/` as `.`.
pub fn package_under_roots(path: &str, roots: &[&str], heads: &[&str]) -> String {
    let dir = dir_of(path);
    let slashed = format!("{dir}/");
    let rel = roots
        .iter()
        .find_map(|m| {
            if let Some(rest) = slashed.strip_prefix(m) {
                return Some(rest);
            }
            slashed
                .rfind(&format!("/{m}"))
                .map(|i| &slashed[i + 1 + m.len()..])
        })
        .or_else(|| {
            let segs: Vec<&str> = dir.split('/').collect();
            let at = segs.iter().position(|s| heads.contains(s))?;
            let off: usize = segs[..at].iter().map(|s| s.len() + 1).sum();
            Some(&slashed[off..])
        })
        .unwrap_or(&slashed);
    rel.trim_end_matches('/').replace('/', ".")
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
/// The directories of build manifests (`a/b/Foo.csproj` -> `a/b`), deepest
/// first and each once: the first of them that holds a path is its
/// innermost package ([`innermost`]).
pub fn manifest_dirs<'p>(paths: impl IntoIterator<Item = &'p str>) -> Vec<String> {
    let mut dirs: Vec<String> = paths.into_iter().map(|p| dir_of(p).to_string()).collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.len()));
    dirs.dedup();
    dirs
}

/// The deepest of `dirs` ([`manifest_dirs`]) holding `path`.
pub fn innermost<'d>(dirs: &'d [String], path: &str) -> Option<&'d str> {
    dirs.iter()
        .find(|d| under(path, d).is_some())
        .map(|d| d.as_str())
}

pub fn under<'a>(path: &'a str, dir: &str) -> Option<&'a str> {
    if dir.is_empty() {
        return Some(path);
    }
    path.strip_prefix(dir)?.strip_prefix('/')
}

#[salsa::tracked(returns(clone))]
pub fn layout(db: &dyn Db) -> Arc<Layout> {
    let ws = db.workspace();
    let langs = db.languages();
    let files = all_files(db);
    let mut l = Layout::default();
    let mut paths: FxHashMap<Lang, Vec<&str>> = FxHashMap::default();
    for &f in &files {
        let path = f.path(db);
        l.by_path.insert(path.clone(), f);
        if let Some(lang) = langs.of_path(path) {
            paths.entry(lang).or_default().push(path);
        }
    }
    for support in langs.all() {
        let lang = support.lang();
        let manifests: Vec<(&str, &str)> = ws
            .manifests(db)
            .iter()
            .filter(|(p, _)| {
                support
                    .naming
                    .manifests
                    .iter()
                    .any(|m| crate::lang::names_manifest(m, p))
            })
            .map(|(p, t)| (p.as_str(), &**t))
            .collect();
        let own = paths.get(&lang).map_or(&[][..], Vec::as_slice);
        l.manifests
            .insert(lang, support.resolver.manifests(&manifests, own));
    }
    for &f in &files {
        let path = f.path(db);
        let Some(support) = langs.support_of_path(path) else {
            continue;
        };
        let Some(key) = support
            .resolver
            .module_key(path, &*l.manifests[&support.lang()])
        else {
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
