// ProvidedRequiredArguments: fields and directives are given every required argument (non-null, no default)
// (spec 5.4.2.1).
#include "validation/rules/specified_rules.hpp"

#include <algorithm>
#include <unordered_map>
#include <variant>

#include "sluice/language/printer.hpp"
#include "validation/types.hpp"

namespace sluice::validation::detail {
namespace {

bool given(language::list<language::argument> arguments, std::string_view name) {
  return std::any_of(arguments.begin(), arguments.end(),
                     [&](const language::argument& a) { return a.arg_name.text == name; });
}

class provided_required_arguments final : public rule {
 public:
  explicit provided_required_arguments(validation_context& ctx) : rule(ctx) {
    for (const schema::directive_definition* d : ctx.schema().directives()) {
      auto& required = required_[d->name];
      for (const schema::input_value& a : d->arguments)
        if (is_required(a)) required.emplace_back(a.name, a.value_type->to_string());
    }
    for (const language::definition& def : ctx.document().definitions) {
      const auto* d = std::get_if<language::directive_definition>(&def);
      if (d == nullptr) continue;
      auto& required = required_[d->directive_name.text];
      required.clear();
      for (const language::input_value_definition& a : d->arguments)
        if (a.value_type.kind == language::type_kind::non_null && !a.default_value)
          required.emplace_back(a.value_name.text, language::print(a.value_type));
    }
  }

  // Checked on leave, so that errors deeper inside come first (as in graphql-js).
  void leave_directive(const language::directive& d) override {
    auto required = required_.find(d.directive_name.text);
    if (required == required_.end()) return;
    for (const auto& [name, type] : required->second)
      if (!given(d.arguments, name))
        ctx_.report("Directive \"@" + std::string(d.directive_name.text) + "\" argument \"" +
                        std::string(name) + "\" of type \"" + type +
                        "\" is required, but it was not provided.",
                    {d.loc.to_source_location()});
  }

  void leave_field(const language::field& f) override {
    const schema::field* def = ctx_.types().field_def();
    if (def == nullptr) return;
    for (const schema::input_value& a : def->arguments)
      if (is_required(a) && !given(f.arguments, a.name))
        ctx_.report("Field \"" + def->name + "\" argument \"" + a.name + "\" of type \"" +
                        a.value_type->to_string() + "\" is required, but it was not provided.",
                    {f.loc.to_source_location()});
  }

 private:
  // Per directive: its required arguments, with their types as written in messages.
  std::unordered_map<std::string_view, std::vector<std::pair<std::string_view, std::string>>> required_;
};

}  // namespace

std::unique_ptr<rule> make_provided_required_arguments(validation_context& ctx) {
  return std::make_unique<provided_required_arguments>(ctx);
}

}  // namespace sluice::validation::detail
