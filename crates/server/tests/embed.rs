//! A program embedding the server: load a tree, serve it on an ephemeral
//! port, ask over HTTP, edit the tree, see the answer follow, stop.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use weft_load::Loaded;
use weft_load::walk::{WalkOptions, read_repository};
use weft_queries::AnalysisHost;

fn get(addr: SocketAddr, path: &str) -> (u16, serde_json::Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").expect("a response");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap_or_default())
}

fn callers(addr: SocketAddr, target: &str) -> Vec<String> {
    let (status, v) = get(addr, &format!("/v1/callers?target={target}"));
    assert_eq!(status, 200, "{v}");
    v["result"]["callers"]
        .as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .map(|r| r["node"]["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn an_embedded_server_answers_follows_edits_and_stops() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"shop\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    std::fs::create_dir(root.join("src")).unwrap();
    std::fs::write(
        root.join("src/lib.rs"),
        "pub fn total() -> u32 { price() }\npub fn price() -> u32 { 1 }\n",
    )
    .unwrap();

    let walk = WalkOptions::new(1 << 20);
    let (change, report) = read_repository(&root, &walk);
    let mut host = AnalysisHost::new();
    host.apply_change(change);
    let server = weft_server::start(weft_server::Options {
        loaded: Loaded {
            root: root.clone(),
            host,
            report,
            elapsed: Duration::ZERO,
            snapshot: None,
            imports: Vec::new(),
            dump: None,
        },
        addr: Some("127.0.0.1:0".parse().unwrap()),
        claim: None,
        token: None,
        debounce: Duration::from_millis(20),
        limits: weft_server::Limits::default(),
        idle_exit: None,
        deadline: Duration::from_secs(10),
        max_file_size: 1 << 20,
    })
    .unwrap();
    let addr = server.addr.expect("a TCP address");
    assert_eq!(callers(addr, "price"), ["total"]);
    let (status, v) = get(addr, "/v1/callers?target=price&depth=x");
    assert_eq!(status, 400, "{v}");
    let start = server.revision();

    std::fs::write(
        root.join("src/lib.rs"),
        "pub fn total() -> u32 { price() }\npub fn price() -> u32 { 1 }\npub fn twice() -> u32 { price() * 2 }\n",
    )
    .unwrap();
    let t = Instant::now();
    loop {
        if server.revision() > start && callers(addr, "price").len() == 2 {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "the edit was not served"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut now = callers(addr, "price");
    now.sort();
    assert_eq!(now, ["total", "twice"]);
    server.stop().unwrap();
    assert!(TcpStream::connect(addr).is_err(), "still listening");
}
