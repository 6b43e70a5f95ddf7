// subscription_hub: equal subscriptions share a source and one execution per event; filters; bounded queues;
// results pushed to a sink (push_to).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <deque>
#include <list>
#include <stdexcept>

#include "sluice/core/json.hpp"
#include "subscription_test_util.hpp"

namespace sluice::execution {
namespace {

using namespace std::chrono_literals;
using test::make_schema;
using test::subscription_run;

// A minimal topic for these tests: every open stream receives every published value.
class test_topic {
 public:
  class source final : public event_stream::source {
   public:
    explicit source(test_topic& t) : topic_(t) {}
    void next(event_stream::next_handler done) override {
      waiting_ = std::move(done);
      hand_over();
    }
    void stop() noexcept override {
      if (stopped_) return;
      stopped_ = true;
      ++topic_.stopped;
      if (waiting_) waiting_.end();
    }
    void push(const sluice::value& v) {
      if (stopped_) return;
      queue_.push_back(v);
      hand_over();
    }
    void close() {
      closed_ = true;
      hand_over();
    }
    void fail() {
      failed_ = true;
      hand_over();
    }

   private:
    void hand_over() {
      if (waiting_ && failed_) return waiting_.complete(std::make_exception_ptr(std::runtime_error("topic failed")), {});
      if (waiting_ && queue_.empty() && closed_) return waiting_.end();
      if (!waiting_ || queue_.empty()) return;
      sluice::value v = std::move(queue_.front());
      queue_.pop_front();
      waiting_.complete(nullptr, stream_item(std::move(v)));
    }
    test_topic& topic_;
    std::deque<sluice::value> queue_;
    event_stream::next_handler waiting_;
    bool stopped_ = false;
    bool closed_ = false;
    bool failed_ = false;
  };

  event_stream open() {
    ++opened;
    auto s = std::make_shared<source>(*this);
    sources_.push_back(s);
    return event_stream(s);
  }
  void publish(const sluice::value& v) {
    for (auto& w : sources_)
      if (auto s = w.lock()) s->push(v);
  }

  // Every open stream ends after what it has queued.
  void close() {
    for (auto& w : sources_)
      if (auto s = w.lock()) s->close();
  }
  // Every open stream fails (its next() throws).
  void fail() {
    for (auto& w : sources_)
      if (auto s = w.lock()) s->fail();
  }

  int opened = 0;
  int stopped = 0;

 private:
  std::list<std::weak_ptr<source>> sources_;
};

const char* kSchema = R"(
  type Query { a: Int }
  type Message { text: String!, sender: String!, channel: String! }
  type Subscription { messages(channel: String!): Message!, guarded: Int! }
)";

sluice::value message(const char* text, const char* sender, const char* channel = "general") {
  return sluice::value(sluice::object{{"text", text}, {"sender", sender}, {"channel", channel}});
}

context as(const char* user, std::optional<std::string> scope = "public") {
  context c;
  c.user = user;
  c.scope = std::move(scope);
  return c;
}

class HubTest : public ::testing::Test {
 protected:
  executor make(executor_options options = {}) {
    resolver_map r;
    r.source("Subscription.messages", [this](source_params) { return topic_.open(); });
    // Ariadne's chat filter: the sender does not get their own messages.
    r.filter("Subscription.messages",
             [](const resolver_params& p) { return p.parent.find("sender")->as_string() != p.ctx.user.as_string(); });
    r.source("Subscription.guarded", [this](source_params) { return topic_.open(); });
    r.guard("Subscription.guarded", [](const resolver_params& p) { return p.ctx.user == sluice::value("admin"); });
    return executor(make_schema(kSchema), std::move(r), std::move(options));
  }

  // Runs the loop until `done` or 5 s.
  template <typename Done>
  void run_until(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!done() && std::chrono::steady_clock::now() < deadline) io_.run_one_for(50ms);
  }
  void settle() {
    io_.restart();
    io_.poll();
  }

  boost::asio::io_context io_;
  test_topic topic_;
  const request messages_{"subscription { messages(channel: \"general\") { text sender } }", "", {}, {}};
};

