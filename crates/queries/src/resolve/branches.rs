//! Which `#if` branch a build on this kind of machine takes, worked out
//! as far as the tree says: of `GTEST_API_` defined under `#ifdef
//! _MSC_VER` and again under `#elif __GNUC__ >= 4`, the second. A name the
//! compiler predefines has its value ([`LangResolver::predefined`]); a
//! macro of the tree has the value of its definitions in taken branches;
//! any other name is undefined (0), as the preprocessor reads it. What
//! cannot be known (a function-like macro, `__has_include`, a macro
//! defined differently in two taken branches) leaves the answer open.
//!
//! [`LangResolver::predefined`]: crate::lang::LangResolver::predefined

use weft_db::SymbolKind;

use super::Cx;
use crate::db::{DefLoc, defs_named};

/// How deep macro values are followed through other macros' conditions.
const MAX_DEPTH: u8 = 4;

/// A macro defined more often than this (an architecture's constant in
/// every `arch/` directory) is not weighed: its value is left open, so a
/// condition costs at most this many definitions per level.
const MAX_DEFINITIONS: usize = 16;

impl Cx<'_> {
    /// Does the default configuration take the branch the definition is
    /// in? Some(false) when a condition it needs is known to fail; None
    /// when one cannot be decided.
    pub(super) fn in_taken_branch(&self, (file, idx): DefLoc, depth: u8) -> Option<bool> {
        if let Some(&known) = self.taken.borrow().get(&(file, idx)) {
            return known;
        }
        let taken = self.weigh_branch((file, idx), depth);
        // (an answer cut short by the depth is no answer for a shallower ask)
        if taken.is_some() || depth == 0 {
            self.taken.borrow_mut().insert((file, idx), taken);
        }
        taken
    }

    fn weigh_branch(&self, (file, idx): DefLoc, depth: u8) -> Option<bool> {
        let iface = self.iface(file);
        let mut taken = Some(true);
        for (condition, want) in iface.conditions_of(idx) {
            match self.condition_value(condition, depth) {
                Some(v) if (v != 0) != *want => return Some(false),
                Some(_) => {}
                None => taken = None,
            }
        }
        taken
    }

    /// Of several definitions of one name (`all`), the one at `at` is in a
    /// branch known not to be taken while another is not known so: pass
    /// it over.
    pub(super) fn passed_over(&self, at: DefLoc, all: &[DefLoc]) -> bool {
        all.len() > 1
            && !self.iface(at.0).conditions_of(at.1).is_empty()
            && self.in_taken_branch(at, 0) == Some(false)
            && all
                .iter()
                .any(|&o| o != at && self.in_taken_branch(o, 0) != Some(false))
    }

    fn condition_value(&self, text: &str, depth: u8) -> Option<i64> {
        if depth > MAX_DEPTH {
            return None;
        }
        let tokens = tokens(text)?;
        let mut p = Parser {
            cx: self,
            depth,
            tokens: &tokens,
            at: 0,
        };
        let v = p.ternary();
        (p.at == tokens.len()).then_some(v).flatten()
    }

    /// The tree's definitions of macro `name`, each with whether its branch
    /// is taken; None when there are too many to weigh
    /// ([`MAX_DEFINITIONS`]).
    fn macro_definitions(&self, name: &str, depth: u8) -> Option<Vec<(DefLoc, Option<bool>)>> {
        let defs: Vec<DefLoc> = defs_named(self.db, name)
            .into_iter()
            .filter(|&(f, j)| {
                f.lang(self.db)
                    .is_some_and(|l| self.db.languages().get(l).resolver.includes())
                    && self
                        .iface(f)
                        .defs
                        .get(j as usize)
                        .is_some_and(|d| d.kind == SymbolKind::Macro && d.container.is_none())
            })
            .collect();
        (defs.len() <= MAX_DEFINITIONS).then(|| {
            defs.into_iter()
                .map(|loc| (loc, self.in_taken_branch(loc, depth + 1)))
                .collect()
        })
    }

    fn defined(&self, name: &str, depth: u8) -> Option<bool> {
        if self.resolver().predefined(name).is_some() {
            return Some(true);
        }
        let defs = self.macro_definitions(name, depth)?;
        if defs.iter().any(|(_, t)| *t == Some(true)) {
            Some(true)
        } else if defs.iter().all(|(_, t)| *t == Some(false)) {
            Some(false)
        } else {
            None
        }
    }

    fn value(&self, name: &str, depth: u8) -> Option<i64> {
        if let Some(v) = self.resolver().predefined(name) {
            return Some(v);
        }
        let defs = self.macro_definitions(name, depth)?;
        if defs.iter().all(|(_, t)| *t == Some(false)) {
            return Some(0); // undefined
        }
        if defs.iter().any(|(_, t)| t.is_none()) {
            return None;
        }
        // every definition in a taken branch must agree
        let mut value = None;
        for ((f, j), _) in defs.iter().filter(|(_, t)| *t == Some(true)) {
            let iface = self.iface(*f);
            let body = macro_body(&iface.defs[*j as usize].signature, name)?;
            let v = self.condition_value(body, depth + 1)?;
            if value.is_some_and(|old| old != v) {
                return None;
            }
            value = Some(v);
        }
        value
    }
}

