// The in-process broker: routing, order, filters, unsubscribing, overflow policies and delivery across threads.
#include "sluice/pubsub/memory_broker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using sluice::execution::event_stream;
using sluice::execution::overflow_policy;
using sluice::pubsub::memory_broker;
using sluice::pubsub::subscribe_options;

namespace {

// What one consumer saw: the events (integers), the message of an error thrown by next(), and whether the
// stream ended.
struct seen {
  std::vector<std::int64_t> values;
  std::string thrown;
  bool ended = false;
};

// Takes up to `count` events from the stream, the way a subscription's consumer does.
asio::awaitable<void> consume(event_stream& s, seen& out,
                              std::size_t count = std::numeric_limits<std::size_t>::max()) {
  try {
    while (out.values.size() < count) {
      auto item = co_await s.next();
      if (!item) {
        out.ended = true;
        co_return;
      }
      out.values.push_back(std::get<sluice::value>(*item).as_int());
    }
  } catch (const std::exception& e) {
    out.thrown = e.what();
  }
}

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {
  std::vector<std::int64_t> out(static_cast<std::size_t>(to - from));
  std::iota(out.begin(), out.end(), from);
  return out;
}

// Polls `done` until it holds or the timeout passes (for waits on other threads).
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// The broker is declared before the loop in every test: the loop (and the coroutines holding streams) goes first.

TEST(MemoryBrokerTest, DeliversInOrderToEverySubscriberOfTheTopicAndToNoOther) {
  memory_broker broker;
  asio::io_context io;
  auto loop = io.get_executor();
  auto first = broker.subscribe(loop, "orders");
  auto second = broker.subscribe(loop, "orders");
  auto other = broker.subscribe(loop, "users");
  seen a, b, c;
  asio::co_spawn(io, consume(first, a, 5), asio::detached);
  asio::co_spawn(io, consume(second, b, 5), asio::detached);
  asio::co_spawn(io, consume(other, c, 1), asio::detached);
  broker.post("orders", 0);
  broker.post("users", 100);
  for (int i = 1; i < 5; ++i) broker.post("orders", i);
  broker.post("nobody-listens", 200);
  io.run_for(5s);
  EXPECT_EQ(a.values, range(0, 5));
  EXPECT_EQ(b.values, range(0, 5));
  EXPECT_EQ(c.values, std::vector<std::int64_t>{100});
  EXPECT_TRUE(a.thrown.empty());
}

TEST(MemoryBrokerTest, EachSubscriberGetsItsOwnCopyOfThePayload) {
  memory_broker broker;
  asio::io_context io;
  auto one = broker.subscribe(io.get_executor(), "t");
  auto two = broker.subscribe(io.get_executor(), "t");
  std::optional<sluice::value> got_one, got_two;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto item = co_await one.next();
        got_one = std::get<sluice::value>(*item);
        item = co_await two.next();
        got_two = std::get<sluice::value>(*item);
      },
      asio::detached);
  sluice::value payload;
  payload.set("id", 7);
  payload.set("name", "seven");
  broker.post("t", payload);
  io.run_for(5s);
  ASSERT_TRUE(got_one && got_two);
  EXPECT_EQ(*got_one, payload);
  EXPECT_EQ(*got_two, payload);
}

