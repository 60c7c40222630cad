//! Structural search: ast-grep's pattern language (`$X`, `$$$ARGS`, `$_`)
//! and its YAML rules, matched by ast-grep's own library on weft's
//! grammars, so a pattern means here what it means to ast-grep.
//!
//! What this crate adds is [`Search::need`]: the words a file must hold
//! for the search to match there. The index keeps each file's words
//! (`weft_db::word_filter`), so most files are ruled out unread; the
//! answer stays exactly what searching every file would give. The graph
//! side (enclosing symbols, resolved targets, `--within`) is `weft-ide`'s.
//!
//! ```
//! use weft_grep::Search;
//! let lang = weft_queries::languages::of_path("src/a.rs").unwrap();
//! let s = Search::pattern("$X.unwrap()", &[lang]).unwrap();
//! let found = s.find("src/a.rs", "fn f() { let y = x.unwrap(); }").unwrap();
//! assert_eq!(found[0].node.text, "x.unwrap()");
//! assert_eq!(found[0].captures[0].0, "X");
//! ```

mod found;
pub mod lang;
pub mod need;

use std::collections::HashMap;

use ast_grep_config::{GlobalRules, RuleCollection, RuleConfig};
use ast_grep_core::Pattern;
use ast_grep_core::tree_sitter::StrDoc;
use weft_db::Lang;

pub use found::{Capture, Found, Node, Skipped};
pub use lang::SgLang;
pub use need::Need;

/// Why a search cannot run.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GrepError {
    #[error("the pattern `{pattern}` is not code of {}: {detail}", langs.join(" or "))]
    BadPattern {
        pattern: String,
        langs: Vec<String>,
        detail: String,
    },
    #[error("the rule is not an ast-grep rule: {0}")]
    BadRule(String),
    #[error("give a pattern or a rule (--rule FILE.yml), not both")]
    PatternAndRule,
    #[error("give a pattern (`weft grep '$X.unwrap()'`) or a rule (--rule FILE.yml)")]
    Nothing,
}

/// A compiled search: a pattern for each grammar it parses in, or the rules
/// of a YAML file, each for its language (and the files its `files` and
/// `ignores` globs allow, as ast-grep applies them).
pub struct Search {
    patterns: Vec<Compiled>,
    rules: Option<Rules>,
}

struct Compiled {
    lang: SgLang,
    pattern: Pattern,
    need: Need,
}

struct Rules {
    collection: RuleCollection<SgLang>,
    /// By rule id (a repeated id needs one of its rules' words).
    needs: HashMap<String, Need>,
    langs: Vec<Lang>,
}

impl Search {
    /// `pattern` in each of `langs` (every grammar of each). With several
    /// languages, those it does not parse in are left out; it must parse in
    /// one at least.
    pub fn pattern(pattern: &str, langs: &[Lang]) -> Result<Search, GrepError> {
        let mut patterns = Vec::new();
        let mut failed: Vec<(String, String)> = Vec::new();
        for lang in langs.iter().flat_map(|l| SgLang::all_of(*l)) {
            match Pattern::try_new(pattern, lang.clone()) {
                Ok(p) if !p.has_error() => patterns.push(Compiled {
                    need: need::of_pattern(&p, &lang),
                    pattern: p,
                    lang,
                }),
                Ok(_) => failed.push((lang.name(), "it has a syntax error".into())),
                Err(e) => failed.push((lang.name(), e.to_string())),
            }
        }
        if patterns.is_empty() {
            let detail = failed
                .first()
                .map(|(_, d)| d.clone())
                .unwrap_or_else(|| "no language to parse it in".into());
            return Err(GrepError::BadPattern {
                pattern: pattern.to_string(),
                langs: failed.into_iter().map(|(l, _)| l).collect(),
                detail,
            });
        }
        Ok(Search {
            patterns,
            rules: None,
        })
    }

