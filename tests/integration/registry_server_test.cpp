// The persisted registry through the server: a WebSocket connection and its subscriptions appear in GET
// /v1/registry (and in the SQLite file) while they are open, and disappear when they stop.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "sluice/core/json.hpp"
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

class RegistryServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/sluice-registry-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    auto built = schema::build_schema("type Query { ok: Boolean } type Subscription { ping: String }");
    execution::resolver_map r;
    r.source("Subscription.ping", [this](execution::source_params p) { return broker_.subscribe(p.executor, "ping"); });
    ex_ = std::make_unique<execution::executor>(built.built, std::move(r));
    server_options o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.threads = 1;
    o.log_level = "off";
    o.admin.secret = "adm1n";
    o.registry = registry::open_registry({"sqlite:" + (dir_ / "registry.db").string(), "node-a"});
    o.websocket.hooks.on_connect = [](const connect_request&) { return connect_result::accept(sluice::value("alice")); };
    srv_ = std::make_unique<server>(*ex_, o);
    srv_->listen();
    thread_ = std::thread([this] { srv_->run(); });
  }
  void TearDown() override {
    srv_->stop();
    thread_.join();
    srv_.reset();
    std::filesystem::remove_all(dir_);
  }
  sluice::value listing() {
    http_client c(srv_->port());
    auto res = c.request(http::verb::get, "/v1/registry", {}, {}, {}, {{"X-Sluice-Admin-Secret", "adm1n"}});
    EXPECT_EQ(res.result_int(), 200u) << res.body();
    return json::parse(res.body()).value_or(sluice::value());
  }
  // Waits (bounded) until the listing has `connections` connections and `subscriptions` subscriptions.
  sluice::value listing_with(std::size_t connections, std::size_t subscriptions) {
    sluice::value l;
    for (int i = 0; i < 100; ++i) {
      l = listing();
      if (l.find("connections")->as_list().size() == connections &&
          l.find("subscriptions")->as_list().size() == subscriptions)
        break;
      std::this_thread::sleep_for(20ms);
    }
    return l;
  }

  std::filesystem::path dir_;
  pubsub::memory_broker broker_;
  std::unique_ptr<execution::executor> ex_;
  std::unique_ptr<server> srv_;
  std::thread thread_;
};

TEST_F(RegistryServerTest, RowsAppearAndDisappearWithConnectionsAndSubscriptions) {
  EXPECT_EQ(json::to_string(listing()), R"({"node":"node-a","connections":[],"subscriptions":[]})");
  auto c = std::make_unique<ws_client>(srv_->port());
  c->send(R"({"type":"connection_init"})");
  ASSERT_EQ(json::to_string(c->receive()), R"({"type":"connection_ack"})");
  c->send(R"({"id":"1","type":"subscribe","payload":{"query":"subscription Feed { ping }"}})");
  c->send(R"({"id":"2","type":"subscribe","payload":{"query":"subscription($v: Boolean!) { ping @include(if: $v) }","variables":{"v":true}}})");
  c->send(R"({"id":"3","type":"subscribe","payload":{"query":"{ ok }"}})");  // a query: no row
  ASSERT_EQ(json::to_string(c->receive()), R"({"id":"3","type":"next","payload":{"data":{"ok":null}}})");

  auto open = listing_with(1, 2);
  const auto& connections = open.find("connections")->as_list();
  ASSERT_EQ(connections.size(), 1u);
  const auto& conn = connections[0];
  EXPECT_EQ(json::to_string(*conn.find("user")), R"("alice")");
  EXPECT_EQ(json::to_string(*conn.find("node")), R"("node-a")");
  EXPECT_EQ(json::to_string(*conn.find("transport")), R"("websocket")");
  const std::string conn_id = conn.find("id")->as_string();
  EXPECT_EQ(conn_id.rfind("node-a/", 0), 0u) << conn_id;
  const auto& subs = open.find("subscriptions")->as_list();
  ASSERT_EQ(subs.size(), 2u);
  for (const auto& s : subs) {
    EXPECT_EQ(s.find("connectionId")->as_string(), conn_id);
    if (s.find("id")->as_string() == "1") {
      EXPECT_EQ(s.find("operationName")->as_string(), "Feed");
      EXPECT_EQ(s.find("query")->as_string(), "subscription Feed { ping }");
    } else {
      EXPECT_EQ(s.find("id")->as_string(), "2");
      EXPECT_EQ(json::to_string(*s.find("variables")), R"({"v":true})");
    }
  }

  c->send(R"({"id":"1","type":"complete"})");
  auto one = listing_with(1, 1);
  ASSERT_EQ(one.find("subscriptions")->as_list().size(), 1u);
  EXPECT_EQ(one.find("subscriptions")->as_list()[0].find("id")->as_string(), "2");

  c->close();
  c.reset();
  auto none = listing_with(0, 0);
  EXPECT_EQ(json::to_string(none), R"({"node":"node-a","connections":[],"subscriptions":[]})");
}

TEST_F(RegistryServerTest, AnOperationOfAnSseReservationIsAConnectionWithOneSubscription) {
  http_client c(srv_->port());
  const std::string token = c.request(http::verb::put, "/graphql/stream").body();
  auto started = c.request(http::verb::post, "/graphql/stream", {}, token,
                           R"({"query":"subscription Feed { ping }","extensions":{"operationId":"op-1"}})");
  ASSERT_EQ(started.result_int(), 202u) << started.body();
  auto open = listing_with(1, 1);
  ASSERT_EQ(open.find("connections")->as_list().size(), 1u);
  EXPECT_EQ(open.find("connections")->as_list()[0].find("transport")->as_string(), "sse");
  ASSERT_EQ(open.find("subscriptions")->as_list().size(), 1u);
  EXPECT_EQ(open.find("subscriptions")->as_list()[0].find("id")->as_string(), "op-1");
  EXPECT_EQ(open.find("subscriptions")->as_list()[0].find("operationName")->as_string(), "Feed");
  EXPECT_EQ(c.request(http::verb::delete_, "/graphql/stream?operationId=op-1", {}, token).result_int(), 200u);
  EXPECT_EQ(json::to_string(listing_with(0, 0)), R"({"node":"node-a","connections":[],"subscriptions":[]})");
}

TEST_F(RegistryServerTest, TheListingWantsTheSecretAndGet) {
  http_client c(srv_->port());
  EXPECT_EQ(c.request(http::verb::get, "/v1/registry").result_int(), 401u);
  http_client d(srv_->port());
  EXPECT_EQ(d.request(http::verb::post, "/v1/registry", {}, {}, "{}", {{"X-Sluice-Admin-Secret", "adm1n"}}).result_int(),
            405u);
}

}  // namespace
}  // namespace sluice::server
