//! Routes, authentication, errors and Server-Sent Events.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use anyhow::Result;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;
use futures_util::stream::{self, Stream};
use serde_json::{Value, json};
use weft_db::wire;

use crate::Shared;
use crate::events::CatchUp;
use crate::metrics::GraphCounts;
use weft_db::api::{self, ApiError, MAX_BODY};

/// Answer on the listeners until the server is told to stop.
pub async fn serve(
    shared: Arc<Shared>,
    tcp: Option<tokio::net::TcpListener>,
    unix: Option<tokio::net::UnixListener>,
) -> std::io::Result<()> {
    let stop = |s: &Shared| {
        let mut stopping = s.stopping.subscribe();
        async move {
            let _ = stopping.wait_for(|&stop| stop).await;
        }
    };
    let tcp = async {
        if let Some(l) = tcp {
            let app = router(shared.clone(), Door::Tcp);
            crate::conn::serve(l, app, shared.limits, stop(&shared)).await;
        }
    };
    let unix = async {
        if let Some(l) = unix {
            let app = router(shared.clone(), Door::Socket);
            crate::conn::serve(l, app, shared.limits, stop(&shared)).await;
        }
    };
    tokio::join!(tcp, unix);
    Ok(())
}

/// How a request came in: TCP (checked by `Host` and the `--token-file`
/// token), or the repository's socket (the daemon's token).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Door {
    Tcp,
    Socket,
}

pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    eprintln!("weft serve: shutting down");
}

fn router(shared: Arc<Shared>, door: Door) -> Router {
    Router::new()
        .route_service("/mcp", crate::mcp::http_service(shared.clone(), false))
        .route_service("/mcp/all", crate::mcp::http_service(shared.clone(), true))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/v1/events", get(events))
        .route("/v1/conflicts", axum::routing::post(conflicts))
        .route("/v1/{route}", get(query))
        .merge(crate::ui::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            (shared.clone(), door),
            guard,
        ))
        .with_state(shared)
}

/// A JSON error body: `{"error": {"status": 400, "message": "..."}}`.
fn error(status: StatusCode, message: impl Into<String>) -> Response {
    let message = message.into();
    tracing::warn!(status = status.as_u16(), "{message}");
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        api::error_body(status.as_u16(), &message),
    )
        .into_response()
}

/// The shared API errors, with their own status and body.
fn api_error(e: ApiError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    error(status, e.message())
}

async fn not_found(req: Request) -> Response {
    api_error(api::no_route(req.uri().path()))
}

async fn method_not_allowed(req: Request) -> Response {
    api_error(api::read_only(req.method().as_str(), req.uri().path()))
}

/// Authentication (when a token is set) and request metrics.
async fn guard(State((s, door)): State<(Arc<Shared>, Door)>, req: Request, next: Next) -> Response {
    let t = Instant::now();
    s.touch();
    let path = req.uri().path().to_string();
    let token = match door {
        Door::Tcp => &s.token,
        Door::Socket => &s.daemon_token,
    };
    if door == Door::Tcp
        && s.token.is_none()
        && let Some(host) = req.headers().get(header::HOST)
        && !is_local_host(host.as_bytes(), s.port)
    {
        // a page on another site whose name resolves here (DNS rebinding)
        // must not read the graph of a server that has no token
        return error(
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "Host `{}` is not this server: without a token weft serve answers only localhost, 127.0.0.1 and [::1] (serve with --token-file to be reached by another name)",
                String::from_utf8_lossy(host.as_bytes())
            ),
        );
    }
    if let Some(token) = token
        && path != "/healthz"
        && !crate::ui::is_ui(&path)
    {
        // the scheme is case-insensitive (RFC 9110 11.1)
        let sent = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, t)| t.trim());
        if !sent.is_some_and(|t| constant_time_eq(t.as_bytes(), token.as_bytes())) {
            let mut r = error(
                StatusCode::UNAUTHORIZED,
                "missing or wrong bearer token (Authorization: Bearer TOKEN)",
            );
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return r;
        }
    }
    let r = next.run(req).await;
    // label by route, not by raw path: unknown paths would grow the series
    let known = matches!(
        path.as_str(),
        "/healthz" | "/metrics" | "/mcp" | "/mcp/all" | "/ui/"
    ) || path
        .strip_prefix("/v1/")
        .is_some_and(|r| api::ROUTES.iter().any(|x| x.name == r));
    if path != "/v1/events" {
        let route = if known { path.as_str() } else { "other" };
        s.metrics
            .request(route, r.status().as_u16(), t.elapsed().as_secs_f64());
    }
    r
}

