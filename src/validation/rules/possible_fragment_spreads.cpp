// PossibleFragmentSpreads: a fragment is spread only where its type can overlap the parent type
// (spec 5.5.2.3).
#include "validation/rules/specified_rules.hpp"

namespace sluice::validation::detail {
namespace {

class possible_fragment_spreads final : public rule {
 public:
  using rule::rule;
  next enter_inline_fragment(const language::inline_fragment& f) override {
    const schema::type* fragment_type = ctx_.types().type();
    const schema::named_type* parent = ctx_.types().parent_type();
    if (fragment_type != nullptr && fragment_type->is_composite() && parent != nullptr &&
        !ctx_.schema().types_overlap(fragment_type->named(), parent))
      ctx_.report("Fragment cannot be spread here as objects of type \"" + parent->name() +
                      "\" can never be of type \"" + fragment_type->named()->name() + "\".",
                  {f.loc.to_source_location()});
    return next::descend;
  }
  next enter_fragment_spread(const language::fragment_spread& s) override {
    const schema::named_type* fragment_type = type_of(s.fragment_name.text);
    const schema::named_type* parent = ctx_.types().parent_type();
    if (fragment_type != nullptr && parent != nullptr && !ctx_.schema().types_overlap(fragment_type, parent))
      ctx_.report("Fragment \"" + std::string(s.fragment_name.text) +
                      "\" cannot be spread here as objects of type \"" + parent->name() +
                      "\" can never be of type \"" + fragment_type->name() + "\".",
                  {s.loc.to_source_location()});
    return next::descend;
  }

 private:
  [[nodiscard]] const schema::named_type* type_of(std::string_view fragment_name) const {
    const language::fragment_definition* f = ctx_.fragment(fragment_name);
    if (f == nullptr) return nullptr;
    const schema::named_type* t = ctx_.schema().find_type(f->type_condition.text);
    return t != nullptr && t->is_composite() ? t : nullptr;
  }
};

}  // namespace

std::unique_ptr<rule> make_possible_fragment_spreads(validation_context& ctx) {
  return std::make_unique<possible_fragment_spreads>(ctx);
}

}  // namespace sluice::validation::detail
