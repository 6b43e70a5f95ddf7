// Targeted pushes over loopback: notify(user, operation, root value) reaches that user's subscriptions with that
// operation name (WebSocket and SSE), and nobody else's; the HTTP API for backends (/v1/notify, /v1/publish) with
// its secret and its 400s.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <thread>

#include "sluice/core/json.hpp"
#include "sluice/execution/event_stream.hpp"
#include "sluice/pubsub/memory_broker.hpp"
#include "sluice/schema/builder.hpp"
#include "sluice/server/server.hpp"
#include "support/clients.hpp"

namespace sluice::server {
namespace {

using test_support::http_client;
using test_support::ws_client;
using namespace std::chrono_literals;
namespace http = boost::beast::http;

// Subscription.ping's source: the topic "ping" of the broker (so /v1/publish can reach it too); a push's root
// value is the field's value.
std::unique_ptr<execution::executor> make_executor(pubsub::broker& broker) {
  auto built = schema::build_schema("type Query { ok: Boolean } type Subscription { ping: String }");
  execution::resolver_map r;
  r.source("Subscription.ping", [&broker](execution::source_params p) { return broker.subscribe(p.executor, "ping"); });
  return std::make_unique<execution::executor>(built.built, std::move(r));
}

class NotifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_options o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.threads = 2;
    o.log_level = "off";
    o.broker = &broker_;
    o.admin.secret = "adm1n";
    // WebSocket users name themselves in connection_init {"user": ...}; HTTP users in Authorization.
    o.websocket.hooks.on_connect = [](const connect_request& r) {
      const sluice::value* user = r.params.find("user");
      return connect_result::accept(user != nullptr ? *user : sluice::value());
    };
    o.http.authenticate = [](const http_request_info& r) {
      const auto user = r.header("Authorization");
      return connect_result::accept(user.empty() ? sluice::value() : sluice::value(std::string(user)));
    };
    srv_ = std::make_unique<server>(*ex_, o);
    srv_->listen();
    thread_ = std::thread([this] { srv_->run(); });
  }
  void TearDown() override {
    srv_->stop();
    thread_.join();
  }
  // A graphql-transport-ws connection of `user` with the named subscription `name` open as operation "1".
  std::unique_ptr<ws_client> subscriber(const std::string& user, const std::string& name) {
    auto c = std::make_unique<ws_client>(srv_->port());
    c->send(R"({"type":"connection_init","payload":{"user":")" + user + R"("}})");
    EXPECT_EQ(json::to_string(c->receive()), R"({"type":"connection_ack"})");
    c->send(R"({"id":"1","type":"subscribe","payload":{"query":"subscription )" + name + R"( { ping }"}})");
    return c;
  }
  void notify(const std::string& user, const std::string& name, const std::string& root) {
    boost::asio::io_context io;
    boost::asio::co_spawn(io, srv_->notify(sluice::value(user), name, sluice::value(root)), boost::asio::detached);
    io.run();
  }
  // Waits (bounded) until this node has `n` subscriptions notify() can reach.
  bool registered(std::size_t n) {
    for (int i = 0; i < 300 && srv_->notifiable_subscriptions() != n; ++i) std::this_thread::sleep_for(10ms);
    return srv_->notifiable_subscriptions() == n;
  }
  static std::string next(const std::string& ping) {
    return R"({"id":"1","type":"next","payload":{"data":{"ping":")" + ping + R"("}}})";
  }
  http::response<http::string_body> admin(const std::string& path, const std::string& body,
                                          const std::string& secret = "adm1n") {
    http_client c(srv_->port());
    return c.request(http::verb::post, path, {}, {}, body, {{"X-Sluice-Admin-Secret", secret}});
  }

  pubsub::memory_broker broker_;
  std::unique_ptr<execution::executor> ex_ = make_executor(broker_);
  std::unique_ptr<server> srv_;
  std::thread thread_;
};

TEST_F(NotifyTest, APushReachesOnlyThatUsersSubscriptionsWithThatName) {
  auto alice_feed = subscriber("alice", "Feed");
  auto alice_other = subscriber("alice", "Other");
  auto bob_feed = subscriber("bob", "Feed");
  ASSERT_TRUE(registered(3));
  notify("alice", "Feed", "for alice's feed");
  EXPECT_EQ(json::to_string(alice_feed->receive()), next("for alice's feed"));
  // Nothing else got it: the next thing each of the others receives is its own push.
  notify("bob", "Feed", "for bob");
  notify("alice", "Other", "for alice's other");
  EXPECT_EQ(json::to_string(bob_feed->receive()), next("for bob"));
  EXPECT_EQ(json::to_string(alice_other->receive()), next("for alice's other"));
  // A stopped subscription is no longer reachable.
  alice_feed->send(R"({"id":"1","type":"complete"})");
  EXPECT_TRUE(registered(2));
}

TEST_F(NotifyTest, TheHttpApiPushesToSseSubscriptionsAndPublishes) {
  auto bob = subscriber("bob", "Feed");
  http_client alice(srv_->port());
  ASSERT_EQ(alice.open_stream_get("/graphql/stream?query=subscription%20Feed%20%7B%20ping%20%7D", "alice"), 200u);
  ASSERT_TRUE(registered(2));
  auto pushed = admin("/v1/notify", R"({"user":"alice","operationName":"Feed","rootValue":"pushed"})");
  EXPECT_EQ(pushed.result_int(), 202u);
  EXPECT_NE(alice.read_until(R"("ping":"pushed")").find(R"(event: next
data: {"data":{"ping":"pushed"}})"), std::string::npos);
  // /v1/publish reaches every subscriber of the topic.
  EXPECT_EQ(admin("/v1/publish", R"({"topic":"ping","payload":"to all"})").result_int(), 200u);
  EXPECT_EQ(json::to_string(bob->receive()), next("to all"));
  EXPECT_NE(alice.read_until(R"("ping":"to all")").find(R"("ping":"to all")"), std::string::npos);
}

TEST_F(NotifyTest, TheHttpApiWantsItsSecretAndSaysWhatIsWrongWithABody) {
  EXPECT_EQ(admin("/v1/notify", R"({"user":"a","operationName":"Feed"})", "wrong").result_int(), 401u);
  EXPECT_EQ(admin("/v1/publish", R"({"topic":"ping","payload":1})", "").result_int(), 401u);
  auto not_json = admin("/v1/notify", "{");
  EXPECT_EQ(not_json.result_int(), 400u);
  EXPECT_NE(not_json.body().find("JSON object"), std::string::npos) << not_json.body();
  auto no_user = admin("/v1/notify", R"({"operationName":"Feed"})");
  EXPECT_EQ(no_user.result_int(), 400u);
  EXPECT_NE(no_user.body().find(R"(\"user\" is required)"), std::string::npos) << no_user.body();
  auto no_name = admin("/v1/notify", R"({"user":"a"})");
  EXPECT_EQ(no_name.result_int(), 400u);
  EXPECT_NE(no_name.body().find("operationName"), std::string::npos) << no_name.body();
  auto no_topic = admin("/v1/publish", R"({"payload":1})");
  EXPECT_EQ(no_topic.result_int(), 400u);
  EXPECT_NE(no_topic.body().find("topic"), std::string::npos) << no_topic.body();
  EXPECT_EQ(admin("/v1/publish", R"({"topic":"ping"})").result_int(), 400u);
  EXPECT_EQ(admin("/v1/nothing", "{}").result_int(), 404u);
}

}  // namespace
}  // namespace sluice::server
