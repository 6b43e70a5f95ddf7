// Live queries: mirrored Query fields and @live, cohorts, change detection, invalidation, debounce, patches.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <deque>
#include <list>
#include <map>

#include "execution/json_patch.hpp"
#include "sluice/core/json.hpp"
#include "sluice/schema/builder.hpp"
#include "subscription_test_util.hpp"

namespace sluice::execution {
namespace {

using namespace std::chrono_literals;
using test::subscription_run;

// Invalidation streams by resource key: invalidate(key) gives every open watch of the key one item.
class watches {
 public:
  class source final : public event_stream::source {
   public:
    explicit source(watches& w) : owner_(w) {}
    void next(event_stream::next_handler done) override {
      waiting_ = std::move(done);
      hand_over();
    }
    void stop() noexcept override {
      if (stopped_) return;
      stopped_ = true;
      ++owner_.stopped;
      if (waiting_) waiting_.end();
    }
    void push() {
      if (stopped_) return;
      ++pending_;
      hand_over();
    }

   private:
    void hand_over() {
      if (!waiting_ || pending_ == 0) return;
      --pending_;
      waiting_.complete(nullptr, stream_item(sluice::value()));
    }
    watches& owner_;
    int pending_ = 0;
    event_stream::next_handler waiting_;
    bool stopped_ = false;
  };

  event_stream open(const std::string& key) {
    ++opened[key];
    auto s = std::make_shared<source>(*this);
    sources_[key].push_back(s);
    return event_stream(s);
  }
  void invalidate(const std::string& key) {
    for (auto& w : sources_[key])
      if (auto s = w.lock()) s->push();
  }

  std::map<std::string, int> opened;
  int stopped = 0;

 private:
  std::map<std::string, std::list<std::weak_ptr<source>>> sources_;
};

const char* kSchema = R"(
  type Query { count(key: String! = "a"): Int!, items: [Item!]!, other: Int }
  type Item { id: ID!, name: String! }
  type Subscription { other: String! }
)";

class LiveTest : public ::testing::Test {
 protected:
  executor make(std::chrono::milliseconds interval = 0ms, std::chrono::milliseconds debounce = 0ms,
                bool enabled = true) {
    schema::build_options build;
    build.live_queries = true;
    auto built = schema::build_schema(kSchema, build);
    EXPECT_TRUE(built.ok()) << (built.errors.empty() ? "" : built.errors.front().message);
    resolver_map r;
    r.bind("Query.count", [this](const resolver_params& p) {
      const auto key = p.arg<std::string>("key");
      p.ctx.depends_on("count:" + key);
      return sluice::value(counts_[key]);
    });
    r.bind("Query.items", [this](const resolver_params& p) {
      p.ctx.depends_on("items");
      return items_;
    });
    r.source("Subscription.other", [](source_params) -> event_stream { return {}; });
    executor_options options;
    options.live.enabled = enabled;
    options.require_sources = enabled;  // off, the mirrored fields have no source
    options.live.interval = interval;
    options.live.debounce = debounce;
    options.live.watch = [this](const boost::asio::any_io_executor&, const std::string& key) {
      return watches_.open(key);
    };
    return executor(built.built, std::move(r), std::move(options));
  }

  template <typename Done>
  void run_until(Done done, std::chrono::milliseconds limit = 5000ms) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) io_.run_one_for(20ms);
  }
  // Runs the loop for a while (to see that nothing more arrives).
  void run_for(std::chrono::milliseconds d) {
    io_.restart();
    io_.run_for(d);
  }
  void subscribe(subscription_hub& hub, subscription_run& run, const char* query, context ctx = {}) {
    boost::asio::co_spawn(io_, run.consume(hub, request{query, "", {}, {}}, std::move(ctx)), boost::asio::detached);
  }

  boost::asio::io_context io_;
  watches watches_;
  std::map<std::string, std::int64_t> counts_{{"a", 1}, {"b", 10}};
  sluice::value items_{sluice::list{}};
};