TEST(MemoryBrokerTest, ASubscriberReceivesOnlyEventsPublishedAfterItSubscribed) {
  memory_broker broker;
  asio::io_context io;
  auto loop = io.get_executor();
  broker.post("t", 0);  // nobody subscribed yet
  auto early = broker.subscribe(loop, "t");
  broker.post("t", 1);  // on its way to the loop, not yet delivered...
  auto late = broker.subscribe(loop, "t");  // ...when this one subscribes: it must not see it
  broker.post("t", 2);
  seen e, l;
  asio::co_spawn(io, consume(early, e, 2), asio::detached);
  asio::co_spawn(io, consume(late, l, 1), asio::detached);
  io.run_for(5s);
  EXPECT_EQ(e.values, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(l.values, std::vector<std::int64_t>{2});
}

TEST(MemoryBrokerTest, FiltersArePerSubscriber) {
  memory_broker broker;
  asio::io_context io;
  subscribe_options evens;
  evens.filter = [](const sluice::value& v) { return v.as_int() % 2 == 0; };
  subscribe_options big;
  big.filter = [](const sluice::value& v) { return v.as_int() > 2; };
  auto even_stream = broker.subscribe(io.get_executor(), "n", evens);
  auto big_stream = broker.subscribe(io.get_executor(), "n", big);
  auto all_stream = broker.subscribe(io.get_executor(), "n");
  seen e, b, all;
  asio::co_spawn(io, consume(even_stream, e, 3), asio::detached);
  asio::co_spawn(io, consume(big_stream, b, 3), asio::detached);
  asio::co_spawn(io, consume(all_stream, all, 6), asio::detached);
  for (int i = 0; i < 6; ++i) broker.post("n", i);
  io.run_for(5s);
  EXPECT_EQ(e.values, (std::vector<std::int64_t>{0, 2, 4}));
  EXPECT_EQ(b.values, (std::vector<std::int64_t>{3, 4, 5}));
  EXPECT_EQ(all.values, range(0, 6));
}

TEST(MemoryBrokerTest, AThrowingFilterEndsOnlyItsOwnStreamWithTheError) {
  memory_broker broker;
  asio::io_context io;
  subscribe_options picky;
  picky.filter = [](const sluice::value& v) {
    if (v.as_int() == 2) throw std::runtime_error("filter broke");
    return true;
  };
  auto failing = broker.subscribe(io.get_executor(), "n", picky);
  auto fine = broker.subscribe(io.get_executor(), "n");
  for (int i = 0; i < 4; ++i) broker.post("n", i);
  io.run_for(5s);  // delivered, not consumed yet
  EXPECT_EQ(broker.topic_count(io.get_executor()), 1u);  // `fine` is still subscribed
  seen f, ok;
  asio::co_spawn(io, consume(failing, f), asio::detached);
  asio::co_spawn(io, consume(fine, ok, 4), asio::detached);
  io.restart();
  io.run_for(5s);
  EXPECT_TRUE(f.values.empty());  // a failed stream drops what it had buffered
  EXPECT_EQ(f.thrown, "filter broke");
  EXPECT_EQ(ok.values, range(0, 4));
}

TEST(MemoryBrokerTest, StoppingOrDestroyingAStreamUnsubscribesAtOnce) {
  memory_broker broker;
  asio::io_context io;
  auto loop = io.get_executor();
  EXPECT_EQ(broker.topic_count(loop), 0u);
  auto a = broker.subscribe(loop, "t");
  auto b = broker.subscribe(loop, "t");
  auto c = broker.subscribe(loop, "u");
  EXPECT_EQ(broker.topic_count(loop), 2u);
  a.stop();
  EXPECT_EQ(broker.topic_count(loop), 2u);  // `b` still listens to "t"
  { auto gone = std::move(b); }
  EXPECT_EQ(broker.topic_count(loop), 1u);  // the last subscriber of "t" left: the topic is gone
  c = event_stream{};
  EXPECT_EQ(broker.topic_count(loop), 0u);
  // Nothing is delivered to the loop any more: no handler runs for a publish.
  broker.post("t", 1);
  broker.post("u", 2);
  EXPECT_EQ(io.poll(), 0u);
}

TEST(MemoryBrokerTest, APendingNextEndsWhenTheStreamIsStopped) {
  memory_broker broker;
  asio::io_context io;
  auto s = broker.subscribe(io.get_executor(), "t");
  seen out;
  asio::co_spawn(io, consume(s, out), asio::detached);
  asio::steady_timer t(io, 10ms);
  t.async_wait([&](auto) {
    EXPECT_EQ(broker.topic_count(io.get_executor()), 1u);
    s.stop();
    EXPECT_EQ(broker.topic_count(io.get_executor()), 0u);
  });
  io.run_for(5s);
  EXPECT_TRUE(out.ended);
  EXPECT_TRUE(out.values.empty());
  EXPECT_TRUE(io.stopped());  // the consumer finished: nothing was left waiting
}

TEST(MemoryBrokerTest, APendingNextEndsWhenTheStreamIsDestroyed) {
  memory_broker broker;
  asio::io_context io;
  std::optional<event_stream> s = broker.subscribe(io.get_executor(), "t");
  bool ended = false;
  asio::co_spawn(
      io,
      [&, handle = &*s]() -> asio::awaitable<void> {
        auto item = co_await handle->next();  // next() does not touch the handle after it started
        ended = !item.has_value();
      },
      asio::detached);
  asio::steady_timer t(io, 10ms);
  t.async_wait([&](auto) { s.reset(); });
  io.run_for(5s);
  EXPECT_TRUE(ended);
  EXPECT_EQ(broker.topic_count(io.get_executor()), 0u);
}

TEST(MemoryBrokerTest, DropOldestKeepsTheNewestEventsAndCountsTheDropped) {
  memory_broker broker;
  asio::io_context io;
  int reports = 0;
  std::size_t last_total = 0;
  std::string reported_topic;
  subscribe_options small;
  small.max_queued = 3;
  small.overflow = overflow_policy::drop_oldest;
  small.on_overflow = [&](std::string_view topic, std::size_t dropped_total) {
    ++reports;
    last_total = dropped_total;
    reported_topic = topic;
  };
  auto s = broker.subscribe(io.get_executor(), "ticks", small);
  for (int i = 0; i < 10; ++i) broker.post("ticks", i);
  io.run_for(5s);  // every event reached the subscriber's queue; nobody consumed yet
  EXPECT_EQ(broker.dropped(), 7u);
  EXPECT_EQ(reports, 7);
  EXPECT_EQ(last_total, 7u);
  EXPECT_EQ(reported_topic, "ticks");
  seen out;
  asio::co_spawn(io, consume(s, out, 4), asio::detached);
  broker.post("ticks", 10);  // arrives after the three that were kept
  io.restart();
  io.run_for(5s);
  EXPECT_EQ(out.values, (std::vector<std::int64_t>{7, 8, 9, 10}));
  EXPECT_EQ(broker.dropped(), 7u);
}

TEST(MemoryBrokerTest, EndWithErrorFailsTheStreamAndDropsTheTopic) {
  memory_broker broker;
  asio::io_context io;
  subscribe_options strict;
  strict.max_queued = 3;
  strict.overflow = overflow_policy::end_with_error;
  auto s = broker.subscribe(io.get_executor(), "ticks", strict);
  for (int i = 0; i < 10; ++i) broker.post("ticks", i);
  io.run_for(5s);
  EXPECT_EQ(broker.topic_count(io.get_executor()), 0u);  // unsubscribed when it overflowed
  EXPECT_EQ(broker.dropped(), 0u);                       // nothing was dropped silently
  seen out;
  asio::co_spawn(io, consume(s, out), asio::detached);
  io.restart();
  io.run_for(5s);
  EXPECT_TRUE(out.values.empty());
  EXPECT_EQ(out.thrown, "subscriber fell more than 3 events behind on topic 'ticks'");
  // The failure is reported once; then the stream is at its end.
  seen after;
  asio::co_spawn(io, consume(s, after), asio::detached);
  io.restart();
  io.run_for(5s);
  EXPECT_TRUE(after.ended);
  EXPECT_TRUE(after.thrown.empty());
}

TEST(MemoryBrokerTest, ASubscriberThatFailsWhileAnEventIsDeliveredDoesNotDisturbTheOthers) {
  memory_broker broker;
  asio::io_context io;
  subscribe_options strict;
  strict.max_queued = 1;
  strict.overflow = overflow_policy::end_with_error;
  auto before = broker.subscribe(io.get_executor(), "t");
  auto failing = broker.subscribe(io.get_executor(), "t", strict);
  auto after = broker.subscribe(io.get_executor(), "t");
  for (int i = 0; i < 4; ++i) broker.post("t", i);
  io.run_for(5s);
  seen b, f, a;
  asio::co_spawn(io, consume(before, b, 4), asio::detached);
  asio::co_spawn(io, consume(failing, f), asio::detached);
  asio::co_spawn(io, consume(after, a, 4), asio::detached);
  io.restart();
  io.run_for(5s);
  EXPECT_EQ(b.values, range(0, 4));
  EXPECT_EQ(a.values, range(0, 4));
  EXPECT_EQ(f.thrown, "subscriber fell more than 1 events behind on topic 't'");
  EXPECT_EQ(broker.topic_count(io.get_executor()), 1u);
}

TEST(MemoryBrokerTest, CallbacksMayStopOrDestroyStreamsWhileAnEventIsDelivered) {
  memory_broker broker;
  asio::io_context io;
  std::optional<event_stream> victim;
  std::optional<event_stream> self_destroying;
  subscribe_options stops_victim;
  stops_victim.filter = [&](const sluice::value& v) {
    if (v.as_int() == 1) victim->stop();
    return true;
  };
  subscribe_options destroys_itself;
  destroys_itself.filter = [&](const sluice::value& v) {
    if (v.as_int() == 1) self_destroying.reset();  // the filter's own stream, while the filter runs
    return true;
  };
  auto killer = broker.subscribe(io.get_executor(), "t", stops_victim);
  victim = broker.subscribe(io.get_executor(), "t");
  self_destroying = broker.subscribe(io.get_executor(), "t", destroys_itself);
  auto bystander = broker.subscribe(io.get_executor(), "t");
  for (int i = 0; i < 3; ++i) broker.post("t", i);
  io.run_for(5s);
  EXPECT_FALSE(self_destroying.has_value());
  seen k, v, b;
  asio::co_spawn(io, consume(killer, k, 3), asio::detached);
  asio::co_spawn(io, consume(*victim, v), asio::detached);
  asio::co_spawn(io, consume(bystander, b, 3), asio::detached);
  io.restart();
  io.run_for(5s);
  EXPECT_EQ(k.values, range(0, 3));
  EXPECT_EQ(b.values, range(0, 3));
  EXPECT_TRUE(v.values.empty());  // stopped: what it had queued was released
  EXPECT_TRUE(v.ended);
  EXPECT_EQ(broker.topic_count(io.get_executor()), 1u);
}

TEST(MemoryBrokerTest, PublishIsAnAwaitable) {
  memory_broker broker;
  asio::io_context io;
  auto s = broker.subscribe(io.get_executor(), "t");
  seen out;
  asio::co_spawn(io, consume(s, out, 3), asio::detached);
  bool published = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 3; ++i) co_await broker.publish("t", i);
        published = true;
      },
      asio::detached);
  io.run_for(5s);
  EXPECT_TRUE(published);
  EXPECT_EQ(out.values, range(0, 3));
}

