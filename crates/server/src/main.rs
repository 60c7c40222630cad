//! `weft`: index a repository and ask its code graph questions.

mod cli;
mod target;
mod walk;

// glibc malloc spent ~18% of indexing time in chunk bookkeeping (perf, Rust corpus).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
