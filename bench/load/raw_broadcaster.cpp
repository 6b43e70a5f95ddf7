// raw_broadcaster: the benchmarks' baseline, what this machine does with no GraphQL. It speaks just enough of
// graphql-transport-ws (on /graphql) and of GraphQL over HTTP for the load generator: a POST's
// variables.channel and variables.text go to every subscription of that channel as
// {"id":..,"type":"next","payload":{"data":{"messages":
// {"text":..}}}}. Beast parses HTTP and accepts the upgrade; the WebSocket frames are written and cut by
// hand.
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include "raw_session.hpp"

namespace sluice::bench::raw {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;

namespace {

struct server {
  explicit server(const options& o) : opts(o) {
    for (unsigned i = 0; i < std::max(1u, o.threads); ++i) loops.push_back(std::make_unique<loop>(i, opts));
  }
  const options& opts;
  std::vector<std::unique_ptr<loop>> loops;
  std::atomic<std::uint64_t> next_id{0};
  std::atomic<bool> stopping{false};
};

http::response<http::string_body> reply(const http::request<http::string_body>& req, http::status status,
                                        std::string body) {
  http::response<http::string_body> res{status, req.version()};
  res.set(http::field::server, "raw-broadcaster");
  res.set(http::field::content_type, "application/json");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

std::string error_body(std::string_view message) {
  return R"({"errors":[{"message":)" + json::serialize(json::string(message)) + "}]}";
}

// POST /graphql: publishes variables.text to variables.channel on every loop.
http::response<http::string_body> handle_post(server& srv, const http::request<http::string_body>& req) {
  if (req.method() != http::verb::post)
    return reply(req, http::status::method_not_allowed, error_body("POST only"));
  boost::system::error_code ec;
  const json::value v = json::parse(req.body(), ec);
  const json::value* vars = !ec && v.is_object() ? v.as_object().if_contains("variables") : nullptr;
  const json::value* channel =
      vars != nullptr && vars->is_object() ? vars->as_object().if_contains("channel") : nullptr;
  const json::value* text =
      vars != nullptr && vars->is_object() ? vars->as_object().if_contains("text") : nullptr;
  if (channel == nullptr || text == nullptr || !channel->is_string() || !text->is_string()) {
    return reply(
        req, http::status::ok,
        error_body("raw-broadcaster only publishes: variables.channel and variables.text are required"));
  }
  auto ev = std::make_shared<event>();
  ev->channel = std::string(channel->as_string());
  ev->tail = R"(,"type":"next","payload":{"data":{"messages":{"text":)" + json::serialize(text->as_string()) +
             "}}}}";
  for (auto& l : srv.loops) {
    loop* target = l.get();
    asio::post(target->ioc(), [target, ev] { target->broadcast(*ev); });
  }
  const std::uint64_t id = ++srv.next_id;
  return reply(req, http::status::ok, R"({"data":{"post":{"id":")" + std::to_string(id) + R"("}}})");
}

bool offers_protocol(const http::request<http::string_body>& req) {
  const auto offered = req[http::field::sec_websocket_protocol];
  return offered.find("graphql-transport-ws") != beast::string_view::npos;
}

void set_protocol(websocket::response_type& res) {
  res.set(http::field::sec_websocket_protocol, "graphql-transport-ws");
  res.set(http::field::server, "raw-broadcaster");
}

// A connection: HTTP requests until it upgrades to WebSocket (then a ws_session takes the socket) or closes.
asio::awaitable<void> http_session(server& srv, loop& l, tcp::socket sock) {
  beast::flat_buffer buffer;
  boost::system::error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  for (std::uint64_t i = 0; i < (std::uint64_t{1} << 40); ++i) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(srv.opts.max_message);
    parser.header_limit(16 * 1024);
    co_await http::async_read(sock, buffer, parser, token);
    if (ec) break;
    http::request<http::string_body> req = parser.release();
    const auto target = req.target();
    const auto path = target.substr(0, target.find('?'));
    if (path != srv.opts.path) {
      auto res = reply(req, http::status::not_found, error_body("not found"));
      co_await http::async_write(sock, res, token);
      if (ec || !res.keep_alive()) break;
      continue;
    }
    if (websocket::is_upgrade(req)) {
      if (!offers_protocol(req)) {
        auto res =
            reply(req, http::status::bad_request, error_body("subprotocol graphql-transport-ws required"));
        res.keep_alive(false);
        co_await http::async_write(sock, res, token);
        break;
      }
      {
        websocket::stream<tcp::socket&> ws(sock);
        ws.set_option(websocket::stream_base::decorator(&set_protocol));
        co_await ws.async_accept(req, token);
      }
      if (ec) break;
      const std::string leftover = beast::buffers_to_string(buffer.data());
      auto session = std::make_shared<ws_session>(l, std::move(sock));
      session->start(leftover);
      co_return;
    }
    auto res = handle_post(srv, req);
    co_await http::async_write(sock, res, token);
    if (ec || !res.keep_alive()) break;
  }
  boost::system::error_code ignored;
  sock.shutdown(tcp::socket::shutdown_send, ignored);
  sock.close(ignored);
}

// Accepts on loop 0 and hands the connections to the loops in turn.
asio::awaitable<void> accept_loop(server& srv, tcp::acceptor& acceptor) {
  boost::system::error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  asio::steady_timer backoff(acceptor.get_executor());
  bool reported = false;
  for (std::uint64_t i = 0; !srv.stopping.load(); ++i) {
    loop& l = *srv.loops[i % srv.loops.size()];
    tcp::socket sock(l.ioc());
    co_await acceptor.async_accept(sock, token);
    if (ec == asio::error::operation_aborted || srv.stopping.load()) break;
    if (ec) {
      // Out of descriptors (EMFILE) and the like: wait a little rather than spin.
      if (!reported) std::fprintf(stderr, "raw-broadcaster: accept: %s\n", ec.message().c_str());
      reported = true;
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(token);
      continue;
    }
    sock.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(l.ioc(), http_session(srv, l, std::move(sock)), asio::detached);
  }
}

}  // namespace

}  // namespace sluice::bench::raw

