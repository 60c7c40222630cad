//! The architecture's rules, checked on the source tree (docs/ARCHITECTURE.md
//! states them; this test keeps them true):
//!
//! - crates depend one way, down the layers: db < dense, queries < load,
//!   grep < ide < server < cli; nothing but the benchmarks depends on the
//!   CLI;
//! - weft-db, the vocabulary compiled into the wasm Worker, has no clap and
//!   does no I/O outside its SQLite store;
//! - each language lives in its folder (crates/queries/src/languages/<x>/):
//!   its grammar crate, names, extensions and manifests appear nowhere
//!   else, the registry line lists every folder, and the engine reaches
//!   languages through the database, never through the registry;
//! - no source file is longer than 800 lines;
//! - within a crate, no two files import each other, directly or round
//!   about. (A file using its parent module's items does not count: the
//!   parent declares it, and holds what its children share.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 800;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The `.rs` files under `dir`, fixtures and build output left out.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if p.is_dir() {
            if !matches!(
                name.as_str(),
                "target" | "fixtures" | "node_modules" | ".git"
            ) {
                out.extend(rust_files(&p));
            }
        } else if name.ends_with(".rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The crates of the workspace: (folder, package name).
fn crates() -> Vec<(PathBuf, String)> {
    let root = workspace();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.extend(["tests", "benches", "xtask"].map(|d| root.join(d)));
    dirs.sort();
    dirs.into_iter()
        .filter_map(|d| {
            let toml = std::fs::read_to_string(d.join("Cargo.toml")).ok()?;
            let name = toml
                .lines()
                .find_map(|l| l.strip_prefix("name = "))?
                .trim_matches('"')
                .to_string();
            Some((d, name))
        })
        .collect()
}

/// The `weft*` packages a manifest's `[dependencies]` names.
fn weft_dependencies(toml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_deps = false;
    for line in toml.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if !in_deps {
            continue;
        }
        let name = line.split(['=', '.', ' ']).next().unwrap_or("");
        if name == "weft" || name.starts_with("weft-") {
            out.push(name.to_string());
        }
    }
    out
}

/// A crate's layer: it may depend on lower layers only.
fn layer(package: &str) -> Option<u32> {
    Some(match package {
        "weft-db" => 0,
        "weft-dense" | "weft-queries" | "weft-edge" => 1,
        "weft-load" | "weft-grep" => 2,
        "weft-ide" => 3,
        "weft-server" => 4,
        "weft" => 5,
        "weft-tests" | "weft-benches" => 6,
        _ => return None,
    })
}

