// Field collection with fragments, inline fragments and @skip/@include (spec 6.3.2), memoised per object type.
#include "collect_fields.hpp"

#include <algorithm>

#include "sluice/schema/coercion.hpp"

namespace sluice::execution::detail {

bool field_collector::directive_flag(const language::directive& d) const {
  for (const auto& arg : d.arguments) {
    if (arg.arg_name.text != "if") continue;
    if (arg.val.kind == language::value_kind::boolean) return arg.val.boolean;
    if (arg.val.kind == language::value_kind::variable) {
      const sluice::value* v = variables_.find(arg.val.raw);
      if (v && v->is_bool()) return v->as_bool();
    }
  }
  // Anything else goes through argument coercion, which gives graphql-js's error (validation has ruled out
  // everything but a variable explicitly set to null).
  const schema::directive_definition* def = schema_.find_directive(d.directive_name.text);
  if (def == nullptr) return false;
  auto coerced = schema::coerce_argument_values(def->arguments, d.arguments, d.loc, &variables_);
  if (!coerced.ok()) throw directive_error{std::move(*coerced.error)};
  const sluice::value* flag = coerced.values.find("if");
  return flag && flag->is_bool() && flag->as_bool();
}

bool field_collector::should_include(language::list<language::directive> directives) const {
  for (const auto& d : directives) {
    if (d.directive_name.text == "skip" && directive_flag(d)) return false;
    if (d.directive_name.text == "include" && !directive_flag(d)) return false;
  }
  return true;
}

// DoesFragmentTypeApply (spec 6.3.2)
bool field_collector::fragment_applies(const schema::object_type& type, std::string_view condition) const {
  const schema::named_type* cond = schema_.find_type(condition);
  if (cond == nullptr) return false;
  if (cond == &type) return true;
  if (cond->is_abstract()) return schema_.is_sub_type(cond, &type);
  return false;
}

void field_collector::collect(const schema::object_type& type, const language::selection_set& set,
                              grouped_fields& out) {
  std::vector<std::string_view> visited;
  collect_into(type, set, out, visited);
}

void field_collector::collect_into(const schema::object_type& type, const language::selection_set& set,
                                   grouped_fields& out, std::vector<std::string_view>& visited) {
  for (const auto& sel : set) {
    if (const auto* f = std::get_if<language::field>(&sel.node)) {
      if (!f->directives.empty() && !should_include(f->directives)) continue;
      auto key = f->response_key();
      auto it = std::find_if(out.begin(), out.end(), [&](const collected_field& c) { return c.response_key == key; });
      if (it == out.end()) {
        auto& added = out.emplace_back();
        added.response_key = key;
        added.nodes.push_back(f);
      } else {
        it->nodes.push_back(f);
      }
    } else if (const auto* spread = std::get_if<language::fragment_spread>(&sel.node)) {
      if (!spread->directives.empty() && !should_include(spread->directives)) continue;
      auto name = spread->fragment_name.text;
      if (std::find(visited.begin(), visited.end(), name) != visited.end()) continue;
      visited.push_back(name);
      auto frag = fragments_.find(name);
      if (frag == fragments_.end() || !fragment_applies(type, frag->second->type_condition.text)) continue;
      collect_into(type, frag->second->selections, out, visited);
    } else {
      const auto& inl = std::get<language::inline_fragment>(sel.node);
      if (!inl.directives.empty() && !should_include(inl.directives)) continue;
      if (!inl.type_condition.empty() && !fragment_applies(type, inl.type_condition.text)) continue;
      collect_into(type, inl.selections, out, visited);
    }
  }
}

const grouped_fields& field_collector::collect_subfields(const schema::object_type& type,
                                                         const collected_field& field) {
  if (field.last_type == &type) return *field.last_subfields;  // lists of one type: no hashing
  auto [it, inserted] = subfields_.try_emplace({&type, &field});
  if (inserted) {
    std::vector<std::string_view> visited;
    try {
      for (const auto* node : field.nodes)
        if (!node->selections.empty()) collect_into(type, node->selections, it->second, visited);
    } catch (...) {
      subfields_.erase(it);  // never keep a half-collected entry
      throw;
    }
  }
  field.last_type = &type;
  field.last_subfields = &it->second;
  return it->second;
}

}  // namespace sluice::execution::detail
