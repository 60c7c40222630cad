//! A `weft serve` child process on an ephemeral loopback port, and a
//! plain HTTP/1.1 client for it (requests and Server-Sent Events).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Server {
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
pub fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let (status, _, body) = request_bytes(addr, method, path, headers);
    (status, String::from_utf8(body).unwrap())
}

/// (status, head, body) of one request.
pub fn request_bytes(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, String, Vec<u8>) {
    request_to(addr, addr, method, path, headers)
}

/// (status, body) of one GET naming `host` in its `Host` header.
pub fn get_as(addr: &str, host: &str, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let (status, _, body) = request_to(addr, host, "GET", path, headers);
    (status, String::from_utf8(body).unwrap())
}

fn request_to(
    addr: &str,
    host: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
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

pub fn get(addr: &str, path: &str) -> (u16, Value) {
    let (status, body) = request(addr, "GET", path, &[]);
    let v = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"));
    (status, v)
}

/// An open event stream; `next` returns the next event of a kind.
pub struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    pub fn open(addr: &str, last_id: Option<u64>) -> Events {
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
    pub fn next(&mut self, kind: &str) -> Value {
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

impl Events {
    /// Wait for the change event whose batch holds `path`.
    pub fn until_changed(&mut self, path: &str) -> Value {
        loop {
            let e = self.next("change");
            if e["changed"].as_array().unwrap().iter().any(|p| p == path) {
                return e;
            }
        }
    }
}

/// SIGTERM the server and wait for it to exit, for at most `within`.
pub fn sigterm_and_wait(s: &mut Server, within: Duration) {
    let t = Instant::now();
    let pid = s.child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    while s.child.try_wait().unwrap().is_none() {
        assert!(
            t.elapsed() < within,
            "still running {within:?} after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A keep-alive HTTP/1.1 connection: one GET at a time.
pub struct Conn {
    reader: BufReader<TcpStream>,
    host: String,
}

impl Conn {
    pub fn open(addr: &str) -> Conn {
        let s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        Conn {
            reader: BufReader::new(s),
            host: addr.to_string(),
        }
    }

    pub fn send(&mut self, path: &str) {
        let host = self.host.clone();
        let s = self.reader.get_mut();
        write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
    }

    /// (status, body) of the answer to what was sent.
    pub fn receive(&mut self) -> (u16, Vec<u8>) {
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        let status = line
            .split(' ')
            .nth(1)
            .unwrap_or_else(|| panic!("status line {line:?}"))
            .parse()
            .unwrap();
        let mut len = 0;
        loop {
            line.clear();
            self.reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                len = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        self.reader.read_exact(&mut body).unwrap();
        (status, body)
    }
}