#[test]
fn crates_depend_down_the_layers() {
    let mut problems = Vec::new();
    for (dir, name) in crates() {
        let toml = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let Some(mine) = layer(&name) else {
            continue;
        };
        for dep in weft_dependencies(&toml) {
            match layer(&dep) {
                Some(l) if l < mine => {}
                _ => problems.push(format!("{name} depends on {dep}, which is not below it")),
            }
            if dep == "weft" && name != "weft-benches" {
                problems.push(format!("{name} depends on the CLI (package weft)"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_vocabulary_crate_has_no_clap_and_no_io() {
    let db = workspace().join("crates/db");
    let toml = std::fs::read_to_string(db.join("Cargo.toml")).unwrap();
    assert!(
        !toml.lines().any(|l| l.trim_start().starts_with("clap")),
        "weft-db depends on clap: the CLI builds its commands from weft_db::api::routes"
    );
    let mut problems = Vec::new();
    for f in rust_files(&db.join("src")) {
        if f.starts_with(db.join("src/store")) {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for io in [
            "std::fs",
            "std::net",
            "std::process",
            "std::env",
            "std::thread",
        ] {
            if text.contains(io) {
                problems.push(format!("{} uses {io}", f.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The language folders: `crates/queries/src/languages/<folder>/`.
fn language_folders() -> Vec<PathBuf> {
    let dir = workspace().join("crates/queries/src/languages");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    folders
}

/// The `"..."` literals of a field of the `Spec { .. }`s a folder's
/// mod.rs declares (a string, or a list of them): a language's name,
/// extensions, manifests.
fn declared(folder: &Path, key: &str) -> Vec<String> {
    let text = std::fs::read_to_string(folder.join("mod.rs")).unwrap();
    let mut out = Vec::new();
    for (start, _) in text.match_indices("Spec {") {
        let spec = &text[start..];
        let spec = &spec[..spec.find("\n});").unwrap_or(spec.len())];
        for (i, _) in spec.match_indices(&format!("{key}: ")) {
            let rest = &spec[i + key.len() + 2..];
            let end = match rest.starts_with("&[") {
                true => rest.find(']'),
                false => rest.find([',', '\n']),
            };
            let value = &rest[..end.unwrap_or(rest.len())];
            out.extend(value.split('"').skip(1).step_by(2).map(str::to_string));
        }
    }
    out
}

/// Source text a language may not be named in: outside test modules.
fn code_part(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |i| &text[..i])
}

#[test]
fn each_grammar_is_named_in_one_language_folder() {
    let root = workspace();
    let toml = std::fs::read_to_string(root.join("crates/queries/Cargo.toml")).unwrap();
    let grammars: Vec<String> = toml
        .lines()
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, _)| k.trim())
        .filter(|k| k.starts_with("tree-sitter-"))
        .map(|k| k.replace('-', "_"))
        .collect();
    assert!(grammars.len() >= 5, "found only {grammars:?}");
    let root_toml = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    for g in &grammars {
        assert!(
            !root_toml.contains(&g.replace('_', "-")),
            "{g}: pinned in crates/queries/Cargo.toml, next to its folder, not in the workspace"
        );
    }
    let files: Vec<(PathBuf, String)> = crates()
        .iter()
        .flat_map(|(d, _)| rust_files(d))
        .map(|f| {
            let t = std::fs::read_to_string(&f).unwrap();
            (f, t)
        })
        .collect();
    let folders = language_folders();
    for g in grammars {
        let naming: Vec<&PathBuf> = files
            .iter()
            .filter(|(_, t)| t.contains(&format!("{g}::")))
            .map(|(f, _)| f)
            .collect();
        let folder = naming
            .first()
            .and_then(|f| folders.iter().find(|d| f.starts_with(d)));
        assert!(
            folder.is_some_and(|d| naming.iter().all(|f| f.starts_with(d))),
            "{g} should be named in one folder of crates/queries/src/languages, not by {naming:?}"
        );
    }
}

/// The `registry!(...)` invocation of languages/mod.rs on one line, as
/// rustfmt may wrap it: `registry!(rust, python, ...);`.
fn registry_line(registry: &str) -> String {
    let start = registry
        .lines()
        .position(|l| l.starts_with("registry!("))
        .expect("languages/mod.rs has its `registry!(...)` invocation");
    let mut text = String::new();
    for l in registry.lines().skip(start) {
        text.push_str(l.trim());
        text.push(' ');
        if l.trim_end().ends_with(");") {
            break;
        }
    }
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(")
        .replace(" )", ")")
}

#[test]
fn the_registry_lists_every_folder() {
    let registry =
        std::fs::read_to_string(workspace().join("crates/queries/src/languages/mod.rs")).unwrap();
    let line = registry_line(&registry);
    let listed: BTreeSet<String> = line["registry!(".len()..]
        .trim_end_matches(");")
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let folders: BTreeSet<String> = language_folders()
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(listed, folders, "the registry line and the folders differ");
}

/// No language is named outside its folder: no string literal anywhere
/// else in the crates' code is one of its names, extensions or manifests,
/// and nothing in the engine reaches for the registry (it gets languages
/// from the database).
#[test]
fn no_language_is_named_outside_its_folder() {
    let folders = language_folders();
    let mut names: Vec<(String, &PathBuf)> = Vec::new();
    for f in &folders {
        for key in ["name", "extensions", "manifests"] {
            for n in declared(f, key) {
                names.push((n.clone(), f));
                if key == "extensions" {
                    names.push((format!(".{n}"), f));
                }
            }
        }
    }
    assert!(names.len() >= 15, "found only {names:?}");
    let queries = workspace().join("crates/queries/src");
    let may_use_registry = ["lib.rs", "host.rs", "fingerprint.rs", "languages"];
    let mut problems = Vec::new();
    for (dir, _) in crates() {
        for file in rust_files(&dir) {
            // tests name languages on purpose; the benchmarks and xtask
            // drive corpora and oracles that are one language each
            let tooling = ["tests", "benches", "xtask"];
            if file
                .components()
                .any(|c| tooling.iter().any(|t| c.as_os_str() == *t))
                || file.ends_with("tests.rs")
            {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            let code = code_part(&text);
            for (n, folder) in &names {
                if !file.starts_with(folder) && code.contains(&format!("\"{n}\"")) {
                    problems.push(format!("{}: names \"{n}\"", file.display()));
                }
            }
            if let Ok(rel) = file.strip_prefix(&queries)
                && !may_use_registry.iter().any(|m| rel.starts_with(m))
                && code.contains("crate::languages")
            {
                problems.push(format!(
                    "{}: the engine reaches the registry; use `db.languages()`",
                    file.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_file_is_over_800_lines() {
    let long: Vec<String> = crates()
        .iter()
        .flat_map(|(d, _)| rust_files(d))
        .filter_map(|f| {
            let n = std::fs::read_to_string(&f).unwrap().lines().count();
            (n > MAX_LINES).then(|| format!("{}: {n} lines", f.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these along their seams:\n{}",
        long.join("\n")
    );
}

#[test]
fn no_import_circles_within_a_crate() {
    let mut circles = Vec::new();
    for (dir, _) in crates() {
        for root in crate_roots(&dir) {
            circles.extend(import_circles(&root));
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

/// The checker finds a circle when there is one (so the test above can fail).
#[test]
fn the_circle_check_sees_a_circle() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("b")).unwrap();
    std::fs::write(src.join("lib.rs"), "mod a;\nmod b;\n").unwrap();
    std::fs::write(src.join("a.rs"), "use crate::b::c::C;\npub struct A;\n").unwrap();
    std::fs::write(src.join("b/mod.rs"), "pub mod c;\n").unwrap();
    std::fs::write(
        src.join("b/c.rs"),
        "use super::super::a::A;\npub struct C;\n#[cfg(test)]\nmod tests {\n    use crate::a::A;\n}\n",
    )
    .unwrap();
    let circles = import_circles(&src.join("lib.rs"));
    assert_eq!(circles.len(), 1, "{circles:?}");
    assert!(
        circles[0].contains("a.rs") && circles[0].contains("c.rs"),
        "{circles:?}"
    );
    // a child using its parent is not a circle
    std::fs::write(src.join("a.rs"), "pub struct A;\n").unwrap();
    std::fs::write(src.join("lib.rs"), "mod a;\nmod b;\nuse b::c::C;\n").unwrap();
    std::fs::write(
        src.join("b/c.rs"),
        "use crate::a::A;\nuse super::super::X;\n",
    )
    .unwrap();
    assert!(import_circles(&src.join("lib.rs")).is_empty());
}

/// lib.rs, main.rs and the binaries of src/bin: each is the root of a
/// module tree.
fn crate_roots(dir: &Path) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = ["src/lib.rs", "src/main.rs", "lib.rs"]
        .iter()
        .map(|r| dir.join(r))
        .filter(|p| p.is_file())
        .collect();
    roots.extend(rust_files(&dir.join("src/bin")));
    roots
}

/// One file of a module tree: its module path and the text that counts
/// (test modules at the end of a file are left out).
struct Module {
    path: Vec<String>,
    file: PathBuf,
    text: String,
}

fn module_tree(root: &Path) -> Vec<Module> {
    let mut out = Vec::new();
    let mut todo = vec![(Vec::new(), root.to_path_buf())];
    while let Some((path, file)) = todo.pop() {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let text = match text.find("#[cfg(test)]\nmod tests") {
            Some(i) => &text[..i],
            None => &text[..],
        };
        // comments name paths without using them (doc links)
        let text: String = text
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        // where its children live: beside a root or mod.rs, else in a folder
        // named after it
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        let dir = if path.is_empty() || name == "mod" {
            file.parent().unwrap().to_path_buf()
        } else {
            file.parent().unwrap().join(&name)
        };
        for child in declared_modules(&text) {
            if child == "tests" {
                continue;
            }
            let candidates = [
                dir.join(format!("{child}.rs")),
                dir.join(&child).join("mod.rs"),
            ];
            if let Some(f) = candidates.into_iter().find(|f| f.is_file()) {
                let mut p = path.clone();
                p.push(child);
                todo.push((p, f));
            }
        }
        out.push(Module { path, file, text });
    }
    out
}

/// `mod x;` declarations (not inline `mod x { ... }`).
fn declared_modules(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l
                .strip_prefix("pub(crate) ")
                .or_else(|| l.strip_prefix("pub(super) "))
                .or_else(|| l.strip_prefix("pub "))
                .unwrap_or(l);
            let name = l.strip_prefix("mod ")?.strip_suffix(';')?;
            Some(name.trim().to_string())
        })
        .collect()
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The module paths a text names: `crate::a::b`, `super::x`, `self::y`,
/// and paths through the file's own child modules (`child::f`), with
/// `{...}` groups expanded.
fn named_paths(m: &Module, children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let text = &m.text;
    let mut out = Vec::new();
    let bytes: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !(is_ident(bytes[i - 1]) || bytes[i - 1] == ':');
        if !starts_word || !is_ident(bytes[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < bytes.len() && is_ident(bytes[j]) {
            j += 1;
        }
        let word: String = bytes[i..j].iter().collect();
        let follows = bytes.get(j) == Some(&':') && bytes.get(j + 1) == Some(&':');
        let base = match word.as_str() {
            "crate" => Some(Vec::new()),
            "self" => Some(m.path.clone()),
            "super" => Some(m.path[..m.path.len().saturating_sub(1)].to_vec()),
            w if children.contains(w) => Some([m.path.clone(), vec![w.to_string()]].concat()),
            _ => None,
        };
        match base {
            Some(mut base) if follows => {
                let (tails, end) = path_tails(&bytes, j + 2);
                // `super::super::x`
                for t in tails {
                    let mut p = base.clone();
                    for seg in t {
                        if seg == "super" {
                            p.pop();
                        } else {
                            p.push(seg);
                        }
                    }
                    out.push(p);
                }
                base.clear();
                i = end;
            }
            _ => i = j,
        }
    }
    out
}

/// The segments after `::`: one path, or one per member of a `{...}` group.
fn path_tails(b: &[char], mut i: usize) -> (Vec<Vec<String>>, usize) {
    let mut segs = Vec::new();
    loop {
        if b.get(i) == Some(&'{') {
            let mut depth = 0;
            let start = i + 1;
            let mut k = i;
            while k < b.len() {
                match b[k] {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                k += 1;
            }
            let inner: String = b[start..k.min(b.len())].iter().collect();
            let mut out = Vec::new();
            for member in split_top(&inner) {
                let chars: Vec<char> = member.trim().chars().collect();
                let (tails, _) = path_tails(&chars, 0);
                for t in tails {
                    out.push([segs.clone(), t].concat());
                }
            }
            return (out, k + 1);
        }
        let s = i;
        while i < b.len() && is_ident(b[i]) {
            i += 1;
        }
        if i == s {
            return (vec![segs], i);
        }
        segs.push(b[s..i].iter().collect());
        if b.get(i) == Some(&':') && b.get(i + 1) == Some(&':') {
            i += 2;
        } else {
            return (vec![segs], i);
        }
    }
}

fn split_top(s: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth) = (Vec::new(), String::new(), 0);
    for c in s.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

/// Circles among the files of one module tree, each as its files.
fn import_circles(root: &Path) -> Vec<String> {
    let modules = module_tree(root);
    let by_path: BTreeMap<Vec<String>, usize> = modules
        .iter()
        .enumerate()
        .map(|(i, m)| (m.path.clone(), i))
        .collect();
    let mut edges: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); modules.len()];
    for (i, m) in modules.iter().enumerate() {
        let children: BTreeSet<String> = declared_modules(&m.text).into_iter().collect();
        for p in named_paths(m, &children) {
            // the longest prefix that is a file of the tree
            let target = (0..=p.len()).rev().find_map(|n| by_path.get(&p[..n]));
            if let Some(&t) = target {
                let to = &modules[t].path;
                // a module's own ancestors hold what it shares: not an edge
                if t != i && !m.path.starts_with(to) {
                    edges[i].insert(t);
                }
            }
        }
    }
    strongly_connected(&edges)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            c.iter()
                .map(|&i| modules[i].file.display().to_string())
                .collect::<Vec<_>>()
                .join(" <-> ")
        })
        .collect()
}

/// Tarjan's strongly connected components.
fn strongly_connected(edges: &[BTreeSet<usize>]) -> Vec<Vec<usize>> {
    struct State<'a> {
        edges: &'a [BTreeSet<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(s: &mut State, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in s.edges[v].clone().iter() {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                _ => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                comp.push(w);
                if w == v {
                    break;
                }
            }
            s.out.push(comp);
        }
    }
    let n = edges.len();
    let mut s = State {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.out
}

/// docs/ARCHITECTURE.md's recipe for adding a language stays true: the
/// files it names exist, the `Spec` it shows has the real fields, and
/// its registry line is the real one plus the new folder.
#[test]
fn the_language_recipe_matches_the_code() {
    let root = workspace();
    let doc = std::fs::read_to_string(root.join("docs/ARCHITECTURE.md")).unwrap();
    let start = doc
        .find("## Adding a language")
        .expect("the recipe section");
    let recipe = &doc[start..];
    let recipe = &recipe[..recipe[3..].find("\n## ").map_or(recipe.len(), |i| i + 3)];
    let flat = recipe.split_whitespace().collect::<Vec<_>>().join(" ");

    let mut paths = 0;
    for quoted in flat.split('`').skip(1).step_by(2) {
        let path = quoted.split_whitespace().next().unwrap_or("");
        if path.starts_with("crates/") && !path.contains("scala") {
            paths += 1;
            assert!(
                root.join(path).exists(),
                "the recipe names {path}, which is gone"
            );
        }
    }
    assert!(paths >= 3, "the recipe should name the files it touches");

    let lang = std::fs::read_to_string(root.join("crates/queries/src/lang/mod.rs")).unwrap();
    let spec = &lang[lang.find("pub struct Spec {").expect("lang::Spec")..];
    let spec = &spec[..spec.find("\n}").unwrap()];
    let real: Vec<&str> = spec
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub "))
        .filter_map(|l| l.split_once(':').map(|(f, _)| f))
        .collect();
    let shown = &flat[flat.find("Spec {").expect("the recipe shows a Spec") + 6..];
    let shown = &shown[..shown.find("})").unwrap()];
    let shown: Vec<&str> = shown
        .split(',')
        .map(|f| f.split(':').next().unwrap().trim())
        .filter(|f| !f.is_empty())
        .collect();
    assert_eq!(shown, real, "the recipe's Spec and lang::Spec differ");

    let registry =
        std::fs::read_to_string(root.join("crates/queries/src/languages/mod.rs")).unwrap();
    let line = registry_line(&registry);
    let with_scala = line.replace(");", ", scala);");
    assert!(
        flat.contains(&with_scala),
        "the recipe should show the registry line `{with_scala}`"
    );
}
