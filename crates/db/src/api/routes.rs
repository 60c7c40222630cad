//! The read routes described once: each route's summary and parameters,
//! with their help, kind and default. The HTTP parser ([`super::parse`])
//! checks requests against it, `/v1/openapi.json` is written from it, and
//! the CLI builds its query commands from it, so the three cannot drift.

/// One route: `/v1/<name>` and the command `weft <name>`. Summaries and
/// help are sentences without their final period, as clap shows them.
pub struct Route {
    pub name: &'static str,
    /// One line for lists and the OpenAPI summary.
    pub about: &'static str,
    /// The whole help of the command, when it says more than `about`.
    pub long_about: Option<&'static str>,
    pub params: &'static [Param],
    /// Does a replica (the snapshot's tables alone) answer it? The others
    /// walk the whole graph and are the engine's alone.
    pub replica: bool,
}

impl Route {
    /// The parameters given by position on the command line, in order.
    pub fn positional(&self) -> impl Iterator<Item = &'static Param> + use<> {
        self.params.iter().filter(|p| p.positional)
    }

    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// One parameter of a route.
pub struct Param {
    /// Its name in a URL (`max_depth`); the CLI's flag is `--max-depth`.
    pub name: &'static str,
    /// How help and errors show its value (`TARGET`, `DEPTH`).
    pub value_name: &'static str,
    pub help: &'static str,
    pub kind: Kind,
    pub default: Option<&'static str>,
    /// Given by position on the command line; required unless it has a
    /// default.
    pub positional: bool,
}

