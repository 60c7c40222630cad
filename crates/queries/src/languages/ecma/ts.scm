; TypeScript only
(interface_declaration name: (type_identifier) @name) @def.interface
(type_alias_declaration name: (type_identifier) @name) @def.type_alias
(enum_declaration name: (identifier) @name) @def.enum
(enum_body name: (property_identifier) @name @def.enum_member)
(enum_assignment name: (property_identifier) @name) @def.enum_member
(abstract_class_declaration name: (type_identifier) @name) @def.class
(method_signature name: (property_identifier) @name) @def.method
(abstract_method_signature name: (property_identifier) @name) @def.method
(property_signature name: (property_identifier) @name) @def.field
(public_field_definition name: (property_identifier) @name) @def.field
(function_signature name: (identifier) @name) @def.function
(internal_module name: (identifier) @name) @def.module
(program (ambient_declaration (function_signature name: (identifier) @name) @def.function))
(program (ambient_declaration (lexical_declaration (variable_declarator name: (identifier) @name) @def.variable)))
(program (ambient_declaration (variable_declaration (variable_declarator name: (identifier) @name) @def.variable)))

; keys of an object literal whose type is written: `const s: T = {k: v}`,
; `(): T => ({k: v})` (not a shorthand `{k}`: its one span is the read of `k`)
(variable_declarator type: (type_annotation (_) @member.type) value: (object (pair key: (property_identifier) @member)))
(arrow_function return_type: (type_annotation (_) @member.type) body: (parenthesized_expression (object (pair key: (property_identifier) @member))))

(extends_clause value: (identifier) @inherit)
(extends_clause value: (member_expression) @inherit)
(implements_clause (type_identifier) @inherit)
(extends_type_clause (type_identifier) @inherit)