TEST(MemoryBrokerTest, ASlowConsumerDoesNotMakeMemoryGrow) {
  memory_broker broker;
  asio::io_context io;
  std::size_t reported = 0;
  subscribe_options small;
  small.max_queued = 16;
  small.on_overflow = [&](std::string_view, std::size_t total) { reported = total; };
  auto s = broker.subscribe(io.get_executor(), "firehose", small);
  constexpr int events = 100'000;
  for (int i = 0; i < events; ++i) broker.post("firehose", i);
  io.run_for(30s);
  // Everything beyond the 16 newest was dropped as it arrived: the queue never held more than 16.
  EXPECT_EQ(broker.dropped(), static_cast<std::uint64_t>(events - 16));
  EXPECT_EQ(reported, static_cast<std::size_t>(events - 16));
  seen out;
  asio::co_spawn(io, consume(s, out, 17), asio::detached);
  broker.post("firehose", events);
  io.restart();
  io.run_for(5s);
  EXPECT_EQ(out.values, range(events - 16, events + 1));
}

TEST(MemoryBrokerTest, LoopsWithoutSubscribersAreNotWoken) {
  memory_broker broker;
  asio::io_context busy, idle;
  auto s = broker.subscribe(busy.get_executor(), "t");
  broker.post("t", 1);
  EXPECT_EQ(idle.poll(), 0u);
  EXPECT_EQ(broker.topic_count(idle.get_executor()), 0u);
  EXPECT_EQ(broker.topic_count(busy.get_executor()), 1u);
  {
    auto brief = broker.subscribe(idle.get_executor(), "t");
    EXPECT_EQ(broker.topic_count(idle.get_executor()), 1u);
  }
  broker.post("t", 2);  // after the idle loop's only subscriber left
  EXPECT_EQ(idle.poll(), 0u);
  EXPECT_EQ(busy.poll(), 2u);  // both events were delivered to the busy loop
}

