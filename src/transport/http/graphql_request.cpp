// Reading a GraphQL-over-HTTP request: GET or POST parameters, the selected operation, mutations refused over GET.
#include "graphql_request.hpp"

#include "params.hpp"
#include "replies.hpp"

namespace sluice::transport::http::detail {

http_response method_not_allowed(std::string_view method) {
  auto out = error_reply(405, "The method " + std::string(method) +
                                  " is not allowed on the GraphQL endpoint: use GET or POST");
  out.headers.emplace_back("Allow", "GET, POST");
  return out;
}

std::variant<graphql_request, http_response> read_graphql_request(const http_request& req,
                                                                  const execution::executor& ex) {
  const bool get = req.method == "GET";
  auto params = get ? read_get_params(req.target) : read_post_params(req.content_type, req.body);
  if (const auto* e = std::get_if<param_error>(&params)) return error_reply(e->status, e->message);
  graphql_request out{std::move(std::get<execution::request>(params)), std::nullopt};
  out.operation = select_operation(ex, out.request);
  if (get && out.operation && out.operation->type == language::operation_type::mutation) {
    auto refusal = error_reply(405, "Mutations cannot be sent with GET: use POST");
    refusal.headers.emplace_back("Allow", "POST");
    return refusal;
  }
  return out;
}

}  // namespace sluice::transport::http::detail
