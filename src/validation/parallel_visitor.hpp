// parallel_visitor: runs several visitors (the rules) in one walk, each with its own skipping
// (visitInParallel).
#pragma once

#include <cstddef>
#include <vector>

#include "validation/visitor.hpp"

namespace sluice::validation::detail {

// Forwards every event to each visitor in order. A visitor that skips a node hears nothing more until that
// node is left (and not its leave event either); the others go on. The walk itself always descends.
class parallel_visitor final : public visitor {
 public:
  explicit parallel_visitor(std::vector<visitor*> visitors)
      : visitors_(std::move(visitors)), skipping_(visitors_.size(), nullptr) {}

  next enter_document(const language::document& n) override {
    return enter(n, [&](visitor& v) { return v.enter_document(n); });
  }
  void leave_document(const language::document& n) override {
    leave(n, [&](visitor& v) { v.leave_document(n); });
  }
  next enter_operation(const language::operation_definition& n) override {
    return enter(n, [&](visitor& v) { return v.enter_operation(n); });
  }
  void leave_operation(const language::operation_definition& n) override {
    leave(n, [&](visitor& v) { v.leave_operation(n); });
  }
  next enter_variable_definition(const language::variable_definition& n) override {
    return enter(n, [&](visitor& v) { return v.enter_variable_definition(n); });
  }
  void leave_variable_definition(const language::variable_definition& n) override {
    leave(n, [&](visitor& v) { v.leave_variable_definition(n); });
  }
  next enter_fragment_definition(const language::fragment_definition& n) override {
    return enter(n, [&](visitor& v) { return v.enter_fragment_definition(n); });
  }
  void leave_fragment_definition(const language::fragment_definition& n) override {
    leave(n, [&](visitor& v) { v.leave_fragment_definition(n); });
  }
  next enter_selection_set(const language::selection_set& n) override {
    return enter(n, [&](visitor& v) { return v.enter_selection_set(n); });
  }
  void leave_selection_set(const language::selection_set& n) override {
    leave(n, [&](visitor& v) { v.leave_selection_set(n); });
  }
  next enter_field(const language::field& n) override {
    return enter(n, [&](visitor& v) { return v.enter_field(n); });
  }
  void leave_field(const language::field& n) override {
    leave(n, [&](visitor& v) { v.leave_field(n); });
  }
  next enter_fragment_spread(const language::fragment_spread& n) override {
    return enter(n, [&](visitor& v) { return v.enter_fragment_spread(n); });
  }
  void leave_fragment_spread(const language::fragment_spread& n) override {
    leave(n, [&](visitor& v) { v.leave_fragment_spread(n); });
  }
  next enter_inline_fragment(const language::inline_fragment& n) override {
    return enter(n, [&](visitor& v) { return v.enter_inline_fragment(n); });
  }
  void leave_inline_fragment(const language::inline_fragment& n) override {
    leave(n, [&](visitor& v) { v.leave_inline_fragment(n); });
  }
  next enter_directive(const language::directive& n, schema::directive_location where) override {
    return enter(n, [&](visitor& v) { return v.enter_directive(n, where); });
  }
  void leave_directive(const language::directive& n) override {
    leave(n, [&](visitor& v) { v.leave_directive(n); });
  }
  next enter_argument(const language::argument& n) override {
    return enter(n, [&](visitor& v) { return v.enter_argument(n); });
  }
  void leave_argument(const language::argument& n) override {
    leave(n, [&](visitor& v) { v.leave_argument(n); });
  }
  next enter_value(const language::value& n) override {
    return enter(n, [&](visitor& v) { return v.enter_value(n); });
  }
  void leave_value(const language::value& n) override {
    leave(n, [&](visitor& v) { v.leave_value(n); });
  }
  next enter_object_field(const language::object_field& n) override {
    return enter(n, [&](visitor& v) { return v.enter_object_field(n); });
  }
  void leave_object_field(const language::object_field& n) override {
    leave(n, [&](visitor& v) { v.leave_object_field(n); });
  }
  void on_named_type(std::string_view name, const language::location& loc, bool in_type_system) override {
    for (std::size_t i = 0; i < visitors_.size(); ++i)
      if (skipping_[i] == nullptr) visitors_[i]->on_named_type(name, loc, in_type_system);
  }
  next enter_schema_definition(const language::schema_definition& n) override {
    return enter(n, [&](visitor& v) { return v.enter_schema_definition(n); });
  }
  void leave_schema_definition(const language::schema_definition& n) override {
    leave(n, [&](visitor& v) { v.leave_schema_definition(n); });
  }
  next enter_type_definition(const language::type_definition& n) override {
    return enter(n, [&](visitor& v) { return v.enter_type_definition(n); });
  }
  void leave_type_definition(const language::type_definition& n) override {
    leave(n, [&](visitor& v) { v.leave_type_definition(n); });
  }
  next enter_field_definition(const language::field_definition& n) override {
    return enter(n, [&](visitor& v) { return v.enter_field_definition(n); });
  }
  void leave_field_definition(const language::field_definition& n) override {
    leave(n, [&](visitor& v) { v.leave_field_definition(n); });
  }
  next enter_input_value_definition(const language::input_value_definition& n) override {
    return enter(n, [&](visitor& v) { return v.enter_input_value_definition(n); });
  }
  void leave_input_value_definition(const language::input_value_definition& n) override {
    leave(n, [&](visitor& v) { v.leave_input_value_definition(n); });
  }
  next enter_enum_value_definition(const language::enum_value_definition& n) override {
    return enter(n, [&](visitor& v) { return v.enter_enum_value_definition(n); });
  }
  void leave_enum_value_definition(const language::enum_value_definition& n) override {
    leave(n, [&](visitor& v) { v.leave_enum_value_definition(n); });
  }
  next enter_directive_definition(const language::directive_definition& n) override {
    return enter(n, [&](visitor& v) { return v.enter_directive_definition(n); });
  }
  void leave_directive_definition(const language::directive_definition& n) override {
    leave(n, [&](visitor& v) { v.leave_directive_definition(n); });
  }

 private:
  // Nodes are told apart by address: no visited node starts with another visited node as its first member.
  template <typename Node, typename Call>
  next enter(const Node& n, Call call) {
    for (std::size_t i = 0; i < visitors_.size(); ++i)
      if (skipping_[i] == nullptr && call(*visitors_[i]) == next::skip) skipping_[i] = &n;
    return next::descend;
  }
  template <typename Node, typename Call>
  void leave(const Node& n, Call call) {
    for (std::size_t i = 0; i < visitors_.size(); ++i) {
      if (skipping_[i] == nullptr)
        call(*visitors_[i]);
      else if (skipping_[i] == static_cast<const void*>(&n))
        skipping_[i] = nullptr;
    }
  }

  std::vector<visitor*> visitors_;
  std::vector<const void*> skipping_;
};

}  // namespace sluice::validation::detail
