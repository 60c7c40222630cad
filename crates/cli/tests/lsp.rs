//! `weft lsp` with a real editor and at the protocol level: Neovim's
//! built-in LSP client (Debian's `neovim`, headless; `.ci/run` installs it)
//! goes to a definition, lists references and sees an unsaved edit; a
//! hand-driven client covers every request, UTF-16 columns, overlays,
//! cancellation and bad requests.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

use common::{repo, weft};
use serde_json::{Value, json};

const WEFT: &str = env!("CARGO_BIN_EXE_weft");

fn indexed() -> tempfile::TempDir {
    let d = repo();
    assert!(weft(d.path(), &["index"]).status.success());
    d
}

#[test]
fn neovim_goes_to_definition_lists_references_and_follows_an_unsaved_edit() {
    let nvim = Command::new("nvim").arg("--version").output();
    assert!(
        nvim.is_ok_and(|o| o.status.success()),
        "this test drives Neovim's LSP client: apt-get install neovim (.ci/run does)"
    );
    let d = indexed();
    let root = d.path().canonicalize().unwrap();
    let out = root.join("nvim-out.json");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp/nvim.lua");
    let o = Command::new("nvim")
        .args(["--headless", "-u"])
        .arg(&script)
        .env("WEFT", WEFT)
        .env("ROOT", &root)
        .env("OUT", &out)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let got: Value = serde_json::from_slice(&std::fs::read(&out).unwrap_or_default())
        .unwrap_or_else(|e| {
            panic!(
                "no answers from Neovim ({e}): {}{}",
                common::stdout(&o),
                common::stderr(&o)
            )
        });
    assert_eq!(got["initialized"], true, "{got}");
    let price = format!("file://{}/src/price.rs", root.display());
    assert_eq!(got["definition"]["uri"], price.as_str(), "{got}");
    assert_eq!(got["definition"]["range"]["start"]["line"], 0);
    assert_eq!(got["references"], json!(["src/cart.rs:0", "src/cart.rs:7"]));
    // a parameter: its binding in `checkout(c: &Cart)`, and its one use
    assert_eq!(
        got["local_definition"]["range"]["start"],
        json!({"line": 11, "character": 16}),
        "{got}"
    );
    assert_eq!(
        got["local_references"],
        json!(["src/cart.rs:11", "src/cart.rs:12"])
    );
    // two lines inserted on top and a new caller, not saved
    assert_eq!(got["definition_after_edit"]["uri"], price.as_str(), "{got}");
    assert_eq!(
        got["references_after_edit"],
        json!(["src/cart.rs:16", "src/cart.rs:2", "src/cart.rs:9"])
    );
}

/// A language client speaking LSP's framing over the server's pipes.
struct Client {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    next: i64,
    root: std::path::PathBuf,
}

impl Client {
    fn start(root: &Path, encodings: &[&str]) -> Client {
        let mut child = Command::new(WEFT)
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut c = Client {
            input: child.stdin.take().unwrap(),
            output: BufReader::new(child.stdout.take().unwrap()),
            child,
            next: 0,
            root: root.canonicalize().unwrap(),
        };
        let init = c.request(
            "initialize",
            json!({"processId": null, "rootUri": c.uri(""), "capabilities": {"general": {"positionEncodings": encodings}}}),
        );
        assert!(init["capabilities"]["definitionProvider"] == true, "{init}");
        c.notify("initialized", json!({}));
        c
    }

    fn uri(&self, rel: &str) -> String {
        format!("file://{}/{rel}", self.root.display())
            .trim_end_matches('/')
            .to_string()
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.input.flush().unwrap();
    }

