// UniqueDirectivesPerLocation: a non-repeatable directive is used at most once at each location (spec 5.7.3).
#include "validation/rules/specified_rules.hpp"

#include <unordered_map>
#include <variant>

namespace sluice::validation::detail {
namespace {

class unique_directives_per_location final : public rule {
 public:
  explicit unique_directives_per_location(validation_context& ctx) : rule(ctx) {
    for (const schema::directive_definition* d : ctx.schema().directives()) unique_[d->name] = !d->repeatable;
    for (const language::definition& def : ctx.document().definitions)
      if (const auto* d = std::get_if<language::directive_definition>(&def))
        unique_[d->directive_name.text] = !d->repeatable;
  }

  next enter_operation(const language::operation_definition& n) override { return fresh(n.directives); }
  next enter_variable_definition(const language::variable_definition& n) override {
    return fresh(n.directives);
  }
  next enter_fragment_definition(const language::fragment_definition& n) override {
    return fresh(n.directives);
  }
  next enter_field(const language::field& n) override { return fresh(n.directives); }
  next enter_fragment_spread(const language::fragment_spread& n) override { return fresh(n.directives); }
  next enter_inline_fragment(const language::inline_fragment& n) override { return fresh(n.directives); }
  next enter_field_definition(const language::field_definition& n) override { return fresh(n.directives); }
  next enter_input_value_definition(const language::input_value_definition& n) override {
    return fresh(n.directives);
  }
  next enter_enum_value_definition(const language::enum_value_definition& n) override {
    return fresh(n.directives);
  }
  // A schema's definition and its extensions are one location; so are a type's.
  next enter_schema_definition(const language::schema_definition& n) override {
    check(n.directives, schema_seen_);
    return next::descend;
  }
  next enter_type_definition(const language::type_definition& n) override {
    check(n.directives, type_seen_[n.type_name.text]);
    return next::descend;
  }

 private:
  using seen_map = std::unordered_map<std::string_view, const language::directive*>;

  next fresh(language::list<language::directive> directives) {
    if (directives.size() > 1) {
      seen_map seen;
      check(directives, seen);
    }
    return next::descend;
  }

  void check(language::list<language::directive> directives, seen_map& seen) {
    for (const language::directive& d : directives) {
      auto unique = unique_.find(d.directive_name.text);
      if (unique == unique_.end() || !unique->second) continue;
      auto [it, inserted] = seen.try_emplace(d.directive_name.text, &d);
      if (!inserted)
        ctx_.report("The directive \"@" + std::string(d.directive_name.text) +
                        "\" can only be used once at this location.",
                    {it->second->loc.to_source_location(), d.loc.to_source_location()});
    }
  }

  std::unordered_map<std::string_view, bool> unique_;
  seen_map schema_seen_;
  std::unordered_map<std::string_view, seen_map> type_seen_;
};

}  // namespace

std::unique_ptr<rule> make_unique_directives_per_location(validation_context& ctx) {
  return std::make_unique<unique_directives_per_location>(ctx);
}

}  // namespace sluice::validation::detail
