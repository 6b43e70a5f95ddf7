// Building the endpoint's HTTP responses (status, Content-Type, body).
#include "replies.hpp"

#include <vector>

#include "sluice/core/json.hpp"

namespace sluice::transport::http::detail {

http_response graphql_reply(int status, media_type type, std::string body) {
  http_response out;
  out.status = status;
  out.headers.emplace_back("Content-Type", std::string(content_type_of(type)));
  out.body = std::move(body);
  return out;
}

http_response error_reply(int status, std::string_view message) {
  return graphql_reply(status, media_type::json, errors_body(graphql_error{std::string(message), {}, {}, {}}));
}

std::string errors_body(const graphql_error& error) {
  std::string out = "{\"errors\":";
  write_errors_json(out, std::vector<graphql_error>{error});
  out.push_back('}');
  return out;
}

}  // namespace sluice::transport::http::detail

namespace sluice::transport::http {

http_response error_response(int status, std::string_view message) { return detail::error_reply(status, message); }

}  // namespace sluice::transport::http
