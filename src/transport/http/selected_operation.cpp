// Selecting a request's operation ahead of execution (spec 6.1 GetOperation, by the executor), to learn whether
// it is a query, a mutation or a subscription.
#include "selected_operation.hpp"

namespace sluice::transport::http::detail {

std::optional<selected_operation> select_operation(const execution::executor& ex, const execution::request& req) {
  const auto selection = ex.select_operation(req);
  if (selection.operation == nullptr) return std::nullopt;
  return selected_operation{selection.operation->operation, selection.operation->loc.to_source_location()};
}

}  // namespace sluice::transport::http::detail
