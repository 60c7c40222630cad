//! `cargo xtask accuracy`: go-to-definition precision and recall against
//! compiler-grade indexers (rust-analyzer, scip-python, scip-typescript via
//! ../shared/bench/oracle.sh; for Go, the Go type checker through
//! xtask/go-oracle; for Java, javac through xtask/java-oracle; for C and
//! C++, libclang through xtask/clang-oracle) and the synthetic generator's exact truth, written as a
//! table into docs/ACCURACY.md.
//!
//! Everything generated stays outside the repository, in
//! $WEFT_ACCURACY_DIR (default ~/.cache/weft/accuracy): project copies
//! (src/), oracle indexes and pairs (oracle/, reused when present: delete a
//! file to regenerate it), weft's pairs (weft/).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{root, run, shared, target_dir};

/// A scored project: where its sources come from and which oracle judges it.
struct Project {
    lang: &'static str,
    /// Directory name in the corpus (`rust/aho-corasick-1.1.5`), or the
    /// synthetic generator's language.
    name: &'static str,
    oracle: Oracle,
}

#[derive(Clone, Copy, PartialEq)]
enum Oracle {
    RustAnalyzer,
    ScipPython,
    ScipTypescript,
    /// xtask/go-oracle over a GOROOT package: `name` is `<dir>@go1.19` and
    /// the import path is the package's path under the corpus's goroot/src.
    GoTypes(&'static str),
    /// xtask/java-oracle (javac's own attribution) over a package tree of
    /// the JDK 17 sources (Debian's openjdk-17-source): `(module, path)`,
    /// compiled as part of that module.
    Javac(&'static str, &'static str),
    /// xtask/clang-oracle (libclang 14's own references) over a C or C++
    /// project: `"c"` or `"c++"`.
    Clang(&'static str),
    Synthetic,
}

const PROJECTS: &[Project] = &[
    Project {
        lang: "rust",
        name: "aho-corasick-1.1.5",
        oracle: Oracle::RustAnalyzer,
    },
    Project {
        lang: "rust",
        name: "regex-syntax-0.8.11",
        oracle: Oracle::RustAnalyzer,
    },
    Project {
        lang: "rust",
        name: "synth-rust-2000",
        oracle: Oracle::Synthetic,
    },
    Project {
        lang: "python",
        name: "requests-2.34.2",
        oracle: Oracle::ScipPython,
    },
    Project {
        lang: "python",
        name: "click-8.5.1",
        oracle: Oracle::ScipPython,
    },
    Project {
        lang: "python",
        name: "synth-python-2000",
        oracle: Oracle::Synthetic,
    },
    Project {
        lang: "go",
        name: "json@go1.19",
        oracle: Oracle::GoTypes("encoding/json"),
    },
    Project {
        lang: "go",
        name: "template@go1.19",
        oracle: Oracle::GoTypes("text/template"),
    },
    Project {
        lang: "java",
        name: "classfile@jdk17",
        oracle: Oracle::Javac("jdk.jdeps", "com/sun/tools/classfile"),
    },
    Project {
        lang: "java",
        name: "concurrent@jdk17",
        oracle: Oracle::Javac("java.base", "java/util/concurrent"),
    },
    Project {
        lang: "c",
        name: "brotli-1.1.0",
        oracle: Oracle::Clang("c"),
    },
    Project {
        lang: "cpp",
        name: "googletest-1.12.1",
        oracle: Oracle::Clang("c++"),
    },
    Project {
        lang: "ts",
        name: "mobx@7.1.3",
        oracle: Oracle::ScipTypescript,
    },
    Project {
        lang: "ts",
        name: "immer@11.2.10",
        oracle: Oracle::ScipTypescript,
    },
];

impl Project {
    /// Where the corpus keeps the project's sources.
    fn corpus_dir(&self, corpus: &Path) -> PathBuf {
        match self.oracle {
            Oracle::GoTypes(import_path) => corpus.join("go/goroot/src").join(import_path),
            _ => corpus.join(self.lang).join(self.name),
        }
    }
}

impl Oracle {
    /// Does the oracle come from ../shared/bench/oracle.sh as a SCIP index?
    fn is_scip(self) -> bool {
        matches!(
            self,
            Oracle::RustAnalyzer | Oracle::ScipPython | Oracle::ScipTypescript
        )
    }
}

const RESOLUTIONS: &[&str] = &["scoped", "heuristic"];

/// One score.py SUMMARY line.
#[derive(Default, Clone)]
struct Score {
    precision: f64,
    recall: f64,
    oracle_refs: u64,
    pairs: u64,
}

pub fn accuracy(args: &[String]) -> Result<()> {
    let only: Option<Vec<&str>> = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(|s| s.split(',').collect());
    let data = std::env::var_os("WEFT_ACCURACY_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| home().join(".cache/weft/accuracy"));
    let corpus = std::env::var_os("WEFT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| home().join(".cache/weft-bench/corpus"));
    let tools = std::env::var_os("TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/peers-tools"));
    for d in ["src", "oracle", "weft"] {
        std::fs::create_dir_all(data.join(d))?;
    }
    let projects: Vec<&Project> = PROJECTS
        .iter()
        .filter(|p| only.as_ref().is_none_or(|o| o.contains(&p.name)))
        .collect();

    let need_corpus: Vec<&str> = projects
        .iter()
        .filter(|p| {
            !matches!(
                p.oracle,
                Oracle::Synthetic | Oracle::Javac(..) | Oracle::Clang(_)
            ) && !p.corpus_dir(&corpus).is_dir()
        })
        .map(|p| p.lang)
        .collect();
    if !need_corpus.is_empty() {
        eprintln!(
            "assembling the corpus for {need_corpus:?} in {}",
            corpus.display()
        );
        run(Command::new("bash")
            .arg(shared().join("corpus.sh"))
            .arg(&corpus)
            .args(&need_corpus))?;
    }
    if projects.iter().any(|p| p.oracle.is_scip())
        && !tools.join("npm/node_modules/.bin/scip-python").exists()
    {
        eprintln!(
            "installing the oracle indexers in {} (oracle.sh setup)",
            tools.display()
        );
        run(Command::new("bash")
            .arg(shared().join("oracle.sh"))
            .arg("setup")
            .env("TOOLS", &tools))?;
    }

    eprintln!("building weft (release)");
    run(Command::new("cargo")
        .args(["build", "--release", "-q", "-p", "weft"])
        .current_dir(root()))?;
    let weft = target_dir().join("release/weft");

    let mut rows = Vec::new();
    for p in &projects {
        eprintln!("== {} {}", p.lang, p.name);
        let src = data.join("src").join(p.name);
        let oracle = prepare(p, &corpus, &data, &src, &tools, false)?;
        let oracle_with_locals = prepare(p, &corpus, &data, &src, &tools, true)?;
        let pairs = data.join("weft").join(format!("{}.pairs.jsonl", p.name));
        let pairs_with_locals = data
            .join("weft")
            .join(format!("{}.locals.pairs.jsonl", p.name));
        run(Command::new(&weft)
            .args(["--no-write", "-C"])
            .arg(&src)
            .args(["export", "--pairs", "--no-locals", "-o"])
            .arg(&pairs))?;
        run(Command::new(&weft)
            .args(["--no-write", "-C"])
            .arg(&src)
            .args(["export", "--pairs", "-o"])
            .arg(&pairs_with_locals))?;
        let overall = score(&oracle, &pairs)?;
        let with_locals = score(&oracle_with_locals, &pairs_with_locals)?;
        let without_params = match p.oracle {
            Oracle::ScipPython | Oracle::ScipTypescript => {
                Some(score(&parameters_as_locals(&oracle)?, &pairs)?)
            }
            _ => None,
        };
        let imported = match p.oracle.is_scip() {
            false => None,
            true => Some(score(&oracle, &import_scip(&weft, p, &data, &src)?)?),
        };
        let text = std::fs::read_to_string(&pairs)?;
        let mut by = Vec::new();
        for r in RESOLUTIONS {
            let only = data.join("weft").join(format!("{}.{r}.jsonl", p.name));
            let tag = format!("\"resolution\":\"{r}\"");
            let kept: String = text
                .lines()
                .filter(|l| l.contains(&tag))
                .flat_map(|l| [l, "\n"])
                .collect();
            std::fs::write(&only, kept)?;
            by.push(score(&oracle, &only)?);
        }
        eprintln!(
            "   with locals: precision {:.3} recall {:.3} ({} oracle references); without: precision {:.3} recall {:.3} ({})",
            with_locals.precision,
            with_locals.recall,
            with_locals.oracle_refs,
            overall.precision,
            overall.recall,
            overall.oracle_refs
        );
        rows.push((p, with_locals, overall, by, without_params, imported));
    }

    let mut table = String::new();
    writeln!(
        table,
        "| language | project | oracle | with locals: oracle refs / weft pairs | with locals: precision / recall | oracle refs | weft pairs | precision | recall | recall, parameters as locals | scoped: pairs / precision / recall | heuristic: pairs / precision | with `--scip`: precision / recall |"
    )?;
    writeln!(
        table,
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|"
    )?;
    for (p, l, o, by, np, imp) in &rows {
        writeln!(
            table,
            "| {} | {} | {} | {} / {} | {:.3} / {:.3} | {} | {} | {:.3} | {:.3} | {} | {} / {:.3} / {:.3} | {} / {:.3} | {} |",
            p.lang,
            p.name,
            match p.oracle {
                Oracle::RustAnalyzer => "rust-analyzer 1.96",
                Oracle::ScipPython => "scip-python 0.6.6",
                Oracle::ScipTypescript => "scip-typescript 0.4.0",
                Oracle::GoTypes(_) => "go/types 1.19 (xtask/go-oracle)",
                Oracle::Javac(..) => "javac 17 (xtask/java-oracle)",
                Oracle::Clang(_) => "libclang 14 (xtask/clang-oracle)",
                Oracle::Synthetic => "synth.py --truth (exact)",
            },
            l.oracle_refs,
            l.pairs,
            l.precision,
            l.recall,
            o.oracle_refs,
            o.pairs,
            o.precision,
            o.recall,
            np.as_ref()
                .map_or("=".to_string(), |s| format!("{:.3}", s.recall)),
            by[0].pairs,
            by[0].precision,
            by[0].recall,
            by[1].pairs,
            by[1].precision,
            imp.as_ref().map_or("–".to_string(), |s| format!(
                "{:.3} / {:.3}",
                s.precision, s.recall
            )),
        )?;
    }
    println!("{table}");
    if only.is_none() {
        write_table(&root().join("docs/ACCURACY.md"), &table)?;
        eprintln!("wrote the table into docs/ACCURACY.md");
    }
    Ok(())
}

fn home() -> PathBuf {
    PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/tmp".into()))
}

/// Copy the project, run its oracle unless cached; the oracle pairs' path.
/// With `locals`, the oracle names uses of locals and parameters too (the
/// synthetic truth has none: the same pairs either way).
fn prepare(
    p: &Project,
    corpus: &Path,
    data: &Path,
    src: &Path,
    tools: &Path,
    locals: bool,
) -> Result<PathBuf> {
    let oracle_dir = data.join("oracle");
    let out = oracle_dir.join(p.name);
    let which = if locals { "locals" } else { "nolocals" };
    let pairs = oracle_dir.join(format!("{}.{which}.jsonl", p.name));
    let locals_env = ("WEFT_ORACLE_LOCALS", if locals { "1" } else { "0" });
    if p.oracle == Oracle::Synthetic {
        let truth = oracle_dir.join(format!("{}.truth.jsonl", p.name));
        if !truth.exists() || !src.is_dir() {
            let _ = std::fs::remove_dir_all(src);
            let n = p.name.rsplit('-').next().unwrap_or("2000");
            run(Command::new("python3")
                .arg(shared().join("synth.py"))
                .args(["--lang", p.lang, "-n", n, "--seed", "1", "--out"])
                .arg(src)
                .arg("--truth")
                .arg(&truth))?;
        }
        return Ok(truth);
    }
    if let Oracle::Javac(module, package) = p.oracle {
        if !src.is_dir() {
            let zip = jdk_sources()?;
            let staging = data.join("src").join(format!("{}.unzip", p.name));
            let _ = std::fs::remove_dir_all(&staging);
            run(Command::new("unzip")
                .arg("-q")
                .arg(&zip)
                .arg(format!("{module}/{package}/*"))
                .arg("-d")
                .arg(&staging))?;
            // the package tree from its source root: `java/util/...`
            std::fs::rename(staging.join(module), src)?;
            std::fs::remove_dir_all(&staging)?;
        }
        if !pairs.exists() {
            let text = run(Command::new("java")
                .env(locals_env.0, locals_env.1)
                .arg(root().join("xtask/java-oracle/Oracle.java"))
                .arg(src)
                .arg("--patch-module")
                .arg(format!("{module}={}", src.display())))?;
            std::fs::write(&pairs, text)?;
        }
        return Ok(pairs);
    }
    if let Oracle::Clang(lang) = p.oracle {
        if !src.is_dir() {
            c_family_sources(p.name, data, src)?;
        }
        if !pairs.exists() {
            let oracle = clang_oracle()?;
            eprintln!("   running the oracle (libclang parses every translation unit: minutes)");
            let text = run(Command::new("/usr/bin/python3")
                .env(locals_env.0, locals_env.1)
                .arg(oracle)
                .arg(src)
                .arg(lang))?;
            std::fs::write(&pairs, text)?;
        }
        return Ok(pairs);
    }
    let from = p.corpus_dir(corpus);
    if let Oracle::GoTypes(import_path) = p.oracle {
        if !src.is_dir() {
            run(Command::new("cp").arg("-r").arg(&from).arg(src))?;
            // the package's import path, as GOROOT's own go.mod ("std") gives it
            std::fs::write(
                src.join("go.mod"),
                format!("module {import_path}\n\ngo 1.19\n"),
            )?;
        }
        if !pairs.exists() {
            let (oracle, goroot) = go_oracle(data)?;
            let text = run(Command::new(oracle)
                .arg(src)
                .arg(import_path)
                .env(locals_env.0, locals_env.1)
                .env("GOROOT", goroot))?;
            std::fs::write(&pairs, text)?;
        }
        return Ok(pairs);
    }
    if !src.is_dir() {
        if p.oracle == Oracle::ScipTypescript {
            // the package's TypeScript sources with a plain tsconfig
            std::fs::create_dir_all(src)?;
            run(Command::new("cp").arg("-r").arg(from.join("src")).arg(src))?;
            std::fs::write(
                src.join("tsconfig.json"),
                r#"{"compilerOptions":{"target":"es2022","module":"esnext","moduleResolution":"node","strict":false,"skipLibCheck":true,"noEmit":true,"experimentalDecorators":true},"include":["src/**/*.ts","src/**/*.tsx"]}"#,
            )?;
        } else {
            run(Command::new("cp").arg("-r").arg(&from).arg(src))?;
        }
    }
    let scip = oracle_dir.join(format!("{}.scip", p.name));
    if !scip.exists() {
        let oracle = shared().join("oracle.sh");
        let mut cmd = Command::new("bash");
        cmd.arg(&oracle).env("TOOLS", tools);
        match p.oracle {
            Oracle::RustAnalyzer => cmd.arg("rust").arg(src).arg(&out),
            Oracle::ScipTypescript => cmd.arg("ts").arg(src).arg(&out),
            _ => {
                let (name, version) = p.name.rsplit_once('-').context("NAME-VERSION")?;
                cmd.arg("python").arg(src).arg(&out).args([name, version])
            }
        };
        eprintln!("   running the oracle (rust-analyzer takes minutes)");
        run(&mut cmd)?;
    }
    if !pairs.exists() {
        let s2j = scip2jsonl(data)?;
        let mut text = run(Command::new(s2j)
            .arg("pairs")
            .arg(&scip)
            .args(if locals {
                &[][..]
            } else {
                &["--no-locals"][..]
            })
            .arg("--with-external"))?;
        if p.oracle == Oracle::ScipPython {
            text = src_layout_aliases(&text)?;
        }
        // A local the index names no definition for (scip-python's name
        // bound by `import x`) is no judgment of where it is defined.
        text = text
            .lines()
            .filter(|l| !(l.contains("\"symbol\":\"local ") && l.contains("\"def\":null")))
            .flat_map(|l| [l, "\n"])
            .collect();
        std::fs::write(&pairs, text)?;
    }
    Ok(pairs)
}

/// scip-python names a src-layout package's modules `src.click.core` where
/// they are defined and `click.core` where the tests import them (pyright
/// resolves the import to src/click all the same), so the tests' references
/// come out with no definition and every in-project answer to them would
/// count as wrong. Give such a reference the definition of its `src.`
/// twin; references with no twin stay external.
fn src_layout_aliases(pairs: &str) -> Result<String> {
    use std::collections::HashMap;
    fn symbol(line: &str) -> Option<&str> {
        line.split("\"symbol\":\"").nth(1)?.split('"').next()
    }
    fn def(line: &str) -> Option<&str> {
        let start = line.find("\"def\":{")? + "\"def\":".len();
        let end = start + line[start..].find('}')? + 1;
        Some(&line[start..end])
    }
    let mut defs: HashMap<&str, &str> = HashMap::new();
    for l in pairs.lines() {
        if let (Some(s), Some(d)) = (symbol(l), def(l)) {
            defs.entry(s).or_insert(d);
        }
    }
    let mut out = String::with_capacity(pairs.len());
    let mut repaired = 0usize;
    for l in pairs.lines() {
        let twin = (l.contains("\"def\":null"))
            .then(|| symbol(l))
            .flatten()
            .and_then(|s| {
                // `click.core`/Option# (dotted module names are quoted), click/__init__:
                let twin = match s.split_once(" `") {
                    Some((package, descriptor)) => format!("{package} `src.{descriptor}"),
                    None => {
                        let (package, descriptor) = s.rsplit_once(' ')?;
                        let (module, rest) = descriptor.split_once('/')?;
                        format!("{package} `src.{module}`/{rest}")
                    }
                };
                defs.get(twin.as_str())
            });
        match twin {
            Some(d) => {
                out.push_str(&l.replacen("\"def\":null", &format!("\"def\":{d}"), 1));
                repaired += 1;
            }
            None => out.push_str(l),
        }
        out.push('\n');
    }
    if repaired > 0 {
        eprintln!(
            "   {repaired} references under a src-layout module name given their src. twin's definition"
        );
    }
    Ok(out)
}

/// xtask/go-oracle built into the data directory with Debian's Go 1.19
/// (installed with apt-get when missing: the same release as the corpus's
/// goroot); the binary and the GOROOT whose sources it type-checks against.
fn go_oracle(data: &Path) -> Result<(PathBuf, PathBuf)> {
    let goroot = PathBuf::from("/usr/lib/go-1.19");
    let go = goroot.join("bin/go");
    if !go.exists() {
        eprintln!("   installing Go 1.19 from Debian (apt-get install golang-1.19-go)");
        run(Command::new("apt-get").args(["install", "-y", "-q", "golang-1.19-go"]))?;
    }
    let bin = data.join("go-oracle");
    let source = root().join("xtask/go-oracle");
    let stale = |b: &Path| -> bool {
        let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        modified(b) < modified(&source.join("main.go"))
    };
    if !bin.exists() || stale(&bin) {
        eprintln!("   building xtask/go-oracle");
        run(Command::new(&go)
            .args(["build", "-o"])
            .arg(&bin)
            .arg(".")
            .current_dir(&source)
            .env("GOROOT", &goroot)
            .env("GOPROXY", "off")
            .env("GOFLAGS", "-mod=mod")
            .env("GOCACHE", data.join("go-cache"))
            .env("GOPATH", data.join("go-path")))?;
    }
    Ok((bin, goroot))
}

/// The JDK 17 class library's sources (Debian's openjdk-17-source, with
/// the JDK that runs xtask/java-oracle), installed with apt-get when missing.
fn jdk_sources() -> Result<PathBuf> {
    let zip = PathBuf::from("/usr/lib/jvm/java-17-openjdk-amd64/lib/src.zip");
    if !zip.exists() {
        eprintln!(
            "   installing the JDK 17 sources (apt-get install openjdk-17-jdk-headless openjdk-17-source)"
        );
        run(Command::new("apt-get").args([
            "install",
            "-y",
            "-q",
            "openjdk-17-jdk-headless",
            "openjdk-17-source",
        ]))?;
    }
    Ok(zip)
}

/// A C or C++ project's sources, from the registries this machine reaches:
/// brotli's C library from its PyPI source distribution (`c/`), googletest
/// from Debian's googletest package (`/usr/src/googletest/googletest`,
/// without `gtest-all.cc`, which includes every other source again).
fn c_family_sources(name: &str, data: &Path, src: &Path) -> Result<()> {
    match name {
        "brotli-1.1.0" => {
            let dl = data.join("src").join("brotli-sdist");
            std::fs::create_dir_all(&dl)?;
            run(Command::new("python3")
                .args([
                    "-m",
                    "pip",
                    "download",
                    "-q",
                    "--no-deps",
                    "--no-binary",
                    ":all:",
                ])
                .arg("brotli==1.1.0")
                .arg("-d")
                .arg(&dl))?;
            run(Command::new("tar")
                .arg("xzf")
                .arg(dl.join("Brotli-1.1.0.tar.gz"))
                .arg("-C")
                .arg(&dl))?;
            run(Command::new("cp")
                .arg("-r")
                .arg(dl.join("Brotli-1.1.0/c"))
                .arg(src))?;
        }
        "googletest-1.12.1" => {
            let from = Path::new("/usr/src/googletest/googletest");
            if !from.is_dir() {
                eprintln!("   installing googletest's sources (apt-get install googletest)");
                run(Command::new("apt-get").args(["install", "-y", "-q", "googletest"]))?;
            }
            run(Command::new("cp").arg("-r").arg(from).arg(src))?;
            std::fs::remove_file(src.join("src/gtest-all.cc"))?;
        }
        other => bail!("no recipe for the sources of {other}"),
    }
    Ok(())
}

/// xtask/clang-oracle, with Debian's python3-clang-14 and libclang1-14
/// installed with apt-get when missing.
fn clang_oracle() -> Result<PathBuf> {
    if !Path::new("/usr/lib/llvm-14/lib/libclang-14.so.1").exists()
        || !Path::new("/usr/lib/python3/dist-packages/clang").exists()
    {
        eprintln!("   installing libclang 14 (apt-get install python3-clang-14 libclang1-14)");
        run(Command::new("apt-get").args([
            "install",
            "-y",
            "-q",
            "python3-clang-14",
            "libclang1-14",
        ]))?;
    }
    Ok(root().join("xtask/clang-oracle/oracle.py"))
}

/// The shared SCIP-to-JSONL converter, built once into the data directory.
fn scip2jsonl(data: &Path) -> Result<PathBuf> {
    let target = data.join("scip2jsonl-target");
    let bin = target.join("release/scip2jsonl");
    if !bin.exists() {
        eprintln!("   building the shared scip2jsonl converter");
        run(Command::new("cargo")
            .args(["build", "--release", "-q", "--manifest-path"])
            .arg(shared().join("scip2jsonl/Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target))?;
    }
    Ok(bin)
}

/// The oracle without references to parameters and type parameters.
/// scip-python and scip-typescript name them as global symbols
/// (`f().(x)`, `f().[T]`); rust-analyzer, like weft, treats them as locals,
/// which `--no-locals` already drops. This makes the three comparable.
fn parameters_as_locals(oracle: &Path) -> Result<PathBuf> {
    let out = oracle.with_extension("noparams.jsonl");
    let text = std::fs::read_to_string(oracle)?;
    let kept: String = text
        .lines()
        .filter(|l| {
            let symbol = l
                .split("\"symbol\":\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or("");
            !(symbol.ends_with(')') || symbol.ends_with(']'))
        })
        .flat_map(|l| [l, "\n"])
        .collect();
    std::fs::write(&out, kept)?;
    Ok(out)
}

/// Weft's pairs after importing the oracle's own SCIP index: a check of
/// the importer (it should agree with its source), not an accuracy figure.
fn import_scip(weft: &Path, p: &Project, data: &Path, src: &Path) -> Result<PathBuf> {
    let db = data.join("weft").join(format!("{}.scip-import.db", p.name));
    let _ = std::fs::remove_file(&db);
    let scip = data.join("oracle").join(format!("{}.scip", p.name));
    run(Command::new(weft)
        .arg("-C")
        .arg(src)
        .arg("--db")
        .arg(&db)
        .arg("index")
        .arg("--scip")
        .arg(&scip))?;
    let pairs = data
        .join("weft")
        .join(format!("{}.scip-import.jsonl", p.name));
    run(Command::new(weft)
        .arg("-C")
        .arg(src)
        .arg("--db")
        .arg(&db)
        .args(["export", "--pairs", "-o"])
        .arg(&pairs))?;
    for sidecar in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{sidecar}", db.display()));
    }
    Ok(pairs)
}

fn score(oracle: &Path, candidate: &Path) -> Result<Score> {
    let out = run(Command::new("python3")
        .arg(shared().join("score.py"))
        .arg(oracle)
        .arg(candidate)
        .arg("--quiet"))?;
    let line = out
        .lines()
        .find(|l| l.starts_with("SUMMARY"))
        .context("score.py printed no SUMMARY")?;
    let field = |k: &str| -> f64 {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(&format!("{k}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    Ok(Score {
        precision: field("precision"),
        recall: field("recall"),
        oracle_refs: field("oracle_refs") as u64,
        pairs: field("cand_pairs") as u64,
    })
}

/// Replace the text between the table markers of ACCURACY.md.
fn write_table(doc: &Path, table: &str) -> Result<()> {
    const BEGIN: &str = "<!-- accuracy:begin -->";
    const END: &str = "<!-- accuracy:end -->";
    let text =
        std::fs::read_to_string(doc).with_context(|| format!("reading {}", doc.display()))?;
    let (Some(b), Some(e)) = (text.find(BEGIN), text.find(END)) else {
        bail!("{} has no {BEGIN} ... {END} markers", doc.display());
    };
    let new = format!("{}{BEGIN}\n{table}{}", &text[..b], &text[e..]);
    std::fs::write(doc, new)?;
    Ok(())
}
