// The GraphQL endpoint over HTTP: method, negotiation, parameters, the GET and subscription rules, execution and
// the status code of the result (docs/HTTP.md has the table).
#include "sluice/transport/http/graphql_over_http.hpp"

#include "graphql_request.hpp"
#include "media_range.hpp"
#include "replies.hpp"

namespace sluice::transport::http {
namespace {

using language::operation_type;

http_response not_acceptable() {
  auto out = detail::error_reply(
      406, "None of the media types in the Accept header can be served: accept "
           "application/graphql-response+json or application/json");
  out.headers.emplace_back("Accept", "application/graphql-response+json, application/json");
  return out;
}

http_response subscription_refused(media_type type, source_location where) {
  graphql_error e{"Subscriptions are not served over plain HTTP; use WebSocket or Server-Sent Events.",
                  {where},
                  {},
                  {}};
  return detail::graphql_reply(400, type, detail::errors_body(e));
}

}  // namespace

std::string_view http_response::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (detail::iequals(n, name)) return v;
  return {};
}

boost::asio::awaitable<http_response> graphql_over_http::handle(const http_request& req,
                                                                execution::context ctx) const {
  if (req.method != "GET" && req.method != "POST") co_return detail::method_not_allowed(req.method);
  const auto type = negotiate(req.accept);
  if (!type) co_return not_acceptable();

  auto read = detail::read_graphql_request(req, ex_);
  if (auto* refusal = std::get_if<http_response>(&read)) co_return std::move(*refusal);
  auto& got = std::get<detail::graphql_request>(read);
  if (got.operation && got.operation->type == operation_type::subscription)
    co_return subscription_refused(*type, got.operation->where);

  execution::response result = co_await ex_.execute(std::move(got.request), std::move(ctx));
  // application/graphql-response+json: a response without data (the request failed before execution) is a 400;
  // application/json: every GraphQL response is a 200 (legacy clients read the body, not the status).
  const int status = (*type == media_type::graphql_response_json && !result.has_data()) ? 400 : 200;
  co_return detail::graphql_reply(status, *type, result.to_json());
}

}  // namespace sluice::transport::http
