// UniqueVariableNames: no two variables of an operation share a name (spec 5.8.1).
#include "validation/rules/specified_rules.hpp"

#include <unordered_map>

namespace sluice::validation::detail {
namespace {

class unique_variable_names final : public rule {
 public:
  using rule::rule;
  next enter_operation(const language::operation_definition& op) override {
    // Names in the order first seen, each with every definition of it (graphql-js groupBy).
    std::vector<std::pair<std::string_view, std::vector<source_location>>> groups;
    std::unordered_map<std::string_view, std::size_t> index;
    for (const language::variable_definition& v : op.variables) {
      auto [it, inserted] = index.try_emplace(v.variable.text, groups.size());
      if (inserted) groups.emplace_back(v.variable.text, std::vector<source_location>{});
      groups[it->second].second.push_back(v.variable.loc.to_source_location());
    }
    for (auto& [name, locations] : groups)
      if (locations.size() > 1)
        ctx_.report("There can be only one variable named \"$" + std::string(name) + "\".",
                    std::move(locations));
    return next::descend;
  }
};

}  // namespace

std::unique_ptr<rule> make_unique_variable_names(validation_context& ctx) {
  return std::make_unique<unique_variable_names>(ctx);
}

}  // namespace sluice::validation::detail
