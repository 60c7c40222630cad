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

use crate::{root, run, target_dir};

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

/// Start `cmd` in its own process group, its output in `log`, and wait
/// up to `timeout` until `ready` says it serves; stopped on drop.
fn start(
    mut cmd: Command,
    port: u16,
    log: &Path,
    timeout: std::time::Duration,
    ready: impl Fn() -> bool,
) -> Result<Dev> {
    use std::os::unix::process::CommandExt;
    let out = std::fs::File::create(log)?;
    let child = cmd
        .stdout(out.try_clone()?)
        .stderr(out)
        .process_group(0)
        .spawn()
        .with_context(|| format!("starting {cmd:?}"))?;
    let running = Dev { child, port };
    let t = std::time::Instant::now();
    while t.elapsed() < timeout {
        if ready() {
            return Ok(running);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    bail!(
        "{cmd:?} was not ready within {} s; see {}",
        timeout.as_secs(),
        log.display()
    )
}

/// `wrangler dev --local` over the D1 kept under `state`, on a free port.
fn dev(npm_bin: &Path, state: &Path) -> Result<Dev> {
    let port = free_port()?;
    let mut cmd = wrangler(npm_bin, state);
    cmd.args([
        "dev",
        "--local",
        "--ip",
        "127.0.0.1",
        "--port",
        &port.to_string(),
    ])
    .arg("--persist-to")
    .arg(state.join("d1"));
    let log = state.join("dev.log");
    start(cmd, port, &log, std::time::Duration::from_secs(60), || {
        std::fs::read_to_string(&log).is_ok_and(|l| l.contains("Ready on"))
    })
}

/// (status, body) of a GET to a local server. Reads exactly the response
/// (by its length or its chunks): workerd keeps a connection open for a
/// while even when asked to close it.
pub fn http_get(port: u16, path: &str) -> Result<(u16, String)> {
    use std::io::{BufRead, BufReader, Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(60)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("no status in {line:?}"))?;
    let (mut length, mut chunked) = (None, false);
    loop {
        line.clear();
        r.read_line(&mut line)?;
        let h = line.trim_end().to_ascii_lowercase();
        if h.is_empty() {
            break;
        }
        if let Some(v) = h.strip_prefix("content-length:") {
            length = v.trim().parse::<usize>().ok();
        }
        if h.starts_with("transfer-encoding:") && h.contains("chunked") {
            chunked = true;
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let n = usize::from_str_radix(line.trim(), 16).context("chunk size")?;
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk)?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = length {
        body.resize(n, 0);
        r.read_exact(&mut body)?;
    } else {
        r.read_to_end(&mut body)?;
    }
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// `weft serve` on `tree`, on a free loopback port; stopped on drop.
fn serve(weft: &Path, tree: &Path, state: &Path) -> Result<Dev> {
    let port = free_port()?;
    let mut cmd = Command::new(weft);
    cmd.args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .current_dir(tree);
    start(
        cmd,
        port,
        &state.join("serve.log"),
        std::time::Duration::from_secs(120),
        || http_get(port, "/healthz").is_ok_and(|(s, _)| s == 200),
    )
}

/// The `revision` member of a JSON document (`/healthz`, `snapshot info`).
fn revision_in(json: &str) -> Result<u64> {
    let v: serde_json::Value = serde_json::from_str(json)?;
    v["revision"]
        .as_u64()
        .with_context(|| format!("no revision in {json}"))
}

/// Escape what a query string cannot hold.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~:/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where the contract's tree gets words common enough to be split
/// (`weft_db::search::split_words`), so that the Worker runs the word
/// search's every plan; the sweep leaves its symbols out.
const COMMON_WORDS_DIR: &str = "common/";

/// More `get` and `item` rows than word search scores at once (1,500),
/// `lamp` in fewer, and searches over them.
fn write_common_words(tree: &std::path::Path) -> Result<()> {
    let mut src = String::new();
    for i in 0..1600 {
        src.push_str(&format!(
            "pub fn get_item_{i}() {{}}\npub fn put_thing_{i}() {{}}\n"
        ));
    }
    for i in 0..1200 {
        src.push_str(&format!("pub fn lamp_{i}() {{}}\n"));
    }
    src.push_str("pub fn get_item_get_item() {}\npub fn lamp_get_item() {}\n");
    let dir = tree.join(COMMON_WORDS_DIR);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("lots.rs"), src)?;
    Ok(())
}

/// Searches over [`write_common_words`]'s file.
const COMMON_WORD_QUERIES: &[&str] = &[
    "/v1/search?q=lamp%20get%20item&limit=10",
    "/v1/search?q=get%20item&limit=3",
    "/v1/search?q=get%20the%20lamp%20item&path=common/&limit=5",
    "/v1/search?q=get%20item%20lamp&kind=function&lang=rust&limit=4",
    "/v1/search?q=get%20item%20cart&path=web/",
];

/// The contract's requests: the fixed list, then a sweep over every
/// symbol and file the server knows; and how many are fixed.
fn contract_queries(server: u16) -> Result<(Vec<String>, usize)> {
    let fixed =
        std::fs::read_to_string(root().join("crates/cli/tests/fixtures/contract-queries.txt"))?;
    let mut out: Vec<String> = fixed
        .lines()
        .filter(|l| l.starts_with("/v1/"))
        .map(str::to_string)
        .chain(COMMON_WORD_QUERIES.iter().map(|q| q.to_string()))
        .collect();
    let fixed = out.len();
    let (status, body) = http_get(server, "/v1/symbols?q=&limit=0")?;
    if status != 200 {
        bail!("weft serve listed no symbols: {status} {body}");
    }
    let v: serde_json::Value = serde_json::from_str(&body)?;
    let mut files = std::collections::BTreeSet::new();
    for r in v["result"].as_array().context("symbols answer")? {
        let (id, file) = (
            r["id"].as_str().unwrap_or(""),
            r["file"].as_str().unwrap_or(""),
        );
        let line = r["span"]["start"]["line"].as_u64().unwrap_or(0) + 1;
        let col = r["span"]["start"]["col"].as_u64().unwrap_or(0) + 1;
        if file.starts_with(COMMON_WORDS_DIR) {
            continue;
        }
        files.insert(file.to_string());
        for q in [
            format!("refs?target={id}"),
            format!("callers?target={id}&depth=2"),
            format!("callees?target={id}"),
            format!("callees?target={id}&depth=2"),
            format!("impls?target={id}"),
            format!("impact?target={id}&depth=2"),
            format!("def?at={}:{line}:{col}", enc(file)),
            format!("def?at={}:{line}", enc(file)),
        ] {
            out.push(format!("/v1/{q}"));
        }
    }
    for f in &files {
        let f = enc(f);
        out.push(format!("/v1/deps?target={f}"));
        out.push(format!("/v1/impact?target={f}&depth=3"));
        out.push(format!("/v1/outline?file={f}"));
    }
    Ok((out, fixed))
}

/// `cargo xtask edge-test`: the Worker in local workerd over a local D1
/// loaded from `weft snapshot export --d1`, against `weft serve` on the
/// same snapshot: every request of the contract gets the same status and
/// body from both.
pub fn edge_test(args: &[String]) -> Result<()> {
    wasm(args)?;
    let npm_bin = ensure_npm()?;
    let work = std::env::temp_dir().join(format!("weft-edge-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let state = work.join("state");
    std::fs::create_dir_all(&state)?;

    // The contract's tree: the multi-language fixture of the native test.
    let tree = work.join("tree");
    run(Command::new("cp")
        .arg("-a")
        .arg(root().join("crates/cli/tests/fixtures/contract"))
        .arg(&tree))?;
    write_common_words(&tree)?;
    run(Command::new("cargo")
        .args(["build", "-q", "-p", "weft"])
        .current_dir(root()))?;
    let weft = target_dir().join("debug/weft");
    let server = serve(&weft, &tree, &state)?;
    let sql = work.join("weft.sql");
    run(Command::new(&weft)
        .args(["snapshot", "export", "--d1"])
        .arg(&sql)
        .current_dir(&tree))?;
    let revision = revision_in(&http_get(server.port, "/healthz")?.1)?.to_string();

    let mut failures = Vec::new();
    let mut check = |what: &str, ok: bool, detail: &str| {
        eprintln!("{} {what}", if ok { "ok  " } else { "FAIL" });
        if !ok {
            failures.push(format!("{what}: {detail}"));
        }
    };
    let no_snapshot = "{\"error\":{\"status\":503,\"message\":\"the database holds no weft snapshot: load one with `weft snapshot export --d1`\"}}";
    {
        // an empty database first: no schema
        let dev = dev(&npm_bin, &state)?;
        for path in ["/healthz", "/v1/refs?target=x"] {
            let (status, body) = http_get(dev.port, path)?;
            check(
                &format!("{path} on a database without the schema answers 503"),
                status == 503 && body == no_snapshot,
                &format!("{status} {body}"),
            );
        }
    }
    d1_load(&npm_bin, &state, &sql)?;
    let dev = dev(&npm_bin, &state)?;
    let (status, body) = http_get(dev.port, "/healthz")?;
    check(
        "/healthz reports the snapshot's revision",
        status == 200 && body.contains(&format!("\"revision\":{revision}")),
        &format!("{status} {body}"),
    );
    for (path, want) in [
        ("/no/such/route", 404),
        ("/v1/cycles", 501),
        ("/v1/path?from=a&to=b", 501),
    ] {
        let (status, body) = http_get(dev.port, path)?;
        check(
            &format!("{path} answers {want} with a JSON error"),
            status == want && body.contains(&format!("\"status\":{want}")),
            &format!("{status} {body}"),
        );
    }

    let (queries, fixed) = contract_queries(server.port)?;
    let t = std::time::Instant::now();
    let mut differ = Vec::new();
    let mut ok = 0;
    for q in &queries {
        let a = http_get(server.port, q)?;
        let b = http_get(dev.port, q)?;
        if a == b {
            ok += 1;
        } else {
            differ.push(format!(
                "{q}\n  serve  {} {}\n  worker {} {}",
                a.0, a.1, b.0, b.1
            ));
        }
    }
    eprintln!(
        "contract: {ok} of {} answers equal ({} fixed, the rest a sweep) in {:.1} s",
        queries.len(),
        fixed,
        t.elapsed().as_secs_f64()
    );
    check(
        &format!(
            "the Worker answers {} requests as weft serve does",
            queries.len()
        ),
        differ.is_empty(),
        &differ
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n"),
    );

    // replication: an edit reaches the replica as one --since batch
    std::fs::write(
        tree.join("shop/src/price.rs"),
        std::fs::read_to_string(tree.join("shop/src/price.rs"))?
            + "\npub fn vat(x: u32) -> u32 {\n    x / 5\n}\n",
    )?;
    let t = std::time::Instant::now();
    let new_revision = loop {
        let r = revision_in(&http_get(server.port, "/healthz")?.1)?.to_string();
        if r != revision || t.elapsed().as_secs() > 30 {
            break r;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    // the writer stores the batch right after it publishes it
    std::thread::sleep(std::time::Duration::from_millis(500));
    let batch = work.join("since.sql");
    let report = run(Command::new(&weft)
        .args(["--json", "snapshot", "export", "--d1"])
        .arg(&batch)
        .args(["--since", &revision])
        .current_dir(&tree))?;
    let t = std::time::Instant::now();
    d1_load(&npm_bin, &state, &batch)?;
    eprintln!(
        "replication: revision {revision} -> {new_revision}: {} in {:.1} s",
        report.trim(),
        t.elapsed().as_secs_f64()
    );
    let (status, body) = http_get(dev.port, "/healthz")?;
    check(
        "after one --since batch the replica serves the new revision",
        status == 200 && body.contains(&format!("\"revision\":{new_revision}")),
        &format!("{status} {body}"),
    );
    let mut differ = Vec::new();
    for q in queries
        .iter()
        .take(fixed)
        .chain(["/v1/outline?file=shop/src/price.rs".to_string()].iter())
    {
        let (a, b) = (http_get(server.port, q)?, http_get(dev.port, q)?);
        if a != b {
            differ.push(format!(
                "{q}\n  serve  {} {}\n  worker {} {}",
                a.0, a.1, b.0, b.1
            ));
        }
    }
    check(
        "after the batch the Worker answers the contract as weft serve does",
        differ.is_empty(),
        &differ
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n"),
    );

    // another schema version
    run(wrangler(&npm_bin, &state)
        .args(["d1", "execute", "weft", "--local", "--persist-to"])
        .arg(state.join("d1"))
        .args([
            "--command",
            "UPDATE meta SET value = '2' WHERE key = 'schema_version'",
        ])
        .stdout(std::process::Stdio::null()))?;
    let (status, body) = http_get(dev.port, "/v1/stats")?;
    check(
        "a database of another schema version answers 503",
        status == 503 && body.contains("snapshot schema 2"),
        &format!("{status} {body}"),
    );
    drop(dev);
    drop(server);
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

/// A seeded xorshift, so runs pick the same targets.
fn picker() -> impl FnMut(usize) -> usize {
    let mut rng = 0x9E3779B97F4A7C15u64;
    move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n.max(1) as u64) as usize
    }
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// Milliseconds of one GET, and its status.
fn timed_get(port: u16, path: &str) -> Result<(f64, u16)> {
    let t = std::time::Instant::now();
    let (status, _) = http_get(port, path)?;
    Ok((t.elapsed().as_secs_f64() * 1e3, status))
}

/// `cargo xtask bench --edge`: the Worker in local workerd over a D1 copy
/// of `tree`'s snapshot. Prints JSON lines: bundle size, D1 load time,
/// cold and warm latency per route, and the `--since` batch of a one-file
/// edit.
pub fn bench(corpus: &Path, samples: usize, max_files: usize) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let size = run(Command::new("cargo")
        .args(["xtask", "wasm"])
        .current_dir(root()))?;
    out.extend(
        size.lines()
            .filter(|l| l.starts_with('{'))
            .map(str::to_string),
    );
    let npm_bin = ensure_npm()?;
    let weft = target_dir().join("release/weft");
    let lang = corpus.file_name().and_then(|n| n.to_str()).unwrap_or("?");
    let work = std::env::temp_dir().join(format!("weft-edge-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let state = work.join("state");
    std::fs::create_dir_all(&state)?;
    // `wrangler d1 execute --local` loads about 0.1 MB of SQL a second
    // here, so the replica gets the corpus's first packages (by name) up
    // to `max_files` source files
    let tree = work.join("tree");
    std::fs::create_dir_all(&tree)?;
    let mut packages: Vec<PathBuf> = std::fs::read_dir(corpus)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_dir()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    packages.sort();
    let mut taken = 0;
    for p in packages {
        let n = walk_files(&p)?.len();
        if taken > 0 && taken + n > max_files {
            break;
        }
        run(Command::new("cp").arg("-a").arg(&p).arg(&tree))?;
        taken += n;
    }
    let tree = tree.as_path();
    run(Command::new(&weft)
        .arg("index")
        .arg(tree)
        .stdout(std::process::Stdio::null()))?;
    let sql = work.join("weft.sql");
    let t = std::time::Instant::now();
    let report = run(Command::new(&weft)
        .args(["--json", "snapshot", "export", "--d1"])
        .arg(&sql)
        .current_dir(tree))?;
    let export_s = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    d1_load(&npm_bin, &state, &sql)?;
    let load_s = t.elapsed().as_secs_f64();
    out.push(format!(
        "{{\"bench\":\"edge-d1-load\",\"lang\":\"{lang}\",\"files\":{taken},\"sql_bytes\":{},\"export_s\":{export_s:.2},\"load_s\":{load_s:.1},\"export\":{}}}",
        std::fs::metadata(&sql)?.len(),
        report.trim()
    ));
    eprintln!("{}", out.last().unwrap());

    // targets, through the Worker: functions of seeded files, and the
    // places that reference them
    let mut files: Vec<String> = Vec::new();
    for e in walk_files(tree)? {
        files.push(e);
    }
    files.sort();
    let mut next = picker();
    let worker = dev(&npm_bin, &state)?;
    let (mut ids, mut places, mut paths) = (Vec::new(), Vec::new(), Vec::new());
    let mut tries = 0;
    while ids.len() < samples && tries < samples * 20 {
        tries += 1;
        let f = &files[next(files.len())];
        let (status, body) = http_get(worker.port, &format!("/v1/outline?file={}", enc(f)))?;
        if status != 200 {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&body)?;
        let defs = v["result"].as_array().cloned().unwrap_or_default();
        let funcs: Vec<&serde_json::Value> = defs
            .iter()
            .filter(|d| matches!(d["kind"].as_str(), Some("function" | "method")))
            .collect();
        if funcs.is_empty() {
            continue;
        }
        let d = funcs[next(funcs.len())];
        let id = d["id"].as_str().unwrap_or_default().to_string();
        let (_, refs) = http_get(worker.port, &format!("/v1/refs?target={id}"))?;
        let r: serde_json::Value = serde_json::from_str(&refs)?;
        if let Some(h) = r["result"]["references"].as_array().and_then(|a| a.first()) {
            places.push(format!(
                "{}:{}:{}",
                enc(h["file"].as_str().unwrap_or("")),
                h["span"]["start"]["line"].as_u64().unwrap_or(0) + 1,
                h["span"]["start"]["col"].as_u64().unwrap_or(0) + 1
            ));
        }
        paths.push(enc(f));
        ids.push(id);
    }
    drop(worker);
    // each route over the targets: `{}` is an id, a file or a place
    let over = |list: &[String], template: &str| -> Vec<String> {
        list.iter().map(|x| template.replace("{}", x)).collect()
    };
    let routes: Vec<(&str, Vec<String>)> = vec![
        ("def", over(&places, "/v1/def?at={}")),
        ("refs", over(&ids, "/v1/refs?target={}")),
        ("callers", over(&ids, "/v1/callers?target={}")),
        ("callees", over(&ids, "/v1/callees?target={}")),
        ("impls", over(&ids, "/v1/impls?target={}")),
        ("deps", over(&paths, "/v1/deps?target={}")),
        ("outline", over(&paths, "/v1/outline?file={}")),
        (
            "callers-depth-3",
            over(&ids, "/v1/callers?target={}&depth=3"),
        ),
        ("impact-depth-2", over(&ids, "/v1/impact?target={}&depth=2")),
        (
            "symbols",
            ids.iter()
                .map(|i| format!("/v1/symbols?q={}", &i[..4]))
                .collect(),
        ),
        ("stats", vec!["/v1/stats".to_string(); samples.min(50)]),
    ];
    for (route, requests) in routes {
        if requests.is_empty() {
            continue;
        }
        // cold: the first request of a fresh isolate; warm: the rest
        let worker = dev(&npm_bin, &state)?;
        let (cold, _) = timed_get(worker.port, &requests[0])?;
        let mut warm = Vec::new();
        let mut errors = 0;
        for r in requests.iter().skip(1) {
            let (ms, status) = timed_get(worker.port, r)?;
            if status != 200 {
                errors += 1;
            }
            warm.push(ms);
        }
        drop(worker);
        if warm.is_empty() {
            continue;
        }
        let line = format!(
            "{{\"bench\":\"edge-latency\",\"lang\":\"{lang}\",\"route\":\"{route}\",\"cold_ms\":{cold:.1},\"warm_p50_ms\":{:.2},\"warm_p95_ms\":{:.2},\"n\":{},\"non_2xx\":{errors}}}",
            percentile(&mut warm, 0.5),
            percentile(&mut warm, 0.95),
            warm.len()
        );
        eprintln!("{line}");
        out.push(line);
    }

    // one file edited: the --since batch
    let revision = |d: &Path| -> Result<String> {
        let info = run(Command::new(&weft)
            .args(["--json", "snapshot", "info"])
            .current_dir(d))?;
        Ok(revision_in(&info)?.to_string())
    };
    let before = revision(tree)?;
    let victim = tree.join(&files[next(files.len())]);
    let original = std::fs::read(&victim)?;
    let edited = [
        original.clone(),
        b"\n// edited by the edge benchmark\n".to_vec(),
    ]
    .concat();
    std::fs::write(&victim, &edited)?;
    let result = (|| -> Result<String> {
        run(Command::new(&weft)
            .arg("index")
            .arg(tree)
            .stdout(std::process::Stdio::null()))?;
        let batch = work.join("since.sql");
        let r = run(Command::new(&weft)
            .args(["--json", "snapshot", "export", "--d1"])
            .arg(&batch)
            .args(["--since", &before])
            .current_dir(tree))?;
        let t = std::time::Instant::now();
        d1_load(&npm_bin, &state, &batch)?;
        Ok(format!(
            "{{\"bench\":\"edge-since\",\"lang\":\"{lang}\",\"file\":{:?},\"bytes\":{},\"apply_s\":{:.2},\"export\":{}}}",
            victim
                .strip_prefix(tree)
                .unwrap_or(&victim)
                .display()
                .to_string(),
            std::fs::metadata(&batch)?.len(),
            t.elapsed().as_secs_f64(),
            r.trim()
        ))
    })();
    std::fs::write(&victim, &original)?;
    run(Command::new(&weft)
        .arg("index")
        .arg(tree)
        .stdout(std::process::Stdio::null()))?;
    let line = result?;
    eprintln!("{line}");
    out.push(line);
    let _ = std::fs::remove_dir_all(&work);
    Ok(out)
}

/// Source files under `dir` (relative paths), skipping hidden directories.
fn walk_files(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name == "target" || name == "node_modules" {
                continue;
            }
            let p = e.path();
            if e.file_type()?.is_dir() {
                stack.push(p);
            } else if [".rs", ".py", ".ts", ".js", ".go"]
                .iter()
                .any(|x| name.ends_with(x))
            {
                out.push(p.strip_prefix(dir)?.to_string_lossy().into_owned());
            }
        }
    }
    Ok(out)
}