/// A loopback name for this server, with its port or none.
fn is_local_host(host: &[u8], port: Option<u16>) -> bool {
    let Ok(host) = std::str::from_utf8(host) else {
        return false;
    };
    let (name, p) = match host.rsplit_once(':') {
        Some((n, p)) if !n.ends_with(':') && (n.starts_with('[') || !n.contains(':')) => {
            (n, Some(p))
        }
        _ => (host, None),
    };
    let local = matches!(
        name.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "[::1]"
    );
    local && p.is_none_or(|p| p.parse().ok() == port)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn healthz(State(s): State<Arc<Shared>>) -> Response {
    axum::Json(json!({
        "status": "ok",
        "revision": s.revision(),
        "warm": s.warm.load(Ordering::Acquire),
        "start": s.start,
    }))
    .into_response()
}

async fn metrics(State(s): State<Arc<Shared>>) -> Response {
    let s2 = s.clone();
    let counts = tokio::task::spawn_blocking(move || {
        if let Some(c) = s2.metrics.counts_at(s2.revision()) {
            return c;
        }
        let (revision, c) = s2.read(|db, v| {
            let st = weft_queries::export::stats(db);
            (v.files, st.symbols, st.edges)
        });
        let c = Arc::new(GraphCounts {
            revision,
            files: c.0,
            symbols: c.1,
            edges: c.2.iter().map(|(k, n)| (k.to_string(), *n)).collect(),
        });
        s2.metrics.keep_counts(c.clone());
        c
    })
    .await;
    match counts {
        Ok(c) => (
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
            s.metrics.render(&c),
        )
            .into_response(),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, format!("metrics: {e}")),
    }
}

/// `/v1/<command>?<the command's arguments>`: the CLI's `--json` answer,
/// as `{"revision": N, "result": ...}` (JSON-lines commands give an array).
/// `Accept: text/plain` gets the CLI's text and `application/x-ndjson` its
/// `--json` lines, with the revision in `x-weft-revision` and whether it
/// found anything in `x-weft-found` (what `weft` asks its daemon for);
/// `x-weft-fresh: wait` first waits for changes on disk to be applied.
async fn query(
    State(s): State<Arc<Shared>>,
    Path(route): Path<String>,
    headers: HeaderMap,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    if route == "openapi.json" {
        return axum::Json(crate::openapi::document()).into_response();
    }
    let params = match params {
        Ok(Query(p)) => p,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.body_text()),
    };
    let lines = api::is_listing(&route);
    let format = Format::of(&headers);
    if headers
        .get("x-weft-fresh")
        .is_some_and(|v| v.as_bytes() == b"wait")
    {
        let (pending, limit) = (s.pending.clone(), s.deadline);
        let _ = tokio::task::spawn_blocking(move || pending.wait_drained(limit)).await;
    }
    let bulk = if is_bulk(&route, &params) {
        match tokio::time::timeout(s.deadline, s.bulk.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Some(permit),
            _ => {
                return error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "other large answers are being sent; retry shortly",
                );
            }
        }
    } else {
        None
    };
    let quick = if s.warm.load(Ordering::Acquire) && is_point_query(&route, &params) {
        s.try_read(|db| answer(&s, db, &route, &params, format))
    } else {
        None
    };
    let (revision, answer) = match quick {
        Some(r) => r,
        None => match on_pool(&s, route, params, format).await {
            Ok(r) => r,
            Err(response) => return response,
        },
    };
    let (docs, found) = match answer {
        Ok(a) => a,
        Err(e) => return api_error(e),
    };
    let size: usize = docs.iter().map(|d| d.len() + 1).sum();
    if size > MAX_BODY {
        return api_error(api::too_large(size));
    }
    let (content_type, body) = match format {
        Format::Text => ("text/plain; charset=utf-8", docs.concat()),
        Format::Lines => ("application/x-ndjson", {
            let mut b = Vec::with_capacity(size);
            for d in &docs {
                b.extend_from_slice(d);
                b.push(b'\n');
            }
            b
        }),
        Format::Postcard => {
            let parsed: Result<Vec<Value>, _> = docs
                .iter()
                .map(|d| serde_json::from_slice::<Value>(d))
                .collect();
            let parsed = match parsed {
                Ok(p) => p,
                Err(e) => {
                    return error(StatusCode::INTERNAL_SERVER_ERROR, format!("answer: {e}"));
                }
            };
            let result = if lines {
                Value::Array(parsed)
            } else {
                parsed.into_iter().next().unwrap_or(Value::Null)
            };
            let body = wire::encode_answer(&wire::Answer {
                revision,
                result: (&result).into(),
            });
            (wire::MEDIA_TYPE, body)
        }
        Format::Json => (
            "application/json",
            api::envelope(revision, docs.iter().map(|d| &d[..]), lines),
        ),
    };
    drop(docs);
    let body = match bulk {
        // held until the body is sent or its connection dropped
        Some(permit) => axum::body::Body::new(Held {
            bytes: Some(body.into()),
            _permit: permit,
        }),
        None => axum::body::Body::from(body),
    };
    let mut r = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    r.headers_mut()
        .insert("x-weft-revision", HeaderValue::from(revision));
    r.headers_mut().insert(
        "x-weft-found",
        HeaderValue::from_static(if found { "true" } else { "false" }),
    );
    r
}

