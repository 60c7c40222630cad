//! The graph for AI agents, over the Model Context Protocol (rmcp, the
//! official SDK): the same handler serves `weft mcp` over stdio and `/mcp`
//! on the HTTP server (streamable HTTP, stateless, so a client with no
//! session is answered too). Every answer is text cut to a token budget,
//! ends with the revision it was computed at and the files changed on disk
//! but not applied yet, and offers a cursor when it was cut. A bad target
//! or argument is a tool error the agent can read, never a protocol error.

mod page;
mod relay;
pub mod tools;

pub use relay::{relay, relay_stdio};

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::json;
use weft_db::api::{self, Tokenizer};

use crate::Shared;
use page::{Cursor, page};
use tools::{Action, DEFAULT_MAX_TOKENS, MAX_MAX_TOKENS, ToolDef};

const INSTRUCTIONS: &str = "weft is a live code graph of this repository: definitions, references, calls, imports and inheritance, kept current as files change. Start with `search` to find a symbol, `explain` to understand it, `refs`/`callers`/`impact` before changing it, `context` before editing it. A TARGET is a qualified name, a bare name, a symbol id or FILE:LINE:COL. Answers end with the graph's revision and any files changed on disk but not applied yet; a cut answer ends with a cursor for the next page.";

/// The MCP server: tools over one live graph.
#[derive(Clone)]
pub struct Weft {
    shared: Arc<Shared>,
    tools: Arc<Vec<ToolDef>>,
}

impl Weft {
    /// `all`: every read route as a tool, not only the default few.
    pub fn new(shared: Arc<Shared>, all: bool) -> Weft {
        Weft {
            shared,
            tools: Arc::new(tools::tools(all)),
        }
    }
}

/// `/mcp` (the default tools) and `/mcp/all` (every tool) for the HTTP
/// router, stateless: no session to create, keep or lose.
pub fn http_service(
    shared: Arc<Shared>,
    all: bool,
) -> StreamableHttpService<Weft, NeverSessionManager> {
    let mut config = StreamableHttpServerConfig::default().disable_allowed_hosts();
    // the router's guard checks Host and the token before a request gets here
    config.legacy_session_mode = false;
    config.json_response = true;
    config.cancellation_token = stop_token(&shared);
    let weft = Weft::new(shared, all);
    StreamableHttpService::new(
        move || Ok(weft.clone()),
        Arc::new(NeverSessionManager::default()),
        config,
    )
}

/// A cancellation token cancelled when the server stops, so open streams end.
fn stop_token(shared: &Arc<Shared>) -> tokio_util::sync::CancellationToken {
    let ct = tokio_util::sync::CancellationToken::new();
    let child = ct.clone();
    let mut stopping = shared.stopping.subscribe();
    tokio::spawn(async move {
        let _ = stopping.wait_for(|&s| s).await;
        child.cancel();
    });
    ct
}

impl ServerHandler for Weft {
    fn get_info(&self) -> ServerConfig {
        let mut c = ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_instructions(INSTRUCTIONS);
        c.server_info = Implementation::new("weft", env!("CARGO_PKG_VERSION"));
        c
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(
            self.tools.iter().map(|d| d.tool.clone()).collect(),
        ))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools
            .iter()
            .find(|d| d.tool.name == name)
            .map(|d| d.tool.clone())
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let Some(def) = self.tools.iter().find(|d| d.tool.name == request.name) else {
            let names: Vec<&str> = self.tools.iter().map(|d| &*d.tool.name).collect();
            return Err(ErrorData::invalid_params(
                format!(
                    "no tool `{}`; the tools are {}",
                    request.name,
                    names.join(", ")
                ),
                None,
            ));
        };
        let (action, tool) = (def.action, def.tool.clone());
        let args = request.arguments.unwrap_or_default();
        let result = self
            .shared
            .compute(move |s, interest| call(s, interest, action, &tool, &args))
            .await
            .unwrap_or_else(|late| failure(late.message()));
        Ok(result.into())
    }
}

