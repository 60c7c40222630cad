//! `weft serve` end to end: the real binary on an ephemeral loopback port,
//! queried over plain HTTP/1.1; files changed on disk arrive as
//! Server-Sent Events and show in the next answers.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::server::{Events, get, request, request_bytes, sigterm_and_wait, start};
use common::{repo, weft, write};
use serde_json::Value;

fn names(v: &Value) -> Vec<String> {
    v["result"]["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}:{}",
                r["file"].as_str().unwrap(),
                r["span"]["start"]["line"]
            )
        })
        .collect()
}

#[test]
fn queries_follow_edits_creations_deletions_and_renames_on_disk() {
    let d = repo();
    let dir = d.path();
    assert!(weft(dir, &["index"]).status.success());
    let s = start(dir, &[], &[]);

    let (status, v) = get(&s.addr, "/v1/refs?target=total");
    assert_eq!(status, 200);
    let r0 = v["revision"].as_u64().unwrap();
    assert_eq!(names(&v), vec!["src/cart.rs:0", "src/cart.rs:7"]);

    let mut events = Events::open(&s.addr, None);
    assert_eq!(events.next("hello")["revision"], r0);

    // modify: a second call to total()
    write(
        dir,
        &[(
            "src/price.rs",
            b"pub fn total(xs: &[u32]) -> u32 {\n    xs.iter().sum()\n}\n\npub fn twice(xs: &[u32]) -> u32 {\n    2 * total(xs)\n}\n",
        )],
    );
    let e = events.next("change");
    assert_eq!(e["changed"], serde_json::json!(["src/price.rs"]));
    assert!(
        e["symbols"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "twice" && s["change"] == "added"),
        "{e}"
    );
    let r1 = e["revision"].as_u64().unwrap();
    assert!(r1 > r0);
    let (_, v) = get(&s.addr, "/v1/refs?target=total");
    assert!(v["revision"].as_u64().unwrap() >= r1);
    assert!(names(&v).contains(&"src/price.rs:5".to_string()), "{v}");
    // structural search reads the edit too (its words, its text)
    let (status, v) = get(&s.addr, "/v1/grep?pattern=2%20*%20total(%24X)&lang=rust");
    assert_eq!(status, 200, "{v}");
    let hits = v["result"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{v}");
    assert_eq!(hits[0]["symbol"]["qualified_name"], "shop::price::twice");
    assert_eq!(hits[0]["captures"]["X"]["text"], "xs");
    let (status, v) = get(&s.addr, "/v1/grep?pattern=fn%20(&lang=rust");
    assert_eq!(status, 400, "{v}");

    // create
    write(
        dir,
        &[(
            "src/extra.rs",
            b"pub fn extra() -> u32 { crate::price::total(&[]) }\n",
        )],
    );
    let e = events.next("change");
    assert_eq!(e["changed"], serde_json::json!(["src/extra.rs"]));
    let (_, v) = get(&s.addr, "/v1/symbols?q=extra");
    assert_eq!(v["result"][0]["file"], "src/extra.rs");

    // rename
    std::fs::rename(dir.join("src/extra.rs"), dir.join("src/more.rs")).unwrap();
    let e = events.next("change");
    assert_eq!(e["removed"], serde_json::json!(["src/extra.rs"]), "{e}");
    assert_eq!(e["changed"], serde_json::json!(["src/more.rs"]), "{e}");
    let (_, v) = get(&s.addr, "/v1/symbols?q=extra");
    assert_eq!(v["result"][0]["file"], "src/more.rs");

    // delete
    std::fs::remove_file(dir.join("src/more.rs")).unwrap();
    let e = events.next("change");
    assert_eq!(e["removed"], serde_json::json!(["src/more.rs"]));
    let last = e["revision"].as_u64().unwrap();
    let (_, v) = get(&s.addr, "/v1/symbols?q=extra");
    assert_eq!(v["result"], serde_json::json!([]));

    // a client reconnecting after revision r1 gets the three it missed
    let mut again = Events::open(&s.addr, Some(r1));
    again.next("hello");
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(again.next("change")["revision"].as_u64().unwrap());
    }
    assert_eq!(seen.last(), Some(&last));
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
}

