//! `weft`: index a repository and ask its code graph questions.
//!
//! The binary parses the command line ([`args`], [`query_cmd`]), opens the
//! repository ([`open`]), asks `weft_ide` and prints the answer
//! (`weft_ide::text`); `weft serve`, `weft mcp` and `weft lsp` run
//! `weft_server`.

mod args;
mod change_cli;
mod daemon_cli;
mod live_cli;
mod open;
mod query_cmd;
mod run;
mod snapshot_cmd;

fn main() -> std::process::ExitCode {
    weft::alloc::install();
    run::main()
}
