//! Type parameters typed by their bounds: in `fn f<V: Vector>(x: V)`, a
//! value of `V` has the members of `Vector` (`x.splat()`), and so has `V`
//! itself (`V::BYTES`), the way a reader follows a generic function.

use tree_sitter::Node;

use super::Builder;
use crate::facts::Name;
use crate::lang::ELEMENTS;
use crate::syntax::text;

/// A type parameter with the bound that gives its members, visible inside
/// the item declaring it.
pub(super) struct TypeBound {
    name: Name,
    item: std::ops::Range<usize>,
    bound: Vec<Name>,
}

impl Builder<'_> {
    /// A `@typebound` match: a type parameter (`@bound.name`) and its
    /// bounds (`@bound.traits`), written in its list or a `where` clause.
    /// The first bound with members of its own is the one kept (markers
    /// such as `Send` or `Copy` are passed over).
    pub(super) fn add_type_bound(&mut self, node: Node, name: Option<Node>, traits: Option<Node>) {
        let (Some(name), Some(traits)) = (name, traits) else {
            return;
        };
        // type_parameter -> type_parameters -> item; where_predicate -> where_clause -> item
        let Some(item) = self.family.parent(node).and_then(|p| self.family.parent(p)) else {
            return;
        };
        let bound = traits
            .named_children(&mut traits.walk())
            .filter_map(|t| self.type_path(t))
            .find(|p| p.last().is_some_and(|n| !self.lang.hooks.marker_bound(n)));
        if let Some(bound) = bound {
            self.type_bounds.push(TypeBound {
                name: text(name, self.src).into(),
                item: item.byte_range(),
                bound,
            });
        }
    }

    /// The bound typing the type parameter `name` used at byte `at`: the
    /// innermost item declaring it.
    pub(super) fn bound_of(&self, name: &str, at: usize) -> Option<&[Name]> {
        self.type_bounds
            .iter()
            .filter(|b| b.name == name && b.item.contains(&at))
            .max_by_key(|b| b.item.start)
            .map(|b| b.bound.as_slice())
    }

    /// A type path with a bounded type parameter at its head (or at its
    /// element type's) read as its bound: `V` -> `Vector`, `V::Item` ->
    /// `Vector::Item`, `&[V]` -> `[] Vector`.
    pub(super) fn through_bound(&self, path: Vec<Name>, at: usize) -> Vec<Name> {
        if let Some(k) = path.iter().position(|s| s == ELEMENTS) {
            let (container, element) = path.split_at(k + 1);
            let element = self.through_bound(element.to_vec(), at);
            return container.iter().cloned().chain(element).collect();
        }
        match path.first().and_then(|head| self.bound_of(head, at)) {
            Some(bound) => bound.iter().chain(&path[1..]).cloned().collect(),
            None => path,
        }
    }
}