sluice::value item(const char* id, const char* name) {
  return sluice::value(sluice::object{{"id", id}, {"name", name}});
}

TEST(LiveSchema, MirrorsQueryFieldsUnderSubscriptionAndAddsTheDirective) {
  schema::build_options build;
  build.live_queries = true;
  auto built = schema::build_schema(kSchema, build);
  ASSERT_TRUE(built.ok());
  const auto* sub = built.built->subscription_type();
  ASSERT_NE(sub, nullptr);
  const auto* count = sub->find_field("count");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->field_type->to_string(), "Int!");
  ASSERT_EQ(count->arguments.size(), 1u);
  EXPECT_EQ(count->arguments[0].value_type->to_string(), "String!");
  EXPECT_EQ(count->arguments[0].default_value, sluice::value("a"));
  ASSERT_NE(sub->find_field("items"), nullptr);
  // A name the subscription type defines already keeps its own definition.
  EXPECT_EQ(sub->find_field("other")->field_type->to_string(), "String!");
  const auto* live = built.built->find_directive("live");
  ASSERT_NE(live, nullptr);
  EXPECT_NE(live->find_argument("interval"), nullptr);
  EXPECT_NE(live->find_argument("patch"), nullptr);
}

TEST(LiveSchema, AddsASubscriptionTypeWhereThereIsNone) {
  schema::build_options build;
  build.live_queries = true;
  auto plain = schema::build_schema("type Query { a: Int }", build);
  ASSERT_TRUE(plain.ok());
  ASSERT_NE(plain.built->subscription_type(), nullptr);
  EXPECT_EQ(plain.built->subscription_type()->name(), "Subscription");
  // With a schema definition, and the name Subscription taken by another type.
  auto custom = schema::build_schema(
      "schema { query: Root } type Root { a: Int } type Subscription { b: Int }", build);
  ASSERT_TRUE(custom.ok()) << custom.errors.front().message;
  ASSERT_NE(custom.built->subscription_type(), nullptr);
  EXPECT_EQ(custom.built->subscription_type()->name(), "LiveSubscription");
  EXPECT_NE(custom.built->subscription_type()->find_field("a"), nullptr);
  // Without the option nothing is added.
  auto off = schema::build_schema("type Query { a: Int }");
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(off.built->subscription_type(), nullptr);
  EXPECT_EQ(off.built->find_directive("live"), nullptr);
}

TEST_F(LiveTest, MirroredFieldSendsTheResultThenEachChangeAndNothingWhileNothingChanges) {
  executor ex = make();
  subscription_hub hub(ex);
  subscription_run run;
  subscribe(hub, run, "subscription { count }");
  run_until([&] { return run.out.results.size() == 1; });
  ASSERT_EQ(run.out.results, std::vector<std::string>{R"({"data":{"count":1}})"});
  EXPECT_EQ(watches_.opened["count:a"], 1);

  // Invalidated without a change: executed again, nothing sent.
  watches_.invalidate("count:a");
  run_until([&] { return hub.executions() == 2; });
  run_for(50ms);
  EXPECT_EQ(run.out.results.size(), 1u);

  counts_["a"] = 2;
  watches_.invalidate("count:a");
  run_until([&] { return run.out.results.size() == 2; });
  EXPECT_EQ(run.out.results.back(), R"({"data":{"count":2}})");
  // Another key changing does not concern it.
  counts_["b"] = 11;
  watches_.invalidate("count:b");
  run_for(50ms);
  EXPECT_EQ(hub.executions(), 3u);
  EXPECT_EQ(run.out.results.size(), 2u);
}

