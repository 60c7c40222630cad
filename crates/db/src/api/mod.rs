//! API v1's read routes, defined once for every reader: their parameters
//! (clap definitions, which the CLI flattens into its own commands), the
//! JSON shapes of their answers, and their error messages. `weft serve`
//! answers them from the live engine; a replica (the edge Worker, `weft
//! snapshot query`) answers them from the snapshot's tables through
//! [`crate::read`]. The contract tests run both on one snapshot and diff
//! the bodies.

pub mod answer;

use std::cell::RefCell;

use crate::{Lang, SymbolKind, SymbolRecord};

/// One route: its name (`/v1/<name>`), where its positional arguments come
/// from, and whether a replica answers it (the others walk the whole graph
/// and are `weft serve`'s alone).
pub struct Route {
    pub name: &'static str,
    pub positional: &'static [&'static str],
    pub replica: bool,
}

const fn route(name: &'static str, positional: &'static [&'static str], replica: bool) -> Route {
    Route {
        name,
        positional,
        replica,
    }
}

/// The routes of API v1 that answer a read command.
pub const ROUTES: &[Route] = &[
    route("symbols", &["q"], true),
    route("search", &["q"], true),
    route("def", &["at"], true),
    route("refs", &["target"], true),
    route("callers", &["target"], true),
    route("callees", &["target"], true),
    route("impls", &["target"], true),
    route("impact", &["target"], true),
    route("deps", &["target"], true),
    route("path", &["from", "to"], false),
    route("outline", &["file"], true),
    route("cycles", &[], false),
    route("stats", &[], true),
    route("export", &[], false),
    route("context", &["target"], false),
    route("map", &[], false),
];

/// The largest answer either reader sends; past it, 413.
pub const MAX_BODY: usize = 64 << 20;

/// Nodes a `callers`/`callees` walk reaches at most.
pub const WALK_LIMIT: usize = 10_000;

/// Depths beyond this are walked as this.
pub const MAX_DEPTH: u32 = 64;

/// The read questions every reader answers. The CLI offers them as
/// commands, the HTTP API as routes (`/v1/refs?target=...`).
#[derive(clap::Subcommand, Clone, Debug)]
pub enum Query {
    /// Find symbols by name: exact, prefix, substring, then fuzzy matches, ranked.
    Symbols {
        query: String,
        /// Only these kinds (function, method, struct, class, enum, trait, interface, ...).
        #[arg(long, value_parser = parse_kind)]
        kind: Vec<SymbolKind>,
        /// Only these languages (rust, python, typescript, javascript, go).
        #[arg(long, value_parser = parse_lang)]
        lang: Vec<Lang>,
        /// Only files whose path contains this text.
        #[arg(long)]
        path: Option<String>,
        /// At most this many (0: all).
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Search symbols by words ("parse http headers"): BM25 over each
    /// symbol's name, qualified name, signature and doc comment, cut the way
    /// code is written (parseHeader, parse_header and HTTPHeader all hold
    /// `header`). Best first, with a relevance score.
    Search {
        query: String,
        /// Only these kinds (function, method, struct, class, enum, trait, interface, ...).
        #[arg(long, value_parser = parse_kind)]
        kind: Vec<SymbolKind>,
        /// Only these languages (rust, python, typescript, javascript, go).
        #[arg(long, value_parser = parse_lang)]
        lang: Vec<Lang>,
        /// Only files matching this glob (`*` spans directories); without a
        /// wildcard, a path prefix (`src/` means `src/*`).
        #[arg(long)]
        path: Option<String>,
        /// At most this many (1 to 1000).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1000))]
        limit: u32,
    },
    /// Go to definition: what the name at FILE:LINE:COL (1-based) refers to.
    /// FILE:LINE means the first name on the line.
    Def { position: String },
    /// Every reference to a symbol, with its role (call, read, write, type, import, inherit).
    Refs { target: String },
    /// Who calls a function, transitively up to --depth.
    Callers {
        target: String,
        #[arg(long, default_value_t = 1)]
        depth: u32,
    },
    /// What a function calls, transitively up to --depth.
    Callees {
        target: String,
        #[arg(long, default_value_t = 1)]
        depth: u32,
    },
    /// Implementations, both ways: what implements/extends TARGET, and what TARGET implements/extends.
    Impls { target: String },
    /// Everything that transitively depends on a file or symbol, with distance and the edge path.
    Impact {
        target: String,
        #[arg(long, default_value_t = 3)]
        depth: u32,
        #[arg(long, default_value_t = 1000)]
        limit: u32,
    },
    /// A file's imports and the files importing it (TARGET: a file, or a symbol for its file).
    Deps { target: String },
    /// The definitions of a file, nested.
    Outline { file: String },
    /// Counts: files per language, symbols, edges by kind and resolution.
    Stats,
}

pub fn parse_kind(s: &str) -> Result<SymbolKind, String> {
    SymbolKind::parse(s).ok_or_else(|| {
        format!(
            "unknown kind `{s}`; one of: {}",
            SymbolKind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

pub fn parse_lang(s: &str) -> Result<Lang, String> {
    let s = match s {
        "ts" => "typescript",
        "js" => "javascript",
        "py" => "python",
        "rs" => "rust",
        other => other,
    };
    Lang::parse(s).ok_or_else(|| {
        format!("unknown language `{s}`; one of: rust, python, typescript, javascript, go")
    })
}

/// Why a request got no answer, with its HTTP status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// 404: no such route.
    NotFound(String),
    /// 400: bad parameters, unknown target.
    BadRequest(String),
    /// 405: the API is read-only.
    MethodNotAllowed(String),
    /// 413: the answer would pass [`MAX_BODY`].
    TooLarge(String),
    /// 501: a route only `weft serve` answers.
    NotServed(String),
    /// 503: the database holds no snapshot, or one of another schema.
    Unavailable(String),
}

impl ApiError {
    pub fn status(&self) -> u16 {
        match self {
            ApiError::NotFound(_) => 404,
            ApiError::BadRequest(_) => 400,
            ApiError::MethodNotAllowed(_) => 405,
            ApiError::TooLarge(_) => 413,
            ApiError::NotServed(_) => 501,
            ApiError::Unavailable(_) => 503,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            ApiError::NotFound(m)
            | ApiError::BadRequest(m)
            | ApiError::MethodNotAllowed(m)
            | ApiError::TooLarge(m)
            | ApiError::NotServed(m)
            | ApiError::Unavailable(m) => m,
        }
    }

    /// `{"error": {"status": N, "message": "..."}}`, the body of every error.
    pub fn body(&self) -> Vec<u8> {
        error_body(self.status(), self.message())
    }
}

/// The JSON body of an error response.
pub fn error_body(status: u16, message: &str) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Inner<'a> {
        status: u16,
        message: &'a str,
    }
    #[derive(serde::Serialize)]
    struct Outer<'a> {
        error: Inner<'a>,
    }
    serde_json::to_vec(&Outer {
        error: Inner { status, message },
    })
    .expect("serializable")
}

pub fn no_route(path: &str) -> ApiError {
    ApiError::NotFound(format!("no route {path}; see /v1/openapi.json"))
}

pub fn read_only(method: &str, path: &str) -> ApiError {
    ApiError::MethodNotAllowed(format!(
        "{method} is not allowed on {path}: the API is read-only (GET)"
    ))
}

/// A search query with no word in it (only punctuation, say).
pub fn no_words(query: &str) -> String {
    format!("`{query}` has no words to search for: give names or words, like `parse header`")
}

pub fn too_large(bytes: usize) -> ApiError {
    ApiError::TooLarge(format!(
        "the answer is {} MB, over the {} MB cap; narrow the query (limit, depth, path)",
        bytes >> 20,
        MAX_BODY >> 20
    ))
}

/// A route's query parameters as a command line for [`Query`]'s parser:
/// `--name value`, then `--` and the positional ones in order (so a value
/// such as `-> Result` is never taken for a flag).
pub fn argv(route: &str, params: &[(String, String)]) -> Result<Vec<String>, ApiError> {
    let Some(r) = ROUTES.iter().find(|r| r.name == route) else {
        return Err(no_route(&format!("/v1/{route}")));
    };
    let mut argv: Vec<String> = vec![route.to_string()];
    let mut positional = vec!["--".to_string()];
    for name in r.positional {
        match params.iter().find(|(k, _)| k == name) {
            Some((_, v)) => positional.push(v.clone()),
            None => {
                return Err(ApiError::BadRequest(format!(
                    "/v1/{route} needs the parameter `{name}`"
                )));
            }
        }
    }
    for (k, v) in params {
        if r.positional.contains(&k.as_str()) {
            continue;
        }
        if matches!(
            k.as_str(),
            "output" | "o" | "scip" | "json" | "root" | "db" | "C"
        ) {
            return Err(ApiError::BadRequest(format!(
                "parameter `{k}` is not available over HTTP"
            )));
        }
        if k.is_empty()
            || !k
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(ApiError::BadRequest(format!("bad parameter name `{k}`")));
        }
        argv.push(format!("--{}", k.replace('_', "-")));
        if !(v.is_empty() && k == "pairs") {
            argv.push(v.clone());
        }
    }
    argv.extend(positional);
    Ok(argv)
}

/// clap's error as one line without its `error: ` prefix or `--`s: the
/// parameter names of the URL, not of the command line.
pub fn clap_message(e: &clap::Error) -> String {
    e.render()
        .to_string()
        .lines()
        .next()
        .unwrap_or("bad parameters")
        .trim_start_matches("error: ")
        .replace("--", "")
}

#[derive(clap::Parser)]
#[command(name = "weft", no_binary_name = true, disable_help_subcommand = true)]
struct ReadCall {
    #[command(subcommand)]
    query: Query,
}

/// Parse a read route's parameters. Routes a replica does not answer are
/// `NotServed`; `weft serve` parses those with its own commands.
pub fn parse(route: &str, params: &[(String, String)]) -> Result<Query, ApiError> {
    let argv = argv(route, params)?;
    if !ROUTES.iter().any(|r| r.name == route && r.replica) {
        return Err(ApiError::NotServed(format!(
            "/v1/{route} walks the whole graph: `weft serve` answers it, a replica does not"
        )));
    }
    // Building clap's command tree costs more than most answers: each
    // thread builds it once.
    thread_local! {
        static CMD: RefCell<clap::Command> =
            RefCell::new(<ReadCall as clap::CommandFactory>::command());
    }
    let matches = CMD.with_borrow_mut(|cmd| cmd.try_get_matches_from_mut(&argv));
    matches
        .and_then(|m| <ReadCall as clap::FromArgMatches>::from_arg_matches(&m))
        .map(|c| c.query)
        .map_err(|e| ApiError::BadRequest(clap_message(&e)))
}

/// `{"revision":N,"result":...}` around answers printed as JSON: one
/// document, or (for the listing routes) an array of them.
pub fn envelope<'a>(revision: u64, docs: impl Iterator<Item = &'a [u8]>, lines: bool) -> Vec<u8> {
    let mut body = Vec::with_capacity(64);
    body.extend_from_slice(format!("{{\"revision\":{revision},\"result\":").as_bytes());
    let mut docs = docs.filter(|d| !d.trim_ascii().is_empty());
    if lines {
        body.push(b'[');
        for (i, d) in docs.enumerate() {
            if i > 0 {
                body.push(b',');
            }
            body.extend_from_slice(d);
        }
        body.push(b']');
    } else {
        body.extend_from_slice(docs.next().unwrap_or(b"null"));
    }
    body.push(b'}');
    body
}

