// subscribe(): sources, field resolvers, thrown and yielded errors, permissions, cancellation, overflow.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <stdexcept>

#include "subscription_test_util.hpp"

namespace sluice::execution {
namespace {

using namespace std::chrono_literals;
using test::collect;
using test::make_schema;
using test::subscription_run;

const char* kSchema = R"(
  type Query { hello: String!, secret: String }
  type Mutation { noop: Int }
  type Subscription {
    countdown(from: Int! = 3): Int!
    doubled(from: Int!): Int!
    failing: Int!
    mixed: Int!
    maybe: Int
    guarded: Int!
    asyncField: String!
    forever: Int!
  }
)";

// Sets a flag when destroyed: a generator's cleanup.
struct cleanup {
  bool* flag;
  explicit cleanup(bool* f) : flag(f) {}
  cleanup(const cleanup&) = delete;
  cleanup& operator=(const cleanup&) = delete;
  ~cleanup() { *flag = true; }
};

sluice::value code(const char* c) { return sluice::value(sluice::object{{"code", c}}); }

generator count_down(int from) {
  for (int i = from; i >= 0; --i) {
    co_yield i;
    co_await sleep(1ms);
  }
}

class SubscribeTest : public ::testing::Test {
 protected:
  bool forever_cleaned_ = false;
  int forever_started_ = 0;

  resolver_map resolvers() {
    resolver_map r;
    r.bind("Query.hello", [](const resolver_params&) { return sluice::value("hi"); });
    r.bind("Query.secret", [](const resolver_params&) { return sluice::value("s3cret"); });
    r.guard("Query.secret", [](const resolver_params& p) { return p.ctx.user.is_string(); });
    r.source("Subscription.countdown", [](source_params p) { return count_down(p.arg<int>("from")); });
    r.source("Subscription.doubled", [](source_params p) { return count_down(p.arg<int>("from")); });
    r.bind("Subscription.doubled", [](const resolver_params& p) { return sluice::value(p.parent.as_int() * 2); });
    r.source("Subscription.failing", [](source_params) -> generator {
      co_yield 1;
      throw std::runtime_error("the source broke");
    });
    r.source("Subscription.mixed", [](source_params) -> generator {
      co_yield 1;
      co_yield field_error("one bad event", code("BAD_EVENT"));
      co_yield 2;
    });
    r.source("Subscription.maybe", [](source_params) -> generator { co_yield field_error("nope"); });
    r.source("Subscription.guarded", [](source_params) { return count_down(3); });
    // Allowed to subscribe (parent null) when signed in; events above 1 are denied.
    r.guard("Subscription.guarded", [](const resolver_params& p) {
      if (!p.ctx.user.is_string()) return false;
      return p.parent.is_null() || p.parent.as_int() <= 1;
    });
    r.source("Subscription.asyncField", [](source_params) { return count_down(1); });
    r.bind_async("Subscription.asyncField", [](const resolver_params& p) -> boost::asio::awaitable<sluice::value> {
      const auto n = p.parent.as_int();
      co_await sleep(1ms);
      co_return sluice::value("event " + std::to_string(n));
    });
    r.source("Subscription.forever", [this](source_params) -> generator {
      return [](bool* cleaned, int* started) -> generator {
        cleanup c(cleaned);
        ++*started;
        for (int i = 0;; ++i) {
          co_yield i;
          co_await sleep(1h);
        }
      }(&forever_cleaned_, &forever_started_);
    });
    return r;
  }

