// The HTTP server over loopback: routing, keep-alive and pipelining, limits and timeouts, CORS, graceful stop.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <sys/socket.h>
#include <thread>

#include "sluice/execution/event_stream.hpp"
#include "sluice/schema/builder.hpp"
#include "sluice/server/server.hpp"

namespace sluice::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Set when the `ticks` generator's frame is destroyed: the subscription was stopped.
std::atomic<bool> ticks_cleaned_up{false};

struct cleanup_flag {
  cleanup_flag() = default;
  cleanup_flag(const cleanup_flag&) = delete;
  cleanup_flag& operator=(const cleanup_flag&) = delete;
  ~cleanup_flag() { ticks_cleaned_up = true; }
};

execution::generator ticks() {
  cleanup_flag flag;
  for (int i = 0;; ++i) {
    co_yield i;
    co_await execution::sleep(std::chrono::milliseconds(20));
  }
}

std::unique_ptr<execution::executor> make_executor() {
  auto built = schema::build_schema(
      "type Query { hello: String!, slow(ms: Int!): String! } type Subscription { ticks: Int! }");
  execution::resolver_map r;
  r.bind("Query.hello", [](const execution::resolver_params&) { return sluice::value("world"); });
  r.bind_async("Query.slow", [](const execution::resolver_params& p) -> asio::awaitable<sluice::value> {
    co_await execution::sleep(std::chrono::milliseconds(p.arg<int>("ms")));
    co_return sluice::value("done");
  });
  r.source("Subscription.ticks", [](execution::source_params) { return ticks(); });
  return std::make_unique<execution::executor>(built.built, std::move(r));
}

