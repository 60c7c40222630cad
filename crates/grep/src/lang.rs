//! weft's grammars as ast-grep languages: one per grammar of a language
//! folder (TypeScript has two, `.ts` and `.tsx`), with the metavariable
//! character the folder declares.

use std::borrow::Cow;

use ast_grep_core::language::Language;
use ast_grep_core::matcher::{Pattern, PatternBuilder, PatternError};
use ast_grep_core::tree_sitter::{LanguageExt, StrDoc, TSLanguage};
use serde::{Deserialize, Deserializer};
use weft_db::Lang;
use weft_queries::lang::LanguageSupport;
use weft_queries::languages;

/// One grammar of one of weft's languages.
#[derive(Clone)]
pub struct SgLang {
    pub support: &'static LanguageSupport,
    pub grammar: usize,
    ts: TSLanguage,
}

impl std::fmt::Debug for SgLang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.name())
    }
}

impl SgLang {
    pub fn new(support: &'static LanguageSupport, grammar: usize) -> SgLang {
        SgLang {
            support,
            grammar,
            ts: match support.grammars[grammar].search {
                Some(search) => search(),
                None => support.grammar(grammar).language.clone(),
            },
        }
    }

    /// Every grammar of `lang`.
    pub fn all_of(lang: Lang) -> Vec<SgLang> {
        let support = languages::support(lang);
        (0..support.grammars.len())
            .map(|g| SgLang::new(support, g))
            .collect()
    }

    /// The grammar that parses `path`, if weft indexes it.
    pub fn of_path(path: &str) -> Option<SgLang> {
        let support = languages::all().support_of_path(path)?;
        Some(SgLang::new(support, support.grammar_for(path)))
    }

    /// The language and grammar a rule's `language:` names: a language's
    /// name or alias, or a grammar's extension (`tsx`), in any case.
    pub fn named(name: &str) -> Option<SgLang> {
        let n = name.to_ascii_lowercase();
        languages::all(); // registers their names
        let support = languages::support(Lang::parse(&n)?);
        let grammar = support
            .grammars
            .iter()
            .position(|g| g.extensions.contains(&n.as_str()))
            .unwrap_or(0);
        Some(SgLang::new(support, grammar))
    }

    pub fn lang(&self) -> Lang {
        self.support.lang()
    }

    /// How errors name it: the language, and the grammar when it has several.
    pub fn name(&self) -> String {
        match self.support.grammars.len() {
            1 => self.support.name.to_string(),
            _ => format!(
                "{} (.{})",
                self.support.name, self.support.grammars[self.grammar].extensions[0]
            ),
        }
    }

    pub fn ts(&self) -> &TSLanguage {
        &self.ts
    }
}

impl PartialEq for SgLang {
    fn eq(&self, o: &SgLang) -> bool {
        self.lang() == o.lang() && self.grammar == o.grammar
    }
}

impl Eq for SgLang {}

impl Language for SgLang {
    fn from_path<P: AsRef<std::path::Path>>(path: P) -> Option<SgLang> {
        SgLang::of_path(path.as_ref().to_str()?)
    }

    fn kind_to_id(&self, kind: &str) -> u16 {
        self.ts.id_for_node_kind(kind, true)
    }

    fn field_to_id(&self, field: &str) -> Option<u16> {
        self.ts.field_id_for_name(field).map(|f| f.get())
    }

    fn expando_char(&self) -> char {
        self.support.naming.metavar
    }

    /// `$A`, `$$A`, `$$$A` and `$$$` become the expando character where `$`
    /// cannot start an identifier; other dollars stay (`$1` in a string).
    fn pre_process_pattern<'q>(&self, query: &'q str) -> Cow<'q, str> {
        let expando = self.expando_char();
        if expando == '$' || !query.contains('$') {
            return Cow::Borrowed(query);
        }
        let mut out = String::with_capacity(query.len());
        let mut dollars = 0;
        for c in query.chars() {
            if c == '$' {
                dollars += 1;
                continue;
            }
            let var = c.is_ascii_uppercase() || c == '_' || dollars == 3;
            out.extend(std::iter::repeat_n(
                if var { expando } else { '$' },
                dollars,
            ));
            dollars = 0;
            out.push(c);
        }
        out.extend(std::iter::repeat_n(
            if dollars == 3 { expando } else { '$' },
            dollars,
        ));
        Cow::Owned(out)
    }

    fn build_pattern(&self, builder: &PatternBuilder) -> Result<Pattern, PatternError> {
        builder.build(|src| StrDoc::try_new(src, self.clone()))
    }
}

impl LanguageExt for SgLang {
    fn get_ts_language(&self) -> TSLanguage {
        self.ts.clone()
    }
}

impl<'de> Deserialize<'de> for SgLang {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SgLang, D::Error> {
        let name = String::deserialize(d)?;
        SgLang::named(&name).ok_or_else(|| {
            let known: Vec<&str> = languages::all().all().iter().map(|l| l.name).collect();
            serde::de::Error::custom(format!(
                "unknown language `{name}`; one of: {}",
                known.join(", ")
            ))
        })
    }
}
