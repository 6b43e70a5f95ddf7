// The in-memory reservation store of single connection mode: tokens, owners, the queue before the stream
// opens, stopping operations (DELETE, overflow, close, replace, expiry, shutdown) and deliveries from several
// threads.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sluice/transport/sse/reservation_store.hpp"
#include "sluice/transport/sse/single.hpp"

namespace sluice::transport::sse {
namespace {

using namespace std::chrono_literals;

// Runs one of the store's awaitables on an io_context until it completes.
template <class T>
T run(boost::asio::awaitable<T> task) {
  boost::asio::io_context io;
  std::optional<T> out;
  boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T r) {
    if (e) std::rethrow_exception(e);
    out = std::move(r);
  });
  io.run();
  EXPECT_TRUE(out.has_value());
  return out ? std::move(*out) : T{};
}

// A stream that records what it is given (from any thread).
class recording_sink final : public stream_sink {
 public:
  void send(std::string event) override {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }
  void end() override {
    std::lock_guard lock(mutex_);
    ++ends_;
  }
  [[nodiscard]] std::vector<std::string> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  [[nodiscard]] int ends() const {
    std::lock_guard lock(mutex_);
    return ends_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> events_;
  int ends_ = 0;
};

// How many times an operation's stop was called.
struct stop_count {
  std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);
  [[nodiscard]] std::function<void()> callback() const {
    return [calls = calls] { ++*calls; };
  }
  [[nodiscard]] int operator()() const { return calls->load(); }
};

std::string payload(int n) {
  return R"({"data":{"n":)" + std::to_string(n) + "}}";
}
std::string next(std::string_view op, int n) {
  return next_event(op, payload(n));
}

class ReservationStoreTest : public ::testing::Test {
 protected:
  memory_reservation_options options_;
  std::shared_ptr<reservation_store> store_;

  reservation_store& store() {
    if (!store_) store_ = make_memory_reservation_store(options_);
    return *store_;
  }
  reserve_result reserve(const std::string& owner = "alice", const std::string& previous = "",
                         bool replace = false) {
    return run(store().reserve(owner, previous, replace));
  }
  std::string reserve_token(const std::string& owner = "alice") {
    auto r = reserve(owner);
    EXPECT_EQ(r.status, reserve_status::reserved);
    return r.token;
  }
  open_status open(const std::string& token, std::shared_ptr<stream_sink> sink,
                   const std::string& owner = "alice") {
    return run(store().open(token, owner, std::move(sink)));
  }
  start_status start(const std::string& token, const std::string& op, const stop_count& stops,
                     const std::string& owner = "alice") {
    return run(store().start(token, owner, op, stops.callback()));
  }
  stop_status stop(const std::string& token, const std::string& op, const std::string& owner = "alice") {
    return run(store().stop(token, owner, op));
  }
};

// ---- reserve

TEST_F(ReservationStoreTest, TokensAreUniqueUuids) {
  std::set<std::string> tokens;
  for (int i = 0; i < 200; ++i) {
    std::string token = reserve_token();
    ASSERT_EQ(token.size(), 36u) << token;
    EXPECT_EQ(token[8], '-');
    EXPECT_EQ(token[13], '-');
    EXPECT_EQ(token[14], '4') << "not a version 4 UUID: " << token;
    EXPECT_EQ(token[18], '-');
    EXPECT_EQ(token[23], '-');
    tokens.insert(token);
  }
  EXPECT_EQ(tokens.size(), 200u);
}

TEST_F(ReservationStoreTest, ThePreviousTokenOfTheSameOwnerIsAlreadyRegisteredWithoutReplace) {
  std::string token = reserve_token();
  stop_count op;
  ASSERT_EQ(start(token, "a", op), start_status::started);
  auto again = reserve("alice", token, false);
  EXPECT_EQ(again.status, reserve_status::already_registered);
  EXPECT_EQ(again.token, "");
  // The first reservation is untouched.
  EXPECT_EQ(op(), 0);
  auto sink = std::make_shared<recording_sink>();
  EXPECT_EQ(open(token, sink), open_status::opened);
}

