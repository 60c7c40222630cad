//! A test double of a Qdrant server: the gRPC services the
//! [`remote`](crate::remote) store calls (collections: create, exists;
//! points: upsert, delete, scroll, query, count, field index), served
//! in-process from `qdrant-client`'s generated server traits and answered
//! by the Qdrant engine itself (`qdrant-edge`), so the answers are real.
//! Every other call answers `UNIMPLEMENTED`.
//!
//! It is not a Qdrant server: no auth, one shard per collection, no
//! clustering. It lets the remote backend run the same conformance suite
//! as the embedded one where no server can be installed.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use ::qdrant_client::qdrant::collections_server::{Collections, CollectionsServer};
use ::qdrant_client::qdrant::points_server::{Points, PointsServer};
use ::qdrant_client::qdrant::*;
use qdrant_edge as qe;
use qdrant_edge::external::serde_json::{Map, Number, Value as Json};
use tonic::{Request, Response, Status};

/// Collections by name, each an engine shard in its own folder.
#[derive(Clone)]
pub struct Double {
    dir: PathBuf,
    shards: Arc<Mutex<HashMap<String, Arc<qe::EdgeShard>>>>,
}

/// A running double; dropping it stops the server.
pub struct Running {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// The URL a client connects to.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // dropping the sender ends the server's shutdown future
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Serve a double on 127.0.0.1 (a free port), keeping shards under `dir`.
pub fn serve(dir: PathBuf) -> anyhow::Result<Running> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let double = Double {
        dir,
        shards: Default::default(),
    };
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime for the Qdrant double");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener);
            let server = tonic::transport::Server::builder()
                .add_service(CollectionsServer::new(double.clone()))
                .add_service(PointsServer::new(double))
                .serve_with_incoming(incoming);
            // stop at once, open connections and all (a graceful shutdown
            // would wait for clients the test still holds)
            tokio::select! {
                r = server => r.expect("the Qdrant double's server"),
                _ = stopped => {}
            }
        });
    });
    Ok(Running {
        addr,
        stop: Some(stop),
        thread: Some(thread),
    })
}

fn engine(e: qe::OperationError) -> Status {
    Status::internal(format!("qdrant-edge: {e}"))
}

impl Double {
    fn shard(&self, name: &str) -> Result<Arc<qe::EdgeShard>, Status> {
        self.shards
            .lock()
            .unwrap()
            .get(name)
            .cloned()
            .ok_or_else(|| Status::not_found(format!("Collection `{name}` doesn't exist!")))
    }
}

fn distance(d: i32) -> Result<qe::Distance, Status> {
    Ok(match Distance::try_from(d) {
        Ok(Distance::Cosine) => qe::Distance::Cosine,
        Ok(Distance::Euclid) => qe::Distance::Euclid,
        Ok(Distance::Dot) => qe::Distance::Dot,
        Ok(Distance::Manhattan) => qe::Distance::Manhattan,
        _ => return Err(Status::invalid_argument(format!("distance {d}"))),
    })
}

fn point_id(id: Option<PointId>) -> Result<qe::PointId, Status> {
    match id.and_then(|i| i.point_id_options) {
        Some(point_id::PointIdOptions::Num(n)) => Ok(qe::PointId::NumId(n)),
        other => Err(Status::unimplemented(format!("point id {other:?}"))),
    }
}

fn grpc_id(id: &qe::PointId) -> Result<PointId, Status> {
    match id {
        qe::PointId::NumId(n) => Ok(PointId::from(*n)),
        other => Err(Status::internal(format!("point id {other:?}"))),
    }
}

fn to_json(v: Value) -> Json {
    match v.kind {
        None | Some(value::Kind::NullValue(_)) => Json::Null,
        Some(value::Kind::BoolValue(b)) => Json::Bool(b),
        Some(value::Kind::IntegerValue(i)) => Json::Number(i.into()),
        Some(value::Kind::DoubleValue(d)) => Number::from_f64(d).map_or(Json::Null, Json::Number),
        Some(value::Kind::StringValue(s)) => Json::String(s),
        Some(value::Kind::ListValue(l)) => Json::Array(l.values.into_iter().map(to_json).collect()),
        Some(value::Kind::StructValue(s)) => {
            Json::Object(s.fields.into_iter().map(|(k, v)| (k, to_json(v))).collect())
        }
    }
}

