//! The standard library's expression macros read as calls.
//!
//! tree-sitter leaves a macro's arguments as bare tokens, so in
//! `assert_eq!(parser(p).parse(), x)` no expression says what `.parse()`
//! is called on. The arguments of `assert!`, `format!`, `write!`, `vec!`
//! and their kin are expressions, so the text is prepared (same length,
//! same positions) for the grammar to read them as such: `assert_eq (..)`
//! is a call and `vec![a, b]` becomes `    &[a, b]`, an array. Other macros
//! keep their tokens: their arguments need not be expressions.

use std::borrow::Cow;

/// Macros whose parenthesised arguments are expressions.
const CALL_LIKE: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "dbg",
    "eprint",
    "eprintln",
    "format",
    "format_args",
    "panic",
    "print",
    "println",
    "todo",
    "unimplemented",
    "unreachable",
    "write",
    "writeln",
    "vec",
];

/// `src` with the expression macros' `!` blanked (and `vec![..]` made an
/// array), outside comments and literals.
pub(super) fn macros_as_calls(src: &str) -> Cow<'_, str> {
    let b = src.as_bytes();
    let mut edits = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => i = block_comment_end(b, i),
            b'"' => i = string_end(b, i + 1),
            b'\'' => i = char_end(b, i),
            c if c == b'_' || c.is_ascii_alphabetic() => {
                let start = i;
                while i < b.len() && (b[i] == b'_' || b[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
                let word = &src[start..i];
                // (literal prefixes: raw `r"`, byte `b"`, C string `c"`)
                match (word.as_bytes(), b.get(i)) {
                    ([b'r'] | [b'b' | b'c', b'r'], Some(b'"' | b'#')) => i = raw_string_end(b, i),
                    ([b'b' | b'c'], Some(b'"')) => i = string_end(b, i + 1),
                    ([b'b'], Some(b'\'')) => i = char_end(b, i),
                    (_, Some(b'!')) if CALL_LIKE.contains(&word) => match b.get(i + 1) {
                        Some(b'(') => edits.push((i, false)),
                        Some(b'[') if word == "vec" => edits.push((start, true)),
                        _ => {}
                    },
                    _ => {}
                }
            }
            c if c >= 0x80 => {
                // (an identifier or text in another script: skip the char)
                i += src[i..].chars().next().map_or(1, char::len_utf8);
            }
            _ => i += 1,
        }
    }
    if edits.is_empty() {
        return Cow::Borrowed(src);
    }
    let mut out = b.to_vec();
    for (at, array) in edits {
        if array {
            // `vec![` -> `    &[`
            out[at..at + 3].fill(b' ');
            out[at + 3] = b'&';
        } else {
            out[at] = b' ';
        }
    }
    // (ASCII replaced by ASCII: still UTF-8)
    Cow::Owned(String::from_utf8(out).expect("ASCII replaced by ASCII"))
}

/// Past a `/* .. */` comment starting at `i` (they nest in Rust).
fn block_comment_end(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i + 1 < b.len() {
        match (b[i], b[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    b.len()
}

/// Past a string whose text starts at `i`.
fn string_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// Past a raw string whose `#`s or quote start at `i`.
fn raw_string_end(b: &[u8], mut i: usize) -> usize {
    let hashes = b[i..].iter().take_while(|&&c| c == b'#').count();
    i += hashes;
    if b.get(i) != Some(&b'"') {
        return i;
    }
    i += 1;
    while i < b.len() {
        if b[i] == b'"' && b[i + 1..].iter().take(hashes).filter(|&&c| c == b'#').count() == hashes {
            return i + 1 + hashes;
        }
        i += 1;
    }
    b.len()
}

/// Past a char literal at `i`, or past the quote of a lifetime (`'a`).
fn char_end(b: &[u8], i: usize) -> usize {
    if b.get(i + 1) == Some(&b'\\') {
        // (the escaped char itself may be a quote: `'\''`)
        return b
            .get(i + 3..)
            .and_then(|rest| rest.iter().position(|&c| c == b'\''))
            .map_or(b.len(), |n| i + 4 + n);
    }
    let len = match b.get(i + 1) {
        Some(&c) if c < 0x80 => 1,
        Some(&c) if c >= 0xF0 => 4,
        Some(&c) if c >= 0xE0 => 3,
        Some(_) => 2,
        None => return b.len(),
    };
    if b.get(i + 1 + len) == Some(&b'\'') {
        i + 2 + len
    } else {
        i + 1
    }
}

#[cfg(test)]
mod tests {
    use super::macros_as_calls;

    #[test]
    fn expression_macros_become_calls_in_place() {
        let src = "assert_eq!(a.f(), '\\'', 'x'); let v = vec![b; n]; m!(c); format!(\"{}\", d)";
        let out = macros_as_calls(src);
        assert_eq!(out.len(), src.len());
        assert_eq!(
            out,
            "assert_eq (a.f(), '\\'', 'x'); let v =    &[b; n]; m!(c); format (\"{}\", d)"
        );
    }

    #[test]
    fn comments_strings_and_lifetimes_are_left_alone() {
        let src = "/// assert!(x)\n/* vec![1] /* assert!(y) */ */ let s = \"assert!(z)\"; \
                   let r = r#\"println!(\"q\")\"#; fn f<'a>(x: &'a str) { todo!() }";
        let out = macros_as_calls(src);
        let want = src.replace("todo!()", "todo ()");
        assert_eq!(out, want);
    }
}
