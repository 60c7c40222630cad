//! A read route's parameters into a [`Query`], checked against the route's
//! description: the HTTP server, a replica and any other front end that
//! gets `name=value` pairs parse them here.

use super::query::{
    Drawing, GraphKind, GraphQuery, Grep, Level, Query, Tokenizer, parse_kind, parse_lang,
};
use super::routes::{Kind, Param, Route, route};
use super::{ApiError, no_route};

/// Parameters only the command line has: they name local files or output.
const CLI_ONLY: &[&str] = &["output", "o", "scip", "json", "root", "db", "C"];

/// Parse any read route's parameters, for the engine.
pub fn parse(route: &str, params: &[(String, String)]) -> Result<Query, ApiError> {
    let r = check(route, params)?;
    build(r, params)
}

/// Parse a route a replica answers; the others are `NotServed`.
pub fn parse_replica(route: &str, params: &[(String, String)]) -> Result<Query, ApiError> {
    let r = check(route, params)?;
    if !r.replica {
        return Err(ApiError::NotServed(format!(
            "/v1/{route} walks the whole graph: `weft serve` answers it, a replica does not"
        )));
    }
    build(r, params)
}

/// The route, its positional parameters present, no parameter that only
/// makes sense on the command line, and every name well formed.
fn check(route_name: &str, params: &[(String, String)]) -> Result<&'static Route, ApiError> {
    let Some(r) = route(route_name) else {
        return Err(no_route(&format!("/v1/{route_name}")));
    };
    for p in r.positional().filter(|p| p.default.is_none()) {
        if !params.iter().any(|(k, _)| k == p.name) {
            return Err(ApiError::BadRequest(format!(
                "/v1/{route_name} needs the parameter `{}`",
                p.name
            )));
        }
    }
    for (k, _) in params {
        if r.param(k).is_some_and(|p| p.positional) {
            continue;
        }
        if CLI_ONLY.contains(&k.as_str()) {
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
    }
    Ok(r)
}

/// The values of one request, checked and with defaults.
struct Values<'a> {
    route: &'static Route,
    given: Vec<(&'static Param, &'a str)>,
}

