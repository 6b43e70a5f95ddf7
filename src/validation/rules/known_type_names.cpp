// KnownTypeNames: every type a document names is defined by the schema (spec 5.5.1.2, 5.8.2 for variables).
#include "validation/rules/specified_rules.hpp"

#include <algorithm>
#include <array>
#include <unordered_set>
#include <variant>

#include "sluice/schema/suggestions.hpp"

namespace sluice::validation::detail {
namespace {

// The built-in scalars and introspection types: type system definitions may name them without defining them.
constexpr std::array<std::string_view, 13> standard_type_names = {
    "String",    "Int",      "Float",        "Boolean",
    "ID",        "__Schema", "__Directive",  "__DirectiveLocation",
    "__Type",    "__Field",  "__InputValue", "__EnumValue",
    "__TypeKind"};

class known_type_names final : public rule {
 public:
  explicit known_type_names(validation_context& ctx) : rule(ctx) {
    for (const language::definition& def : ctx.document().definitions)
      if (const auto* t = std::get_if<language::type_definition>(&def); t != nullptr && !t->extension)
        defined_.insert(t->type_name.text);
  }

  void on_named_type(std::string_view name, const language::location& loc, bool in_type_system) override {
    if (ctx_.schema().find_type(name) != nullptr || defined_.contains(name)) return;
    const bool standard =
        std::find(standard_type_names.begin(), standard_type_names.end(), name) != standard_type_names.end();
    if (in_type_system && standard) return;
    std::vector<std::string_view> options;
    if (in_type_system) options.assign(standard_type_names.begin(), standard_type_names.end());
    for (const schema::named_type* t : ctx_.schema().types()) options.push_back(t->name());
    for (const language::definition& def : ctx_.document().definitions)
      if (const auto* t = std::get_if<language::type_definition>(&def); t != nullptr && !t->extension)
        options.push_back(t->type_name.text);
    ctx_.report("Unknown type \"" + std::string(name) + "\"." +
                    schema::did_you_mean(schema::suggestion_list(name, options)),
                {loc.to_source_location()});
  }

 private:
  std::unordered_set<std::string_view> defined_;
};

}  // namespace

std::unique_ptr<rule> make_known_type_names(validation_context& ctx) {
  return std::make_unique<known_type_names>(ctx);
}

}  // namespace sluice::validation::detail
