// One HTTP/1.1 connection: read a request within the limits and timeouts, route it, answer, keep alive.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include "router.hpp"
#include "server_impl.hpp"

namespace sluice::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// An HTTP-level refusal: the status, and a JSON body with the reason (what GraphQL clients can read).
http::response<http::string_body> refusal(http::status status, std::string_view message) {
  http::response<http::string_body> res{status, 11};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.body() = R"({"errors":[{"message":")" + std::string(message) + R"("}]})";
  res.keep_alive(false);
  return res;
}

// Which refusal an error while reading a request calls for; nullopt: the peer went away or the server closed
// the connection (nothing to answer).
std::optional<http::response<http::string_body>> refusal_for(const boost::system::error_code& ec) {
  if (ec == http::error::header_limit) return refusal(http::status::request_header_fields_too_large, "Request headers too large.");
  if (ec == http::error::body_limit) return refusal(http::status::payload_too_large, "Request body too large.");
  if (ec == beast::error::timeout) return refusal(http::status::request_timeout, "Request not received in time.");
  if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::operation_aborted ||
      ec == asio::error::connection_reset || ec == asio::error::bad_descriptor)
    return std::nullopt;
  if (ec.category() == http::make_error_code(http::error::end_of_stream).category())  // any other parse error
    return refusal(http::status::bad_request, "Malformed HTTP request.");
  return std::nullopt;
}

// Reads with a deadline that, unlike tcp_stream's (which closes the socket), only cancels the read: the
// connection stays open for the 408 that says why.
template <typename Read>
asio::awaitable<boost::system::error_code> read_within(std::shared_ptr<connection> c,
                                                       std::chrono::steady_clock::duration limit, Read read) {
  struct deadline {
    bool expired = false;
    bool done = false;
  };
  auto d = std::make_shared<deadline>();
  c->stream->expires_never();
  asio::steady_timer timer(c->stream->get_executor(), limit);
  timer.async_wait([c, d](const boost::system::error_code& ec) {
    if (ec || d->done) return;
    d->expired = true;
    boost::system::error_code ignored;
    c->stream->socket().cancel(ignored);
  });
  boost::system::error_code ec = co_await read();
  d->done = true;
  timer.cancel();
  co_return d->expired ? boost::system::error_code(beast::error::timeout) : ec;
}

}  // namespace

asio::awaitable<void> server::impl::session(std::shared_ptr<connection> c, event_loop& loop) {
  loop.connections.push_front(c);
  const auto registration = loop.connections.begin();
  // HTTP first; an upgrade continues as WebSocket once the HTTP side's buffers and frames are gone (this one too:
  // an idle WebSocket connection holds only its own state).
  if (auto upgrade = co_await http_session(c, loop)) {
    start_websocket(c, loop, std::move(*upgrade), [this, &loop, registration] {
      loop.connections.erase(registration);
      session_ended();
    });
    co_return;
  }
  loop.connections.erase(registration);
  session_ended();
}

asio::awaitable<std::optional<http::request<http::string_body>>> server::impl::http_session(
    std::shared_ptr<connection> c, event_loop& loop) {
  auto& stream = *c->stream;
  beast::flat_buffer buffer;
  router route(*this);

  for (;;) {
    // Between requests: wait for the first byte of the next one, at most idle_timeout.
    c->busy = false;
    if (stopping) break;
    if (buffer.size() == 0) {
      stream.expires_after(options.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), asio::as_tuple(asio::use_awaitable));
      if (ec) break;  // closed, idle for too long, or closed by stop()
      buffer.commit(n);
    }
    c->busy = true;

    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    // (The reads are named before the co_await: GCC 12 mishandles lambdas inside co_await expressions.)
    auto read_header = [&]() -> asio::awaitable<boost::system::error_code> {
      auto [e, n] = co_await http::async_read_header(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      co_return e;
    };
    auto read_body = [&]() -> asio::awaitable<boost::system::error_code> {
      auto [e, n] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      co_return e;
    };
    boost::system::error_code ec = co_await read_within(c, options.header_timeout, read_header);
    if (!ec && !parser.is_done()) ec = co_await read_within(c, options.body_timeout, read_body);
    if (ec) {
      if (auto res = refusal_for(ec)) {
        res->prepare_payload();
        stream.expires_after(options.body_timeout);
        co_await http::async_write(stream, *res, asio::as_tuple(asio::use_awaitable));
        spdlog::info("status={} error=\"{}\"", res->result_int(), ec.message());
      }
      break;
    }

    const auto started = std::chrono::steady_clock::now();
    http::request<http::string_body> req = parser.release();
    if (beast::websocket::is_upgrade(req) && router::path_of(req.target()) == options.path &&
        options.websocket.enabled) {
      // The connection speaks WebSocket from now on (and is counted as a session until that ends).
      co_return std::move(req);
    }
    const auto path = router::path_of(req.target());
    std::optional<http::response<http::string_body>> answer;
    if ((path == options.path || path == options.path + "/stream") && req.method() != http::verb::options) {
      answer = co_await graphql_endpoint(c, loop, req);
      if (!answer) {
        spdlog::info("method={} path={} event_stream=true", std::string_view(req.method_string()), path);
        break;  // an event stream ends its connection
      }
    } else if (path.starts_with("/v1/") && req.method() != http::verb::options) {
      answer = co_await admin_endpoint(req);
    } else {
      answer = co_await route.handle(req);
    }
    http::response<http::string_body>& res = *answer;
    const bool keep = req.keep_alive() && !stopping;
    res.keep_alive(keep);
    res.prepare_payload();
    stream.expires_after(options.body_timeout);
    auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
    spdlog::info("method={} path={} status={} duration_ms={:.3f}", std::string_view(req.method_string()),
                 router::path_of(req.target()), res.result_int(), static_cast<double>(micros) / 1000.0);
    if (wec || !keep) break;
  }

  boost::system::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream.socket().close(ignored);
  co_return std::nullopt;
}

}  // namespace sluice::server
