// MaxIntrospectionDepth: an introspection query nests at most two of the list fields `fields`, `interfaces`,
// `possibleTypes` and `inputFields` (graphql-js 16's recommended rule, part of its specified rules; not in
// the spec: it stops introspection queries that would be exponentially large).
#include "validation/rules/specified_rules.hpp"

#include <unordered_map>
#include <variant>

namespace sluice::validation::detail {
namespace {

constexpr int max_lists_depth = 3;

class max_introspection_depth final : public rule {
 public:
  using rule::rule;
  next enter_field(const language::field& f) override {
    if (f.field_name.text != "__schema" && f.field_name.text != "__type") return next::descend;
    std::unordered_map<std::string_view, int> visited;
    if (!exceeds(f, visited, 0)) return next::descend;
    ctx_.report("Maximum introspection depth exceeded", {f.loc.to_source_location()});
    return next::skip;
  }

 private:
  // Whether the list fields nested in `f` reach the limit, counting from `depth` (graphql-js checkDepth).
  bool exceeds(const language::field& f, std::unordered_map<std::string_view, int>& visited, int depth) {
    const std::string_view name = f.field_name.text;
    if (name == "fields" || name == "interfaces" || name == "possibleTypes" || name == "inputFields") {
      if (++depth >= max_lists_depth) return true;
    }
    return exceeds(f.selections, visited, depth);
  }

  bool exceeds(const language::selection_set& set, std::unordered_map<std::string_view, int>& visited,
               int depth) {
    for (const language::selection& s : set) {
      if (const auto* f = std::get_if<language::field>(&s.node)) {
        if (exceeds(*f, visited, depth)) return true;
      } else if (const auto* inline_fragment = std::get_if<language::inline_fragment>(&s.node)) {
        if (exceeds(inline_fragment->selections, visited, depth)) return true;
      } else if (exceeds(std::get<language::fragment_spread>(s.node), visited, depth)) {
        return true;
      }
    }
    return false;
  }

  // Fragments remember the entry depths already known to pass or fail, across every root field checked, and
  // the depths they are being visited at during one check (to break cycles).
  bool exceeds(const language::fragment_spread& spread, std::unordered_map<std::string_view, int>& visited,
               int depth) {
    const std::string_view name = spread.fragment_name.text;
    if (auto e = exceeded_.find(name); e != exceeded_.end() && e->second <= depth) return true;
    if (auto v = visited.find(name); v != visited.end() && v->second >= depth) return false;
    if (auto c = checked_.find(name); c != checked_.end() && c->second >= depth) return false;
    const language::fragment_definition* fragment = ctx_.fragment(name);
    if (fragment == nullptr) return false;
    visited[name] = depth;
    if (exceeds(fragment->selections, visited, depth)) {
      exceeded_[name] = depth;
      return true;
    }
    checked_[name] = depth;
    return false;
  }

  std::unordered_map<std::string_view, int> checked_;
  std::unordered_map<std::string_view, int> exceeded_;
};

}  // namespace

std::unique_ptr<rule> make_max_introspection_depth(validation_context& ctx) {
  return std::make_unique<max_introspection_depth>(ctx);
}

}  // namespace sluice::validation::detail
