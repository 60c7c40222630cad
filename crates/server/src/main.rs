//! `weft`: index a repository and ask its code graph questions.

mod cli;
mod target;
mod walk;

fn main() -> std::process::ExitCode {
    cli::main()
}