    fn read(&mut self) -> Value {
        let mut len = 0;
        loop {
            let mut line = String::new();
            assert!(
                self.output.read_line(&mut line).unwrap() > 0,
                "the server closed"
            );
            let line = line.trim();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                len = n.parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        self.output.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next += 1;
        let id = self.next;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The whole response to one request.
    fn response(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        loop {
            let m = self.read();
            if m["id"] == id {
                return m;
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let r = self.response(method, params);
        assert!(r.get("error").is_none(), "{method}: {r}");
        r["result"].clone()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn at(&self, rel: &str, line: u32, character: u32) -> Value {
        json!({"textDocument": {"uri": self.uri(rel)}, "position": {"line": line, "character": character}})
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let t = std::time::Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            assert!(
                t.elapsed() < Duration::from_secs(10),
                "still running after exit"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn lines_of(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let u = l["uri"].as_str().unwrap();
            format!(
                "{}:{}",
                u.rsplit_once("/src/")
                    .map(|(_, f)| format!("src/{f}"))
                    .or_else(|| u.rsplit_once("/app/").map(|(_, f)| format!("app/{f}")))
                    .unwrap(),
                l["range"]["start"]["line"]
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_navigation_request_answers_from_the_graph() {
    let d = indexed();
    let mut c = Client::start(d.path(), &["utf-8"]);

    let def = c.request("textDocument/definition", c.at("src/cart.rs", 7, 8));
    assert!(
        def["uri"].as_str().unwrap().ends_with("/src/price.rs"),
        "{def}"
    );
    let decl = c.request("textDocument/declaration", c.at("src/cart.rs", 7, 8));
    assert_eq!(decl, def);

    let mut p = c.at("src/price.rs", 0, 8);
    p["context"] = json!({"includeDeclaration": true});
    let refs = c.request("textDocument/references", p);
    assert_eq!(
        lines_of(&refs),
        ["src/cart.rs:0", "src/cart.rs:7", "src/price.rs:0"]
    );

    let impls = c.request("textDocument/implementation", c.at("app/models.py", 0, 7));
    assert_eq!(lines_of(&impls), ["app/models.py:4"], "Order(Base)");

    let items = c.request(
        "textDocument/prepareCallHierarchy",
        c.at("src/price.rs", 0, 8),
    );
    assert_eq!(items[0]["name"], "total", "{items}");
    let incoming = c.request("callHierarchy/incomingCalls", json!({"item": items[0]}));
    assert_eq!(incoming[0]["from"]["name"], "sum", "{incoming}");
    assert_eq!(incoming[0]["fromRanges"][0]["start"]["line"], 7);
    let checkout = c.request(
        "textDocument/prepareCallHierarchy",
        c.at("src/cart.rs", 11, 8),
    );
    let outgoing = c.request("callHierarchy/outgoingCalls", json!({"item": checkout[0]}));
    assert_eq!(outgoing[0]["to"]["name"], "sum", "{outgoing}");
    assert_eq!(outgoing[0]["fromRanges"][0]["start"]["line"], 12);

    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": c.uri("src/cart.rs")}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Cart") && names.contains(&"checkout"),
        "{symbols}"
    );
    let nested = symbols
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["children"].as_array().cloned().unwrap_or_default())
        .any(|s| s["name"] == "sum");
    assert!(nested, "sum sits under its impl or type: {symbols}");

    let found = c.request("workspace/symbol", json!({"query": "checkout"}));
    assert_eq!(found[0]["name"], "checkout", "{found}");

    let hover = c.request("textDocument/hover", c.at("src/cart.rs", 7, 8));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("pub fn total(xs: &[u32]) -> u32"), "{text}");

    let hl = c.request("textDocument/documentHighlight", c.at("src/cart.rs", 7, 8));
    let lines: Vec<u64> = hl
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [0, 7], "{hl}");

    // `xs` in `xs.iter().sum()`: the parameter of `total`
    let def = c.request("textDocument/definition", c.at("src/price.rs", 1, 5));
    assert_eq!(
        def["range"]["start"],
        json!({"line": 0, "character": 13}),
        "{def}"
    );
    let hover = c.request("textDocument/hover", c.at("src/price.rs", 1, 5));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("parameter `xs`") && text.contains("total") && text.contains("xs: &[u32]"),
        "{text}"
    );
    let hl = c.request(
        "textDocument/documentHighlight",
        c.at("src/price.rs", 0, 13),
    );
    let kinds: Vec<(u64, u64)> = hl
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["range"]["start"]["line"].as_u64().unwrap(),
                h["kind"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(kinds, [(0, 3), (1, 2)], "binding (write), use (read): {hl}");
    c.stop();
}

#[test]
fn unsaved_text_is_answered_for_with_utf16_columns_and_closing_returns_to_disk() {
    let d = indexed();
    let mut c = Client::start(d.path(), &[]);
    // a non-ASCII comment before the call moves it in bytes, not in UTF-16
    let text = "use crate::price::total;\n\npub fn grin() -> u32 { /* 😀é */ total(&[]) }\n";
    let uri = c.uri("src/grin.rs");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "rust", "version": 1, "text": text}}),
    );
    let line = text.lines().nth(2).unwrap();
    let byte = line.find("total").unwrap();
    let utf16 = line[..byte].encode_utf16().count() as u32;
    assert_ne!(utf16 as usize, byte);
    let def = c.request("textDocument/definition", c.at("src/grin.rs", 2, utf16 + 1));
    assert!(
        def["uri"].as_str().unwrap().ends_with("/src/price.rs"),
        "{def}"
    );
    let mut p = c.at("src/price.rs", 0, 8);
    p["context"] = json!({"includeDeclaration": false});
    let refs = c.request("textDocument/references", p.clone());
    assert!(
        lines_of(&refs).contains(&"src/grin.rs:2".to_string()),
        "{refs}"
    );
    // the caller's range comes back in UTF-16 too
    let hit = refs
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["uri"].as_str().unwrap().ends_with("grin.rs") && r["range"]["start"]["line"] == 2
        })
        .unwrap();
    assert_eq!(hit["range"]["start"]["character"], utf16, "{hit}");

    // the edit renames the call away; then the file closes unsaved (it was
    // never on disk), so its references go
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "pub fn grin() -> u32 { 1 }\n"}]}),
    );
    let refs = c.request("textDocument/references", p.clone());
    assert!(
        !lines_of(&refs).iter().any(|l| l.starts_with("src/grin.rs")),
        "{refs}"
    );
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    // never on disk: closed, it is no longer in the graph at all
    let gone = c.request("workspace/symbol", json!({"query": "grin"}));
    assert_eq!(gone, json!([]), "{gone}");

    // a file on disk edited in the buffer, then closed: the disk's text again
    let cart = c.uri("src/cart.rs");
    let disk = std::fs::read_to_string(d.path().join("src/cart.rs")).unwrap();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": cart, "languageId": "rust", "version": 1, "text": disk}}),
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": cart, "version": 2}, "contentChanges": [{"text": "pub struct Cart;\n"}]}),
    );
    let refs = c.request("textDocument/references", p.clone());
    assert!(
        !lines_of(&refs).iter().any(|l| l.starts_with("src/cart.rs")),
        "{refs}"
    );
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": cart}}),
    );
    let refs = c.request("textDocument/references", p);
    assert_eq!(lines_of(&refs), ["src/cart.rs:0", "src/cart.rs:7"]);

    // opened as on disk (nothing to apply), changed on disk meanwhile
    // (the watcher leaves open files to the editor), closed: the disk's
    // new text is in the graph
    let price = c.uri("src/price.rs");
    let disk = std::fs::read_to_string(d.path().join("src/price.rs")).unwrap();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": price, "languageId": "rust", "version": 1, "text": disk}}),
    );
    std::fs::write(
        d.path().join("src/price.rs"),
        format!("{disk}\npub fn added_while_open() -> u32 {{ 1 }}\n"),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let hidden = c.request("workspace/symbol", json!({"query": "added_while_open"}));
    assert_eq!(
        hidden,
        json!([]),
        "open: the editor's text counts, {hidden}"
    );
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": price}}),
    );
    let found = c.request("workspace/symbol", json!({"query": "added_while_open"}));
    assert_eq!(found[0]["name"], "added_while_open", "{found}");
    c.stop();
}

