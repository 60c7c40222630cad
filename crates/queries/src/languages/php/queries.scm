; PHP: definitions. A namespace is a definition holding its declarations
; (`namespace A\B;` holds the rest of its file: see mod.rs).
(namespace_definition name: (namespace_name) @name) @def.module
(class_declaration name: (name) @name) @def.class
(interface_declaration name: (name) @name) @def.interface
(trait_declaration name: (name) @name) @def.trait
(enum_declaration name: (name) @name) @def.enum
(enum_case name: (name) @name) @def.enum_member
(method_declaration name: (name) @name) @def.method
(function_definition name: (name) @name) @def.function
(property_element name: (variable_name) @name) @def.field
(property_promotion_parameter name: (variable_name) @name) @def.field
(const_declaration (const_element (name) @name) @def.constant)
; `define('NAME', v)` at any level
(function_call_expression
  function: (name) @_define
  arguments: (arguments . (argument (string (string_content) @name)) @def.constant)
  (#eq? @_define "define"))

(namespace_use_declaration) @import

(base_clause [(name) (qualified_name)] @inherit)
(class_interface_clause [(name) (qualified_name)] @inherit)
; `use SomeTrait;` in a class body: the trait's members are the class's
(use_declaration [(name) (qualified_name)] @inherit)

; references
(member_call_expression name: (name) @name) @ref.call
(nullsafe_member_call_expression name: (name) @name) @ref.call
(scoped_call_expression name: (name) @name) @ref.call
(function_call_expression function: [(name) (qualified_name)] @ref.call)
(object_creation_expression [(name) (qualified_name)] @ref.call)
(assignment_expression left: (member_access_expression name: (name) @name) @ref.write)
; every other name, `A\B`, `$a->b`, `A::B` and `A::$b`: the occurrence
; walk (see mod.rs)
