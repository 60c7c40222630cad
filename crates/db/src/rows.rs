//! What the snapshot stores for one file: the rows of its tables, computed
//! by the engine and written by the store. Plain data, so the store, the D1
//! export and tests can share it without the engine.

use serde::{Deserialize, Serialize};

use crate::{Lang, Resolution, Role, Span, SymbolId, SymbolRecord, Target};

/// Every row one file contributes (symbols, references, inheritance,
/// imports) and its counts.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct FileRows {
    pub path: String,
    pub lang: Lang,
    pub stats: FileStats,
    pub symbols: Vec<SymbolRecord>,
    pub refs: Vec<RefRow>,
    pub inherits: Vec<InheritRow>,
    pub imports: Vec<ImportRow>,
    pub deps: FileDeps,
}

/// What a file depends on, as `weft deps` reports it.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct FileDeps {
    /// Files of the tree it imports (or imports definitions from), sorted.
    pub files: Vec<String>,
    /// External modules it imports, sorted, without repeats.
    pub external: Vec<String>,
    /// Import specifiers that did not resolve, in import order.
    pub unresolved: Vec<String>,
}

impl FileDeps {
    /// As the `file_deps` table stores them: (kind, name) in `seq` order.
    pub fn rows(&self) -> impl Iterator<Item = (i64, &str)> {
        fn tag(k: i64, v: &[String]) -> impl Iterator<Item = (i64, &str)> {
            v.iter().map(move |s| (k, s.as_str()))
        }
        tag(0, &self.files)
            .chain(tag(1, &self.external))
            .chain(tag(2, &self.unresolved))
    }
}

impl FileRows {
    /// blake3 of the rows: equal rows are not rewritten.
    pub fn digest(&self) -> String {
        let bytes = postcard::to_allocvec(self).expect("rows serialize");
        blake3::hash(&bytes).to_hex().to_string()
    }
}

/// Counts for `stats`, per file (a snapshot sums them).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct FileStats {
    pub syntax_errors: bool,
    pub symbols: u32,
    /// References that are not calls.
    pub refs: u32,
    pub calls: u32,
    pub inherits: u32,
    pub imports: u32,
    /// References (calls included) by resolution.
    pub scoped: u32,
    pub heuristic: u32,
    pub external: u32,
    pub unresolved: u32,
    pub compiler: u32,
}

impl FileStats {
    pub fn count_resolution(&mut self, r: Resolution) {
        match r {
            Resolution::Scoped => self.scoped += 1,
            Resolution::Heuristic => self.heuristic += 1,
            Resolution::External => self.external += 1,
            Resolution::Unresolved => self.unresolved += 1,
            Resolution::Compiler => self.compiler += 1,
        }
    }
}

/// A name occurrence and what it resolved to.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct RefRow {
    pub span: Span,
    pub role: Role,
    /// Innermost enclosing definition.
    pub source: Option<SymbolId>,
    /// For calls: the innermost enclosing function; None at module level.
    pub caller: Option<SymbolId>,
    pub target: Target,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct InheritRow {
    pub span: Span,
    pub sub: SymbolId,
    pub target: Target,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ImportRow {
    pub span: Span,
    /// The module specifier as written.
    pub module: String,
    /// The file it resolved to, if inside the tree.
    pub file: Option<String>,
    pub resolution: Resolution,
    /// Local names bound.
    pub names: Vec<String>,
}

impl FileRows {
    /// The records of `weft export` for this file, in its order: symbols,
    /// then each reference (a call first as a `call` record), inheritance,
    /// imports.
    pub fn records(&self) -> Vec<crate::Record> {
        use crate::{Location, Record};
        let at = |span| Location {
            file: self.path.clone(),
            span,
        };
        let mut out: Vec<Record> = self.symbols.iter().cloned().map(Record::Symbol).collect();
        for r in &self.refs {
            if r.role == Role::Call {
                out.push(Record::Call {
                    at: at(r.span),
                    caller: r.caller,
                    target: r.target.clone(),
                });
            }
            out.push(Record::Reference {
                at: at(r.span),
                role: r.role,
                from: r.source,
                target: r.target.clone(),
            });
        }
        for i in &self.inherits {
            out.push(Record::Inherit {
                at: at(i.span),
                sub: i.sub,
                target: i.target.clone(),
            });
        }
        for i in &self.imports {
            out.push(Record::Import {
                at: at(i.span),
                module: i.module.clone(),
                file: i.file.clone(),
                resolution: i.resolution,
                names: i.names.clone(),
            });
        }
        out
    }
}

/// A go-to-definition pair in the format of the shared accuracy scorer:
/// where a name is used, and where the definition it resolved to is named.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct DefinitionPair {
    #[serde(rename = "ref")]
    pub reference: PairPos,
    pub def: PairPos,
    pub resolution: Resolution,
}

/// 0-based line and UTF-8 byte column in a file relative to the root.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct PairPos {
    pub file: String,
    pub line: u32,
    pub col: u32,
}

/// Every reference, base type and implemented trait whose target is a
/// definition inside `files`, as (reference, definition) pairs.
pub fn definition_pairs(files: &[FileRows]) -> Vec<DefinitionPair> {
    let mut defs: std::collections::HashMap<SymbolId, PairPos> = std::collections::HashMap::new();
    for f in files {
        for s in &f.symbols {
            defs.insert(
                s.id,
                PairPos {
                    file: f.path.clone(),
                    line: s.span.start.line,
                    col: s.span.start.col,
                },
            );
        }
    }
    let mut out = Vec::new();
    for f in files {
        // A base written as a path (`pkg.mod.Base`) spans the whole path;
        // its last segment is a reference of its own already.
        let ends: std::collections::HashSet<crate::Pos> =
            f.refs.iter().map(|r| r.span.end).collect();
        let targets = f.refs.iter().map(|r| (r.span, &r.target)).chain(
            f.inherits
                .iter()
                .filter(|i| !ends.contains(&i.span.end))
                .map(|i| (i.span, &i.target)),
        );
        for (span, target) in targets {
            let def = match (&target.symbol, target.resolution, &target.module) {
                (Some(id), ..) => defs.get(id).cloned(),
                // a module of the tree is defined by its file
                (None, Resolution::Scoped, Some(file)) => Some(PairPos {
                    file: file.clone(),
                    line: 0,
                    col: 0,
                }),
                _ => None,
            };
            let Some(def) = def else { continue };
            out.push(DefinitionPair {
                reference: PairPos {
                    file: f.path.clone(),
                    line: span.start.line,
                    col: span.start.col,
                },
                def,
                resolution: target.resolution,
            });
        }
    }
    out
}
