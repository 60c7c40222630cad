//! What a question gets back: plain values, printed by the CLI as text or
//! JSON and sent by the server as JSON or postcard.

use serde_json::json;
use weft_db::api::Tokenizer;
use weft_db::api::answer::{
    Callees, Definition, Deps, GrepMatch, GrepStats, Impls, NodeJson, References, SearchHit, Stats,
    Walked,
};
use weft_db::rows::DefinitionPair;
use weft_db::{Record, Resolution, SymbolRecord};
use weft_queries::context::{Pack, RepoMap};

use crate::picture::Drawn;

/// The answer to a [`weft_db::api::Query`].
pub enum Answer {
    Symbols(Vec<SymbolRecord>),
    Search(Vec<SearchHit>),
    Definition(Definition),
    References(References),
    Walked(Walked),
    Callees(Callees),
    Impls(Impls),
    Deps(Deps),
    Outline(Vec<SymbolRecord>),
    Stats(Stats),
    /// A shortest path, `None` when there is none within the depth.
    Path {
        path: Option<Vec<NodeJson>>,
        /// `heuristic` when a link is bound by a unique name only.
        resolution: &'static str,
    },
    Cycles(Vec<Vec<String>>),
    /// `export`: every record of the graph.
    Records(Vec<Record>),
    /// `export --pairs`: one go-to-definition pair per reference.
    Pairs(Vec<DefinitionPair>),
    Context(Box<Pack>, Tokenizer),
    /// `grep`: the matches, and how the search went.
    Grep(Vec<GrepMatch>, GrepStats),
    Map(RepoMap, Tokenizer),
    /// `graph`, `cycles --format`: a picture and its drawing.
    Picture(Box<Drawn>),
}

impl Answer {
    /// As JSON documents: one, or one per item for the listings (the
    /// routes for which `weft_db::api::is_listing` holds).
    pub fn docs(&self) -> Vec<Vec<u8>> {
        fn one<T: serde::Serialize>(v: &T) -> Vec<Vec<u8>> {
            vec![serde_json::to_vec(v).expect("answers serialize")]
        }
        fn each<T: serde::Serialize>(v: &[T]) -> Vec<Vec<u8>> {
            v.iter()
                .map(|x| serde_json::to_vec(x).expect("answers serialize"))
                .collect()
        }
        // A budgeted answer names the tokenizer its budget was counted with.
        fn budgeted<T: serde::Serialize>(v: &T, t: Tokenizer) -> Vec<Vec<u8>> {
            let mut v = serde_json::to_value(v).expect("answers serialize");
            v["tokenizer"] = t.name().into();
            one(&v)
        }
        match self {
            Answer::Symbols(v) | Answer::Outline(v) => each(v),
            Answer::Search(v) => each(v),
            Answer::Definition(d) => one(d),
            Answer::References(r) => one(r),
            Answer::Walked(w) => one(w),
            Answer::Callees(c) => one(c),
            Answer::Impls(i) => one(i),
            Answer::Deps(d) => one(d),
            Answer::Stats(s) => one(s),
            // (through a Value: its keys come out sorted, as they always have)
            Answer::Path {
                path: Some(p),
                resolution,
            } => one(&json!({"path": p, "resolution": resolution})),
            Answer::Path { path: None, .. } => one(&json!({"path": null})),
            Answer::Cycles(c) => one(&json!({"cycles": c})),
            Answer::Records(r) => each(r),
            Answer::Pairs(p) => each(p),
            Answer::Context(p, t) => budgeted(p, *t),
            Answer::Grep(m, _) => each(m),
            Answer::Map(m, t) => budgeted(m, *t),
            Answer::Picture(d) => {
                let mut v = serde_json::to_value(&d.picture).expect("answers serialize");
                v["format"] = d.format_name().into();
                if let Some(text) = &d.text {
                    v["text"] = text.as_str().into();
                }
                one(&v)
            }
        }
    }

    /// Did the question find what it asked for? (An unresolved name, no
    /// matching symbol or no path is an answer, but the CLI exits 1.)
    pub fn found(&self) -> bool {
        match self {
            Answer::Symbols(v) => !v.is_empty(),
            Answer::Search(v) => !v.is_empty(),
            Answer::Grep(v, _) => !v.is_empty(),
            Answer::Definition(d) => d.resolution != Resolution::Unresolved,
            Answer::Path { path, .. } => path.is_some(),
            _ => true,
        }
    }
}