TEST_F(ReservationStoreTest, ReplacingEndsTheOldStreamAndStopsItsOperations) {
  std::string old_token = reserve_token();
  auto old_sink = std::make_shared<recording_sink>();
  ASSERT_EQ(open(old_token, old_sink), open_status::opened);
  stop_count a, b;
  ASSERT_EQ(start(old_token, "a", a), start_status::started);
  ASSERT_EQ(start(old_token, "b", b), start_status::started);

  auto fresh = reserve("alice", old_token, true);
  ASSERT_EQ(fresh.status, reserve_status::reserved);
  EXPECT_NE(fresh.token, old_token);
  EXPECT_EQ(fresh.token.size(), 36u);
  EXPECT_EQ(old_sink->ends(), 1);
  EXPECT_EQ(a(), 1);
  EXPECT_EQ(b(), 1);

  stop_count c;
  EXPECT_EQ(open(old_token, std::make_shared<recording_sink>()), open_status::not_found);
  EXPECT_EQ(start(old_token, "c", c), start_status::not_found);
  EXPECT_EQ(stop(old_token, "a"), stop_status::not_found);
  store().deliver(old_token, "a", next("a", 1), false);
  EXPECT_TRUE(old_sink->events().empty());
  EXPECT_EQ(open(fresh.token, std::make_shared<recording_sink>()), open_status::opened);
}

TEST_F(ReservationStoreTest, ThePreviousTokenOfAnotherOwnerOrAnUnknownOneIsIgnored) {
  std::string alices = reserve_token("alice");
  stop_count op;
  ASSERT_EQ(start(alices, "a", op, "alice"), start_status::started);

  auto bobs = reserve("bob", alices, true);
  ASSERT_EQ(bobs.status, reserve_status::reserved);
  EXPECT_NE(bobs.token, alices);
  auto unknown = reserve("alice", "00000000-0000-4000-8000-000000000000", false);
  ASSERT_EQ(unknown.status, reserve_status::reserved);
  EXPECT_NE(unknown.token, alices);

  // Alice's reservation still stands.
  EXPECT_EQ(op(), 0);
  EXPECT_EQ(open(alices, std::make_shared<recording_sink>(), "alice"), open_status::opened);
}

TEST_F(ReservationStoreTest, TheStoreIsFullAtMaxReservations) {
  options_.max_reservations = 2;
  std::string first = reserve_token();
  reserve_token("bob");
  auto third = reserve("carol");
  EXPECT_EQ(third.status, reserve_status::full);
  EXPECT_EQ(third.token, "");
  // Replacing frees the old one first.
  auto replaced = reserve("alice", first, true);
  EXPECT_EQ(replaced.status, reserve_status::reserved);
  EXPECT_EQ(reserve("carol").status, reserve_status::full);
  // A closed stream frees its reservation.
  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(open(replaced.token, sink), open_status::opened);
  store().close(replaced.token, sink.get());
  EXPECT_EQ(reserve("carol").status, reserve_status::reserved);
}

// ---- open

TEST_F(ReservationStoreTest, OpeningSendsTheQueuedEventsInOrderThenLiveOnes) {
  std::string token = reserve_token();
  stop_count a, b;
  ASSERT_EQ(start(token, "a", a), start_status::started);
  ASSERT_EQ(start(token, "b", b), start_status::started);
  store().deliver(token, "a", next("a", 1), false);
  store().deliver(token, "b", next("b", 1), false);
  store().deliver(token, "a", complete_event("a"), true);

  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(open(token, sink), open_status::opened);
  EXPECT_EQ(sink->events(), (std::vector<std::string>{next("a", 1), next("b", 1), complete_event("a")}));

  store().deliver(token, "b", next("b", 2), false);
  store().deliver(token, "b", complete_event("b"), true);
  EXPECT_EQ(sink->events(), (std::vector<std::string>{next("a", 1), next("b", 1), complete_event("a"),
                                                      next("b", 2), complete_event("b")}));
  EXPECT_EQ(sink->events()[0], "event: next\ndata: {\"id\":\"a\",\"payload\":{\"data\":{\"n\":1}}}\n\n");
  EXPECT_EQ(sink->events()[2], "event: complete\ndata: {\"id\":\"a\"}\n\n");
  EXPECT_EQ(a(), 0);
  EXPECT_EQ(b(), 0);
  EXPECT_EQ(sink->ends(), 0);
}

