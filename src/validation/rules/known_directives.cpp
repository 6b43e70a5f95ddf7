// KnownDirectives: every directive used is defined, and used only where its definition allows (spec 5.7.1,
// 5.7.2).
#include "validation/rules/specified_rules.hpp"

#include <algorithm>
#include <unordered_map>
#include <variant>

namespace sluice::validation::detail {
namespace {

class known_directives final : public rule {
 public:
  explicit known_directives(validation_context& ctx) : rule(ctx) {
    for (const schema::directive_definition* d : ctx.schema().directives())
      locations_[d->name] = d->locations;
    // Directive definitions in the document count too (they are reported as not executable elsewhere).
    for (const language::definition& def : ctx.document().definitions) {
      const auto* d = std::get_if<language::directive_definition>(&def);
      if (d == nullptr) continue;
      std::vector<schema::directive_location>& locations = locations_[d->directive_name.text];
      locations.clear();
      for (const language::name& n : d->locations)
        if (auto where = schema::parse_directive_location(n.text)) locations.push_back(*where);
    }
  }

  next enter_directive(const language::directive& d, schema::directive_location where) override {
    auto it = locations_.find(d.directive_name.text);
    const std::string name(d.directive_name.text);
    if (it == locations_.end()) {
      ctx_.report("Unknown directive \"@" + name + "\".", {d.loc.to_source_location()});
    } else if (std::find(it->second.begin(), it->second.end(), where) == it->second.end()) {
      ctx_.report(
          "Directive \"@" + name + "\" may not be used on " + std::string(schema::to_string(where)) + ".",
          {d.loc.to_source_location()});
    }
    return next::descend;
  }

 private:
  std::unordered_map<std::string_view, std::vector<schema::directive_location>> locations_;
};

}  // namespace

std::unique_ptr<rule> make_known_directives(validation_context& ctx) {
  return std::make_unique<known_directives>(ctx);
}

}  // namespace sluice::validation::detail
