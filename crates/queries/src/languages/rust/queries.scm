; Rust: definitions
(function_item name: (identifier) @name) @def.function
(function_signature_item name: (identifier) @name) @def.function
(struct_item name: (type_identifier) @name) @def.struct
(union_item name: (type_identifier) @name) @def.struct
(enum_item name: (type_identifier) @name) @def.enum
(enum_variant name: (identifier) @name) @def.enum_member
(trait_item name: (type_identifier) @name) @def.trait
(type_item name: (type_identifier) @name) @def.type_alias
(associated_type name: (type_identifier) @name) @def.type_alias
(const_item name: (identifier) @name) @def.constant
(static_item name: (identifier) @name) @def.static
(mod_item name: (identifier) @name) @def.module
(macro_definition name: (identifier) @name) @def.macro
(field_declaration name: (field_identifier) @name) @def.field

(impl_item trait: (_) @impl.trait type: (_) @impl.type) @impl
(impl_item !trait type: (_) @impl.type) @impl

(use_declaration) @import

; supertraits: `trait Fat: Vector` extends Vector
(trait_item bounds: (trait_bounds [(type_identifier) (scoped_type_identifier)] @inherit))

; a type parameter's bounds give its values their members (`x: V`, `V: Vector`)
(type_parameter name: (type_identifier) @bound.name bounds: (trait_bounds) @bound.traits) @typebound
(where_predicate left: (type_identifier) @bound.name bounds: (trait_bounds) @bound.traits) @typebound

(struct_expression name: (_) @member.type body: (field_initializer_list (field_initializer field: (field_identifier) @member)))
(struct_expression name: (_) @member.type body: (field_initializer_list (shorthand_field_initializer (identifier) @member)))
(struct_pattern type: (_) @member.type (field_pattern name: (_) @member))



; references
(call_expression function: (identifier) @ref.call)
(call_expression function: (scoped_identifier name: (identifier) @name) @ref.call)
(call_expression function: (field_expression field: (field_identifier) @name) @ref.call)
(call_expression function: (generic_function function: (identifier) @ref.call))
(call_expression function: (generic_function function: (scoped_identifier name: (identifier) @name) @ref.call))
(call_expression function: (generic_function function: (field_expression field: (field_identifier) @name) @ref.call))
(macro_invocation macro: (identifier) @ref.call)
(macro_invocation macro: (scoped_identifier name: (identifier) @name) @ref.call)
(assignment_expression left: (identifier) @ref.write)
(assignment_expression left: (field_expression field: (field_identifier) @name) @ref.write)
(compound_assignment_expr left: (field_expression field: (field_identifier) @name) @ref.write)
; `pub(crate)`, `pub(super)`: the module they name
(visibility_modifier [(crate) (super)] @ref.read)
; the modules of a `use` path (`crate::a::b` in `use crate::a::b::C;`);
; inside a `{...}` list paths continue a prefix, so only the outer ones
(use_declaration argument: (scoped_identifier path: (_) @import.path))
(use_declaration argument: (scoped_use_list path: (_) @import.path))
(use_declaration argument: (use_as_clause path: (scoped_identifier path: (_) @import.path)))
(use_declaration argument: (use_wildcard (_) @import.path))
; every other identifier and path: the occurrence walk (see rust.rs)
