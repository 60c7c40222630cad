//! `weft mcp` in front of the repository's daemon: each JSON-RPC message
//! read on stdin is posted to the daemon's `/mcp` over its socket, and the
//! answer written to stdout. The agent sees an ordinary stdio server; the
//! graph, the watcher and the memo tables live once, in the daemon.

use std::time::Duration;

use anyhow::Result;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

use crate::daemon::{Info, request};

/// The longest a message may wait for the daemon (its own deadline answers
/// a slow question well before this).
const LIMIT: Duration = Duration::from_secs(600);

/// Finds or starts a daemon when the one relayed to stops answering.
pub type Reconnect = std::sync::Arc<dyn Fn() -> Result<Info> + Send + Sync>;

/// [`relay`] from synchronous code (`weft mcp`), on a runtime of its own
/// that does not wait, once stdin closes, for a replacement daemon still
/// starting.
pub fn relay_stdio(info: Info, all: bool, reconnect: Reconnect) -> Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let relayed = rt.block_on(relay(info, all, reconnect));
    rt.shutdown_background();
    relayed
}

/// Relay stdin to the daemon and its answers to stdout until stdin closes.
pub async fn relay(info: Info, all: bool, reconnect: Reconnect) -> Result<()> {
    let current = std::sync::Arc::new(tokio::sync::Mutex::new(info));
    let path = if all { "/mcp/all" } else { "/mcp" };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
    let writer = tokio::spawn(async move {
        let mut out = tokio::io::stdout();
        while let Some(mut line) = rx.recv().await {
            line.push(b'\n');
            if out.write_all(&line).await.is_err() || out.flush().await.is_err() {
                break;
            }
        }
    });
    let version = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
    let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    let mut tasks = tokio::task::JoinSet::new();
    while let Some(line) = lines.next_line().await? {
        if line.trim().is_empty() {
            continue;
        }
        let (current, reconnect, tx, version) = (
            current.clone(),
            reconnect.clone(),
            tx.clone(),
            version.clone(),
        );
        tasks.spawn(async move {
            let info = current.lock().await.clone();
            let message: Value = match serde_json::from_str(&line) {
                Ok(m) => m,
                Err(e) => {
                    // JSON-RPC's answer to what is not JSON, without asking anyone
                    let _ = tx.send(
                        serde_json::to_vec(&json!({
                            "jsonrpc": "2.0",
                            "id": null,
                            "error": {"code": -32700, "message": format!("parse error: {e}")}
                        }))
                        .expect("JSON"),
                    );
                    return;
                }
            };
            let id = message.get("id").cloned();
            let is_initialize = message["method"] == "initialize";
            // a 2026 client names its version in each message; an older
            // one negotiated it at `initialize`
            let v = message["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"]
                .as_str()
                .map(str::to_string)
                .or_else(|| version.lock().unwrap().clone());
            let routing = routing_headers(&message);
            let mut headers = vec![
                ("content-type", "application/json"),
                ("accept", "application/json, text/event-stream"),
            ];
            if let Some(v) = &v {
                headers.push(("mcp-protocol-version", v.as_str()));
            }
            headers.extend(routing.iter().map(|(k, v)| (*k, v.as_str())));
            let body = line.into_bytes();
            let mut reply = request(&info, "POST", path, &headers, body.clone(), LIMIT).await;
            if reply.is_err() {
                // one replacement for every message that found it gone
                let mut cur = current.lock().await;
                if cur.pid == info.pid
                    && let Ok(Ok(new)) = tokio::task::spawn_blocking(move || reconnect()).await
                {
                    *cur = new;
                }
                let now = cur.clone();
                drop(cur);
                if now.pid != info.pid {
                    reply = request(&now, "POST", path, &headers, body, LIMIT).await;
                }
            }
            let answer = match reply {
                Ok(r) if r.status == 202 => None,
                Ok(r) if (200..300).contains(&r.status) => {
                    let body = sse_data(&r.body);
                    if is_initialize
                        && let Ok(v) = serde_json::from_slice::<Value>(&body)
                        && let Some(p) = v["result"]["protocolVersion"].as_str()
                    {
                        *version.lock().unwrap() = Some(p.to_string());
                    }
                    Some(body)
                }
                Ok(r) => id.map(|id| {
                    error(
                        id,
                        &format!(
                            "the weft daemon answered {}: {}",
                            r.status,
                            String::from_utf8_lossy(&r.body)
                        ),
                    )
                }),
                Err(e) => id.map(|id| {
                    error(
                        id,
                        &format!(
                            "the weft daemon (pid {}) cannot be reached: {e:#}; restart `weft mcp`",
                            info.pid
                        ),
                    )
                }),
            };
            if let Some(a) = answer {
                let _ = tx.send(a);
            }
        });
    }
    // stdin closed: the client is gone, and with it whoever would read
    // the answers still computing
    let grace = async { while tasks.join_next().await.is_some() {} };
    if tokio::time::timeout(Duration::from_secs(2), grace)
        .await
        .is_err()
    {
        tasks.abort_all();
    }
    drop(tx);
    let _ = tokio::time::timeout(Duration::from_secs(2), writer).await;
    Ok(())
}

/// The headers streamable HTTP (2026-07-28) wants beside the body: the
/// method and, for a call, what it names.
fn routing_headers(message: &Value) -> Vec<(&'static str, String)> {
    let Some(method) = message["method"].as_str() else {
        return Vec::new();
    };
    let mut out = vec![("mcp-method", method.to_string())];
    let key = match method {
        "tools/call" | "prompts/get" => "name",
        m if m.starts_with("resources/") => "uri",
        m if m.starts_with("tasks/") => "taskId",
        _ => return out,
    };
    if let Some(name) = message["params"][key].as_str() {
        let plain = name.bytes().all(|b| (0x20..0x7f).contains(&b))
            && name.trim() == name
            && !name.starts_with("=?");
        out.push((
            "mcp-name",
            if plain {
                name.to_string()
            } else {
                use base64::Engine;
                format!(
                    "=?base64?{}?=",
                    base64::engine::general_purpose::STANDARD.encode(name)
                )
            },
        ));
    }
    out
}

fn error(id: Value, message: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": -32603, "message": message}
    }))
    .expect("JSON")
}

/// A JSON body as is; an event stream's `data:` lines joined (a server
/// may stream when a handler notifies before it answers).
fn sse_data(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    if text.trim_start().starts_with('{') {
        return text.trim().as_bytes().to_vec();
    }
    let mut last = Vec::new();
    for event in text.split("\n\n") {
        let data: Vec<&str> = event
            .lines()
            .filter_map(|l| l.strip_prefix("data:"))
            .map(str::trim_start)
            .collect();
        if !data.is_empty() {
            last = data.join("\n").into_bytes();
        }
    }
    last
}
