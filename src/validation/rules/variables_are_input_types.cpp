// VariablesAreInputTypes: variables are declared with input types only (spec 5.8.2).
#include "validation/rules/specified_rules.hpp"

#include "sluice/language/printer.hpp"

namespace sluice::validation::detail {
namespace {

class variables_are_input_types final : public rule {
 public:
  using rule::rule;
  next enter_variable_definition(const language::variable_definition& v) override {
    const schema::named_type* named = ctx_.schema().find_type(v.var_type.named_type());
    if (named != nullptr && !named->is_input_type())
      ctx_.report("Variable \"$" + std::string(v.variable.text) + "\" cannot be non-input type \"" +
                      language::print(v.var_type) + "\".",
                  {v.var_type.loc.to_source_location()});
    return next::descend;
  }
};

}  // namespace

std::unique_ptr<rule> make_variables_are_input_types(validation_context& ctx) {
  return std::make_unique<variables_are_input_types>(ctx);
}

}  // namespace sluice::validation::detail