  executor ex_{make_schema(kSchema), resolvers()};
};

TEST_F(SubscribeTest, MapsEveryEventThroughExecutionAndEnds) {
  auto out = collect(ex_, request{"subscription { countdown(from: 2) }", "", {}, {}});
  EXPECT_EQ(out.results, (std::vector<std::string>{R"({"data":{"countdown":2}})", R"({"data":{"countdown":1}})",
                                                   R"({"data":{"countdown":0}})"}));
  EXPECT_TRUE(out.ended);
  EXPECT_FALSE(out.last_final);
}

TEST_F(SubscribeTest, ArgumentDefaultsVariablesAndAliasesApply) {
  auto out = collect(ex_, request{"subscription S($n: Int!) { c: countdown(from: $n) }", "S",
                                  sluice::value(sluice::object{{"n", 1}}), {}});
  EXPECT_EQ(out.results, (std::vector<std::string>{R"({"data":{"c":1}})", R"({"data":{"c":0}})"}));
  auto defaults = collect(ex_, request{"subscription { countdown }", "", {}, {}});
  EXPECT_EQ(defaults.results.size(), 4u);
}

TEST_F(SubscribeTest, AFieldResolverTurnsEachEventIntoTheValue) {
  auto out = collect(ex_, request{"subscription { doubled(from: 1) }", "", {}, {}});
  EXPECT_EQ(out.results,
            (std::vector<std::string>{R"({"data":{"doubled":2}})", R"({"data":{"doubled":0}})"}));
}

TEST_F(SubscribeTest, AnAsynchronousFieldResolverRunsPerEvent) {
  auto out = collect(ex_, request{"subscription { asyncField }", "", {}, {}});
  EXPECT_EQ(out.results, (std::vector<std::string>{R"({"data":{"asyncField":"event 1"}})",
                                                   R"({"data":{"asyncField":"event 0"}})"}));
}

TEST_F(SubscribeTest, AnExceptionFromTheSourceEndsTheStreamWithAnErrorResult) {
  auto out = collect(ex_, request{"subscription { failing }", "", {}, {}});
  ASSERT_EQ(out.results.size(), 2u);
  EXPECT_EQ(out.results[0], R"({"data":{"failing":1}})");
  EXPECT_EQ(out.results[1],
            R"({"errors":[{"message":"the source broke","locations":[{"line":1,"column":16}],"path":["failing"]}]})");
  EXPECT_TRUE(out.last_final);
  EXPECT_TRUE(out.ended);
}

TEST_F(SubscribeTest, AnErrorYieldedAsAValueIsDeliveredAndTheStreamGoesOn) {
  auto out = collect(ex_, request{"subscription { mixed }", "", {}, {}});
  ASSERT_EQ(out.results.size(), 3u);
  EXPECT_EQ(out.results[1],
            R"({"errors":[{"message":"one bad event","locations":[{"line":1,"column":16}],"path":["mixed"],)"
            R"("extensions":{"code":"BAD_EVENT"}}],"data":null})");
  EXPECT_EQ(out.results[2], R"({"data":{"mixed":2}})");
  EXPECT_FALSE(out.last_final);
  // On a nullable field, the error nulls only the field.
  auto maybe = collect(ex_, request{"subscription { maybe }", "", {}, {}});
  ASSERT_EQ(maybe.results.size(), 1u);
  EXPECT_NE(maybe.results[0].find(R"("data":{"maybe":null})"), std::string::npos) << maybe.results[0];
}

TEST_F(SubscribeTest, RequestErrorsComeBackAsAResponseNotAStream) {
  auto syntax = collect(ex_, request{"subscription {", "", {}, {}});
  EXPECT_TRUE(syntax.response.find("Syntax Error") != std::string::npos) << syntax.response;
  auto invalid = collect(ex_, request{"subscription { countdown failing }", "", {}, {}});
  EXPECT_NE(invalid.response.find("Anonymous Subscription must select only one top level field."),
            std::string::npos)
      << invalid.response;
  auto bad_variable = collect(ex_, request{"subscription S($n: Int!) { countdown(from: $n) }", "", {}, {}});
  EXPECT_NE(bad_variable.response.find(R"(Variable \"$n\" of required type \"Int!\" was not provided.)"),
            std::string::npos)
      << bad_variable.response;
  EXPECT_TRUE(bad_variable.results.empty());
  EXPECT_TRUE(syntax.results.empty());
}

TEST_F(SubscribeTest, QueriesAndMutationsSentToSubscribeAreExecuted) {
  auto out = collect(ex_, request{"{ hello }", "", {}, {}});
  EXPECT_EQ(out.response, R"({"data":{"hello":"hi"}})");
}

TEST_F(SubscribeTest, ASourceThatThrowsRefusesTheSubscription) {
  resolver_map r = resolvers();
  r.source("Subscription.countdown", [](source_params p) -> event_stream {
    if (p.arg<int>("from") > 100) throw field_error("too far", code("LIMIT"));
    return count_down(p.arg<int>("from"));
  });
  executor ex(make_schema(kSchema), std::move(r));
  auto out = collect(ex, request{"subscription { countdown(from: 1000) }", "", {}, {}});
  EXPECT_EQ(out.response, R"({"errors":[{"message":"too far","locations":[{"line":1,"column":16}],)"
                          R"("path":["countdown"],"extensions":{"code":"LIMIT"}}]})");
}

TEST_F(SubscribeTest, PermissionChecksDenyFieldsAndSubscriptions) {
  // A query field: null and an error.
  auto anonymous = collect(ex_, request{"{ secret }", "", {}, {}});
  EXPECT_EQ(anonymous.response, R"({"errors":[{"message":"Not authorized to access Query.secret.",)"
                                R"("locations":[{"line":1,"column":3}],"path":["secret"],)"
                                R"("extensions":{"code":"FORBIDDEN"}}],"data":{"secret":null}})");
  context signed_in;
  signed_in.user = "ada";
  auto allowed = collect(ex_, request{"{ secret }", "", {}, {}}, signed_in);
  EXPECT_EQ(allowed.response, R"({"data":{"secret":"s3cret"}})");
  // Subscribing: refused before any source is created.
  auto refused = collect(ex_, request{"subscription { guarded }", "", {}, {}});
  EXPECT_EQ(refused.response, R"({"errors":[{"message":"Not authorized to access Subscription.guarded.",)"
                              R"("locations":[{"line":1,"column":16}],"path":["guarded"],)"
                              R"("extensions":{"code":"FORBIDDEN"}}]})");
  // Per event: 3 and 2 are denied; the first denial ends the subscription with the error.
  auto denied = collect(ex_, request{"subscription { guarded }", "", {}, {}}, signed_in);
  ASSERT_EQ(denied.results.size(), 1u);
  EXPECT_NE(denied.results[0].find("Not authorized to access Subscription.guarded."), std::string::npos);
  EXPECT_TRUE(denied.last_final);
  EXPECT_TRUE(denied.ended);
}

TEST_F(SubscribeTest, StoppingDestroysTheGeneratorPromptly) {
  boost::asio::io_context io;
  subscription_run run;
  boost::asio::co_spawn(io, run.consume(ex_, request{"subscription { forever }", "", {}, {}}, {}),
                        boost::asio::detached);
  // One event arrives; then the generator sleeps for an hour.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (run.out.results.empty() && std::chrono::steady_clock::now() < deadline) io.run_one_for(100ms);
  ASSERT_EQ(run.out.results, std::vector<std::string>{R"({"data":{"forever":0}})"});
  EXPECT_FALSE(forever_cleaned_);
  run.stream.stop();
  EXPECT_TRUE(forever_cleaned_);  // at once, not in an hour
  io.restart();
  io.run_for(2s);
  EXPECT_TRUE(io.stopped());  // nothing is left waiting
}

TEST_F(SubscribeTest, AStopRightAfterSubscribingLeavesNothingBehind) {
  // The race of graphql-ws issue #532: the client completes while the source is just starting.
  boost::asio::io_context io;
  subscription_run run;
  boost::asio::co_spawn(io, run.consume(ex_, request{"subscription { forever }", "", {}, {}}, {}),
                        boost::asio::detached);
  io.run_one();  // subscribe() has returned the stream; the group's loop has been spawned but not run
  run.stream.stop();
  io.run_for(2s);
  EXPECT_TRUE(io.stopped());
  EXPECT_LE(forever_started_, 1);
  EXPECT_EQ(forever_cleaned_, forever_started_ == 1);  // if the body ran at all, its cleanup ran too
  EXPECT_TRUE(run.out.results.empty());
}

TEST_F(SubscribeTest, RepeatedSubscriptionsDoNotReparse) {
  for (int i = 0; i < 5; ++i) (void)collect(ex_, request{"subscription { countdown(from: 0) }", "", {}, {}});
  auto stats = ex_.document_cache_stats();
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.hits, 4u);
  EXPECT_EQ(stats.size, 1u);
}