fn failure(message: String) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(message)])
}

/// Run one tool on the current revision: its answer as text, paged.
fn call(
    s: &Shared,
    interest: &crate::interest::Interest,
    action: Action,
    tool: &Tool,
    args: &rmcp::model::JsonObject,
) -> CallToolResult {
    let asked = (|| -> Result<(usize, Option<Cursor>), String> {
        tools::check_names(tool, args)?;
        let budget = tools::number_arg(args, "max_tokens", MAX_MAX_TOKENS)?
            .unwrap_or(DEFAULT_MAX_TOKENS)
            .max(200) as usize;
        let cursor = tools::text_arg(args, "cursor")?
            .map(|c| Cursor::parse(&c))
            .transpose()?;
        Ok((budget, cursor))
    })();
    let (budget, cursor) = match asked {
        Ok(a) => a,
        Err(e) => return failure(e),
    };
    let (revision, answer) = match answer(s, interest, action, args) {
        Ok(a) => a,
        Err(e) => return failure(e),
    };
    let pending = s.pending.list();
    let count = weft_ide::tokens::counter(Tokenizer::O200k);
    // room for the lines that close every page
    let room = budget.saturating_sub(120 + pending.len().min(20) * 12);
    let start = cursor.map_or(0, |c| c.line);
    let p = page(&answer, start, room.max(100), &*count);
    let mut text = p.text;
    if let Some(c) = cursor
        && c.revision != revision
    {
        text.insert_str(
            0,
            &format!(
                "[the graph changed since the first page (revision {} -> {revision}): lines may have moved]\n",
                c.revision
            ),
        );
    }
    text += &status(revision, &pending);
    let next = p.next.map(|line| Cursor { revision, line });
    if let Some(n) = next {
        text += &format!(
            "[cut at line {} of {} to stay under {budget} tokens: call `{}` again with the same arguments and cursor \"{}\" for the rest]\n",
            n.line,
            p.total_lines,
            tool.name,
            n.text()
        );
    }
    let mut r = CallToolResult::success(vec![ContentBlock::text(text)]);
    let mut meta = serde_json::Map::new();
    meta.insert("weft/revision".into(), revision.into());
    meta.insert("weft/pending".into(), json!(pending));
    if let Some(n) = next {
        meta.insert("weft/nextCursor".into(), n.text().into());
    }
    r.meta = Some(rmcp::model::MetaObject(meta));
    r
}

/// The closing line of every answer: how fresh it is.
fn status(revision: u64, pending: &[String]) -> String {
    if pending.is_empty() {
        return format!("[weft revision {revision}: every change on disk is applied]\n");
    }
    const SHOWN: usize = 20;
    let mut names = pending
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if pending.len() > SHOWN {
        names += &format!(" and {} more", pending.len() - SHOWN);
    }
    format!(
        "[weft revision {revision}: {} file{} changed on disk and not applied yet, this answer does not reflect {}: {names}]\n",
        pending.len(),
        if pending.len() == 1 { "" } else { "s" },
        if pending.len() == 1 { "it" } else { "them" },
    )
}

/// Runs of spaces inside a line as two; the indentation stays.
fn compact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let body = line.trim_start_matches(' ');
        out.push_str(&line[..line.len() - body.len()]);
        let mut spaces = 0;
        for c in body.trim_end().chars() {
            if c == ' ' {
                spaces += 1;
                continue;
            }
            if spaces > 0 {
                out.push_str(if spaces > 1 { "  " } else { " " });
                spaces = 0;
            }
            out.push(c);
        }
        out.push('\n');
    }
    out
}

