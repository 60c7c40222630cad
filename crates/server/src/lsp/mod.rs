//! `weft lsp`: the graph as a language server over stdio (lsp-server and
//! lsp-types, as rust-analyzer speaks it). Navigation only: definition,
//! declaration, references, implementation, call hierarchy, document and
//! workspace symbols, hover, document highlights.
//!
//! Open documents are overlays: the editor's unsaved text is applied to
//! the engine on didOpen/didChange (the writer thread owns the engine), so
//! answers follow what the user types; on-disk changes come through the
//! watcher. Requests run on a small pool of threads against the current
//! revision; `$/cancelRequest` stops a request's salsa computation.

mod convert;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use serde_json::{Value, json};
use weft_db::api::answer::LocalRecord;
use weft_db::{Role, SymbolKind, SymbolRecord};
use weft_ide::Analysis;
use weft_ide::editor::Call;

use crate::Shared;
use crate::interest::Interest;
use convert::{Doc, Encoding, rel_path, to_pos, to_range, uri};

/// LSP's code for a request the client cancelled.
const REQUEST_CANCELLED: i32 = -32800;

/// What every request needs: where files are, how the client counts
/// columns, and the open documents' text.
struct Ctx {
    shared: Arc<Shared>,
    /// The root as given (made absolute: the URIs weft sends), and as the
    /// file system resolves it (a client may name either).
    roots: Vec<PathBuf>,
    encoding: Encoding,
    docs: Mutex<HashMap<String, Arc<str>>>,
    /// What the walk leaves out (ignored, hidden): never overlaid.
    filter: crate::watch::Filter,
}

impl Ctx {
    /// A file's current text: the editor's if open, else the disk's.
    fn text(&self, rel: &str) -> Option<Arc<str>> {
        if let Some(t) = self.docs.lock().unwrap().get(rel) {
            return Some(t.clone());
        }
        self.shared.env().read_source(rel)
    }

    fn rel(&self, u: &lsp::Uri) -> Result<String, String> {
        rel_path(&self.roots, u).ok_or_else(|| {
            format!(
                "{} is not a file under {}",
                u.as_str(),
                self.roots[0].display()
            )
        })
    }
}

/// One request's view of the files: each read (and split into lines) once.
struct Req<'c> {
    ctx: &'c Ctx,
    docs: RefCell<HashMap<String, Option<Arc<Doc>>>>,
}

