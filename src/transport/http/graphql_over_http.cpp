// The GraphQL endpoint over HTTP: method, negotiation, parameters, the GET and subscription rules, execution and
// the status code of the result (docs/HTTP.md has the table).
#include "sluice/transport/http/graphql_over_http.hpp"

#include "media_range.hpp"
#include "params.hpp"
#include "replies.hpp"
#include "selected_operation.hpp"

namespace sluice::transport::http {
namespace {

using language::operation_type;

http_response method_not_allowed(std::string_view method) {
  auto out = detail::error_reply(405, "The method " + std::string(method) +
                                          " is not allowed on the GraphQL endpoint: use GET or POST");
  out.headers.emplace_back("Allow", "GET, POST");
  return out;
}

http_response not_acceptable() {
  auto out = detail::error_reply(
      406, "None of the media types in the Accept header can be served: accept "
           "application/graphql-response+json or application/json");
  out.headers.emplace_back("Accept", "application/graphql-response+json, application/json");
  return out;
}

http_response mutation_over_get() {
  auto out = detail::error_reply(405, "Mutations cannot be sent with GET: use POST");
  out.headers.emplace_back("Allow", "POST");
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
  const bool get = req.method == "GET";
  if (!get && req.method != "POST") co_return method_not_allowed(req.method);
  const auto type = negotiate(req.accept);
  if (!type) co_return not_acceptable();

  auto params = get ? detail::read_get_params(req.target) : detail::read_post_params(req.content_type, req.body);
  if (const auto* e = std::get_if<detail::param_error>(&params)) co_return detail::error_reply(e->status, e->message);
  auto& request = std::get<execution::request>(params);

  if (auto op = detail::select_operation(ex_, request)) {
    if (get && op->type == operation_type::mutation) co_return mutation_over_get();
    if (op->type == operation_type::subscription) co_return subscription_refused(*type, op->where);
  }

  execution::response result = co_await ex_.execute(std::move(request), std::move(ctx));
  // application/graphql-response+json: a response without data (the request failed before execution) is a 400;
  // application/json: every GraphQL response is a 200 (legacy clients read the body, not the status).
  const int status = (*type == media_type::graphql_response_json && !result.has_data()) ? 400 : 200;
  co_return detail::graphql_reply(status, *type, result.to_json());
}

}  // namespace sluice::transport::http
