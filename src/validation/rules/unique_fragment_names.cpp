// UniqueFragmentNames: no two fragments of a document share a name (spec 5.5.1.1).
#include "validation/rules/specified_rules.hpp"

#include <unordered_map>

namespace sluice::validation::detail {
namespace {

class unique_fragment_names final : public rule {
 public:
  using rule::rule;
  next enter_operation(const language::operation_definition&) override { return next::skip; }
  next enter_fragment_definition(const language::fragment_definition& f) override {
    auto [it, inserted] = known_.try_emplace(f.fragment_name.text, f.fragment_name.loc);
    if (!inserted)
      ctx_.report("There can be only one fragment named \"" + std::string(f.fragment_name.text) + "\".",
                  {it->second.to_source_location(), f.fragment_name.loc.to_source_location()});
    return next::skip;
  }

 private:
  std::unordered_map<std::string_view, language::location> known_;
};

}  // namespace

std::unique_ptr<rule> make_unique_fragment_names(validation_context& ctx) {
  return std::make_unique<unique_fragment_names>(ctx);
}

}  // namespace sluice::validation::detail
