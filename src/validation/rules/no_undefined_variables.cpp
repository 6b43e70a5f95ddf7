// NoUndefinedVariables: every variable an operation uses, directly or in its fragments, is defined by it
// (spec 5.8.3).
#include "validation/rules/specified_rules.hpp"

#include <unordered_set>

namespace sluice::validation::detail {
namespace {

class no_undefined_variables final : public rule {
 public:
  using rule::rule;
  next enter_operation(const language::operation_definition&) override {
    defined_.clear();
    return next::descend;
  }
  next enter_variable_definition(const language::variable_definition& v) override {
    defined_.insert(v.variable.text);
    return next::descend;
  }
  void leave_operation(const language::operation_definition& op) override {
    for (const variable_usage& usage : ctx_.recursive_variable_usages(op)) {
      const std::string_view name = usage.node->raw;
      if (defined_.contains(name)) continue;
      ctx_.report(op.op_name.empty()
                      ? "Variable \"$" + std::string(name) + "\" is not defined."
                      : "Variable \"$" + std::string(name) + "\" is not defined by operation \"" +
                            std::string(op.op_name.text) + "\".",
                  {usage.node->loc.to_source_location(), op.loc.to_source_location()});
    }
  }

 private:
  std::unordered_set<std::string_view> defined_;
};

}  // namespace

std::unique_ptr<rule> make_no_undefined_variables(validation_context& ctx) {
  return std::make_unique<no_undefined_variables>(ctx);
}

}  // namespace sluice::validation::detail