TEST_F(ReservationStoreTest, OnlyOneStreamMayOpenAReservation) {
  std::string token = reserve_token();
  stop_count a;
  ASSERT_EQ(start(token, "a", a), start_status::started);
  auto first = std::make_shared<recording_sink>();
  auto second = std::make_shared<recording_sink>();
  ASSERT_EQ(open(token, first), open_status::opened);
  EXPECT_EQ(open(token, second), open_status::already_open);
  store().deliver(token, "a", next("a", 1), false);
  EXPECT_EQ(first->events(), std::vector<std::string>{next("a", 1)});
  EXPECT_TRUE(second->events().empty());
  EXPECT_EQ(open("no-such-token", second), open_status::not_found);
}

TEST_F(ReservationStoreTest, AnotherOwnerSeesTheTokenAsUnknown) {
  std::string token = reserve_token("alice");
  stop_count a, b;
  ASSERT_EQ(start(token, "a", a, "alice"), start_status::started);
  auto sink = std::make_shared<recording_sink>();
  EXPECT_EQ(open(token, sink, "bob"), open_status::not_found);
  EXPECT_EQ(open(token, sink, ""), open_status::not_found);
  EXPECT_EQ(start(token, "b", b, "bob"), start_status::not_found);
  EXPECT_EQ(stop(token, "a", "bob"), stop_status::not_found);
  EXPECT_EQ(a(), 0);
  EXPECT_TRUE(sink->events().empty());
  // Alice's own requests still work, her operation included.
  ASSERT_EQ(open(token, sink, "alice"), open_status::opened);
  store().deliver(token, "a", next("a", 1), false);
  EXPECT_EQ(sink->events(), std::vector<std::string>{next("a", 1)});
}

// ---- start, deliver, forget

TEST_F(ReservationStoreTest, AnOperationIdRunsOnceAtATime) {
  std::string token = reserve_token();
  stop_count first, second;
  ASSERT_EQ(start(token, "a", first), start_status::started);
  EXPECT_EQ(start(token, "a", second), start_status::duplicate);
  // The duplicate did not replace the first: a DELETE stops the first.
  EXPECT_EQ(stop(token, "a"), stop_status::stopped);
  EXPECT_EQ(first(), 1);
  EXPECT_EQ(second(), 0);
  EXPECT_EQ(start(token, "a", second), start_status::started);
  EXPECT_EQ(start("no-such-token", "a", second), start_status::not_found);
}

TEST_F(ReservationStoreTest, AReservationRunsAtMostMaxOperations) {
  options_.max_operations = 2;
  std::string token = reserve_token();
  stop_count a, b, c;
  ASSERT_EQ(start(token, "a", a), start_status::started);
  ASSERT_EQ(start(token, "b", b), start_status::started);
  EXPECT_EQ(start(token, "c", c), start_status::too_many);
  store().deliver(token, "a", complete_event("a"), true);
  EXPECT_EQ(start(token, "c", c), start_status::started);
}

TEST_F(ReservationStoreTest, TheLastEventFreesTheIdWithoutStoppingTheOperation) {
  std::string token = reserve_token();
  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(open(token, sink), open_status::opened);
  stop_count first, second;
  ASSERT_EQ(start(token, "a", first), start_status::started);
  store().deliver(token, "a", next("a", 1), false);
  store().deliver(token, "a", complete_event("a"), true);
  store().deliver(token, "a", next("a", 2), false);  // not registered any more: ignored
  EXPECT_EQ(first(), 0);

  ASSERT_EQ(start(token, "a", second), start_status::started);
  store().deliver(token, "a", next("a", 3), false);
  EXPECT_EQ(sink->events(), (std::vector<std::string>{next("a", 1), complete_event("a"), next("a", 3)}));
}

TEST_F(ReservationStoreTest, EventsOfUnknownOperationsOrReservationsAreIgnored) {
  std::string token = reserve_token();
  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(open(token, sink), open_status::opened);
  store().deliver(token, "never-started", next("never-started", 1), false);
  store().deliver("no-such-token", "a", next("a", 1), false);
  store().forget("no-such-token", "a");
  EXPECT_TRUE(sink->events().empty());
}

