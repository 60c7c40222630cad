//! What the occurrence walk reads: a language's [`Occurrences`] (which
//! nodes name something, bind a local, bound its visibility), compiled per
//! grammar into tables indexed by node-kind and field ids.

use weft_db::Role;

/// Per node-kind id: what the occurrence walk does with such a node.
#[derive(Clone, Copy)]
pub enum WalkAction {
    Skip,
    Leaf(Role),
    Path(Role, u16),
}

/// Per-grammar tables for the occurrence walk, indexed by kind or field id.
pub struct WalkTables {
    pub actions: Vec<WalkAction>,
    /// kind id -> binder fields (0 = any child)
    pub binders: Vec<Vec<u16>>,
    pub is_local_leaf: Vec<bool>,
    pub not_binding: Vec<bool>,
    /// kind id -> may [`LanguageHooks::binding`] find a typed local here?
    pub is_typed_binding: Vec<bool>,
    /// parent kind id -> fields whose leaves are labels
    pub label_fields: Vec<Vec<u16>>,
    /// kind id -> does a local bound inside stop being visible at its end?
    pub is_scope: Vec<bool>,
    /// Fields holding the value a binding is initialized from (`value`,
    /// `right`): a binding is visible after it (`let x = x + 1`).
    pub value_fields: Vec<u16>,
}

impl WalkTables {
    /// Does the child at `field` of a `parent` (itself binding or not) bind locals?
    /// `field` is asked for only when it matters: computing a cursor's
    /// field id is one of the walk's costlier steps.
    pub fn binds(
        &self,
        parent_kind: u16,
        parent_binding: bool,
        field: impl FnOnce() -> u16,
        child_kind: u16,
    ) -> bool {
        let binder_fields = self
            .binders
            .get(parent_kind as usize)
            .map(|v| v.as_slice())
            .unwrap_or(&[]);
        if !parent_binding && binder_fields.is_empty() {
            return false;
        }
        let field = field();
        if self
            .not_binding
            .get(field as usize)
            .copied()
            .unwrap_or(false)
        {
            return false;
        }
        if parent_binding {
            return !matches!(
                self.actions.get(child_kind as usize),
                Some(WalkAction::Path(..))
            );
        }
        // (a path names something even where a pattern binds: `Item` of
        // Kotlin's `item: Item`, whose parameter has no field to tell, or
        // the enum variant of Rust's `if let Walk::Callers = walk`)
        binder_fields.iter().any(|&f| f == 0 || f == field)
            && !matches!(
                self.actions.get(child_kind as usize),
                Some(WalkAction::Path(..))
            )
    }
}

/// Name occurrences found by one tree walk instead of query patterns
/// (a pattern matching every identifier costs as much as the parse).
pub struct Occurrences {
    /// Leaf node kinds that may name a symbol, with their default role.
    pub leaves: &'static [(&'static str, Role)],
    /// Path node kinds taken whole (`a::b`, `x.y`), with their role and the
    /// field holding the last segment.
    pub paths: &'static [(&'static str, Role, &'static str)],
    /// Where local bindings live: `(parent kind, field)` (empty field: any
    /// child). Leaves of a kind in `locals` under such a child bind a local,
    /// through nested patterns, but not through expression-valued fields
    /// (`type`, `value`, `right`, ...) or path nodes.
    pub binders: &'static [(&'static str, &'static str)],
    pub locals: &'static [&'static str],
    /// Node kinds [`LanguageHooks::binding`] understands.
    pub typed_bindings: &'static [&'static str],
    /// `(parent kind, field)` of leaves that label rather than name
    /// anything: a keyword argument's name (`f(key=value)`).
    pub labels: &'static [(&'static str, &'static str)],
    /// Node kinds that end a local's visibility: a binding is visible up
    /// to the end of the innermost one around it (a block, a closure, a
    /// loop); with none, to the end of its function.
    pub scopes: &'static [&'static str],
}

/// Fields whose subtree is an expression or a type even inside a pattern.
const NOT_BINDING: &[&str] = &[
    "type",
    "value",
    "default",
    "right",
    "body",
    "arguments",
    "function",
    "condition",
    "return_type",
    "index",
    "bounds",
    "default_type",
];

impl WalkTables {
    /// The tables for one grammar.
    pub fn new(language: &tree_sitter::Language, occ: &Occurrences) -> WalkTables {
        let mut actions = vec![WalkAction::Skip; language.node_kind_count()];
        for (id, slot) in actions.iter_mut().enumerate() {
            let id = id as u16;
            if !language.node_kind_is_named(id) {
                continue;
            }
            let Some(kind) = language.node_kind_for_id(id) else {
                continue;
            };
            if let Some((_, role)) = occ.leaves.iter().find(|(k, _)| *k == kind) {
                *slot = WalkAction::Leaf(*role);
            }
            if let Some((_, role, field)) = occ.paths.iter().find(|(k, _, _)| *k == kind) {
                let f = language
                    .field_id_for_name(field)
                    .map(|f| f.get())
                    .unwrap_or(0);
                *slot = WalkAction::Path(*role, f);
            }
        }
        let kinds = language.node_kind_count();
        let mut binders = vec![Vec::new(); kinds];
        let mut is_local_leaf = vec![false; kinds];
        let mut is_typed_binding = vec![false; kinds];
        let mut is_scope = vec![false; kinds];
        let mut label_fields = vec![Vec::new(); kinds];
        for id in 0..kinds as u16 {
            let Some(kind) = language.node_kind_for_id(id) else {
                continue;
            };
            if !language.node_kind_is_named(id) {
                continue;
            }
            for (k, field) in occ.binders {
                if *k == kind {
                    let f = if field.is_empty() {
                        Some(0)
                    } else {
                        language.field_id_for_name(field).map(|f| f.get())
                    };
                    binders[id as usize].extend(f);
                }
            }
            is_local_leaf[id as usize] = occ.locals.contains(&kind);
            is_typed_binding[id as usize] = occ.typed_bindings.contains(&kind);
            is_scope[id as usize] = occ.scopes.contains(&kind);
            for (k, field) in occ.labels {
                if *k == kind {
                    label_fields[id as usize]
                        .extend(language.field_id_for_name(field).map(|f| f.get()));
                }
            }
        }
        let mut not_binding = vec![false; language.field_count() + 1];
        for f in NOT_BINDING {
            if let Some(id) = language.field_id_for_name(f) {
                not_binding[id.get() as usize] = true;
            }
        }
        let value_fields = ["value", "right"]
            .iter()
            .filter_map(|f| language.field_id_for_name(f))
            .map(|f| f.get())
            .collect();
        WalkTables {
            actions,
            binders,
            is_local_leaf,
            not_binding,
            is_typed_binding,
            is_scope,
            label_fields,
            value_fields,
        }
    }
}
