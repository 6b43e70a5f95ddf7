// The HTTP responses of the GraphQL endpoint: GraphQL results in the negotiated media type, and the errors
// refused before GraphQL runs (always application/json, `{"errors":[{"message":...}]}`).
#pragma once

#include <string>
#include <string_view>

#include "sluice/core/error.hpp"
#include "sluice/transport/http/graphql_over_http.hpp"

namespace sluice::transport::http::detail {

// A response whose body is a GraphQL response (JSON text) in `type`.
[[nodiscard]] http_response graphql_reply(int status, media_type type, std::string body);

// A refusal: `{"errors":[{"message":<message>}]}` as application/json; charset=utf-8.
[[nodiscard]] http_response error_reply(int status, std::string_view message);

// The GraphQL response `{"errors":[<error>]}`.
[[nodiscard]] std::string errors_body(const graphql_error& error);

}  // namespace sluice::transport::http::detail
