//! References into the facts: the walks' raw references filtered, typed
//! and split into their qualifiers' own references, then imported names.

use rustc_hash::FxHashSet;
use weft_db::{Pos, Role, Span, SymbolKind};

use super::scopes::Scopes;
use super::{Builder, RawRef};
use crate::facts::{Expr, FileFacts, LocalRef, Name, Receiver, Ref};
use crate::syntax::is_name_segment;

impl Builder<'_> {
    /// References: drop definition names, parts of a larger simple path,
    /// duplicates (keep the most specific role), and locals.
    pub(super) fn place_refs(
        &self,
        mut refs: Vec<RawRef>,
        scopes: &Scopes,
        expr_of: &[Option<u32>],
        facts: &mut FileFacts,
    ) {
        refs.sort_by(|a, b| {
            a.range
                .start
                .cmp(&b.range.start)
                .then(b.range.end.cmp(&a.range.end))
                .then(role_rank(a.role).cmp(&role_rank(b.role)))
        });
        let mut outer_end = 0usize;
        // A name found twice (a call the query captured, then its name as
        // the walk's leaf) is one reference: the first, most specific, wins.
        let mut seen: FxHashSet<Span> = FxHashSet::default();
        let def_spans: FxHashSet<Span> = facts.defs.iter().map(|d| d.span).collect();
        // `namespace A.B`: its name's segments name it, they refer to nothing
        let namespace_names: Vec<std::ops::Range<usize>> = self
            .defs
            .iter()
            .filter(|d| d.kind == SymbolKind::Module)
            .map(|d| d.name_range.clone())
            .collect();
        for r in refs {
            if r.range.start < outer_end {
                continue;
            }
            if seen.contains(&r.span) {
                continue;
            }
            if (self.def_name_starts.contains_key(&r.range.start) && r.path.len() == 1)
                || def_spans.contains(&r.span)
                || namespace_names
                    .iter()
                    .any(|n| n.start <= r.range.start && r.range.end <= n.end)
            {
                continue;
            }
            if !r.import_path
                && self
                    .import_ranges
                    .iter()
                    .any(|i| i.start <= r.range.start && r.range.end <= i.end)
            {
                continue;
            }
            if r.receiver == Receiver::Path {
                outer_end = r.range.end;
            }
            seen.insert(r.span);
            let scope = scopes.scope_at(r.range.start);
            let scope32 = scope.map(|s| s as u32);
            // `a::b` starts at a module or a type, never at a value: a local
            // variable named `a` does not hide it (Rust, C++); a type
            // parameter may head it (`A::Output`)
            let namespace_head = r.path.len() > 1
                && self.src[r.range.clone()]
                    .strip_prefix(r.path[0].as_str())
                    .is_some_and(|rest| rest.trim_start().starts_with("::"))
                && !scopes.names_type_at(&r.path[0], r.range.start);
            // A local at the head of the path is a use of its binding (a
            // name bound in a function, or inside a scope node: an impl's
            // type parameter).
            if r.receiver == Receiver::Path
                && !namespace_head
                && (r.path.len() == 1 || r.qualifiers.len() == r.path.len() - 1)
                && let Some(local) = scopes.binding_of(&r.path[0], r.range.start)
                && (scopes.in_scope_node(local) || scopes.is_local(scope, &r.path[0], &facts.defs))
            {
                let (span, role) = match r.qualifiers.first() {
                    Some(q) => (*q, Role::Read),
                    None => (r.span, r.role),
                };
                facts.local_refs.push(LocalRef { span, local, role });
                if r.path.len() == 1 {
                    continue;
                }
            }
            let mut path = r.path;
            let mut receiver = r.receiver;
            if let Receiver::Expr(e) = receiver {
                receiver = match expr_of[e as usize] {
                    Some(e) => Receiver::Expr(e),
                    None => Receiver::Unknown,
                };
            }
            // What the segments before the last one denote, for typing the
            // last and for the qualifiers' own references.
            let mut qualifier_receivers: Vec<Option<(Vec<Name>, Receiver)>> = Vec::new();
            if receiver == Receiver::Path
                && path.len() > 1
                && let Some(bound) = self.bound_of(&path[0], r.range.start)
            {
                // `V::BYTES` with `V: Vector`: an item of the bound (the
                // head is the type parameter's use, a local's)
                path = bound.iter().chain(&path[1..]).cloned().collect();
                qualifier_receivers = vec![None; r.qualifiers.len()];
            } else if receiver == Receiver::Path
                && path.len() > 1
                && scopes.self_name(scope, &path[0], &facts.defs)
            {
                path[0] = Name::new_static("self");
                qualifier_receivers.push(None);
                for k in 1..path.len() - 1 {
                    qualifier_receivers.push(Some((path[..=k].to_vec(), Receiver::Path)));
                }
            } else if receiver == Receiver::Path
                && !namespace_head
                && scopes.is_local(scope, &path[0], &facts.defs)
                && !scopes.unbound_at(&path[0], r.range.start)
            {
                if path.len() == 1 {
                    continue;
                }
                let base = scopes
                    .typed_local(&path[0], r.range.start, scope, &facts.defs)
                    .and_then(|v| expr_of[v as usize]);
                qualifier_receivers.push(None);
                for k in 1..path.len() - 1 {
                    qualifier_receivers.push(base.map(|b| {
                        let recv = chain(&mut facts.exprs, b, &path[1..k]);
                        (vec![path[k].clone()], Receiver::Expr(recv))
                    }));
                }
                receiver = match base {
                    Some(b) => Receiver::Expr(chain(&mut facts.exprs, b, &path[1..path.len() - 1])),
                    None => Receiver::Unknown,
                };
                path = vec![path.last().unwrap().clone()];
            } else if receiver == Receiver::Path {
                for k in 0..path.len() - 1 {
                    qualifier_receivers.push(Some((path[..=k].to_vec(), Receiver::Path)));
                }
            }
            if r.qualifiers.len() == qualifier_receivers.len() {
                for (span, q) in r.qualifiers.iter().zip(qualifier_receivers) {
                    // (a root written as punctuation, Ruby's `::X`, is no name)
                    if let Some((path, receiver)) = q
                        && path.last().is_some_and(|seg| is_name_segment(seg))
                    {
                        facts.refs.push(Ref {
                            path,
                            receiver,
                            role: Role::Read,
                            span: *span,
                            scope: scope32,
                            arity: None,
                        });
                    }
                }
            }
            facts.refs.push(Ref {
                path,
                receiver,
                role: r.role,
                span: r.span,
                scope: scope32,
                arity: r.arity,
            });
        }
    }

    /// Names the language's `prepare` blanked for the grammar (C's
    /// `BROTLI_INLINE` in `static BROTLI_INLINE int f()`, Rust's `vec` of
    /// `vec![..]`) are still uses of what they name: each a reference.
    pub(super) fn blanked_names(&mut self, original: &str) {
        let (was, now) = (original.as_bytes(), self.src.as_bytes());
        let is_word = |c: u8| c == b'_' || c.is_ascii_alphanumeric();
        let (mut line, mut line_start) = (0u32, 0usize);
        let mut i = 0;
        while i < was.len() {
            if was[i] == b'\n' {
                line += 1;
                line_start = i + 1;
            }
            let starts_name = was[i] != now[i]
                && (was[i] == b'_' || was[i].is_ascii_alphabetic())
                && (i == 0 || !is_word(was[i - 1]));
            if !starts_name {
                i += 1;
                continue;
            }
            let end = (i..was.len())
                .find(|&k| !is_word(was[k]))
                .unwrap_or(was.len());
            if now[i..end].iter().all(|&c| c == b' ') {
                let col = (i - line_start) as u32;
                self.refs.push(RawRef {
                    range: i..end,
                    path: vec![Name::from(&original[i..end])],
                    receiver: Receiver::Path,
                    role: Role::Read,
                    span: Span {
                        start: Pos { line, col },
                        end: Pos {
                            line,
                            col: col + (end - i) as u32,
                        },
                    },
                    qualifiers: Vec::new(),
                    import_path: false,
                    arity: None,
                });
            }
            i = end;
        }
    }

    /// Each imported name is a reference with role `import`, resolved
    /// through the import itself.
    pub(super) fn add_import_refs(&self, facts: &mut FileFacts) {
        for imp in &self.imports {
            for n in &imp.names {
                facts.refs.push(Ref {
                    path: vec![n.local().clone()],
                    receiver: Receiver::Path,
                    role: Role::Import,
                    span: n.span,
                    scope: None,
                    arity: None,
                });
            }
        }
    }
}

