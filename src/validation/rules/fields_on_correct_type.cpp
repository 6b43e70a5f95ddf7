// FieldsOnCorrectType: every selected field is defined on the type it is selected on (spec 5.3.1).
#include "validation/rules/specified_rules.hpp"

#include <algorithm>
#include <unordered_map>

#include "sluice/schema/suggestions.hpp"
#include "validation/js_ordering.hpp"

namespace sluice::validation::detail {
namespace {

class fields_on_correct_type final : public rule {
 public:
  using rule::rule;
  next enter_field(const language::field& f) override {
    const schema::named_type* parent = ctx_.types().parent_type();
    if (parent == nullptr || ctx_.types().field_def() != nullptr) return next::descend;
    const std::string_view name = f.field_name.text;
    // First the types to use an inline fragment on, then (if there are none) the fields with a similar name.
    std::string suggestion =
        schema::did_you_mean("to use an inline fragment on", suggested_type_names(parent, name));
    if (suggestion.empty()) suggestion = schema::did_you_mean(suggested_field_names(parent, name));
    ctx_.report(
        "Cannot query field \"" + std::string(name) + "\" on type \"" + parent->name() + "\"." + suggestion,
        {f.loc.to_source_location()});
    return next::descend;
  }

 private:
  // The object and interface types (among the possible types of an abstract type) that define the field, the
  // most used first, interfaces before the types that implement them, then by name (graphql-js order).
  [[nodiscard]] std::vector<std::string> suggested_type_names(const schema::named_type* type,
                                                              std::string_view field) const {
    if (!type->is_abstract()) return {};
    const schema::schema& s = ctx_.schema();
    std::vector<const schema::fields_type*> suggested;
    std::unordered_map<const schema::named_type*, int> usage;
    for (const schema::object_type* possible : s.possible_types(type)) {
      if (possible->find_field(field) == nullptr) continue;
      if (usage.try_emplace(possible, 1).second) suggested.push_back(possible);
      for (const schema::interface_type* iface : possible->interfaces()) {
        if (iface->find_field(field) == nullptr) continue;
        if (usage.try_emplace(iface, 0).second) suggested.push_back(iface);
        ++usage[iface];
      }
    }
    js_sort(suggested, [&](const schema::fields_type* a, const schema::fields_type* b) {
      const int diff = usage[b] - usage[a];
      if (diff != 0) return diff;
      if (a->kind() == schema::type_kind::interface && s.is_sub_type(a, b)) return -1;
      if (b->kind() == schema::type_kind::interface && s.is_sub_type(b, a)) return 1;
      return natural_compare(a->name(), b->name());
    });
    std::vector<std::string> names;
    for (const schema::fields_type* t : suggested) names.push_back(t->name());
    return names;
  }

  [[nodiscard]] static std::vector<std::string> suggested_field_names(const schema::named_type* type,
                                                                      std::string_view field) {
    const auto* fields = type->as<schema::fields_type>();
    if (fields == nullptr) return {};  // a union defines no fields
    std::vector<std::string_view> options;
    for (const schema::field& f : fields->fields()) options.push_back(f.name);
    return schema::suggestion_list(field, options);
  }
};

}  // namespace

std::unique_ptr<rule> make_fields_on_correct_type(validation_context& ctx) {
  return std::make_unique<fields_on_correct_type>(ctx);
}

}  // namespace sluice::validation::detail
