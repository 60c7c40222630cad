//! `weft context` and `weft map`: deterministic, within the budget, and the
//! target always in the pack.

mod common;

use common::*;
use serde_json::Value;

fn json_of(o: &std::process::Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_str(&stdout(o)).unwrap()
}

/// Arguments for the pack of `Cart::sum` within `budget`, from memory.
fn sum_pack(budget: usize, json: bool) -> Vec<&'static str> {
    let budget: &'static str = budget.to_string().leak();
    let mut args = vec![
        "--no-write",
        "context",
        "crate::cart::Cart::sum",
        "--budget",
        budget,
    ];
    if json {
        args.insert(1, "--json");
    }
    args
}

/// Tokens as the budget counts them, recounted here.
fn o200k(s: &str) -> usize {
    tiktoken_rs::o200k_base_singleton().encode_ordinary(s).len()
}

#[test]
fn a_pack_holds_the_target_source_then_its_neighbours_by_relation() {
    let d = repo();
    let o = weft(
        d.path(),
        &["--no-write", "context", "crate::cart::Cart::sum"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    let section = |h: &str| {
        let start = md
            .find(&format!("\n## {h}\n"))
            .unwrap_or_else(|| panic!("no {h} in\n{md}"));
        let rest = &md[start + h.len() + 5..];
        rest[..rest.find("\n## ").unwrap_or(rest.len())].to_string()
    };
    assert!(
        section("Target").contains("        total(&self.items)\n"),
        "{md}"
    );
    assert!(section("Defined in").contains("pub struct Cart { pub items: Vec<u32> }"));
    assert!(section("Calls").contains("`shop::price::total` function `src/price.rs:1`"));
    assert!(section("Calls").contains("pub fn total(xs: &[u32]) -> u32"));
    assert!(section("Called by").contains("`shop::cart::checkout`"));

    // Python: the method's class, and the inherited method it calls.
    let v = json_of(&weft(
        d.path(),
        &["--no-write", "--json", "context", "app.models.Order.place"],
    ));
    assert_eq!(
        v["target"]["text"],
        "    def place(self):\n        self.save()"
    );
    let rel = |name: &str| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == name)
            .map(|i| i["relation"].as_str().unwrap().to_string())
    };
    assert_eq!(rel("app.models.Order").as_deref(), Some("container"));
    assert_eq!(rel("app.models.Base.save").as_deref(), Some("calls"));

    // A file is not a symbol; an unknown name says so.
    let o = weft(d.path(), &["--no-write", "context", "src/cart.rs"]);
    assert!(stderr(&o).contains("is a file"), "{}", stderr(&o));
    let o = weft(d.path(), &["--no-write", "context", "nothing_here"]);
    assert!(!o.status.success());
}

#[test]
fn output_is_the_same_on_every_run_from_memory_or_from_the_snapshot() {
    let d = repo();
    let args = ["context", "crate::cart::Cart", "--json"];
    let memory = stdout(&weft(d.path(), &[&["--no-write"][..], &args[..]].concat()));
    assert!(weft(d.path(), &["index"]).status.success());
    let first = stdout(&weft(d.path(), &args));
    let second = stdout(&weft(d.path(), &args));
    assert!(first.contains("\"relation\":\"member\""), "{first}");
    assert_eq!(first, second);
    assert_eq!(first, memory);
    let map = |_| stdout(&weft(d.path(), &["map", "--budget", "60"]));
    assert_eq!(map(0), map(1));
}

#[test]
fn every_budget_is_respected_and_the_target_is_always_there() {
    let d = repo();
    let mut last_items = 0;
    for budget in [1, 30, 60, 90, 120, 200, 400, 2000] {
        let md = stdout(&weft(d.path(), &sum_pack(budget, false)));
        assert!(md.contains("# Context for `shop::cart::Cart::sum`"), "{md}");
        assert!(md.contains("pub fn sum(&self) -> u32"), "{budget}: {md}");
        let v = json_of(&weft(d.path(), &sum_pack(budget, true)));
        let items = v["items"].as_array().unwrap().len();
        assert_eq!(v["tokens"].as_u64().unwrap() as usize, o200k(&md));
        // Only a budget too small for the header and the target's first
        // line is exceeded, by exactly those.
        if o200k(&md) > budget {
            assert_eq!(items, 0);
            let text = v["target"]["text"].as_str().unwrap();
            assert_eq!(text.lines().count(), 2, "{text}");
            assert!(text.ends_with("// … 2 more lines"), "{text}");
        }
        assert!(items >= last_items, "a larger budget never shows less");
        last_items = items;
    }
    assert_eq!(last_items, 4, "with room, every neighbour is shown");

    // The byte estimate is checked against its own definition.
    let o = weft(
        d.path(),
        &[
            "--no-write",
            "context",
            "crate::cart::checkout",
            "--budget",
            "100",
            "--tokenizer",
            "bytes",
        ],
    );
    assert!(stdout(&o).len().div_ceil(4) <= 100, "{}", stdout(&o));
}

#[test]
fn a_map_ranks_the_most_used_symbols_first_and_fits_its_budget() {
    let d = repo();
    let full = json_of(&weft(d.path(), &["--no-write", "--json", "map"]));
    let shown = full["shown"].as_u64().unwrap();
    assert_eq!(shown, full["ranked"].as_u64().unwrap(), "{full}");
    let paths: Vec<&str> = full["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);

    for budget in [5, 15, 30, 60] {
        let b = budget.to_string();
        let text = stdout(&weft(d.path(), &["--no-write", "map", "--budget", &b]));
        assert!(o200k(&text) <= budget, "{budget}: {text}");
    }
    // What is referred to outranks what nothing refers to, and a small map
    // starts with the best.
    let score = |name: &str| {
        full["files"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| f["symbols"].as_array().unwrap())
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("{name} not in {full}"))["score"]
            .as_f64()
            .unwrap()
    };
    assert!(score("Cart") > score("checkout"));
    assert!(score("total") > score("checkout"));
    assert!(score("Base") > score("Order"));
    let small = stdout(&weft(d.path(), &["--no-write", "map", "--budget", "15"]));
    assert!(small.contains("function a()"), "{small}");
    assert!(!small.contains("checkout"), "{small}");
}

#[test]
fn the_server_answers_context_and_map_like_the_command_line() {
    let d = repo();
    let cli = json_of(&weft(d.path(), &sum_pack(300, true)));
    let s = common::server::start(d.path(), &[], &[]);
    let (status, v) = common::server::get(
        &s.addr,
        "/v1/context?target=crate::cart::Cart::sum&budget=300",
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["result"], cli);
    let (status, v) = common::server::get(&s.addr, "/v1/map?budget=40&tokenizer=bytes");
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["result"]["tokenizer"], "bytes/4");
    assert!(v["result"]["tokens"].as_u64().unwrap() <= 40, "{v}");
    let (status, v) = common::server::get(&s.addr, "/v1/context?target=src/cart.rs");
    assert_eq!(status, 400, "{v}");
    let (status, _) = common::server::get(&s.addr, "/v1/context");
    assert_eq!(status, 400);
}
