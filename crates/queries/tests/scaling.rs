//! No file shape makes indexing quadratic: for each language, the same
//! generator at two sizes, four times apart, must cost well under sixteen
//! times as much (what a quadratic path costs) — at most eight. A ratio in
//! one run, not an absolute time: the machines are shared and noisy, so
//! each size is timed three times and the fastest kept.
//!
//! The shapes are the ones that were quadratic (issue 30): deep nesting of
//! definitions, modules, calls and blocks, thousands of definitions and
//! impl blocks in one file. (A long run of comments after a Python
//! definition is quadratic in tree-sitter-python's own scanner; the parse
//! budget bounds it, see `bad_input.rs`.)

use std::time::{Duration, Instant};

use weft_queries::db::all_files;
use weft_queries::resolve::resolve_file;
use weft_queries::{AnalysisHost, Change};

/// Index one file and resolve everything: the fastest of three runs.
fn index_time(path: &str, text: &str) -> Duration {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            let mut h = AnalysisHost::new();
            let mut c = Change::default();
            c.set_file(path, text);
            h.apply_change(c);
            h.analysis()
                .with_db(|db| {
                    for f in all_files(db) {
                        resolve_file(db, f);
                    }
                    weft_queries::export::all_records(db).count()
                })
                .unwrap();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn nested(open: &str, close: &str, n: usize) -> String {
    format!("{}{}\n", open.repeat(n), close.repeat(n))
}

fn many(each: impl Fn(usize) -> String, n: usize) -> String {
    (0..n).map(each).collect()
}

type Shape = (&'static str, &'static str, fn(usize) -> String, usize);

const SHAPES: &[Shape] = &[
    (
        "rust nested fns",
        "a.rs",
        |n| nested("fn f() { ", "}", n),
        1_500,
    ),
    (
        "rust nested mods",
        "a.rs",
        |n| nested("mod m { ", "}", n),
        1_500,
    ),
    (
        "rust nested calls",
        "a.rs",
        |n| {
            format!(
                "fn f(x: u32) -> u32 {{ x }}\nfn g() -> u32 {{ {}1{} }}\n",
                "f(".repeat(n),
                ")".repeat(n)
            )
        },
        2_000,
    ),
    (
        "rust impl blocks",
        "a.rs",
        |n| {
            many(
                |i| {
                    format!(
                        "pub struct S{i};\nimpl S{i} {{\n    pub fn f(&self) -> u32 {{ {i} }}\n}}\n"
                    )
                },
                n,
            )
        },
        1_500,
    ),
    (
        "python functions",
        "a.py",
        |n| many(|i| format!("def f{i}():\n    return f{}()\n\n", i + 1), n),
        3_000,
    ),
    (
        "python nested calls",
        "a.py",
        |n| format!("x = {}1{}\n", "f(".repeat(n), ")".repeat(n)),
        2_000,
    ),
    (
        "typescript nested classes",
        "a.ts",
        |n| nested("class C { m() { ", "}}", n),
        800,
    ),
    (
        "typescript nested namespaces",
        "a.ts",
        |n| nested("namespace N { ", "}", n),
        1_500,
    ),
    (
        "typescript functions",
        "a.ts",
        |n| {
            many(
                |i| {
                    format!(
                        "export function f{i}(): number {{ return f{}(); }}\n",
                        i + 1
                    )
                },
                n,
            )
        },
        3_000,
    ),
    (
        "javascript nested functions",
        "a.js",
        |n| nested("function f() { ", "}", n),
        1_500,
    ),
    (
        "go nested closures",
        "a.go",
        |n| {
            format!(
                "package p\nfunc F() {{\n{}}}\n",
                nested("func() { ", "}()", n)
            )
        },
        1_500,
    ),
    (
        "go functions",
        "a.go",
        |n| {
            format!(
                "package p\n{}",
                many(
                    |i| format!("func F{i}() int {{ return F{}() }}\n", i + 1),
                    n
                )
            )
        },
        3_000,
    ),
];

#[test]
fn four_times_the_input_costs_at_most_eight_times_the_time() {
    let mut report = Vec::new();
    let mut failed = false;
    for (name, path, shape, n) in SHAPES {
        let small = index_time(path, &shape(*n));
        let large = index_time(path, &shape(4 * n));
        let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
        failed |= ratio > 8.0;
        report.push(format!("{name}: {small:.2?} -> {large:.2?} (x{ratio:.1})"));
    }
    eprintln!("{}", report.join("\n"));
    assert!(
        !failed,
        "a shape scales worse than linear:\n{}",
        report.join("\n")
    );
}
