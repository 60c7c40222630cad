//! The hand-checked fixtures' annotations: where each annotated name's
//! definition is, written beside the code in comments.
//!
//! - `<def:LABEL>` on a line marks the definition whose name is on it. A
//!   label on several lines is one symbol declared in several places (a
//!   partial class): a reference to it may land on any of them.
//! - `<ref:NAME=LABEL>` on a line says the first occurrence of the word
//!   NAME on that line (before the annotation) is a reference to LABEL's
//!   definition; `NAME#2` is its second occurrence.
//! - `<ref:NAME=!>` says NAME is defined outside the tree (a library's,
//!   the runtime's): a resolver that binds it to a definition of the tree
//!   is wrong.
//!
//! A line may carry several annotations.

/// One annotated reference.
#[derive(Debug, Clone)]
pub struct Case {
    pub file: String,
    /// 0-based line; UTF-8 byte columns of the name.
    pub line: u32,
    pub col: u32,
    pub name: String,
    /// Where the definition is declared (file, 0-based line); empty when
    /// it is outside the tree.
    pub def: Vec<(String, u32)>,
}

/// The cases of a tree of `(path, text)` files, or what is wrong with its
/// annotations (an unknown label, a name not on its line).
pub fn cases(files: &[(String, String)]) -> Result<Vec<Case>, String> {
    let mut labels: std::collections::HashMap<String, Vec<(String, u32)>> = Default::default();
    for (path, text) in files {
        for (n, line) in text.lines().enumerate() {
            for tag in tags(line, "<def:") {
                labels
                    .entry(tag.to_string())
                    .or_default()
                    .push((path.clone(), n as u32));
            }
        }
    }
    let mut out = Vec::new();
    for (path, text) in files {
        for (n, line) in text.lines().enumerate() {
            let code = &line[..line
                .find("<def:")
                .into_iter()
                .chain(line.find("<ref:"))
                .min()
                .unwrap_or(line.len())];
            for tag in tags(line, "<ref:") {
                let at = |msg: &str| format!("{path}:{}: {msg} in <ref:{tag}>", n + 1);
                let (name, label) = tag.split_once('=').ok_or_else(|| at("no `=`"))?;
                let (name, nth) = match name.split_once('#') {
                    Some((w, k)) => (w, k.parse::<usize>().map_err(|_| at("a bad #N"))?),
                    None => (name, 1),
                };
                let col =
                    word_at(code, name, nth).ok_or_else(|| at("the name is not on the line"))?;
                let def = match label {
                    "!" => Vec::new(),
                    l => labels
                        .get(l)
                        .cloned()
                        .ok_or_else(|| at("an unknown label"))?,
                };
                out.push(Case {
                    file: path.clone(),
                    line: n as u32,
                    col: col as u32,
                    name: name.to_string(),
                    def,
                });
            }
        }
    }
    Ok(out)
}

/// The bodies of `<open...>` tags on a line: `<ref:a=B>` gives `a=B`.
fn tags<'l>(line: &'l str, open: &'static str) -> impl Iterator<Item = &'l str> {
    line.match_indices(open).filter_map(move |(i, _)| {
        let rest = &line[i + open.len()..];
        rest.find('>').map(|e| &rest[..e])
    })
}

/// The byte column of the `nth` (1-based) whole-word occurrence of `word`.
fn word_at(code: &str, word: &str, nth: usize) -> Option<usize> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '$' || c == '@';
    let mut seen = 0;
    for (i, _) in code.match_indices(word) {
        let before = code[..i].chars().next_back();
        let after = code[i + word.len()..].chars().next();
        if before.is_some_and(is_word) || after.is_some_and(is_word) {
            continue;
        }
        seen += 1;
        if seen == nth {
            return Some(i);
        }
    }
    None
}