/// How an answer is sent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    /// `{"revision": N, "result": ...}`
    Json,
    /// The same, as postcard.
    Postcard,
    /// The CLI's text.
    Text,
    /// The CLI's `--json`: one document per line.
    Lines,
}

impl Format {
    /// From `Accept`; errors stay JSON whatever it asked: the status tells
    /// them apart.
    fn of(headers: &HeaderMap) -> Format {
        let accepts = |m: &str| {
            headers
                .get_all(header::ACCEPT)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|x| x.split(';').next().unwrap_or("").trim() == m)
        };
        // (a client that lists JSON at all gets JSON: `application/json,
        // text/plain, */*` is many HTTP libraries' default)
        if accepts(wire::MEDIA_TYPE) {
            Format::Postcard
        } else if accepts("application/json") {
            Format::Json
        } else if accepts("application/x-ndjson") {
            Format::Lines
        } else if accepts("text/plain") {
            Format::Text
        } else {
            Format::Json
        }
    }
}

/// A whole body that holds a permit of [`Shared::bulk`] until it has been
/// sent or its connection dropped, with its length known (no chunking).
struct Held {
    bytes: Option<axum::body::Bytes>,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl http_body::Body for Held {
    type Data = axum::body::Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Ready(self.bytes.take().map(|b| Ok(http_body::Frame::data(b))))
    }

    fn is_end_stream(&self) -> bool {
        self.bytes.is_none()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.bytes.as_ref().map_or(0, |b| b.len() as u64))
    }
}

/// Answers that can run to tens of megabytes.
fn is_bulk(route: &str, params: &[(String, String)]) -> bool {
    match route {
        "export" | "map" | "cycles" => true,
        // the module map reads every file's imports; SVG runs a layout
        "graph" => params.iter().any(|(k, v)| {
            (k == "modules" && !matches!(v.as_str(), "false" | "0"))
                || (k == "format" && v == "svg")
        }),
        "symbols" => params.iter().any(|(k, v)| k == "limit" && v.trim() == "0"),
        _ => false,
    }
}

/// An answer's JSON documents (one, or one per item for the listings) or
/// its text, and whether it found what it was asked for.
type Answer = Result<(Vec<Vec<u8>>, bool), ApiError>;

/// Run a query on the blocking pool, at most `computing` at once, under the
/// deadline.
async fn on_pool(
    s: &Arc<Shared>,
    route: String,
    params: Vec<(String, String)>,
    format: Format,
) -> Result<(u64, Answer), Response> {
    let done = s
        .compute(move |s, interest| {
            s.read_for(interest, |db, _| answer(s, db, &route, &params, format))
        })
        .await;
    match done {
        Ok(Some(r)) => Ok(r),
        // (abandoned: nobody is left to read this)
        Ok(None) => Err(error(StatusCode::SERVICE_UNAVAILABLE, "abandoned")),
        Err(late @ crate::Late::Deadline(_)) => {
            Err(error(StatusCode::SERVICE_UNAVAILABLE, late.message()))
        }
        Err(late) => Err(error(StatusCode::INTERNAL_SERVER_ERROR, late.message())),
    }
}

/// Answer a route through the same API the CLI calls.
fn answer(
    s: &Shared,
    db: &weft_queries::RootDatabase,
    route: &str,
    params: &[(String, String)],
    format: Format,
) -> Answer {
    let q = api::parse(route, params)?;
    let env = s.env();
    let a = weft_ide::Analysis::new(db, &env)
        .answer(q.clone())
        .map_err(|e| ApiError::BadRequest(format!("{e:#}")))?;
    let docs = match format {
        Format::Text => {
            let mut out = Vec::new();
            weft_ide::text::write(&q, &a, &mut out)
                .map_err(|e| ApiError::BadRequest(format!("{e:#}")))?;
            vec![out]
        }
        _ => a.docs(),
    };
    Ok((docs, a.found()))
}

