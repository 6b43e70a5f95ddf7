// NoFragmentCycles: fragment spreads do not form cycles (spec 5.5.2.2).
#include "validation/rules/specified_rules.hpp"

#include <unordered_map>
#include <unordered_set>

namespace sluice::validation::detail {
namespace {

class no_fragment_cycles final : public rule {
 public:
  using rule::rule;
  next enter_operation(const language::operation_definition&) override { return next::skip; }
  next enter_fragment_definition(const language::fragment_definition& f) override {
    detect_cycles(f);
    return next::skip;
  }

 private:
  // A depth-first search that goes on after finding a cycle, to find them all; each fragment is searched from
  // once, so each cycle is reported once.
  void detect_cycles(const language::fragment_definition& fragment) {
    const std::string_view name = fragment.fragment_name.text;
    if (!visited_.insert(name).second) return;
    const auto& spreads = ctx_.fragment_spreads(fragment.selections);
    if (spreads.empty()) return;
    path_index_[name] = path_.size();
    for (const language::fragment_spread* spread : spreads) {
      const std::string_view spread_name = spread->fragment_name.text;
      path_.push_back(spread);
      auto cycle = path_index_.find(spread_name);
      if (cycle == path_index_.end()) {
        if (const language::fragment_definition* next_fragment = ctx_.fragment(spread_name))
          detect_cycles(*next_fragment);
      } else {
        std::string via;
        std::vector<source_location> locations;
        for (std::size_t i = cycle->second; i < path_.size(); ++i) {
          locations.push_back(path_[i]->loc.to_source_location());
          if (i + 1 < path_.size()) {
            if (!via.empty()) via += ", ";
            via += "\"" + std::string(path_[i]->fragment_name.text) + "\"";
          }
        }
        ctx_.report("Cannot spread fragment \"" + std::string(spread_name) + "\" within itself" +
                        (via.empty() ? "." : " via " + via + "."),
                    std::move(locations));
      }
      path_.pop_back();
    }
    path_index_.erase(name);
  }

  std::unordered_set<std::string_view> visited_;
  std::vector<const language::fragment_spread*> path_;
  std::unordered_map<std::string_view, std::size_t> path_index_;
};

}  // namespace

std::unique_ptr<rule> make_no_fragment_cycles(validation_context& ctx) {
  return std::make_unique<no_fragment_cycles>(ctx);
}

}  // namespace sluice::validation::detail