/// What `#define NAME body` defines NAME as; None for a function-like
/// macro or an empty body.
fn macro_body<'s>(signature: &'s str, name: &str) -> Option<&'s str> {
    let rest = signature.trim_start().strip_prefix('#')?.trim_start();
    let rest = rest
        .strip_prefix("define")?
        .trim_start()
        .strip_prefix(name)?;
    if rest.starts_with('(') {
        return None;
    }
    let body = rest.trim();
    (!body.is_empty()).then_some(body)
}

#[derive(Clone, PartialEq, Debug)]
enum Token {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const OPS: &[&str] = &[
    "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "(", ")", "!", "~", "-", "+", "*", "/", "%",
    "<", ">", "&", "^", "|", "?", ":", ",",
];

/// The condition's tokens; None for anything a condition cannot hold
/// (strings, a stray character), or a comment left in it.
fn tokens(text: &str) -> Option<Vec<Token>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if text[i..].starts_with("//") {
            break;
        } else if text[i..].starts_with("/*") {
            i += text[i..].find("*/")? + 2;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'\'') {
                i += 1;
            }
            let lit = text[start..i].replace('\'', "");
            let digits = lit.trim_end_matches(['u', 'U', 'l', 'L']);
            let v = match digits
                .strip_prefix("0x")
                .or_else(|| digits.strip_prefix("0X"))
            {
                Some(hex) => i64::from_str_radix(hex, 16).ok()?,
                None if digits.len() > 1 && digits.starts_with('0') => {
                    i64::from_str_radix(&digits[1..], 8).ok()?
                }
                None => digits.parse().ok()?,
            };
            out.push(Token::Num(v));
        } else if c == b'_' || c.is_ascii_alphabetic() {
            let start = i;
            while i < b.len() && (b[i] == b'_' || b[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            out.push(Token::Name(text[start..i].to_string()));
        } else {
            let op = OPS.iter().find(|op| text[i..].starts_with(**op))?;
            out.push(Token::Op(op));
            i += op.len();
        }
    }
    Some(out)
}

/// A C preprocessor expression over three values: a number, or None for
/// unknown (which `0 && x` and `1 || x` still decide).
struct Parser<'c, 'a, 't> {
    cx: &'c Cx<'a>,
    depth: u8,
    tokens: &'t [Token],
    at: usize,
}