TEST_F(HubTest, EqualSubscriptionsShareOneSourceAndOneExecutionPerEvent) {
  executor ex = make();
  subscription_hub hub(ex);
  subscription_run a, b, c;
  for (auto* run : {&a, &b, &c})
    boost::asio::co_spawn(io_, run->consume(hub, messages_, as("carol")), boost::asio::detached);
  settle();
  EXPECT_EQ(hub.group_count(), 1u);
  EXPECT_EQ(topic_.opened, 1);
  topic_.publish(message("one", "dave"));
  topic_.publish(message("two", "dave"));
  run_until([&] { return c.out.results.size() == 2; });
  const std::vector<std::string> expected{R"({"data":{"messages":{"text":"one","sender":"dave"}}})",
                                          R"({"data":{"messages":{"text":"two","sender":"dave"}}})"};
  for (auto* run : {&a, &b, &c}) EXPECT_EQ(run->out.results, expected);
  EXPECT_EQ(hub.executions(), 2u);
  // The very same bytes, not copies.
  EXPECT_EQ(a.shared[0].get(), b.shared[0].get());
  EXPECT_EQ(b.shared[1].get(), c.shared[1].get());
}

TEST_F(HubTest, VariablesAndScopesSeparateGroups) {
  executor ex = make();
  subscription_hub hub(ex);
  subscription_run runs[5];
  request other_channel{"subscription { messages(channel: \"random\") { text sender } }", "", {}, {}};
  boost::asio::co_spawn(io_, runs[0].consume(hub, messages_, as("ann")), boost::asio::detached);
  boost::asio::co_spawn(io_, runs[1].consume(hub, other_channel, as("ann")), boost::asio::detached);
  boost::asio::co_spawn(io_, runs[2].consume(hub, messages_, as("ann", "admins")), boost::asio::detached);
  // No explicit scope: the user is the scope; equal users share, different users do not.
  boost::asio::co_spawn(io_, runs[3].consume(hub, messages_, as("ann", std::nullopt)), boost::asio::detached);
  boost::asio::co_spawn(io_, runs[4].consume(hub, messages_, as("bob", std::nullopt)), boost::asio::detached);
  settle();
  EXPECT_EQ(hub.group_count(), 5u);
  subscription_run same_user;
  boost::asio::co_spawn(io_, same_user.consume(hub, messages_, as("ann", std::nullopt)), boost::asio::detached);
  settle();
  EXPECT_EQ(hub.group_count(), 5u);
  EXPECT_EQ(topic_.opened, 5);
}

TEST_F(HubTest, FiltersRunPerSubscriberAndTheEventIsExecutedOnce) {
  executor ex = make();
  subscription_hub hub(ex);
  subscription_run alice, bob;
  boost::asio::co_spawn(io_, alice.consume(hub, messages_, as("alice")), boost::asio::detached);
  boost::asio::co_spawn(io_, bob.consume(hub, messages_, as("bob")), boost::asio::detached);
  settle();
  topic_.publish(message("hi from alice", "alice"));
  topic_.publish(message("hi from bob", "bob"));
  topic_.publish(message("hi from carol", "carol"));
  run_until([&] { return alice.out.results.size() == 2 && bob.out.results.size() == 2; });
  EXPECT_EQ(alice.out.results, (std::vector<std::string>{
                                   R"({"data":{"messages":{"text":"hi from bob","sender":"bob"}}})",
                                   R"({"data":{"messages":{"text":"hi from carol","sender":"carol"}}})"}));
  EXPECT_EQ(bob.out.results, (std::vector<std::string>{
                                 R"({"data":{"messages":{"text":"hi from alice","sender":"alice"}}})",
                                 R"({"data":{"messages":{"text":"hi from carol","sender":"carol"}}})"}));
  EXPECT_EQ(hub.executions(), 3u);
}

