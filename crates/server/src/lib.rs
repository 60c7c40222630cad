//! The parts of the `weft` binary that other front ends reuse.

pub mod alloc;
pub mod dump;
pub mod history;
pub mod scip;
pub mod snapshot;
pub mod tokens;
pub mod walk;
