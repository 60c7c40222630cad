; C#: definitions. A namespace is a definition holding its types (a
; file-scoped `namespace A.B;` holds the rest of its file: see mod.rs).
(namespace_declaration name: (_) @name) @def.module
(file_scoped_namespace_declaration name: (_) @name) @def.module
(class_declaration name: (identifier) @name) @def.class
(struct_declaration name: (identifier) @name) @def.struct
(record_declaration name: (identifier) @name) @def.class
(interface_declaration name: (identifier) @name) @def.interface
(enum_declaration name: (identifier) @name) @def.enum
(enum_member_declaration name: (identifier) @name) @def.enum_member
(delegate_declaration name: (identifier) @name) @def.type_alias
(method_declaration name: (identifier) @name) @def.method
(constructor_declaration name: (identifier) @name) @def.method
(property_declaration name: (identifier) @name) @def.field
(field_declaration (variable_declaration (variable_declarator name: (identifier) @name))) @def.field
(event_field_declaration (variable_declaration (variable_declarator name: (identifier) @name))) @def.field
(event_declaration name: (identifier) @name) @def.field
(record_declaration (parameter_list (parameter name: (identifier) @name) @def.field))

(using_directive) @import
(using_directive [(qualified_name) (identifier)] @import.path .)

(base_list [(identifier) (qualified_name)] @inherit)
(base_list (generic_name (identifier) @inherit))
(base_list (primary_constructor_base_type type: [(identifier) (qualified_name)] @inherit))

; references
(invocation_expression function: (identifier) @ref.call)
(invocation_expression function: (generic_name (identifier) @ref.call))
(invocation_expression function: (member_access_expression name: (identifier) @name) @ref.call)
(invocation_expression function: (member_access_expression name: (generic_name (identifier) @name)) @ref.call)
(object_creation_expression type: [(identifier) (qualified_name)] @ref.call)
(object_creation_expression type: (generic_name (identifier) @ref.call))
(assignment_expression left: (identifier) @ref.write)
(assignment_expression left: (member_access_expression name: (identifier) @name) @ref.write)
(attribute name: [(identifier) (qualified_name)] @ref.type)
; `a?.B`
(conditional_access_expression condition: (_) @member.value
  (member_binding_expression name: (identifier) @member))
; `new T { P = v }`
(object_creation_expression type: (_) @member.type
  initializer: (initializer_expression (assignment_expression left: (identifier) @member)))
; every other identifier, member access and qualified name: the occurrence walk (see mod.rs)
