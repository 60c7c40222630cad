//! A definition's *own* tokens, digested: what `weft diff` compares to tell
//! a real body change from a change that is only whitespace, comments or
//! reordering.
//!
//! Every leaf of the parse tree belongs to the innermost definition around
//! it; comments, the definition's own name and the leaves of nested
//! definitions are left out. So reformatting, editing a comment, moving a
//! function, or adding a method to a class leaves the digests of the other
//! definitions equal, and a renamed definition with an unchanged body keeps
//! its digest (which is how renames are recognised).

use std::ops::Range;

use tree_sitter::Node;

/// One definition, as byte ranges: the whole node and its name.
pub struct DefRanges {
    pub node: Range<usize>,
    pub name: Range<usize>,
}

/// The digest of each definition's own tokens, in the order given. `defs`
/// must be sorted by start, outer before inner. Definitions sharing one
/// node (`A, B string`) share its tokens.
pub fn body_digests(root: Node, src: &str, defs: &[DefRanges]) -> Vec<u64> {
    let mut digests = vec![FNV_OFFSET; defs.len()];
    // Open definitions, innermost last; `next` is the first not yet opened.
    let mut open: Vec<usize> = Vec::new();
    let mut next = 0;
    let mut cursor = root.walk();
    'walk: loop {
        let node = cursor.node();
        let skip = node.kind().contains("comment") || node.is_missing();
        if !skip && node.child_count() == 0 && node.start_byte() < node.end_byte() {
            let at = node.start_byte();
            while open.last().is_some_and(|&d| defs[d].node.end <= at) {
                open.pop();
            }
            while next < defs.len() && defs[next].node.start <= at {
                if defs[next].node.end > at {
                    while open
                        .last()
                        .is_some_and(|&d| defs[d].node.end < defs[next].node.end)
                    {
                        open.pop();
                    }
                    open.push(next);
                }
                next += 1;
            }
            if let Some(&d) = open.last() {
                let leaf = &src.as_bytes()[node.byte_range()];
                // Every definition with this node's range takes the leaf.
                let mut i = d;
                loop {
                    if !defs[i].name.contains(&at) {
                        digests[i] = fnv(digests[i], leaf);
                    }
                    match i.checked_sub(1) {
                        Some(p) if defs[p].node == defs[d].node => i = p,
                        _ => break,
                    }
                }
            }
        }
        if !skip && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    digests
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// The digest of a definition with no tokens of its own.
pub const EMPTY: u64 = FNV_OFFSET;

/// FNV-1a over the leaf, then a separator, so `ab` `c` differs from `a` `bc`.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes.iter().chain(&[0xff]) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
