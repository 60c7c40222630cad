//! One allocator for Rust and for tree-sitter's C core.
//!
//! Measured with perf on the Rust corpus: glibc malloc's chunk bookkeeping
//! was ~18% of indexing time; tree-sitter allocates through its own hooks,
//! so it is pointed at mimalloc as well.
//!
//! `--features system-alloc` keeps glibc's malloc, so heap profilers that
//! hook it (heaptrack, valgrind's dhat and massif) see every allocation.

#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Route tree-sitter's allocations to mimalloc. Call first thing in `main`,
/// before any tree-sitter object exists.
pub fn install() {
    #[cfg(not(feature = "system-alloc"))]
    route_tree_sitter();
}

#[cfg(not(feature = "system-alloc"))]
fn route_tree_sitter() {
    use libmimalloc_sys::{mi_calloc, mi_free, mi_malloc, mi_realloc};
    // SAFETY: called before tree-sitter has allocated anything, so no
    // object is freed by a different allocator than the one that made it.
    unsafe {
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc: mi_malloc,
            calloc: mi_calloc,
            realloc: mi_realloc,
            free: mi_free,
        }));
    }
}
