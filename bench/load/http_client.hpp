// A keep-alive HTTP/1.1 client for GraphQL POSTs (one request at a time, no pipelining): the publishers of
// the WebSocket scenarios and the closed-loop load of the `http` scenario. Beast stays in http_client.cpp.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "runtime.hpp"

namespace sluice::bench::load {

class http_client {
 public:
  http_client(asio::io_context& ioc, const target& t);
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  // Connects (again, after the server closed a connection). Throws on failure.
  [[nodiscard]] asio::awaitable<void> connect();
  // POSTs body (application/json) to the target path and reads the whole response; returns its status.
  // Reconnects first when the previous response closed the connection. Throws on I/O errors.
  [[nodiscard]] asio::awaitable<unsigned> post(std::string_view body);
  // The last response's body.
  [[nodiscard]] const std::string& body() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// The body of a GraphQL request: {"query":...,"variables":...} (variables_json: a JSON object's text, or
// empty).
[[nodiscard]] std::string graphql_body(std::string_view query, std::string_view variables_json = {});
// A JSON string literal (quoted and escaped).
[[nodiscard]] std::string json_quote(std::string_view s);

}  // namespace sluice::bench::load
