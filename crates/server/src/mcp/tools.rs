//! The tools an agent sees: a short default list chosen for what agents
//! ask most, each with a description that says when to use it, and the
//! full list (every read route) behind a flag. A route's tool takes the
//! route's parameters, described once in `weft_db::api::routes`, so the
//! names and arguments are the CLI's and the HTTP API's.

use std::sync::Arc;

use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use serde_json::{Value, json};
use weft_db::api::routes::{Kind, Route, route};
use weft_db::api::{self, ROUTES};

/// What a tool runs.
#[derive(Clone, Copy)]
pub enum Action {
    /// A read route, through `weft_ide::Analysis::answer`.
    Route(&'static Route),
    /// `weft_ide::Analysis::explain`.
    Explain,
    /// `weft diff`: symbols changed between two revisions.
    Diff,
    /// `weft conflicts`: predicted conflicts between two branches.
    Conflicts,
}

pub struct ToolDef {
    pub action: Action,
    pub tool: Tool,
}

/// Every answer is cut to this many tokens unless the call asks otherwise.
pub const DEFAULT_MAX_TOKENS: u32 = 8_000;
/// Under the 25,000 tokens a popular client rejects a tool result beyond.
pub const MAX_MAX_TOKENS: u32 = 20_000;
const MIN_MAX_TOKENS: u32 = 200;

/// The default tools, in the order an agent reads them, with when to use
/// each.
const DEFAULT: &[(&str, &str)] = &[
    (
        "search",
        "Find symbols by what they do or what they are called: words (\"parse http headers\") or a name (\"HeaderMap\", \"parse_header\"). Use it first when you do not know where something is. Returns kind, qualified name, FILE:LINE:COL and signature, best first.",
    ),
    (
        "explain",
        "Everything about one symbol in one call: where it is defined, its signature and doc, the type it belongs to, how many references it has, its callers, and its source. Use it instead of opening a file when you need to understand a function, method or type.",
    ),
    (
        "refs",
        "Every place a symbol is used (calls, reads, writes, type uses, imports, inheritance) as FILE:LINE:COL with the role. Use it before renaming a symbol or changing what it means.",
    ),
    (
        "callers",
        "Who calls a function or method, transitively up to `depth` (default 1), nearest first, with the chain of calls. Use it to see how code is reached.",
    ),
    (
        "callees",
        "What a function or method calls. At depth 1, each call with how it resolved (scoped, heuristic, external, unresolved); deeper, the transitive callees.",
    ),
    (
        "impact",
        "What a change to a symbol or a file would affect: every dependent (callers, users, importers) within `depth` edges, nearest first. Use it before editing shared code, to know what to re-check and which tests to run.",
    ),
    (
        "context",
        "A context pack for one symbol within a token budget: its source, the signatures of what it uses, and who uses it. Use it when you are about to edit a symbol and want what matters around it in one answer.",
    ),
    (
        "grep",
        "Structural code search with ast-grep patterns: code with metavariables ($X one node, $$$ARGS any number, $_ anything), e.g. `$X.unwrap()` or `isinstance($A, str)`, or an ast-grep YAML rule in `rule`. Use it instead of text search when the shape of the code matters. Each match as FILE:LINE:COL with the enclosing symbol and what its names resolve to; `calls` keeps only calls to one symbol (not a same-named one), `within` only matches inside a symbol and what it calls.",
    ),
    (
        "outline",
        "The definitions of one file, nested, with line numbers and signatures. Use it instead of reading a whole file to learn what is in it.",
    ),
    (
        "diff",
        "Symbol-level changes between two git revisions (default: HEAD against the working tree): each symbol added, removed, renamed, or changed in signature, visibility or body, and what depends on them. Use it to review a change or a branch.",
    ),
    (
        "conflicts",
        "Predict where merging two branches will hurt, before merging: the same symbol changed on both sides, an interface changed on one side that the other side's new code uses, and changes that depend on each other.",
    ),
];

/// The tools: the default ones, or every one (`all`).
pub fn tools(all: bool) -> Vec<ToolDef> {
    let mut out: Vec<ToolDef> = DEFAULT
        .iter()
        .map(|&(name, description)| def(name, description))
        .collect();
    if all {
        for r in ROUTES {
            // an export is a file's worth, not an answer for a context window
            if r.name != "export" && !DEFAULT.iter().any(|(n, _)| *n == r.name) {
                out.push(def(r.name, r.about));
            }
        }
    }
    out
}

fn def(name: &'static str, description: &str) -> ToolDef {
    let (action, mut schema) = match name {
        "explain" => (
            Action::Explain,
            object(
                &[(
                    "target",
                    json!({"type": "string", "description": TARGET_HELP}),
                )],
                &["target"],
            ),
        ),
        "diff" => (
            Action::Diff,
            object(
                &[
                    (
                        "from",
                        json!({"type": "string", "description": "The old version: a git revision (main, HEAD~3, a tag, a commit id). Default: HEAD"}),
                    ),
                    (
                        "to",
                        json!({"type": "string", "description": "The new version: a git revision, or `.` for the working tree (the default)"}),
                    ),
                    (
                        "depth",
                        json!({"type": "integer", "minimum": 0, "maximum": api::MAX_DEPTH, "default": 3, "description": "How many edges of dependents to follow (0: no impact)"}),
                    ),
                ],
                &[],
            ),
        ),
        "conflicts" => (
            Action::Conflicts,
            object(
                &[
                    (
                        "a",
                        json!({"type": "string", "description": "One branch or revision"}),
                    ),
                    ("b", json!({"type": "string", "description": "The other"})),
                    (
                        "base",
                        json!({"type": "string", "description": "The common version (default: the merge base of a and b)"}),
                    ),
                    (
                        "depth",
                        json!({"type": "integer", "minimum": 0, "maximum": api::MAX_DEPTH, "default": 3, "description": "How many edges the impact tier follows"}),
                    ),
                ],
                &["a", "b"],
            ),
        ),
        _ => {
            let r = route(name).expect("a default tool is a route or named above");
            (Action::Route(r), route_schema(r))
        }
    };
    let props = schema
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .expect("an object schema");
    props.insert(
        "cursor".into(),
        json!({"type": "string", "description": "From a cut answer's last line: the next page of the same answer"}),
    );
    props.insert(
        "max_tokens".into(),
        json!({"type": "integer", "minimum": MIN_MAX_TOKENS, "maximum": MAX_MAX_TOKENS, "default": DEFAULT_MAX_TOKENS, "description": "Cut the answer at about this many tokens (o200k); the rest is one `cursor` away"}),
    );
    let mut annotations = ToolAnnotations::default();
    annotations.read_only_hint = Some(true);
    annotations.open_world_hint = Some(false);
    let mut tool = Tool::new(name, description.to_string(), Arc::new(schema));
    tool.annotations = Some(annotations);
    ToolDef { action, tool }
}

const TARGET_HELP: &str = "A symbol: a qualified name (`crate::db::Store::open`, `pkg.mod.Class.method`) or a bare name, a symbol id (16 hex digits), or FILE:LINE:COL (1-based) on its name";

fn object(props: &[(&str, Value)], required: &[&str]) -> JsonObject {
    let mut p = serde_json::Map::new();
    for (k, v) in props {
        p.insert(k.to_string(), v.clone());
    }
    let mut o = serde_json::Map::new();
    o.insert("type".into(), "object".into());
    o.insert("properties".into(), Value::Object(p));
    o.insert("required".into(), json!(required));
    o.insert("additionalProperties".into(), false.into());
    o
}

/// A route's parameters as a JSON schema.
fn route_schema(r: &Route) -> JsonObject {
    let props: Vec<(&str, Value)> = r
        .params
        .iter()
        .map(|p| {
            let mut v = match p.kind {
                Kind::Text | Kind::Document => json!({"type": "string"}),
                Kind::Number { min, max } => {
                    json!({"type": "integer", "minimum": min, "maximum": max})
                }
                Kind::Kinds => {
                    json!({"type": "array", "items": {"type": "string"}})
                }
                Kind::Langs => {
                    let names: Vec<&str> = weft_queries::languages::all()
                        .all()
                        .iter()
                        .map(|l| l.name)
                        .collect();
                    json!({"type": "array", "items": {"type": "string", "enum": names}})
                }
                Kind::Flag => json!({"type": "boolean"}),
                Kind::OneOf(values) => {
                    let names: Vec<&str> = values.iter().map(|(n, _)| *n).collect();
                    json!({"type": "string", "enum": names})
                }
            };
            let help = match (p.name, p.help) {
                ("target", "") => TARGET_HELP,
                ("q", "") => "What to look for",
                ("at", "") => "FILE:LINE:COL (1-based) on a name",
                (_, h) => h,
            };
            if !help.is_empty() {
                v["description"] = help.into();
            }
            if let Some(d) = p.default {
                v["default"] = match p.kind {
                    Kind::Number { .. } => d.parse::<u64>().map_or(d.into(), Into::into),
                    Kind::Flag => (d == "true").into(),
                    _ => d.into(),
                };
            }
            (p.name, v)
        })
        .collect();
    let required: Vec<&str> = r
        .positional()
        .filter(|p| p.default.is_none())
        .map(|p| p.name)
        .collect();
    object(&props, &required)
}

/// A tool call's arguments as a route's `name=value` pairs (arrays repeat
/// the name; `false` flags are left out), without the paging arguments.
pub fn params(args: &JsonObject) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for (k, v) in args {
        if k == "cursor" || k == "max_tokens" {
            continue;
        }
        let mut push = |v: &Value| -> Result<(), String> {
            match v {
                Value::Null | Value::Bool(false) => {}
                Value::Bool(true) => out.push((k.clone(), "true".into())),
                Value::String(s) => out.push((k.clone(), s.clone())),
                Value::Number(n) => out.push((k.clone(), n.to_string())),
                _ => {
                    return Err(format!(
                        "argument `{k}`: expected a string, number or boolean"
                    ));
                }
            }
            Ok(())
        };
        match v {
            Value::Array(items) => items.iter().try_for_each(&mut push)?,
            v => push(v)?,
        }
    }
    Ok(out)
}

