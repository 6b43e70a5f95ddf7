// The server's shared state: event loops, the acceptor, the connections of each loop, shutdown.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
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
  boost::beast::tcp_stream stream;
  bool busy = false;  // a request is being read, executed or answered
};

// An event loop and the connections that live on it (touched only from that loop).
struct event_loop {
  boost::asio::io_context io{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work{io.get_executor()};
  std::list<std::weak_ptr<connection>> connections;
};

struct server::impl {
  impl(const execution::executor& ex, server_options o);

  void start_accepting();
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> session(std::shared_ptr<connection> c, event_loop& loop);
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
