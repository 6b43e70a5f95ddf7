// The network server: HTTP/1.1 on Boost.Beast with one event loop per thread, serving GraphQL over HTTP,
// health endpoints and CORS, with limits, timeouts and a graceful shutdown. No Beast type appears here.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <memory>
#include <string>
#include <vector>

#include "sluice/execution/executor.hpp"
#include "sluice/pubsub/broker.hpp"
#include "sluice/registry/registry_store.hpp"
#include "sluice/transport/sse/reservation_store.hpp"
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

// What the on-connect hook of a WebSocket connection sees.
struct connect_request {
  const sluice::value& params;  // the connection_init payload (an object, or null)
  const std::vector<std::pair<std::string, std::string>>& headers;  // the upgrade request's headers
  // The upgrade request's cookies, when they may be read (see websocket_options::cookies); empty otherwise.
  const std::vector<std::pair<std::string, std::string>>& cookies;
  std::string_view origin;  // the upgrade request's Origin header (empty without one)
  transport::ws::subprotocol protocol;

  // A header's value (case-insensitive name), a cookie's value, or empty.
  [[nodiscard]] std::string_view header(std::string_view name) const;
  [[nodiscard]] std::string_view cookie(std::string_view name) const;
};

// The on-connect hook's answer.
struct connect_result {
  bool accepted = true;
  // Accepted: sent in connection_ack when an object. Refused: the error payload (graphql-ws sends it in
  // connection_error; graphql-transport-ws closes with 4403 Forbidden).
  sluice::value payload;
  sluice::value user;             // who the connection is: each operation's context.user
  std::shared_ptr<void> data;     // anything to keep on the connection for the context hook
  std::optional<std::string> scope;  // the auth scope of its operations (context::scope); unset: derived

  [[nodiscard]] static connect_result accept(sluice::value user = {}, sluice::value ack_payload = {}) {
    connect_result r;
    r.user = std::move(user);
    r.payload = std::move(ack_payload);
    return r;
  }
  [[nodiscard]] static connect_result refuse(sluice::value error_payload = {}) {
    connect_result r;
    r.accepted = false;
    r.payload = std::move(error_payload);
    return r;
  }
};

// A WebSocket connection as the hooks see it, once connected.
struct connection_info {
  std::uint64_t id;  // unique in this process
  transport::ws::subprotocol protocol;
  const sluice::value& params;  // the connection_init payload
  const sluice::value& user;
  const std::shared_ptr<void>& data;
};

// Hooks of WebSocket connections (every one optional). They run on the connection's event loop.
struct websocket_hooks {
  // On connection_init: accept (with an ack payload, a user, data) or refuse. Unset: every connection is accepted.
  std::function<connect_result(const connect_request&)> on_connect;
  // When an accepted connection closes (after its operations were stopped).
  std::function<void(const connection_info&)> on_disconnect;
  // When an operation starts (before it runs) and when it is over (completed, failed, or stopped).
  std::function<void(const connection_info&, std::string_view id, const execution::request&)> on_operation_start;
  std::function<void(const connection_info&, std::string_view id)> on_operation_complete;
  // The context of one operation; runs once per operation. Unset: user, connection parameters and scope from
  // on_connect, and its data as app_data.
  std::function<execution::context(const connection_info&, const execution::request&)> context;
};

// Whether a WebSocket upgrade's cookies reach on_connect (cookies sent cross-site would let another site act as
// the user: cross-site WebSocket hijacking). As Hasura does it: with CORS "*" they are read; with a list of
// origins, only when the upgrade's Origin is in the list; with CORS off, only when read_without_cors is set.
struct cookie_options {
  bool read_without_cors = false;
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
  cookie_options cookies;
  websocket_hooks hooks;
};

