// The server's shared state: event loops, the acceptor, the connections of each loop, shutdown.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <vector>

#include "registry.hpp"
#include "sluice/server/server.hpp"
#include "sluice/transport/http/graphql_over_http.hpp"
#include "sluice/transport/sse/single.hpp"

namespace sluice::server {

// One connection, owned by its session coroutine; listed on its loop so that stop() can reach it.
struct connection {
  explicit connection(boost::asio::ip::tcp::socket s) : stream(std::in_place, std::move(s)) {}
  // Empty once moved into the WebSocket stream after an upgrade (a moved-from tcp_stream would keep its state).
  std::optional<boost::beast::tcp_stream> stream;
  bool busy = false;                // a request is being read, executed or answered
  // Set while the connection speaks WebSocket: stop its operations and close with 1001; close at once.
  std::function<void()> close_gracefully;
  std::function<void()> close_now;
};

// An event loop and the connections that live on it (touched only from that loop).
struct event_loop {
  boost::asio::io_context io{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work{io.get_executor()};
  std::list<std::weak_ptr<connection>> connections;
  // Subscriptions of this loop's connections (WebSocket, SSE), grouped (made on first use).
  std::unique_ptr<execution::subscription_hub> hub;

  [[nodiscard]] execution::subscription_hub& hub_for(const execution::executor& ex) {
    if (!hub) hub = std::make_unique<execution::subscription_hub>(ex);
    return *hub;
  }

  // Runs `f` once the loop has run the handlers already queued, and those that keep adding to the deferred work
  // (a few rounds at most). WebSocket sessions write this way: the results of a burst of events, queued for one
  // connection meanwhile, leave in one system call.
  void defer(std::function<void()> f) {
    deferred.push_back(std::move(f));
    ++activity;
    if (deferred_posted) return;
    deferred_posted = true;
    deferred_rounds = 0;
    boost::asio::post(io, [this] { run_deferred(); });
  }
  // Something was added to work already deferred (more bytes for a connection waiting to write).
  void touch_deferred() { ++activity; }

 private:
  void run_deferred();

  static constexpr int min_deferred_rounds = 6;
  static constexpr int max_deferred_rounds = 16;
  std::vector<std::function<void()>> deferred;
  std::vector<std::function<void()>> deferred_running;
  bool deferred_posted = false;
  int deferred_rounds = 0;
  std::uint64_t activity = 0;       // additions to the deferred work
  std::uint64_t activity_seen = 0;  // at the last round
};

namespace detail {
// The name=value pairs of a Cookie header (pairs without a name or '=' are ignored; quotes are removed).
[[nodiscard]] std::vector<std::pair<std::string, std::string>> parse_cookies(std::string_view header);
// Whether a WebSocket upgrade's cookies may be read (cookie_options).
[[nodiscard]] bool may_read_cookies(const cors_options& cors, const cookie_options& cookies, std::string_view origin);
}  // namespace detail

struct server::impl {
  impl(const execution::executor& ex, server_options o);

  void start_accepting();
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> session(std::shared_ptr<connection> c, event_loop& loop);
  // Requests until the connection closes (nullopt) or asks for a WebSocket upgrade on the GraphQL path.
  boost::asio::awaitable<std::optional<boost::beast::http::request<boost::beast::http::string_body>>> http_session(
      std::shared_ptr<connection> c, event_loop& loop);
  // A request to the GraphQL path (any method but OPTIONS): authenticated, then answered as GraphQL over HTTP,
  // a step of single-connection SSE, or an event stream. nullopt: it was an event stream (or its refusal), and the
  // connection ends.
  boost::asio::awaitable<std::optional<boost::beast::http::response<boost::beast::http::string_body>>>
  graphql_endpoint(std::shared_ptr<connection> c, event_loop& loop,
                   const boost::beast::http::request<boost::beast::http::string_body>& req);
  // Who sends a request (http_hooks::authenticate; everyone is accepted, anonymous, without the hook).
  [[nodiscard]] connect_result authenticate(const boost::beast::http::request<boost::beast::http::string_body>& req) const;
  // A request for an event stream in distinct connections mode: streams the operation, or answers the refusal.
  // True when a stream was sent. Either way the connection closes afterwards.
  boost::asio::awaitable<bool> event_stream_session(std::shared_ptr<connection> c, event_loop& loop,
                                                    const transport::http::http_request& req, execution::context ctx,
                                                    std::vector<std::pair<std::string, std::string>> cors);
  // The stream of a reservation (single connection mode): 404 or 409, or the events until the client leaves.
  boost::asio::awaitable<bool> reserved_stream_session(std::shared_ptr<connection> c, event_loop& loop,
                                                       std::string token, std::string owner,
                                                       std::vector<std::pair<std::string, std::string>> cors);
  // The other steps of single connection mode: reserve (PUT), run an operation (POST/GET), stop one (DELETE).
  boost::asio::awaitable<transport::http::http_response> single_connection_step(
      transport::sse::single_step step, event_loop& loop, const transport::http::http_request& req,
      std::string token, std::string owner, execution::context ctx);
  // Takes over an upgraded connection: its WebSocket session runs on its own, and when it ends `done` runs (the
  // session's registration goes, and it counts as ended). Nothing of the HTTP side waits for it.
  void start_websocket(std::shared_ptr<connection> c, event_loop& loop,
                       boost::beast::http::request<boost::beast::http::string_body> req, std::function<void()> done);
  // Registers an operation's subscription for notify(): results of a push go to `send` on the caller's loop.
  [[nodiscard]] registration register_for_notify(const execution::request& req, const execution::context& ctx,
                                                 boost::asio::any_io_executor loop,
                                                 std::function<void(std::string json)> send);
  // notify(): through the broker to every node, or to this node's registry without one.
  boost::asio::awaitable<void> push_notification(sluice::value user, std::string operation_name,
                                                 sluice::value root_value);
  // On loops[0], from listen(): receives the pushes sent through the broker and hands them to the registry.
  boost::asio::awaitable<void> receive_notifications();
  // The HTTP API for backends: POST /v1/notify, /v1/publish (admin_endpoint: as a Beast response, with CORS).
  boost::asio::awaitable<boost::beast::http::response<boost::beast::http::string_body>> admin_endpoint(
      const boost::beast::http::request<boost::beast::http::string_body>& req);
  boost::asio::awaitable<transport::http::http_response> admin_request(
      const boost::beast::http::request<boost::beast::http::string_body>& req);
  // GET /v1/registry: the persisted registry's rows (it blocks until pending writes are applied).
  [[nodiscard]] transport::http::http_response registry_listing(
      const boost::beast::http::request<boost::beast::http::string_body>& req) const;
  void begin_stop();
  void session_ended();
  void finish_if_done();

  const execution::executor& executor;
  server_options options;
  transport::http::graphql_over_http graphql;
  std::shared_ptr<transport::sse::reservation_store> reservations;  // single-connection SSE
  std::shared_ptr<subscription_registry> registry;                  // targeted pushes (notify)
  execution::event_stream notify_stream;  // on loops[0]: the pushes of every node, from options.broker
  std::vector<std::unique_ptr<event_loop>> loops;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor;  // on loops[0]
  std::optional<boost::asio::signal_set> signals;          // on loops[0]
  std::optional<boost::asio::steady_timer> grace;          // on loops[0]
  std::atomic<bool> listening{false};
  std::atomic<bool> stopping{false};
  bool accept_started = false;
  std::atomic<bool> accepting_done{false};
  std::atomic<long> sessions{0};
  std::atomic<bool> finished{false};
  std::size_t next_loop = 0;
};

}  // namespace sluice::server
