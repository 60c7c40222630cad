//! `weft serve` end to end: the real binary on an ephemeral loopback port,
//! queried over plain HTTP/1.1; files changed on disk arrive as
//! Server-Sent Events and show in the next answers.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{repo, weft, write};
use serde_json::Value;

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_weft"));
    cmd.args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start weft serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Server { child, addr }
}

/// (status, body) of one request.
fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let (status, _, body) = request_bytes(addr, method, path, headers);
    (status, String::from_utf8(body).unwrap())
}

/// (status, head, body) of one request.
fn request_bytes(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw.get(split + 4..).unwrap_or_default().to_vec();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, body)
}

fn get(addr: &str, path: &str) -> (u16, Value) {
    let (status, body) = request(addr, "GET", path, &[]);
    let v = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"));
    (status, v)
}

/// An open event stream; `next` returns the next event of a kind.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(addr: &str, last_id: Option<u64>) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        let last = last_id.map_or(String::new(), |i| format!("Last-Event-ID: {i}\r\n"));
        write!(
            s,
            "GET /v1/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n{last}\r\n"
        )
        .unwrap();
        let mut e = Events {
            reader: BufReader::new(s),
        };
        // status line and headers
        let mut line = String::new();
        loop {
            line.clear();
            e.reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        e
    }

    /// The data of the next event named `kind` (chunked framing lines skipped).
    fn next(&mut self, kind: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(15);
        let mut current = String::new();
        let mut line = String::new();
        while Instant::now() < deadline {
            line.clear();
            if self.reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            let l = line.trim_end();
            if let Some(k) = l.strip_prefix("event: ") {
                current = k.to_string();
            } else if let Some(d) = l.strip_prefix("data: ")
                && current == kind
            {
                return serde_json::from_str(d).unwrap();
            }
        }
        panic!("no `{kind}` event within 15 s");
    }
}

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
    // still serving
    let (status, v) = get(&s.addr, "/v1/stats");
    assert_eq!(status, 200);
    assert!(v["result"]["stats"]["symbols"].as_u64().unwrap() > 0);
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

/// The server holds the snapshot's writer lock for its lifetime; a command
/// run meanwhile reads the snapshot as it is instead of waiting 30 s.
#[test]
fn commands_keep_answering_while_a_server_holds_the_snapshot() {
    let d = repo();
    let dir = d.path();
    assert!(weft(dir, &["index"]).status.success());
    let _s = start(dir, &[], &[]);
    let t = Instant::now();
    let o = weft(dir, &["refs", "total", "--json"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(common::stdout(&o).contains("src/cart.rs"));
    assert!(
        common::stderr(&o).contains("read-only"),
        "{}",
        common::stderr(&o)
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
        let mut result = Value::from(answer.result);
        if path == "/v1/stats" {
            // timings differ between two calls
            result["seconds"] = json["result"]["seconds"].clone();
        }
        assert_eq!(result, json["result"], "{path}");
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
