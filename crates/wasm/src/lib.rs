//! weft's edge read replica: the read API of `weft serve`, answered from a
//! D1 database loaded with `weft snapshot export --d1`.
//!
//! Every answer comes from `weft_db::read`, the same queries the native
//! snapshot reader runs over rusqlite; this crate only adapts D1 to its
//! row source and HTTP to its routes. Nothing is cached between requests:
//! each answer is a few indexed statements, so memory stays small whatever
//! the size of the graph.

use serde::de::{self, Deserializer, Visitor};
use weft_db::api::{self, ApiError};
use weft_db::read::{self, RowSource, SourceError, Value};
use worker::wasm_bindgen::JsValue;
use worker::{Context, D1Database, Env, Method, Request, Response, Result, event};

/// D1 as a row source: `raw()` rows, one statement per call.
struct D1<'a>(&'a D1Database);

/// One cell of a D1 row as JavaScript hands it over.
struct Cell(Value);

impl<'de> serde::Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Cell, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Cell;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a SQL value")
            }
            fn visit_unit<E: de::Error>(self) -> std::result::Result<Cell, E> {
                Ok(Cell(Value::Null))
            }
            fn visit_none<E: de::Error>(self) -> std::result::Result<Cell, E> {
                Ok(Cell(Value::Null))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> std::result::Result<Cell, E> {
                Ok(Cell(Value::Int(b as i64)))
            }
            fn visit_i64<E: de::Error>(self, i: i64) -> std::result::Result<Cell, E> {
                Ok(Cell(Value::Int(i)))
            }
            fn visit_u64<E: de::Error>(self, u: u64) -> std::result::Result<Cell, E> {
                Ok(Cell(Value::Int(u as i64)))
            }
            fn visit_f64<E: de::Error>(self, f: f64) -> std::result::Result<Cell, E> {
                Ok(Cell(Value::Real(f)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<Cell, E> {
                Ok(Cell(Value::Text(s.to_string())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> std::result::Result<Cell, E> {
                Ok(Cell(Value::Text(s)))
            }
            // BLOB columns (the native-only tables) are never selected
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> std::result::Result<Cell, A::Error> {
                while a.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Cell(Value::Null))
            }
        }
        d.deserialize_any(V)
    }
}

impl RowSource for D1<'_> {
    async fn rows(
        &self,
        sql: &str,
        params: &[Value],
    ) -> std::result::Result<Vec<Vec<Value>>, SourceError> {
        let fail = |e: worker::Error| SourceError(e.to_string());
        let bound: Vec<JsValue> = params
            .iter()
            .map(|p| match p {
                Value::Null => JsValue::NULL,
                // every integer the read queries bind is far below 2^53
                Value::Int(i) => JsValue::from_f64(*i as f64),
                Value::Real(f) => JsValue::from_f64(*f),
                Value::Text(t) => JsValue::from_str(t),
            })
            .collect();
        let stmt = self.0.prepare(sql).bind(&bound).map_err(fail)?;
        let rows: Vec<Vec<Cell>> = stmt.raw().await.map_err(fail)?;
        Ok(rows
            .into_iter()
            .map(|r| r.into_iter().map(|c| c.0).collect())
            .collect())
    }
}

fn json(status: u16, body: Vec<u8>, revision: Option<u64>) -> Result<Response> {
    let mut r = Response::from_bytes(body)?.with_status(status);
    r.headers_mut().set("content-type", "application/json")?;
    if let Some(rev) = revision {
        r.headers_mut().set("x-weft-revision", &rev.to_string())?;
    }
    Ok(r)
}

fn error(e: ApiError) -> Result<Response> {
    json(e.status(), e.body(), None)
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let url = req.url()?;
    let path = url.path().to_string();
    if req.method() != Method::Get && req.method() != Method::Head {
        return error(api::read_only(req.method().as_ref(), &path));
    }
    let db = env.d1("DB")?;
    let src = D1(&db);
    if path == "/healthz" {
        return match read::revision(&src).await {
            Ok(revision) => json(
                200,
                format!("{{\"status\":\"ok\",\"revision\":{revision}}}").into_bytes(),
                Some(revision),
            ),
            Err(e) => error(e),
        };
    }
    let Some(route) = path.strip_prefix("/v1/") else {
        return error(api::no_route(&path));
    };
    let params: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    match read::answer(&src, route, &params).await {
        Ok((revision, body)) => json(200, body, Some(revision)),
        Err(e) => error(e),
    }
}
