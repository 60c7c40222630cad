//! The Qdrant engine in process (`qdrant-edge`): one shard on disk, in
//! `.weft/vectors/` by default.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use qdrant_edge::external::serde_json::{Value, json};
use qdrant_edge::{
    Condition, CountRequest, CreateIndex, Distance, EdgeConfigBuilder, EdgeShard,
    EdgeVectorParamsBuilder, FieldCondition, FieldIndexOperations, Filter as QFilter, JsonPath,
    Match, NamedQuery, PayloadFieldSchema, PayloadSchemaType, PointId, PointInsertOperations,
    PointOperations, PointStruct, QueryEnum, QueryRequestBuilder, ScoringQuery, ScrollRequest,
    UpdateOperation, VectorInternal, Vectors, WithPayloadInterface,
};

use crate::store::{Filter, Point, VectorStore, check_dim};
use crate::{DIM, VECTOR_NAME};

/// Points per scroll page when listing hashes.
const PAGE: usize = 4096;
/// Payload fields with a keyword index, for filtered searches.
const INDEXED: [&str; 2] = ["kind", "lang"];

pub struct EdgeStore {
    shard: EdgeShard,
    dir: PathBuf,
}

fn q<T>(r: qdrant_edge::OperationResult<T>, what: &str) -> Result<T> {
    r.map_err(|e| anyhow!("qdrant-edge: {what}: {e}"))
}

/// A payload key weft writes (plain names, always valid paths).
fn field_path(key: &str) -> JsonPath {
    JsonPath::try_from(key).expect("a plain payload key")
}

/// The payload of a point (the remote store writes the same fields).
fn point_payload(p: &Point) -> Value {
    json!({
        "symbol": format!("{:016x}", p.id),
        "kind": p.meta.kind,
        "lang": p.meta.lang,
        "path": p.meta.path,
        "hash": p.meta.hash,
    })
}

/// The Qdrant filter for `filter`: each non-empty list is one `must`
/// condition matching any of its values.
pub fn qdrant_filter(filter: &Filter) -> Option<QFilter> {
    let mut must = Vec::new();
    for (key, values) in [("kind", &filter.kinds), ("lang", &filter.langs)] {
        if !values.is_empty() {
            must.push(Condition::Field(FieldCondition::new_match(
                field_path(key),
                Match::from(values.clone()),
            )));
        }
    }
    (!must.is_empty()).then(|| QFilter {
        must: Some(must),
        ..Default::default()
    })
}

impl EdgeStore {
    /// Open the shard in `dir`, or create it with weft's layout.
    pub fn open(dir: &Path) -> Result<EdgeStore> {
        let shard = if dir.join("edge_config.json").is_file() {
            q(
                EdgeShard::load(dir, None),
                &format!("opening {}", dir.display()),
            )?
        } else {
            let config = EdgeConfigBuilder::new()
                .vector(
                    VECTOR_NAME,
                    EdgeVectorParamsBuilder::new(DIM, Distance::Cosine).build(),
                )
                .build();
            let shard = q(
                EdgeShard::new(dir, config),
                &format!("creating {}", dir.display()),
            )?;
            for field in INDEXED {
                q(
                    shard.update(UpdateOperation::FieldIndexOperation(
                        FieldIndexOperations::CreateIndex(CreateIndex {
                            field_name: field_path(field),
                            field_schema: Some(PayloadFieldSchema::FieldType(
                                PayloadSchemaType::Keyword,
                            )),
                        }),
                    )),
                    "indexing the payload",
                )?;
            }
            shard
        };
        Ok(EdgeStore {
            shard,
            dir: dir.to_path_buf(),
        })
    }
}

fn point_id(id: &PointId) -> Result<u64> {
    match id {
        PointId::NumId(n) => Ok(*n),
        other => Err(anyhow!("a point id weft did not write: {other:?}")),
    }
}

impl VectorStore for EdgeStore {
    fn upsert(&mut self, points: Vec<Point>) -> Result<()> {
        check_dim(&points, DIM)?;
        let list = points
            .iter()
            .map(|p| {
                let vectors =
                    Vectors::from(HashMap::from([(VECTOR_NAME.to_string(), p.vector.clone())]));
                PointStruct::new(p.id, vectors, point_payload(p)).into()
            })
            .collect();
        q(
            self.shard.update(UpdateOperation::PointOperation(
                PointOperations::UpsertPoints(PointInsertOperations::PointsList(list)),
            )),
            "upserting",
        )
    }

    fn delete(&mut self, ids: &[u64]) -> Result<()> {
        q(
            self.shard.update(UpdateOperation::PointOperation(
                PointOperations::DeletePoints {
                    ids: ids.iter().map(|i| PointId::NumId(*i)).collect(),
                },
            )),
            "deleting",
        )
    }

    fn hashes(&self) -> Result<HashMap<u64, String>> {
        let mut out = HashMap::new();
        let mut offset = None;
        loop {
            let mut req = ScrollRequest::new();
            req.offset = offset;
            req.limit = Some(PAGE);
            req.with_payload = Some(WithPayloadInterface::Bool(true));
            let (records, next) = q(self.shard.scroll(req), "listing points")?;
            for r in records {
                let hash = r
                    .payload
                    .as_ref()
                    .and_then(|p| p.0.get("hash"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                out.insert(point_id(&r.id)?, hash);
            }
            match next {
                Some(n) => offset = Some(n),
                None => return Ok(out),
            }
        }
    }

    fn nearest(&self, vector: &[f32], filter: &Filter, limit: usize) -> Result<Vec<(u64, f32)>> {
        let mut req = QueryRequestBuilder::new(limit)
            .query(ScoringQuery::Vector(QueryEnum::Nearest(NamedQuery {
                query: VectorInternal::from(vector.to_vec()),
                using: Some(VECTOR_NAME.into()),
            })))
            .with_payload(WithPayloadInterface::Bool(false));
        if let Some(f) = qdrant_filter(filter) {
            req = req.filter(f);
        }
        q(self.shard.query(req.build()), "searching")?
            .into_iter()
            .map(|p| Ok((point_id(&p.id)?, p.score)))
            .collect()
    }

    fn len(&self) -> Result<usize> {
        q(
            self.shard.count(CountRequest {
                filter: None,
                exact: true,
            }),
            "counting",
        )
    }

    fn finish(&mut self) -> Result<()> {
        q(self.shard.optimize(), "building the vector index")?;
        q(self.shard.flush(), "flushing").context("saving the vectors")?;
        Ok(())
    }

    fn describe(&self) -> String {
        format!("qdrant-edge at {}", self.dir.display())
    }
}
