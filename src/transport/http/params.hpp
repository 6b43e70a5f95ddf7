// Reading the GraphQL-over-HTTP request parameters (query, operationName, variables, extensions) from a GET query
// string or a POST JSON body, refusing malformed requests with the status and message to answer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "sluice/execution/request.hpp"

namespace sluice::transport::http::detail {

// A request the spec refuses before GraphQL sees it: 400 (malformed parameters) or 415 (media type).
struct param_error {
  int status = 400;
  std::string message;
};

using params_result = std::variant<execution::request, param_error>;

// GET: the parameters of the target's query string (application/x-www-form-urlencoded, '+' is a space);
// `variables` and `extensions` are JSON texts, an empty one meaning absent. A repeated parameter counts once,
// the first.
[[nodiscard]] params_result read_get_params(std::string_view target);

// One parameter of the target's query string, decoded as read_get_params() does (nullopt: absent or an invalid
// target).
[[nodiscard]] std::optional<std::string> query_param(std::string_view target, std::string_view key);

// POST: an application/json body (utf-8) holding an object with the parameters; null members count as absent
// and unknown members are ignored.
[[nodiscard]] params_result read_post_params(std::string_view content_type, std::string_view body);

// Whether a POST Content-Type is one we read: application/json, with no charset or charset utf-8. Gives the 415
// message otherwise, empty when acceptable.
[[nodiscard]] std::string check_content_type(std::string_view content_type);

}  // namespace sluice::transport::http::detail
