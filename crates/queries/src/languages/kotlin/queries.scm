; Kotlin: definitions. A companion object is no definition of its own:
; its members are its class's (`Cart.make()`).
(class_declaration name: (identifier) @name) @def.class
(object_declaration name: (identifier) @name) @def.class
; `fun Int.twice()`: an extension, a member of its receiver type
(function_declaration (user_type (identifier) @owner) . name: (identifier) @name) @def.function
(function_declaration name: (identifier) @name) @def.function
; a property of a class or object, or a top-level one (a `val` in a body is a local)
(class_body (property_declaration (variable_declaration (identifier) @name)) @def.field)
(source_file (property_declaration (variable_declaration (identifier) @name)) @def.field)
; `class C(val x: Int)`: a property (mod.rs keeps only `val` and `var`)
(class_parameter (identifier) @name) @def.field
(enum_entry (identifier) @name) @def.enum_member
(type_alias type: (identifier) @name) @def.type_alias
(secondary_constructor) @def.method

; `package a.b` is a namespace holding its file (see mod.rs)
(package_header (qualified_identifier) @name) @def.module
(import) @import

(delegation_specifier (user_type) @inherit)
(delegation_specifier (constructor_invocation (user_type) @inherit))

; references
(call_expression . (identifier) @ref.call)
(call_expression . (navigation_expression (identifier) @name .) @ref.call)
; `f().x`, `a[0].x`: a member of a value the walk cannot read as a path
((navigation_expression (identifier) @name .) @ref.read
  (#not-match? @ref.read "^[A-Za-z_][A-Za-z0-9_.]*$"))
; the implicit parameter of a lambda
((identifier) @local (#eq? @local "it"))
; every other identifier, `a.b` and type: the occurrence walk (see mod.rs)
