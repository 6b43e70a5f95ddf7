// Selecting a request's operation ahead of execution (spec 6.1 GetOperation), to learn whether it is a query,
// a mutation or a subscription.
#include "selected_operation.hpp"

#include <variant>

namespace sluice::transport::http::detail {

std::optional<selected_operation> select_operation(const execution::executor& ex, const execution::request& req) {
  auto prepared = ex.prepare(req.query);
  if (prepared == nullptr || !prepared->errors.empty()) return std::nullopt;
  const language::operation_definition* found = nullptr;
  std::size_t count = 0;
  for (const auto& def : prepared->doc.definitions) {
    const auto* op = std::get_if<language::operation_definition>(&def);
    if (op == nullptr) continue;
    ++count;
    if (req.operation_name.empty()) {
      found = op;
    } else if (op->op_name.text == req.operation_name) {
      found = op;
      break;
    }
  }
  if (found == nullptr || (req.operation_name.empty() && count != 1)) return std::nullopt;
  return selected_operation{found->operation, found->loc.to_source_location()};
}

}  // namespace sluice::transport::http::detail
