// Targeted pushes: notify() through the broker to every node (topic "sluice:notify"), each node's registry
// re-executing the user's matching subscriptions; and the HTTP API for backends (/v1/notify, /v1/publish).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "server_impl.hpp"
#include "sluice/core/json.hpp"

namespace sluice::server {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using transport::http::http_response;

namespace {

constexpr std::string_view notify_topic = "sluice:notify";

http_response json_answer(int status, std::string body) {
  http_response res;
  res.status = status;
  res.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  res.body = std::move(body);
  return res;
}

// Compares in time that does not depend on where the texts differ.
bool same_secret(std::string_view given, std::string_view secret) {
  if (given.size() != secret.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < given.size(); ++i)
    diff |= static_cast<unsigned char>(given[i] ^ secret[i]);
  return diff == 0;
}

}  // namespace

http_response server::impl::registry_listing(const http::request<http::string_body>& req) const {
  if (req.method() != http::verb::get) {
    auto res = transport::http::error_response(405, "Method not allowed: use GET");
    res.headers.emplace_back("Allow", "GET");
    return res;
  }
  if (!options.registry) return transport::http::error_response(404, "The registry is off (sluice serve --registry sqlite:PATH turns it on)");
  std::string body = R"({"node":)";
  json::write_string(body, options.registry->node());
  body += R"(,"connections":[)";
  bool first = true;
  for (const auto& c : options.registry->connections()) {
    body += first ? "{" : ",{";
    first = false;
    body += R"("id":)";
    json::write_string(body, c.id);
    body += R"(,"user":)";
    body += c.user;  // JSON text already
    body += R"(,"node":)";
    json::write_string(body, c.node);
    body += R"(,"transport":)";
    json::write_string(body, c.transport);
    body += R"(,"connectedAt":)" + std::to_string(c.connected_at) + "}";
  }
  body += R"(],"subscriptions":[)";
  first = true;
  for (const auto& sub : options.registry->subscriptions()) {
    body += first ? "{" : ",{";
    first = false;
    body += R"("id":)";
    json::write_string(body, sub.id);
    body += R"(,"connectionId":)";
    json::write_string(body, sub.connection_id);
    body += R"(,"operationName":)";
    json::write_string(body, sub.operation_name);
    body += R"(,"query":)";
    json::write_string(body, sub.query);
    body += R"(,"variables":)";
    body += sub.variables;  // JSON text already
    body += "}";
  }
  body += "]}";
  return json_answer(200, std::move(body));
}

registration server::impl::register_for_notify(const execution::request& req, const execution::context& ctx,
                                               asio::any_io_executor loop, std::function<void(std::string)> send) {
  return registry->add(req, ctx, std::move(loop), std::move(send));
}

asio::awaitable<void> server::impl::receive_notifications() {
  const auto loop = co_await asio::this_coro::executor;
  notify_stream = options.broker->subscribe(loop, std::string(notify_topic));
  for (;;) {
    std::optional<execution::stream_item> item;
    try {
      item = co_await notify_stream.next();
    } catch (const std::exception& e) {
      spdlog::error("notify: the broker's stream of pushes failed: {}", e.what());
      co_return;
    }
    if (!item) co_return;
    const auto* push = std::get_if<sluice::value>(&*item);
    const sluice::value* user = push != nullptr ? push->find("user") : nullptr;
    const sluice::value* name = push != nullptr ? push->find("operationName") : nullptr;
    const sluice::value* root = push != nullptr ? push->find("rootValue") : nullptr;
    if (user == nullptr || name == nullptr || !name->is_string()) {
      spdlog::warn("notify: a malformed push on {} was ignored", notify_topic);
      continue;
    }
    registry->notify(*user, name->as_string(), root != nullptr ? *root : sluice::value());
  }
}

asio::awaitable<void> server::impl::push_notification(sluice::value user, std::string operation_name,
                                                      sluice::value root_value) {
  if (options.broker == nullptr) {
    registry->notify(user, operation_name, root_value);
    co_return;
  }
  sluice::value push(sluice::object{{"user", std::move(user)},
                                    {"operationName", std::move(operation_name)},
                                    {"rootValue", std::move(root_value)}});
  co_await options.broker->publish(std::string(notify_topic), std::move(push));
}

asio::awaitable<void> server::notify(sluice::value user, std::string operation_name, sluice::value root_value) {
  co_await impl_->push_notification(std::move(user), std::move(operation_name), std::move(root_value));
}

std::size_t server::notifiable_subscriptions() const { return impl_->registry->size(); }

asio::awaitable<http_response> server::impl::admin_request(const http::request<http::string_body>& req) {
  const std::string_view path = req.target().substr(0, req.target().find('?'));
  if (options.admin.secret.empty()) co_return transport::http::error_response(404, "Not found: the admin API is off (no admin secret set)");
  if (!same_secret(req["X-Sluice-Admin-Secret"], options.admin.secret))
    co_return transport::http::error_response(401, "The X-Sluice-Admin-Secret header is missing or wrong");
  if (path == "/v1/registry") co_return registry_listing(req);
  if (path != "/v1/notify" && path != "/v1/publish")
    co_return transport::http::error_response(404, "Not found: use /v1/notify, /v1/publish or /v1/registry");
  if (req.method() != http::verb::post) {
    auto res = transport::http::error_response(405, "Method not allowed: use POST");
    res.headers.emplace_back("Allow", "POST");
    co_return res;
  }
  std::string parse_error;
  auto body = json::parse(req.body(), &parse_error);
  if (!body || !body->is_object()) co_return transport::http::error_response(400, "The body must be a JSON object" +
                                                             (parse_error.empty() ? "" : " (" + parse_error + ")"));
  try {
    if (path == "/v1/notify") {
      const sluice::value* user = body->find("user");
      const sluice::value* name = body->find("operationName");
      const sluice::value* root = body->find("rootValue");
      if (user == nullptr || user->is_null())
        co_return transport::http::error_response(400, "\"user\" is required: who to push to (as the subscriptions' context.user)");
      if (name == nullptr || !name->is_string() || name->as_string().empty())
        co_return transport::http::error_response(400, "\"operationName\" is required: the name of the subscriptions to push to");
      sluice::value root_value = root != nullptr ? *root : sluice::value();
      co_await push_notification(*user, name->as_string(), std::move(root_value));
      co_return json_answer(202, R"({"accepted":true})");
    }
    const sluice::value* topic = body->find("topic");
    const sluice::value* payload = body->find("payload");
    if (topic == nullptr || !topic->is_string() || topic->as_string().empty())
      co_return transport::http::error_response(400, "\"topic\" is required: the topic to publish to");
    if (payload == nullptr) co_return transport::http::error_response(400, "\"payload\" is required: the event (any JSON value)");
    if (options.broker == nullptr) co_return transport::http::error_response(501, "No broker is configured: nothing to publish to");
    co_await options.broker->publish(topic->as_string(), *payload);
    co_return json_answer(200, R"({"published":true})");
  } catch (const std::exception& e) {
    co_return transport::http::error_response(503, std::string("The broker refused the event: ") + e.what());
  }
}

}  // namespace sluice::server
