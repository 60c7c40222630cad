//! Types and signatures read from their text, the same way for every
//! language: a declared type as a path (`&mut Vec<T>` -> `Vec`, `const
//! ns::T&` -> `ns::T`), a one-line signature's parameter count.

/// Stands between a collection's path (possibly empty: a slice) and its
/// element type's in a type path: `Vec<T>` is `Vec [] T`, `&[T]` is `[] T`.
pub const ELEMENTS: &str = "[]";

/// A type's text as a path: references, pointers, `mut`/`dyn`/`impl`,
/// unions with null, quotes and transparent wrappers removed, generic
/// arguments dropped; a collection (`collection` names the generic ones)
/// as its path, [`ELEMENTS`], then its element type's path. None for
/// tuples, functions and other types that have no members of their own.
pub fn type_path(
    raw: &str,
    seps: &[&str],
    transparent: &dyn Fn(&str) -> bool,
    collection: &dyn Fn(&str) -> bool,
) -> Option<Vec<crate::facts::Name>> {
    type_path_in(raw, seps, transparent, collection, 0)
}

fn type_path_in(
    raw: &str,
    seps: &[&str],
    transparent: &dyn Fn(&str) -> bool,
    collection: &dyn Fn(&str) -> bool,
    depth: u8,
) -> Option<Vec<crate::facts::Name>> {
    if depth > 4 {
        return None;
    }
    let elements_of = |container: &[crate::facts::Name], element: &str| {
        let element = element.rsplit_once('=').map_or(element, |(_, t)| t); // `Item = T`
        let mut p = container.to_vec();
        p.push(ELEMENTS.into());
        p.extend(type_path_in(
            element,
            seps,
            transparent,
            collection,
            depth + 1,
        )?);
        Some(p)
    };
    let mut t = raw.trim();
    for _ in 0..8 {
        t = t.trim().trim_start_matches(':').trim();
        let before = t;
        for p in [
            "&",
            "*const ",
            "*mut ",
            "*", // Go pointers
            "mut ",
            "dyn ",
            "impl ",
            "readonly ",
            "const ",
            "volatile ",
            "struct ",
            "union ",
            "enum ",
            "class ",
            "typename ",
        ] {
            t = t.strip_prefix(p).unwrap_or(t).trim_start();
        }
        // C and C++ pointers and references: `T *`, `T &`, `T const*`
        t = t.trim_end_matches(['*', '&', ' ']);
        t = t
            .strip_suffix(" const")
            .unwrap_or(t)
            .trim_end_matches(['*', '&', ' ']);
        if t.starts_with('\'') && !t.ends_with('\'') {
            // a lifetime: `&'a T`, not a quoted Python annotation
            t = t.split_once(' ').map(|(_, r)| r).unwrap_or("");
        }
        t = t.trim_matches(|c| c == '"' || c == '\'').trim();
        if let Some((first, _)) = t.split_once('+')
            && !first.contains('<')
        {
            t = first.trim(); // `dyn Trait + Send`
        }
        if t.contains('|') && !t.contains('<') && !t.contains('[') {
            let parts: Vec<&str> = t
                .split('|')
                .map(str::trim)
                .filter(|p| !matches!(*p, "None" | "null" | "undefined" | ""))
                .collect();
            if parts.len() != 1 {
                return None;
            }
            t = parts[0];
        }
        // slices and arrays: `[T]`, `[T; N]`, `T[]`, Go's `[]T`, `[N]T`, `map[K]V`
        if let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            let element = inner.split(';').next().unwrap_or("");
            return elements_of(&[], element);
        }
        if let Some(element) = t.strip_suffix("[]") {
            return elements_of(&[], element);
        }
        if let Some(rest) = t.strip_prefix("map[")
            && let Some(close) = rest.find(']')
        {
            return elements_of(&["map".into()], &rest[close + 1..]);
        }
        if let Some(close) = t.strip_prefix('[').and_then(|r| r.find(']')) {
            return elements_of(&[], &t[close + 2..]);
        }
        if let Some(open) = t.find(['<', '[']) {
            let head = t[..open].trim();
            let last = head.rsplit(['.', ':']).next().unwrap_or(head);
            if transparent(last) && t.ends_with(['>', ']']) {
                let inner = &t[open + 1..t.len() - 1];
                t = split_top_level(inner).next().unwrap_or("");
                continue;
            }
            if collection(last) && t.ends_with(['>', ']']) {
                let args: Vec<&str> = split_top_level(&t[open + 1..t.len() - 1]).collect();
                let container = type_path_in(head, seps, transparent, collection, depth + 1)?;
                // a map's elements, as far as members go, are its values
                return elements_of(&container, args.last()?);
            }
            t = head;
        }
        if before == t {
            break;
        }
    }
    if t.is_empty() || t.starts_with(['(', '[', '{']) || t.contains(['(', ' ', '=']) {
        return None;
    }
    let segs = crate::syntax::split_path(t, seps);
    segs.iter()
        .all(|s| crate::syntax::is_name_segment(s))
        .then(|| segs.into_iter().map(Into::into).collect())
}

/// The parameters a one-line signature declares for `name`: how many
/// arguments a call may pass (fewest: those without a default value; most:
/// all, or any number after `...`/`params`), and the parameter list's text
/// (to tell a prototype and its body, which have the same, from an
/// overload). `f(int a, int b = 0, T... c)` takes 1 or more. None when the
/// signature has no whole parameter list (cut off, or none at all).
pub fn parameters<'s>(signature: &'s str, name: &str) -> Option<Parameters<'s>> {
    let at = signature
        .find(&format!("{name}("))
        .or_else(|| signature.find(&format!("{name} (")))?;
    let open = at + signature[at..].find('(')?;
    let mut depth = 0i32;
    let mut end = None;
    for (i, c) in signature[open..].char_indices() {
        match c {
            '(' | '<' | '[' | '{' => depth += 1,
            ')' | '>' | ']' | '}' => {
                depth -= 1;
                if depth == 0 && c == ')' {
                    end = Some(open + i);
                    break;
                }
            }
            _ => {}
        }
    }
    let list = signature[open + 1..end?].trim();
    if list.is_empty() || list == "void" {
        return Some(Parameters {
            fewest: 0,
            most: Some(0),
            list,
        });
    }
    let parts: Vec<&str> = split_top_level(list).collect();
    let varargs = parts
        .last()
        .is_some_and(|p| p.contains("...") || p.starts_with("params "));
    let fixed = parts.len() - usize::from(varargs);
    // (a default value, or TypeScript's `b?: T`)
    let fewest = parts[..fixed]
        .iter()
        .filter(|p| !p.contains('=') && !p.contains("?:"))
        .count();
    Some(Parameters {
        fewest,
        most: (!varargs).then_some(fixed),
        list,
    })
}

/// See [`parameters`].
pub struct Parameters<'s> {
    pub fewest: usize,
    /// None: any number.
    pub most: Option<usize>,
    pub list: &'s str,
}

impl Parameters<'_> {
    pub fn take(&self, arity: usize) -> bool {
        arity >= self.fewest && self.most.is_none_or(|m| arity <= m)
    }
}

/// The comma-separated parts of a generic argument list, nested brackets kept.
fn split_top_level(s: &str) -> impl Iterator<Item = &str> {
    let mut depth = 0i32;
    let mut start = 0;
    let mut parts = Vec::new();
    for (i, c) in s.char_indices() {
        match c {
            '<' | '[' | '(' | '{' => depth += 1,
            '>' | ']' | ')' | '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(s[start..].trim());
    parts.into_iter()
}
