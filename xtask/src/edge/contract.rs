//! `cargo xtask edge-test`: the contract's requests, answered by the Worker
//! and by `weft serve`, and diffed.

use std::process::Command;

use anyhow::{Context, Result, bail};

use super::build::{ensure_npm, wasm};
use super::workerd::{d1_load, dev, enc, http_get, revision_in, serve, wrangler};
use crate::{root, run, target_dir};

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
