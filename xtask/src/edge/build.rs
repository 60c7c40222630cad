//! `cargo xtask wasm`: the edge replica (crates/wasm) as a Cloudflare
//! Worker bundle in crates/wasm/build/.
//!
//! rustup here has no wasm32 target and cannot fetch one, so the Worker is
//! built with Debian's `rustc-web` 1.96 and its std source through
//! `-Zbuild-std`, linked by LLVM's `wasm-ld` (../shared/notes/wasm.md). The
//! rest comes from the registries: wasm-bindgen-cli at the version in
//! crates/wasm/Cargo.lock (crate registry), wrangler and esbuild from
//! crates/wasm/package-lock.json (npm). Nothing is fetched at test time.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::crate_dir;
use crate::{run, target_dir};

const DEBIAN_RUST: &str = "1.96.0+dfsg1-1~deb12u2";
const WASM_LD: &str = "/usr/lib/llvm-22/bin/wasm-ld";

/// Tools that live outside the repository: wasm-bindgen-cli.
fn tools_dir() -> PathBuf {
    std::env::var_os("WEFT_EDGE_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/tmp".into()))
                .join(".cache/weft-edge/tools")
        })
}

/// Debian's rustc-web, its std source and wasm-ld, installed when missing.
pub fn ensure_debian_rust() -> Result<()> {
    let ok = Command::new("/usr/bin/rustc")
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("1.96"))
        && Path::new(WASM_LD).exists()
        && Path::new("/usr/lib/rustlib/src/rust/library").exists();
    if ok {
        return Ok(());
    }
    eprintln!("installing Debian's rustc-web {DEBIAN_RUST}, rust-web-src and lld-22 (apt-get)");
    // A private archive directory: the image's docker-clean hook deletes
    // shared .debs mid-install.
    let archives = std::env::temp_dir().join("weft-apt-archives");
    std::fs::create_dir_all(archives.join("partial"))?;
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    let pin = |p: &str| format!("{p}={DEBIAN_RUST}");
    run(Command::new("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "-q", "--no-install-recommends", "-o"])
        .arg(format!("Dir::Cache::Archives={}/", archives.display()))
        .args([
            pin("rustc-web"),
            pin("cargo-web"),
            pin("rust-web-src"),
            "lld-22".into(),
        ]))?;
    Ok(())
}

fn locked_version(lock: &Path, name: &str) -> Result<String> {
    let text =
        std::fs::read_to_string(lock).with_context(|| format!("reading {}", lock.display()))?;
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        if l == format!("name = \"{name}\"")
            && let Some(v) = lines.next().and_then(|v| v.strip_prefix("version = "))
        {
            return Ok(v.trim_matches('"').to_string());
        }
    }
    bail!("{name} is not in {}", lock.display())
}

/// wasm-bindgen-cli at exactly the version the Worker links against.
fn ensure_wasm_bindgen() -> Result<PathBuf> {
    let version = locked_version(&crate_dir().join("Cargo.lock"), "wasm-bindgen")?;
    let bin = tools_dir().join("bin/wasm-bindgen");
    let have = Command::new(&bin)
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(&version));
    if !have {
        eprintln!("installing wasm-bindgen-cli {version} (about 10 minutes, once)");
        // not --locked: its lock file pins a crate version the registry lacks
        run(Command::new("cargo")
            .args([
                "install",
                "wasm-bindgen-cli",
                "--version",
                &version,
                "--root",
            ])
            .arg(tools_dir()))?;
    }
    Ok(bin)
}

/// wrangler and esbuild, exactly as package-lock.json pins them.
pub fn ensure_npm() -> Result<PathBuf> {
    let bin = crate_dir().join("node_modules/.bin");
    if !bin.join("wrangler").exists() {
        eprintln!("installing wrangler from crates/wasm/package-lock.json (npm ci)");
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(crate_dir()))?;
    }
    Ok(bin)
}

/// The environment that selects Debian's toolchain for wasm32.
pub fn debian_env(cmd: &mut Command) -> &mut Command {
    cmd.env("PATH", "/usr/lib/llvm-22/bin:/usr/bin:/bin:/usr/sbin:/sbin")
        .env("RUSTC", "/usr/bin/rustc")
        .env("RUSTDOC", "/usr/bin/rustdoc")
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", WASM_LD)
        .env("WASM_BINDGEN_USE_JS_SYS", "1")
        .env("CARGO_TARGET_DIR", target_dir().join("wasm"))
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTFLAGS")
}

