//! `cargo xtask bench --grep`: `weft grep` against ast-grep's own command
//! line (`ast-grep-cli` from PyPI, installed into a venv under target/bench
//! the first time) in one run, on the Rust and Python corpora and on tokio
//! and Django. For each pattern: both match sets (file, start, end), which
//! must be equal; the median wall time of each over `--runs` runs on a
//! warm snapshot, weft from the command line (which loads the snapshot
//! each time) and through the repository's daemon (`weft serve`, which
//! keeps it loaded); and how many files the index let weft skip.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::{run, target_dir};

pub const AST_GREP: &str = "ast-grep-cli==0.51.1";

/// At least ten patterns a language, as people write them.
const PATTERNS: &[(&str, &[&str])] = &[
    (
        "rust",
        &[
            "$X.unwrap()",
            "$X.expect($M)",
            "Box::pin($F)",
            "Arc::new($X)",
            "$X.clone()",
            "unsafe { $$$ }",
            "impl $T for $U { $$$ }",
            "panic!($$$)",
            "async move { $$$ }",
            "std::mem::replace($A, $B)",
            "#[derive($$$)]",
            "Some($A)",
        ],
    ),
    (
        "python",
        &[
            "isinstance($A, str)",
            "print($$$)",
            "self.$A = $B",
            "raise $E",
            "len($X) == 0",
            "super().__init__($$$)",
            "lambda $X: $Y",
            "with open($F) as $V: $$$",
            "$A if $C else $B",
            "import $M",
            "dict($$$)",
            "assert $A == $B",
        ],
    ),
];

/// The repositories: each language's whole corpus, and tokio and Django.
fn corpora(corpus: &Path, langs: &[&str]) -> Result<Vec<(String, &'static str, PathBuf)>> {
    let mut out = Vec::new();
    for (lang, prefix) in [("rust", "tokio-1"), ("python", "django-")] {
        if !langs.contains(&lang) {
            continue;
        }
        let dir = corpus.join(lang);
        out.push((format!("{lang} corpus"), lang, dir.clone()));
        let one = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            })
            .with_context(|| format!("no {prefix}* in {}", dir.display()))?;
        let name = one.file_name().unwrap().to_string_lossy().into_owned();
        out.push((name, lang, one));
    }
    Ok(out)
}

fn ast_grep() -> Result<PathBuf> {
    let venv = target_dir().join("bench/ast-grep-venv");
    let bin = venv.join("bin/ast-grep");
    if !bin.is_file() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        run(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            AST_GREP,
        ]))?;
    }
    Ok(bin)
}

/// The (file, start, end) of each JSON line; `start` points at the start
/// offset, and its `end` twin at the end.
fn matches(out: &[u8], start: &str) -> Result<BTreeSet<(String, u64, u64)>> {
    let end = start.replace("start", "end");
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l)?;
            let at = |p: &str| v.pointer(p).and_then(|x| x.as_u64()).context("no offset");
            let file = v["file"].as_str().context("no file")?;
            Ok((
                file.trim_start_matches("./").to_string(),
                at(start)?,
                at(&end)?,
            ))
        })
        .collect()
}

/// Run a command `runs` times: the median wall time and the last output
/// (exit 1 with no output is "no match" for both tools).
fn median(runs: usize, mut make: impl FnMut() -> Command) -> Result<(Duration, Vec<u8>)> {
    let mut times = Vec::new();
    let mut last = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let o = make().output()?;
        times.push(t.elapsed());
        let no_match = o.status.code() == Some(1) && o.stdout.is_empty();
        if !o.status.success() && !no_match {
            bail!(
                "{:?} failed: {}",
                make(),
                String::from_utf8_lossy(&o.stderr)
            );
        }
        last = o.stdout;
    }
    times.sort();
    Ok((times[times.len() / 2], last))
}

/// The index's share of the work: "parsed P of F files".
fn parsed_of(text: &str) -> (u64, u64) {
    let Some(rest) = text
        .lines()
        .last()
        .and_then(|l| l.split("; parsed ").nth(1))
    else {
        return (0, 0);
    };
    let mut n = rest.split_whitespace();
    let p = n.next().and_then(|x| x.parse().ok()).unwrap_or(0);
    let f = n.nth(1).and_then(|x| x.parse().ok()).unwrap_or(0);
    (p, f)
}

pub fn bench(
    weft: &Path,
    corpus: &Path,
    work: &Path,
    langs: &[&str],
    runs: usize,
) -> Result<Vec<String>> {
    let sg = ast_grep()?;
    let mut lines = Vec::new();
    for (name, lang, src) in corpora(corpus, langs)? {
        // a copy: the snapshot and the daemon's socket go beside the files
        let dir = work.join(name.replace(' ', "-"));
        if !dir.is_dir() {
            std::fs::create_dir_all(work)?;
            run(Command::new("cp").arg("-r").arg(&src).arg(&dir))?;
            run(Command::new("git").args(["init", "-q"]).current_dir(&dir))?;
        }
        run(Command::new(weft).args(["index", "."]).current_dir(&dir))?;
        let patterns = PATTERNS.iter().find(|(l, _)| *l == lang).unwrap().1;
        let mut daemon = Command::new(weft)
            .args(["serve", "--no-http"])
            .current_dir(&dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()?;
        std::thread::sleep(Duration::from_secs(3));
        let result = (|| -> Result<()> {
            for pattern in patterns {
                let weft_cmd = |daemon: bool, json: bool| {
                    let mut c = Command::new(weft);
                    c.args(["grep", pattern, "--lang", lang]).current_dir(&dir);
                    if json {
                        c.arg("--json");
                    }
                    if !daemon {
                        c.arg("--no-daemon");
                    }
                    c
                };
                let (cli, ours) = median(runs, || weft_cmd(false, true))?;
                let (via_daemon, _) = median(runs, || weft_cmd(true, true))?;
                let (theirs_t, theirs) = median(runs, || {
                    let mut c = Command::new(&sg);
                    c.args(["run", "-p", pattern, "-l", lang, "--json=stream", "."])
                        .current_dir(&dir);
                    c
                })?;
                let ours = matches(&ours, "/bytes/start")?;
                let theirs = matches(&theirs, "/range/byteOffset/start")?;
                let text = weft_cmd(false, false).output()?;
                let (parsed, files) = parsed_of(&String::from_utf8_lossy(&text.stdout));
                lines.push(
                    serde_json::json!({
                        "bench": "grep",
                        "corpus": name,
                        "lang": lang,
                        "pattern": pattern,
                        "matches": ours.len(),
                        "ast_grep_matches": theirs.len(),
                        "identical": ours == theirs,
                        "only_weft": ours.difference(&theirs).count(),
                        "only_ast_grep": theirs.difference(&ours).count(),
                        "files": files,
                        "parsed": parsed,
                        "weft_cli_s": cli.as_secs_f64(),
                        "weft_daemon_s": via_daemon.as_secs_f64(),
                        "ast_grep_s": theirs_t.as_secs_f64(),
                        "runs": runs,
                    })
                    .to_string(),
                );
                eprintln!("{}", lines.last().unwrap());
            }
            Ok(())
        })();
        let _ = Command::new(weft)
            .args(["daemon", "stop"])
            .current_dir(&dir)
            .output();
        let _ = daemon.wait();
        result?;
    }
    Ok(lines)
}
