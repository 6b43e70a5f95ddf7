// LoneAnonymousOperation: an operation without a name must be the document's only operation (spec 5.2.2.1).
#include "validation/rules/specified_rules.hpp"

#include <algorithm>
#include <variant>

namespace sluice::validation::detail {
namespace {

class lone_anonymous_operation final : public rule {
 public:
  using rule::rule;
  next enter_document(const language::document& doc) override {
    operations_ = static_cast<std::size_t>(std::count_if(
        doc.definitions.begin(), doc.definitions.end(),
        [](const auto& d) { return std::holds_alternative<language::operation_definition>(d); }));
    return next::descend;
  }
  next enter_operation(const language::operation_definition& op) override {
    if (op.op_name.empty() && operations_ > 1)
      ctx_.report("This anonymous operation must be the only defined operation.",
                  {op.loc.to_source_location()});
    return next::descend;
  }

 private:
  std::size_t operations_ = 0;
};

}  // namespace

std::unique_ptr<rule> make_lone_anonymous_operation(validation_context& ctx) {
  return std::make_unique<lone_anonymous_operation>(ctx);
}

}  // namespace sluice::validation::detail