#[test]
fn bad_requests_get_errors_and_a_cancelled_one_one_answer() {
    let d = indexed();
    let mut c = Client::start(d.path(), &["utf-8"]);
    let r = c.response("textDocument/formatting", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    let r = c.response("textDocument/definition", json!({"nonsense": 1}));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let r = c.response(
        "textDocument/definition",
        json!({"textDocument": {"uri": "file:///elsewhere/x.rs"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not a file under"),
        "{r}"
    );
    // nothing at a position is `null`, not an error
    let none = c.request("textDocument/definition", c.at("src/cart.rs", 1, 0));
    assert!(none.is_null(), "{none}");

    // a cancel gets exactly one answer: the result, or -32800 if it was
    // still running; the server goes on answering
    let id = c.send_request("callHierarchy/incomingCalls", json!({"item": {"name": "x", "kind": 12, "uri": c.uri("src/price.rs"), "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "selectionRange": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "data": "total"}}));
    c.notify("$/cancelRequest", json!({"id": id}));
    let next = c.send_request("workspace/symbol", json!({"query": "Cart"}));
    let (mut answers, mut after) = (0, None);
    while after.is_none() {
        let m = c.read();
        if m["id"] == id {
            answers += 1;
            assert!(
                m.get("result").is_some() || m["error"]["code"] == -32800,
                "{m}"
            );
        } else if m["id"] == next {
            after = Some(m);
        }
    }
    // a late duplicate would arrive before the shutdown answer
    let shutdown = c.send_request("shutdown", Value::Null);
    loop {
        let m = c.read();
        if m["id"] == id {
            answers += 1;
        } else if m["id"] == shutdown {
            break;
        }
    }
    assert_eq!(answers, 1, "one answer to a cancelled request");
    assert_eq!(after.unwrap()["result"][0]["name"], "Cart");
    c.notify("exit", Value::Null);
    let _ = c.child.wait();
}
