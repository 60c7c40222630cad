; Python: definitions
(class_definition name: (identifier) @name) @def.class
(function_definition name: (identifier) @name) @def.function
(module (expression_statement (assignment left: (identifier) @name) @def.variable))
(class_definition body: (block (expression_statement (assignment left: (identifier) @name) @def.field)))
; instance attributes: `self.x = ...` directly in a method's body
(class_definition body: (block (function_definition body: (block (expression_statement (assignment left: (attribute object: (identifier) @_self attribute: (identifier) @name) @def.field)))) (#eq? @_self "self")))
(class_definition body: (block (decorated_definition definition: (function_definition body: (block (expression_statement (assignment left: (attribute object: (identifier) @_self attribute: (identifier) @name) @def.field))))) (#eq? @_self "self")))

(import_statement) @import
(import_from_statement) @import

(class_definition superclasses: (argument_list (identifier) @inherit))
(class_definition superclasses: (argument_list (attribute) @inherit))

; the first parameter of a method names the instance
(class_definition body: (block (function_definition parameters: (parameters . (identifier) @selfname))))
(class_definition body: (block (decorated_definition definition: (function_definition parameters: (parameters . (identifier) @selfname)))))


(global_statement (identifier) @_global)

; references
(call function: (identifier) @ref.call)
(call function: (attribute attribute: (identifier) @name) @ref.call)
(decorator (identifier) @ref.call)
(decorator (attribute attribute: (identifier) @name) @ref.call)
(assignment left: (attribute attribute: (identifier) @name) @ref.write)
(type (identifier) @ref.type)
(type (attribute attribute: (identifier) @name) @ref.type)
; every other identifier and attribute: the occurrence walk (see python.rs)