fn to_grpc(v: &Json) -> Value {
    let kind = match v {
        Json::Null => value::Kind::NullValue(0),
        Json::Bool(b) => value::Kind::BoolValue(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => value::Kind::IntegerValue(i),
            None => value::Kind::DoubleValue(n.as_f64().unwrap_or(0.0)),
        },
        Json::String(s) => value::Kind::StringValue(s.clone()),
        Json::Array(a) => value::Kind::ListValue(ListValue {
            values: a.iter().map(to_grpc).collect(),
        }),
        Json::Object(o) => value::Kind::StructValue(Struct {
            fields: o.iter().map(|(k, v)| (k.clone(), to_grpc(v))).collect(),
        }),
    };
    Value { kind: Some(kind) }
}

fn dense(v: Vector) -> Result<Vec<f32>, Status> {
    #[allow(deprecated)]
    match v.vector {
        Some(vector::Vector::Dense(d)) => Ok(d.data),
        None if !v.data.is_empty() => Ok(v.data),
        other => Err(Status::unimplemented(format!("vector {other:?}"))),
    }
}

/// The engine's filter for the conditions the remote store sends: keyword
/// matches under `must`.
fn filter(f: Option<Filter>) -> Result<Option<qe::Filter>, Status> {
    let Some(f) = f else { return Ok(None) };
    if !f.should.is_empty() || !f.must_not.is_empty() || f.min_should.is_some() {
        return Err(Status::unimplemented("only `must` conditions"));
    }
    let mut must = Vec::new();
    for c in f.must {
        let Some(condition::ConditionOneOf::Field(fc)) = c.condition_one_of else {
            return Err(Status::unimplemented("only field conditions"));
        };
        let m = match fc.r#match.and_then(|m| m.match_value) {
            Some(r#match::MatchValue::Keyword(k)) => qe::Match::from(k),
            Some(r#match::MatchValue::Keywords(k)) => qe::Match::from(k.strings),
            other => return Err(Status::unimplemented(format!("match {other:?}"))),
        };
        must.push(qe::Condition::Field(qe::FieldCondition::new_match(
            field_path(&fc.key)?,
            m,
        )));
    }
    Ok(Some(qe::Filter {
        must: Some(must),
        ..Default::default()
    }))
}

fn field_path(key: &str) -> Result<qe::JsonPath, Status> {
    qe::JsonPath::try_from(key)
        .map_err(|_| Status::invalid_argument(format!("payload key `{key}`")))
}

fn unserved(call: &str) -> Status {
    Status::unimplemented(format!("the Qdrant double does not serve {call}"))
}

fn done() -> Response<PointsOperationResponse> {
    Response::new(PointsOperationResponse {
        result: Some(UpdateResult {
            operation_id: None,
            status: UpdateStatus::Completed as i32,
        }),
        ..Default::default()
    })
}

fn wants_payload(s: Option<WithPayloadSelector>) -> bool {
    matches!(
        s.and_then(|s| s.selector_options),
        Some(with_payload_selector::SelectorOptions::Enable(true))
    )
}

fn payload(p: Option<qe::Payload>) -> HashMap<String, Value> {
    p.map(|p| p.0.iter().map(|(k, v)| (k.clone(), to_grpc(v))).collect())
        .unwrap_or_default()
}

#[tonic::async_trait]
impl Collections for Double {
    async fn create(
        &self,
        req: Request<CreateCollection>,
    ) -> Result<Response<CollectionOperationResponse>, Status> {
        let req = req.into_inner();
        let mut config = qe::EdgeConfigBuilder::new();
        match req.vectors_config.and_then(|c| c.config) {
            Some(vectors_config::Config::ParamsMap(m)) => {
                for (name, p) in m.map {
                    config = config.vector(
                        name,
                        qe::EdgeVectorParamsBuilder::new(p.size as usize, distance(p.distance)?)
                            .build(),
                    );
                }
            }
            other => return Err(Status::unimplemented(format!("vectors config {other:?}"))),
        }
        let mut shards = self.shards.lock().unwrap();
        if shards.contains_key(&req.collection_name) {
            return Err(Status::already_exists(format!(
                "Collection `{}` already exists!",
                req.collection_name
            )));
        }
        let dir = self.dir.join(&req.collection_name);
        let shard = qe::EdgeShard::new(&dir, config.build()).map_err(engine)?;
        shards.insert(req.collection_name, Arc::new(shard));
        Ok(Response::new(CollectionOperationResponse {
            result: true,
            ..Default::default()
        }))
    }

    async fn collection_exists(
        &self,
        req: Request<CollectionExistsRequest>,
    ) -> Result<Response<CollectionExistsResponse>, Status> {
        let exists = self
            .shards
            .lock()
            .unwrap()
            .contains_key(&req.into_inner().collection_name);
        Ok(Response::new(CollectionExistsResponse {
            result: Some(CollectionExists { exists }),
            ..Default::default()
        }))
    }

    // not called by weft
    async fn get(
        &self,
        _: Request<GetCollectionInfoRequest>,
    ) -> Result<Response<GetCollectionInfoResponse>, Status> {
        Err(unserved("get"))
    }
    async fn list(
        &self,
        _: Request<ListCollectionsRequest>,
    ) -> Result<Response<ListCollectionsResponse>, Status> {
        Err(unserved("list"))
    }
    async fn update(
        &self,
        _: Request<UpdateCollection>,
    ) -> Result<Response<CollectionOperationResponse>, Status> {
        Err(unserved("update"))
    }
    async fn delete(
        &self,
        _: Request<DeleteCollection>,
    ) -> Result<Response<CollectionOperationResponse>, Status> {
        Err(unserved("delete"))
    }
    async fn update_aliases(
        &self,
        _: Request<ChangeAliases>,
    ) -> Result<Response<CollectionOperationResponse>, Status> {
        Err(unserved("update_aliases"))
    }
    async fn list_collection_aliases(
        &self,
        _: Request<ListCollectionAliasesRequest>,
    ) -> Result<Response<ListAliasesResponse>, Status> {
        Err(unserved("list_collection_aliases"))
    }
    async fn list_aliases(
        &self,
        _: Request<ListAliasesRequest>,
    ) -> Result<Response<ListAliasesResponse>, Status> {
        Err(unserved("list_aliases"))
    }
    async fn collection_cluster_info(
        &self,
        _: Request<CollectionClusterInfoRequest>,
    ) -> Result<Response<CollectionClusterInfoResponse>, Status> {
        Err(unserved("collection_cluster_info"))
    }
    async fn update_collection_cluster_setup(
        &self,
        _: Request<UpdateCollectionClusterSetupRequest>,
    ) -> Result<Response<UpdateCollectionClusterSetupResponse>, Status> {
        Err(unserved("update_collection_cluster_setup"))
    }
    async fn create_shard_key(
        &self,
        _: Request<CreateShardKeyRequest>,
    ) -> Result<Response<CreateShardKeyResponse>, Status> {
        Err(unserved("create_shard_key"))
    }
    async fn delete_shard_key(
        &self,
        _: Request<DeleteShardKeyRequest>,
    ) -> Result<Response<DeleteShardKeyResponse>, Status> {
        Err(unserved("delete_shard_key"))
    }
    async fn list_shard_keys(
        &self,
        _: Request<ListShardKeysRequest>,
    ) -> Result<Response<ListShardKeysResponse>, Status> {
        Err(unserved("list_shard_keys"))
    }
}

#[tonic::async_trait]
impl Points for Double {
    async fn create_field_index(
        &self,
        req: Request<CreateFieldIndexCollection>,
    ) -> Result<Response<PointsOperationResponse>, Status> {
        let req = req.into_inner();
        if req.field_type != Some(FieldType::Keyword as i32) {
            return Err(Status::unimplemented("only keyword indexes"));
        }
        self.shard(&req.collection_name)?
            .update(qe::UpdateOperation::FieldIndexOperation(
                qe::FieldIndexOperations::CreateIndex(qe::CreateIndex {
                    field_name: field_path(&req.field_name)?,
                    field_schema: Some(qe::PayloadFieldSchema::FieldType(
                        qe::PayloadSchemaType::Keyword,
                    )),
                }),
            ))
            .map_err(engine)?;
        Ok(done())
    }

    async fn upsert(
        &self,
        req: Request<UpsertPoints>,
    ) -> Result<Response<PointsOperationResponse>, Status> {
        let req = req.into_inner();
        let shard = self.shard(&req.collection_name)?;
        let mut list = Vec::new();
        for p in req.points {
            let named = match p.vectors.and_then(|v| v.vectors_options) {
                Some(vectors::VectorsOptions::Vectors(n)) => n.vectors,
                other => return Err(Status::unimplemented(format!("vectors {other:?}"))),
            };
            let mut map = HashMap::new();
            for (name, v) in named {
                map.insert(name, dense(v)?);
            }
            let body: Map<String, Json> = p
                .payload
                .into_iter()
                .map(|(k, v)| (k, to_json(v)))
                .collect();
            list.push(
                qe::PointStruct::new(point_id(p.id)?, qe::Vectors::from(map), Json::Object(body))
                    .into(),
            );
        }
        shard
            .update(qe::UpdateOperation::PointOperation(
                qe::PointOperations::UpsertPoints(qe::PointInsertOperations::PointsList(list)),
            ))
            .map_err(engine)?;
        Ok(done())
    }

    async fn delete(
        &self,
        req: Request<DeletePoints>,
    ) -> Result<Response<PointsOperationResponse>, Status> {
        let req = req.into_inner();
        let ids = match req.points.and_then(|p| p.points_selector_one_of) {
            Some(points_selector::PointsSelectorOneOf::Points(list)) => list
                .ids
                .into_iter()
                .map(|i| point_id(Some(i)))
                .collect::<Result<Vec<_>, _>>()?,
            other => return Err(Status::unimplemented(format!("selector {other:?}"))),
        };
        self.shard(&req.collection_name)?
            .update(qe::UpdateOperation::PointOperation(
                qe::PointOperations::DeletePoints { ids },
            ))
            .map_err(engine)?;
        Ok(done())
    }

    async fn scroll(&self, req: Request<ScrollPoints>) -> Result<Response<ScrollResponse>, Status> {
        let req = req.into_inner();
        let shard = self.shard(&req.collection_name)?;
        let with_payload = wants_payload(req.with_payload);
        let mut r = qe::ScrollRequest::new();
        r.offset = req.offset.map(|o| point_id(Some(o))).transpose()?;
        r.limit = Some(req.limit.unwrap_or(10) as usize);
        r.filter = filter(req.filter)?;
        r.with_payload = Some(qe::WithPayloadInterface::Bool(with_payload));
        let (records, next) = shard.scroll(r).map_err(engine)?;
        let result = records
            .into_iter()
            .map(|rec| {
                Ok(RetrievedPoint {
                    id: Some(grpc_id(&rec.id)?),
                    payload: payload(rec.payload),
                    ..Default::default()
                })
            })
            .collect::<Result<_, Status>>()?;
        Ok(Response::new(ScrollResponse {
            result,
            next_page_offset: next.as_ref().map(grpc_id).transpose()?,
            ..Default::default()
        }))
    }

    async fn query(&self, req: Request<QueryPoints>) -> Result<Response<QueryResponse>, Status> {
        let req = req.into_inner();
        let shard = self.shard(&req.collection_name)?;
        if !req.prefetch.is_empty() {
            return Err(Status::unimplemented("prefetch"));
        }
        let vector = match req.query.and_then(|q| q.variant) {
            Some(query::Variant::Nearest(VectorInput {
                variant: Some(vector_input::Variant::Dense(d)),
            })) => d.data,
            other => return Err(Status::unimplemented(format!("query {other:?}"))),
        };
        let mut q = qe::QueryRequestBuilder::new(req.limit.unwrap_or(10) as usize)
            .query(qe::ScoringQuery::Vector(qe::QueryEnum::Nearest(
                qe::NamedQuery {
                    query: qe::VectorInternal::from(vector),
                    using: req.using,
                },
            )))
            .with_payload(qe::WithPayloadInterface::Bool(wants_payload(
                req.with_payload,
            )));
        if let Some(f) = filter(req.filter)? {
            q = q.filter(f);
        }
        let result = shard
            .query(q.build())
            .map_err(engine)?
            .into_iter()
            .map(|p| {
                Ok(ScoredPoint {
                    id: Some(grpc_id(&p.id)?),
                    score: p.score,
                    version: p.version,
                    payload: payload(p.payload),
                    ..Default::default()
                })
            })
            .collect::<Result<_, Status>>()?;
        Ok(Response::new(QueryResponse {
            result,
            ..Default::default()
        }))
    }

    async fn count(&self, req: Request<CountPoints>) -> Result<Response<CountResponse>, Status> {
        let req = req.into_inner();
        let count = self
            .shard(&req.collection_name)?
            .count(qe::CountRequest {
                filter: filter(req.filter)?,
                exact: true,
            })
            .map_err(engine)?;
        Ok(Response::new(CountResponse {
            result: Some(CountResult {
                count: count as u64,
            }),
            ..Default::default()
        }))
    }

    // not called by weft
    async fn get(&self, _: Request<GetPoints>) -> Result<Response<GetResponse>, Status> {
        Err(unserved("get"))
    }
    async fn update_vectors(
        &self,
        _: Request<UpdatePointVectors>,
    ) -> Result<Response<PointsOperationResponse>, Status> {
        Err(unserved("update_vectors"))
    }
    async fn delete_vectors(
        &self,
        _: Request<DeletePointVectors>,
    ) -> Result<Response<PointsOperationResponse>, Status> {
        Err(unserved("delete_vectors"))
    }
    async fn set_payload(
        &self,
        _: Request<SetPayloadPoints>,
    ) -> Result<Response<PointsOperationResponse>, Status> {
        Err(unserved("set_payload"))
    }
    async fn overwrite_payload(
        &self,
        _: Request<SetPayloadPoints>,
    ) -> Result<Response<PointsOperationResponse>, Status> {
        Err(unserved("overwrite_payload"))
    }
    async fn delete_payload(
        &self,
        _: Request<DeletePayloadPoints>,
    ) -> Result<Response<PointsOperationResponse>, Status> {
        Err(unserved("delete_payload"))
    }
    async fn clear_payload(
        &self,
        _: Request<ClearPayloadPoints>,
    ) -> Result<Response<PointsOperationResponse>, Status> {
        Err(unserved("clear_payload"))
    }
    async fn delete_field_index(
        &self,
        _: Request<DeleteFieldIndexCollection>,
    ) -> Result<Response<PointsOperationResponse>, Status> {
        Err(unserved("delete_field_index"))
    }
    async fn create_vector_name(
        &self,
        _: Request<CreateVectorNameRequest>,
    ) -> Result<Response<PointsOperationResponse>, Status> {
        Err(unserved("create_vector_name"))
    }
    async fn delete_vector_name(
        &self,
        _: Request<DeleteVectorNameRequest>,
    ) -> Result<Response<PointsOperationResponse>, Status> {
        Err(unserved("delete_vector_name"))
    }
    async fn search(&self, _: Request<SearchPoints>) -> Result<Response<SearchResponse>, Status> {
        Err(unserved("search"))
    }
    async fn search_batch(
        &self,
        _: Request<SearchBatchPoints>,
    ) -> Result<Response<SearchBatchResponse>, Status> {
        Err(unserved("search_batch"))
    }
    async fn search_groups(
        &self,
        _: Request<SearchPointGroups>,
    ) -> Result<Response<SearchGroupsResponse>, Status> {
        Err(unserved("search_groups"))
    }
    async fn recommend(
        &self,
        _: Request<RecommendPoints>,
    ) -> Result<Response<RecommendResponse>, Status> {
        Err(unserved("recommend"))
    }
    async fn recommend_batch(
        &self,
        _: Request<RecommendBatchPoints>,
    ) -> Result<Response<RecommendBatchResponse>, Status> {
        Err(unserved("recommend_batch"))
    }
    async fn recommend_groups(
        &self,
        _: Request<RecommendPointGroups>,
    ) -> Result<Response<RecommendGroupsResponse>, Status> {
        Err(unserved("recommend_groups"))
    }
    async fn discover(
        &self,
        _: Request<DiscoverPoints>,
    ) -> Result<Response<DiscoverResponse>, Status> {
        Err(unserved("discover"))
    }
    async fn discover_batch(
        &self,
        _: Request<DiscoverBatchPoints>,
    ) -> Result<Response<DiscoverBatchResponse>, Status> {
        Err(unserved("discover_batch"))
    }
    async fn update_batch(
        &self,
        _: Request<UpdateBatchPoints>,
    ) -> Result<Response<UpdateBatchResponse>, Status> {
        Err(unserved("update_batch"))
    }
    async fn query_batch(
        &self,
        _: Request<QueryBatchPoints>,
    ) -> Result<Response<QueryBatchResponse>, Status> {
        Err(unserved("query_batch"))
    }
    async fn query_groups(
        &self,
        _: Request<QueryPointGroups>,
    ) -> Result<Response<QueryGroupsResponse>, Status> {
        Err(unserved("query_groups"))
    }
    async fn facet(&self, _: Request<FacetCounts>) -> Result<Response<FacetResponse>, Status> {
        Err(unserved("facet"))
    }
    async fn search_matrix_pairs(
        &self,
        _: Request<SearchMatrixPoints>,
    ) -> Result<Response<SearchMatrixPairsResponse>, Status> {
        Err(unserved("search_matrix_pairs"))
    }
    async fn search_matrix_offsets(
        &self,
        _: Request<SearchMatrixPoints>,
    ) -> Result<Response<SearchMatrixOffsetsResponse>, Status> {
        Err(unserved("search_matrix_offsets"))
    }
}