TEST_F(HubTest, TheLastSubscriberLeavingStopsTheSourceAndDropsTheGroup) {
  executor ex = make();
  subscription_hub hub(ex);
  subscription_run a, b;
  boost::asio::co_spawn(io_, a.consume(hub, messages_, as("x")), boost::asio::detached);
  boost::asio::co_spawn(io_, b.consume(hub, messages_, as("y")), boost::asio::detached);
  settle();
  a.stream.stop();
  settle();
  EXPECT_EQ(hub.group_count(), 1u);
  EXPECT_EQ(topic_.stopped, 0);
  EXPECT_TRUE(a.out.ended);
  b.stream.stop();
  settle();
  EXPECT_EQ(hub.group_count(), 0u);
  EXPECT_EQ(topic_.stopped, 1);
  // A new subscriber starts a new group with a new source.
  subscription_run c;
  boost::asio::co_spawn(io_, c.consume(hub, messages_, as("z")), boost::asio::detached);
  settle();
  EXPECT_EQ(hub.group_count(), 1u);
  EXPECT_EQ(topic_.opened, 2);
}

TEST_F(HubTest, AJoiningSubscriberIsCheckedForPermissionToo) {
  executor ex = make();
  subscription_hub hub(ex);
  subscription_run admin, intruder;
  request guarded{"subscription { guarded }", "", {}, {}};
  boost::asio::co_spawn(io_, admin.consume(hub, guarded, as("admin")), boost::asio::detached);
  settle();
  boost::asio::co_spawn(io_, intruder.consume(hub, guarded, as("intruder")), boost::asio::detached);
  settle();
  EXPECT_TRUE(admin.out.response.empty());
  EXPECT_NE(intruder.out.response.find("Not authorized to access Subscription.guarded."), std::string::npos)
      << intruder.out.response;
}

TEST_F(HubTest, ASlowSubscriberLosesTheOldestResultsAndTheCountSaysSo) {
  executor_options options;
  options.subscriptions.max_queued = 3;
  executor ex = make(options);
  subscription_hub hub(ex);
  subscription_run slow;
  boost::asio::co_spawn(io_, slow.consume(hub, messages_, as("s"), false), boost::asio::detached);
  settle();
  for (int i = 0; i < 10; ++i) topic_.publish(message(std::to_string(i).c_str(), "p"));
  run_until([&] { return hub.executions() == 10; });
  settle();
  EXPECT_EQ(slow.stream.dropped(), 7u);
  boost::asio::co_spawn(io_, slow.read(), boost::asio::detached);
  settle();
  ASSERT_EQ(slow.out.results.size(), 3u);
  EXPECT_EQ(slow.out.results[0], R"({"data":{"messages":{"text":"7","sender":"p"}}})");
  EXPECT_EQ(slow.out.results[2], R"({"data":{"messages":{"text":"9","sender":"p"}}})");
  EXPECT_FALSE(slow.out.ended);  // still subscribed
}

TEST_F(HubTest, WithEndWithErrorASlowSubscriberIsEndedWithAnErrorResult) {
  executor_options options;
  options.subscriptions.max_queued = 3;
  options.subscriptions.overflow = overflow_policy::end_with_error;
  executor ex = make(options);
  subscription_hub hub(ex);
  subscription_run slow, fast;
  boost::asio::co_spawn(io_, slow.consume(hub, messages_, as("s"), false), boost::asio::detached);
  boost::asio::co_spawn(io_, fast.consume(hub, messages_, as("f")), boost::asio::detached);
  settle();
  for (int i = 0; i < 10; ++i) topic_.publish(message(std::to_string(i).c_str(), "p"));
  run_until([&] { return fast.out.results.size() == 10; });
  boost::asio::co_spawn(io_, slow.read(), boost::asio::detached);
  settle();
  ASSERT_EQ(slow.out.results.size(), 1u);
  EXPECT_EQ(slow.out.results[0], R"({"errors":[{"message":"Subscription ended: the subscriber fell more than 3 )"
                                 R"(results behind.","extensions":{"code":"SUBSCRIPTION_OVERFLOW"}}]})");
  EXPECT_TRUE(slow.out.last_final);
  EXPECT_TRUE(slow.out.ended);
  EXPECT_EQ(hub.group_count(), 1u);  // the others carry on
  EXPECT_FALSE(fast.out.ended);
}

// What a sink was given: each result's bytes (and the shared string itself), and the end.
struct pushed {
  std::vector<std::string> results;
  std::vector<const std::string*> shared;
  int ends = 0;
  bool last_final = false;
  response_stream::result_sink sink(std::shared_ptr<int> token = nullptr) {
    return [this, token](const shared_result* r) {
      if (r == nullptr) {
        ++ends;
        return;
      }
      results.push_back(*r->json);
      shared.push_back(r->json.get());
      last_final = r->final;
    };
  }
};

