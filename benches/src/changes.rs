//! Change intelligence benchmarks.
//!
//! `merges REPO [N]` replays the last N merge commits of a git repository:
//! for each, tier 1 of `weft conflicts` on the merge's two parents, against
//! the files `git merge-tree` reports as textually conflicted (source files
//! (source files only: manifests have no symbols). Precision and recall per
//! merge and per file.
//!
//! `tiers DIR [RUNS]` makes a git repository of the tree at DIR (a
//! synthetic 10k-file one in `cargo xtask bench`), two branches with known
//! edits, and times each tier of `weft conflicts`, without and then with a
//! snapshot of the base.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde_json::json;
use weft_ide::changes::{self, Event, changes_between};
use weft_load::history::versions::Versions;
use weft_queries::change::conflicts::{Tier, direct};

fn git(dir: &Path, args: &[&str]) -> Result<(bool, String)> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.com")
        .env("GIT_COMMITTER_NAME", "bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.com")
        .output()
        .with_context(|| format!("git {args:?}"))?;
    Ok((
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    ))
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() { 0.0 } else { v[v.len() / 2] }
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        0.0
    } else {
        v[((v.len() - 1) as f64 * p).round() as usize]
    }
}

pub fn merges(repo: &Path, n: usize) -> Result<()> {
    let (_, list) = git(
        repo,
        &["rev-list", "--merges", &format!("--max-count={n}"), "HEAD"],
    )?;
    let mut v = Versions::open(repo, 4 << 20)?;
    let (mut tp_m, mut fp_m, mut fn_m, mut tn_m) = (0, 0, 0, 0);
    let (mut tp_f, mut fp_f, mut fn_f) = (0usize, 0usize, 0usize);
    let mut times = Vec::new();
    let mut evaluated = 0;
    let mut misses: Vec<String> = Vec::new();
    for merge in list.lines() {
        let (_, parents) = git(
            repo,
            &["rev-parse", &format!("{merge}^1"), &format!("{merge}^2")],
        )?;
        let p: Vec<&str> = parents.lines().collect();
        if p.len() != 2 {
            continue;
        }
        let (clean, out) = git(
            repo,
            &[
                "merge-tree",
                "--write-tree",
                "--name-only",
                "--no-messages",
                p[0],
                p[1],
            ],
        )?;
        let truth: BTreeSet<String> = if clean {
            BTreeSet::new()
        } else {
            out.lines()
                .skip(1)
                .take_while(|l| !l.is_empty())
                .filter(|l| weft_queries::languages::of_path(l).is_some())
                .map(String::from)
                .collect()
        };
        let t = Instant::now();
        let (a, b) = (v.side(Some(p[0]))?, v.side(Some(p[1]))?);
        let Ok(base) = v.merge_base(&a, &b) else {
            continue;
        };
        let (da, db) = (v.deltas(&base, &a)?, v.deltas(&base, &b)?);
        let (ca, cb) = (changes_between(&mut v, &da)?, changes_between(&mut v, &db)?);
        let predicted_pairs = direct(&ca, &cb);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        evaluated += 1;
        let predicted: BTreeSet<String> = predicted_pairs
            .iter()
            .flat_map(|p| [p.a.current().path.clone(), p.b.current().path.clone()])
            .collect();
        match (!predicted.is_empty(), !truth.is_empty()) {
            (true, true) => tp_m += 1,
            (true, false) => fp_m += 1,
            (false, true) => fn_m += 1,
            (false, false) => tn_m += 1,
        }
        tp_f += predicted.intersection(&truth).count();
        fp_f += predicted.difference(&truth).count();
        let missed: Vec<&String> = truth.difference(&predicted).collect();
        fn_f += missed.len();
        if !missed.is_empty() && misses.len() < 10 {
            misses.push(format!("{merge}: {missed:?}"));
        }
    }
    let ratio = |a: usize, b: usize| {
        if a + b == 0 {
            1.0
        } else {
            a as f64 / (a + b) as f64
        }
    };
    println!(
        "{}",
        json!({
            "bench": "conflicts-replay", "repo": repo.display().to_string(), "merges": evaluated,
            "merge_level": {"tp": tp_m, "fp": fp_m, "fn": fn_m, "tn": tn_m,
                "precision": ratio(tp_m, fp_m), "recall": ratio(tp_m, fn_m)},
            "file_level": {"tp": tp_f, "fp": fp_f, "fn": fn_f,
                "precision": ratio(tp_f, fp_f), "recall": ratio(tp_f, fn_f)},
            "tier1_ms": {"median": median(&mut times.clone()), "p95": pct(&mut times, 0.95)},
            "facts": v.stats, "missed_examples": misses,
        })
    );
    Ok(())
}

