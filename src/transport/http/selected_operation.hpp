// Which kind of operation (query, mutation, subscription) a request would run, decided before executing it, so
// that the transport can refuse a mutation over GET or a subscription over plain HTTP.
#pragma once

#include <optional>

#include "sluice/core/error.hpp"
#include "sluice/execution/executor.hpp"
#include "sluice/language/ast.hpp"

namespace sluice::transport::http::detail {

struct selected_operation {
  language::operation_type type = language::operation_type::query;
  source_location where;  // of the operation definition
};

// The operation the request selects (spec 6.1 GetOperation: the one named `operation_name`, or the only one), or
// nullopt when the document does not parse or validate, or no operation can be selected: execution then reports
// those errors in the usual way. Uses (and fills) the executor's prepared-document cache.
[[nodiscard]] std::optional<selected_operation> select_operation(const execution::executor& ex,
                                                                 const execution::request& req);

}  // namespace sluice::transport::http::detail
