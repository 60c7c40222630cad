//! TARGET arguments: a symbol id, `FILE:LINE:COL` (1-based, like compiler
//! messages), a file path, or a qualified name (`crate::a::Type::method`,
//! `pkg.mod.Class.method`, or just a name).

use std::path::Path;

use weft_db::{Pos, SymbolId};
use weft_queries::graph::Node;
use weft_queries::resolve::Resolved;
use weft_queries::symbols::{
    by_qualified_name, definition_at, enclosing_def, file_by_path, find_by_id, qualified_name,
    symbol_record,
};
use weft_queries::{Db, SourceFile};

pub enum TargetError {
    NotFound(String),
    Ambiguous(String, Vec<String>),
}

impl std::fmt::Display for TargetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TargetError::NotFound(m) => write!(f, "{m}"),
            TargetError::Ambiguous(t, c) => {
                writeln!(
                    f,
                    "`{t}` is ambiguous; {} candidates (use a qualified name, FILE:LINE:COL or an id):",
                    c.len()
                )?;
                for line in c.iter().take(20) {
                    writeln!(f, "  {line}")?;
                }
                if c.len() > 20 {
                    writeln!(f, "  ... and {} more", c.len() - 20)?;
                }
                Ok(())
            }
        }
    }
}

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

/// `FILE:LINE:COL` or `FILE:LINE` (1-based) into a file and 0-based position.
pub fn parse_position(
    db: &dyn Db,
    root: &Path,
    s: &str,
) -> Option<Result<(SourceFile, Pos), TargetError>> {
    let mut parts = s.rsplitn(3, ':');
    let (a, b, c) = (parts.next()?, parts.next(), parts.next());
    let (file, line, col) = match (b, c) {
        (Some(l), Some(f)) if a.parse::<u32>().is_ok() && l.parse::<u32>().is_ok() => {
            (f, l.parse::<u32>().ok()?, a.parse::<u32>().ok()?)
        }
        (Some(f), _) if a.parse::<u32>().is_ok() => {
            let rest = if let Some(c) = c {
                format!("{c}:{f}")
            } else {
                f.to_string()
            };
            return Some(match find_file(db, root, &rest) {
                Some(file) => Ok((
                    file,
                    Pos {
                        line: a.parse::<u32>().ok()?.saturating_sub(1),
                        col: first_col(db, root, file, a.parse::<u32>().ok()?.saturating_sub(1)),
                    },
                )),
                None => Err(TargetError::NotFound(format!("no indexed file `{rest}`"))),
            });
        }
        _ => return None,
    };
    Some(match find_file(db, root, file) {
        Some(f) => Ok((
            f,
            Pos {
                line: line.saturating_sub(1),
                col: col.saturating_sub(1),
            },
        )),
        None => Err(TargetError::NotFound(format!("no indexed file `{file}`"))),
    })
}

/// The first non-blank column of a line. A file whose facts came from the
/// snapshot has no text in the database: read it from disk.
fn first_col(db: &dyn Db, root: &Path, f: SourceFile, line: u32) -> u32 {
    let on_disk;
    let text: &str = if f.stored(db).is_some() {
        on_disk = std::fs::read_to_string(root.join(f.path(db).as_str())).unwrap_or_default();
        &on_disk
    } else {
        f.text(db)
    };
    let l = text.lines().nth(line as usize).unwrap_or("");
    (l.len() - l.trim_start().len()) as u32
}

pub fn describe(db: &dyn Db, loc: weft_queries::db::DefLoc) -> String {
    let r = symbol_record(db, loc);
    format!(
        "{} {} ({}:{}) {}",
        r.kind,
        qualified_name(db, loc),
        r.file,
        r.span.start.line + 1,
        r.id
    )
}

/// Resolve a TARGET to a graph node.
pub fn resolve_target(db: &dyn Db, root: &Path, s: &str) -> Result<Node, TargetError> {
    if s.len() == 16
        && s.chars().all(|c| c.is_ascii_hexdigit())
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
                _ => Err(TargetError::NotFound(format!(
                    "`{}` at {s} is {} ",
                    name.unwrap_or_default(),
                    match other {
                        Resolved::External(m) => format!("external (module `{m}`)"),
                        _ => "unresolved".to_string(),
                    }
                ))),
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
        0 => Err(TargetError::NotFound(format!(
            "no symbol or file matches `{s}` (try `weft symbols {s}`)"
        ))),
        1 => Ok(Node::Symbol(found[0])),
        _ => Err(TargetError::Ambiguous(
            s.to_string(),
            found.iter().map(|&l| describe(db, l)).collect(),
        )),
    }
}
