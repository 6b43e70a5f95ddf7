// GraphQL over HTTP (graphql-over-http spec, and the graphql-http audit suite): from an HTTP request to the
// GraphQL endpoint to the HTTP response, with no sockets and no Beast types (the server maps its own).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/execution/executor.hpp"

namespace sluice::transport::http {

// An HTTP request as the protocol needs to see it. Header values are empty when the header is absent.
struct http_request {
  std::string_view method;        // "GET", "POST", ... (case-sensitive, as HTTP says)
  std::string_view target;        // the request target: path and query string ("/graphql?query=...")
  std::string_view content_type;  // the Content-Type header
  std::string_view accept;        // the Accept header
  std::string_view body;
};

struct http_response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Length, which the server sets
  std::string body;

  // The value of a header (first match, case-insensitive name), or empty.
  [[nodiscard]] std::string_view header(std::string_view name) const;
};

// The response media types of the spec.
enum class media_type {
  graphql_response_json,  // application/graphql-response+json
  json,                   // application/json (legacy clients)
};

// The media type to answer with, from an Accept header: the acceptable type with the highest q value (the earlier
// one on a tie); application/*, */* and a missing or empty header mean application/json. Nothing acceptable:
// nullopt (the caller answers 406).
[[nodiscard]] std::optional<media_type> negotiate(std::string_view accept);

// A refusal: `{"errors":[{"message": ...}]}` as application/json with the status (what every endpoint of the
// server answers when it refuses a request).
[[nodiscard]] http_response error_response(int status, std::string_view message);

// The Content-Type header value of a GraphQL response in `type` ("application/json; charset=utf-8", ...).
[[nodiscard]] std::string_view content_type_of(media_type type);

class graphql_over_http {
 public:
  explicit graphql_over_http(const execution::executor& ex) : ex_(ex) {}

  // Handles one request to the GraphQL endpoint: reads GET or POST parameters, refuses what the spec refuses
  // (with the status codes of docs/HTTP.md), executes queries and mutations (not mutations over GET), and
  // answers in the negotiated media type. Resolvers run on the calling coroutine's executor. `req` (and the text
  // its views point into) must stay alive until the returned awaitable completes.
  [[nodiscard]] boost::asio::awaitable<http_response> handle(const http_request& req,
                                                             execution::context ctx = {}) const;

 private:
  const execution::executor& ex_;
};

}  // namespace sluice::transport::http