TEST(MemoryBrokerTest, DeliversEveryEventInOrderAcrossEventLoopThreads) {
  memory_broker broker;
  constexpr int events = 2000;
  constexpr int per_loop = 2;
  struct subscriber_state {
    seen out;
    std::thread::id consumer_thread;
    std::thread::id filter_thread;
  };
  std::vector<subscriber_state> states(2 * per_loop);
  std::atomic<int> subscribed{0};
  std::atomic<int> finished{0};
  asio::io_context loops[2];
  std::vector<std::thread> threads;
  {
    auto guard0 = asio::make_work_guard(loops[0]);
    auto guard1 = asio::make_work_guard(loops[1]);
    for (int l = 0; l < 2; ++l) {
      for (int k = 0; k < per_loop; ++k) {
        auto& st = states[static_cast<std::size_t>(l * per_loop + k)];
        asio::co_spawn(
            loops[l],
            [&broker, &subscribed, &finished, state = &st]() -> asio::awaitable<void> {
              subscribe_options options;
              options.max_queued = events;  // no drops, however far the consumer lags
              options.filter = [state](const sluice::value&) {
                state->filter_thread = std::this_thread::get_id();
                return true;
              };
              // Subscribed on the loop that consumes the stream, the way a server's session does.
              auto s = broker.subscribe(co_await asio::this_coro::executor, "ticks", options);
              ++subscribed;
              co_await consume(s, state->out, events);
              state->consumer_thread = std::this_thread::get_id();
              ++finished;
            },
            asio::detached);
      }
      threads.emplace_back([&io = loops[l]] { io.run_for(60s); });
    }
    EXPECT_TRUE(wait_until([&] { return subscribed == 2 * per_loop; }, 20s));
    for (int i = 0; i < events; ++i) broker.post("ticks", i);  // from a third thread
    EXPECT_TRUE(wait_until([&] { return finished == 2 * per_loop; }, 30s));
  }
  for (auto& io : loops) io.stop();
  for (auto& t : threads) t.join();
  for (const auto& st : states) {
    EXPECT_EQ(st.out.values, range(0, events));
    EXPECT_EQ(st.filter_thread, st.consumer_thread);  // the filter ran on the subscriber's loop
    EXPECT_NE(st.consumer_thread, std::this_thread::get_id());
  }
  EXPECT_NE(states[0].consumer_thread, states[per_loop].consumer_thread);
  EXPECT_EQ(broker.dropped(), 0u);
  // The streams ended with their coroutines, on their loops: no topic is left on either shard.
  EXPECT_EQ(broker.topic_count(loops[0].get_executor()), 0u);
  EXPECT_EQ(broker.topic_count(loops[1].get_executor()), 0u);
}

}  // namespace
