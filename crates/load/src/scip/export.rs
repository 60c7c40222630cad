//! Writing weft's graph as a SCIP index, for Sourcegraph's tools and any
//! other SCIP reader.
//!
//! Symbols are named by file and container chain, the way scip-typescript
//! does (`weft . . . src/`lib.rs`/Parser#parse().`), so every definition
//! has one symbol however the language spells qualified names. Only edges
//! weft can stand behind are written: `scoped` and `compiler` references,
//! and `external` ones (as symbols of the module's package). `heuristic`
//! edges are guesses and SCIP has no way to say so: they are left out.

use std::collections::HashMap;
use std::path::Path;

use protobuf::{EnumOrUnknown, MessageField};
use scip::types::descriptor::Suffix;
use scip::types::symbol_information::Kind;
use scip::types::{
    Descriptor, Document, Index, Metadata, Occurrence, Package, PositionEncoding, Relationship,
    Symbol, SymbolInformation, SymbolRole, TextEncoding, ToolInfo,
};
use weft_db::rows::FileRows;
use weft_db::{Lang, Resolution, Role, Span, SymbolId, SymbolKind, SymbolRecord, Target};

/// What an export wrote.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct ExportCounts {
    pub documents: usize,
    pub symbols: usize,
    pub references: usize,
    /// `heuristic` edges left out.
    pub guesses_left_out: usize,
}

/// The SCIP index of `rows` (every file of the tree), for the tree at `root`.
pub fn to_scip(rows: &[FileRows], root: &Path) -> (Index, ExportCounts) {
    let mut counts = ExportCounts::default();
    let (names, files) = symbol_names(rows);
    let mut documents = Vec::with_capacity(rows.len());
    for f in rows {
        let mut occurrences = Vec::new();
        let mut symbols = Vec::new();
        let mut implements: HashMap<SymbolId, Vec<String>> = HashMap::new();
        let mut seen: std::collections::HashSet<(u32, u32)> = Default::default();
        // The file's module: a zero-width definition at its start, as
        // scip-typescript writes them.
        let module = &files[f.path.as_str()];
        occurrences.push(occurrence(
            Span::default(),
            module,
            SymbolRole::Definition as i32,
            None,
        ));
        symbols.push(SymbolInformation {
            symbol: module.clone(),
            kind: EnumOrUnknown::new(Kind::Module),
            display_name: f.path.rsplit('/').next().unwrap_or(&f.path).into(),
            ..Default::default()
        });
        for s in &f.symbols {
            occurrences.push(occurrence(
                s.span,
                &names[&s.id],
                SymbolRole::Definition as i32,
                Some(s.full_span),
            ));
            seen.insert((s.span.start.line, s.span.start.col));
        }
        let refs = f.refs.iter().map(|r| (r.span, r.role, &r.target));
        let inherits = f
            .inherits
            .iter()
            .map(|i| (i.span, Role::Inherit, &i.target));
        for (span, role, target) in refs.chain(inherits) {
            if target.resolution == Resolution::Heuristic {
                counts.guesses_left_out += 1;
                continue;
            }
            let Some(symbol) = target_symbol(target, &names, &files) else {
                continue;
            };
            if span.start.line != span.end.line || !seen.insert((span.start.line, span.start.col)) {
                continue;
            }
            let roles = match role {
                Role::Write => SymbolRole::WriteAccess as i32,
                Role::Import => SymbolRole::Import as i32,
                _ => SymbolRole::ReadAccess as i32,
            };
            occurrences.push(occurrence(span, &symbol, roles, None));
            counts.references += 1;
        }
        for i in &f.inherits {
            if matches!(
                i.target.resolution,
                Resolution::Scoped | Resolution::Compiler
            ) && let Some(t) = i.target.symbol.and_then(|t| names.get(&t))
            {
                implements.entry(i.sub).or_default().push(t.clone());
            }
        }
        occurrences.sort_by(|a, b| a.range.cmp(&b.range));
        for s in &f.symbols {
            symbols.push(symbol_information(
                s,
                &names,
                implements.remove(&s.id).unwrap_or_default(),
            ));
        }
        counts.symbols += symbols.len();
        documents.push(Document {
            language: language(f.lang).into(),
            relative_path: f.path.clone(),
            occurrences,
            symbols,
            position_encoding: EnumOrUnknown::new(
                PositionEncoding::UTF8CodeUnitOffsetFromLineStart,
            ),
            ..Default::default()
        });
    }
    counts.documents = documents.len();
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let index = Index {
        metadata: MessageField::some(Metadata {
            tool_info: MessageField::some(ToolInfo {
                name: "weft".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                ..Default::default()
            }),
            project_root: file_uri(&root),
            text_document_encoding: EnumOrUnknown::new(TextEncoding::UTF8),
            ..Default::default()
        }),
        documents,
        ..Default::default()
    };
    (index, counts)
}

