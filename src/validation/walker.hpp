// walker: one depth-first walk over a document (or one definition), keeping a type_info, telling a visitor.
#pragma once

#include "sluice/language/ast.hpp"
#include "validation/type_info.hpp"
#include "validation/visitor.hpp"

namespace sluice::validation::detail {

// Visits nodes in graphql-js's order (its QueryDocumentKeys, descriptions left out) and updates the type_info
// around each visitor event the way graphql-js's visitWithTypeInfo does: the type_info enters a node before
// the visitor does, and leaves it after. When the visitor skips a node, its children are not visited.
class walker {
 public:
  walker(type_info& types, visitor& v) : types_(types), visitor_(v) {}

  void walk(const language::document& doc);
  void walk(const language::operation_definition& op);
  void walk(const language::fragment_definition& fragment);

 private:
  void walk_variable_definition(const language::variable_definition& v);
  void walk_selection_set(const language::selection_set& set);
  void walk_field(const language::field& f);
  void walk_fragment_spread(const language::fragment_spread& s);
  void walk_inline_fragment(const language::inline_fragment& f);
  void walk_directives(language::list<language::directive> directives, schema::directive_location where);
  void walk_arguments(language::list<language::argument> arguments);
  void walk_value(const language::value& v);
  void walk_type(const language::type& t, bool in_type_system);
  void walk_schema_definition(const language::schema_definition& s);
  void walk_type_definition(const language::type_definition& t);
  void walk_field_definition(const language::field_definition& f);
  void walk_input_value_definition(const language::input_value_definition& v,
                                   schema::directive_location where);
  void walk_directive_definition(const language::directive_definition& d);

  type_info& types_;
  visitor& visitor_;
};

}  // namespace sluice::validation::detail
