// The chat example driven through the engine: posts reach other subscribers of the channel, not the sender.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>

#include "chat.hpp"
#include "sluice/pubsub/memory_broker.hpp"
#include "unit/execution/subscription_test_util.hpp"

namespace {

using namespace sluice::execution;
using namespace std::chrono_literals;
namespace asio = boost::asio;

context user(const char* name) {
  context c;
  c.user = name;
  c.scope = "chat";
  return c;
}

class ChatExampleTest : public ::testing::Test {
 protected:
  void run_until(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!done() && std::chrono::steady_clock::now() < deadline) io_.run_one_for(50ms);
  }
  std::string post(const char* who, const std::string& channel, const std::string& text) {
    std::string out;
    request req{"mutation($c: String!, $t: String!) { post(channel: $c, text: $t) { id channel text sender } }", "",
                sluice::value(sluice::object{{"c", channel}, {"t", text}}), {}};
    asio::co_spawn(io_, ex_->execute(std::move(req), user(who)),
                   [&](std::exception_ptr, response r) { out = r.to_json(); });
    run_until([&] { return !out.empty(); });
    return out;
  }

  asio::io_context io_;
  sluice::pubsub::memory_broker broker_;
  std::unique_ptr<executor> ex_ = chat::make_executor(broker_);
  subscription_hub hub_{*ex_};
};

TEST_F(ChatExampleTest, HelloGreets) {
  EXPECT_EQ(ex_->execute_sync({"{ hello(name: \"Ada\") }", "", {}, {}}).to_json(), R"({"data":{"hello":"Hello, Ada!"}})");
}

TEST_F(ChatExampleTest, APostReachesTheOtherSubscribersOfTheChannelOnly) {
  test::subscription_run alice, bob, elsewhere;
  const request general{"subscription { messages(channel: \"general\") { sender text } }", "", {}, {}};
  asio::co_spawn(io_, alice.consume(hub_, general, user("alice")), asio::detached);
  asio::co_spawn(io_, bob.consume(hub_, general, user("bob")), asio::detached);
  asio::co_spawn(io_, elsewhere.consume(hub_, {"subscription { messages(channel: \"random\") { text } }", "", {}, {}},
                                        user("carol")),
                 asio::detached);
  run_until([&] { return hub_.group_count() == 2; });

  EXPECT_EQ(post("alice", "general", "hi bob"),
            R"({"data":{"post":{"id":"1","channel":"general","text":"hi bob","sender":"alice"}}})");
  run_until([&] { return bob.out.results.size() == 1; });
  EXPECT_EQ(bob.out.results, std::vector<std::string>{R"({"data":{"messages":{"sender":"alice","text":"hi bob"}}})"});
  (void)post("bob", "general", "hi alice");
  run_until([&] { return alice.out.results.size() == 1; });
  EXPECT_EQ(alice.out.results,
            std::vector<std::string>{R"({"data":{"messages":{"sender":"bob","text":"hi alice"}}})"});
  EXPECT_EQ(bob.out.results.size(), 1u);  // not their own message
  EXPECT_TRUE(elsewhere.out.results.empty());
  EXPECT_EQ(hub_.executions(), 2u);  // alice and bob share a group: each message executed once

  alice.stream.stop();
  bob.stream.stop();
  elsewhere.stream.stop();
  run_until([&] { return hub_.group_count() == 0; });
  EXPECT_EQ(broker_.topic_count(io_.get_executor()), 0u);
}

TEST_F(ChatExampleTest, CountdownCountsDownAndCompletes) {
  auto out = test::collect(*ex_, {"subscription { countdown(from: 2) }", "", {}, {}});
  EXPECT_EQ(out.results, (std::vector<std::string>{R"({"data":{"countdown":2}})", R"({"data":{"countdown":1}})",
                                                   R"({"data":{"countdown":0}})"}));
  EXPECT_TRUE(out.ended);
}

}  // namespace
