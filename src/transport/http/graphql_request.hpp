// What every GraphQL-over-HTTP request goes through, whatever answers it (a JSON response or an event stream):
// its method, its parameters and the mutation-over-GET rule.
#pragma once

#include <optional>
#include <string_view>
#include <variant>

#include "selected_operation.hpp"
#include "sluice/execution/executor.hpp"
#include "sluice/transport/http/graphql_over_http.hpp"

namespace sluice::transport::http::detail {

// 405 with `Allow: GET, POST`.
[[nodiscard]] http_response method_not_allowed(std::string_view method);

struct graphql_request {
  execution::request request;
  std::optional<selected_operation> operation;  // none when the document has errors (execution reports them)
};

// Reads the parameters of a GET or POST request (the method must be one of them) and selects its operation; or the
// refusal to answer instead: malformed parameters (400), a body that is not JSON (415), a mutation over GET (405,
// `Allow: POST`).
[[nodiscard]] std::variant<graphql_request, http_response> read_graphql_request(const http_request& req,
                                                                                const execution::executor& ex);

}  // namespace sluice::transport::http::detail
