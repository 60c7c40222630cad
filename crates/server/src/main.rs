//! `weft`: index a repository and ask its code graph questions.

mod answers;
mod change_cli;
mod cli;
mod dense_cli;
mod serve;
mod target;

fn main() -> std::process::ExitCode {
    weft::alloc::install();
    cli::main()
}