#[test]
fn bad_requests_get_json_errors_and_nothing_outside_the_root_is_read() {
    let d = repo();
    let dir = d.path();
    write(dir, &[("../outside.rs", b"pub fn secret() {}\n")]);
    let s = start(dir, &[], &[]);
    let cases: &[(&str, &str, u16)] = &[
        ("GET", "/v1/nope", 404),
        ("GET", "/nowhere", 404),
        ("GET", "/v1/refs", 400), // missing target
        ("GET", "/v1/refs?target=no_such_symbol_anywhere", 400),
        ("GET", "/v1/callers?target=total&depth=abc", 400),
        ("GET", "/v1/callers?target=total&depth=99999999999999", 400),
        ("GET", "/v1/impact?target=total&limit=-1", 400),
        ("GET", "/v1/symbols?q=a&limit=999999999999999999999", 400),
        ("GET", "/v1/callers?target=total&depth=", 400),
        ("GET", "/v1/outline?file=../outside.rs", 400),
        ("GET", "/v1/outline?file=/etc/passwd", 400),
        ("GET", "/v1/def?at=../outside.rs:1:8", 400),
        ("GET", "/v1/export?output=/tmp/x", 400),
        ("GET", "/v1/refs?target=total&%ZZ=1", 400),
        ("POST", "/v1/refs?target=total", 405),
        ("DELETE", "/v1/events", 405),
    ];
    for (method, path, want) in cases {
        let (status, body) = request(&s.addr, method, path, &[]);
        assert_eq!(status, *want, "{method} {path}: {body}");
        let v: Value =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"));
        assert_eq!(v["error"]["status"], *want, "{path}: {body}");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
    }
    // A request line over hyper's limit is refused before routing: 431,
    // without a JSON body (documented).
    let long = format!("/v1/refs?target={}", "a".repeat(1 << 20));
    assert_eq!(request(&s.addr, "GET", &long, &[]).0, 431);
    // still serving
    let (status, v) = get(&s.addr, "/v1/stats");
    assert_eq!(status, 200);
    assert!(v["result"]["symbols"].as_u64().unwrap() > 0);
}

#[test]
fn a_token_guards_every_route_but_health_and_is_required_beyond_loopback() {
    let d = repo();
    let dir = d.path();
    let token = "0123456789abcdef-token";
    let s = start(dir, &[("WEFT_TOKEN", token)], &[]);
    assert_eq!(request(&s.addr, "GET", "/v1/stats", &[]).0, 401);
    assert_eq!(
        request(
            &s.addr,
            "GET",
            "/v1/stats",
            &[("Authorization", "Bearer wrong-token-wrong")]
        )
        .0,
        401
    );
    let auth = format!("Bearer {token}");
    assert_eq!(
        request(&s.addr, "GET", "/v1/stats", &[("Authorization", &auth)]).0,
        200
    );
    assert_eq!(request(&s.addr, "GET", "/healthz", &[]).0, 200);

    let o = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(["serve", "--addr", "0.0.0.0:0"])
        .current_dir(dir)
        .env_remove("WEFT_TOKEN")
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("needs a token"));
}

#[test]
fn openapi_and_metrics_describe_the_running_server() {
    let d = repo();
    let s = start(d.path(), &[], &[]);
    let (status, doc) = get(&s.addr, "/v1/openapi.json");
    assert_eq!(status, 200);
    for route in ["refs", "callers", "impact", "symbols", "def", "stats"] {
        assert!(
            doc["paths"][format!("/v1/{route}")]["get"].is_object(),
            "{route}"
        );
    }
    let callers = &doc["paths"]["/v1/callers"]["get"]["parameters"];
    assert!(
        callers
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "depth" && p["schema"]["default"] == "1"),
        "{callers}"
    );
    get(&s.addr, "/v1/refs?target=total");
    let (status, text) = request(&s.addr, "GET", "/metrics", &[]);
    assert_eq!(status, 200);
    assert!(
        text.contains("weft_request_duration_seconds_count{route=\"/v1/refs\",status=\"200\"} 1"),
        "{text}"
    );
    assert!(text.contains("weft_symbols "));
    assert!(text.contains("weft_revision "));
}

/// A command run while a server holds the repository asks the server (the
/// repository's daemon); with --no-daemon it reads the snapshot as it is
/// (the server holds the writer lock) instead of waiting 30 s.
#[test]
fn commands_keep_answering_while_a_server_holds_the_snapshot() {
    let d = repo();
    let dir = d.path();
    assert!(weft(dir, &["index"]).status.success());
    let _s = start(dir, &[], &[]);
    let t = Instant::now();
    let through = weft(dir, &["refs", "total", "--json"]);
    assert!(through.status.success(), "{}", common::stderr(&through));
    assert!(common::stdout(&through).contains("src/cart.rs"));
    assert!(
        !common::stderr(&through).contains("read-only"),
        "answered by the server: {}",
        common::stderr(&through)
    );
    let own = weft(dir, &["refs", "total", "--json", "--no-daemon"]);
    assert!(own.status.success(), "{}", common::stderr(&own));
    assert_eq!(common::stdout(&own), common::stdout(&through));
    assert!(
        common::stderr(&own).contains("read-only"),
        "{}",
        common::stderr(&own)
    );
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
}

