// GraphQL over Server-Sent Events, single connection mode (graphql-sse): PUT reserves a stream and answers its
// token; GET or POST with the token and Accept: text/event-stream opens the stream; POST (or GET) with the token
// and extensions.operationId runs an operation whose events go to that stream; DELETE ?operationId= stops one.
// The logic without sockets: which step a request is, its refusals, and the events. State: reservation_store.hpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "sluice/execution/executor.hpp"
#include "sluice/transport/http/graphql_over_http.hpp"

namespace sluice::transport::sse {

// The header that carries a reservation's token (EventSource clients use the `token` query parameter instead).
inline constexpr std::string_view token_header = "X-GraphQL-Event-Stream-Token";

// The token of a request: the header's value, else the `token` query parameter of the target; empty: none.
[[nodiscard]] std::string token_of(std::string_view header_value, std::string_view target);

// Which step of single connection mode a request to the GraphQL path is.
enum class single_step {
  none,     // not single connection mode: distinct-mode SSE or GraphQL over HTTP (GET/POST without a token)
  reserve,  // PUT
  open,     // GET or POST with a token, accepting text/event-stream
  run,      // GET or POST with a token, not accepting text/event-stream
  stop,     // DELETE
  refuse,   // another method (not OPTIONS): 405, Allow: GET, POST, PUT, DELETE
};
[[nodiscard]] single_step classify(std::string_view method, bool has_token, bool wants_event_stream);

// A PUT's Accept must allow text/plain (absent, */*, text/*, text/plain); otherwise its 406.
[[nodiscard]] std::optional<http::http_response> reserve_refusal(std::string_view accept);

// The 201 answer to a PUT: the token as text/plain.
[[nodiscard]] http::http_response reserved(std::string_view token);

// An operation to run on a reservation's stream: its request and its id (extensions.operationId).
struct operation {
  execution::request request;
  std::string id;
};
// Reads a run step's request: 406 when Accept allows no JSON response, the GraphQL-over-HTTP refusals (400 for
// bad parameters, 415, 405 for a mutation over GET), 400 without a non-empty string extensions.operationId.
[[nodiscard]] std::variant<operation, http::http_response> read_operation(const http::http_request& req,
                                                                          const execution::executor& ex);

// The operationId query parameter of a DELETE (empty: missing, which is a 400).
[[nodiscard]] std::string operation_id_param(std::string_view target);

// A JSON answer {"errors":[{"message": ...}]} with the status (404 Stream not found, 409 ..., 400 ...).
[[nodiscard]] http::http_response refusal(int status, std::string_view message);
// 405 for a method single connection mode does not know, with Allow: GET, POST, PUT, DELETE.
[[nodiscard]] http::http_response method_refusal();

// Events on a single-connection stream: `next` with {"id","payload"}, `complete` with {"id"}.
[[nodiscard]] std::string next_event(std::string_view operation_id, std::string_view result_json);
[[nodiscard]] std::string complete_event(std::string_view operation_id);

}  // namespace sluice::transport::sse