fn build(r: &'static Route, params: &[(String, String)]) -> Result<Query, ApiError> {
    let mut given: Vec<(&'static Param, &str)> = Vec::new();
    for (k, v) in params {
        // `max-depth` as the CLI spells it is `max_depth`
        let Some(p) = r.param(&k.replace('-', "_")) else {
            return Err(bad(format!(
                "unexpected argument '{}' found",
                k.replace('_', "-")
            )));
        };
        if given.iter().any(|(q, _)| q.name == p.name) {
            if p.positional {
                continue; // the first one counts
            }
            if !p.kind.repeatable() {
                return Err(bad(format!(
                    "the argument '{}' cannot be used multiple times",
                    shown(p)
                )));
            }
        }
        check_value(p, v)?;
        given.push((p, v));
    }
    Values { route: r, given }.query()
}

fn bad(message: String) -> ApiError {
    ApiError::BadRequest(message)
}

/// A parameter as errors name it: `depth <DEPTH>`, a positional one by its
/// value name.
fn shown(p: &Param) -> String {
    if p.positional {
        format!("<{}>", p.value_name)
    } else if matches!(p.kind, Kind::Flag) {
        p.name.replace('_', "-")
    } else {
        format!("{} <{}>", p.name.replace('_', "-"), p.value_name)
    }
}

fn invalid(p: &Param, v: &str, why: &str) -> ApiError {
    bad(format!("invalid value '{v}' for '{}': {why}", shown(p)))
}

/// The longest text a parameter may hold: names, words, paths and
/// targets are far shorter, and every reader (SQLite's LIKE stops at
/// 50,000 bytes) must be able to take it, so the engine and the replica
/// refuse alike.
pub const MAX_TEXT: usize = 4096;
/// The longest document (a YAML rule): percent-encoded, it still fits the
/// request line a server reads (hyper's 400 KB).
pub const MAX_DOCUMENT: usize = 64 * 1024;

fn check_value(p: &Param, v: &str) -> Result<(), ApiError> {
    match p.kind {
        Kind::Text if v.len() > MAX_TEXT => Err(bad(format!(
            "the value of '{}' is {} bytes long; at most {MAX_TEXT}",
            shown(p),
            v.len()
        ))),
        Kind::Text => Ok(()),
        Kind::Document if v.len() > MAX_DOCUMENT => Err(bad(format!(
            "the value of '{}' is {} bytes long; at most {MAX_DOCUMENT}",
            shown(p),
            v.len()
        ))),
        Kind::Document => Ok(()),
        Kind::Number { min, max } => {
            let n: u32 = v
                .parse()
                .map_err(|e: std::num::ParseIntError| invalid(p, v, &e.to_string()))?;
            if u64::from(n) < min || u64::from(n) > max {
                return Err(invalid(p, v, &format!("{n} is not in {min}..={max}")));
            }
            Ok(())
        }
        Kind::Kinds => parse_kind(v).map(|_| ()).map_err(|e| invalid(p, v, &e)),
        Kind::Langs => parse_lang(v).map(|_| ()).map_err(|e| invalid(p, v, &e)),
        Kind::Flag => match v {
            "" | "true" | "1" | "false" | "0" => Ok(()),
            _ => Err(invalid(
                p,
                v,
                "a flag is `true` or `false`, or present alone",
            )),
        },
        Kind::OneOf(values) => {
            if values.iter().any(|(name, _)| *name == v) {
                Ok(())
            } else {
                let names: Vec<&str> = values.iter().map(|(n, _)| *n).collect();
                Err(bad(format!(
                    "invalid value '{v}' for '{}' (one of: {})",
                    shown(p),
                    names.join(", ")
                )))
            }
        }
    }
}

impl Values<'_> {
    fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.given
            .iter()
            .filter(move |(p, _)| p.name == name)
            .map(|(_, v)| *v)
    }

    /// The value given, else the default.
    fn one(&self, name: &str) -> Option<&str> {
        self.all(name)
            .next()
            .or_else(|| self.route.param(name).and_then(|p| p.default))
    }

    fn text(&self, name: &str) -> String {
        self.one(name).unwrap_or_default().to_string()
    }

    fn number<T: std::str::FromStr + Default>(&self, name: &str) -> T {
        self.one(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_default()
    }

    fn flag(&self, name: &str) -> bool {
        self.all(name)
            .last()
            .is_some_and(|v| !matches!(v, "false" | "0"))
    }

    fn tokenizer(&self) -> Tokenizer {
        match self.one("tokenizer") {
            Some("cl100k") => Tokenizer::Cl100k,
            Some("bytes") => Tokenizer::Bytes,
            _ => Tokenizer::O200k,
        }
    }

    /// `format`: a drawing, or `None` for the route's own form.
    fn drawing(&self) -> Option<Drawing> {
        match self.one("format") {
            Some("dot") => Some(Drawing::Dot),
            Some("mermaid") => Some(Drawing::Mermaid),
            Some("svg") => Some(Drawing::Svg),
            _ => None,
        }
    }

    fn query(&self) -> Result<Query, ApiError> {
        let kinds = || {
            self.all("kind")
                .filter_map(|v| parse_kind(v).ok())
                .collect()
        };
        let langs = || {
            self.all("lang")
                .filter_map(|v| parse_lang(v).ok())
                .collect()
        };
        let path = || self.one("path").map(str::to_string);
        Ok(match self.route.name {
            "symbols" => Query::Symbols {
                query: self.text("q"),
                kind: kinds(),
                lang: langs(),
                path: path(),
                limit: self.number("limit"),
            },
            "search" => Query::Search {
                query: self.text("q"),
                kind: kinds(),
                lang: langs(),
                path: path(),
                limit: self.number("limit"),
            },
            "def" => Query::Def {
                position: self.text("at"),
            },
            "refs" => Query::Refs {
                target: self.text("target"),
            },
            "callers" => Query::Callers {
                target: self.text("target"),
                depth: self.number("depth"),
            },
            "callees" => Query::Callees {
                target: self.text("target"),
                depth: self.number("depth"),
            },
            "impls" => Query::Impls {
                target: self.text("target"),
            },
            "impact" => Query::Impact {
                target: self.text("target"),
                depth: self.number("depth"),
                limit: self.number("limit"),
            },
            "deps" => Query::Deps {
                target: self.text("target"),
            },
            "outline" => Query::Outline {
                file: self.text("file"),
            },
            "stats" => Query::Stats,
            "cycles" => Query::Cycles {
                level: match self.one("level") {
                    Some("module") => Level::Module,
                    _ => Level::File,
                },
                format: self.drawing(),
            },
            "graph" => {
                let target = Some(self.text("target")).filter(|t| !t.is_empty());
                let modules = self.flag("modules");
                match (&target, modules) {
                    (Some(_), true) => {
                        return Err(bad(
                            "--modules draws the whole repository: narrow it with --path, not a TARGET"
                                .into(),
                        ));
                    }
                    (None, false) => {
                        return Err(bad(
                            "graph needs a TARGET to draw around (a symbol or a file), or --modules for the module map"
                                .into(),
                        ));
                    }
                    _ => {}
                }
                Query::Graph(Box::new(GraphQuery {
                    target,
                    kind: match self.one("kind") {
                        Some("calls") => GraphKind::Calls,
                        Some("callers") => GraphKind::Callers,
                        Some("impact") => GraphKind::Impact,
                        Some("deps") => GraphKind::Deps,
                        Some("inherits") => GraphKind::Inherits,
                        _ => GraphKind::Auto,
                    },
                    depth: self.number("depth"),
                    path: path(),
                    format: self.drawing(),
                    limit: self.number("limit"),
                }))
            }
            "path" => Query::Path {
                from: self.text("from"),
                to: self.text("to"),
                max_depth: self.number("max_depth"),
            },
            "grep" => {
                let given = |name| self.one(name).filter(|v| !v.is_empty()).map(str::to_string);
                Query::Grep(Box::new(Grep {
                    pattern: given("pattern"),
                    rule: given("rule"),
                    lang: langs(),
                    path: path(),
                    within: given("within"),
                    impact_of: given("impact_of"),
                    calls: given("calls"),
                    depth: self.number("depth"),
                    context: self.number("context"),
                    limit: self.number("limit"),
                }))
            }
            "export" => Query::Export {
                pairs: self.flag("pairs"),
                locals: !self.flag("no_locals"),
            },
            "context" => Query::Context {
                target: self.text("target"),
                budget: self.number("budget"),
                tokenizer: self.tokenizer(),
            },
            "map" => Query::Map {
                budget: self.number("budget"),
                tokenizer: self.tokenizer(),
            },
            other => return Err(no_route(&format!("/v1/{other}"))),
        })
    }
}
