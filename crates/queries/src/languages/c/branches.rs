//! The `#if` branches a definition sits in, as conditions the resolver can
//! weigh: of two definitions of `GTEST_API_`, one under `#ifdef _MSC_VER`
//! and one under `#elif __GNUC__ >= 4`, a build on this kind of machine
//! sees the second.

use tree_sitter::Node;

use crate::syntax::{Family, text};

/// Each condition around `def`, innermost first, with the truth its branch
/// needs. An include guard (`#ifndef X` then `#define X`) needs nothing.
pub fn branch_conditions<'t>(def: Node<'t>, src: &str, fam: &Family<'t>) -> Vec<(String, bool)> {
    let mut needs = Vec::new();
    let mut child = def;
    while let Some(p) = fam.parent(child) {
        let in_alternative = p
            .child_by_field_name("alternative")
            .is_some_and(|a| a.id() == child.id());
        match p.kind() {
            "preproc_if" | "preproc_elif" => {
                if let Some(c) = p.child_by_field_name("condition")
                    && c.id() != child.id()
                {
                    needs.push((one_line(text(c, src)), !in_alternative));
                }
            }
            "preproc_ifdef" | "preproc_elifdef" => {
                if let Some(name) = p.child_by_field_name("name")
                    && !is_include_guard(p, name, src)
                {
                    let negated = p.child(0).is_some_and(|d| d.kind().ends_with("ndef"));
                    let condition = format!("defined({})", text(name, src));
                    needs.push((condition, negated == in_alternative));
                }
            }
            _ => {}
        }
        child = p;
    }
    needs
}

/// `#ifndef X` whose first line defines X, then more: the header's
/// include guard. (`#ifndef X` around only `#define X` is a default for X,
/// a condition like any other.)
fn is_include_guard(ifdef: Node, name: Node, src: &str) -> bool {
    let guarded = ifdef.child(0).is_some_and(|d| d.kind() == "#ifndef");
    let mut body = ifdef
        .named_children(&mut ifdef.walk())
        .filter(|c| c.id() != name.id() && c.kind() != "comment")
        .collect::<Vec<_>>()
        .into_iter();
    guarded
        && body.next().is_some_and(|first| {
            first.kind() == "preproc_def"
                && first
                    .child_by_field_name("name")
                    .is_some_and(|n| text(n, src) == text(name, src))
        })
        && body.next().is_some()
}

/// A condition continued over lines (`\` then a newline) as one line.
fn one_line(s: &str) -> String {
    s.split("\\\n").map(str::trim).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use crate::facts::FileFacts;

    fn facts(path: &str, src: &str) -> FileFacts {
        let lang = crate::languages::support(crate::languages::of_path(path).unwrap());
        crate::extract::extract(lang, lang.grammar_for(path), src)
    }

    fn needs(f: &FileFacts, name: &str) -> Vec<Vec<(String, bool)>> {
        f.defs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.name == name)
            .map(|(i, _)| {
                f.conditions
                    .iter()
                    .find(|c| c.def == i as u32)
                    .map_or(vec![], |c| c.needs.clone())
            })
            .collect()
    }

    #[test]
    fn each_alternative_carries_its_branch() {
        let src = "#ifndef GUARD_H\n#define GUARD_H\n#ifdef _MSC_VER\n#define API dll\n#elif __GNUC__ >= 4 || \\\n  defined(__clang__)\n#define API vis\n#else\n#define API\n#endif\n#ifndef X\n#define X 1\n#endif\n#endif\n";
        let f = facts("a.h", src);
        let own = |c: &str, b| (c.to_string(), b);
        assert_eq!(
            needs(&f, "API"),
            [
                vec![own("defined(_MSC_VER)", true)],
                vec![
                    own("__GNUC__ >= 4 || defined(__clang__)", true),
                    own("defined(_MSC_VER)", false)
                ],
                vec![
                    own("__GNUC__ >= 4 || defined(__clang__)", false),
                    own("defined(_MSC_VER)", false)
                ],
            ]
        );
        // `#ifndef X` around `#define X` alone: a default, not a guard
        assert_eq!(needs(&f, "X"), [vec![own("defined(X)", false)]]);
    }
}
