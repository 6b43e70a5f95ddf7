// NoUnusedVariables: every variable an operation defines is used, directly or in its fragments (spec 5.8.4).
#include "validation/rules/specified_rules.hpp"

#include <unordered_set>

namespace sluice::validation::detail {
namespace {

class no_unused_variables final : public rule {
 public:
  using rule::rule;
  next enter_operation(const language::operation_definition&) override {
    definitions_.clear();
    return next::descend;
  }
  next enter_variable_definition(const language::variable_definition& v) override {
    definitions_.push_back(&v);
    return next::descend;
  }
  void leave_operation(const language::operation_definition& op) override {
    std::unordered_set<std::string_view> used;
    for (const variable_usage& usage : ctx_.recursive_variable_usages(op)) used.insert(usage.node->raw);
    for (const language::variable_definition* v : definitions_) {
      if (used.contains(v->variable.text)) continue;
      const std::string name(v->variable.text);
      ctx_.report(op.op_name.empty() ? "Variable \"$" + name + "\" is never used."
                                     : "Variable \"$" + name + "\" is never used in operation \"" +
                                           std::string(op.op_name.text) + "\".",
                  {v->loc.to_source_location()});
    }
  }

 private:
  std::vector<const language::variable_definition*> definitions_;
};

}  // namespace

std::unique_ptr<rule> make_no_unused_variables(validation_context& ctx) {
  return std::make_unique<no_unused_variables>(ctx);
}

}  // namespace sluice::validation::detail