/// Lookups in memoized maps, answered in microseconds once the graph is
/// warm: these run right on the connection's thread, where handing them to
/// the blocking pool would cost more than the answer (measured: twice the
/// throughput). Walks (impact, path, cycles, deeper callers) and bulk
/// answers (export, symbols) go to the pool, under the deadline.
fn is_point_query(route: &str, params: &[(String, String)]) -> bool {
    let shallow = params.iter().all(|(k, v)| k != "depth" || v.trim() == "1");
    match route {
        "def" | "refs" | "impls" | "deps" | "outline" => true,
        "callers" | "callees" => shallow,
        _ => false,
    }
}

/// `GET /v1/events`: every applied batch as a `change` event whose id is
/// its revision. A client reconnecting with `Last-Event-ID` first gets what
/// it missed, or one `resync` event when that is no longer kept.
async fn events(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let last = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let current = s.revision();
    let (rx, catch_up) = s.events.subscribe(last, current);
    let mut first: Vec<Event> = vec![
        Event::default()
            .event("hello")
            .data(json!({"revision": current}).to_string()),
    ];
    let mut seen = last.unwrap_or(current);
    match catch_up {
        CatchUp::Replay(evs) => {
            for e in evs {
                seen = seen.max(e.revision);
                first.push(change_event(&e));
            }
        }
        CatchUp::Resync => first.push(resync(current)),
    }
    let seen = seen.max(current);
    let live = stream::unfold((rx, seen), |(mut rx, seen)| async move {
        loop {
            match rx.recv().await {
                Ok(e) if e.revision <= seen => continue,
                Ok(e) => {
                    let rev = e.revision;
                    return Some((Ok(change_event(&e)), (rx, rev)));
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    return Some((Ok(resync(seen)), (rx, seen)));
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let head = stream::iter(first.into_iter().map(Ok));
    let mut stopping = s.stopping.subscribe();
    let stop = async move {
        let _ = stopping.wait_for(|&stop| stop).await;
    };
    Sse::new(head.chain(live).take_until(stop)).keep_alive(KeepAlive::default())
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConflictsRequest {
    a: String,
    b: String,
    base: Option<String>,
    depth: Option<u32>,
}

/// `POST /v1/conflicts`: `weft conflicts` as Server-Sent Events, one per
/// line of `--json` output, named by its `event` field. It reads the
/// revisions from git into an engine of its own, so the live graph and its
/// writer are not held up.
async fn conflicts(State(s): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    use weft_ide::changes::{self, Event as Step};
    let req: ConflictsRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!(
                    "the body must be JSON like {{\"a\": \"main\", \"b\": \"feature\", \"base\": null, \"depth\": 3}}: {e}"
                ),
            );
        }
    };
    let depth = req.depth.unwrap_or(3);
    if depth > api::MAX_DEPTH {
        return error(
            StatusCode::BAD_REQUEST,
            format!("depth {depth} is over the limit of {}", api::MAX_DEPTH),
        );
    }
    let (root, max) = (s.root.clone(), s.max_file_size);
    let prepared = tokio::task::spawn_blocking(move || {
        changes::Merge::open(&root, max, &req.a, &req.b, req.base.as_deref())
    })
    .await;
    let merge = match prepared {
        Ok(Ok(m)) => m,
        Ok(Err(e)) => return error(StatusCode::BAD_REQUEST, format!("{e:#}")),
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    };
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Event>();
    tokio::task::spawn_blocking(move || {
        let sse = |e: &Step| {
            let name = match e {
                Step::Start { .. } => "start",
                Step::Tier { .. } => "tier",
                Step::Done { .. } => "done",
            };
            Event::default()
                .event(name)
                .data(serde_json::to_string(e).unwrap_or_default())
        };
        let r = merge.conflicts(depth, &mut |e| {
            let _ = tx.send(sse(&e));
        });
        if let Err(e) = r {
            let _ = tx.send(
                Event::default()
                    .event("error")
                    .data(json!({"message": format!("{e:#}")}).to_string()),
            );
        }
    });
    let stream = stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|e| (Ok::<_, Infallible>(e), rx))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

fn change_event(e: &crate::events::ChangeEvent) -> Event {
    Event::default()
        .event("change")
        .id(e.revision.to_string())
        .data(serde_json::to_string(e).unwrap_or_default())
}

fn resync(revision: u64) -> Event {
    Event::default().event("resync").data(
        json!({"revision": revision, "message": "events since your last one are no longer kept: re-read what you need"})
            .to_string(),
    )
}
