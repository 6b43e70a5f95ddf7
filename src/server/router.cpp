// Routes a request: CORS preflight, /healthz, /readyz, the GraphQL endpoint; adds CORS headers to answers.
#include "router.hpp"

#include <algorithm>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

#include "server_impl.hpp"

namespace sluice::server {

namespace http = boost::beast::http;

namespace {

router::response plain(http::status status, std::string body, std::string_view type = "text/plain; charset=utf-8") {
  router::response res{status, 11};
  res.set(http::field::content_type, type);
  res.body() = std::move(body);
  return res;
}

// The origin to allow for this request (empty: none), by the CORS options.
std::string allowed_origin(const cors_options& cors, std::string_view origin) {
  if (origin.empty() || cors.origins.empty()) return {};
  const bool any = std::find(cors.origins.begin(), cors.origins.end(), "*") != cors.origins.end();
  if (any) return cors.credentials ? std::string(origin) : std::string("*");
  return std::find(cors.origins.begin(), cors.origins.end(), origin) != cors.origins.end() ? std::string(origin)
                                                                                         : std::string();
}

// The CORS header fields for an answer to an allowed origin (none when `allowed` is empty).
std::vector<std::pair<std::string, std::string>> cors_fields(const cors_options& cors, const std::string& allowed) {
  std::vector<std::pair<std::string, std::string>> out;
  if (allowed.empty()) return out;
  out.emplace_back("Access-Control-Allow-Origin", allowed);
  if (allowed != "*") out.emplace_back("Vary", "Origin");
  if (cors.credentials) out.emplace_back("Access-Control-Allow-Credentials", "true");
  return out;
}

void add_cors_headers(const cors_options& cors, const std::string& allowed, router::response& res) {
  for (const auto& [name, value] : cors_fields(cors, allowed)) res.set(name, value);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> router::cors_headers(const request& req) const {
  return cors_fields(s_.options.cors, allowed_origin(s_.options.cors, req[http::field::origin]));
}

router::response router::to_response(transport::http::http_response answer,
                                     const std::vector<std::pair<std::string, std::string>>& extra) {
  response res{static_cast<http::status>(answer.status), 11};
  for (const auto& [name, value] : answer.headers) res.set(name, value);
  for (const auto& [name, value] : extra) res.set(name, value);
  res.body() = std::move(answer.body);
  return res;
}

std::string_view router::path_of(std::string_view target) {
  const auto q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

boost::asio::awaitable<router::response> router::handle(const request& req, execution::context ctx) const {
  const auto& o = s_.options;
  const std::string_view path = path_of(req.target());
  const std::string allowed = allowed_origin(o.cors, req[http::field::origin]);

  // A CORS preflight (any path): permission for the methods and headers the browser asks about.
  if (req.method() == http::verb::options) {
    response res = plain(http::status::no_content, "");
    // PUT and DELETE: single-connection SSE (reserve a stream, stop an operation).
    const std::string_view methods = o.sse.single_connection ? "GET, POST, PUT, DELETE, OPTIONS" : "GET, POST, OPTIONS";
    res.set(http::field::allow, methods);
    if (!allowed.empty() && !req[http::field::access_control_request_method].empty()) {
      res.set(http::field::access_control_allow_methods, methods);
      const auto asked = req[http::field::access_control_request_headers];
      res.set(http::field::access_control_allow_headers, asked.empty() ? std::string_view("content-type") : std::string_view(asked));
      res.set(http::field::access_control_max_age, std::to_string(o.cors.max_age.count()));
    }
    add_cors_headers(o.cors, allowed, res);
    co_return res;
  }

  response res;
  if (path == "/healthz") {
    res = plain(http::status::ok, "ok\n");
  } else if (path == "/readyz") {
    const bool ready = s_.listening && !s_.stopping;
    res = plain(ready ? http::status::ok : http::status::service_unavailable, ready ? "ready\n" : "not ready\n");
  } else if (path == o.path) {
    transport::http::http_request hreq{req.method_string(), req.target(), req[http::field::content_type],
                                       req[http::field::accept], req.body()};
    res = to_response(co_await s_.graphql.handle(hreq, std::move(ctx)));
  } else {
    res = plain(http::status::not_found, R"({"errors":[{"message":"Not found. GraphQL is served at )" + o.path + R"("}]})",
                "application/json; charset=utf-8");
  }
  add_cors_headers(o.cors, allowed, res);
  co_return res;
}

}  // namespace sluice::server
