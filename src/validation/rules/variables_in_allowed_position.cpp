// VariablesInAllowedPosition: each variable is used only where its type is allowed (spec 5.8.5), and only as
// a non-null variable in a field of a @oneOf input object.
#include "validation/rules/specified_rules.hpp"

#include <unordered_map>

#include "validation/types.hpp"

namespace sluice::validation::detail {
namespace {

class variables_in_allowed_position final : public rule {
 public:
  using rule::rule;
  next enter_operation(const language::operation_definition&) override {
    definitions_.clear();
    return next::descend;
  }
  next enter_variable_definition(const language::variable_definition& v) override {
    definitions_[v.variable.text] = &v;  // the last definition of a name wins
    return next::descend;
  }

  void leave_operation(const language::operation_definition& op) override {
    for (const variable_usage& usage : ctx_.recursive_variable_usages(op)) {
      auto it = definitions_.find(usage.node->raw);
      if (it == definitions_.end() || usage.type == nullptr) continue;
      const language::variable_definition& definition = *it->second;
      const schema::type* var_type = type_from_ast(ctx_.schema(), definition.var_type);
      if (var_type == nullptr) continue;
      const std::string name(usage.node->raw);
      const std::vector<source_location> locations{definition.loc.to_source_location(),
                                                   usage.node->loc.to_source_location()};
      if (!allowed(var_type, definition, usage))
        ctx_.report("Variable \"$" + name + "\" of type \"" + var_type->to_string() +
                        "\" used in position expecting type \"" + usage.type->to_string() + "\".",
                    locations);
      const auto* parent =
          usage.parent_type != nullptr ? usage.parent_type->as<schema::input_object_type>() : nullptr;
      if (parent != nullptr && parent->one_of() && !var_type->is_non_null())
        ctx_.report("Variable \"$" + name + "\" is of type \"" + var_type->to_string() +
                        "\" but must be non-nullable to be used for OneOf Input Object \"" + parent->name() +
                        "\".",
                    locations);
    }
  }

 private:
  // A nullable variable may flow into a non-null position when it has a non-null default, or the position has
  // a default (graphql-js allowedVariableUsage).
  bool allowed(const schema::type* var_type, const language::variable_definition& definition,
               const variable_usage& usage) const {
    if (usage.type->is_non_null() && !var_type->is_non_null()) {
      const bool non_null_default = definition.default_value.has_value() &&
                                    definition.default_value->kind != language::value_kind::null;
      if (!non_null_default && !usage.has_default) return false;
      return is_type_sub_type_of(ctx_.schema(), var_type, usage.type->of_type());
    }
    return is_type_sub_type_of(ctx_.schema(), var_type, usage.type);
  }

  std::unordered_map<std::string_view, const language::variable_definition*> definitions_;
};

}  // namespace

std::unique_ptr<rule> make_variables_in_allowed_position(validation_context& ctx) {
  return std::make_unique<variables_in_allowed_position>(ctx);
}

}  // namespace sluice::validation::detail