TEST_F(LiveTest, QueryWithLiveDirectiveIsLiveAndWithoutItRunsOnce) {
  executor ex = make();
  subscription_hub hub(ex);
  subscription_run live, once, off;
  subscribe(hub, live, "query @live { count(key: \"b\") }");
  subscribe(hub, once, "query { count(key: \"b\") }");
  subscribe(hub, off, "query @live(if: false) { count(key: \"b\") }");
  run_until([&] { return live.out.results.size() == 1; });
  EXPECT_EQ(live.out.results, std::vector<std::string>{R"({"data":{"count":10}})"});
  EXPECT_EQ(once.out.response, R"({"data":{"count":10}})");
  EXPECT_EQ(off.out.response, R"({"data":{"count":10}})");
  counts_["b"] = 12;
  watches_.invalidate("count:b");
  run_until([&] { return live.out.results.size() == 2; });
  EXPECT_EQ(live.out.results.back(), R"({"data":{"count":12}})");
}

TEST_F(LiveTest, EqualLiveQueriesFormOneCohortExecutedOncePerRefresh) {
  executor ex = make();
  subscription_hub hub(ex);
  std::vector<subscription_run> runs(10);
  for (auto& run : runs) subscribe(hub, run, "subscription { count }");
  subscription_run other;
  subscribe(hub, other, "subscription { count(key: \"b\") }");
  run_until([&] { return runs.back().out.results.size() == 1 && other.out.results.size() == 1; });
  EXPECT_EQ(hub.live_cohort_count(), 2u);
  EXPECT_EQ(hub.executions(), 2u);
  counts_["a"] = 5;
  watches_.invalidate("count:a");
  run_until([&] {
    return std::all_of(runs.begin(), runs.end(), [](auto& r) { return r.out.results.size() == 2; });
  });
  EXPECT_EQ(hub.executions(), 3u);
  for (auto& run : runs) EXPECT_EQ(run.out.results.back(), R"({"data":{"count":5}})");
  EXPECT_EQ(runs[0].shared[1].get(), runs[9].shared[1].get());  // the same bytes, not copies
  // A late subscriber gets the current result at once, without another execution.
  subscription_run late;
  subscribe(hub, late, "subscription { count }");
  run_until([&] { return late.out.results.size() == 1; });
  EXPECT_EQ(late.out.results.front(), R"({"data":{"count":5}})");
  EXPECT_EQ(hub.executions(), 3u);
}

TEST_F(LiveTest, IntervalRefreshesDataThatChangesBehindItsBack) {
  executor ex = make(100ms);
  subscription_hub hub(ex);
  subscription_run run;
  subscribe(hub, run, "subscription { count }");
  run_until([&] { return run.out.results.size() == 1; });
  counts_["a"] = 7;  // no invalidation
  run_until([&] { return run.out.results.size() == 2; }, 2000ms);
  ASSERT_EQ(run.out.results.size(), 2u);
  EXPECT_EQ(run.out.results.back(), R"({"data":{"count":7}})");
  // The per-operation override: invalidations only.
  subscription_run manual;
  subscribe(hub, manual, "query @live(interval: 0) { count(key: \"b\") }");
  run_until([&] { return manual.out.results.size() == 1; });
  counts_["b"] = 99;
  run_for(300ms);
  EXPECT_EQ(manual.out.results.size(), 1u);
}

TEST_F(LiveTest, IntervalOutsideTheBoundsIsRefused) {
  executor ex = make();
  subscription_hub hub(ex);
  subscription_run run;
  subscribe(hub, run, "query @live(interval: 5) { count }");
  run_until([&] { return !run.out.response.empty(); });
  EXPECT_NE(run.out.response.find("@live(interval:) must be 0 (invalidations only) or between 100 and 600000"),
            std::string::npos)
      << run.out.response;
}

TEST_F(LiveTest, InvalidationsAreDebounced) {
  executor ex = make(0ms, 200ms);
  subscription_hub hub(ex);
  subscription_run run;
  subscribe(hub, run, "subscription { count }");
  run_until([&] { return run.out.results.size() == 1; });
  for (int i = 0; i < 10; ++i) {
    counts_["a"] = 100 + i;
    watches_.invalidate("count:a");
    io_.poll();
  }
  run_until([&] { return run.out.results.size() == 2; });
  run_for(100ms);
  // The burst came within the debounce after the first execution: one more execution, with the latest value.
  EXPECT_EQ(hub.executions(), 2u);
  EXPECT_EQ(run.out.results.back(), R"({"data":{"count":109}})");
}

