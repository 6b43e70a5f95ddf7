// Generators and event streams: order, errors thrown and yielded, prompt cleanup on stop.
#include "sluice/execution/event_stream.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <stdexcept>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using sluice::execution::event_stream;
using sluice::execution::field_error;
using sluice::execution::generator;
using sluice::execution::stream_item;

namespace {

generator countdown(int from) {
  for (int i = from; i >= 0; --i) {
    co_yield i;
    co_await sluice::execution::sleep(1ms);
  }
}

// Sets a flag when destroyed: the generator's cleanup.
struct guard {
  bool* flag;
  explicit guard(bool* f) : flag(f) {}
  guard(const guard&) = delete;
  guard& operator=(const guard&) = delete;
  ~guard() { *flag = true; }
};

generator forever(bool* cleaned_up, int* produced) {
  guard g(cleaned_up);
  for (int i = 0;; ++i) {
    ++*produced;
    co_yield i;
    co_await sluice::execution::sleep(1h);
  }
}

// Collects every item's integer (-1 for a yielded error) until the end; records a thrown error's message.
struct collected {
  std::vector<long> values;
  std::vector<std::string> yielded_errors;
  std::string thrown;
  bool ended = false;
};

asio::awaitable<void> drain(event_stream& s, collected& out) {
  try {
    while (auto item = co_await s.next()) {
      if (auto* v = std::get_if<sluice::value>(&*item))
        out.values.push_back(v->as_int());
      else
        out.yielded_errors.push_back(std::get<field_error>(*item).what());
    }
    out.ended = true;
  } catch (const std::exception& e) {
    out.thrown = e.what();
  }
}

collected run(event_stream s) {
  asio::io_context io;
  collected out;
  asio::co_spawn(io, drain(s, out), asio::detached);
  io.run_for(5s);
  return out;
}

TEST(GeneratorTest, YieldsInOrderAcrossAwaitsAndEnds) {
  auto out = run(countdown(3));
  EXPECT_EQ(out.values, (std::vector<long>{3, 2, 1, 0}));
  EXPECT_TRUE(out.ended);
  EXPECT_TRUE(out.thrown.empty());
}

TEST(GeneratorTest, AThrownExceptionEndsTheStreamAfterWhatWasYielded) {
  auto out = run([]() -> generator {
    co_yield 1;
    co_await sluice::execution::sleep(1ms);
    throw std::runtime_error("source broke");
  }());
  EXPECT_EQ(out.values, std::vector<long>{1});
  EXPECT_EQ(out.thrown, "source broke");
  EXPECT_FALSE(out.ended);
}

TEST(GeneratorTest, AYieldedErrorIsAnItemAndTheStreamGoesOn) {
  auto out = run([]() -> generator {
    co_yield 1;
    co_yield field_error("bad event");
    co_yield 2;
  }());
  EXPECT_EQ(out.values, (std::vector<long>{1, 2}));
  EXPECT_EQ(out.yielded_errors, std::vector<std::string>{"bad event"});
  EXPECT_TRUE(out.ended);
}

generator holding(std::shared_ptr<int> resource, int* produced) {
  ++*produced;
  co_yield *resource;
}

TEST(GeneratorTest, RunsOnlyWhenAskedForTheNextEventAndFreesItsParametersWhenDropped) {
  auto resource = std::make_shared<int>(7);
  int produced = 0;
  {
    event_stream s = holding(resource, &produced);
    EXPECT_EQ(produced, 0);  // lazily started: nothing runs before the first next()
    EXPECT_EQ(resource.use_count(), 2);  // the frame holds its parameter
  }
  EXPECT_EQ(resource.use_count(), 1);  // destroyed before it ever ran: the frame and its parameters are gone
  EXPECT_EQ(produced, 0);
}

TEST(GeneratorTest, StopWhileAwaitingATimerDestroysTheFrameAndEndsThePendingNext) {
  asio::io_context io;
  bool cleaned = false;
  int produced = 0;
  event_stream s = forever(&cleaned, &produced);
  collected out;
  asio::co_spawn(io, drain(s, out), asio::detached);
  // The first event arrives, then the generator sleeps for an hour inside the second next().
  asio::steady_timer t(io, 20ms);
  t.async_wait([&](auto) {
    EXPECT_FALSE(cleaned);
    s.stop();
    EXPECT_TRUE(cleaned);  // promptly: inside stop(), not when the hour is over
  });
  io.run_for(5s);
  EXPECT_EQ(out.values, std::vector<long>{0});
  EXPECT_EQ(produced, 1);
  EXPECT_TRUE(out.ended);  // the pending next() completed as the end
  EXPECT_TRUE(io.stopped());  // nothing left running: the timer was cancelled
}

TEST(GeneratorTest, StopBeforeTheFirstEventRacesCleanly) {
  asio::io_context io;
  bool cleaned = false;
  int produced = 0;
  event_stream s = forever(&cleaned, &produced);
  collected out;
  asio::co_spawn(io, drain(s, out), asio::detached);
  // Stopped in the same turn as the first next() was asked: before the first event is delivered.
  asio::post(io, [&] { s.stop(); });
  io.run_for(5s);
  EXPECT_TRUE(cleaned);
  EXPECT_TRUE(out.ended);
  EXPECT_TRUE(out.values.empty() || out.values == std::vector<long>{0});
  EXPECT_TRUE(io.stopped());
}

// Any object with an asynchronous next() becomes a stream.
struct counter_stream {
  int left;
  asio::awaitable<std::optional<int>> next() {
    if (left == 0) co_return std::nullopt;
    co_return left--;
  }
};

TEST(EventStreamTest, AdaptsAnyObjectWithAnAsynchronousNext) {
  auto out = run(event_stream::from(counter_stream{3}));
  EXPECT_EQ(out.values, (std::vector<long>{3, 2, 1}));
  EXPECT_TRUE(out.ended);
}

TEST(EventStreamTest, AnEmptyStreamEndsAtOnce) {
  auto out = run(event_stream{});
  EXPECT_TRUE(out.values.empty());
  EXPECT_TRUE(out.ended);
}

}  // namespace
