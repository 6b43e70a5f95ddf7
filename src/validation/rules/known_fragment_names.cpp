// KnownFragmentNames: every fragment spread names a fragment defined in the document (spec 5.5.2.1).
#include "validation/rules/specified_rules.hpp"

namespace sluice::validation::detail {
namespace {

class known_fragment_names final : public rule {
 public:
  using rule::rule;
  next enter_fragment_spread(const language::fragment_spread& s) override {
    if (ctx_.fragment(s.fragment_name.text) == nullptr)
      ctx_.report("Unknown fragment \"" + std::string(s.fragment_name.text) + "\".",
                  {s.fragment_name.loc.to_source_location()});
    return next::descend;
  }
};

}  // namespace

std::unique_ptr<rule> make_known_fragment_names(validation_context& ctx) {
  return std::make_unique<known_fragment_names>(ctx);
}

}  // namespace sluice::validation::detail
