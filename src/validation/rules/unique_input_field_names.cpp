// UniqueInputFieldNames: an input object value gives each field at most once (spec 5.6.3).
#include "validation/rules/specified_rules.hpp"

#include <unordered_map>

namespace sluice::validation::detail {
namespace {

class unique_input_field_names final : public rule {
 public:
  using rule::rule;
  next enter_value(const language::value& v) override {
    if (v.kind == language::value_kind::object) known_.emplace_back();
    return next::descend;
  }
  void leave_value(const language::value& v) override {
    if (v.kind == language::value_kind::object) known_.pop_back();
  }
  next enter_object_field(const language::object_field& f) override {
    auto [it, inserted] = known_.back().try_emplace(f.field_name.text, f.field_name.loc);
    if (!inserted)
      ctx_.report("There can be only one input field named \"" + std::string(f.field_name.text) + "\".",
                  {it->second.to_source_location(), f.field_name.loc.to_source_location()});
    return next::descend;
  }

 private:
  std::vector<std::unordered_map<std::string_view, language::location>> known_;  // one per open object value
};

}  // namespace

std::unique_ptr<rule> make_unique_input_field_names(validation_context& ctx) {
  return std::make_unique<unique_input_field_names>(ctx);
}

}  // namespace sluice::validation::detail
