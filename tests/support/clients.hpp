// Clients for the server's integration tests, over loopback with bounded reads: plain HTTP (with event streams)
// and graphql-transport-ws.
#pragma once

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <sys/socket.h>

#include "sluice/core/json.hpp"

namespace sluice::test_support {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// A connection whose every read gives up after five seconds.
class http_client {
 public:
  explicit http_client(std::uint16_t port) : socket_(io_) {
    asio::connect(socket_, std::array{tcp::endpoint(asio::ip::make_address("127.0.0.1"), port)});
  }
  // `user` goes in Authorization, `token` in X-GraphQL-Event-Stream-Token; `headers` are added as they are.
  http::response<http::string_body> request(http::verb method, std::string target, std::string user = {},
                                            std::string token = {}, std::string body = {},
                                            const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    http::request<http::string_body> req{method, target, 11};
    for (const auto& [name, value] : headers) req.set(name, value);
    req.set(http::field::host, "127.0.0.1");
    if (!user.empty()) req.set(http::field::authorization, user);
    if (!token.empty()) req.set("X-GraphQL-Event-Stream-Token", token);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = std::move(body);
    req.prepare_payload();
    http::write(socket_, req);
    http::response<http::string_body> res;
    bounded([&](auto done) { http::async_read(socket_, buffer_, res, done); });
    return res;
  }
  // Opens the event stream of `token` (single connection mode); the status of the answer.
  unsigned open_stream(const std::string& token, const std::string& user) {
    return open_stream_get("/graphql/stream", user, token);
  }
  // GET `target` with Accept: text/event-stream (`user` in Authorization, `token` in the token header when given);
  // the status of the answer. read_until() then reads the stream.
  unsigned open_stream_get(const std::string& target, const std::string& user, const std::string& token = {}) {
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::accept, "text/event-stream");
    if (!user.empty()) req.set(http::field::authorization, user);
    if (!token.empty()) req.set("X-GraphQL-Event-Stream-Token", token);
    http::write(socket_, req);
    parser_.emplace();
    parser_->body_limit(boost::none);
    const auto ec = bounded([&](auto done) { http::async_read_header(socket_, buffer_, *parser_, done); });
    return ec ? 0 : parser_->get().result_int();
  }
  // Reads the open stream until its text holds `what` (or a read fails); the text so far.
  std::string read_until(std::string_view what) {
    while (parser_->get().body().find(what) == std::string::npos) {
      if (bounded([&](auto done) { http::async_read_some(socket_, buffer_, *parser_, done); })) break;
    }
    return parser_->get().body();
  }
  void close() { socket_.close(); }

 private:
  // Runs one asynchronous read for at most five seconds; its error (operation_aborted when it took too long).
  template <typename Start>
  boost::system::error_code bounded(Start start) {
    boost::system::error_code result = asio::error::operation_aborted;
    bool done = false;
    start([&](const boost::system::error_code& ec, std::size_t) {
      result = ec;
      done = true;
    });
    io_.restart();
    io_.run_for(5s);
    if (!done) {
      socket_.cancel();
      io_.restart();
      io_.run();
      return asio::error::operation_aborted;
    }
    return result;
  }

  asio::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
};

// A blocking graphql-transport-ws client with bounded reads.
class ws_client {
 public:
  ws_client(std::uint16_t port, std::string origin = {}, std::string cookie = {}) : ws_(io_) {
    asio::connect(ws_.next_layer(), std::array{tcp::endpoint(asio::ip::make_address("127.0.0.1"), port)});
    timeval tv{5, 0};
    ::setsockopt(ws_.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ws_.set_option(websocket::stream_base::decorator([origin, cookie](websocket::request_type& req) {
      req.set(beast::http::field::sec_websocket_protocol, "graphql-transport-ws");
      if (!origin.empty()) req.set(beast::http::field::origin, origin);
      if (!cookie.empty()) req.set(beast::http::field::cookie, cookie);
    }));
    ws_.handshake("127.0.0.1", "/graphql");
  }
  void send(const std::string& text) { ws_.write(asio::buffer(text)); }
  // The next message as JSON, or the close code as {"close": code} once closed.
  sluice::value receive() {
    beast::flat_buffer buffer;
    boost::system::error_code ec;
    ws_.read(buffer, ec);
    if (ec == websocket::error::closed) return sluice::value(sluice::object{{"close", static_cast<int>(ws_.reason().code)}});
    if (ec) return sluice::value(sluice::object{{"error", ec.message()}});
    return *json::parse(beast::buffers_to_string(buffer.data()));
  }
  void close() { ws_.close(websocket::close_code::normal); }

 private:
  asio::io_context io_;
  websocket::stream<tcp::socket> ws_;
};

}  // namespace sluice::test_support
