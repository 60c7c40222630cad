//! A second reading of TypeScript the grammar gets wrong.
//!
//! TypeScript ends a type at a line break before `<` (no type arguments
//! after a newline), so an interface can list call signatures one per
//! line:
//!
//! ```ts
//! interface IProduce {
//!     <Curried>(recipe: Recipe<Curried>): Curried
//!     <Base>(base: Base, recipe: Recipe<Base>): Base
//! }
//! ```
//!
//! tree-sitter-typescript 0.23 reads `Curried` and the next line's `<Base>`
//! as one generic type (`Curried<Base>`), and everything after it, often
//! the rest of the file, becomes an ERROR: its definitions and references
//! are lost. The repair ends such a member where TypeScript does, by
//! writing `;` over the last character of the next line's indentation:
//! same length, same lines and columns.

/// The text with a `;` before every indented line that opens a type
/// parameter list (`<T>(`, `<T extends U>(`, `<A, B>(`) right after a line
/// that could end a member; None when there is no such line.
pub fn end_members_before_call_signatures(src: &str) -> Option<String> {
    let mut bytes: Option<Vec<u8>> = None;
    // the last non-blank, non-comment line, trimmed
    let mut last_code: &str = "";
    let mut at = 0;
    for line in src.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let body = line.trim_end();
        let code = body.trim_start();
        if code.is_empty() || code.starts_with("//") || code.starts_with("/*") || code.starts_with('*') {
            continue;
        }
        let indent = body.len() - code.len();
        if indent > 0 && opens_type_parameters(code) && ends_member(last_code) {
            bytes.get_or_insert_with(|| src.as_bytes().to_vec())[start + indent - 1] = b';';
        }
        last_code = code;
    }
    // only ASCII whitespace was replaced by `;`: still UTF-8
    bytes.map(|b| String::from_utf8(b).expect("ASCII replaced by ASCII"))
}

/// `<T>`, `<T,`, `<T =`, `<T extends`: a type parameter list, not a
/// comparison or a JSX tag with attributes.
fn opens_type_parameters(code: &str) -> bool {
    let Some(rest) = code.strip_prefix('<') else {
        return false;
    };
    let name_len = rest
        .char_indices()
        .find(|&(i, c)| !(c == '_' || c == '$' || c.is_ascii_alphabetic() || i > 0 && c.is_ascii_digit()))
        .map_or(rest.len(), |(i, _)| i);
    if name_len == 0 {
        return false;
    }
    let after = &rest[name_len..];
    let tight = after.trim_start();
    tight.starts_with([',', '=', '>']) || after.starts_with(char::is_whitespace) && tight.starts_with("extends ")
}

/// Could a member's text end with this line (`): Curried`, `: T[]`,
/// `): Promise<T>`, `x?`)? Not an operator or an opening bracket, after
/// which the next line continues the same expression or type.
fn ends_member(code: &str) -> bool {
    code.ends_with(|c: char| c.is_alphanumeric() || matches!(c, '_' | '$' | ']' | ')' | '>' | '?'))
        && !code.ends_with("=>")
}

#[cfg(test)]
mod tests {
    use super::end_members_before_call_signatures as repair;

    #[test]
    fn a_call_signature_after_a_member_gets_its_own_line() {
        let src = "interface P {\n\t<C>(r: R<C>): C\n\t/** doc */\n\t<B extends F>(b: B): B\n\t<S, A>(s: S): A\n}\n";
        let fixed = repair(src).expect("two signatures follow a member");
        assert_eq!(fixed.len(), src.len());
        assert_eq!(
            fixed,
            "interface P {\n\t<C>(r: R<C>): C\n\t/** doc */\n;<B extends F>(b: B): B\n;<S, A>(s: S): A\n}\n"
        );
    }

    #[test]
    fn definitions_after_consecutive_call_signatures_are_found() {
        let src = "export interface P {\n\t<C>(r: C): C\n\t<B>(b: B): B\n}\nexport class After {\n\trun(): void {}\n}\n";
        let lang = crate::languages::support(crate::languages::of_path("a.ts").unwrap());
        let facts = crate::extract::extract(lang, lang.grammar_for("a.ts"), src);
        let names: Vec<&str> = facts.defs.iter().map(|d| d.local_name.as_str()).collect();
        assert_eq!(names, ["P", "After", "After.run"]);
        assert!(!facts.has_errors);
        // positions are the source's
        let run = facts.defs.iter().find(|d| d.local_name == "After.run").unwrap();
        assert_eq!(run.span.start.line, 5);
    }

    #[test]
    fn continued_expressions_and_tags_are_left_alone() {
        for src in [
            // the first member of a body follows `{`
            "interface P {\n  <C>(r: C): C\n}\n",
            // an argument after `(` or `,`; a comparison continued after an operator
            "f(\n  <any>(x),\n  <T>(y)\n)\n",
            "const ok = a &&\n  <T>(b)\n",
            // an arrow's body
            "const f = () =>\n  <T>(x)\n",
            // a JSX tag with attributes, a comparison with a space
            "x\n  <div className=\"a\">(</div>\n",
            "a\n  < b\n",
            // no indentation: nothing to write over
            "a\n<T>(x)\n",
        ] {
            assert_eq!(repair(src), None, "{src:?}");
        }
    }
}
