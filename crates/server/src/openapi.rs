//! `/v1/openapi.json`, written from the routes' description
//! (`weft_db::api::routes`), the one the server's parser checks requests
//! against, so the document cannot drift from what the server accepts.

use serde_json::{Map, Value, json};
use weft_db::api::ROUTES;
use weft_db::api::routes::Kind;

pub fn document() -> Value {
    let error = json!({"$ref": "#/components/schemas/Error"});
    let mut paths = Map::new();
    for r in ROUTES {
        let route = r.name;
        let about = r.about;
        let parameters: Vec<Value> = r
            .params
            .iter()
            .map(|p| {
                let mut schema = Map::new();
                schema.insert("type".into(), "string".into());
                if let Some(d) = p.default {
                    schema.insert("default".into(), d.into());
                }
                let names: Vec<&str> = match p.kind {
                    Kind::OneOf(values) => values.iter().map(|(n, _)| *n).collect(),
                    Kind::Flag => vec!["true", "false"],
                    _ => Vec::new(),
                };
                if !names.is_empty() {
                    schema.insert("enum".into(), names.into());
                }
                let description = match p.kind {
                    Kind::Langs => {
                        let langs = weft_queries::languages::all().all();
                        let names: Vec<&str> = langs.iter().map(|l| l.name).collect();
                        format!("{} (one of: {})", p.help, names.join(", "))
                    }
                    _ => p.help.to_string(),
                };
                json!({"name": p.name, "in": "query", "required": p.positional && p.default.is_none(),
                       "description": description, "schema": schema})
            })
            .collect();
        paths.insert(
            format!("/v1/{route}"),
            json!({"get": {
                "operationId": route,
                "summary": about,
                "parameters": parameters,
                "responses": {
                    "200": {"description": format!("The answer of `weft {route} --json`"),
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Answer"}}}},
                    "400": {"description": "Bad parameters or an unknown target", "content": {"application/json": {"schema": error}}},
                    "401": {"description": "Missing or wrong bearer token", "content": {"application/json": {"schema": error}}},
                    "413": {"description": "The answer is over the size cap", "content": {"application/json": {"schema": error}}},
                    "503": {"description": "The query ran past its deadline", "content": {"application/json": {"schema": error}}}
                }
            }}),
        );
    }
    paths.insert("/v1/events".into(), json!({"get": {
        "operationId": "events",
        "summary": "Server-Sent Events: `change` per applied batch (id = revision), `resync` when a reconnecting client (Last-Event-ID) missed more than is kept",
        "responses": {"200": {"description": "text/event-stream"}}
    }}));
    paths.insert("/v1/conflicts".into(), json!({"post": {
        "operationId": "conflicts",
        "summary": "Predict merge conflicts between two revisions, streamed as Server-Sent Events: `start`, one `tier` per tier (direct, semantic, impact) as it completes, then `done`; `error` if it fails midway",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {
            "type": "object", "required": ["a", "b"],
            "properties": {
                "a": {"type": "string", "description": "a git revision"},
                "b": {"type": "string"},
                "base": {"type": "string", "description": "default: the merge base of a and b"},
                "depth": {"type": "integer", "minimum": 0, "maximum": 64, "default": 3}
            }
        }}}},
        "responses": {
            "200": {"description": "text/event-stream; each event's data is the JSON of `weft conflicts --json`"},
            "400": {"description": "malformed body or unknown revision"}
        }
    }}));
    paths.insert("/healthz".into(), json!({"get": {"operationId": "healthz", "responses": {"200": {"description": "ok and the revision"}}}}));
    paths.insert("/metrics".into(), json!({"get": {"operationId": "metrics", "responses": {"200": {"description": "Prometheus text format"}}}}));
    json!({
        "openapi": "3.1.0",
        "info": {"title": "weft", "version": env!("CARGO_PKG_VERSION"),
                 "description": "The code graph of one repository, kept live. Each route runs the command of the same name; its parameters are the command's arguments."},
        "paths": paths,
        "components": {
            "schemas": {
                "Answer": {"type": "object", "required": ["revision", "result"], "properties": {
                    "revision": {"type": "integer", "description": "The revision the whole answer was computed at"},
                    "result": {"description": "What `weft <command> --json` prints (an array for symbols, outline and export)"}}},
                "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                    "status": {"type": "integer"}, "message": {"type": "string"}}}}}
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}
        }
    })
}
