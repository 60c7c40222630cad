//! `weft-bench lsp DIR [SAMPLES]`: `weft lsp` as an editor uses it. For
//! each sample (a reference that resolves, picked with a fixed seed) the
//! file is edited in the buffer (didChange with a line appended, positions
//! unchanged) and a definition asked at once: the time from sending the
//! change to the answer, p50 and p95; and the same question without an
//! edit. DIR gets a snapshot if it has none.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

use anyhow::{Result, bail};
use serde_json::{Value, json};
use weft_queries::db::{all_files, file_facts};
use weft_queries::symbols::definition_at;

struct Lsp {
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    next: i64,
}

impl Lsp {
    fn send(&mut self, v: Value) -> Result<()> {
        let body = v.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len())?;
        self.input.flush()?;
        Ok(())
    }

    fn read(&mut self) -> Result<Value> {
        let mut len = 0;
        loop {
            let mut line = String::new();
            if self.output.read_line(&mut line)? == 0 {
                bail!("weft lsp closed");
            }
            let line = line.trim();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                len = n.parse()?;
            }
        }
        let mut body = vec![0; len];
        self.output.read_exact(&mut body)?;
        Ok(serde_json::from_slice(&body)?)
    }

    fn request(&mut self, method: &str, params: Value) -> Result<Value> {
        self.next += 1;
        let id = self.next;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        loop {
            let m = self.read()?;
            if m["id"] == id {
                return Ok(m);
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) -> Result<()> {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }
}

/// (file, 0-based line, byte column) of references that resolve to a
/// definition.
fn samples(dir: &Path, n: usize) -> Vec<(String, u32, u32)> {
    let l = crate::load(dir);
    l.host
        .analysis()
        .with_db(|db| {
            let files = all_files(db);
            let mut next = crate::seeded_picker();
            let mut out = Vec::new();
            let mut tries = 0;
            while out.len() < n && tries < 100_000 {
                tries += 1;
                let f = files[next(files.len())];
                let facts = file_facts(db, f);
                if facts.refs.is_empty() {
                    continue;
                }
                let p = facts.refs[next(facts.refs.len())].span.start;
                if definition_at(db, f, p).is_some_and(|(r, _)| r.def().is_some()) {
                    out.push((f.path(db).to_string(), p.line, p.col));
                }
            }
            out
        })
        .expect("nothing cancels the benchmark")
}

pub fn run(dir: &Path, n: usize) -> Result<()> {
    let weft = crate::weft_bin();
    crate::ensure_snapshot(dir)?;
    let picks = samples(dir, n);
    let root = dir.canonicalize()?;
    let t = Instant::now();
    let mut child = Command::new(&weft)
        .arg("lsp")
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut c = Lsp {
        input: child.stdin.take().unwrap(),
        output: BufReader::new(child.stdout.take().unwrap()),
        next: 0,
    };
    let uri = |rel: &str| format!("file://{}/{rel}", root.display());
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(""), "capabilities": {"general": {"positionEncodings": ["utf-8"]}}}),
    )?;
    c.notify("initialized", json!({}))?;
    let start_s = t.elapsed().as_secs_f64();
    // questions are timed once every file is resolved (the server logs it)
    loop {
        let m = c.read()?;
        if m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("resolved"))
        {
            break;
        }
    }
    let warm_s = t.elapsed().as_secs_f64();
    let mut open: std::collections::HashMap<String, (String, i64)> = Default::default();
    let (mut edited, mut plain) = (Vec::new(), Vec::new());
    let mut slowest: Vec<(f64, usize, String)> = Vec::new();
    let mut missed = 0;
    for (k, (file, line, col)) in picks.iter().enumerate() {
        if !open.contains_key(file) {
            let text = std::fs::read_to_string(root.join(file))?;
            c.notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri(file), "languageId": "x", "version": 1, "text": text}}),
            )?;
            open.insert(file.clone(), (text, 1));
        }
        let params = json!({"textDocument": {"uri": uri(file)}, "position": {"line": line, "character": col}});
        let t = Instant::now();
        c.request("textDocument/definition", params.clone())?;
        plain.push(t.elapsed().as_secs_f64() * 1e3);

        let (text, version) = open.get_mut(file).unwrap();
        text.push_str(&format!("\n// edit {k}\n"));
        *version += 1;
        let change = json!({"textDocument": {"uri": uri(file), "version": *version}, "contentChanges": [{"text": text.clone()}]});
        let t = Instant::now();
        c.notify("textDocument/didChange", change)?;
        let r = c.request("textDocument/definition", params)?;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        edited.push(ms);
        slowest.push((ms, text.len(), file.clone()));
        if r["result"].is_null() {
            missed += 1;
        }
    }
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    slowest.truncate(5);
    let _ = c.request("shutdown", Value::Null);
    let _ = c.notify("exit", Value::Null);
    let _ = child.wait();
    println!(
        "{}",
        json!({
            "bench": "lsp",
            "dir": dir.display().to_string(),
            "start_s": (start_s * 100.0).round() / 100.0,
            "warm_s": (warm_s * 100.0).round() / 100.0,
            "definition": crate::p50_p95(plain, 2, "n"),
            "definition_after_change": crate::p50_p95(edited, 2, "n"),
            "unanswered_after_change": missed,
            "slowest_after_change": slowest.iter().map(|(ms, bytes, f)| json!({"ms": (ms * 10.0).round() / 10.0, "bytes": bytes, "file": f})).collect::<Vec<_>>(),
        })
    );
    Ok(())
}
