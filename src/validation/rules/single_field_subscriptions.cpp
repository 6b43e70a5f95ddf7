// SingleFieldSubscriptions: a subscription selects exactly one root field, and not an introspection field
// (spec 5.2.3.1).
#include "validation/rules/specified_rules.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>

namespace sluice::validation::detail {
namespace {

// The value of the `if` argument of the first directive named `name`, when it is a Boolean literal.
// graphql-js throws on anything else (a variable: validation runs without variable values); here the field is
// kept.
std::optional<bool> literal_condition(language::list<language::directive> directives,
                                      std::string_view name) {
  auto d = std::find_if(directives.begin(), directives.end(),
                        [&](const language::directive& x) { return x.directive_name.text == name; });
  if (d == directives.end()) return std::nullopt;
  const language::argument* condition = nullptr;
  for (const language::argument& a : d->arguments)
    if (a.arg_name.text == "if") condition = &a;
  if (condition == nullptr || condition->val.kind != language::value_kind::boolean) return std::nullopt;
  return condition->val.boolean;
}

bool should_include(language::list<language::directive> directives) {
  if (literal_condition(directives, "skip") == true) return false;
  if (literal_condition(directives, "include") == false) return false;
  return true;
}

class single_field_subscriptions final : public rule {
 public:
  using rule::rule;

  next enter_operation(const language::operation_definition& op) override {
    if (op.operation != language::operation_type::subscription) return next::descend;
    const schema::object_type* subscription = ctx_.schema().subscription_type();
    if (subscription == nullptr) return next::descend;
    if (!counted_definitions_) {
      ctx_.spend_fragment_work(ctx_.document().definitions.size());
      counted_definitions_ = true;
    }
    grouped_fields fields;
    index_.clear();
    std::unordered_set<std::string_view> visited;
    collect(subscription, op.selections, fields, visited);

    const std::string subject = op.op_name.empty() ? "Anonymous Subscription"
                                                   : "Subscription \"" + std::string(op.op_name.text) + "\"";
    if (fields.size() > 1) {
      std::vector<source_location> extra;
      for (std::size_t i = 1; i < fields.size(); ++i)
        for (const language::field* f : fields[i].second) extra.push_back(f->loc.to_source_location());
      ctx_.report(subject + " must select only one top level field.", std::move(extra));
    }
    for (const auto& [key, nodes] : fields) {
      if (!nodes.front()->field_name.text.starts_with("__")) continue;
      std::vector<source_location> locations;
      for (const language::field* f : nodes) locations.push_back(f->loc.to_source_location());
      ctx_.report(subject + " must not select an introspection top level field.", std::move(locations));
    }
    return next::descend;
  }

 private:
  // Response keys in the order they are first seen, each with its fields (graphql-js collectFields).
  using grouped_fields = std::vector<std::pair<std::string_view, std::vector<const language::field*>>>;

  // graphql-js's reserveSelectionSetWork.
  void spend_on(const language::selection_set& set) {
    ctx_.spend_fragment_work(set.size());
    for (const language::selection& s : set) {
      const auto& directives = std::visit(
          [](const auto& n) -> const auto& { return n.directives; }, s.node);
      ctx_.spend_fragment_work(directives.size());
      for (const language::directive& d : directives)
        if (d.directive_name.text == "skip" || d.directive_name.text == "include")
          ctx_.spend_fragment_work(d.arguments.size());
    }
  }

  bool condition_matches(const language::name& type_condition, const schema::object_type* runtime) const {
    if (type_condition.empty()) return true;
    const schema::named_type* condition = ctx_.schema().find_type(type_condition.text);
    if (condition == runtime) return true;
    return condition != nullptr && condition->is_abstract() && ctx_.schema().is_sub_type(condition, runtime);
  }

  void collect(const schema::object_type* runtime, const language::selection_set& set, grouped_fields& fields,
               std::unordered_set<std::string_view>& visited) {
    spend_on(set);
    for (const language::selection& s : set) {
      if (const auto* f = std::get_if<language::field>(&s.node)) {
        if (!should_include(f->directives)) continue;
        auto [it, inserted] = index_.try_emplace(f->response_key(), fields.size());
        if (inserted)
          fields.emplace_back(f->response_key(), std::vector<const language::field*>{f});
        else
          fields[it->second].second.push_back(f);
      } else if (const auto* inline_fragment = std::get_if<language::inline_fragment>(&s.node)) {
        if (!should_include(inline_fragment->directives) ||
            !condition_matches(inline_fragment->type_condition, runtime))
          continue;
        collect(runtime, inline_fragment->selections, fields, visited);
      } else {
        const auto& spread = std::get<language::fragment_spread>(s.node);
        if (visited.contains(spread.fragment_name.text) || !should_include(spread.directives)) continue;
        visited.insert(spread.fragment_name.text);
        const language::fragment_definition* fragment = ctx_.fragment(spread.fragment_name.text);
        if (fragment == nullptr || !condition_matches(fragment->type_condition, runtime)) continue;
        collect(runtime, fragment->selections, fields, visited);
      }
    }
  }

  bool counted_definitions_ = false;
  std::unordered_map<std::string_view, std::size_t> index_;  // response key -> position in the grouped fields
};

}  // namespace

std::unique_ptr<rule> make_single_field_subscriptions(validation_context& ctx) {
  return std::make_unique<single_field_subscriptions>(ctx);
}

}  // namespace sluice::validation::detail
