//! API v1's read routes, defined once for every reader: their parameters
//! ([`routes`], from which the CLI builds its commands), the typed
//! questions they parse into ([`Query`]), the JSON shapes of their answers
//! ([`answer`]), and their error messages. `weft serve`
//! answers them from the live engine; a replica (the edge Worker, `weft
//! snapshot query`) answers them from the snapshot's tables through
//! [`crate::read`]. The contract tests run both on one snapshot and diff
//! the bodies.

pub mod answer;
mod parse;
mod query;
pub mod routes;

pub use parse::{parse, parse_replica};
pub use query::{
    Drawing, GraphKind, GraphQuery, Grep, Level, Query, Tokenizer, parse_kind, parse_lang,
};
pub use routes::{ROUTES, Route};

use crate::{SymbolId, SymbolRecord};

/// The largest answer either reader sends; past it, 413.
pub const MAX_BODY: usize = 64 << 20;

/// Nodes a `callers`/`callees` walk reaches at most.
pub const WALK_LIMIT: usize = 10_000;

/// Depths beyond this are walked as this.
pub const MAX_DEPTH: u32 = 64;

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
    matches!(route, "symbols" | "search" | "outline" | "export" | "grep")
}

/// A path as the index names files: `/` separators, no leading `./`.
pub fn normalize_path(path: &str) -> String {
    let p = path.replace('\\', "/");
    p.trim_start_matches("./").to_string()
}

/// A TARGET, parsed once. Every backend (the engine, the snapshot's SQL
/// reader) tries its readings in this order: the symbol id, the
/// position, then `text` as a file path, then as a qualified name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// As written.
    pub text: String,
    /// 16 hex digits: a symbol id (from `--json` output).
    pub id: Option<SymbolId>,
    /// `FILE:LINE:COL` or `FILE:LINE`.
    pub position: Option<Position>,
}

impl Target {
    pub fn parse(s: &str) -> Target {
        Target {
            text: s.to_string(),
            id: looks_like_id(s).then(|| s.parse().ok()).flatten(),
            position: Position::parse(s),
        }
    }
}

/// `FILE:LINE:COL` or `FILE:LINE`, 1-based as written (the column is
/// `None` for the second: the first name on the line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    pub file: String,
    pub line: u32,
    pub col: Option<u32>,
}

impl Position {
    pub fn parse(s: &str) -> Option<Position> {
        let mut parts = s.rsplitn(3, ':');
        let (a, b, c) = (parts.next()?, parts.next(), parts.next());
        let a: u32 = a.parse().ok()?;
        match (b, c) {
            (Some(l), Some(f)) if l.parse::<u32>().is_ok() => Some(Position {
                file: f.to_string(),
                line: l.parse().ok()?,
                col: Some(a),
            }),
            (Some(f), _) => {
                let file = match c {
                    Some(c) => format!("{c}:{f}"),
                    None => f.to_string(),
                };
                Some(Position {
                    file,
                    line: a,
                    col: None,
                })
            }
            _ => None,
        }
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
        let pos = |s: &str| Position::parse(s).map(|p| (p.file, p.line, p.col));
        assert_eq!(pos("src/a.rs:3:5"), Some(("src/a.rs".into(), 3, Some(5))));
        assert_eq!(pos("src/a.rs:3"), Some(("src/a.rs".into(), 3, None)));
        assert_eq!(pos("C:x.rs:3"), Some(("C:x.rs".into(), 3, None)));
        assert_eq!(pos("src/a.rs"), None);
        assert_eq!(pos("a::b"), None);
    }

