// The GraphQL path: who sends the request (the authenticate hook), then which transport answers it: a step of
// single-connection SSE, a distinct-connections event stream, or GraphQL over HTTP.
#include <boost/beast/http.hpp>

#include "router.hpp"
#include "server_impl.hpp"
#include "sluice/core/json.hpp"
#include "sluice/transport/sse/distinct.hpp"

namespace sluice::server {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace sse = transport::sse;

namespace {

using header_fields = std::vector<std::pair<std::string, std::string>>;

// The context of a request's operation: the authenticated user, scope and data.
execution::context context_of(const connect_result& who) {
  execution::context ctx;
  ctx.user = who.user;
  ctx.app_data = who.data;
  ctx.scope = who.scope;
  return ctx;
}

// Who owns a reservation: the scope, else the user (empty when anonymous).
std::string owner_of(const connect_result& who) {
  if (who.scope) return *who.scope;
  return who.user.is_null() ? std::string() : json::to_string(who.user);
}

}  // namespace

connect_result server::impl::authenticate(const router::request& req) const {
  if (!options.http.authenticate) return connect_result::accept();
  header_fields headers;
  for (const auto& field : req) headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  const std::string_view origin = req[http::field::origin];
  header_fields cookies;
  if (detail::may_read_cookies(options.cors, options.websocket.cookies, origin))
    cookies = detail::parse_cookies(req[http::field::cookie]);
  return options.http.authenticate(http_request_info{req.method_string(), req.target(), headers, cookies, origin});
}

asio::awaitable<router::response> server::impl::admin_endpoint(const router::request& req) {
  const header_fields cors = router(*this).cors_headers(req);
  co_return router::to_response(co_await admin_request(req), cors);
}

asio::awaitable<std::optional<router::response>> server::impl::graphql_endpoint(std::shared_ptr<connection> c,
                                                                              event_loop& loop,
                                                                              const router::request& req) {
  const router route(*this);
  const header_fields cors = route.cors_headers(req);
  const transport::http::http_request hreq{req.method_string(), req.target(), req[http::field::content_type],
                                           req[http::field::accept], req.body()};
  connect_result who;
  try {
    who = authenticate(req);
  } catch (const std::exception& e) {
    who = connect_result::refuse(sluice::value(sluice::object{{"message", std::string(e.what())}}));
  }
  if (!who.accepted) {
    const sluice::value* message = who.payload.is_object() ? who.payload.find("message") : nullptr;
    auto refused = transport::http::error_response(401, message != nullptr && message->is_string() ? std::string_view(message->as_string())
                                                                               : std::string_view("Unauthorized"));
    refused.headers.emplace_back("WWW-Authenticate", "Bearer");
    co_return router::to_response(refused, cors);
  }
  const bool wants_stream = sse::wants_event_stream(hreq.accept);

  if (options.sse.single_connection) {
    std::string token = sse::token_of(req[sse::token_header], req.target());
    const auto step = sse::classify(hreq.method, !token.empty(), wants_stream);
    if (step != sse::single_step::none) {
      if (options.sse.require_authentication && who.user.is_null())
        co_return router::to_response(sse::refusal(401, "GraphQL over SSE requires authentication in single connection mode"),
                         cors);
      if (step == sse::single_step::open) {
        co_await reserved_stream_session(c, loop, std::move(token), owner_of(who), cors);
        co_return std::nullopt;
      }
      auto a = co_await single_connection_step(step, loop, hreq, std::move(token), owner_of(who), context_of(who));
      co_return router::to_response(a, cors);
    }
  }
  if (wants_stream) {
    co_await event_stream_session(c, loop, hreq, context_of(who), cors);
    co_return std::nullopt;
  }
  co_return co_await route.handle(req, context_of(who));
}

}  // namespace sluice::server
