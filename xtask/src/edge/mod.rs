//! The edge replica (crates/wasm) as a Cloudflare Worker: `cargo xtask wasm`
//! builds it, `cargo xtask edge-test` holds it to `weft serve`'s answers and
//! `cargo xtask bench --edge` times it, both in local workerd over D1.
//!
//! - `build`: the toolchain (Debian's rustc-web, wasm-bindgen-cli, npm) and
//!   the Worker bundle in crates/wasm/build/.
//! - `workerd`: local servers (`wrangler dev`, `weft serve`), D1 loads and
//!   the HTTP client that queries them.
//! - `contract`: `cargo xtask edge-test`, the contract diffed against
//!   `weft serve`.
//! - `bench`: `cargo xtask bench --edge`.

use std::path::PathBuf;

use crate::root;

mod bench;
mod build;
mod contract;
mod workerd;

pub use bench::bench;
pub use build::{ensure_debian_rust, wasm};
pub use contract::edge_test;

fn crate_dir() -> PathBuf {
    root().join("crates/wasm")
}