TEST_F(HubTest, APushingSubscriberGetsWhatWasQueuedThenEachResultAsItIsDelivered) {
  executor ex = make();
  subscription_hub hub(ex);
  subscription_run pusher, reader;
  boost::asio::co_spawn(io_, pusher.consume(hub, messages_, as("p"), false), boost::asio::detached);
  boost::asio::co_spawn(io_, reader.consume(hub, messages_, as("r")), boost::asio::detached);
  settle();
  topic_.publish(message("one", "dave"));
  run_until([&] { return reader.out.results.size() == 1; });
  pushed got;
  ASSERT_TRUE(pusher.stream.push_to(got.sink()));
  ASSERT_EQ(got.results.size(), 1u);  // the queued result, from push_to itself
  topic_.publish(message("two", "dave"));
  topic_.publish(message("three", "dave"));
  run_until([&] { return reader.out.results.size() == 3; });
  const std::vector<std::string> expected{R"({"data":{"messages":{"text":"one","sender":"dave"}}})",
                                          R"({"data":{"messages":{"text":"two","sender":"dave"}}})",
                                          R"({"data":{"messages":{"text":"three","sender":"dave"}}})"};
  EXPECT_EQ(got.results, expected);
  EXPECT_EQ(reader.out.results, expected);
  EXPECT_EQ(got.shared[2], reader.shared[2].get());  // the same bytes as the reader's, not a copy
  EXPECT_EQ(hub.executions(), 3u);
  EXPECT_EQ(got.ends, 0);
  EXPECT_FALSE(pusher.stream.push_to(got.sink()));  // once only
  // The source ends: the sink is told once.
  topic_.close();
  run_until([&] { return reader.out.ended; });
  settle();
  EXPECT_EQ(got.ends, 1);
  EXPECT_FALSE(got.last_final);
}

TEST_F(HubTest, StoppingAPushingSubscriberDropsItsSinkAndNothingMoreArrives) {
  executor ex = make();
  subscription_hub hub(ex);
  subscription_run pusher, reader;
  boost::asio::co_spawn(io_, pusher.consume(hub, messages_, as("p"), false), boost::asio::detached);
  boost::asio::co_spawn(io_, reader.consume(hub, messages_, as("r")), boost::asio::detached);
  settle();
  pushed got;
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> held = token;
  ASSERT_TRUE(pusher.stream.push_to(got.sink(std::move(token))));
  topic_.publish(message("one", "dave"));
  run_until([&] { return reader.out.results.size() == 1; });
  EXPECT_EQ(got.results.size(), 1u);
  pusher.stream.stop();
  EXPECT_TRUE(held.expired());  // the sink (and what it holds) went with the stop
  topic_.publish(message("two", "dave"));
  run_until([&] { return reader.out.results.size() == 2; });
  EXPECT_EQ(got.results.size(), 1u);
  EXPECT_EQ(got.ends, 0);
  EXPECT_EQ(hub.group_count(), 1u);  // the reader carries on
}

TEST_F(HubTest, ASourceThatFailsGivesThePusherAFinalErrorResultAndNoEnd) {
  executor ex = make();
  subscription_hub hub(ex);
  subscription_run pusher;
  boost::asio::co_spawn(io_, pusher.consume(hub, messages_, as("p"), false), boost::asio::detached);
  settle();
  pushed got;
  ASSERT_TRUE(pusher.stream.push_to(got.sink()));
  topic_.fail();
  run_until([&] { return !got.results.empty(); });
  settle();
  ASSERT_EQ(got.results.size(), 1u);
  EXPECT_EQ(got.results[0], R"({"errors":[{"message":"topic failed","locations":[{"line":1,"column":16}],)"
                            R"("path":["messages"]}]})");
  EXPECT_TRUE(got.last_final);
  EXPECT_EQ(got.ends, 0);  // the final result was the end
  EXPECT_EQ(hub.group_count(), 0u);
}

}  // namespace
}  // namespace sluice::execution
