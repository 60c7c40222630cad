//! The languages weft parses, one folder each. A folder owns everything
//! about its language: the grammar it loads, its `.scm` queries, the hooks
//! and import semantics ([`crate::lang`] declares what they are), the
//! manifests it reads, its comment markers and its SCIP name. This module
//! is the registry: the one line naming every folder.
//!
//! The engine never names this module: it reaches languages through the
//! database ([`crate::Db::languages`]), which the host builds from
//! [`all`].

use std::sync::LazyLock;

use weft_db::Lang;

use crate::facts::FileFacts;
use crate::lang::{LanguageSupport, Languages};

/// Declares the folders and the registry over them, in this order (the
/// order `--lang`'s error lists them in). Each folder exports `LANGUAGES`.
macro_rules! registry {
    ($($folder:ident),* $(,)?) => {
        $(mod $folder;)*

        static ALL: LazyLock<Languages> =
            LazyLock::new(|| Languages::new([$($folder::LANGUAGES),*].concat()));
    };
}

registry!(
    rust, python, ecma, go, java, c, csharp, ruby, php, kotlin, swift
);

/// Every language weft parses; their names are registered (`Lang::parse`
/// knows them) once this has been called.
pub fn all() -> &'static Languages {
    &ALL
}

/// The language of a path, from its extension.
pub fn of_path(path: &str) -> Option<Lang> {
    all().of_path(path)
}

/// One of weft's languages.
pub fn support(lang: Lang) -> &'static LanguageSupport {
    all().get(lang)
}

/// Is this path a build manifest some language reads for module resolution?
pub fn is_manifest(path: &str) -> bool {
    all().is_manifest(path)
}

/// Is this a path weft reads: a source file or a manifest?
pub fn is_indexed(path: &str) -> bool {
    of_path(path).is_some() || is_manifest(path)
}

/// Extract a file's facts outside the database, as the engine would for
/// the same path and text (what comparing versions of a tree needs).
pub fn extract_path(path: &str, src: &str) -> FileFacts {
    match all().support_of_path(path) {
        Some(support) => crate::extract::extract(support, support.grammar_for(path), src),
        None => FileFacts::default(),
    }
}

#[cfg(test)]
mod tests;
