//! The read questions as commands, built from the routes' description in
//! `weft_db::api::routes`: each route is a subcommand, each parameter an
//! argument (positional, or `--name`), with the same help and defaults the
//! HTTP API documents. The matches go back through `weft_db::api::parse`,
//! so the CLI and the server accept exactly the same questions.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::error::ErrorKind;
use clap::{Arg, ArgAction, ArgMatches};
use weft_db::api::routes::{Kind, Param, Route, route};
use weft_db::api::{self, Query, ROUTES};

/// A read question, and where the command line wants it written.
#[derive(Debug)]
pub struct QueryCmd {
    pub query: Query,
    /// The route and the `name=value` pairs it was parsed from (what a
    /// daemon is sent).
    pub route: &'static str,
    pub params: Vec<(String, String)>,
    /// `export --output FILE`: instead of standard output.
    pub output: Option<PathBuf>,
    /// `export --scip FILE`: the graph as a SCIP index.
    pub scip: Option<PathBuf>,
}

fn arg(p: &Param, index: usize) -> Arg {
    let mut a = Arg::new(p.name).value_name(p.value_name);
    if matches!(p.kind, Kind::Langs) {
        let langs = weft_queries::languages::all().all();
        let names: Vec<&str> = langs.iter().map(|l| l.name).collect();
        a = a.help(format!("{} (one of: {})", p.help, names.join(", ")));
    } else if !p.help.is_empty() {
        a = a.help(p.help);
    }
    if p.positional {
        return a.index(index).required(p.default.is_none());
    }
    a = a.long(p.name.replace('_', "-"));
    if let Some(d) = p.default
        && !matches!(p.kind, Kind::Flag)
    {
        a = a.default_value(d);
    }
    match p.kind {
        Kind::Text => a,
        Kind::Document => a.value_parser(clap::value_parser!(PathBuf)),
        Kind::Number { min, max } => a.value_parser(
            clap::value_parser!(u32)
                .range(i64::try_from(min).unwrap_or(0)..=i64::try_from(max).unwrap_or(i64::MAX)),
        ),
        Kind::Kinds => a
            .action(ArgAction::Append)
            .value_parser(|s: &str| api::parse_kind(s).map(|_| s.to_string())),
        Kind::Langs => a
            .action(ArgAction::Append)
            .value_parser(|s: &str| api::parse_lang(s).map(|_| s.to_string())),
        Kind::Flag => a.action(ArgAction::SetTrue),
        Kind::OneOf(values) => a.value_parser(PossibleValuesParser::new(values.iter().map(
            |(n, h)| match h.is_empty() {
                true => PossibleValue::new(*n),
                false => PossibleValue::new(*n).help(*h),
            },
        ))),
    }
}

fn command(r: &Route) -> clap::Command {
    let mut c = clap::Command::new(r.name).about(r.about);
    if let Some(long) = r.long_about {
        c = c.long_about(long);
    }
    let mut index = 0;
    for p in r.params {
        if p.positional {
            index += 1;
        }
        c = c.arg(arg(p, index));
    }
    if r.name == "export" {
        // what only a command line can do with an export: write files
        c = c
            .arg(
                Arg::new("output")
                    .long("output")
                    .short('o')
                    .value_name("OUTPUT")
                    .value_parser(clap::value_parser!(PathBuf))
                    .help("Write to this file instead of standard output"),
            )
            .arg(
                Arg::new("scip")
                    .long("scip")
                    .value_name("FILE")
                    .value_parser(clap::value_parser!(PathBuf))
                    .conflicts_with("pairs")
                    .help("Write the graph as a SCIP index (binary) to FILE, for Sourcegraph's tools: definitions, and the `scoped`, `compiler` and `external` references (`heuristic` ones are left out)"),
            );
    }
    c
}

impl clap::FromArgMatches for QueryCmd {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let Some((name, sub)) = m.subcommand() else {
            return Err(clap::Error::raw(ErrorKind::MissingSubcommand, "no command"));
        };
        let Some(r) = route(name) else {
            return Err(clap::Error::raw(
                ErrorKind::InvalidSubcommand,
                format!("no command `{name}`"),
            ));
        };
        let mut params = Vec::new();
        for p in r.params {
            if matches!(p.kind, Kind::Flag) {
                if sub.get_flag(p.name) {
                    params.push((p.name.to_string(), String::new()));
                }
                continue;
            }
            for v in sub.get_raw(p.name).into_iter().flatten() {
                let v = match p.kind {
                    // what the server is sent is the document, not its path
                    Kind::Document => std::fs::read_to_string(v).map_err(|e| {
                        clap::Error::raw(
                            ErrorKind::Io,
                            format!("cannot read {} `{}`: {e}", p.name, v.to_string_lossy()),
                        )
                    })?,
                    _ => v.to_string_lossy().into_owned(),
                };
                params.push((p.name.to_string(), v));
            }
        }
        let query = api::parse(name, &params)
            .map_err(|e| clap::Error::raw(ErrorKind::ValueValidation, e.message()))?;
        let file = |id: &str| sub.try_get_one::<PathBuf>(id).ok().flatten().cloned();
        Ok(QueryCmd {
            query,
            route: r.name,
            params,
            output: file("output"),
            scip: file("scip"),
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl clap::Subcommand for QueryCmd {
    fn augment_subcommands(cmd: clap::Command) -> clap::Command {
        cmd.subcommands(ROUTES.iter().map(command))
    }

    fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_subcommands(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        route(name).is_some()
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use crate::args::{Cli, Command};

    fn parse(argv: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("weft").chain(argv.iter().copied()))
    }

    #[test]
    fn every_route_is_a_command() {
        let cmd = Cli::command();
        for r in weft_db::api::ROUTES {
            let sub = cmd
                .find_subcommand(r.name)
                .unwrap_or_else(|| panic!("no command {}", r.name));
            assert_eq!(
                sub.get_about().map(|s| s.to_string()).as_deref(),
                Some(r.about)
            );
        }
    }

    #[test]
    fn arguments_become_the_query_the_server_parses() {
        let Command::Query(q) = parse(&["callers", "a::b", "--depth", "2"]).unwrap().command else {
            panic!("not a query")
        };
        assert_eq!(
            q.query,
            weft_db::api::Query::Callers {
                target: "a::b".into(),
                depth: 2
            }
        );
        let Command::Query(q) = parse(&["path", "a", "b", "--max-depth", "3"])
            .unwrap()
            .command
        else {
            panic!("not a query")
        };
        assert_eq!(
            q.query,
            weft_db::api::Query::Path {
                from: "a".into(),
                to: "b".into(),
                max_depth: 3
            }
        );
        let Command::Query(q) = parse(&["export", "--pairs", "-o", "x.jsonl"])
            .unwrap()
            .command
        else {
            panic!("not a query")
        };
        assert_eq!(
            q.query,
            weft_db::api::Query::Export {
                pairs: true,
                locals: true
            }
        );
        assert_eq!(q.output.as_deref(), Some(std::path::Path::new("x.jsonl")));
        let e = parse(&["callers", "x", "--depth", "abc"])
            .err()
            .expect("a bad depth");
        assert_eq!(e.kind(), clap::error::ErrorKind::ValueValidation);
        assert!(parse(&["export", "--pairs", "--scip", "x"]).is_err());
        assert!(parse(&["symbols", "x", "--lang", "cobol"]).is_err());
    }
}