    #[test]
    fn a_target_keeps_every_reading() {
        let t = Target::parse("00000000000000ff");
        assert_eq!(t.id, Some("00000000000000ff".parse().unwrap()));
        assert_eq!(t.position, None);
        let t = Target::parse("src/a.rs:3:5");
        assert_eq!((t.id, t.position.map(|p| p.line)), (None, Some(3)));
        let t = Target::parse("a::b::C");
        assert_eq!((t.id, t.position, t.text.as_str()), (None, None, "a::b::C"));
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
    fn parameters_are_checked_by_the_route_descriptions() {
        assert!(matches!(
            parse("refs", &p(&[("target", "x")])),
            Ok(Query::Refs { .. })
        ));
        let e = parse("callers", &p(&[("target", "x"), ("depth", "abc")])).unwrap_err();
        assert_eq!(e.status(), 400);
        assert_eq!(
            e.message(),
            "invalid value 'abc' for 'depth <DEPTH>': invalid digit found in string"
        );
        register_languages();
        let e = parse("symbols", &p(&[("q", "x"), ("lang", "cobol")])).unwrap_err();
        assert!(
            e.message().starts_with(
                "invalid value 'cobol' for 'lang <LANG>': unknown language `cobol`; one of: rust, python, typescript, javascript, go"
            ),
            "{e:?}"
        );
        let long = "abc ".repeat(15_000);
        for route in ["symbols", "search"] {
            let e = parse(route, &p(&[("q", &long)])).unwrap_err();
            assert_eq!(e.status(), 400);
            assert!(e.message().contains("at most 4096"), "{e:?}");
        }
        let e = parse("search", &p(&[("q", "x"), ("limit", "0")])).unwrap_err();
        assert!(e.message().contains("0 is not in 1..=1000"), "{e:?}");
        let e = parse("refs", &p(&[("target", "x"), ("depth", "2")])).unwrap_err();
        assert_eq!(e.message(), "unexpected argument 'depth' found");
        let e = parse(
            "impact",
            &p(&[("target", "x"), ("depth", "2"), ("depth", "3")]),
        )
        .unwrap_err();
        assert!(
            e.message().contains("cannot be used multiple times"),
            "{e:?}"
        );
        assert_eq!(parse("refs", &[]).unwrap_err().status(), 400);
        assert_eq!(parse("nope", &[]).unwrap_err().status(), 404);
        assert_eq!(parse_replica("cycles", &[]).unwrap_err().status(), 501);
        assert_eq!(
            parse("refs", &p(&[("target", "x"), ("db", "y")]))
                .unwrap_err()
                .status(),
            400
        );
    }

    /// The names a parsing host registers (weft-db knows none itself).
    fn register_languages() -> Vec<crate::Lang> {
        [
            ("rust", &["rs"][..]),
            ("python", &["py"]),
            ("typescript", &["ts"]),
            ("javascript", &["js"]),
            ("go", &[]),
        ]
        .into_iter()
        .map(|(n, a)| crate::Lang::register(n, a).unwrap())
        .collect()
    }

    #[test]
    fn defaults_and_repeats_fill_the_query() {
        let langs = register_languages();
        assert_eq!(
            parse(
                "symbols",
                &p(&[
                    ("q", "a"),
                    ("lang", "ts"),
                    ("lang", "go"),
                    ("kind", "function")
                ])
            ),
            Ok(Query::Symbols {
                query: "a".into(),
                kind: vec![crate::SymbolKind::Function],
                lang: vec![langs[2], langs[4]],
                path: None,
                limit: 20,
            })
        );
        assert_eq!(
            parse(
                "path",
                &p(&[("from", "a"), ("to", "b"), ("max_depth", "3")])
            ),
            Ok(Query::Path {
                from: "a".into(),
                to: "b".into(),
                max_depth: 3
            })
        );
        assert_eq!(
            parse("export", &p(&[("pairs", "")])),
            Ok(Query::Export {
                pairs: true,
                locals: true
            })
        );
        assert_eq!(
            parse("export", &p(&[("pairs", ""), ("no_locals", "")])),
            Ok(Query::Export {
                pairs: true,
                locals: false
            })
        );
        assert_eq!(
            parse("export", &[]),
            Ok(Query::Export {
                pairs: false,
                locals: true
            })
        );
        assert_eq!(
            parse("map", &p(&[("tokenizer", "bytes")])),
            Ok(Query::Map {
                budget: 2000,
                tokenizer: Tokenizer::Bytes
            })
        );
        assert!(parse("map", &p(&[("tokenizer", "gpt2")])).is_err());
    }

    #[test]
    fn every_route_parses_with_its_positionals_alone() {
        for r in ROUTES {
            let params: Vec<(String, String)> = r
                .positional()
                .map(|p| (p.name.to_string(), "x".to_string()))
                .collect();
            let q = parse(r.name, &params).unwrap_or_else(|e| panic!("{}: {e:?}", r.name));
            assert_eq!(q.route(), r.name);
        }
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
