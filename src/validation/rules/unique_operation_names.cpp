// UniqueOperationNames: no two operations of a document share a name (spec 5.2.1.1).
#include "validation/rules/specified_rules.hpp"

#include <unordered_map>

namespace sluice::validation::detail {
namespace {

class unique_operation_names final : public rule {
 public:
  using rule::rule;
  next enter_operation(const language::operation_definition& op) override {
    if (!op.op_name.empty()) {
      auto [it, inserted] = known_.try_emplace(op.op_name.text, op.op_name.loc);
      if (!inserted)
        ctx_.report("There can be only one operation named \"" + std::string(op.op_name.text) + "\".",
                    {it->second.to_source_location(), op.op_name.loc.to_source_location()});
    }
    return next::skip;
  }
  next enter_fragment_definition(const language::fragment_definition&) override { return next::skip; }

 private:
  std::unordered_map<std::string_view, language::location> known_;
};

}  // namespace

std::unique_ptr<rule> make_unique_operation_names(validation_context& ctx) {
  return std::make_unique<unique_operation_names>(ctx);
}

}  // namespace sluice::validation::detail
