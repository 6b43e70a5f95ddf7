// The server's shared state: event loops, the acceptor, the connections of each loop, shutdown.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
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

#include "sluice/server/server.hpp"
#include "sluice/transport/http/graphql_over_http.hpp"

namespace sluice::server {

// One connection, owned by its session coroutine; listed on its loop so that stop() can reach it.
struct connection {
  explicit connection(boost::asio::ip::tcp::socket s) : stream(std::move(s)) {}
  boost::beast::tcp_stream stream;  // moved into the WebSocket stream after an upgrade
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
  // Subscriptions of this loop's WebSocket connections, grouped (made on first use).
  std::unique_ptr<execution::subscription_hub> hub;
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
  // A request for an event stream (SSE, distinct connections): streams the operation, or answers the refusal.
  // True when a stream was sent. Either way the connection closes afterwards.
  boost::asio::awaitable<bool> event_stream_session(
      std::shared_ptr<connection> c, event_loop& loop,
      const boost::beast::http::request<boost::beast::http::string_body>& req,
      std::vector<std::pair<std::string, std::string>> cors);
  boost::asio::awaitable<void> websocket_session(std::shared_ptr<connection> c, event_loop& loop,
                                                 boost::beast::http::request<boost::beast::http::string_body> req);
  void begin_stop();
  void session_ended();
  void finish_if_done();

  const execution::executor& executor;
  server_options options;
  transport::http::graphql_over_http graphql;
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
