; Java: definitions
(package_declaration [(identifier) (scoped_identifier)] @package)
(class_declaration name: (identifier) @name) @def.class
(interface_declaration name: (identifier) @name) @def.interface
(annotation_type_declaration name: (identifier) @name) @def.interface
(enum_declaration name: (identifier) @name) @def.enum
(record_declaration name: (identifier) @name) @def.class
(enum_constant name: (identifier) @name) @def.enum_member
(method_declaration name: (identifier) @name) @def.method
(constructor_declaration name: (identifier) @name) @def.method
(compact_constructor_declaration name: (identifier) @name) @def.method
(annotation_type_element_declaration name: (identifier) @name) @def.method
(field_declaration declarator: (variable_declarator name: (identifier) @name)) @def.field
(constant_declaration declarator: (variable_declarator name: (identifier) @name)) @def.constant
(record_declaration parameters: (formal_parameters (formal_parameter name: (identifier) @name) @def.field))

(import_declaration) @import
(import_declaration (scoped_identifier scope: (_) @import.path) .)
(import_declaration (scoped_identifier) @import.path (asterisk))

(superclass [(type_identifier) (scoped_type_identifier)] @inherit)
(superclass (generic_type [(type_identifier) (scoped_type_identifier)] @inherit))
(super_interfaces (type_list [(type_identifier) (scoped_type_identifier)] @inherit))
(super_interfaces (type_list (generic_type [(type_identifier) (scoped_type_identifier)] @inherit)))
(extends_interfaces (type_list [(type_identifier) (scoped_type_identifier)] @inherit))
(extends_interfaces (type_list (generic_type [(type_identifier) (scoped_type_identifier)] @inherit)))

; references
(method_invocation !object name: (identifier) @ref.call)
(method_invocation object: (_) name: (identifier) @name) @ref.call
(object_creation_expression type: [(type_identifier) (scoped_type_identifier)] @ref.call)
(object_creation_expression type: (generic_type [(type_identifier) (scoped_type_identifier)] @ref.call))
(assignment_expression left: (identifier) @ref.write)
(assignment_expression left: (field_access field: (identifier) @name) @ref.write)
; `case RED:` in a switch on an enum value
(_ condition: (parenthesized_expression (_) @member.value)
   body: (switch_block (switch_block_statement_group (switch_label (identifier) @member))))
(_ condition: (parenthesized_expression (_) @member.value)
   body: (switch_block (switch_rule (switch_label (identifier) @member))))
; every other identifier, field access and scoped type: the occurrence walk (see mod.rs)