/// Member expressions for `segs` in turn on `base`: the last one's index.
fn chain(exprs: &mut Vec<Expr>, base: u32, segs: &[Name]) -> u32 {
    segs.iter().fold(base, |b, s| {
        exprs.push(Expr::Member(b, s.clone()));
        exprs.len() as u32 - 1
    })
}

fn role_rank(r: Role) -> u8 {
    match r {
        Role::Import => 0,
        Role::Inherit => 1,
        Role::Call => 2,
        Role::Write => 3,
        Role::Type => 4,
        Role::Read => 5,
    }
}

#[cfg(test)]
mod tests {
    use crate::facts::FileFacts;

    fn rust(src: &str) -> FileFacts {
        let lang = crate::languages::support(crate::languages::of_path("a.rs").unwrap());
        crate::extract::extract(lang, 0, src)
    }

    /// The 0-based columns on line 1 where a use of a local starts.
    fn local_uses_on_second_line(f: &FileFacts) -> Vec<u32> {
        f.local_refs
            .iter()
            .filter(|r| r.span.start.line == 1)
            .map(|r| r.span.start.col)
            .collect()
    }

    #[test]
    fn a_name_blanked_for_the_grammar_is_still_a_reference() {
        let lang = crate::languages::support(crate::languages::of_path("a.c").unwrap());
        let src = "#define API inline\nstatic API int f(int* RESTRICT p) { return *p; }\n";
        let f = crate::extract::extract(lang, 0, src);
        let uses = |name: &str| -> Vec<(u32, u32, u32)> {
            f.refs
                .iter()
                .filter(|r| r.path.len() == 1 && r.path[0] == name)
                .map(|r| (r.span.start.line, r.span.start.col, r.span.end.col))
                .collect()
        };
        assert_eq!(uses("API"), [(1, 7, 10)]);
        assert_eq!(uses("RESTRICT"), [(1, 22, 30)]);
        assert!(f.defs.iter().any(|d| d.name == "f"));
        // the parameter is `p`, used in the body
        let p: Vec<&str> = f.locals.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(p, ["p"]);
        assert_eq!(f.local_refs.len(), 1);
    }

    #[test]
    fn a_type_parameter_heads_a_path_a_variable_does_not() {
        let f = rust("fn f<A: Default>(ast: u8) -> A {\nA::default(); ast::go(); ast\n}\n");
        // `A` at 0 and the last `ast` at 25 are locals; `ast::go` is a module's
        assert_eq!(local_uses_on_second_line(&f), [0, 25]);
        assert!(
            f.refs
                .iter()
                .any(|r| r.path.iter().map(|s| s.as_str()).eq(["ast", "go"]))
        );
    }
}
