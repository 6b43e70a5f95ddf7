// GraphQL over Server-Sent Events, distinct connections mode (graphql-sse): one HTTP request per operation, its
// results as `next` events, then `complete`. The logic without sockets; the server streams what it says.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/execution/executor.hpp"
#include "sluice/transport/http/graphql_over_http.hpp"

namespace sluice::transport::sse {

// Whether an Accept header asks for an event stream: text/event-stream among its media ranges, with q > 0.
[[nodiscard]] bool wants_event_stream(std::string_view accept);

// How a distinct-connections request starts: the operation to run on a stream, or the HTTP answer to give instead
// (400 for malformed parameters, 415 for a body that is not JSON, 405 for another method or a mutation over GET).
// Errors in the document itself (syntax, validation, variables) are no refusal: they are the stream's `next`
// event, since EventSource cannot read the body of an error response.
struct stream_start {
  std::optional<execution::request> request;
  std::optional<http::http_response> refusal;
};
[[nodiscard]] stream_start read_request(const http::http_request& req, const execution::executor& ex);

// The header fields of an event-stream response (Content-Type, Cache-Control, X-Accel-Buffering).
[[nodiscard]] const std::vector<std::pair<std::string, std::string>>& stream_headers();

// Events: `event: next` with a result, `event: complete` (with the empty data line EventSource needs), and the
// keep-alive comment.
[[nodiscard]] std::string next_event(std::string_view result_json);
[[nodiscard]] std::string_view complete_event();
[[nodiscard]] std::string_view keep_alive_comment();

}  // namespace sluice::transport::sse
