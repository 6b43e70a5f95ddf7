// FragmentsOnCompositeTypes: fragments condition only on objects, interfaces and unions (spec 5.5.1.3).
#include "validation/rules/specified_rules.hpp"

namespace sluice::validation::detail {
namespace {

class fragments_on_composite_types final : public rule {
 public:
  using rule::rule;
  next enter_inline_fragment(const language::inline_fragment& f) override {
    if (!f.type_condition.empty() && !composite_or_unknown(f.type_condition))
      ctx_.report(
          "Fragment cannot condition on non composite type \"" + std::string(f.type_condition.text) + "\".",
          {f.type_condition.loc.to_source_location()});
    return next::descend;
  }
  next enter_fragment_definition(const language::fragment_definition& f) override {
    if (!composite_or_unknown(f.type_condition))
      ctx_.report("Fragment \"" + std::string(f.fragment_name.text) +
                      "\" cannot condition on non composite type \"" + std::string(f.type_condition.text) +
                      "\".",
                  {f.type_condition.loc.to_source_location()});
    return next::descend;
  }

 private:
  [[nodiscard]] bool composite_or_unknown(const language::name& type_condition) const {
    const schema::named_type* t = ctx_.schema().find_type(type_condition.text);
    return t == nullptr || t->is_composite();
  }
};

}  // namespace

std::unique_ptr<rule> make_fragments_on_composite_types(validation_context& ctx) {
  return std::make_unique<fragments_on_composite_types>(ctx);
}

}  // namespace sluice::validation::detail