// What the authenticate hook of an HTTP request to the GraphQL path sees (GraphQL over HTTP and both SSE modes).
struct http_request_info {
  std::string_view method;
  std::string_view target;  // path and query string
  const std::vector<std::pair<std::string, std::string>>& headers;
  // The request's cookies when they may be read (the same Origin rule as WebSocket upgrades: cookie_options);
  // empty otherwise.
  const std::vector<std::pair<std::string, std::string>>& cookies;
  std::string_view origin;

  // A header's value (case-insensitive name), a cookie's value, or empty.
  [[nodiscard]] std::string_view header(std::string_view name) const;
  [[nodiscard]] std::string_view cookie(std::string_view name) const;
};

// Hooks of HTTP requests to the GraphQL path. They run on the request's event loop.
struct http_hooks {
  // Who sends the request: accept with a user, scope and data (the operation's context, as on_connect's), or
  // refuse: 401 with the refusal payload's "message" as the error. Unset: every request is anonymous.
  std::function<connect_result(const http_request_info&)> authenticate;
};

// What a second reservation (PUT) carrying the token of a live one of the same client gets.
enum class reservation_policy {
  refuse,   // 409 "Stream already registered", as the graphql-sse reference does (the default)
  replace,  // the old stream is ended and its operations stopped; a new token is answered (as Undine does)
};

// GraphQL over Server-Sent Events on the GraphQL path and <path>/stream (docs/SSE.md).
struct sse_options {
  // A keep-alive comment first and then at this interval. Zero: only the first.
  std::chrono::milliseconds keep_alive{12'000};
  std::size_t max_send_queue_bytes = 1024 * 1024;  // a client that falls further behind is disconnected
  // Single connection mode (PUT reserves a stream; operations are POSTed to it). Off: PUT and DELETE get 405.
  bool single_connection = true;
  reservation_policy second_reservation = reservation_policy::refuse;
  // Single connection mode only for authenticated requests (http_hooks::authenticate accepted them with a
  // non-null user; others get 401); a reservation then serves only the user who made it. Needs the hook.
  bool require_authentication = false;
  transport::sse::memory_reservation_options reservations;  // limits of the built-in store
  // Where reservations live; null: in this process (make_memory_reservation_store with the limits above).
  std::shared_ptr<transport::sse::reservation_store> store;
};

// The HTTP API for backends (docs/CLUSTER.md): POST /v1/notify, POST /v1/publish and GET /v1/registry, with the secret in the
// X-Sluice-Admin-Secret header (401 without it). Empty secret: the API is off (404).
struct admin_options {
  std::string secret;
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
  sse_options sse;
  http_hooks http;
  admin_options admin;
  // The broker of the application (it must outlive the server): /v1/publish publishes to it, and notify() goes
  // through it to every node of a cluster (topic "sluice:notify"). Null: notify() reaches this node only and
  // /v1/publish answers 501.
  pubsub::broker* broker = nullptr;
  // The persisted registry of connections and subscriptions (WebSocket and SSE);
  // listed by GET /v1/registry. Null: off.
  std::shared_ptr<registry::registry_store> registry;
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
  // A targeted push: every open subscription of `user` (its context's user, compared as JSON) whose operation is
  // named `operation_name`, on every node sharing options.broker, is executed again with `root_value` as its
  // root value (as if its source had produced that event), and the result is sent to it. Completes once the push
  // was handed to the broker (or, without one, to this node's subscriptions); throws when the broker refuses it.
  // Call it from a coroutine on any executor.
  [[nodiscard]] boost::asio::awaitable<void> notify(sluice::value user, std::string operation_name,
                                                    sluice::value root_value);
  // Subscriptions of this node that notify() can reach (those of an authenticated user, with an operation name).
  [[nodiscard]] std::size_t notifiable_subscriptions() const;

  // Graceful shutdown, from any thread: stops accepting, answers /readyz with 503, closes idle connections,
  // lets requests in flight finish (their responses say Connection: close) within shutdown_grace, then closes
  // every connection; run() then returns.
  void stop();

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace sluice::server