    /// The rules of an ast-grep YAML file (one or more documents, each with
    /// `id`, `language` and `rule`; `constraints`, `utils`, `files` and
    /// `ignores` as ast-grep reads them).
    pub fn rules(yaml: &str) -> Result<Search, GrepError> {
        // ast-grep's errors say what failed at the top and why in their sources
        let bad = |e: &dyn std::error::Error| {
            let mut msg = e.to_string();
            let mut cause = e.source();
            while let Some(c) = cause {
                msg.push_str(": ");
                msg.push_str(&c.to_string());
                cause = c.source();
            }
            GrepError::BadRule(msg)
        };
        let configs = ast_grep_config::from_yaml_string::<SgLang>(yaml, &GlobalRules::default())
            .map_err(|e| bad(&e))?;
        let docs: Vec<serde_json::Value> =
            ast_grep_config::from_multiple(yaml).map_err(|e| bad(&e))?;
        if configs.is_empty() {
            return Err(GrepError::BadRule("the file holds no rule".into()));
        }
        let mut needs: HashMap<String, Need> = HashMap::new();
        let mut langs: Vec<Lang> = Vec::new();
        for (c, doc) in configs.iter().zip(&docs) {
            let need = doc
                .get("rule")
                .map_or(Need::Nothing, |r| need::of_rule(r, &c.language));
            let need = match needs.remove(&c.id) {
                Some(other) => Need::one_of([other, need]),
                None => need,
            };
            needs.insert(c.id.clone(), need);
            langs.push(c.language.lang());
        }
        langs.sort_by_key(|l| l.as_str());
        langs.dedup();
        let collection = RuleCollection::try_new(configs).map_err(|e| bad(&e))?;
        Ok(Search {
            patterns: Vec::new(),
            rules: Some(Rules {
                collection,
                needs,
                langs,
            }),
        })
    }

    /// The languages searched.
    pub fn langs(&self) -> Vec<Lang> {
        let mut v: Vec<Lang> = self.patterns.iter().map(|m| m.lang.lang()).collect();
        v.extend(self.rules.iter().flat_map(|r| r.langs.iter().copied()));
        v.sort_by_key(|l| l.as_str());
        v.dedup();
        v
    }

    /// What a file at `path` must hold to match; `None` when the search
    /// has nothing for it (its language, or a rule's globs, leave it out).
    pub fn need(&self, path: &str) -> Option<Need> {
        let lang = SgLang::of_path(path)?;
        let mut needs: Vec<Need> = self
            .patterns
            .iter()
            .filter(|m| m.lang == lang)
            .map(|m| m.need.clone())
            .collect();
        if let Some(r) = &self.rules {
            needs.extend(
                r.collection
                    .for_path(path)
                    .iter()
                    .map(|c| r.needs[&c.id].clone()),
            );
        }
        (!needs.is_empty()).then(|| Need::one_of(needs))
    }

    /// Every match in one file's text, in order, each rule's in turn.
    pub fn find(&self, path: &str, text: &str) -> Result<Vec<Found>, Skipped> {
        let Some(lang) = SgLang::of_path(path) else {
            return Ok(Vec::new());
        };
        let patterns: Vec<&Compiled> = self.patterns.iter().filter(|m| m.lang == lang).collect();
        let rules: Vec<&RuleConfig<SgLang>> = self
            .rules
            .as_ref()
            .map(|r| r.collection.for_path(path))
            .unwrap_or_default();
        if patterns.is_empty() && rules.is_empty() {
            return Ok(Vec::new());
        }
        let doc = found::parse(text, &lang)?;
        let root = ast_grep_core::AstGrep::<StrDoc<SgLang>>::doc(doc);
        let node = root.root();
        let mut out = Vec::new();
        for m in patterns {
            out.extend(node.find_all(&m.pattern).map(|nm| Found::new(&nm, None)));
        }
        for r in rules {
            out.extend(
                node.find_all(&r.matcher)
                    .map(|nm| Found::new(&nm, Some(&r.id))),
            );
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
