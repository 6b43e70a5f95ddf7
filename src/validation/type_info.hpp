// type_info: the types at the current point of a walk over a document (graphql-js TypeInfo).
#pragma once

#include <vector>

#include "sluice/language/ast.hpp"
#include "sluice/schema/schema.hpp"

namespace sluice::validation::detail {

// Tracks, as a walk enters and leaves nodes, the output type, the composite type selections are made on, the
// field and directive definitions, the argument, and the input type expected for a value (with its default).
// Every getter returns nullptr when the type is unknown (an unknown field, type or argument upstream).
class type_info {
 public:
  explicit type_info(const schema::schema& s) : schema_(s) {}

  // The output type of the current field (or of the operation / fragment): graphql-js getType().
  [[nodiscard]] const schema::type* type() const { return top(type_stack_); }
  // The composite type the current selection set selects on: graphql-js getParentType().
  [[nodiscard]] const schema::named_type* parent_type() const { return top(parent_type_stack_); }
  // The input type expected for the current value: graphql-js getInputType().
  [[nodiscard]] const schema::type* input_type() const { return top(input_type_stack_); }
  // The input type around the current one (the list or input object): graphql-js getParentInputType().
  [[nodiscard]] const schema::type* parent_input_type() const {
    return input_type_stack_.size() > 1 ? input_type_stack_[input_type_stack_.size() - 2] : nullptr;
  }
  [[nodiscard]] const schema::field* field_def() const { return top(field_def_stack_); }
  // Whether the current value's position (an argument or an input field) has a default value.
  [[nodiscard]] bool has_default_value() const { return !default_stack_.empty() && default_stack_.back(); }
  [[nodiscard]] const schema::directive_definition* directive() const { return directive_; }
  [[nodiscard]] const schema::input_value* argument() const { return argument_; }

  void enter_selection_set();
  void leave_selection_set() { parent_type_stack_.pop_back(); }
  void enter_field(const language::field& f);
  void leave_field();
  void enter_directive(const language::directive& d) {
    directive_ = schema_.find_directive(d.directive_name.text);
  }
  void leave_directive() { directive_ = nullptr; }
  void enter_operation(const language::operation_definition& op);
  // Inline fragments and fragment definitions: the type condition (empty: the current type).
  void enter_fragment(const language::name& type_condition);
  // Operations, inline fragments and fragment definitions.
  void leave_typed_definition() { type_stack_.pop_back(); }
  void enter_variable_definition(const language::variable_definition& v);
  void leave_variable_definition() { input_type_stack_.pop_back(); }
  void enter_argument(const language::argument& a);
  void leave_argument();
  void enter_list();
  void enter_object_field(const language::object_field& f);
  // Lists and object fields.
  void leave_input_position();

  // The definition of a field selected on `parent` (graphql-js getFieldDef), meta fields included.
  [[nodiscard]] static const schema::field* find_field_def(const schema::schema& s,
                                                           const schema::named_type* parent,
                                                           std::string_view name);

 private:
  template <typename T>
  static T top(const std::vector<T>& stack) {
    return stack.empty() ? nullptr : stack.back();
  }

  const schema::schema& schema_;
  std::vector<const schema::type*> type_stack_;
  std::vector<const schema::named_type*> parent_type_stack_;
  std::vector<const schema::type*> input_type_stack_;
  std::vector<const schema::field*> field_def_stack_;
  std::vector<bool> default_stack_;
  const schema::directive_definition* directive_ = nullptr;
  const schema::input_value* argument_ = nullptr;
};

}  // namespace sluice::validation::detail
