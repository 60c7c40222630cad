//! Helpers shared by the CLI tests: run the binary, write small repositories.
#![allow(dead_code)]

pub mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn weft(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run weft")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn write(dir: &Path, files: &[(&str, &[u8])]) {
    for (p, t) in files {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, t).unwrap();
    }
}

/// Run git in `dir` as a fixed author; its output. Fails the test when
/// git does.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    stdout(&o)
}

/// The small multi-language repository most CLI tests use.
pub const REPO: &[(&str, &[u8])] = &[
        ("Cargo.toml", b"[package]\nname = \"shop\"\n"),
        ("src/lib.rs", b"pub mod cart;\npub mod price;\n"),
        (
            "src/cart.rs",
            b"use crate::price::total;\n\n/// A cart.\npub struct Cart { pub items: Vec<u32> }\n\nimpl Cart {\n    pub fn sum(&self) -> u32 {\n        total(&self.items)\n    }\n}\n\npub fn checkout(c: &Cart) -> u32 {\n    Cart::sum(c)\n}\n",
        ),
        ("src/price.rs", b"pub fn total(xs: &[u32]) -> u32 {\n    xs.iter().sum()\n}\n"),
        ("app/models.py", b"class Base:\n    def save(self):\n        pass\n\nclass Order(Base):\n    def place(self):\n        self.save()\n"),
        ("app/__init__.py", b""),
        ("web/a.ts", b"import { b } from './b';\nexport function a() { b(); }\n"),
        ("web/b.ts", b"import { a } from './a';\nexport function b() { a(); }\n"),
];

pub fn repo() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), REPO);
    d
}

/// Files as one code dump: each introduced by a `FILE: <path>` line.
pub fn dump_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (p, t) in files {
        out.extend_from_slice(format!("FILE: {p}\n").as_bytes());
        out.extend_from_slice(t);
    }
    out
}

/// A Python venv with `package` (`name==version`) from PyPI, made once
/// under `dir` (the test's target directory): two test processes racing
/// both build one, and the first rename wins. Needs the package registry.
pub fn venv(dir: &Path, package: &str) -> PathBuf {
    let base = dir.join(package.replace("==", "-"));
    if base.join("bin/python").is_file() {
        return base;
    }
    let tmp = base.with_extension(format!("tmp{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&tmp)
        .status()
        .expect("python3 -m venv");
    assert!(made.success(), "python3 -m venv failed");
    let pip = Command::new(tmp.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", package])
        .output()
        .expect("pip");
    assert!(
        pip.status.success(),
        "pip install {package} (needs PyPI): {}",
        stderr(&pip)
    );
    if std::fs::rename(&tmp, &base).is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    assert!(base.join("bin/python").is_file());
    base
}
