//! The README's embedding example, kept honest.

use weft_queries::{AnalysisHost, Change, graph, symbols};

#[test]
fn readme_example() {
    let mut host = AnalysisHost::new();
    let mut change = Change::default();
    change.set_manifest("Cargo.toml", "[package]\nname = \"demo\"\n");
    change.set_file(
        "src/lib.rs",
        "pub fn hello() {}\npub fn main() { hello(); }\n",
    );
    host.apply_change(change);

    let analysis = host.analysis();
    let callers = analysis.with_db(|db| {
        let hello = symbols::by_qualified_name(db, "demo::hello")[0];
        graph::direct_callers(db, hello).len()
    });
    assert_eq!(callers.unwrap(), 1);
}
