// ExecutableDefinitions: a document to execute holds only operations and fragments (spec 5.1.1).
#include "validation/rules/specified_rules.hpp"

#include <variant>

namespace sluice::validation::detail {
namespace {

class executable_definitions final : public rule {
 public:
  using rule::rule;
  next enter_document(const language::document& doc) override {
    for (const language::definition& def : doc.definitions) {
      std::visit(
          [this](const auto& d) {
            using T = std::decay_t<decltype(d)>;
            if constexpr (std::is_same_v<T, language::schema_definition>) {
              ctx_.report("The schema definition is not executable.", {d.loc.to_source_location()});
            } else if constexpr (std::is_same_v<T, language::type_definition>) {
              report(d.type_name.text, d.loc);
            } else if constexpr (std::is_same_v<T, language::directive_definition>) {
              report(d.directive_name.text, d.loc);
            }
          },
          def);
    }
    return next::skip;
  }

 private:
  void report(std::string_view name, const language::location& loc) {
    ctx_.report("The \"" + std::string(name) + "\" definition is not executable.",
                {loc.to_source_location()});
  }
};

}  // namespace

std::unique_ptr<rule> make_executable_definitions(validation_context& ctx) {
  return std::make_unique<executable_definitions>(ctx);
}

}  // namespace sluice::validation::detail