int main(int argc, char** argv) {
  using namespace sluice::bench::raw;
  CLI::App app{"raw_broadcaster: graphql-transport-ws fan-out with no GraphQL (the benchmarks' baseline)"};
  options o;
  app.add_option("--host", o.host, "address to listen on")->capture_default_str();
  app.add_option("--port", o.port, "port (0: any free port)")->capture_default_str();
  app.add_option("--threads", o.threads, "event loops, one thread each")->capture_default_str();
  app.add_option("--max-send-queue", o.max_send_queue, "bytes queued for one connection before it is closed")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    ::signal(SIGPIPE, SIG_IGN);
    server srv(o);
    loop& first = *srv.loops.front();
    tcp::acceptor acceptor(first.ioc());
    const tcp::endpoint endpoint(asio::ip::make_address(o.host), o.port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);

    asio::signal_set signals(first.ioc(), SIGINT, SIGTERM);
    auto on_signal = [&](const boost::system::error_code& ec, int) {
      if (ec) return;
      srv.stopping = true;
      boost::system::error_code ignored;
      acceptor.close(ignored);
      for (auto& l : srv.loops) l->ioc().stop();
    };
    signals.async_wait(on_signal);

    using guard_t = asio::executor_work_guard<asio::io_context::executor_type>;
    std::vector<guard_t> guards;
    for (auto& l : srv.loops) guards.push_back(asio::make_work_guard(l->ioc()));
    asio::co_spawn(first.ioc(), accept_loop(srv, acceptor), asio::detached);
    std::printf("raw-broadcaster: serving GraphQL at http://%s:%u%s\n", o.host.c_str(),
                static_cast<unsigned>(acceptor.local_endpoint().port()), o.path.c_str());
    std::fflush(stdout);

    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < srv.loops.size(); ++i) {
      loop* l = srv.loops[i].get();
      threads.emplace_back([l] { l->ioc().run(); });
    }
    first.ioc().run();
    for (auto& l : srv.loops) l->ioc().stop();
    for (auto& t : threads) t.join();
    guards.clear();
    std::fprintf(stderr, "raw-broadcaster: stopped\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "raw-broadcaster: %s\n", e.what());
    return 1;
  }
  return 0;
}
