; JavaScript and TypeScript, shared: definitions
(function_declaration name: (identifier) @name) @def.function
(generator_function_declaration name: (identifier) @name) @def.function
(class_declaration name: (_) @name) @def.class
(method_definition name: (property_identifier) @name) @def.method
(program (lexical_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @def.function))
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @def.function)))
(program (lexical_declaration (variable_declarator name: (identifier) @name) @def.variable))
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name) @def.variable)))
(program (variable_declaration (variable_declarator name: (identifier) @name) @def.variable))
(program (export_statement (variable_declaration (variable_declarator name: (identifier) @name) @def.variable)))

(import_statement) @import
(export_statement source: (_)) @import
(program (lexical_declaration (variable_declarator value: (call_expression function: (identifier) @_req arguments: (arguments (string)))) (#eq? @_req "require")) @import)
(program (variable_declaration (variable_declarator value: (call_expression function: (identifier) @_req arguments: (arguments (string)))) (#eq? @_req "require")) @import)



; destructured names are members of the value: `const {a, b: c} = obj`
(variable_declarator name: (object_pattern (shorthand_property_identifier_pattern) @member) value: (_) @member.value)
(variable_declarator name: (object_pattern (pair_pattern key: (property_identifier) @member)) value: (_) @member.value)
(variable_declarator name: (object_pattern (object_assignment_pattern left: (shorthand_property_identifier_pattern) @member)) value: (_) @member.value)

; references
(call_expression function: (identifier) @ref.call)
(call_expression function: (member_expression property: (property_identifier) @name) @ref.call)
(new_expression constructor: (identifier) @ref.call)
(new_expression constructor: (member_expression property: (property_identifier) @name) @ref.call)
(decorator (identifier) @ref.call)
(decorator (call_expression function: (identifier) @ref.call))
(assignment_expression left: (identifier) @ref.write)
(assignment_expression left: (member_expression property: (property_identifier) @name) @ref.write)
; every other identifier and member expression: the occurrence walk (see ecma.rs)