TEST_F(ReservationStoreTest, ForgettingUnregistersWithoutEventsOrStop) {
  std::string token = reserve_token();
  stop_count first, second;
  ASSERT_EQ(start(token, "a", first), start_status::started);
  store().forget(token, "a");
  store().deliver(token, "a", next("a", 1), false);
  EXPECT_EQ(first(), 0);
  ASSERT_EQ(start(token, "a", second), start_status::started);
  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(open(token, sink), open_status::opened);
  EXPECT_TRUE(sink->events().empty());
  EXPECT_EQ(stop(token, "a"), stop_status::stopped);
  EXPECT_EQ(first(), 0);
  EXPECT_EQ(second(), 1);
}

// ---- the queue limit

TEST_F(ReservationStoreTest, AnOperationOverflowingTheQueueEndsWithAnErrorAndIsStoppedOnce) {
  options_.max_queued_events = 3;
  std::string token = reserve_token();
  stop_count a, b;
  ASSERT_EQ(start(token, "a", a), start_status::started);
  ASSERT_EQ(start(token, "b", b), start_status::started);
  store().deliver(token, "a", next("a", 1), false);
  store().deliver(token, "a", next("a", 2), false);
  store().deliver(token, "b", next("b", 1), false);
  EXPECT_EQ(a(), 0);
  store().deliver(token, "a", next("a", 3), false);  // does not fit
  EXPECT_EQ(a(), 1);
  store().deliver(token, "a", next("a", 4), false);  // stopped: ignored
  store().deliver(token, "a", complete_event("a"), true);
  EXPECT_EQ(a(), 1);
  EXPECT_EQ(b(), 0);

  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(open(token, sink), open_status::opened);
  const std::string error =
      "event: next\ndata: {\"id\":\"a\",\"payload\":{\"errors\":[{\"message\":\"Too many events "
      "were queued before the stream was opened (the limit is 3).\"}]}}\n\n";
  EXPECT_EQ(sink->events(),
            (std::vector<std::string>{next("a", 1), next("a", 2), next("b", 1), error, complete_event("a")}));

  // b is still running, and its events now reach the stream.
  store().deliver(token, "b", next("b", 2), false);
  store().deliver(token, "a", next("a", 5), false);
  EXPECT_EQ(sink->events().size(), 6u);
  EXPECT_EQ(sink->events().back(), next("b", 2));
  EXPECT_EQ(b(), 0);
  // a's id is free again.
  stop_count again;
  EXPECT_EQ(start(token, "a", again), start_status::started);
}

TEST_F(ReservationStoreTest, ALastEventThatOverflowsEndsTheOperationWithoutStoppingIt) {
  options_.max_queued_events = 1;
  std::string token = reserve_token();
  stop_count a;
  ASSERT_EQ(start(token, "a", a), start_status::started);
  store().deliver(token, "a", next("a", 1), false);
  store().deliver(token, "a", complete_event("a"), true);
  EXPECT_EQ(a(), 0);  // it ended by itself
  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(open(token, sink), open_status::opened);
  ASSERT_EQ(sink->events().size(), 3u);
  EXPECT_NE(sink->events()[1].find("the limit is 1"), std::string::npos);
  EXPECT_EQ(sink->events()[2], complete_event("a"));
}

// ---- stop (DELETE)

TEST_F(ReservationStoreTest, StoppingSendsCompleteAndCallsStop) {
  std::string token = reserve_token();
  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(open(token, sink), open_status::opened);
  stop_count a, b;
  ASSERT_EQ(start(token, "a", a), start_status::started);
  ASSERT_EQ(start(token, "b", b), start_status::started);
  store().deliver(token, "a", next("a", 1), false);

  EXPECT_EQ(stop(token, "a"), stop_status::stopped);
  EXPECT_EQ(a(), 1);
  EXPECT_EQ(b(), 0);
  store().deliver(token, "a", next("a", 2), false);  // after the stop: ignored
  EXPECT_EQ(sink->events(),
            (std::vector<std::string>{next("a", 1), "event: complete\ndata: {\"id\":\"a\"}\n\n"}));

  // An operation that is not running: stopped, with nothing sent.
  EXPECT_EQ(stop(token, "a"), stop_status::stopped);
  EXPECT_EQ(stop(token, "never-started"), stop_status::stopped);
  EXPECT_EQ(a(), 1);
  EXPECT_EQ(sink->events().size(), 2u);
  // An unknown reservation.
  EXPECT_EQ(stop("no-such-token", "b"), stop_status::not_found);
  EXPECT_EQ(b(), 0);
}