/// The SCIP symbol of every definition, and of every file's module.
fn symbol_names(rows: &[FileRows]) -> (HashMap<SymbolId, String>, HashMap<&str, String>) {
    let mut out = HashMap::new();
    let mut files = HashMap::new();
    for f in rows {
        let by_id: HashMap<SymbolId, &SymbolRecord> = f.symbols.iter().map(|s| (s.id, s)).collect();
        let namespace: Vec<Descriptor> = f
            .path
            .split('/')
            .map(|seg| descriptor(seg, Suffix::Namespace, ""))
            .collect();
        files.insert(f.path.as_str(), format_symbol(namespace.clone(), None));
        let mut taken: HashMap<String, u32> = HashMap::new();
        for s in &f.symbols {
            let mut chain: Vec<&SymbolRecord> = vec![s];
            while let Some(c) = chain
                .last()
                .and_then(|c| c.container)
                .and_then(|c| by_id.get(&c))
            {
                if chain.len() > 64 {
                    break;
                }
                chain.push(c);
            }
            chain.reverse();
            let mut descriptors = namespace.clone();
            // A method of an `impl` block or a Go receiver has no container
            // in the file; its type is the qualifier before its name.
            if chain[0].container.is_none()
                && chain[0].kind == SymbolKind::Method
                && let Some(owner) = owner_of(chain[0])
            {
                descriptors.push(descriptor(owner, Suffix::Type, ""));
            }
            descriptors.extend(
                chain
                    .iter()
                    .map(|c| descriptor(&c.name, suffix(c.kind), "")),
            );
            let mut name = format_symbol(descriptors.clone(), None);
            // Same chain twice in one file (a redefinition, an overload):
            // later ones get a disambiguator.
            let n = taken.entry(name.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                let last = descriptors.last_mut().expect("chain is not empty");
                last.suffix = EnumOrUnknown::new(Suffix::Method);
                last.disambiguator = (*n - 1).to_string();
                name = format_symbol(descriptors, None);
            }
            out.insert(s.id, name);
        }
    }
    (out, files)
}

/// `Type` in `crate::m::Type::method` or `pkg.Type.Method`.
fn owner_of(s: &SymbolRecord) -> Option<&str> {
    let q = s.qualified_name.strip_suffix(s.name.as_str())?;
    let q = q.strip_suffix("::").or_else(|| q.strip_suffix('.'))?;
    let owner = q.rsplit([':', '.', '/']).next()?;
    (!owner.is_empty()).then_some(owner)
}

fn target_symbol(
    t: &Target,
    names: &HashMap<SymbolId, String>,
    files: &HashMap<&str, String>,
) -> Option<String> {
    match (t.resolution, t.symbol, &t.module) {
        (Resolution::Scoped | Resolution::Compiler, Some(id), _) => names.get(&id).cloned(),
        (Resolution::Scoped | Resolution::Compiler, None, Some(file)) => {
            files.get(file.as_str()).cloned()
        }
        (Resolution::External, _, Some(module)) if !t.name.is_empty() => Some(format_symbol(
            vec![descriptor(&t.name, Suffix::Term, "")],
            Some(module),
        )),
        _ => None,
    }
}