/// What a parameter's value may be.
#[derive(Clone, Copy)]
pub enum Kind {
    Text,
    /// A document (a YAML rule), longer than a text may be; on the command
    /// line, the file holding it.
    Document,
    /// A whole number within these bounds.
    Number {
        min: u64,
        max: u64,
    },
    /// A symbol kind, repeatable.
    Kinds,
    /// A language, repeatable.
    Langs,
    /// On when present (`?pairs`), or `true`/`false`.
    Flag,
    /// One of these names, each with its help.
    OneOf(&'static [(&'static str, &'static str)]),
}

impl Kind {
    pub fn repeatable(self) -> bool {
        matches!(self, Kind::Kinds | Kind::Langs)
    }
}

const U32: Kind = Kind::Number {
    min: 0,
    max: u32::MAX as u64,
};

const fn pos(name: &'static str, value_name: &'static str, help: &'static str) -> Param {
    Param {
        name,
        value_name,
        help,
        kind: Kind::Text,
        default: None,
        positional: true,
    }
}

const fn opt(
    name: &'static str,
    value_name: &'static str,
    help: &'static str,
    kind: Kind,
    default: Option<&'static str>,
) -> Param {
    Param {
        name,
        value_name,
        help,
        kind,
        default,
        positional: false,
    }
}

const TARGET: Param = pos("target", "TARGET", "");
const KIND: Param = opt(
    "kind",
    "KIND",
    "Only these kinds (function, method, struct, class, enum, trait, interface, ...)",
    Kind::Kinds,
    None,
);
const LANG: Param = opt(
    "lang",
    "LANG",
    "Only these languages, by name or alias",
    Kind::Langs,
    None,
);
const PATH_GLOB: Param = opt(
    "path",
    "PATH",
    "Only files matching this glob (`*` spans directories); without a wildcard, a path prefix (`src/` means `src/*`)",
    Kind::Text,
    None,
);
const fn depth(default: &'static str) -> Param {
    opt("depth", "DEPTH", "", U32, Some(default))
}
const DOT_HELP: &str = "Graphviz's DOT text (`dot -Tsvg` draws it)";
const MERMAID_HELP: &str = "A Mermaid flowchart: pastes into a GitHub comment or Markdown file";
const BUDGET_HELP: &str = "At most this many tokens";
const TOKENIZER: Param = opt(
    "tokenizer",
    "TOKENIZER",
    "How tokens are counted",
    Kind::OneOf(&[
        ("o200k", "OpenAI's o200k_base BPE (GPT-4o and later), exact"),
        ("cl100k", "OpenAI's cl100k_base BPE (GPT-4, GPT-3.5), exact"),
        (
            "bytes",
            "An estimate with no vocabulary: one token per 4 bytes, rounded up. Packs of Rust measured 3.4-3.7 bytes per o200k token, so this undercounts by 10-15%; leave that margin in the budget",
        ),
    ]),
    Some("o200k"),
);

/// The routes of API v1 that answer a read command, in the order the CLI
/// lists them.
pub const ROUTES: &[Route] = &[
    Route {
        name: "symbols",
        about: "Find symbols by name: exact, prefix, substring, then fuzzy matches, ranked",
        long_about: None,
        params: &[
            pos("q", "QUERY", ""),
            KIND,
            LANG,
            opt(
                "path",
                "PATH",
                "Only files whose path contains this text",
                Kind::Text,
                None,
            ),
            opt(
                "limit",
                "LIMIT",
                "At most this many (0: all)",
                U32,
                Some("20"),
            ),
        ],
        replica: true,
    },
    Route {
        name: "search",
        about: "Search symbols by words (\"parse http headers\"): BM25 over each symbol's name, qualified name, signature and doc comment, cut the way code is written (parseHeader, parse_header and HTTPHeader all hold `header`). Best first, with a relevance score",
        long_about: None,
        params: &[
            pos("q", "QUERY", ""),
            KIND,
            LANG,
            PATH_GLOB,
            opt(
                "limit",
                "LIMIT",
                "At most this many (1 to 1000)",
                Kind::Number { min: 1, max: 1000 },
                Some("20"),
            ),
        ],
        replica: true,
    },
    Route {
        name: "def",
        about: "Go to definition: what the name at FILE:LINE:COL (1-based) refers to, a symbol or a parameter or local (its binding). FILE:LINE means the first name on the line",
        long_about: None,
        params: &[pos("at", "POSITION", "")],
        replica: true,
    },
    Route {
        name: "refs",
        about: "Every reference to a symbol, with its role (call, read, write, type, import, inherit); at FILE:LINE:COL on a parameter or local, its uses",
        long_about: None,
        params: &[TARGET],
        replica: true,
    },
    Route {
        name: "callers",
        about: "Who calls a function, transitively up to --depth",
        long_about: None,
        params: &[TARGET, depth("1")],
        replica: true,
    },
    Route {
        name: "callees",
        about: "What a function calls, transitively up to --depth",
        long_about: None,
        params: &[TARGET, depth("1")],
        replica: true,
    },
    Route {
        name: "impls",
        about: "Implementations, both ways: what implements/extends TARGET, and what TARGET implements/extends",
        long_about: None,
        params: &[TARGET],
        replica: true,
    },
    Route {
        name: "impact",
        about: "Everything that transitively depends on a file or symbol, with distance and the edge path",
        long_about: None,
        params: &[
            TARGET,
            depth("3"),
            opt("limit", "LIMIT", "", U32, Some("1000")),
        ],
        replica: true,
    },
    Route {
        name: "deps",
        about: "A file's imports and the files importing it (TARGET: a file, or a symbol for its file)",
        long_about: None,
        params: &[TARGET],
        replica: true,
    },
    Route {
        name: "outline",
        about: "The definitions of a file, nested",
        long_about: None,
        params: &[pos("file", "FILE", "")],
        replica: true,
    },
    Route {
        name: "stats",
        about: "Counts: files per language, symbols, edges by kind and resolution",
        long_about: None,
        params: &[],
        replica: true,
    },
    Route {
        name: "cycles",
        about: "Dependency cycles (strongly connected components), largest first",
        long_about: Some(
            "Dependency cycles (strongly connected components), largest first.

--format dot or mermaid draws them: each cycle a cluster, with the
imports that close it.

  weft cycles --level module
  weft cycles --format mermaid > cycles.mmd",
        ),
        params: &[
            opt(
                "level",
                "LEVEL",
                "",
                Kind::OneOf(&[("file", ""), ("module", "")]),
                Some("file"),
            ),
            opt(
                "format",
                "FORMAT",
                "",
                Kind::OneOf(&[
                    ("text", "A list, one cycle a line"),
                    ("dot", DOT_HELP),
                    ("mermaid", MERMAID_HELP),
                ]),
                Some("text"),
            ),
        ],
        replica: false,
    },
    Route {
        name: "graph",
        about: "Draw the graph around a symbol or file (calls, callers, impact, deps, inherits) or the whole repository's module map, as DOT, Mermaid, SVG or JSON",
        long_about: Some(
            "Draw the graph around a symbol or file, or the whole repository's
module map, as DOT, Mermaid, SVG or JSON.

Nodes are grouped by file (symbols) or folder (files); edges are
labelled with their kind, and dashed when bound by a unique name only
(heuristic). At most --limit nodes are drawn, nearest first; the
picture says how many it left out. The module map merges files into
folders until it fits.

  weft graph crate::db::Store::open                 # what it calls, 2 deep, as DOT
  weft graph handle_request --kind callers --format mermaid
  weft graph src/db.rs --kind impact --format svg > impact.svg
  weft graph --modules --path crates/ --format svg > modules.svg
  weft graph crate::run --format json               # nodes and edges, for your own tools",
        ),
        params: &[
            Param {
                name: "target",
                value_name: "TARGET",
                help: "The symbol or file to draw around (a qualified name, an id, FILE:LINE:COL or a path); not with --modules",
                kind: Kind::Text,
                default: Some(""),
                positional: true,
            },
            opt(
                "kind",
                "KIND",
                "Which edges to follow",
                Kind::OneOf(&[
                    ("auto", "Calls for a symbol, deps for a file"),
                    ("calls", "What it calls, transitively"),
                    ("callers", "Who calls it, transitively"),
                    ("impact", "What depends on it, transitively"),
                    ("deps", "A file's imports and importers, transitively"),
                    (
                        "inherits",
                        "What it implements or extends, and what implements or extends it",
                    ),
                ]),
                Some("auto"),
            ),
            opt(
                "depth",
                "DEPTH",
                "How many edges out",
                Kind::Number { min: 1, max: 64 },
                Some("2"),
            ),
            opt(
                "modules",
                "MODULES",
                "The module map of the whole repository instead: files and the files they import, merged into folders until it fits --limit",
                Kind::Flag,
                Some("false"),
            ),
            PATH_GLOB,
            opt(
                "format",
                "FORMAT",
                "",
                Kind::OneOf(&[
                    ("dot", DOT_HELP),
                    ("mermaid", MERMAID_HELP),
                    (
                        "svg",
                        "An SVG image, laid out by Graphviz's `dot` when installed, else in process",
                    ),
                    ("json", "Nodes and edges as JSON"),
                ]),
                Some("dot"),
            ),
            opt(
                "limit",
                "LIMIT",
                "At most this many nodes, nearest first",
                Kind::Number {
                    min: 1,
                    max: 10_000,
                },
                Some("80"),
            ),
        ],
        replica: false,
    },
    Route {
        name: "path",
        about: "A shortest chain of references/imports from one target to another",
        long_about: None,
        params: &[
            pos("from", "FROM", ""),
            pos("to", "TO", ""),
            opt("max_depth", "MAX_DEPTH", "", U32, Some("12")),
        ],
        replica: false,
    },
    Route {
        name: "grep",
        about: "Structural search with ast-grep patterns (`$X.unwrap()`, `isinstance($A, str)`) or YAML rules: every match with its enclosing symbol and what its names resolve to",
        long_about: Some(
            "Structural search with ast-grep patterns or YAML rules: every match
with its enclosing symbol and what its names resolve to.

A pattern is code of the language with metavariables: $X matches one
node and captures it, $$$ARGS any number of nodes, $_ one node without
capturing it; the same name twice must match the same text. Matching is
ast-grep's own (its library, on weft's grammars). The index rules out
files that lack the pattern's words before any parse; the answer is
what searching every file would find.

  weft grep '$X.unwrap()' --lang rust
  weft grep 'isinstance($A, str)' --path 'src/*' --json
  weft grep '$F($$$)' --calls crate::db::Store::open
  weft grep 'panic!($$$)' --within crate::run --depth 2
  weft grep --rule no-unwrap-in-loops.yml",
        ),
        params: &[
            Param {
                name: "pattern",
                value_name: "PATTERN",
                help: "An ast-grep pattern: code with metavariables ($X, $$$ARGS, $_)",
                kind: Kind::Text,
                default: Some(""),
                positional: true,
            },
            opt(
                "rule",
                "RULE",
                "An ast-grep rule in YAML (id, language, rule, constraints, utils), instead of a pattern; on the command line, the file holding it (--rule FILE.yml)",
                Kind::Document,
                None,
            ),
            LANG,
            PATH_GLOB,
            opt(
                "within",
                "TARGET",
                "Only matches inside TARGET and what it calls, to --depth",
                Kind::Text,
                None,
            ),
            opt(
                "impact_of",
                "TARGET",
                "Only matches in what a change to TARGET would affect, to --depth",
                Kind::Text,
                None,
            ),
            opt(
                "calls",
                "TARGET",
                "Only matches that are calls resolving to TARGET (not to a same-named symbol)",
                Kind::Text,
                None,
            ),
            opt(
                "depth",
                "DEPTH",
                "How far --within follows calls and --impact-of dependents",
                U32,
                Some("3"),
            ),
            opt(
                "context",
                "LINES",
                "Lines of context shown before and after each match",
                Kind::Number { min: 0, max: 100 },
                Some("0"),
            ),
            opt(
                "limit",
                "LIMIT",
                "At most this many matches (0: all)",
                U32,
                Some("0"),
            ),
        ],
        replica: false,
    },
    Route {
        name: "export",
        about: "JSON Lines of every symbol, reference (with resolved target and resolution), call, inheritance and import",
        long_about: None,
        params: &[
            opt(
                "pairs",
                "PAIRS",
                "Instead of records, one go-to-definition pair per reference whose target is a definition in the tree, uses of locals and parameters included: {\"ref\":{\"file\",\"line\",\"col\"},\"def\":{...},\"resolution\":...}, 0-based, the format of the accuracy scorer (docs/ACCURACY.md)",
                Kind::Flag,
                Some("false"),
            ),
            opt(
                "no_locals",
                "NO_LOCALS",
                "With --pairs: leave out uses of locals and parameters (to score against an oracle without them)",
                Kind::Flag,
                Some("false"),
            ),
        ],
        replica: false,
    },
    Route {
        name: "context",
        about: "What a language model needs to understand or edit a symbol, cut to a token budget",
        long_about: Some(
            "What a language model needs to understand or edit a symbol, cut to
a token budget.

The target's source comes first, always (cut to the lines that fit
when the budget is smaller than it). Then the symbols around it in
the graph, ranked by personalized PageRank from the target: its type
or container, members, the traits it implements, what it calls and
what calls it, the types it uses, then symbols two edges away; each
as its doc comment and signature (short types whole), grouped by how
they relate. Markdown by default; --json gives the same items with
ranks and token counts. The budget counts the Markdown.

  weft context crate::db::Store::open
  weft context src/api.rs:42:8 --budget 2000
  weft --dump repo.txt context parse_header --json",
        ),
        params: &[
            TARGET,
            opt("budget", "BUDGET", BUDGET_HELP, U32, Some("8000")),
            TOKENIZER,
        ],
        replica: false,
    },
    Route {
        name: "map",
        about: "A map of the repository for a language model: its most central symbols (PageRank over references) with their signatures, file by file, within a token budget",
        long_about: Some(
            "A map of the repository for a language model: its most central
symbols (PageRank over references) with their signatures, file by
file, within a token budget.

  weft map --budget 1000
  weft map --json",
        ),
        params: &[
            opt("budget", "BUDGET", BUDGET_HELP, U32, Some("2000")),
            TOKENIZER,
        ],
        replica: false,
    },
];

pub fn route(name: &str) -> Option<&'static Route> {
    ROUTES.iter().find(|r| r.name == name)
}
