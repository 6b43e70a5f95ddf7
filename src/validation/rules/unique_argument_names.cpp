// UniqueArgumentNames: a field or directive is given each argument at most once (spec 5.4.2).
#include "validation/rules/specified_rules.hpp"

#include <unordered_map>

namespace sluice::validation::detail {
namespace {

class unique_argument_names final : public rule {
 public:
  using rule::rule;
  next enter_field(const language::field& f) override {
    check(f.arguments);
    return next::descend;
  }
  next enter_directive(const language::directive& d, schema::directive_location) override {
    check(d.arguments);
    return next::descend;
  }

 private:
  void check(language::list<language::argument> arguments) {
    if (arguments.size() < 2) return;
    // Names in the order first seen, each with every argument of that name (graphql-js groupBy).
    std::vector<std::pair<std::string_view, std::vector<source_location>>> groups;
    std::unordered_map<std::string_view, std::size_t> index;
    for (const language::argument& a : arguments) {
      auto [it, inserted] = index.try_emplace(a.arg_name.text, groups.size());
      if (inserted) groups.emplace_back(a.arg_name.text, std::vector<source_location>{});
      groups[it->second].second.push_back(a.arg_name.loc.to_source_location());
    }
    for (auto& [name, locations] : groups)
      if (locations.size() > 1)
        ctx_.report("There can be only one argument named \"" + std::string(name) + "\".",
                    std::move(locations));
  }
};

}  // namespace

std::unique_ptr<rule> make_unique_argument_names(validation_context& ctx) {
  return std::make_unique<unique_argument_names>(ctx);
}

}  // namespace sluice::validation::detail
