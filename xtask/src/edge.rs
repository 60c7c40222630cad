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

use crate::{root, run};

const DEBIAN_RUST: &str = "1.96.0+dfsg1-1~deb12u2";
const WASM_LD: &str = "/usr/lib/llvm-22/bin/wasm-ld";

fn crate_dir() -> PathBuf {
    root().join("crates/wasm")
}

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
fn ensure_debian_rust() -> Result<()> {
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
        .env("CARGO_TARGET_DIR", root().join("target/wasm"))
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
    let wasm = root().join("target/wasm/wasm32-unknown-unknown/release/weft_edge.wasm");
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

/// A `wrangler dev --local` child; stopped on drop.
struct Dev {
    child: std::process::Child,
    port: u16,
}

impl Drop for Dev {
    fn drop(&mut self) {
        // wrangler starts workerd as its own child: stop the group
        let _ = Command::new("kill")
            .arg("--")
            .arg(format!("-{}", self.child.id()))
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn wrangler(npm_bin: &Path, state: &Path) -> Command {
    let mut c = Command::new(npm_bin.join("wrangler"));
    c.current_dir(crate_dir())
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "true")
        .env("NO_UPDATE_NOTIFIER", "1")
        .env("XDG_CONFIG_HOME", state.join("config"));
    c
}

/// Load `sql` into the local D1 database kept under `state`.
fn d1_load(npm_bin: &Path, state: &Path, sql: &Path) -> Result<()> {
    run(wrangler(npm_bin, state)
        .args(["d1", "execute", "weft", "--local", "--persist-to"])
        .arg(state.join("d1"))
        .arg("--file")
        .arg(sql)
        .stdout(std::process::Stdio::null()))?;
    Ok(())
}

fn dev(npm_bin: &Path, state: &Path) -> Result<Dev> {
    use std::os::unix::process::CommandExt;
    let port = free_port()?;
    let log = std::fs::File::create(state.join("dev.log"))?;
    let child = wrangler(npm_bin, state)
        .args([
            "dev",
            "--local",
            "--ip",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ])
        .arg("--persist-to")
        .arg(state.join("d1"))
        .stdout(log.try_clone()?)
        .stderr(log)
        .process_group(0)
        .spawn()
        .context("starting wrangler dev")?;
    let dev = Dev { child, port };
    let t = std::time::Instant::now();
    while t.elapsed() < std::time::Duration::from_secs(60) {
        if std::fs::read_to_string(state.join("dev.log"))?.contains("Ready on") {
            return Ok(dev);
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    bail!(
        "wrangler dev was not ready within 60 s; see {}",
        state.join("dev.log").display()
    )
}

/// (status, body) of a GET to the local Worker.
pub fn http_get(port: u16, path: &str) -> Result<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("no status in {head:?}"))?;
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    Ok((
        status,
        if chunked {
            dechunk(body)
        } else {
            body.to_string()
        },
    ))
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// `cargo xtask edge-test`: the Worker in local workerd over a local D1
/// loaded from `weft snapshot export --d1`.
pub fn edge_test(args: &[String]) -> Result<()> {
    wasm(args)?;
    let npm_bin = ensure_npm()?;
    let work = std::env::temp_dir().join(format!("weft-edge-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let state = work.join("state");
    std::fs::create_dir_all(&state)?;

    // The corpus: a copy of this repository's own crates/db.
    let tree = work.join("tree");
    run(Command::new("cp")
        .arg("-a")
        .arg(root().join("crates/db"))
        .arg(&tree))?;
    run(Command::new("cargo")
        .args(["build", "-q", "-p", "weft"])
        .current_dir(root()))?;
    let weft = root().join("target/debug/weft");
    run(Command::new(&weft)
        .arg("index")
        .arg(&tree)
        .stdout(std::process::Stdio::null()))?;
    let sql = work.join("weft.sql");
    run(Command::new(&weft)
        .args(["snapshot", "export", "--d1"])
        .arg(&sql)
        .current_dir(&tree))?;
    let info: String = run(Command::new(&weft)
        .args(["--json", "snapshot", "info"])
        .current_dir(&tree))?;
    let revision = info
        .split("\"revision\":")
        .nth(1)
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .context("no revision in snapshot info")?
        .to_string();

    let mut failures = Vec::new();
    let mut check = |what: &str, ok: bool, detail: &str| {
        eprintln!("{} {what}", if ok { "ok  " } else { "FAIL" });
        if !ok {
            failures.push(format!("{what}: {detail}"));
        }
    };
    {
        // an empty database first: no schema
        let dev = dev(&npm_bin, &state)?;
        let (status, body) = http_get(dev.port, "/healthz")?;
        check(
            "a database without the schema answers 503",
            status == 503 && body.contains("\"status\":503"),
            &format!("{status} {body}"),
        );
    }
    d1_load(&npm_bin, &state, &sql)?;
    let dev = dev(&npm_bin, &state)?;
    let (status, body) = http_get(dev.port, "/healthz")?;
    check(
        "/healthz reports the snapshot's revision",
        status == 200 && body.contains(&format!("\"revision\":{revision}")),
        &format!("{status} {body}"),
    );
    let (status, body) = http_get(dev.port, "/no/such/route")?;
    check(
        "an unknown route answers 404 with a JSON error",
        status == 404 && body.contains("\"status\":404"),
        &format!("{status} {body}"),
    );
    drop(dev);
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&work);
        eprintln!("edge test passed");
        Ok(())
    } else {
        bail!(
            "{} edge checks failed (work dir kept: {}):\n{}",
            failures.len(),
            work.display(),
            failures.join("\n")
        )
    }
}
