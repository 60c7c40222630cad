//! Crash safety: `weft index` is killed (SIGKILL) at random moments while it
//! refreshes a snapshot after an edit; every time, the snapshot must open,
//! pass `weft snapshot check`, and hold exactly the old or the new graph.
//! Half the kills land at a random time in the whole run, half right after
//! the child announces its write transaction.
//!
//! `WEFT_KILLS` sets how many kills to land (default 50).

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use weft_db::store::{OpenOptions, Store};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const MODULES: usize = 60;

/// A crate of `MODULES` modules whose functions call each other; `gen`
/// changes bodies and signatures so every edit rewrites many rows.
fn module(k: usize, generation: u64) -> String {
    let mut s = format!("//! module {k}, generation {generation}\n");
    for j in 0..8 {
        let callee = (k * 7 + j * 3 + generation as usize) % MODULES;
        s += &format!(
            "pub fn f{j}_g{}(x: u32) -> u32 {{\n    crate::m{callee}::f{j}_g{}(x) + {k}\n}}\n",
            generation % 3,
            generation % 3
        );
    }
    s += &format!(
        "pub struct S{k} {{ pub v: u32 }}\nimpl S{k} {{ pub fn get(&self) -> u32 {{ self.v }} }}\n"
    );
    s
}

fn write_generation(root: &Path, rng: &mut Rng, generation: u64, first: bool) {
    let mut lib = String::new();
    for k in 0..MODULES {
        lib += &format!("pub mod m{k};\n");
        if first || rng.below(3) == 0 {
            write(
                root,
                &[(&format!("src/m{k}.rs"), module(k, generation).as_bytes())],
            );
        }
    }
    write(
        root,
        &[
            ("src/lib.rs", lib.as_bytes()),
            ("Cargo.toml", b"[package]\nname = \"k\"\n"),
        ],
    );
    // sometimes a file comes or goes
    let extra = root.join("src/extra.rs");
    if rng.below(4) == 0 {
        if extra.exists() {
            std::fs::remove_file(extra).unwrap();
        } else {
            write(
                root,
                &[(
                    "src/extra.rs",
                    b"pub fn extra() -> u32 { crate::m1::f0_g0(1) }\n",
                )],
            );
        }
    }
}

fn dump(root: &Path) -> Vec<String> {
    let (store, _) = Store::open(&root.join(".weft/graph.db"), &OpenOptions::reader())
        .expect("the snapshot opens after a kill");
    store.dump(true).expect("the snapshot reads after a kill")
}

fn index(root: &Path) -> Vec<String> {
    let o = weft(root, &["index"]);
    assert!(o.status.success(), "{}", stderr(&o));
    dump(root)
}

#[test]
fn killed_writers_leave_the_old_or_the_new_snapshot() {
    let want: usize = std::env::var("WEFT_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    let mut rng = Rng(0x6b696c6c);
    write_generation(root, &mut rng, 0, true);
    let t = Instant::now();
    let mut old = index(root);
    let full = t.elapsed();
    let (mut kills, mut during_write, mut finished_first) = (0usize, 0usize, 0usize);
    let (mut saw_old, mut saw_new) = (0usize, 0usize);
    let mut generation = 0;
    while kills < want {
        generation += 1;
        assert!(
            generation < 10 * want as u64,
            "too few kills landed: {kills}"
        );
        write_generation(root, &mut rng, generation, false);
        let mut child = Command::new(env!("CARGO_BIN_EXE_weft"))
            .arg("index")
            .current_dir(root)
            .env("WEFT_LOG", "weft::snapshot=debug")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let at_write = generation % 2 == 0;
        if at_write {
            // wait for the write transaction to begin, then kill within it
            let stderr = child.stderr.take().unwrap();
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    if line.contains("writing snapshot") {
                        let _ = tx.send(());
                    }
                }
            });
            let _ = rx.recv_timeout(full * 4 + Duration::from_secs(5));
            std::thread::sleep(Duration::from_micros(rng.below(20_000)));
        } else {
            std::thread::sleep(Duration::from_micros(
                rng.below(full.as_micros() as u64 * 3 / 2),
            ));
        }
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        child.wait().unwrap();
        if running {
            kills += 1;
            during_write += at_write as usize;
        } else {
            finished_first += 1;
        }
        let check = weft(root, &["snapshot", "check"]);
        assert!(
            check.status.success(),
            "after kill {kills} (generation {generation}): {}{}",
            stdout(&check),
            stderr(&check)
        );
        let after_kill = dump(root);
        let new = index(root);
        if after_kill == old {
            saw_old += 1;
        } else if after_kill == new {
            saw_new += 1;
        } else {
            panic!(
                "after kill {kills} (generation {generation}) the snapshot is neither the old nor the new state"
            );
        }
        old = new;
    }
    eprintln!(
        "{kills} kills ({during_write} aimed at the write), {finished_first} runs finished first; \
         snapshot held the old state {saw_old} times, the new {saw_new} times"
    );
    assert!(kills >= want);
    assert!(saw_old > 0, "no kill landed before a commit");
}
