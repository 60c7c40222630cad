//! The words a file must hold for a pattern or rule to match in it, so an
//! index of each file's words ([`weft_db::word_filter`]) rules files out
//! before any parse.
//!
//! Sound, not clever: a word is required only where ast-grep's matcher
//! must find it. That is a named leaf of the pattern (compared by text)
//! whose text is one whole word (so the file holds it as a word: a lexer
//! cannot run an identifier into a neighbouring word), of a kind that is
//! not part of a string, comment or other text run (`"\nfoo"` is an
//! escape beside a `foo` the file's words hold only as `nfoo`). And a
//! keyword: an unnamed leaf is matched by kind, and a keyword's kind is
//! its text; but the `smart` strictness (the default) skips unnamed leaves
//! right after a `$$$`, and `ast` and `relaxed` skip them all. Strictness
//! `signature` compares no text and `template` no kinds: they need nothing.

use ast_grep_core::MatchStrictness;
use ast_grep_core::matcher::{Pattern, PatternNode};
use ast_grep_core::meta_var::MetaVariable;
use serde_json::Value;
use weft_db::word_filter::is_word_char;

use crate::lang::SgLang;

/// What a file must hold: words, combined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Need {
    /// Nothing is known: every file of the language is a candidate.
    Nothing,
    /// This word, lowercase.
    Word(String),
    All(Vec<Need>),
    OneOf(Vec<Need>),
}

impl Need {
    pub fn all(parts: impl IntoIterator<Item = Need>) -> Need {
        let mut v: Vec<Need> = Vec::new();
        for p in parts {
            match p {
                Need::Nothing => {}
                Need::All(inner) => v.extend(inner),
                p if !v.contains(&p) => v.push(p),
                _ => {}
            }
        }
        match v.len() {
            0 => Need::Nothing,
            1 => v.pop().unwrap(),
            _ => Need::All(v),
        }
    }

    pub fn one_of(parts: impl IntoIterator<Item = Need>) -> Need {
        let mut v: Vec<Need> = Vec::new();
        for p in parts {
            match p {
                Need::Nothing => return Need::Nothing,
                Need::OneOf(inner) => v.extend(inner),
                p if !v.contains(&p) => v.push(p),
                _ => {}
            }
        }
        match v.len() {
            0 => Need::Nothing,
            1 => v.pop().unwrap(),
            _ => Need::OneOf(v),
        }
    }

    /// Does a file holding the words `has` says it holds meet it?
    pub fn met_by(&self, has: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Need::Nothing => true,
            Need::Word(w) => has(w),
            Need::All(v) => v.iter().all(|n| n.met_by(has)),
            Need::OneOf(v) => v.iter().any(|n| n.met_by(has)),
        }
    }
}

impl std::fmt::Display for Need {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |f: &mut std::fmt::Formatter<'_>, v: &[Need], sep: &str| {
            let parts: Vec<String> = v.iter().map(|n| n.to_string()).collect();
            write!(f, "({})", parts.join(sep))
        };
        match self {
            Need::Nothing => write!(f, "*"),
            Need::Word(w) => write!(f, "{w}"),
            Need::All(v) => list(f, v, " & "),
            Need::OneOf(v) => list(f, v, " | "),
        }
    }
}

/// The words a compiled pattern needs.
pub fn of_pattern(p: &Pattern, lang: &SgLang) -> Need {
    if matches!(
        p.strictness,
        MatchStrictness::Signature | MatchStrictness::Template
    ) {
        return Need::Nothing;
    }
    let keywords = matches!(p.strictness, MatchStrictness::Smart | MatchStrictness::Cst);
    let mut words = Vec::new();
    collect(&p.node, lang, keywords, &mut words);
    Need::all(words.into_iter().map(Need::Word))
}

fn collect(n: &PatternNode, lang: &SgLang, keywords: bool, out: &mut Vec<String>) {
    let word = |text: &str| !text.is_empty() && text.chars().all(is_word_char);
    match n {
        PatternNode::MetaVar { .. } => {}
        PatternNode::Terminal {
            text,
            is_named,
            kind_id,
        } => {
            let kind = lang.ts().node_kind_for_id(*kind_id).unwrap_or("ERROR");
            let needed = match is_named {
                true => !runs_into_text(kind),
                // a keyword, not an alias whose text may differ from its kind
                false => keywords && kind.eq_ignore_ascii_case(text),
            };
            if needed && word(text) {
                out.push(text.to_lowercase());
            }
        }
        PatternNode::Internal { children, .. } => {
            let mut after_ellipsis = false;
            for c in children {
                match c {
                    PatternNode::MetaVar {
                        meta_var: MetaVariable::Multiple | MetaVariable::MultiCapture(_),
                    } => after_ellipsis = true,
                    PatternNode::Terminal {
                        is_named: false, ..
                    } if after_ellipsis => {}
                    _ => {
                        after_ellipsis = false;
                        collect(c, lang, keywords, out);
                    }
                }
            }
        }
    }
}

/// Kinds whose text may sit right beside other word characters: pieces of
/// strings, comments, numbers, regexes, heredocs; and errors, which match
/// any kind.
fn runs_into_text(kind: &str) -> bool {
    const TEXTUAL: &[&str] = &[
        "str", "escape", "content", "fragment", "heredoc", "char", "regex", "text", "comment",
        "literal", "number", "integer", "float", "ERROR",
    ];
    TEXTUAL.iter().any(|t| kind.contains(t))
}

/// The words an ast-grep rule (its `rule:` object, as YAML makes it)
/// needs: a pattern's words; `all` and the relations (`inside`, `has`,
/// `precedes`, `follows`: what they relate to is in the file too) need all
/// of theirs; `any` one of its parts'; `not`, `kind`, `regex`, `matches`
/// and the rest nothing.
pub fn of_rule(rule: &Value, lang: &SgLang) -> Need {
    let Some(obj) = rule.as_object() else {
        return Need::Nothing;
    };
    let list = |v: &Value| -> Vec<Need> {
        v.as_array()
            .map(|a| a.iter().map(|r| of_rule(r, lang)).collect())
            .unwrap_or_default()
    };
    Need::all(obj.iter().map(|(key, v)| match key.as_str() {
        "pattern" => pattern_value(v, lang),
        "inside" | "has" | "precedes" | "follows" => of_rule(v, lang),
        "all" => Need::all(list(v)),
        "any" => Need::one_of(list(v)),
        _ => Need::Nothing,
    }))
}

/// A rule's `pattern:`, a string or `{context, selector, strictness}`.
fn pattern_value(v: &Value, lang: &SgLang) -> Need {
    let compiled = match v {
        Value::String(s) => Pattern::try_new(s, lang.clone()).ok(),
        Value::Object(o) => {
            let context = o.get("context").and_then(Value::as_str).unwrap_or("");
            let p = match o.get("selector").and_then(Value::as_str) {
                Some(sel) => Pattern::contextual(context, sel, lang.clone()),
                None => Pattern::try_new(context, lang.clone()),
            };
            match o.get("strictness").and_then(Value::as_str) {
                // a strictness that compares no text (or no kinds) needs nothing
                Some("signature" | "template") => None,
                _ => p.ok(),
            }
        }
        _ => None,
    };
    compiled.map_or(Need::Nothing, |p| of_pattern(&p, lang))
}