impl<'c> Req<'c> {
    fn new(ctx: &'c Ctx) -> Req<'c> {
        Req {
            ctx,
            docs: RefCell::new(HashMap::new()),
        }
    }

    fn doc(&self, rel: &str) -> Option<Arc<Doc>> {
        if let Some(d) = self.docs.borrow().get(rel) {
            return d.clone();
        }
        let d = self.ctx.text(rel).map(|t| Arc::new(Doc::new(t)));
        self.docs.borrow_mut().insert(rel.to_string(), d.clone());
        d
    }

    fn range(&self, file: &str, span: weft_db::Span) -> lsp::Range {
        to_range(self.doc(file).as_deref(), span, self.ctx.encoding)
    }

    fn location(&self, file: &str, span: weft_db::Span) -> lsp::Location {
        lsp::Location {
            uri: uri(&self.ctx.roots[0], file),
            range: self.range(file, span),
        }
    }

    /// The file and weft position a text-document position names.
    fn at(&self, p: &lsp::TextDocumentPositionParams) -> Result<(String, weft_db::Pos), String> {
        let rel = self.ctx.rel(&p.text_document.uri)?;
        let pos = to_pos(self.doc(&rel).as_deref(), p.position, self.ctx.encoding);
        Ok((rel, pos))
    }
}

type Inflight = Arc<Mutex<HashMap<RequestId, Arc<Interest>>>>;

/// A request's work, for the pool.
type Job = Box<dyn FnOnce() + Send>;

/// Serve the language server protocol on stdin and stdout until `exit`.
pub fn serve_stdio(shared: Arc<Shared>) -> Result<()> {
    let (connection, io) = Connection::stdio();
    serve(connection, shared)?;
    io.join().context("the LSP reader or writer thread")?;
    Ok(())
}

/// Serve on a connection (stdio, or a memory pair in tests).
pub fn serve(connection: Connection, shared: Arc<Shared>) -> Result<()> {
    let (id, params) = connection.initialize_start()?;
    let init: lsp::InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let utf8 = init
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|e| e.contains(&lsp::PositionEncodingKind::UTF8));
    let encoding = if utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let caps = lsp::ServerCapabilities {
        position_encoding: Some(if utf8 {
            lsp::PositionEncodingKind::UTF8
        } else {
            lsp::PositionEncodingKind::UTF16
        }),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::FULL),
                ..Default::default()
            },
        )),
        definition_provider: Some(lsp::OneOf::Left(true)),
        declaration_provider: Some(lsp::DeclarationCapability::Simple(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        implementation_provider: Some(lsp::ImplementationProviderCapability::Simple(true)),
        call_hierarchy_provider: Some(lsp::CallHierarchyServerCapability::Simple(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        workspace_symbol_provider: Some(lsp::OneOf::Left(true)),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        document_highlight_provider: Some(lsp::OneOf::Left(true)),
        ..Default::default()
    };
    connection.initialize_finish(
        id,
        json!({
            "capabilities": caps,
            "serverInfo": {"name": "weft", "version": env!("CARGO_PKG_VERSION")},
        }),
    )?;
    let given = std::path::absolute(&shared.root).unwrap_or_else(|_| shared.root.clone());
    let real = given.canonicalize().unwrap_or_else(|_| given.clone());
    let ctx = Arc::new(Ctx {
        filter: crate::watch::Filter::new(&real),
        roots: vec![given, real],
        shared,
        encoding,
        docs: Mutex::new(HashMap::new()),
    });
    let inflight: Inflight = Arc::default();
    let done = Arc::new(AtomicBool::new(false));
    say_when_warm(&connection, &ctx.shared, &done);
    // requests run on a few threads: CPU-bound work beyond the cores only
    // stretches every answer
    let (jobs, queue) = std::sync::mpsc::channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    let workers: Vec<_> = (0..std::thread::available_parallelism().map_or(2, |n| n.get()) * 2)
        .map(|i| {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("weft-lsp-{i}"))
                .spawn(move || {
                    loop {
                        let job = queue.lock().unwrap().recv();
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                })
        })
        .collect::<std::io::Result<_>>()?;
    for msg in &connection.receiver {
        match msg {
            Message::Request(req) => {
                if connection.handle_shutdown(&req)? {
                    break;
                }
                start(&connection, &ctx, &inflight, &jobs, req);
            }
            Message::Notification(n) => notification(&connection, &ctx, &inflight, n),
            Message::Response(_) => {}
        }
    }
    // what is still computing is for nobody now
    for (_, i) in inflight.lock().unwrap().drain() {
        i.lose();
    }
    done.store(true, Ordering::Relaxed);
    drop(jobs);
    for w in workers {
        let _ = w.join();
    }
    Ok(())
}

/// Tell the editor (its LSP log) once every file is resolved: until then a
/// first question in a file computes what it needs on the spot.
fn say_when_warm(connection: &Connection, shared: &Arc<Shared>, done: &Arc<AtomicBool>) {
    let (sender, shared, done) = (connection.sender.clone(), shared.clone(), done.clone());
    let t = std::time::Instant::now();
    std::thread::spawn(move || {
        // (the sender keeps the connection's writer alive: let go at exit)
        while !shared.warm.load(Ordering::Acquire) {
            if done.load(Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let message = format!(
            "weft: {} files resolved in {:.1}s; answers are memo lookups now",
            shared.view().files,
            t.elapsed().as_secs_f64()
        );
        let _ = sender.send(Message::Notification(Notification::new(
            "window/logMessage".into(),
            lsp::LogMessageParams {
                typ: lsp::MessageType::INFO,
                message,
            },
        )));
    });
}

/// Queue a request for the pool.
fn start(
    connection: &Connection,
    ctx: &Arc<Ctx>,
    inflight: &Inflight,
    jobs: &std::sync::mpsc::Sender<Job>,
    req: Request,
) {
    let interest = Arc::new(Interest::default());
    inflight
        .lock()
        .unwrap()
        .insert(req.id.clone(), interest.clone());
    let (ctx, inflight, sender) = (ctx.clone(), inflight.clone(), connection.sender.clone());
    let _ = jobs.send(Box::new(move || {
        let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            ctx.shared.read_for(&interest, |db, _| {
                let env = ctx.shared.env();
                handle(
                    &Analysis::new(db, &env),
                    &Req::new(&ctx),
                    &req.method,
                    &req.params,
                )
            })
        }));
        // still ours to answer, unless a cancel answered it already
        if inflight.lock().unwrap().remove(&req.id).is_none() {
            return;
        }
        let response = match answer {
            Ok(Some((_, Ok(v)))) => Response::new_ok(req.id, v),
            Ok(Some((_, Err(e)))) => Response::new_err(req.id, e.0, e.1),
            Ok(None) => Response::new_err(req.id, REQUEST_CANCELLED, "cancelled".into()),
            Err(_) => Response::new_err(
                req.id,
                lsp_server::ErrorCode::InternalError as i32,
                format!(
                    "weft failed answering {} (a bug: WEFT_LOG=debug shows more)",
                    req.method
                ),
            ),
        };
        let _ = sender.send(Message::Response(response));
    }));
}

fn notification(connection: &Connection, ctx: &Ctx, inflight: &Inflight, n: Notification) {
    let p = &n.params;
    match n.method.as_str() {
        "$/cancelRequest" => {
            let id: Option<RequestId> = p
                .get("id")
                .and_then(|i| serde_json::from_value(i.clone()).ok());
            let found = id.and_then(|id| inflight.lock().unwrap().remove(&id).map(|i| (id, i)));
            if let Some((id, interest)) = found {
                interest.lose();
                let _ = connection.sender.send(Message::Response(Response::new_err(
                    id,
                    REQUEST_CANCELLED,
                    "cancelled".into(),
                )));
            }
        }
        "textDocument/didOpen" => {
            if let Ok(o) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(p.clone())
                && let Ok(rel) = ctx.rel(&o.text_document.uri)
            {
                set(ctx, rel, Some(o.text_document.text.into()));
            }
        }
        "textDocument/didChange" => {
            if let Ok(c) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(p.clone())
                && let Ok(rel) = ctx.rel(&c.text_document.uri)
            {
                let mut text: String = ctx.text(&rel).map(|t| t.to_string()).unwrap_or_default();
                for change in c.content_changes {
                    match change.range {
                        None => text = change.text,
                        Some(r) => splice(&mut text, r, &change.text, ctx.encoding),
                    }
                }
                set(ctx, rel, Some(text.into()));
            }
        }
        "textDocument/didClose" => {
            if let Ok(c) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(p.clone())
                && let Ok(rel) = ctx.rel(&c.text_document.uri)
            {
                ctx.docs.lock().unwrap().remove(&rel);
                if !ctx.filter.skips(&rel, false) {
                    ctx.shared.set_overlay(&rel, None);
                }
            }
        }
        _ => {}
    }
}

/// An open document's new text: kept for positions, and applied to the
/// engine before the next message is read (so the next request sees it).
fn set(ctx: &Ctx, rel: String, text: Option<Arc<str>>) {
    if let Some(t) = &text {
        ctx.docs.lock().unwrap().insert(rel.clone(), t.clone());
    }
    // a file the walk leaves out stays out of the graph, open or not
    if weft_queries::languages::is_indexed(&rel) && !ctx.filter.skips(&rel, false) {
        ctx.shared.set_overlay(&rel, text);
    }
}

/// Apply a ranged change (for a client that sends them though the server
/// asked for whole documents).
fn splice(text: &mut String, r: lsp::Range, new: &str, enc: Encoding) {
    let doc = Doc::new(Arc::from(text.as_str()));
    let offset = |p: lsp::Position| -> usize {
        let pos = to_pos(Some(&doc), p, enc);
        let mut off = 0;
        for (i, line) in text.split_inclusive('\n').enumerate() {
            if i == pos.line as usize {
                return off + (pos.col as usize).min(line.trim_end_matches('\n').len());
            }
            off += line.len();
        }
        text.len()
    };
    let (a, b) = (offset(r.start), offset(r.end));
    if a <= b && b <= text.len() {
        text.replace_range(a..b, new);
    }
}

type Answer = Result<Value, (i32, String)>;

fn invalid(e: impl std::fmt::Display) -> (i32, String) {
    (lsp_server::ErrorCode::InvalidParams as i32, e.to_string())
}

fn params<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, (i32, String)> {
    serde_json::from_value(v.clone()).map_err(invalid)
}

fn to_json(v: impl serde::Serialize) -> Answer {
    Ok(serde_json::to_value(v).expect("LSP types serialize"))
}

fn handle(a: &Analysis, ctx: &Req, method: &str, p: &Value) -> Answer {
    match method {
        "textDocument/definition" | "textDocument/declaration" => {
            let q: lsp::TextDocumentPositionParams = params(p)?;
            let (file, pos) = ctx.at(&q).map_err(invalid)?;
            to_json(
                a.definition_at(&file, pos)
                    .map(|s| ctx.location(&s.file, s.span)),
            )
        }
        "textDocument/references" => {
            let q: lsp::ReferenceParams = params(p)?;
            let (file, pos) = ctx.at(&q.text_document_position).map_err(invalid)?;
            let refs = a.references_at(&file, pos, q.context.include_declaration);
            to_json(
                refs.iter()
                    .map(|(s, _)| ctx.location(&s.file, s.span))
                    .collect::<Vec<_>>(),
            )
        }
        "textDocument/implementation" => {
            let q: lsp::TextDocumentPositionParams = params(p)?;
            let (file, pos) = ctx.at(&q).map_err(invalid)?;
            to_json(
                a.implementations_at(&file, pos)
                    .iter()
                    .map(|r| ctx.location(&r.file, r.span))
                    .collect::<Vec<_>>(),
            )
        }
        "textDocument/documentHighlight" => {
            let q: lsp::TextDocumentPositionParams = params(p)?;
            let (file, pos) = ctx.at(&q).map_err(invalid)?;
            let spots: Vec<lsp::DocumentHighlight> = a
                .references_at(&file, pos, true)
                .into_iter()
                .filter(|(s, _)| s.file == file)
                .map(|(s, role)| lsp::DocumentHighlight {
                    range: ctx.range(&s.file, s.span),
                    kind: Some(match role {
                        Role::Write => lsp::DocumentHighlightKind::WRITE,
                        Role::Read | Role::Call => lsp::DocumentHighlightKind::READ,
                        _ => lsp::DocumentHighlightKind::TEXT,
                    }),
                })
                .collect();
            to_json(spots)
        }
        "textDocument/hover" => {
            let q: lsp::TextDocumentPositionParams = params(p)?;
            let (file, pos) = ctx.at(&q).map_err(invalid)?;
            let local = || {
                let l = a.local_at(&file, pos)?;
                let line = a.source_line(&l.file, l.span.start.line);
                Some(local_hover(&l, line.as_deref()))
            };
            to_json(a.symbol_at(&file, pos).map(|r| hover(&r)).or_else(local))
        }
        "textDocument/documentSymbol" => {
            let q: lsp::DocumentSymbolParams = params(p)?;
            let file = ctx.ctx.rel(&q.text_document.uri).map_err(invalid)?;
            let defs = a.outline(&file).map_err(invalid)?;
            to_json(nest(ctx, &defs))
        }
        "workspace/symbol" => {
            let q: lsp::WorkspaceSymbolParams = params(p)?;
            let hits = a.symbols(&q.query, weft_ide::Filter::default(), 100);
            to_json(
                hits.iter()
                    .map(|r| lsp::WorkspaceSymbol {
                        name: r.name.clone(),
                        kind: kind(r.kind),
                        tags: None,
                        container_name: Some(r.qualified_name.clone()),
                        location: lsp::OneOf::Left(ctx.location(&r.file, r.span)),
                        data: None,
                    })
                    .collect::<Vec<_>>(),
            )
        }
        "textDocument/prepareCallHierarchy" => {
            let q: lsp::TextDocumentPositionParams = params(p)?;
            let (file, pos) = ctx.at(&q).map_err(invalid)?;
            to_json(a.symbol_at(&file, pos).map(|r| vec![item(ctx, &r)]))
        }
        "callHierarchy/incomingCalls" => {
            let q: lsp::CallHierarchyIncomingCallsParams = params(p)?;
            let id = item_id(&q.item)?;
            let calls: Vec<lsp::CallHierarchyIncomingCall> = a
                .incoming_calls(&id)
                .iter()
                .map(|c| lsp::CallHierarchyIncomingCall {
                    from: call_item(ctx, c),
                    from_ranges: sites(ctx, &c.file, c),
                })
                .collect();
            to_json(calls)
        }
        "callHierarchy/outgoingCalls" => {
            let q: lsp::CallHierarchyOutgoingCallsParams = params(p)?;
            let id = item_id(&q.item)?;
            let caller = ctx.ctx.rel(&q.item.uri).map_err(invalid)?;
            let calls: Vec<lsp::CallHierarchyOutgoingCall> = a
                .outgoing_calls(&id)
                .iter()
                .map(|c| lsp::CallHierarchyOutgoingCall {
                    to: call_item(ctx, c),
                    from_ranges: sites(ctx, &caller, c),
                })
                .collect();
            to_json(calls)
        }
        _ => Err((
            lsp_server::ErrorCode::MethodNotFound as i32,
            format!("weft does not answer {method}"),
        )),
    }
}

fn hover(r: &SymbolRecord) -> lsp::Hover {
    let mut md = String::new();
    if !r.signature.is_empty() {
        md += &format!("```\n{}\n```\n", r.signature);
    }
    md += &format!("{} `{}`", r.kind, r.qualified_name);
    if let Some(d) = &r.doc {
        md += &format!("\n\n{d}");
    }
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: md,
        }),
        range: None,
    }
}