/// `Accept: application/x-postcard` gets the same answer, smaller, in
/// postcard; errors stay JSON.
#[test]
fn postcard_answers_decode_to_the_json_answer() {
    let d = repo();
    let s = start(d.path(), &[], &[]);
    let pc = [("Accept", weft_db::wire::MEDIA_TYPE)];
    for path in [
        "/v1/refs?target=total",
        "/v1/callers?target=total&depth=2",
        "/v1/symbols?q=a",
        "/v1/stats",
    ] {
        let (status, json) = get(&s.addr, path);
        assert_eq!(status, 200);
        let (status, head, body) = request_bytes(&s.addr, "GET", path, &pc);
        assert_eq!(status, 200, "{path}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: application/x-postcard"),
            "{head}"
        );
        let answer = weft_db::wire::decode_answer(&body).unwrap();
        assert_eq!(answer.revision, json["revision"].as_u64().unwrap());
        assert_eq!(Value::from(answer.result), json["result"], "{path}");
        assert!(
            body.len() < serde_json::to_vec(&json).unwrap().len(),
            "{path}"
        );
    }
    let (status, head, body) = request_bytes(&s.addr, "GET", "/v1/refs", &pc);
    assert_eq!(status, 400);
    assert!(head.to_ascii_lowercase().contains("application/json"));
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["error"]["status"], 400);
}

/// A symlink created under the root while serving is not followed, as in
/// `weft index`: one pointing outside brings nothing in.
#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_root_is_not_followed() {
    let d = repo();
    let dir = d.path();
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        &[("secret.rs", b"pub fn leaked_secret() {}\n")],
    );
    let s = start(dir, &[], &[]);
    let mut events = Events::open(&s.addr, None);
    events.next("hello");
    std::os::unix::fs::symlink(outside.path().join("secret.rs"), dir.join("src/leak.rs")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.join("linked")).unwrap();
    // a real edit after them, so their events have been handled
    write(dir, &[("src/after.rs", b"pub fn after_links() {}\n")]);
    events.until_changed("src/after.rs");
    let (_, v) = get(&s.addr, "/v1/symbols?q=leaked_secret");
    assert_eq!(v["result"], serde_json::json!([]), "{v}");
    let (status, _) = get(&s.addr, "/v1/outline?file=src/leak.rs");
    assert_eq!(status, 400);
    let (_, v) = get(&s.addr, "/v1/symbols?q=after_links");
    assert_eq!(v["result"][0]["file"], "src/after.rs");
}

/// A FIFO named like a source file (issue 30): the writer does not block
/// opening it, later edits are still applied, and SIGTERM still stops the
/// server.
#[test]
fn a_fifo_named_like_a_source_file_does_not_freeze_the_server() {
    let d = repo();
    let dir = d.path();
    let mut s = start(dir, &[], &[]);
    let mut events = Events::open(&s.addr, None);
    events.next("hello");
    let fifo = dir.join("src/pipe.rs");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    write(dir, &[("src/after.rs", b"pub fn after_the_fifo() {}\n")]);
    events.until_changed("src/after.rs");
    let (_, v) = get(&s.addr, "/v1/symbols?q=after_the_fifo");
    assert_eq!(v["result"][0]["file"], "src/after.rs", "{v}");
    sigterm_and_wait(&mut s, Duration::from_secs(10));
    // the CLI's walk refuses it too, with a warning, and indexes the rest
    let o = weft(dir, &["index", "--no-write"]);
    assert!(o.status.success());
}

/// `.weft` deleted under a running server (issue 30): it says so (log and
/// `/metrics`), stops writing into the deleted file, and keeps serving.
#[test]
fn a_snapshot_deleted_under_the_server_is_noticed() {
    let d = repo();
    let dir = d.path();
    assert!(weft(dir, &["index"]).status.success());
    let s = start(dir, &[], &[]);
    let mut events = Events::open(&s.addr, None);
    events.next("hello");
    std::fs::remove_dir_all(dir.join(".weft")).unwrap();
    write(dir, &[("src/later.rs", b"pub fn after_the_delete() {}\n")]);
    events.until_changed("src/later.rs");
    let (_, v) = get(&s.addr, "/v1/symbols?q=after_the_delete");
    assert_eq!(v["result"][0]["file"], "src/later.rs", "{v}");
    let t = Instant::now();
    loop {
        let (_, metrics) = request(&s.addr, "GET", "/metrics", &[]);
        if metrics.contains("weft_snapshot_lost 1") {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(10), "{metrics}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
