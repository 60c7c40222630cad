; Swift: definitions. An extension is no definition: its members are the
; extended type's, as a Rust `impl` block's are.
(class_declaration declaration_kind: "class" name: (type_identifier) @name) @def.class
(class_declaration declaration_kind: "actor" name: (type_identifier) @name) @def.class
(class_declaration declaration_kind: "struct" name: (type_identifier) @name) @def.struct
(class_declaration declaration_kind: "enum" name: (type_identifier) @name) @def.enum
(protocol_declaration name: (type_identifier) @name) @def.interface
(function_declaration name: (simple_identifier) @name) @def.function
(protocol_function_declaration name: (simple_identifier) @name) @def.method
(init_declaration name: "init" @name) @def.method
; a stored or computed property of a type, or a top-level one (a `let` in
; a body is a local)
(class_body (property_declaration name: (pattern bound_identifier: (simple_identifier) @name)) @def.field)
(source_file (property_declaration name: (pattern bound_identifier: (simple_identifier) @name)) @def.field)
(protocol_body (protocol_property_declaration name: (pattern bound_identifier: (simple_identifier) @name)) @def.field)
(enum_entry name: (simple_identifier) @name @def.enum_member)
(typealias_declaration name: (type_identifier) @name) @def.type_alias

(import_declaration) @import

(class_declaration declaration_kind: "extension" name: (user_type) @impl.type) @impl

(inheritance_specifier inherits_from: (user_type) @inherit)

; references
(call_expression . (simple_identifier) @ref.call)
(call_expression . (navigation_expression suffix: (navigation_suffix suffix: (simple_identifier) @name)) @ref.call)
; `$0`: a closure's implicit parameter
((simple_identifier) @local (#match? @local "^\\$"))
; every other identifier, `a.b` and type: the occurrence walk (see mod.rs)
