//! What the `weft` binary shares with the benchmarks: its allocator.

pub mod alloc;