TEST_F(ReservationStoreTest, StoppingBeforeTheStreamOpensQueuesCompleteBeyondTheLimit) {
  options_.max_queued_events = 1;
  std::string token = reserve_token();
  stop_count a;
  ASSERT_EQ(start(token, "a", a), start_status::started);
  store().deliver(token, "a", next("a", 1), false);
  EXPECT_EQ(stop(token, "a"), stop_status::stopped);
  EXPECT_EQ(a(), 1);
  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(open(token, sink), open_status::opened);
  EXPECT_EQ(sink->events(), (std::vector<std::string>{next("a", 1), complete_event("a")}));
}

TEST_F(ReservationStoreTest, StopCallbacksRunOutsideTheLockAndMayCallTheStore) {
  std::string token = reserve_token();
  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(open(token, sink), open_status::opened);
  int calls = 0;
  auto reentrant = [&] {
    ++calls;
    store().deliver(token, "a", next("a", 9), false);  // would deadlock if the store held its lock
    store().forget(token, "a");
  };
  ASSERT_EQ(run(store().start(token, "alice", "a", reentrant)), start_status::started);
  EXPECT_EQ(stop(token, "a"), stop_status::stopped);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(sink->events(), std::vector<std::string>{complete_event("a")});
}

// ---- close

TEST_F(ReservationStoreTest, ClosingByItsStreamDropsTheReservationAndStopsItsOperations) {
  std::string token = reserve_token();
  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(open(token, sink), open_status::opened);
  stop_count a, b, c;
  ASSERT_EQ(start(token, "a", a), start_status::started);
  ASSERT_EQ(start(token, "b", b), start_status::started);

  store().close(token, sink.get());
  EXPECT_EQ(a(), 1);
  EXPECT_EQ(b(), 1);
  EXPECT_EQ(sink->ends(), 0);  // the stream is going away already
  EXPECT_TRUE(sink->events().empty());
  EXPECT_EQ(open(token, std::make_shared<recording_sink>()), open_status::not_found);
  EXPECT_EQ(start(token, "c", c), start_status::not_found);
  EXPECT_EQ(stop(token, "a"), stop_status::not_found);
  store().close(token, sink.get());  // twice: nothing more
  EXPECT_EQ(a(), 1);
}

TEST_F(ReservationStoreTest, ClosingByAnotherStreamIsIgnored) {
  std::string token = reserve_token();
  auto sink = std::make_shared<recording_sink>();
  auto other = std::make_shared<recording_sink>();
  stop_count a;
  ASSERT_EQ(start(token, "a", a), start_status::started);
  store().close(token, nullptr);      // the reservation has no stream yet: still not its stream
  store().close(token, other.get());  // nor is this one
  ASSERT_EQ(open(token, sink), open_status::opened);
  store().close(token, other.get());
  EXPECT_EQ(a(), 0);
  store().deliver(token, "a", next("a", 1), false);
  EXPECT_EQ(sink->events(), std::vector<std::string>{next("a", 1)});
  EXPECT_EQ(open(token, other), open_status::already_open);
}

// ---- expiry

TEST_F(ReservationStoreTest, AReservationNotOpenedInTimeIsDroppedByTheNextReserve) {
  options_.open_timeout = 20ms;
  std::string token = reserve_token();
  stop_count a;
  ASSERT_EQ(start(token, "a", a), start_status::started);
  std::this_thread::sleep_for(60ms);
  EXPECT_EQ(a(), 0);     // nothing runs in the background
  reserve_token("bob");  // sweeps
  EXPECT_EQ(a(), 1);
  EXPECT_EQ(open(token, std::make_shared<recording_sink>()), open_status::not_found);
  EXPECT_EQ(a(), 1);
}

TEST_F(ReservationStoreTest, AReservationNotOpenedInTimeIsDroppedWhenUsed) {
  options_.open_timeout = 20ms;
  std::string opened = reserve_token();
  std::string never = reserve_token();
  std::string never_either = reserve_token();
  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(open(opened, sink), open_status::opened);
  stop_count a, b, c, d;
  ASSERT_EQ(start(never, "a", a), start_status::started);
  ASSERT_EQ(start(never_either, "b", b), start_status::started);
  std::this_thread::sleep_for(60ms);

  EXPECT_EQ(open(never, std::make_shared<recording_sink>()), open_status::not_found);
  EXPECT_EQ(a(), 1);
  EXPECT_EQ(start(never, "c", c), start_status::not_found);
  EXPECT_EQ(stop(never, "a"), stop_status::not_found);
  EXPECT_EQ(a(), 1);

  store().deliver(never_either, "b", next("b", 1), false);  // a delivery finds it expired too
  EXPECT_EQ(b(), 1);
  EXPECT_EQ(start(never_either, "d", d), start_status::not_found);

  // An opened reservation does not expire.
  ASSERT_EQ(start(opened, "c", c), start_status::started);
  store().deliver(opened, "c", next("c", 1), false);
  EXPECT_EQ(sink->events(), std::vector<std::string>{next("c", 1)});
  EXPECT_EQ(c(), 0);
}

