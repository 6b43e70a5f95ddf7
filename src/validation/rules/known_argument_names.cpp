// KnownArgumentNames: every argument given to a field or directive is defined by it (spec 5.4.1).
#include "validation/rules/specified_rules.hpp"

#include <algorithm>
#include <unordered_map>
#include <variant>

#include "sluice/schema/suggestions.hpp"

namespace sluice::validation::detail {
namespace {

class known_argument_names final : public rule {
 public:
  explicit known_argument_names(validation_context& ctx) : rule(ctx) {
    for (const schema::directive_definition* d : ctx.schema().directives()) {
      std::vector<std::string_view>& names = directive_args_[d->name];
      for (const schema::input_value& a : d->arguments) names.push_back(a.name);
    }
    for (const language::definition& def : ctx.document().definitions) {
      const auto* d = std::get_if<language::directive_definition>(&def);
      if (d == nullptr) continue;
      std::vector<std::string_view>& names = directive_args_[d->directive_name.text];
      names.clear();
      for (const language::input_value_definition& a : d->arguments) names.push_back(a.value_name.text);
    }
  }

  // Arguments of directives are checked here, and not again by enter_argument (the directive is skipped).
  next enter_directive(const language::directive& d, schema::directive_location) override {
    auto known = directive_args_.find(d.directive_name.text);
    if (known == directive_args_.end()) return next::skip;
    for (const language::argument& a : d.arguments) {
      const std::string_view name = a.arg_name.text;
      if (std::find(known->second.begin(), known->second.end(), name) != known->second.end()) continue;
      ctx_.report("Unknown argument \"" + std::string(name) + "\" on directive \"@" +
                      std::string(d.directive_name.text) + "\"." +
                      schema::did_you_mean(schema::suggestion_list(name, known->second)),
                  {a.arg_name.loc.to_source_location()});
    }
    return next::skip;
  }

  next enter_argument(const language::argument& a) override {
    const schema::field* field = ctx_.types().field_def();
    const schema::named_type* parent = ctx_.types().parent_type();
    if (ctx_.types().argument() != nullptr || field == nullptr || parent == nullptr) return next::descend;
    std::vector<std::string_view> options;
    for (const schema::input_value& def : field->arguments) options.push_back(def.name);
    ctx_.report("Unknown argument \"" + std::string(a.arg_name.text) + "\" on field \"" + parent->name() +
                    "." + field->name + "\"." +
                    schema::did_you_mean(schema::suggestion_list(a.arg_name.text, options)),
                {a.arg_name.loc.to_source_location()});
    return next::descend;
  }

 private:
  std::unordered_map<std::string_view, std::vector<std::string_view>> directive_args_;
};

}  // namespace

std::unique_ptr<rule> make_known_argument_names(validation_context& ctx) {
  return std::make_unique<known_argument_names>(ctx);
}

}  // namespace sluice::validation::detail
