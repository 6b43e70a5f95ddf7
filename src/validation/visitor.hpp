// The events of a walk over a document: what a validation rule (or any other listener of the walk) can
// handle.
#pragma once

#include <cstdint>
#include <string_view>

#include "sluice/language/ast.hpp"
#include "sluice/schema/schema.hpp"

namespace sluice::validation::detail {

// What an enter event asks of the walk: go on into the node, or skip what is inside it (for this listener
// only, like returning `false` from a graphql-js visitor). A skipped node gets no leave event either.
enum class next : std::uint8_t { descend, skip };

// Every node the walk visits, in graphql-js's order (QueryDocumentKeys): enter, the children, leave. The walk
// updates its type_info before an enter event and after a leave event. Every handler does nothing by default.
class visitor {
 public:
  visitor() = default;
  visitor(const visitor&) = delete;
  visitor& operator=(const visitor&) = delete;
  virtual ~visitor() = default;

  // Executable definitions.
  virtual next enter_document(const language::document&) { return next::descend; }
  virtual void leave_document(const language::document&) {}
  virtual next enter_operation(const language::operation_definition&) { return next::descend; }
  virtual void leave_operation(const language::operation_definition&) {}
  virtual next enter_variable_definition(const language::variable_definition&) { return next::descend; }
  virtual void leave_variable_definition(const language::variable_definition&) {}
  virtual next enter_fragment_definition(const language::fragment_definition&) { return next::descend; }
  virtual void leave_fragment_definition(const language::fragment_definition&) {}

  // Selections. A field's selection set is visited only when the field has one.
  virtual next enter_selection_set(const language::selection_set&) { return next::descend; }
  virtual void leave_selection_set(const language::selection_set&) {}
  virtual next enter_field(const language::field&) { return next::descend; }
  virtual void leave_field(const language::field&) {}
  virtual next enter_fragment_spread(const language::fragment_spread&) { return next::descend; }
  virtual void leave_fragment_spread(const language::fragment_spread&) {}
  virtual next enter_inline_fragment(const language::inline_fragment&) { return next::descend; }
  virtual void leave_inline_fragment(const language::inline_fragment&) {}

  // A directive, with the location it is applied to (graphql-js's getDirectiveLocationForASTPath).
  virtual next enter_directive(const language::directive&, schema::directive_location) {
    return next::descend;
  }
  virtual void leave_directive(const language::directive&) {}
  virtual next enter_argument(const language::argument&) { return next::descend; }
  virtual void leave_argument(const language::argument&) {}

  // Values of every kind (variables included), and the fields of object values.
  virtual next enter_value(const language::value&) { return next::descend; }
  virtual void leave_value(const language::value&) {}
  virtual next enter_object_field(const language::object_field&) { return next::descend; }
  virtual void leave_object_field(const language::object_field&) {}

  // A named type: in a variable definition, a type condition, or a type system definition (`in_type_system`).
  virtual void on_named_type(std::string_view, const language::location&, bool /*in_type_system*/) {}

  // Type system definitions and extensions (not executable, but graphql-js's rules see them all the same).
  virtual next enter_schema_definition(const language::schema_definition&) { return next::descend; }
  virtual void leave_schema_definition(const language::schema_definition&) {}
  virtual next enter_type_definition(const language::type_definition&) { return next::descend; }
  virtual void leave_type_definition(const language::type_definition&) {}
  virtual next enter_field_definition(const language::field_definition&) { return next::descend; }
  virtual void leave_field_definition(const language::field_definition&) {}
  virtual next enter_input_value_definition(const language::input_value_definition&) { return next::descend; }
  virtual void leave_input_value_definition(const language::input_value_definition&) {}
  virtual next enter_enum_value_definition(const language::enum_value_definition&) { return next::descend; }
  virtual void leave_enum_value_definition(const language::enum_value_definition&) {}
  virtual next enter_directive_definition(const language::directive_definition&) { return next::descend; }
  virtual void leave_directive_definition(const language::directive_definition&) {}
};

}  // namespace sluice::validation::detail