/// A local's hover: the line that binds it, and whose it is.
fn local_hover(l: &LocalRecord, line: Option<&str>) -> lsp::Hover {
    let mut md = String::new();
    if let Some(line) = line {
        md += &format!("```\n{}\n```\n", line.trim());
    }
    md += &format!("{} `{}`", l.kind, l.name);
    if let Some(f) = &l.function {
        md += &format!(" of `{}`", f.qualified_name);
    }
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: md,
        }),
        range: None,
    }
}

fn kind(k: SymbolKind) -> lsp::SymbolKind {
    match k {
        SymbolKind::Module => lsp::SymbolKind::MODULE,
        SymbolKind::Function => lsp::SymbolKind::FUNCTION,
        SymbolKind::Method => lsp::SymbolKind::METHOD,
        SymbolKind::Struct => lsp::SymbolKind::STRUCT,
        SymbolKind::Class => lsp::SymbolKind::CLASS,
        SymbolKind::Enum => lsp::SymbolKind::ENUM,
        SymbolKind::EnumMember => lsp::SymbolKind::ENUM_MEMBER,
        SymbolKind::Trait | SymbolKind::Interface => lsp::SymbolKind::INTERFACE,
        SymbolKind::TypeAlias => lsp::SymbolKind::TYPE_PARAMETER,
        SymbolKind::Constant | SymbolKind::Static => lsp::SymbolKind::CONSTANT,
        SymbolKind::Variable => lsp::SymbolKind::VARIABLE,
        SymbolKind::Field => lsp::SymbolKind::FIELD,
        SymbolKind::Macro => lsp::SymbolKind::FUNCTION,
    }
}

