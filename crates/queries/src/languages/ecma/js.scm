; JavaScript only
(field_definition property: (property_identifier) @name) @def.field
(class_heritage (identifier) @inherit)
(class_heritage (member_expression) @inherit)
(jsx_opening_element name: (identifier) @ref.call)
(jsx_self_closing_element name: (identifier) @ref.call)