/// Routes whose answer is a list of documents (JSON lines on the CLI).
pub fn is_listing(route: &str) -> bool {
    matches!(route, "symbols" | "search" | "outline" | "export")
}

/// A path as the index names files: `/` separators, no leading `./`.
pub fn normalize_path(path: &str) -> String {
    let p = path.replace('\\', "/");
    p.trim_start_matches("./").to_string()
}

/// A TARGET or position argument, taken apart: `FILE:LINE:COL` or
/// `FILE:LINE` (1-based; the column is `None` for the second).
pub fn split_position(s: &str) -> Option<(String, u32, Option<u32>)> {
    let mut parts = s.rsplitn(3, ':');
    let (a, b, c) = (parts.next()?, parts.next(), parts.next());
    let a: u32 = a.parse().ok()?;
    match (b, c) {
        (Some(l), Some(f)) if l.parse::<u32>().is_ok() => {
            Some((f.to_string(), l.parse().ok()?, Some(a)))
        }
        (Some(f), _) => {
            let file = match c {
                Some(c) => format!("{c}:{f}"),
                None => f.to_string(),
            };
            Some((file, a, None))
        }
        _ => None,
    }
}

/// The segments of a qualified-name query (`a::b::C`, `pkg.mod.C`).
pub fn query_segments(query: &str) -> Vec<&str> {
    query
        .split("::")
        .flat_map(|s| s.split('.'))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Does `qualified` end with `segs` (a leading `crate` matching any
/// crate)? `Some(true)` when it is exactly them.
pub fn qualified_match(segs: &[&str], qualified: &str) -> Option<bool> {
    let qsegs: Vec<&str> = qualified
        .split("::")
        .flat_map(|s| s.split('.'))
        .flat_map(|s| s.split('/'))
        .collect();
    if qsegs.len() < segs.len() {
        return None;
    }
    let tail = &qsegs[qsegs.len() - segs.len()..];
    let matches = tail
        .iter()
        .zip(segs)
        .enumerate()
        .all(|(i, (a, b))| a == b || (i == 0 && *b == "crate"));
    matches.then_some(qsegs.len() == segs.len())
}

/// Is `s` a symbol id as answers print them (16 hex digits)?
pub fn looks_like_id(s: &str) -> bool {
    s.len() == 16 && s.chars().all(|c| c.is_ascii_hexdigit())
}

/// A symbol in one line, for lists of candidates.
pub fn describe(r: &SymbolRecord) -> String {
    format!(
        "{} {} ({}:{}) {}",
        r.kind,
        r.qualified_name,
        r.file,
        r.span.start.line + 1,
        r.id
    )
}

/// Why a TARGET names nothing, or too much.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetError {
    NotFound(String),
    Ambiguous(String, Vec<String>),
}

impl TargetError {
    pub fn no_file(file: &str) -> TargetError {
        TargetError::NotFound(format!("no indexed file `{file}`"))
    }

    pub fn no_match(s: &str) -> TargetError {
        TargetError::NotFound(format!(
            "no symbol or file matches `{s}` (try `weft symbols {s}`)"
        ))
    }

    /// The name at a position resolved outside the tree, or not at all.
    pub fn not_in_tree(name: &str, at: &str, external: Option<&str>) -> TargetError {
        TargetError::NotFound(format!(
            "`{name}` at {at} is {} ",
            match external {
                Some(m) => format!("external (module `{m}`)"),
                None => "unresolved".to_string(),
            }
        ))
    }
}

impl std::fmt::Display for TargetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TargetError::NotFound(m) => write!(f, "{m}"),
            TargetError::Ambiguous(t, c) => {
                writeln!(
                    f,
                    "`{t}` is ambiguous; {} candidates (use a qualified name, FILE:LINE:COL or an id):",
                    c.len()
                )?;
                for line in c.iter().take(20) {
                    writeln!(f, "  {line}")?;
                }
                if c.len() > 20 {
                    writeln!(f, "  ... and {} more", c.len() - 20)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for TargetError {}

/// The messages of the other misses, shared by every reader.
pub fn needs_symbol(target: &str, file: &str) -> String {
    format!("`{target}` names the file {file}; this command needs a symbol")
}

pub fn bad_position(position: &str) -> String {
    format!("expected FILE:LINE:COL (1-based), got `{position}`")
}

pub fn no_name_at(position: &str) -> String {
    format!("no name at {position}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(kv: &[(&str, &str)]) -> Vec<(String, String)> {
        kv.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn positions_split_like_compiler_messages() {
        assert_eq!(
            split_position("src/a.rs:3:5"),
            Some(("src/a.rs".into(), 3, Some(5)))
        );
        assert_eq!(
            split_position("src/a.rs:3"),
            Some(("src/a.rs".into(), 3, None))
        );
        assert_eq!(split_position("C:x.rs:3"), Some(("C:x.rs".into(), 3, None)));
        assert_eq!(split_position("src/a.rs"), None);
        assert_eq!(split_position("a::b"), None);
    }

    #[test]
    fn qualified_names_match_by_their_tail() {
        let segs = query_segments("crate::cart::Cart");
        assert_eq!(qualified_match(&segs, "shop::cart::Cart"), Some(true));
        assert_eq!(qualified_match(&segs, "x::shop::cart::Cart"), Some(false));
        assert_eq!(qualified_match(&segs, "shop::price::Cart"), None);
        assert_eq!(qualified_match(&query_segments("Cart"), "Cart"), Some(true));
    }

    #[test]
    fn parameters_are_checked_by_the_command_definitions() {
        assert!(matches!(
            parse("refs", &p(&[("target", "x")])),
            Ok(Query::Refs { .. })
        ));
        let e = parse("callers", &p(&[("target", "x"), ("depth", "abc")])).unwrap_err();
        assert_eq!(e.status(), 400);
        assert!(e.message().contains("invalid value 'abc'"), "{e:?}");
        assert!(!e.message().contains("--"), "{e:?}");
        assert_eq!(parse("refs", &[]).unwrap_err().status(), 400);
        assert_eq!(parse("nope", &[]).unwrap_err().status(), 404);
        assert_eq!(parse("cycles", &[]).unwrap_err().status(), 501);
        assert_eq!(
            parse("refs", &p(&[("target", "x"), ("db", "y")]))
                .unwrap_err()
                .status(),
            400
        );
    }

    #[test]
    fn envelopes_splice_documents() {
        let docs = [&b"{\"a\":1}"[..], b"", b"{\"b\":2}"];
        assert_eq!(
            envelope(7, docs.iter().copied(), true),
            b"{\"revision\":7,\"result\":[{\"a\":1},{\"b\":2}]}"
        );
        assert_eq!(
            envelope(7, [&b""[..]].into_iter(), false),
            b"{\"revision\":7,\"result\":null}"
        );
        assert_eq!(
            ApiError::BadRequest("x \"y\"".into()).body(),
            br#"{"error":{"status":400,"message":"x \"y\""}}"#
        );
    }
}
