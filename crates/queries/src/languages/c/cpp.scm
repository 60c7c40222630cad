; C++: definitions. Functions and variables at file or namespace scope
; (also inside `#if` blocks and `extern "C"`), not in a function's body.
(translation_unit (declaration declarator: [
    (function_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
    (reference_declarator (function_declarator declarator: (identifier) @name))]) @def.function)
(translation_unit (declaration declarator: [
    (identifier) @name
    (init_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (identifier) @name)
    (init_declarator declarator: (pointer_declarator declarator: (identifier) @name))
    (array_declarator declarator: (identifier) @name)
    (init_declarator declarator: (array_declarator declarator: (identifier) @name))]) @def.variable)
(translation_unit (declaration declarator: (identifier)) . (expression_statement (call_expression function: (identifier) @name)) @def.function)
(preproc_if (declaration declarator: [
    (function_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
    (reference_declarator (function_declarator declarator: (identifier) @name))]) @def.function)
(preproc_if (declaration declarator: [
    (identifier) @name
    (init_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (identifier) @name)
    (init_declarator declarator: (pointer_declarator declarator: (identifier) @name))
    (array_declarator declarator: (identifier) @name)
    (init_declarator declarator: (array_declarator declarator: (identifier) @name))]) @def.variable)
(preproc_if (declaration declarator: (identifier)) . (expression_statement (call_expression function: (identifier) @name)) @def.function)
(preproc_ifdef (declaration declarator: [
    (function_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
    (reference_declarator (function_declarator declarator: (identifier) @name))]) @def.function)
(preproc_ifdef (declaration declarator: [
    (identifier) @name
    (init_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (identifier) @name)
    (init_declarator declarator: (pointer_declarator declarator: (identifier) @name))
    (array_declarator declarator: (identifier) @name)
    (init_declarator declarator: (array_declarator declarator: (identifier) @name))]) @def.variable)
(preproc_ifdef (declaration declarator: (identifier)) . (expression_statement (call_expression function: (identifier) @name)) @def.function)
(preproc_else (declaration declarator: [
    (function_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
    (reference_declarator (function_declarator declarator: (identifier) @name))]) @def.function)
(preproc_else (declaration declarator: [
    (identifier) @name
    (init_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (identifier) @name)
    (init_declarator declarator: (pointer_declarator declarator: (identifier) @name))
    (array_declarator declarator: (identifier) @name)
    (init_declarator declarator: (array_declarator declarator: (identifier) @name))]) @def.variable)
(preproc_else (declaration declarator: (identifier)) . (expression_statement (call_expression function: (identifier) @name)) @def.function)
(preproc_elif (declaration declarator: [
    (function_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
    (reference_declarator (function_declarator declarator: (identifier) @name))]) @def.function)
(preproc_elif (declaration declarator: [
    (identifier) @name
    (init_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (identifier) @name)
    (init_declarator declarator: (pointer_declarator declarator: (identifier) @name))
    (array_declarator declarator: (identifier) @name)
    (init_declarator declarator: (array_declarator declarator: (identifier) @name))]) @def.variable)
(preproc_elif (declaration declarator: (identifier)) . (expression_statement (call_expression function: (identifier) @name)) @def.function)
(linkage_specification (declaration declarator: [
    (function_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
    (reference_declarator (function_declarator declarator: (identifier) @name))]) @def.function)
(linkage_specification (declaration declarator: [
    (identifier) @name
    (init_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (identifier) @name)
    (init_declarator declarator: (pointer_declarator declarator: (identifier) @name))
    (array_declarator declarator: (identifier) @name)
    (init_declarator declarator: (array_declarator declarator: (identifier) @name))]) @def.variable)
(declaration_list (declaration declarator: [
    (function_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
    (reference_declarator (function_declarator declarator: (identifier) @name))]) @def.function)
(declaration_list (declaration declarator: [
    (identifier) @name
    (init_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (identifier) @name)
    (init_declarator declarator: (pointer_declarator declarator: (identifier) @name))
    (array_declarator declarator: (identifier) @name)
    (init_declarator declarator: (array_declarator declarator: (identifier) @name))]) @def.variable)
(function_definition declarator: (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name)) @def.function
(function_definition declarator: (pointer_declarator declarator: (function_declarator declarator: [(identifier) (field_identifier)] @name))) @def.function
(function_definition declarator: (reference_declarator (function_declarator declarator: [(identifier) (field_identifier)] @name))) @def.function
; `R Type::name(...) {}`: a method defined out of its class
(function_definition declarator: (function_declarator declarator: (qualified_identifier
  scope: [(namespace_identifier) @owner (template_type name: (type_identifier) @owner)]
  name: [(identifier) (operator_name) (destructor_name)] @name))) @def.method
(function_definition declarator: (pointer_declarator declarator: (function_declarator declarator: (qualified_identifier
  scope: [(namespace_identifier) @owner (template_type name: (type_identifier) @owner)]
  name: (identifier) @name)))) @def.method
(function_definition declarator: (reference_declarator (function_declarator declarator: (qualified_identifier
  scope: [(namespace_identifier) @owner (template_type name: (type_identifier) @owner)]
  name: (identifier) @name)))) @def.method
; methods declared in a class body
(field_declaration declarator: (function_declarator declarator: [(field_identifier) (operator_name) (destructor_name)] @name)) @def.method
(field_declaration declarator: (pointer_declarator declarator: (function_declarator declarator: (field_identifier) @name))) @def.method
(field_declaration declarator: (reference_declarator (function_declarator declarator: (field_identifier) @name))) @def.method
(field_declaration_list (declaration declarator: (function_declarator declarator: [(identifier) (destructor_name) (operator_name)] @name)) @def.method)
(field_declaration_list (function_definition declarator: (function_declarator declarator: [(identifier) (destructor_name)] @name)) @def.method)
(namespace_definition name: (namespace_identifier) @name) @def.module
(class_specifier name: (type_identifier) @name body: (_)) @def.class
(class_specifier name: (template_type name: (type_identifier) @name) body: (_)) @def.class
(struct_specifier name: (type_identifier) @name body: (_)) @def.struct
(struct_specifier name: (template_type name: (type_identifier) @name) body: (_)) @def.struct
(union_specifier name: (type_identifier) @name body: (_)) @def.struct
(enum_specifier name: (type_identifier) @name body: (_)) @def.enum
; `enum class` constants are its members; a plain enum's are names of the
; scope around it
(enum_specifier "class" body: (enumerator_list (enumerator name: (identifier) @name) @def.enum_member))
(enum_specifier "struct" body: (enumerator_list (enumerator name: (identifier) @name) @def.enum_member))
((enum_specifier body: (enumerator_list (enumerator name: (identifier) @name) @def.constant)) @_plain
  (#not-match? @_plain "^enum\\s+(class|struct)\\b"))
(type_definition declarator: (type_identifier) @name) @def.type_alias
(type_definition declarator: (pointer_declarator declarator: (type_identifier) @name)) @def.type_alias
(alias_declaration name: (type_identifier) @name) @def.type_alias
(field_declaration declarator: (field_identifier) @name) @def.field
(field_declaration declarator: (pointer_declarator declarator: (field_identifier) @name)) @def.field
(field_declaration declarator: (reference_declarator (field_identifier) @name)) @def.field
(field_declaration declarator: (array_declarator declarator: (field_identifier) @name)) @def.field
(preproc_def name: (identifier) @name) @def.macro
(preproc_function_def name: (identifier) @name) @def.macro

(preproc_include) @import
(using_declaration) @import

(base_class_clause [(type_identifier) (qualified_identifier)] @inherit)
(base_class_clause (template_type name: (type_identifier) @inherit))

; references
(call_expression function: (identifier) @ref.call)
(call_expression function: (qualified_identifier) @ref.call)
(call_expression function: (template_function name: (identifier) @ref.call))
(call_expression function: (field_expression field: (field_identifier) @name) @ref.call)
(call_expression function: (field_expression field: (template_method name: (field_identifier) @name)) @ref.call)
(new_expression type: [(type_identifier) (qualified_identifier)] @ref.call)
(new_expression type: (template_type name: (type_identifier) @ref.call))
(assignment_expression left: (identifier) @ref.write)
(assignment_expression left: (field_expression field: (field_identifier) @name) @ref.write)
(field_initializer (field_identifier) @ref.write)
; every other identifier, type name, qualified name and member access: the
; occurrence walk (see mod.rs)

; `TEST_F(Suite, Name) { .. }`: a macro called, not a function defined (see `is_macro_with_body`)
(function_definition !type declarator: (function_declarator declarator: (identifier) @ref.call) (#match? @ref.call "^[A-Z][A-Z0-9_]*$"))