impl Parser<'_, '_, '_> {
    fn eat(&mut self, op: &str) -> bool {
        let hit = matches!(self.tokens.get(self.at), Some(Token::Op(o)) if *o == op);
        self.at += usize::from(hit);
        hit
    }

    fn ternary(&mut self) -> Option<i64> {
        let c = self.binary(0);
        if !self.eat("?") {
            return c;
        }
        let a = self.ternary();
        if !self.eat(":") {
            self.at = self.tokens.len() + 1; // malformed
            return None;
        }
        let b = self.ternary();
        match c? {
            0 => b,
            _ => a,
        }
    }

    /// Binary operators from the loosest (`||`, level 0) to the tightest.
    fn binary(&mut self, level: usize) -> Option<i64> {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<", "<=", ">", ">="],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        let Some(ops) = LEVELS.get(level) else {
            return self.unary();
        };
        let mut left = self.binary(level + 1);
        loop {
            let Some(&op) = ops.iter().find(|op| self.eat(op)) else {
                return left;
            };
            let right = self.binary(level + 1);
            left = match (op, left, right) {
                ("||", Some(a), _) if a != 0 => Some(1),
                ("||", _, Some(b)) if b != 0 => Some(1),
                ("&&", Some(0), _) | ("&&", _, Some(0)) => Some(0),
                (_, Some(a), Some(b)) => apply(op, a, b),
                _ => None,
            };
        }
    }

    fn unary(&mut self) -> Option<i64> {
        for op in ["!", "~", "-", "+"] {
            if self.eat(op) {
                let v = self.unary()?;
                return Some(match op {
                    "!" => i64::from(v == 0),
                    "~" => !v,
                    "-" => v.wrapping_neg(),
                    _ => v,
                });
            }
        }
        self.primary()
    }

    fn primary(&mut self) -> Option<i64> {
        let token = self.tokens.get(self.at)?.clone();
        self.at += 1;
        match token {
            Token::Num(v) => Some(v),
            Token::Op("(") => {
                let v = self.ternary();
                if !self.eat(")") {
                    self.at = self.tokens.len() + 1;
                }
                v
            }
            Token::Name(n) if n == "defined" => {
                let paren = self.eat("(");
                let Some(Token::Name(name)) = self.tokens.get(self.at).cloned() else {
                    self.at = self.tokens.len() + 1;
                    return None;
                };
                self.at += 1;
                if paren && !self.eat(")") {
                    self.at = self.tokens.len() + 1;
                }
                self.cx.defined(&name, self.depth).map(i64::from)
            }
            Token::Name(name) => {
                if self.eat("(") {
                    // a function-like macro or `__has_include(..)`: unknown
                    let mut open = 1;
                    while open > 0 {
                        match self.tokens.get(self.at) {
                            None => return None,
                            Some(Token::Op("(")) => open += 1,
                            Some(Token::Op(")")) => open -= 1,
                            _ => {}
                        }
                        self.at += 1;
                    }
                    return None;
                }
                self.cx.value(&name, self.depth)
            }
            Token::Op(_) => {
                self.at = self.tokens.len() + 1;
                None
            }
        }
    }
}

fn apply(op: &str, a: i64, b: i64) -> Option<i64> {
    let bool = |x: bool| Some(i64::from(x));
    match op {
        "||" => bool(a != 0 || b != 0),
        "&&" => bool(a != 0 && b != 0),
        "|" => Some(a | b),
        "^" => Some(a ^ b),
        "&" => Some(a & b),
        "==" => bool(a == b),
        "!=" => bool(a != b),
        "<" => bool(a < b),
        "<=" => bool(a <= b),
        ">" => bool(a > b),
        ">=" => bool(a >= b),
        "<<" => Some(a.wrapping_shl(b as u32)),
        ">>" => Some(a.wrapping_shr(b as u32)),
        "+" => Some(a.wrapping_add(b)),
        "-" => Some(a.wrapping_sub(b)),
        "*" => Some(a.wrapping_mul(b)),
        "/" => a.checked_div(b),
        "%" => a.checked_rem(b),
        _ => None,
    }
}
