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
(call_expression function: (identifier) @ref.call)
(call_expression function: (selector_expression field: (field_identifier) @name) @ref.call)
(assignment_statement left: (expression_list (selector_expression field: (field_identifier) @name) @ref.write))
; every other identifier, selector and qualified type: the occurrence walk (see go.rs)