/// Edit `files` of the scratch repository on a new branch.
/// A file to change, and how.
type Edit<'a> = (String, &'a dyn Fn(&str) -> String);

fn edit_branch(dir: &Path, name: &str, files: &[Edit]) -> Result<()> {
    git(dir, &["checkout", "-q", "-b", name, "main"])?;
    for (f, edit) in files {
        let p = dir.join(f);
        let text = std::fs::read_to_string(&p)?;
        let new = edit(&text);
        if new == text {
            bail!("{f}: the edit changed nothing");
        }
        std::fs::write(&p, new)?;
    }
    git(dir, &["commit", "-q", "-am", name])?;
    git(dir, &["checkout", "-q", "main"])?;
    Ok(())
}

pub fn tiers(src: &Path, runs: usize) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("weft-bench-tiers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let ok = Command::new("cp")
        .arg("-a")
        .arg(src)
        .arg(&dir)
        .status()?
        .success();
    if !ok {
        bail!("copying {}", src.display());
    }
    let _ = std::fs::remove_dir_all(dir.join(".weft"));
    let _ = std::fs::remove_dir_all(dir.join(".git"));
    git(&dir, &["init", "-q", "-b", "main"])?;
    git(&dir, &["add", "-A"])?;
    git(&dir, &["commit", "-q", "-m", "base"])?;
    let (_, files) = git(&dir, &["ls-files", "*.rs"])?;
    let files: Vec<String> = files.lines().map(String::from).collect();
    let total = files.len();
    // A: 40 body edits and 10 signature changes; B: 40 body edits, 10 of
    // them in the same functions as A's (direct conflicts).
    let every = |k: usize, off: usize| -> Vec<String> {
        (0..k)
            .map(|i| files[(i * 97 + off) % total].clone())
            .collect()
    };
    let body = |tag: &'static str| {
        move |t: &str| t.replacen(".wrapping_add(", &format!(".wrapping_add({tag} + "), 1)
    };
    let sig = |t: &str| t.replacen("(&self, x: i64)", "(&self, x: i64, _extra: i64)", 1);
    let (ba, bb) = (body("1"), body("2"));
    type Edit<'e> = (String, &'e dyn Fn(&str) -> String);
    let edits = |files: Vec<String>, f: &'static str| -> Vec<Edit> {
        let edit: &dyn Fn(&str) -> String = match f {
            "a" => &ba,
            "b" => &bb,
            _ => &sig,
        };
        files.into_iter().map(|p| (p, edit)).collect()
    };
    let mut a = edits(every(40, 0), "a");
    a.extend(edits(every(10, 5000), "sig"));
    let mut b = edits(every(10, 0), "b");
    b.extend(edits(every(30, 2500), "b"));
    edit_branch(&dir, "a", &a)?;
    edit_branch(&dir, "b", &b)?;

    let mut rows = Vec::new();
    for snapshot in [false, true] {
        if snapshot {
            let opts = weft_load::snapshot::SnapshotOptions {
                db: dir.join(".weft/graph.db"),
                lock_timeout: std::time::Duration::from_secs(30),
                walk: weft_load::walk::WalkOptions::new(4 << 20),
                write: true,
                require_write: true,
            };
            weft_load::snapshot::open_and_refresh(&dir, &opts)?;
        }
        let mut per: [Vec<f64>; 3] = Default::default();
        let mut total_ms = Vec::new();
        let mut counts = [0usize; 3];
        let mut facts = None;
        for _ in 0..runs {
            let t = Instant::now();
            let mut v = Versions::open(&dir, 4 << 20)?;
            let (sa, sb) = (v.side(Some("a"))?, v.side(Some("b"))?);
            let base = v.merge_base(&sa, &sb)?;
            changes::conflicts(&mut v, &base, &sa, &sb, 3, &mut |e| {
                if let Event::Tier {
                    tier,
                    millis,
                    predictions,
                } = e
                {
                    let i = match tier {
                        Tier::Direct => 0,
                        Tier::Semantic => 1,
                        Tier::Impact => 2,
                    };
                    per[i].push(millis);
                    counts[i] = predictions.len();
                }
            })?;
            total_ms.push(t.elapsed().as_secs_f64() * 1e3);
            facts = Some(v.stats);
        }
        let row = json!({
            "bench": "conflicts-tiers", "files": total, "snapshot": snapshot, "runs": runs,
            "tier_ms_median": {"direct": median(&mut per[0]), "semantic": median(&mut per[1]), "impact": median(&mut per[2])},
            "predictions": {"direct": counts[0], "semantic": counts[1], "impact": counts[2]},
            "total_ms_median": median(&mut total_ms), "facts": facts,
        });
        println!("{row}");
        rows.push(row);
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
