//! TARGET arguments: a symbol id, `FILE:LINE:COL` (1-based, like compiler
//! messages), a file path, or a qualified name (`crate::a::Type::method`,
//! `pkg.mod.Class.method`, or just a name).

use std::path::Path;

use weft_db::api;
pub use weft_db::api::TargetError;
use weft_db::{Pos, SymbolId};
use weft_queries::db::file_facts;
use weft_queries::graph::Node;
use weft_queries::resolve::Resolved;
use weft_queries::symbols::{
    by_qualified_name, definition_at, enclosing_def, file_by_path, find_by_id, symbol_record,
};
use weft_queries::{Db, SourceFile};

/// Find a file given relative to the root or to the current directory.
pub fn find_file(db: &dyn Db, root: &Path, arg: &str) -> Option<SourceFile> {
    if let Some(f) = file_by_path(db, arg) {
        return Some(f);
    }
    let cwd = std::env::current_dir().ok()?;
    let abs = cwd.join(arg);
    let abs = abs.canonicalize().unwrap_or(abs);
    let root = root.canonicalize().unwrap_or(root.to_path_buf());
    let rel = abs.strip_prefix(&root).ok()?;
    file_by_path(db, &rel.to_string_lossy())
}

/// `FILE:LINE:COL` or `FILE:LINE` (1-based) into a file and 0-based
/// position; `FILE:LINE` means the first name on the line.
pub fn parse_position(
    db: &dyn Db,
    root: &Path,
    s: &str,
) -> Option<Result<(SourceFile, Pos), TargetError>> {
    let (file, line, col) = api::split_position(s)?;
    let Some(f) = find_file(db, root, &file) else {
        return Some(Err(TargetError::no_file(&file)));
    };
    let line = line.saturating_sub(1);
    let col = match col {
        Some(c) => c.saturating_sub(1),
        None => first_name_col(db, f, line),
    };
    Some(Ok((f, Pos { line, col })))
}

/// The first column of a name (a definition's or a reference's) on a
/// line; 0 if it has none.
fn first_name_col(db: &dyn Db, f: SourceFile, line: u32) -> u32 {
    let facts = file_facts(db, f);
    let defs = facts.defs.iter().map(|d| d.span.start);
    let refs = facts.refs.iter().map(|r| r.span.start);
    defs.chain(refs)
        .filter(|p| p.line == line)
        .map(|p| p.col)
        .min()
        .unwrap_or(0)
}

pub fn describe(db: &dyn Db, loc: weft_queries::db::DefLoc) -> String {
    api::describe(&symbol_record(db, loc))
}

/// Resolve a TARGET to a graph node.
pub fn resolve_target(db: &dyn Db, root: &Path, s: &str) -> Result<Node, TargetError> {
    if api::looks_like_id(s)
        && let Ok(id) = s.parse::<SymbolId>()
        && let Some(loc) = find_by_id(db, id)
    {
        return Ok(Node::Symbol(loc));
    }
    if let Some(pos) = parse_position(db, root, s) {
        let (file, pos) = pos?;
        return match definition_at(db, file, pos) {
            Some((Resolved::Def { loc, .. }, _)) => Ok(Node::Symbol(loc)),
            Some((Resolved::Module(f), _)) => Ok(Node::File(f)),
            Some((other, name)) => match enclosing_def(db, file, pos) {
                Some(loc) if !matches!(other, Resolved::Unresolved | Resolved::External(_)) => {
                    Ok(Node::Symbol(loc))
                }
                _ => Err(TargetError::not_in_tree(
                    &name.unwrap_or_default(),
                    s,
                    match &other {
                        Resolved::External(m) => Some(m.as_str()),
                        _ => None,
                    },
                )),
            },
            None => match enclosing_def(db, file, pos) {
                Some(loc) => Ok(Node::Symbol(loc)),
                None => Ok(Node::File(file)),
            },
        };
    }
    if let Some(f) = find_file(db, root, s) {
        return Ok(Node::File(f));
    }
    let found = by_qualified_name(db, s);
    match found.len() {
        0 => Err(TargetError::no_match(s)),
        1 => Ok(Node::Symbol(found[0])),
        _ => Err(TargetError::Ambiguous(
            s.to_string(),
            found.iter().map(|&l| describe(db, l)).collect(),
        )),
    }
}
