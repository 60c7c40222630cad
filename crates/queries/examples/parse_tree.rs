//! Print the tree-sitter tree of a file as weft's extractor sees it: the
//! grammar weft picks for the path, ERROR and MISSING nodes marked. For
//! writing `.scm` patterns and chasing parse-recovery surprises.
//!
//!   cargo run -p weft-queries --example parse_tree -- FILE [FIRST_LINE [LAST_LINE]]

use weft_queries::languages;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: parse_tree FILE [FIRST_LINE [LAST_LINE]]  (lines 1-based)");
        std::process::exit(2);
    };
    let line =
        |i: usize, default: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default);
    let (first, last) = (line(1, 1), line(2, usize::MAX));
    let Some(s) = languages::all().support_of_path(path) else {
        eprintln!("{path}: not a language weft indexes");
        std::process::exit(1);
    };
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let g = s.grammar(s.grammar_for(path));
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&g.language).expect("grammar loads");
    let tree = parser.parse(&text, None).expect("parse");
    let mut cursor = tree.walk();
    let mut depth = 0usize;
    loop {
        let n = cursor.node();
        let row = n.start_position().row + 1;
        if row >= first && row <= last && n.is_named() || n.is_missing() {
            let field = cursor
                .field_name()
                .map(|f| format!("{f}: "))
                .unwrap_or_default();
            let mark = if n.is_error() {
                "  <-- ERROR"
            } else if n.is_missing() {
                "  <-- MISSING"
            } else {
                ""
            };
            let leaf = if n.child_count() == 0 {
                format!(" {:?}", &text[n.byte_range()])
            } else {
                String::new()
            };
            println!(
                "{row:>5} {}{field}{}{leaf}{mark}",
                "  ".repeat(depth),
                n.kind()
            );
        }
        if cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return;
            }
            depth -= 1;
        }
    }
}