TEST_F(ReservationStoreTest, AnExpiredPreviousTokenIsNotAlreadyRegistered) {
  options_.open_timeout = 20ms;
  std::string token = reserve_token();
  stop_count a;
  ASSERT_EQ(start(token, "a", a), start_status::started);
  std::this_thread::sleep_for(60ms);
  auto again = reserve("alice", token, false);
  EXPECT_EQ(again.status, reserve_status::reserved);
  EXPECT_EQ(a(), 1);
}

// ---- shutdown

TEST_F(ReservationStoreTest, ShutdownEndsEveryStreamAndStopsEveryOperation) {
  std::string opened = reserve_token("alice");
  std::string pending = reserve_token("bob");
  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(open(opened, sink, "alice"), open_status::opened);
  stop_count a, b, c;
  ASSERT_EQ(start(opened, "a", a, "alice"), start_status::started);
  ASSERT_EQ(start(opened, "b", b, "alice"), start_status::started);
  ASSERT_EQ(start(pending, "c", c, "bob"), start_status::started);

  store().shutdown();
  EXPECT_EQ(sink->ends(), 1);
  EXPECT_EQ(a(), 1);
  EXPECT_EQ(b(), 1);
  EXPECT_EQ(c(), 1);
  EXPECT_TRUE(sink->events().empty());
  EXPECT_EQ(open(pending, std::make_shared<recording_sink>(), "bob"), open_status::not_found);
  EXPECT_EQ(stop(opened, "a", "alice"), stop_status::not_found);
  store().deliver(opened, "a", next("a", 1), false);
  EXPECT_TRUE(sink->events().empty());
}

// ---- threads

TEST_F(ReservationStoreTest, DeliveriesFromSeveralThreadsAllArriveInOrderPerOperation) {
  constexpr int kThreads = 4;
  constexpr int kEvents = 2'000;
  std::string token = reserve_token();
  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(open(token, sink), open_status::opened);
  std::vector<stop_count> stops(kThreads);
  for (int t = 0; t < kThreads; ++t)
    ASSERT_EQ(start(token, "op" + std::to_string(t), stops[t]), start_status::started);

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&shared = store(), t, &token] {
      const std::string op = "op" + std::to_string(t);
      for (int i = 0; i < kEvents; ++i) shared.deliver(token, op, next(op, i), false);
    });
  }
  for (auto& thread : threads) thread.join();

  auto events = sink->events();
  ASSERT_EQ(events.size(), static_cast<std::size_t>(kThreads * kEvents));
  for (int t = 0; t < kThreads; ++t) {
    const std::string op = "op" + std::to_string(t);
    const std::string prefix = "event: next\ndata: {\"id\":\"" + op + "\",";
    int expected = 0;
    for (const auto& event : events) {
      if (event.rfind(prefix, 0) != 0) continue;
      ASSERT_EQ(event, next(op, expected)) << "out of order for " << op;
      ++expected;
    }
    EXPECT_EQ(expected, kEvents) << op;
    EXPECT_EQ(stops[t](), 0);
  }
}

TEST_F(ReservationStoreTest, ReservationsFromSeveralThreadsGetDistinctTokens) {
  constexpr int kThreads = 4;
  constexpr int kEach = 250;
  std::vector<std::vector<std::string>> tokens(kThreads);
  reservation_store& shared = store();  // made before the threads use it
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&shared, t, &tokens] {
      for (int i = 0; i < kEach; ++i) tokens[t].push_back(run(shared.reserve("alice", "", false)).token);
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& list : tokens) all.insert(list.begin(), list.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(all.count(""), 0u);
}

}  // namespace
}  // namespace sluice::transport::sse