fn format_symbol(descriptors: Vec<Descriptor>, package: Option<&str>) -> String {
    scip::symbol::format_symbol(Symbol {
        scheme: "weft".into(),
        package: MessageField::some(Package {
            manager: ".".into(),
            name: package.unwrap_or(".").into(),
            version: ".".into(),
            ..Default::default()
        }),
        descriptors,
        ..Default::default()
    })
}

fn descriptor(name: &str, suffix: Suffix, disambiguator: &str) -> Descriptor {
    Descriptor {
        name: name.into(),
        disambiguator: disambiguator.into(),
        suffix: EnumOrUnknown::new(suffix),
        ..Default::default()
    }
}

fn suffix(kind: SymbolKind) -> Suffix {
    use SymbolKind as K;
    match kind {
        K::Module => Suffix::Namespace,
        K::Function | K::Method => Suffix::Method,
        K::Macro => Suffix::Macro,
        K::Struct | K::Class | K::Enum | K::Trait | K::Interface | K::TypeAlias => Suffix::Type,
        K::EnumMember | K::Constant | K::Static | K::Variable | K::Field => Suffix::Term,
    }
}

fn kind(kind: SymbolKind) -> Kind {
    use SymbolKind as K;
    match kind {
        K::Module => Kind::Module,
        K::Function => Kind::Function,
        K::Method => Kind::Method,
        K::Struct => Kind::Struct,
        K::Class => Kind::Class,
        K::Enum => Kind::Enum,
        K::EnumMember => Kind::EnumMember,
        K::Trait => Kind::Trait,
        K::Interface => Kind::Interface,
        K::TypeAlias => Kind::TypeAlias,
        K::Constant => Kind::Constant,
        K::Static => Kind::Variable,
        K::Variable => Kind::Variable,
        K::Field => Kind::Field,
        K::Macro => Kind::Macro,
    }
}

fn language(lang: Lang) -> &'static str {
    weft_queries::languages::support(lang).naming.scip
}

fn symbol_information(
    s: &SymbolRecord,
    names: &HashMap<SymbolId, String>,
    implements: Vec<String>,
) -> SymbolInformation {
    let mut documentation = Vec::new();
    if !s.signature.is_empty() {
        documentation.push(format!("```{}\n{}\n```", s.lang.as_str(), s.signature));
    }
    if let Some(d) = &s.doc {
        documentation.push(d.clone());
    }
    SymbolInformation {
        symbol: names[&s.id].clone(),
        documentation,
        relationships: implements
            .into_iter()
            .map(|symbol| Relationship {
                symbol,
                is_implementation: true,
                ..Default::default()
            })
            .collect(),
        kind: EnumOrUnknown::new(kind(s.kind)),
        display_name: s.name.clone(),
        enclosing_symbol: s
            .container
            .and_then(|c| names.get(&c))
            .cloned()
            .unwrap_or_default(),
        ..Default::default()
    }
}

fn occurrence(span: Span, symbol: &str, roles: i32, enclosing: Option<Span>) -> Occurrence {
    Occurrence {
        range: range(span),
        symbol: symbol.into(),
        symbol_roles: roles,
        enclosing_range: enclosing.map(range).unwrap_or_default(),
        ..Default::default()
    }
}

/// SCIP's compact range: three numbers on one line, four across lines.
fn range(s: Span) -> Vec<i32> {
    let v = |x: u32| x as i32;
    if s.start.line == s.end.line {
        vec![v(s.start.line), v(s.start.col), v(s.end.col)]
    } else {
        vec![v(s.start.line), v(s.start.col), v(s.end.line), v(s.end.col)]
    }
}

fn file_uri(p: &Path) -> String {
    let mut out = String::from("file://");
    for b in p.to_string_lossy().replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