/// A tool's whole answer as text, and the revision it was computed at.
fn answer(
    s: &Shared,
    interest: &crate::interest::Interest,
    action: Action,
    args: &rmcp::model::JsonObject,
) -> Result<(u64, String), String> {
    let gone = || "the question was abandoned".to_string();
    use weft_ide::text;
    let utf8 = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    match action {
        Action::Route(r) => {
            let q =
                api::parse(r.name, &tools::params(args)?).map_err(|e| e.message().to_string())?;
            let (revision, a) = s
                .read_for(interest, |db, _| {
                    let env = s.env();
                    let a = weft_ide::Analysis::new(db, &env).answer(q.clone())?;
                    let mut out = Vec::new();
                    text::write(&q, &a, &mut out)?;
                    anyhow::Ok((out, a.found()))
                })
                .ok_or_else(gone)?;
            let (out, found) = a.map_err(|e| format!("{e:#}"))?;
            let mut t = utf8(out);
            // columns aligned for a terminal cost an agent tokens; a
            // context pack or map holds source, and an outline nests by
            // indentation: those keep their spaces
            if !matches!(r.name, "context" | "map" | "outline") {
                t = compact(&t);
            }
            if !found || t.is_empty() {
                t.insert_str(0, "(nothing found)\n");
            }
            Ok((revision, t))
        }
        Action::Explain => {
            let Some(target) = tools::text_arg(args, "target")? else {
                return Err("`explain` needs a `target`".into());
            };
            let (revision, e) = s
                .read_for(interest, |db, _| {
                    let env = s.env();
                    weft_ide::Analysis::new(db, &env).explain(&target)
                })
                .ok_or_else(gone)?;
            Ok((revision, text::explained(&e.map_err(|e| format!("{e:#}"))?)))
        }
        Action::Diff => {
            let from = tools::text_arg(args, "from")?.unwrap_or_else(|| "HEAD".into());
            let to = tools::text_arg(args, "to")?.filter(|t| t != ".");
            let depth = tools::number_arg(args, "depth", api::MAX_DEPTH)?.unwrap_or(3);
            let revision = s.revision();
            let run = || -> anyhow::Result<Vec<u8>> {
                let report = weft_ide::changes::diff_revisions(
                    &s.root,
                    s.max_file_size,
                    Some(&from),
                    to.as_deref(),
                    depth,
                    1000,
                )?;
                let mut out = Vec::new();
                text::changes::diff(&mut out, &report)?;
                Ok(out)
            };
            Ok((revision, utf8(run().map_err(|e| format!("{e:#}"))?)))
        }
        Action::Conflicts => {
            let (Some(a), Some(b)) = (tools::text_arg(args, "a")?, tools::text_arg(args, "b")?)
            else {
                return Err("`conflicts` needs both `a` and `b`".into());
            };
            let base = tools::text_arg(args, "base")?;
            let depth = tools::number_arg(args, "depth", api::MAX_DEPTH)?.unwrap_or(3);
            let revision = s.revision();
            let run = || -> anyhow::Result<Vec<u8>> {
                let merge = weft_ide::changes::Merge::open(
                    &s.root,
                    s.max_file_size,
                    &a,
                    &b,
                    base.as_deref(),
                )?;
                let mut out = Vec::new();
                let mut failed = None;
                merge.conflicts(depth, &mut |e| {
                    if let Err(e) = text::changes::conflict_event(&mut out, &e) {
                        failed.get_or_insert(e);
                    }
                })?;
                failed.map_or(Ok(out), Err)
            };
            Ok((revision, utf8(run().map_err(|e| format!("{e:#}"))?)))
        }
    }
}

/// `weft mcp --no-daemon`: serve the tools over stdin and stdout until the
/// client closes them.
pub async fn serve_stdio(shared: Arc<Shared>, all: bool) -> anyhow::Result<()> {
    use rmcp::ServiceExt;
    let running = Weft::new(shared, all)
        .serve(rmcp::transport::stdio())
        .await?;
    running.waiting().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn compacting_keeps_indentation_and_single_spaces() {
        let t = "   8.447  module      a::parse          x.rs:1:1\n      via a <- b\n";
        assert_eq!(
            super::compact(t),
            "   8.447  module  a::parse  x.rs:1:1\n      via a <- b\n"
        );
    }
}
