// Routing of one HTTP request: the GraphQL endpoint, health endpoints, CORS preflight and headers.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/server/server.hpp"
#include "sluice/transport/http/graphql_over_http.hpp"

namespace sluice::server {

class router {
 public:
  using request = boost::beast::http::request<boost::beast::http::string_body>;
  using response = boost::beast::http::response<boost::beast::http::string_body>;

  explicit router(const server::impl& s) : s_(s) {}
  // `ctx`: the context of a GraphQL request's operation (who sent it).
  [[nodiscard]] boost::asio::awaitable<response> handle(const request& req, execution::context ctx = {}) const;
  // The CORS header fields for an answer to this request (none when its origin is not allowed).
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> cors_headers(const request& req) const;
  // A transport's answer as a Beast response, with `extra` header fields (CORS, say) added.
  [[nodiscard]] static response to_response(transport::http::http_response answer,
                                            const std::vector<std::pair<std::string, std::string>>& extra = {});
  // The path of a request target (without the query string).
  [[nodiscard]] static std::string_view path_of(std::string_view target);

 private:
  const server::impl& s_;
};

}  // namespace sluice::server
