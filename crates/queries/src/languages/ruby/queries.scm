; Ruby: definitions. `class A::B` is B with A as its owner.
(class name: (constant) @name) @def.class
(class name: (scope_resolution scope: (_) @owner name: (constant) @name)) @def.class
(module name: (constant) @name) @def.module
(module name: (scope_resolution scope: (_) @owner name: (constant) @name)) @def.module
; every `def` is a method (of Object at the top level, of a module in one)
(method name: (_) @name) @def.method
(singleton_method name: (_) @name) @def.method
(assignment left: (constant) @name) @def.constant
; `@x = v` in a method: a field of its class, at its first assignment
(assignment left: (instance_variable) @name @def.field)
(assignment left: (left_assignment_list (instance_variable) @name @def.field))
(operator_assignment left: (instance_variable) @name @def.field)
; `attr_reader :a, :b`: methods named by the symbols
(call
  method: (identifier) @_attr
  arguments: (argument_list (simple_symbol) @name @def.method)
  (#match? @_attr "^attr_(reader|writer|accessor)$"))

; `require "a/b"`, `require_relative "b"`, `autoload :B, "a/b"`
(call
  method: (identifier) @_req
  arguments: (argument_list . (string))
  (#match? @_req "^(require|require_relative|load)$")) @import
(call
  method: (identifier) @_req
  arguments: (argument_list . (simple_symbol) . (string))
  (#eq? @_req "autoload")) @import

(superclass [(constant) (scope_resolution)] @inherit)
; `include M`, `extend M`, `prepend M`: M's methods are the class's
(call
  method: (identifier) @_mixin
  arguments: (argument_list [(constant) (scope_resolution)] @inherit)
  (#match? @_mixin "^(include|extend|prepend)$"))

; references
; (a bare `f x` is the walk's: a name looked up in scope)
(call receiver: (_) method: (identifier) @name) @ref.call
(call receiver: (_) method: (constant) @name) @ref.call
(assignment left: (call method: (identifier) @name) @ref.write)
(operator_assignment left: (call method: (identifier) @name) @ref.write)
; every other identifier, constant, instance variable and `A::B`: the
; occurrence walk (see mod.rs)
