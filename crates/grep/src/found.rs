//! What a match is: its node, what its metavariables captured, and where
//! a reference in each would sit (so the graph can say what it resolves to).

use std::cell::RefCell;
use std::ops::Range;

use ast_grep_core::meta_var::MetaVariable;
use ast_grep_core::tree_sitter::StrDoc;
use ast_grep_core::{Doc, NodeMatch};
use weft_db::word_filter::is_word_char;
use weft_db::{Pos, Span};

use crate::lang::SgLang;

/// A file that could not be searched.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Skipped {
    #[error("parsing took longer than {0} ms")]
    SlowParse(u128),
}

/// A node of a match: the matched node, or one a metavariable captured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub bytes: Range<usize>,
    /// 0-based lines, UTF-8 byte columns (weft's positions).
    pub span: Span,
    pub text: String,
    /// Where the name a reference here would be about is: the node itself
    /// when it is one word; for a call, its callee's last name (the last
    /// word outside its arguments, closures and bodies).
    pub head: Option<Span>,
}

/// What one metavariable captured: `$X` one node, `$$$X` a run of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Capture {
    One(Node),
    Many(Vec<Node>),
}

/// One match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub node: Node,
    /// By metavariable name, sorted.
    pub captures: Vec<(String, Capture)>,
    /// The id of the rule that matched, for a rule search.
    pub rule: Option<String>,
}

type Sg<'t> = ast_grep_core::Node<'t, StrDoc<SgLang>>;

impl Found {
    pub(crate) fn new(m: &NodeMatch<'_, StrDoc<SgLang>>, rule: Option<&String>) -> Found {
        let env = m.get_env();
        let mut captures: Vec<(String, Capture)> = env
            .get_matched_variables()
            .filter_map(|v| match v {
                MetaVariable::Capture(name, _) => {
                    let n = env.get_match(&name)?;
                    Some((name, Capture::One(node(n))))
                }
                MetaVariable::MultiCapture(name) => {
                    // the nodes, without the commas between them
                    let nodes = env.get_multiple_matches(&name);
                    let named = nodes.iter().filter(|n| n.is_named()).map(node);
                    Some((name, Capture::Many(named.collect())))
                }
                _ => None,
            })
            .collect();
        captures.sort_by(|a, b| a.0.cmp(&b.0));
        captures.dedup_by(|a, b| a.0 == b.0);
        Found {
            node: node(m.get_node()),
            captures,
            rule: rule.cloned(),
        }
    }
}

fn node(n: &Sg<'_>) -> Node {
    let inner = n.get_inner_node();
    Node {
        bytes: n.range(),
        span: span_of(&inner),
        text: n.text().into_owned(),
        head: head(inner, n.get_doc().get_source()).map(|h| span_of(&h)),
    }
}

fn span_of(n: &tree_sitter::Node) -> Span {
    let p = |p: tree_sitter::Point| Pos {
        line: p.row as u32,
        col: p.column as u32,
    };
    Span {
        start: p(n.start_position()),
        end: p(n.end_position()),
    }
}

/// The last one-word named leaf outside arguments, closures and bodies.
fn head<'t>(n: tree_sitter::Node<'t>, src: &str) -> Option<tree_sitter::Node<'t>> {
    const APART: &[&str] = &[
        "argument",
        "lambda",
        "closure",
        "block",
        "body",
        "token_tree",
        "parameter",
        "template",
    ];
    if n.named_child_count() == 0 {
        let text = src.get(n.byte_range())?;
        return (n.is_named() && !text.is_empty() && text.chars().all(is_word_char)).then_some(n);
    }
    let mut cursor = n.walk();
    let children: Vec<_> = n.named_children(&mut cursor).collect();
    children
        .into_iter()
        .rev()
        .filter(|c| !APART.iter().any(|a| c.kind().contains(a)))
        .find_map(|c| head(c, src))
}

thread_local! {
    static PARSER: RefCell<tree_sitter::Parser> = RefCell::new(tree_sitter::Parser::new());
}

/// Parse a file within the time the indexer gives a file of its size.
pub(crate) fn parse(text: &str, lang: &SgLang) -> Result<StrDoc<SgLang>, Skipped> {
    let budget = weft_queries::extract::budget(text.len());
    let tree = PARSER.with(|p| {
        let mut p = p.borrow_mut();
        p.set_language(lang.ts()).ok()?;
        p.reset();
        weft_queries::extract::parse_within(&mut p, text, budget).ok()
    });
    let tree = tree.ok_or(Skipped::SlowParse(budget.as_millis()))?;
    Ok(StrDoc {
        src: text.to_string(),
        lang: lang.clone(),
        tree,
    })
}
