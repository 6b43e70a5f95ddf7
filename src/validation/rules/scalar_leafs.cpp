// ScalarLeafs: fields of scalar and enum types have no selection set; other fields have one (spec 5.3.3).
#include "validation/rules/specified_rules.hpp"

namespace sluice::validation::detail {
namespace {

class scalar_leafs final : public rule {
 public:
  using rule::rule;
  next enter_field(const language::field& f) override {
    const schema::type* t = ctx_.types().type();
    if (t == nullptr) return next::descend;
    const std::string name(f.field_name.text);
    if (t->named()->is_leaf()) {
      if (!f.selections.empty())
        ctx_.report("Field \"" + name + "\" must not have a selection since type \"" + t->to_string() +
                        "\" has no subfields.",
                    {ctx_.selection_set_location(f)});
    } else if (f.selections.empty()) {
      ctx_.report("Field \"" + name + "\" of type \"" + t->to_string() +
                      "\" must have a selection of subfields. Did you mean \"" + name + " { ... }\"?",
                  {f.loc.to_source_location()});
    }
    return next::descend;
  }
};

}  // namespace

std::unique_ptr<rule> make_scalar_leafs(validation_context& ctx) {
  return std::make_unique<scalar_leafs>(ctx);
}

}  // namespace sluice::validation::detail