/// A file's definitions, nested under their containers.
fn nest(ctx: &Req, defs: &[SymbolRecord]) -> Vec<lsp::DocumentSymbol> {
    let mut under: HashMap<Option<weft_db::SymbolId>, Vec<usize>> = HashMap::new();
    for (i, owner) in weft_ide::editor::owners(defs).into_iter().enumerate() {
        under.entry(owner).or_default().push(i);
    }
    fn children(
        ctx: &Req,
        defs: &[SymbolRecord],
        under: &HashMap<Option<weft_db::SymbolId>, Vec<usize>>,
        parent: Option<weft_db::SymbolId>,
    ) -> Vec<lsp::DocumentSymbol> {
        let Some(mine) = under.get(&parent) else {
            return Vec::new();
        };
        mine.iter()
            .map(|&i| {
                let d = &defs[i];
                let inner = children(ctx, defs, under, Some(d.id));
                #[allow(deprecated)]
                lsp::DocumentSymbol {
                    name: d.name.clone(),
                    detail: (!d.signature.is_empty()).then(|| d.signature.clone()),
                    kind: kind(d.kind),
                    tags: None,
                    deprecated: None,
                    range: ctx.range(&d.file, d.full_span),
                    selection_range: ctx.range(&d.file, d.span),
                    children: (!inner.is_empty()).then_some(inner),
                }
            })
            .collect()
    }
    children(ctx, defs, &under, None)
}

