// Reservations across nodes: two cluster stores ("nodes" a and b) on one in-process broker. A reservation made on
// a serves a stream and operations on b: events reach b's stream (queued ones first), DELETE and a closed stream
// stop b's operations, and a node that never answers is "not found".
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <mutex>
#include <thread>

#include "sluice/pubsub/memory_broker.hpp"
#include "sluice/transport/sse/cluster_reservation_store.hpp"
#include "sluice/transport/sse/single.hpp"

namespace sluice::transport::sse {
namespace {

using namespace std::chrono_literals;

// Runs one of a store's awaitables to completion on a private loop.
template <typename T>
T run(boost::asio::awaitable<T> task) {
  boost::asio::io_context io;
  auto result = boost::asio::co_spawn(io, std::move(task), boost::asio::use_future);
  io.run();
  return result.get();
}

class recording_sink final : public stream_sink {
 public:
  void send(std::string event) override {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }
  void end() override { ended_ = true; }
  [[nodiscard]] std::vector<std::string> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  // Waits (bounded) until `n` events arrived.
  bool has(std::size_t n) const {
    for (int i = 0; i < 300 && events().size() < n; ++i) std::this_thread::sleep_for(10ms);
    return events().size() >= n;
  }
  std::atomic<bool> ended_{false};

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> events_;
};

struct stop_count {
  std::shared_ptr<std::atomic<int>> n = std::make_shared<std::atomic<int>>(0);
  [[nodiscard]] std::function<void()> callback() const {
    return [n = n] { ++*n; };
  }
  [[nodiscard]] bool reaches(int value) const {
    for (int i = 0; i < 300 && n->load() < value; ++i) std::this_thread::sleep_for(10ms);
    return n->load() == value;
  }
};

class ClusterReservationStoreTest : public ::testing::Test {
 protected:
  static cluster_reservation_options named(std::string node) {
    cluster_reservation_options o;
    o.node = std::move(node);
    o.request_timeout = 300ms;
    return o;
  }
  pubsub::memory_broker broker_;
  std::shared_ptr<reservation_store> a_ = make_cluster_reservation_store(broker_, named("a"));
  std::shared_ptr<reservation_store> b_ = make_cluster_reservation_store(broker_, named("b"));

  std::string reserve_on_a() {
    auto r = run(a_->reserve("alice", "", false));
    EXPECT_EQ(r.status, reserve_status::reserved);
    EXPECT_EQ(r.token.rfind("a~", 0), 0u) << r.token;
    return r.token;
  }
};

TEST_F(ClusterReservationStoreTest, AStreamAndOperationsOnAnotherNodeServeTheReservation) {
  const std::string token = reserve_on_a();
  // An operation started on b before the stream opens: its events wait at the home node.
  stop_count early;
  ASSERT_EQ(run(b_->start(token, "alice", "1", early.callback())), start_status::started);
  b_->deliver(token, "1", next_event("1", R"({"data":1})"), false);
  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(run(b_->open(token, "alice", sink)), open_status::opened);
  ASSERT_TRUE(sink->has(1));
  b_->deliver(token, "1", next_event("1", R"({"data":2})"), false);
  b_->deliver(token, "1", complete_event("1"), true);
  ASSERT_TRUE(sink->has(3));
  EXPECT_EQ(sink->events(), (std::vector<std::string>{next_event("1", R"({"data":1})"), next_event("1", R"({"data":2})"),
                                                       complete_event("1")}));
  EXPECT_EQ(early.n->load(), 0);  // it ended by itself

  // A second stream anywhere is refused; a duplicate operation id too.
  EXPECT_EQ(run(a_->open(token, "alice", std::make_shared<recording_sink>())), open_status::already_open);
  stop_count live;
  ASSERT_EQ(run(a_->start(token, "alice", "2", live.callback())), start_status::started);
  EXPECT_EQ(run(b_->start(token, "alice", "2", stop_count{}.callback())), start_status::duplicate);
  // Another owner sees nothing.
  EXPECT_EQ(run(b_->start(token, "mallory", "3", stop_count{}.callback())), start_status::not_found);
  EXPECT_EQ(run(b_->stop(token, "mallory", "2")), stop_status::not_found);
}

TEST_F(ClusterReservationStoreTest, ADeleteOnAnyNodeStopsTheOperationWhereItRuns) {
  const std::string token = reserve_on_a();
  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(run(a_->open(token, "alice", sink)), open_status::opened);
  stop_count op;
  ASSERT_EQ(run(b_->start(token, "alice", "x", op.callback())), start_status::started);
  EXPECT_EQ(run(b_->stop(token, "alice", "x")), stop_status::stopped);
  EXPECT_TRUE(op.reaches(1));
  ASSERT_TRUE(sink->has(1));
  EXPECT_EQ(sink->events().back(), complete_event("x"));
  // Its later events are dropped at the home.
  b_->deliver(token, "x", next_event("x", R"({"data":9})"), false);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(sink->events().size(), 1u);
}

TEST_F(ClusterReservationStoreTest, TheStreamClosingOnAnotherNodeDropsTheReservationAndStopsItsOperations) {
  const std::string token = reserve_on_a();
  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(run(b_->open(token, "alice", sink)), open_status::opened);
  stop_count op;
  ASSERT_EQ(run(b_->start(token, "alice", "1", op.callback())), start_status::started);
  b_->close(token, sink.get());
  EXPECT_TRUE(op.reaches(1));
  for (int i = 0; i < 100 && run(a_->start(token, "alice", "again", stop_count{}.callback())) != start_status::not_found;
       ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(run(b_->start(token, "alice", "again", stop_count{}.callback())), start_status::not_found);
}

TEST_F(ClusterReservationStoreTest, ReplacingThroughAnotherNodeEndsTheOldStream) {
  const std::string token = reserve_on_a();
  auto sink = std::make_shared<recording_sink>();
  ASSERT_EQ(run(b_->open(token, "alice", sink)), open_status::opened);
  EXPECT_EQ(run(b_->reserve("alice", token, false)).status, reserve_status::already_registered);
  auto replaced = run(b_->reserve("alice", token, true));
  ASSERT_EQ(replaced.status, reserve_status::reserved);
  EXPECT_NE(replaced.token, token);
  for (int i = 0; i < 300 && !sink->ended_; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(sink->ended_);
}

TEST_F(ClusterReservationStoreTest, TokensOfNodesThatDoNotAnswerAreNotFound) {
  EXPECT_EQ(run(b_->open("gone~123", "alice", std::make_shared<recording_sink>())), open_status::not_found);
  EXPECT_EQ(run(b_->start("gone~123", "alice", "1", stop_count{}.callback())), start_status::not_found);
  EXPECT_EQ(run(b_->stop("gone~123", "alice", "1")), stop_status::not_found);
  EXPECT_EQ(run(b_->open("no-home-in-it", "alice", std::make_shared<recording_sink>())), open_status::not_found);
  // A PUT naming a token of a vanished node simply reserves anew, here.
  auto r = run(b_->reserve("alice", "gone~123", false));
  EXPECT_EQ(r.status, reserve_status::reserved);
  EXPECT_EQ(r.token.rfind("b~", 0), 0u) << r.token;
}

}  // namespace
}  // namespace sluice::transport::sse
