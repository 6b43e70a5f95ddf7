// Single-connection SSE and the HTTP authenticate hook over loopback: the user reaches the operation's context, a
// refusal is a 401, a reservation serves only the user who made it, and operations stop when their stream closes
// or the server stops.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <thread>

#include "sluice/execution/event_stream.hpp"
#include "support/clients.hpp"
#include "sluice/schema/builder.hpp"
#include "sluice/server/server.hpp"

namespace sluice::server {
namespace {

using client = test_support::http_client;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Yields 1, then waits (for ten seconds at a time) until it is stopped; counts its own destruction.
execution::generator forever(std::shared_ptr<std::atomic<int>> ended) {
  struct on_end {
    std::shared_ptr<std::atomic<int>> count;
    ~on_end() { ++*count; }
  } guard{std::move(ended)};
  co_yield sluice::value(1);
  for (;;) co_await execution::sleep(10s);
}

std::unique_ptr<execution::executor> make_executor(std::shared_ptr<std::atomic<int>> ended) {
  auto built = schema::build_schema("type Query { whoami: String } type Subscription { forever: Int }");
  execution::resolver_map r;
  r.bind("Query.whoami", [](const execution::resolver_params& p) { return p.ctx.user; });
  r.source("Subscription.forever", [ended](execution::source_params) { return forever(ended); });
  return std::make_unique<execution::executor>(built.built, std::move(r));
}

// Operation `id`: a subscription to forever under the alias f<id> (one source each: documents that differ are not
// grouped).
std::string operation(std::string_view id) {
  const std::string i(id);
  return R"({"query":"subscription { f)" + i + R"(: forever }","extensions":{"operationId":")" + i + R"("}})";
}

class SseSingleTest : public ::testing::Test {
 protected:
  void start(server_options o) {
    o.host = "127.0.0.1";
    o.port = 0;
    o.threads = 2;  // requests of one reservation may land on different loops
    o.log_level = "off";
    // Users are named by the Authorization header; requests without one are refused.
    o.http.authenticate = [](const http_request_info& r) {
      if (r.header("Authorization").empty())
        return connect_result::refuse(sluice::value(sluice::object{{"message", "Who are you?"}}));
      return connect_result::accept(sluice::value(std::string(r.header("Authorization"))));
    };
    srv_ = std::make_unique<server>(*ex_, o);
    srv_->listen();
    thread_ = std::thread([this] { srv_->run(); });
  }
  void stop() {
    if (!thread_.joinable()) return;
    srv_->stop();
    thread_.join();
  }
  void TearDown() override { stop(); }
  // Waits (a bounded while) until `n` sources have ended.
  bool sources_ended(int n) {
    for (int i = 0; i < 300 && ended_->load() < n; ++i) std::this_thread::sleep_for(10ms);
    return ended_->load() == n;
  }

  std::shared_ptr<std::atomic<int>> ended_ = std::make_shared<std::atomic<int>>(0);
  std::unique_ptr<execution::executor> ex_ = make_executor(ended_);
  std::unique_ptr<server> srv_;
  std::thread thread_;
};

TEST_F(SseSingleTest, TheAuthenticatedUserIsTheContextAndARefusalIsA401) {
  start({});
  client c(srv_->port());
  auto ok = c.request(http::verb::post, "/graphql", "alice", {}, R"({"query":"{ whoami }"})");
  EXPECT_EQ(ok.result_int(), 200u);
  EXPECT_EQ(ok.body(), R"({"data":{"whoami":"alice"}})");
  client anonymous(srv_->port());
  auto refused = anonymous.request(http::verb::post, "/graphql", {}, {}, R"({"query":"{ whoami }"})");
  EXPECT_EQ(refused.result_int(), 401u);
  EXPECT_EQ(refused[http::field::www_authenticate], "Bearer");
  EXPECT_EQ(refused.body(), R"({"errors":[{"message":"Who are you?"}]})");
}

TEST_F(SseSingleTest, AReservationServesOnlyTheUserWhoMadeIt) {
  server_options o;
  o.sse.require_authentication = true;
  start(o);
  client alice(srv_->port());
  auto put = alice.request(http::verb::put, "/graphql/stream", "alice");
  ASSERT_EQ(put.result_int(), 201u);
  const std::string token = put.body();

  client bob(srv_->port());
  EXPECT_EQ(bob.request(http::verb::post, "/graphql/stream", "bob", token, operation("b")).result_int(), 404u);
  EXPECT_EQ(bob.request(http::verb::delete_, "/graphql/stream?operationId=a", "bob", token).result_int(), 404u);
  // Bob's PUT naming Alice's token does not touch her reservation: he gets one of his own.
  auto bobs = bob.request(http::verb::put, "/graphql/stream", "bob", token);
  EXPECT_EQ(bobs.result_int(), 201u);
  EXPECT_NE(bobs.body(), token);
  client bob_stream(srv_->port());
  EXPECT_EQ(bob_stream.open_stream(token, "bob"), 404u);

  EXPECT_EQ(alice.request(http::verb::post, "/graphql/stream", "alice", token, operation("a")).result_int(), 202u);
  client alice_stream(srv_->port());
  ASSERT_EQ(alice_stream.open_stream(token, "alice"), 200u);
  EXPECT_NE(alice_stream.read_until(R"("id":"a","payload":{"data":{"fa":1}})").find(R"("fa":1)"),
            std::string::npos);
}

TEST_F(SseSingleTest, OperationsStopWhenTheirStreamCloses) {
  start({});
  client c(srv_->port());
  const std::string token = c.request(http::verb::put, "/graphql/stream", "alice").body();
  client stream(srv_->port());
  ASSERT_EQ(stream.open_stream(token, "alice"), 200u);
  EXPECT_EQ(c.request(http::verb::post, "/graphql/stream", "alice", token, operation("1")).result_int(), 202u);
  EXPECT_EQ(c.request(http::verb::post, "/graphql/stream", "alice", token, operation("2")).result_int(), 202u);
  const std::string text = stream.read_until(R"({"id":"2","payload")");
  EXPECT_NE(text.find(R"({"id":"1","payload":{"data":{"f1":1}}})"), std::string::npos);
  EXPECT_NE(text.find(R"({"id":"2","payload":{"data":{"f2":1}}})"), std::string::npos);
  EXPECT_EQ(ended_->load(), 0);
  stream.close();
  EXPECT_TRUE(sources_ended(2));
  // And the reservation is gone.
  EXPECT_EQ(c.request(http::verb::post, "/graphql/stream", "alice", token, operation("3")).result_int(), 404u);
}

TEST_F(SseSingleTest, ADeleteStopsTheOperationAndTheServerStopStopsTheRest) {
  start({});
  client c(srv_->port());
  const std::string token = c.request(http::verb::put, "/graphql/stream", "alice").body();
  // No stream is open: the results wait in the reservation.
  EXPECT_EQ(c.request(http::verb::post, "/graphql/stream", "alice", token, operation("1")).result_int(), 202u);
  EXPECT_EQ(c.request(http::verb::post, "/graphql/stream", "alice", token, operation("2")).result_int(), 202u);
  EXPECT_EQ(c.request(http::verb::delete_, "/graphql/stream?operationId=1", "alice", token).result_int(), 200u);
  EXPECT_TRUE(sources_ended(1));
  c.close();
  stop();
  EXPECT_EQ(ended_->load(), 2);
}

}  // namespace
}  // namespace sluice::server