fn item(ctx: &Req, r: &SymbolRecord) -> lsp::CallHierarchyItem {
    lsp::CallHierarchyItem {
        name: r.name.clone(),
        kind: kind(r.kind),
        tags: None,
        detail: Some(r.qualified_name.clone()),
        uri: uri(&ctx.ctx.roots[0], &r.file),
        range: ctx.range(&r.file, r.full_span),
        selection_range: ctx.range(&r.file, r.span),
        data: Some(json!(r.id.to_string())),
    }
}

/// A caller or callee; module-level code is its file.
fn call_item(ctx: &Req, c: &Call) -> lsp::CallHierarchyItem {
    match &c.symbol {
        Some(r) => item(ctx, r),
        None => lsp::CallHierarchyItem {
            name: c.file.clone(),
            kind: lsp::SymbolKind::FILE,
            tags: None,
            detail: None,
            uri: uri(&ctx.ctx.roots[0], &c.file),
            range: lsp::Range::default(),
            selection_range: lsp::Range::default(),
            data: None,
        },
    }
}

fn sites(ctx: &Req, file: &str, c: &Call) -> Vec<lsp::Range> {
    c.sites.iter().map(|s| ctx.range(file, *s)).collect()
}

fn item_id(item: &lsp::CallHierarchyItem) -> Result<String, (i32, String)> {
    item.data
        .as_ref()
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| invalid("this call hierarchy item is not weft's (no symbol id)"))
}
