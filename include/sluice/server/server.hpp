// The network server: HTTP/1.1 on Boost.Beast with one event loop per thread, serving GraphQL over HTTP,
// health endpoints and CORS, with limits, timeouts and a graceful shutdown. No Beast type appears here.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sluice/execution/executor.hpp"
#include "sluice/transport/ws/protocol.hpp"

namespace sluice::server {

struct cors_options {
  // Origins allowed to call the server from a browser ("https://app.example.com"); "*" allows any origin.
  // Empty: CORS is off (no CORS headers; preflight requests get no permission).
  std::vector<std::string> origins;
  // Access-Control-Allow-Credentials: true (cookies). With "*", the request's Origin is echoed instead of "*".
  bool credentials = false;
  std::chrono::seconds max_age{600};  // how long browsers may cache a preflight answer
};

// GraphQL over WebSocket on the GraphQL path (both subprotocols; docs/WEBSOCKET.md).
struct websocket_options {
  bool enabled = true;
  // A ping frame after this long without traffic; a connection that sends nothing back within another interval
  // is closed. Zero: no pings (and no idle limit).
  std::chrono::milliseconds ping_interval{12'000};
  std::size_t max_message_bytes = 1024 * 1024;     // a larger message closes the connection with 1009
  std::size_t max_send_queue_bytes = 1024 * 1024;  // a client that falls further behind is closed with 1008
  transport::ws::protocol_options protocol;        // init timeout, legacy keep-alive, operations per connection
};

struct server_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4000;  // 0: any free port (see server::port())
  std::string path = "/graphql";
  unsigned threads = 0;  // event loops, one thread each; 0: one per core

  std::size_t max_header_bytes = 16 * 1024;    // larger: 431
  std::size_t max_body_bytes = 1024 * 1024;    // larger: 413
  std::chrono::milliseconds header_timeout{10'000};  // from the first byte of a request to its last header: 408
  std::chrono::milliseconds body_timeout{30'000};    // to read the body, and to write a response: 408 / close
  std::chrono::milliseconds idle_timeout{60'000};    // a kept-alive connection with no request is closed
  std::chrono::milliseconds shutdown_grace{10'000};  // requests in flight may finish within this on stop()

  cors_options cors;
  websocket_options websocket;
  std::string log_level = "info";  // trace, debug, info, warn, error, critical, off
  bool handle_signals = false;     // SIGINT and SIGTERM call stop()
};

class server {
 public:
  // The executor must outlive the server.
  server(const execution::executor& ex, server_options options);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds and listens; throws std::system_error when it cannot (the address is taken, say).
  void listen();
  // The port listened on (the one the system chose when options.port was 0).
  [[nodiscard]] std::uint16_t port() const;
  // Runs the event loops, this thread being one of them, until the server has stopped.
  void run();
  // Graceful shutdown, from any thread: stops accepting, answers /readyz with 503, closes idle connections,
  // lets requests in flight finish (their responses say Connection: close) within shutdown_grace, then closes
  // every connection; run() then returns.
  void stop();

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace sluice::server
