// WebSocket hooks over loopback: on_connect (accept with a user and ack payload, refuse), the context of each
// operation, operation start and complete, disconnect, and which upgrades' cookies on_connect may read.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <mutex>
#include <sys/socket.h>
#include <thread>

#include "sluice/core/json.hpp"
#include "support/clients.hpp"
#include "sluice/schema/builder.hpp"
#include "sluice/server/server.hpp"

namespace sluice::server {
namespace {

using test_support::ws_client;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

std::unique_ptr<execution::executor> make_executor() {
  auto built = schema::build_schema("type Query { whoami: String, scope: String }");
  execution::resolver_map r;
  r.bind("Query.whoami", [](const execution::resolver_params& p) { return p.ctx.user; });
  r.bind("Query.scope", [](const execution::resolver_params& p) {
    return p.ctx.scope ? sluice::value(*p.ctx.scope) : sluice::value();
  });
  return std::make_unique<execution::executor>(built.built, std::move(r));
}

class WsHooksTest : public ::testing::Test {
 protected:
  void start(server_options o) {
    o.host = "127.0.0.1";
    o.port = 0;
    o.threads = 1;
    o.log_level = "off";
    srv_ = std::make_unique<server>(*ex_, o);
    srv_->listen();
    thread_ = std::thread([this] { srv_->run(); });
  }
  void TearDown() override {
    if (thread_.joinable()) {
      srv_->stop();
      thread_.join();
    }
  }
  std::string query(ws_client& c, const std::string& id, const std::string& q) {
    c.send(R"({"id":")" + id + R"(","type":"subscribe","payload":{"query":")" + q + R"("}})");
    return json::to_string(c.receive());
  }

  std::unique_ptr<execution::executor> ex_ = make_executor();
  std::unique_ptr<server> srv_;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> events_;
  void record(std::string e) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(e));
  }
};

TEST_F(WsHooksTest, OnConnectAcceptsWithAUserAndAnAckPayloadAndEveryHookRuns) {
  server_options o;
  auto& h = o.websocket.hooks;
  h.on_connect = [this](const connect_request& r) {
    record("connect token=" + json::to_string(*r.params.find("token")));
    auto result = connect_result::accept(sluice::value("ada"), sluice::value(sluice::object{{"welcome", true}}));
    result.scope = "staff";
    return result;
  };
  h.on_operation_start = [this](const connection_info& c, std::string_view id, const execution::request&) {
    record("start " + std::string(id) + " user=" + c.user.as_string());
  };
  h.on_operation_complete = [this](const connection_info&, std::string_view id) { record("complete " + std::string(id)); };
  h.on_disconnect = [this](const connection_info& c) { record("disconnect user=" + c.user.as_string()); };
  start(o);
  {
    ws_client c(srv_->port());
    c.send(R"({"type":"connection_init","payload":{"token":"t1"}})");
    EXPECT_EQ(json::to_string(c.receive()), R"({"type":"connection_ack","payload":{"welcome":true}})");
    EXPECT_EQ(query(c, "1", "{ whoami scope }"), R"({"id":"1","type":"next","payload":{"data":{"whoami":"ada","scope":"staff"}}})");
    EXPECT_EQ(json::to_string(c.receive()), R"({"id":"1","type":"complete"})");
    c.close();
  }
  for (int i = 0; i < 100 && events_.size() < 4; ++i) std::this_thread::sleep_for(10ms);
  std::lock_guard lock(mutex_);
  EXPECT_EQ(events_, (std::vector<std::string>{R"(connect token="t1")", "start 1 user=ada", "complete 1",
                                               "disconnect user=ada"}));
}

TEST_F(WsHooksTest, ARefusedConnectionIsClosedWith4403AndNeverDisconnects) {
  server_options o;
  o.websocket.hooks.on_connect = [](const connect_request&) {
    return connect_result::refuse(sluice::value(sluice::object{{"message", "no"}}));
  };
  o.websocket.hooks.on_disconnect = [this](const connection_info&) { record("disconnect"); };
  start(o);
  ws_client c(srv_->port());
  c.send(R"({"type":"connection_init"})");
  EXPECT_EQ(json::to_string(c.receive()), R"({"close":4403})");
  std::this_thread::sleep_for(50ms);
  std::lock_guard lock(mutex_);
  EXPECT_TRUE(events_.empty());
}

TEST_F(WsHooksTest, TheContextHookRunsOncePerOperation) {
  server_options o;
  std::atomic<int> calls{0};
  o.websocket.hooks.context = [&calls](const connection_info& c, const execution::request&) {
    ++calls;
    execution::context ctx;
    ctx.user = "op-" + std::to_string(c.id);
    return ctx;
  };
  start(o);
  ws_client c(srv_->port());
  c.send(R"({"type":"connection_init"})");
  (void)c.receive();
  const std::string first = query(c, "a", "{ whoami }");
  (void)c.receive();
  (void)query(c, "b", "{ whoami }");
  (void)c.receive();
  EXPECT_NE(first.find(R"("whoami":"op-)"), std::string::npos) << first;
  EXPECT_EQ(calls.load(), 2);
}

// What on_connect saw of the cookie, for an upgrade from `origin` under the given CORS origins.
class CookieRuleTest : public WsHooksTest {
 protected:
  std::string seen(std::vector<std::string> cors, bool without_cors, const std::string& origin) {
    server_options o;
    o.cors.origins = std::move(cors);
    o.websocket.cookies.read_without_cors = without_cors;
    o.websocket.hooks.on_connect = [this](const connect_request& r) {
      record(std::string(r.cookie("session")));
      return connect_result::accept();
    };
    start(o);
    ws_client c(srv_->port(), origin, "theme=dark; session=s3cret");
    c.send(R"({"type":"connection_init"})");
    (void)c.receive();
    std::lock_guard lock(mutex_);
    return events_.empty() ? "<no hook>" : events_.back();
  }
};

TEST_F(CookieRuleTest, CorsOffReadsNoCookies) { EXPECT_EQ(seen({}, false, "https://evil.example"), ""); }
TEST_F(CookieRuleTest, CorsOffWithTheOptionReadsThem) { EXPECT_EQ(seen({}, true, "https://any.example"), "s3cret"); }
TEST_F(CookieRuleTest, CorsAnyReadsThem) { EXPECT_EQ(seen({"*"}, false, "https://any.example"), "s3cret"); }
TEST_F(CookieRuleTest, AListedOriginReadsThem) {
  EXPECT_EQ(seen({"https://app.example"}, false, "https://app.example"), "s3cret");
}
TEST_F(CookieRuleTest, AnotherOriginReadsNone) {
  EXPECT_EQ(seen({"https://app.example"}, false, "https://evil.example"), "");
}

}  // namespace
}  // namespace sluice::server
