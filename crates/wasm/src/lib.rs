//! weft's edge read replica: the read API of `weft serve`, answered from a
//! D1 database loaded with `weft snapshot export --d1`.

use serde_json::json;
use worker::{Context, Env, Request, Response, Result, event};

/// `{"error": {"status": N, "message": "..."}}`, as `weft serve` sends.
fn error(status: u16, message: &str) -> Result<Response> {
    Ok(
        Response::from_json(&json!({"error": {"status": status, "message": message}}))?
            .with_status(status),
    )
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let db = env.d1("DB")?;
    let path = req.url()?.path().to_string();
    if path != "/healthz" {
        return error(404, &format!("no route {path}; see /v1/openapi.json"));
    }
    let version: Option<String> = db
        .prepare("SELECT value FROM meta WHERE key = 'schema_version'")
        .first(Some("value"))
        .await
        .ok()
        .flatten();
    match version {
        Some(v) if v == weft_db::schema::SCHEMA_VERSION.to_string() => {
            let revision: Option<String> = db
                .prepare("SELECT value FROM meta WHERE key = 'revision'")
                .first(Some("value"))
                .await?;
            Response::from_json(
                &json!({"status": "ok", "revision": revision.and_then(|r| r.parse::<u64>().ok())}),
            )
        }
        Some(v) => error(
            503,
            &format!(
                "the D1 database holds snapshot schema {v}; this replica reads {}",
                weft_db::schema::SCHEMA_VERSION
            ),
        ),
        None => error(
            503,
            "the D1 database holds no weft snapshot: load one with `weft snapshot export --d1`",
        ),
    }
}