TEST_F(LiveTest, PatchesAfterTheFirstResultRebuildTheSameData) {
  executor ex = make();
  subscription_hub hub(ex);
  sluice::list before;
  for (int i = 1; i <= 20; ++i) {
    const std::string id = std::to_string(i);
    before.push_back(item(id.c_str(), ("item " + id).c_str()));
  }
  items_ = sluice::value(before);
  subscription_run run;
  subscribe(hub, run, "query @live(patch: true) { items { id name } }");
  run_until([&] { return run.out.results.size() == 1; });
  ASSERT_EQ(run.out.results.size(), 1u);
  EXPECT_EQ(run.out.results.front().rfind(R"({"data":{"items":[{"id":"1","name":"item 1"},)", 0), 0u);
  EXPECT_NE(run.out.results.front().find(R"(]},"revision":1})"), std::string::npos);

  // Newest first: one new item at the front, the last one gone, one renamed.
  sluice::list after{item("21", "item 21")};
  after.insert(after.end(), before.begin(), before.end() - 1);
  after[5] = item("5", "renamed");
  items_ = sluice::value(after);
  watches_.invalidate("items");
  run_until([&] { return run.out.results.size() == 2; });
  ASSERT_EQ(run.out.results.size(), 2u);
  auto second = json::parse(run.out.results[1]);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->find("revision")->as_int(), 2);
  ASSERT_NE(second->find("patch"), nullptr);
  EXPECT_EQ(second->find("data"), nullptr);
  auto first = json::parse(run.out.results[0]);
  auto patched = detail::apply_json_patch(*first->find("data"), *second->find("patch"));
  ASSERT_TRUE(patched.has_value());
  EXPECT_EQ(*patched, sluice::value(sluice::object{{"items", sluice::value(after)}}));
  EXPECT_LT(run.out.results[1].size(), run.out.results[0].size() / 3) << run.out.results[1];

  // A late subscriber of the same cohort starts at revision 1 with the whole data.
  subscription_run late;
  subscribe(hub, late, "query @live(patch: true) { items { id name } }");
  run_until([&] { return late.out.results.size() == 1; });
  EXPECT_NE(late.out.results.front().find("\"revision\":1"), std::string::npos);
  EXPECT_NE(late.out.results.front().find("\"renamed\""), std::string::npos);
}

TEST_F(LiveTest, LastSubscriberLeavingStopsTheCohortAndItsWatches) {
  executor ex = make(100ms);
  subscription_hub hub(ex);
  subscription_run a, b;
  subscribe(hub, a, "subscription { count }");
  subscribe(hub, b, "subscription { count }");
  run_until([&] { return a.out.results.size() == 1 && b.out.results.size() == 1; });
  a.stream.stop();
  run_for(20ms);
  EXPECT_EQ(hub.live_cohort_count(), 1u);
  EXPECT_EQ(watches_.stopped, 0);
  b.stream.stop();
  run_for(20ms);
  EXPECT_EQ(hub.live_cohort_count(), 0u);
  EXPECT_EQ(watches_.stopped, 1);
  const auto executions = hub.executions();
  run_for(300ms);
  EXPECT_EQ(hub.executions(), executions);  // no more polling
}

TEST_F(LiveTest, DisabledLiveQueriesRunOnceAndMirroredFieldsAreRefused) {
  executor ex = make(0ms, 0ms, false);
  subscription_hub hub(ex);
  subscription_run query, mirrored;
  subscribe(hub, query, "query @live { count }");
  subscribe(hub, mirrored, "subscription { count }");
  run_until([&] { return !query.out.response.empty() && !mirrored.out.response.empty(); });
  EXPECT_EQ(query.out.response, R"({"data":{"count":1}})");
  EXPECT_NE(mirrored.out.response.find("has no source"), std::string::npos) << mirrored.out.response;
}

}  // namespace
}  // namespace sluice::execution