// A blocking client with a receive timeout, so that no read can hang the test.
class client {
 public:
  explicit client(std::uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    timeval tv{5, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  void send(const std::string& raw) { asio::write(socket_, asio::buffer(raw)); }
  http::response<http::string_body> receive() {
    http::response<http::string_body> res;
    http::read(socket_, buffer_, res);
    return res;
  }
  // Reads a response's header; its status.
  int read_header(http::response_parser<http::string_body>& parser) {
    http::read_header(socket_, buffer_, parser);
    return parser.get().result_int();
  }
  // What arrives next (raw bytes, at least one).
  std::string read_some() {
    std::string out(beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
    if (!out.empty()) return out;
    char chunk[4096];
    const auto n = socket_.read_some(asio::buffer(chunk));
    return std::string(chunk, n);
  }
  // True when the server closed the connection (a read gives end of file).
  bool closed() {
    char c;
    boost::system::error_code ec;
    socket_.read_some(asio::buffer(&c, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

std::string post(const std::string& query, const std::string& extra_headers = "") {
  const std::string body = R"({"query":")" + query + R"("})";
  return "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAccept: application/graphql-response+json\r\n" +
         extra_headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

class ServerTest : public ::testing::Test {
 protected:
  void start(server_options o = {}) {
    o.host = "127.0.0.1";
    o.port = 0;
    o.threads = 2;
    o.log_level = "off";
    srv_ = std::make_unique<server>(*ex_, o);
    srv_->listen();
    thread_ = std::thread([this] {
      srv_->run();
      returned_ = true;
    });
  }
  void TearDown() override {
    if (thread_.joinable()) {
      srv_->stop();
      thread_.join();
    }
  }
  // Stops the server and waits (at most `limit`) for run() to return; the time it took.
  std::chrono::milliseconds stop_and_wait(std::chrono::milliseconds limit) {
    const auto t0 = std::chrono::steady_clock::now();
    srv_->stop();
    while (!returned_ && std::chrono::steady_clock::now() - t0 < limit) std::this_thread::sleep_for(5ms);
    if (returned_) thread_.join();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  }

  std::unique_ptr<execution::executor> ex_ = make_executor();
  std::unique_ptr<server> srv_;
  std::thread thread_;
  std::atomic<bool> returned_{false};
};

TEST_F(ServerTest, AnswersGraphQLAndHealthEndpoints) {
  start();
  client c(srv_->port());
  c.send(post("{ hello }"));
  auto res = c.receive();
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), R"({"data":{"hello":"world"}})");
  EXPECT_EQ(res[http::field::content_type], "application/graphql-response+json; charset=utf-8");
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.receive().result_int(), 200);
  c.send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.receive().result_int(), 200);
  c.send("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.receive().result_int(), 404);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrderOnOneConnection) {
  start();
  client c(srv_->port());
  c.send(post("{ slow(ms: 50) }") + post("{ hello }") + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.receive().body(), R"({"data":{"slow":"done"}})");
  EXPECT_EQ(c.receive().body(), R"({"data":{"hello":"world"}})");
  EXPECT_EQ(c.receive().body(), "ok\n");
}

TEST_F(ServerTest, LimitsAnswer431And413AndClose) {
  server_options o;
  o.max_header_bytes = 1024;
  o.max_body_bytes = 100;
  start(o);
  {
    client c(srv_->port());
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n");
    EXPECT_EQ(c.receive().result_int(), 431);
    EXPECT_TRUE(c.closed());
  }
  {
    client c(srv_->port());
    c.send("POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n" +
           std::string(500, ' '));
    auto res = c.receive();
    EXPECT_EQ(res.result_int(), 413);
    EXPECT_TRUE(c.closed());
  }
}

TEST_F(ServerTest, ASlowRequestGets408AndAnIdleConnectionIsClosed) {
  server_options o;
  o.header_timeout = 200ms;
  o.idle_timeout = 200ms;
  start(o);
  {
    client c(srv_->port());
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // the headers never end
    EXPECT_EQ(c.receive().result_int(), 408);
  }
  {
    client c(srv_->port());
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(c.closed());  // no request at all
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  }
}

TEST_F(ServerTest, CorsAllowsListedOriginsOnly) {
  server_options o;
  o.cors.origins = {"https://app.example"};
  o.cors.credentials = true;
  start(o);
  client c(srv_->port());
  c.send("OPTIONS /graphql HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\n"
         "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\n\r\n");
  auto pre = c.receive();
  EXPECT_EQ(pre.result_int(), 204);
  EXPECT_EQ(pre[http::field::access_control_allow_origin], "https://app.example");
  EXPECT_EQ(pre[http::field::access_control_allow_credentials], "true");
  EXPECT_EQ(pre[http::field::access_control_allow_headers], "content-type");
  c.send(post("{ hello }", "Origin: https://evil.example\r\n"));
  auto other = c.receive();
  EXPECT_EQ(other.result_int(), 200);
  EXPECT_EQ(other.count(http::field::access_control_allow_origin), 0u);
}

TEST_F(ServerTest, StopLetsARequestInFlightFinishAndClosesIdleConnections) {
  server_options o;
  o.shutdown_grace = 5s;
  start(o);
  client idle(srv_->port());
  client busy(srv_->port());
  idle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(idle.receive().result_int(), 200);  // now idle, kept alive
  busy.send(post("{ slow(ms: 300) }"));
  std::this_thread::sleep_for(50ms);  // the slow request is in flight
  const auto took = stop_and_wait(5s);
  auto res = busy.receive();
  EXPECT_EQ(res.body(), R"({"data":{"slow":"done"}})");
  EXPECT_FALSE(res.keep_alive());  // Connection: close
  EXPECT_TRUE(idle.closed());
  EXPECT_TRUE(returned_);
  EXPECT_LT(took, 3s);
}

TEST_F(ServerTest, AnEventStreamStopsItsSubscriptionWhenTheClientGoesAway) {
  start();
  ticks_cleaned_up = false;
  {
    client c(srv_->port());
    c.send("GET /graphql/stream?query=subscription%7Bticks%7D HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n");
    http::response_parser<http::string_body> parser;
    EXPECT_EQ(c.read_header(parser), 200);
    std::string seen;
    for (int i = 0; i < 20 && seen.find("event: next") == std::string::npos; ++i) seen += c.read_some();
    EXPECT_NE(seen.find("event: next"), std::string::npos) << seen;
    EXPECT_FALSE(ticks_cleaned_up);
  }  // the client goes away
  for (int i = 0; i < 200 && !ticks_cleaned_up; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(ticks_cleaned_up);
}

TEST_F(ServerTest, AfterTheGraceEveryConnectionIsClosed) {
  server_options o;
  o.shutdown_grace = 200ms;
  start(o);
  client busy(srv_->port());
  busy.send(post("{ slow(ms: 3000) }"));
  std::this_thread::sleep_for(50ms);
  const auto took = stop_and_wait(5s);
  EXPECT_TRUE(returned_);
  EXPECT_LT(took, 2s);
  EXPECT_TRUE(busy.closed());
}

}  // namespace
}  // namespace sluice::server
