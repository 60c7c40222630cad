//! A Qdrant server or cluster over gRPC (`qdrant-client`), for teams who
//! outgrow one machine. The collection has the layout of the embedded
//! store: a dense vector named [`VECTOR_NAME`] and the payload of
//! [`Meta`](crate::Meta).

use std::collections::HashMap;

use anyhow::{Context, Result, anyhow};
use qdrant_client::qdrant::{
    Condition, CountPointsBuilder, CreateCollectionBuilder, CreateFieldIndexCollectionBuilder,
    DeletePointsBuilder, Distance, FieldType, Filter as QFilter, PointId, PointStruct,
    PointsIdsList, Query, QueryPointsBuilder, ScrollPointsBuilder, UpsertPointsBuilder, Value,
    VectorParamsBuilder, VectorsConfigBuilder, point_id::PointIdOptions, value::Kind,
};
use qdrant_client::{Payload, Qdrant};

use crate::store::{Filter, Point, VectorStore, check_dim};
use crate::{DIM, VECTOR_NAME};

const PAGE: u32 = 4096;

pub struct RemoteStore {
    client: Qdrant,
    collection: String,
    url: String,
    /// The client is async; weft's callers are not.
    rt: tokio::runtime::Runtime,
}

fn string(v: Option<&Value>) -> String {
    match v.and_then(|v| v.kind.as_ref()) {
        Some(Kind::StringValue(s)) => s.clone(),
        _ => String::new(),
    }
}

fn num_id(id: Option<&PointId>) -> Result<u64> {
    match id.and_then(|i| i.point_id_options.as_ref()) {
        Some(PointIdOptions::Num(n)) => Ok(*n),
        other => Err(anyhow!("a point id weft did not write: {other:?}")),
    }
}

impl RemoteStore {
    /// Connect, and create the collection with weft's layout if it does
    /// not exist.
    pub fn connect(url: &str, collection: &str) -> Result<RemoteStore> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let client = Qdrant::from_url(url)
            .skip_compatibility_check()
            .connect_timeout(std::time::Duration::from_secs(5))
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .with_context(|| format!("connecting to Qdrant at {url}"))?;
        let store = RemoteStore {
            client,
            collection: collection.to_string(),
            url: url.to_string(),
            rt,
        };
        store.ensure_collection()?;
        Ok(store)
    }

    /// Delete the whole collection (for tests against a real server).
    pub fn drop_collection(&self) -> Result<()> {
        self.rt
            .block_on(self.client.delete_collection(&self.collection))
            .with_context(|| format!("deleting collection `{}`", self.collection))?;
        Ok(())
    }

    fn ensure_collection(&self) -> Result<()> {
        let c = &self.client;
        let name = &self.collection;
        let exists = self
            .rt
            .block_on(c.collection_exists(name))
            .with_context(|| format!("asking Qdrant at {} for collection `{name}`", self.url))?;
        if exists {
            return Ok(());
        }
        let mut vectors = VectorsConfigBuilder::default();
        vectors.add_named_vector_params(
            VECTOR_NAME,
            VectorParamsBuilder::new(DIM as u64, Distance::Cosine),
        );
        self.rt
            .block_on(
                c.create_collection(CreateCollectionBuilder::new(name).vectors_config(vectors)),
            )
            .with_context(|| format!("creating collection `{name}`"))?;
        for field in ["kind", "lang"] {
            self.rt
                .block_on(
                    c.create_field_index(
                        CreateFieldIndexCollectionBuilder::new(name, field, FieldType::Keyword)
                            .wait(true),
                    ),
                )
                .with_context(|| format!("indexing payload field `{field}`"))?;
        }
        Ok(())
    }
}

/// The gRPC filter for `filter`, as [`crate::edge::qdrant_filter`] builds
/// it for the engine.
pub fn grpc_filter(filter: &Filter) -> Option<QFilter> {
    let mut must = Vec::new();
    for (key, values) in [("kind", &filter.kinds), ("lang", &filter.langs)] {
        if !values.is_empty() {
            must.push(Condition::matches(key, values.clone()));
        }
    }
    (!must.is_empty()).then(|| QFilter::must(must))
}

impl VectorStore for RemoteStore {
    fn upsert(&mut self, points: Vec<Point>) -> Result<()> {
        check_dim(&points, DIM)?;
        let list: Vec<PointStruct> = points
            .into_iter()
            .map(|p| {
                let mut payload = Payload::new();
                payload.insert("symbol", format!("{:016x}", p.id));
                payload.insert("kind", p.meta.kind);
                payload.insert("lang", p.meta.lang);
                payload.insert("path", p.meta.path);
                payload.insert("hash", p.meta.hash);
                let vectors = HashMap::from([(VECTOR_NAME.to_string(), p.vector)]);
                PointStruct::new(p.id, vectors, payload)
            })
            .collect();
        self.rt
            .block_on(
                self.client
                    .upsert_points(UpsertPointsBuilder::new(&self.collection, list).wait(true)),
            )
            .context("upserting to Qdrant")?;
        Ok(())
    }

    fn delete(&mut self, ids: &[u64]) -> Result<()> {
        let ids = PointsIdsList {
            ids: ids.iter().map(|i| PointId::from(*i)).collect(),
        };
        self.rt
            .block_on(
                self.client.delete_points(
                    DeletePointsBuilder::new(&self.collection)
                        .points(ids)
                        .wait(true),
                ),
            )
            .context("deleting from Qdrant")?;
        Ok(())
    }

    fn hashes(&self) -> Result<HashMap<u64, String>> {
        let mut out = HashMap::new();
        let mut offset: Option<PointId> = None;
        loop {
            let mut req = ScrollPointsBuilder::new(&self.collection)
                .limit(PAGE)
                .with_payload(true);
            if let Some(o) = offset.take() {
                req = req.offset(o);
            }
            let page = self
                .rt
                .block_on(self.client.scroll(req))
                .context("listing points in Qdrant")?;
            for p in &page.result {
                out.insert(num_id(p.id.as_ref())?, string(p.payload.get("hash")));
            }
            match page.next_page_offset {
                Some(n) => offset = Some(n),
                None => return Ok(out),
            }
        }
    }

    fn nearest(&self, vector: &[f32], filter: &Filter, limit: usize) -> Result<Vec<(u64, f32)>> {
        let mut req = QueryPointsBuilder::new(&self.collection)
            .query(Query::new_nearest(vector.to_vec()))
            .using(VECTOR_NAME)
            .limit(limit as u64);
        if let Some(f) = grpc_filter(filter) {
            req = req.filter(f);
        }
        let res = self
            .rt
            .block_on(self.client.query(req))
            .context("searching Qdrant")?;
        res.result
            .iter()
            .map(|p| Ok((num_id(p.id.as_ref())?, p.score)))
            .collect()
    }

    fn len(&self) -> Result<usize> {
        let res = self
            .rt
            .block_on(
                self.client
                    .count(CountPointsBuilder::new(&self.collection).exact(true)),
            )
            .context("counting points in Qdrant")?;
        Ok(res.result.map(|r| r.count as usize).unwrap_or(0))
    }

    /// Writes waited for the server already; it builds its index itself.
    fn finish(&mut self) -> Result<()> {
        Ok(())
    }

    fn describe(&self) -> String {
        format!("Qdrant at {}, collection `{}`", self.url, self.collection)
    }
}