/// The JavaScript entry worker-build 0.8.7 generates, by hand: it resets
/// the instance after a fatal wasm error and passes env and ctx along.
const SHIM: &str = r#"import { WorkerEntrypoint } from "cloudflare:workers";
import * as exports from "./index.js";
Error.stackTraceLimit = 100;
const initState = exports.__worker_init_state();
addEventListener('error', (e) => {
  if (e.error instanceof WebAssembly.RuntimeError) { console.error('Critical', e.error); initState.criticalError = true; }
});
class Entrypoint extends WorkerEntrypoint {}
Entrypoint.prototype.fetch = function fetch(arg) {
  if (initState.criticalError) { exports.__wbg_reset_state(); initState.criticalError = false; initState.instanceId++; }
  return exports.fetch.call(this, arg, this.env, this.ctx);
};
export default Entrypoint;
"#;

fn gzip_size(path: &Path) -> Result<u64> {
    let out = run(Command::new("sh")
        .arg("-c")
        .arg(format!("gzip -9 -c '{}' | wc -c", path.display())))?;
    Ok(out.trim().parse()?)
}

/// Build the Worker into crates/wasm/build/ and print its size.
pub fn wasm(_args: &[String]) -> Result<()> {
    ensure_debian_rust()?;
    let wasm_bindgen = ensure_wasm_bindgen()?;
    let npm_bin = ensure_npm()?;
    eprintln!("building crates/wasm for wasm32-unknown-unknown (Debian rustc-web, -Zbuild-std)");
    run(debian_env(&mut Command::new("/usr/bin/cargo"))
        .args([
            "build",
            "--lib",
            "--release",
            "--locked",
            "--target",
            "wasm32-unknown-unknown",
            "-Zbuild-std=std,panic_abort",
        ])
        .current_dir(crate_dir()))?;
    let wasm = target_dir().join("wasm/wasm32-unknown-unknown/release/weft_edge.wasm");
    let build = crate_dir().join("build");
    let _ = std::fs::remove_dir_all(&build);
    std::fs::create_dir_all(&build)?;
    run(Command::new(&wasm_bindgen)
        .arg(&wasm)
        .arg("--out-dir")
        .arg(&build)
        .args([
            "--no-typescript",
            "--target",
            "module",
            "--out-name",
            "index",
            "--experimental-reset-state-function",
            "--force-enable-abort-handler",
        ]))?;
    std::fs::write(build.join("shim.js"), SHIM)?;
    run(Command::new(npm_bin.join("esbuild"))
        .args([
            "--external:./index_bg.wasm",
            "--external:cloudflare:*",
            "--format=esm",
            "--bundle",
            "./shim.js",
            "--outfile=index.js",
            "--allow-overwrite",
            "--minify",
        ])
        .current_dir(&build))?;
    let js = build.join("index.js");
    let text = std::fs::read_to_string(&js)?.replace("import source ", "import ");
    std::fs::write(&js, text)?;
    std::fs::remove_file(build.join("shim.js"))?;
    let _ = std::fs::remove_dir_all(build.join("snippets"));

    let bg = build.join("index_bg.wasm");
    let (raw, gz) = (std::fs::metadata(&bg)?.len(), gzip_size(&bg)?);
    let (js_raw, js_gz) = (std::fs::metadata(&js)?.len(), gzip_size(&js)?);
    println!(
        "{{\"bench\":\"wasm-size\",\"wasm_bytes\":{raw},\"wasm_gzip_bytes\":{gz},\"js_bytes\":{js_raw},\"js_gzip_bytes\":{js_gz},\"total_gzip_bytes\":{}}}",
        gz + js_gz
    );
    eprintln!(
        "crates/wasm/build: wasm {:.0} KB ({:.0} KB gzip), js {:.0} KB ({:.0} KB gzip)",
        raw as f64 / 1024.0,
        gz as f64 / 1024.0,
        js_raw as f64 / 1024.0,
        js_gz as f64 / 1024.0
    );
    Ok(())
}