/// One named argument as a string, if given.
pub fn text_arg(args: &JsonObject, name: &str) -> Result<Option<String>, String> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("argument `{name}` must be a string")),
    }
}

/// One named argument as a whole number within `0..=max`, if given.
pub fn number_arg(args: &JsonObject, name: &str, max: u32) -> Result<Option<u32>, String> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_u64() {
            Some(n) if n <= max as u64 => Ok(Some(n as u32)),
            _ => Err(format!(
                "argument `{name}` must be a whole number from 0 to {max}, not {v}"
            )),
        },
    }
}

/// Refuse arguments a tool does not take, naming the ones it does.
pub fn check_names(tool: &Tool, args: &JsonObject) -> Result<(), String> {
    let known = tool
        .input_schema
        .get("properties")
        .and_then(Value::as_object);
    for k in args.keys() {
        if !known.is_some_and(|p| p.contains_key(k)) {
            let names: Vec<&String> = known.map(|p| p.keys().collect()).unwrap_or_default();
            return Err(format!(
                "`{}` takes no argument `{k}`; its arguments: {}",
                tool.name,
                names
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_tools_are_few_and_every_one_has_a_schema() {
        let t = tools(false);
        assert_eq!(t.len(), DEFAULT.len());
        for d in &t {
            assert_eq!(d.tool.input_schema["type"], "object");
            assert!(d.tool.description.as_ref().is_some_and(|s| s.len() > 40));
        }
        let all = tools(true);
        assert!(all.len() > t.len());
        assert!(all.iter().any(|d| d.tool.name == "path"));
        assert!(!all.iter().any(|d| d.tool.name == "export"));
    }

    #[test]
    fn a_routes_arguments_become_its_parameters() {
        let args: JsonObject = serde_json::from_value(json!({
            "target": "a::b", "depth": 2, "lang": ["rust", "go"], "cursor": "x", "flag": false
        }))
        .unwrap();
        let mut p = params(&args).unwrap();
        p.sort();
        assert_eq!(
            p,
            vec![
                ("depth".to_string(), "2".to_string()),
                ("lang".into(), "go".into()),
                ("lang".into(), "rust".into()),
                ("target".into(), "a::b".into()),
            ]
        );
        let bad: JsonObject = serde_json::from_value(json!({"target": {"x": 1}})).unwrap();
        assert!(params(&bad).unwrap_err().contains("`target`"));
    }
}
