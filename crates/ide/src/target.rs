//! TARGET arguments, as the engine resolves them: a symbol id,
//! `FILE:LINE:COL` (1-based, like compiler messages), a file path, or a
//! qualified name (`crate::a::Type::method`, `pkg.mod.Class.method`, or
//! just a name). `weft_db::api::Target` parses the text once; the
//! snapshot's reader (`weft_db::read`) resolves the same value.

use std::path::Path;

use weft_db::Pos;
use weft_db::api;
pub use weft_db::api::{Position, Target, TargetError};
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
pub fn find_position(
    db: &dyn Db,
    root: &Path,
    p: &Position,
) -> Result<(SourceFile, Pos), TargetError> {
    let Some(f) = find_file(db, root, &p.file) else {
        return Err(TargetError::no_file(&p.file));
    };
    let line = p.line.saturating_sub(1);
    let col = match p.col {
        Some(c) => c.saturating_sub(1),
        None => first_name_col(db, f, line),
    };
    Ok((f, Pos { line, col }))
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
pub fn resolve_target(db: &dyn Db, root: &Path, t: &Target) -> Result<Node, TargetError> {
    let s = t.text.as_str();
    if let Some(loc) = t.id.and_then(|id| find_by_id(db, id)) {
        return Ok(Node::Symbol(loc));
    }
    if let Some(p) = &t.position {
        let (file, pos) = find_position(db, root, p)?;
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
