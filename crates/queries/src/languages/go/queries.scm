; Go: definitions
(package_clause (package_identifier) @package)
(function_declaration name: (identifier) @name) @def.function
(method_declaration
  receiver: (parameter_list (parameter_declaration type: [
    (type_identifier) @owner
    (pointer_type (type_identifier) @owner)
    (generic_type type: (type_identifier) @owner)
    (pointer_type (generic_type type: (type_identifier) @owner))]))
  name: (field_identifier) @name) @def.method
(method_declaration receiver: (parameter_list (parameter_declaration name: (identifier) @selfname)))
(type_spec name: (type_identifier) @name type: (struct_type)) @def.struct
(type_spec name: (type_identifier) @name type: (interface_type)) @def.interface
(type_spec name: (type_identifier) @name) @def.type_alias
(type_alias name: (type_identifier) @name) @def.type_alias
(field_declaration name: (field_identifier) @name) @def.field
(method_elem name: (field_identifier) @name) @def.method
(source_file (const_declaration (const_spec name: (identifier) @name) @def.constant))
(source_file (var_declaration (var_spec name: (identifier) @name) @def.variable))

(import_declaration) @import

(field_declaration_list (field_declaration !name type: (type_identifier) @inherit))
(field_declaration_list (field_declaration !name type: (pointer_type (type_identifier) @inherit)))
(field_declaration_list (field_declaration !name type: (qualified_type) @inherit))
(interface_type (type_elem (type_identifier) @inherit))



; references
; keys of struct literals: `T{Field: v}`, and of the elided literals inside
; slice, array and map literals: `[]T{{Field: v}}`, `map[K]*T{k: {Field: v}}`
(composite_literal
  type: [(type_identifier) (qualified_type) (generic_type)] @member.type
  body: (literal_value (keyed_element key: (literal_element (identifier) @member))))
(composite_literal
  type: [(slice_type element: (_) @member.type) (array_type element: (_) @member.type)
         (implicit_length_array_type element: (_) @member.type)]
  body: (literal_value (literal_element (literal_value
    (keyed_element key: (literal_element (identifier) @member))))))
(composite_literal
  type: (map_type value: (_) @member.type)
  body: (literal_value (keyed_element value: (literal_element (literal_value
    (keyed_element key: (literal_element (identifier) @member)))))))
(call_expression function: (identifier) @ref.call)
(call_expression function: (selector_expression field: (field_identifier) @name) @ref.call)
(assignment_statement left: (expression_list (selector_expression field: (field_identifier) @name) @ref.write))
; every other identifier, selector and qualified type: the occurrence walk (see go.rs)
