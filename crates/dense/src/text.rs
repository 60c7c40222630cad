//! What a symbol's embedding reads, and the hash that says when it must
//! be embedded again.

use weft_db::SymbolRecord;

/// How much of a definition's source is embedded. The model reads at most
/// 128 word pieces; code runs ~3 bytes a piece, so more would be cut.
pub const SOURCE_BYTES: usize = 400;

/// The qualified name, the doc comment, then the start of the definition
/// (which begins with its signature), whitespace collapsed. Without the
/// source, the signature stands in for it.
pub fn symbol_text(rec: &SymbolRecord, source: Option<&str>) -> String {
    let mut out = String::new();
    push_words(&mut out, &rec.qualified_name);
    if let Some(doc) = rec.doc.as_deref() {
        push_words(&mut out, doc);
    }
    match source.and_then(|s| definition_start(s, rec)) {
        Some(code) => push_words(&mut out, code),
        None => push_words(&mut out, &rec.signature),
    }
    out
}

/// The definition's source from its first byte, at most [`SOURCE_BYTES`],
/// cut on a character boundary.
fn definition_start<'a>(source: &'a str, rec: &SymbolRecord) -> Option<&'a str> {
    let start = rec.full_span.start;
    let line_start = source
        .split_inclusive('\n')
        .take(start.line as usize)
        .map(str::len)
        .sum::<usize>();
    let from = line_start + start.col as usize;
    let rest = source.get(from..)?;
    let mut end = rest.len().min(SOURCE_BYTES);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    Some(&rest[..end])
}

fn push_words(out: &mut String, s: &str) {
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
}

/// The hash of what was embedded, and by which model: 32 hex digits.
pub fn content_hash(model: &str, text: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(model.as_bytes());
    h.update(&[0]);
    h.update(text.as_bytes());
    h.finalize().to_hex()[..32].to_string()
}
