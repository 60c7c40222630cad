//! The graph explorer at `/ui/`: static pages embedded in the binary (no
//! CDN, works offline) that read only the public `/v1` API, so the same
//! files can be served next to a replica. Every view is a URL of its own
//! (`/ui/symbol/{TARGET}`, `/ui/file/{PATH}`, ...): each gets the one page,
//! whose script draws the view the path names.
//!
//! The files hold no repository data, so they are served without the
//! bearer token; the page asks for it (or takes it from `#token=` in the
//! address, which browsers never send) and sends it with each API call.

use std::sync::OnceLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

/// One embedded file.
struct Asset {
    name: &'static str,
    mime: &'static str,
    bytes: &'static [u8],
}

macro_rules! asset {
    ($name:literal, $mime:expr) => {
        Asset {
            name: $name,
            mime: $mime,
            bytes: include_bytes!(concat!("../ui/", $name)),
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";

const ASSETS: &[Asset] = &[
    asset!("app.js", JS),
    asset!("views.js", JS),
    asset!("draw.js", JS),
    asset!("api.js", JS),
    asset!("dom.js", JS),
    asset!("layers.js", JS),
    asset!("pictures.js", JS),
    asset!("app.css", "text/css; charset=utf-8"),
    asset!("vendor/cytoscape.min.js", JS),
    asset!("vendor/cytoscape.LICENSE", "text/plain; charset=utf-8"),
];

const PAGE: &[u8] = include_bytes!("../ui/index.html");

/// What the page may load and run: its own files only. (Cytoscape sets
/// style attributes on its elements, hence inline styles.)
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The routes under `/ui`.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/ui", get(|| async { Redirect::permanent("/ui/") }))
        .route("/ui/", get(page))
        .route("/ui/assets/{*name}", get(asset))
        .route("/ui/{*view}", get(page))
}

/// Is this path one of the explorer's (served without the token)?
pub fn is_ui(path: &str) -> bool {
    path == "/ui" || path.starts_with("/ui/")
}

async fn page(headers: HeaderMap) -> Response {
    static TAG: OnceLock<String> = OnceLock::new();
    let tag = TAG.get_or_init(|| etag(PAGE));
    serve(&headers, PAGE, "text/html; charset=utf-8", tag)
}

async fn asset(Path(name): Path<String>, headers: HeaderMap) -> Response {
    match ASSETS.iter().position(|a| a.name == name) {
        Some(i) => {
            let a = &ASSETS[i];
            static TAGS: OnceLock<Vec<String>> = OnceLock::new();
            let tags = TAGS.get_or_init(|| ASSETS.iter().map(|a| etag(a.bytes)).collect());
            serve(&headers, a.bytes, a.mime, &tags[i])
        }
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("no asset `{name}` in the explorer\n"),
        )
            .into_response(),
    }
}

/// A file's ETag: the start of its blake3 hash.
fn etag(bytes: &[u8]) -> String {
    format!("\"{}\"", &blake3::hash(bytes).to_hex()[..16])
}

fn serve(
    headers: &HeaderMap,
    bytes: &'static [u8],
    mime: &'static str,
    tag: &'static str,
) -> Response {
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == tag.as_bytes());
    let mut r = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, mime)], bytes).into_response()
    };
    let h = r.headers_mut();
    h.insert(header::ETAG, HeaderValue::from_static(tag));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}