TEST(SubscribeSchemaTest, MistakesInBindingsAreCaughtWhenTheExecutorIsBuilt) {
  auto sch = make_schema("type Query { a: Int } type Subscription { s: Int, t: Int }");
  resolver_map missing;
  missing.source("Subscription.s", [](source_params) { return count_down(1); });
  try {
    executor ex(sch, missing);
    FAIL() << "a subscription field without a source was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "subscription field \"Subscription.t\" has no source: bind one with resolver_map::source()");
  }
  resolver_map wrong;
  wrong.source("Query.a", [](source_params) { return count_down(1); });
  EXPECT_THROW(executor(sch, wrong), std::invalid_argument);
  resolver_map unknown;
  unknown.source("Subscription.s", [](source_params) { return count_down(1); });
  unknown.source("Subscription.t", [](source_params) { return count_down(1); });
  unknown.guard("Subscription.nope", [](const resolver_params&) { return true; });
  EXPECT_THROW(executor(sch, unknown), std::invalid_argument);
  resolver_map filter_on_query;
  filter_on_query.source("Subscription.s", [](source_params) { return count_down(1); });
  filter_on_query.source("Subscription.t", [](source_params) { return count_down(1); });
  filter_on_query.filter("Query.a", [](const resolver_params&) { return true; });
  EXPECT_THROW(executor(sch, filter_on_query), std::invalid_argument);
}

}  // namespace
}  // namespace sluice::execution
