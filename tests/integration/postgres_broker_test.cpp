// postgres_broker against a real PostgreSQL 15 server: what a user of the broker sees.
//
// Delivery across nodes, filters, the NOTIFY size limit, publishing while the server is down, recovery after
// a restart, and notifications on the channel that are not events.
#include "sluice/pubsub/postgres_broker.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sluice/core/json.hpp"
#include "support/postgres_server.hpp"
#include "support/shared_postgres.hpp"

namespace asio = boost::asio;
using namespace std::chrono_literals;
using sluice::execution::event_stream;
using sluice::pubsub::postgres_broker;
using sluice::pubsub::postgres_options;
using sluice::pubsub::subscribe_options;
using sluice::test::postgres_server;
using sluice::test::shared_postgres;

namespace {


// What one subscriber received: filled on its loop, read by the test.
class inbox {
 public:
  void push(sluice::value v) {
    {
      const std::lock_guard lock(mutex_);
      values_.push_back(std::move(v));
    }
    changed_.notify_all();
  }
  void fail(std::string message) {
    {
      const std::lock_guard lock(mutex_);
      error_ = std::move(message);
    }
    changed_.notify_all();
  }
  // Waits (bounded) until at least `count` events arrived.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&]() { return values_.size() >= count; });
  }
  std::vector<sluice::value> values() const {
    const std::lock_guard lock(mutex_);
    return values_;
  }
  std::size_t size() const {
    const std::lock_guard lock(mutex_);
    return values_.size();
  }
  std::string error() const {
    const std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<sluice::value> values_;
  std::string error_;
};

// A subscription's consumer, the way a subscription reads its source stream.
asio::awaitable<void> consume(std::shared_ptr<event_stream> stream, std::shared_ptr<inbox> box) {
  try {
    while (auto item = co_await stream->next()) {
      if (const auto* v = std::get_if<sluice::value>(&*item)) box->push(*v);
    }
  } catch (const std::exception& e) {
    box->fail(e.what());
  }
}

asio::awaitable<std::thread::id> publish_and_report(postgres_broker& broker, std::string topic,
                                                    sluice::value payload) {
  co_await broker.publish(std::move(topic), std::move(payload));
  co_return std::this_thread::get_id();  // where publish() resumed its caller
}

// A node of a cluster: a broker, and an event loop on a thread of its own where its subscribers consume and
// its publishers publish from.
class node {
 public:
  explicit node(postgres_options options) : work_(asio::make_work_guard(io_)), broker_(std::move(options)) {
    thread_ = std::thread([this]() { io_.run(); });
    loop_thread_ = thread_.get_id();
  }
  ~node() {
    // Every stream ends (on its loop) before the broker goes; the loop goes last: the broker's final
    // completions are posted to it.
    run_on_loop([this]() {
      for (auto& s : streams_) s->stop();
      streams_.clear();
    });
    broker_.reset();
    work_.reset();
    thread_.join();
  }
  node(const node&) = delete;
  node& operator=(const node&) = delete;

  postgres_broker& broker() { return *broker_; }
  [[nodiscard]] std::thread::id loop_thread() const { return loop_thread_; }

  std::shared_ptr<inbox> subscribe(std::string topic, subscribe_options options = {}) {
    auto box = std::make_shared<inbox>();
    run_on_loop([&]() {
      auto stream =
          std::make_shared<event_stream>(broker_->subscribe(io_.get_executor(), topic, std::move(options)));
      streams_.push_back(stream);
      asio::co_spawn(io_, consume(stream, box), asio::detached);
    });
    return box;
  }

  // Publishes from a coroutine on this node's loop and waits (bounded) for publish() to complete; rethrows
  // what it threw. Returns the thread it resumed on.
  std::thread::id publish(std::string topic, sluice::value payload) {
    auto done = asio::co_spawn(io_, publish_and_report(*broker_, std::move(topic), std::move(payload)),
                               asio::use_future);
    // A logic_error, not a runtime_error: no test expects it.
    if (done.wait_for(10s) != std::future_status::ready) throw std::logic_error("publish() hung for 10 s");
    return done.get();
  }

  // Starts `count` publishes at once from this node's loop (payloads 0, 1, ...).
  std::vector<std::future<std::thread::id>> start_burst(const std::string& topic, int count) {
    std::vector<std::future<std::thread::id>> all;
    run_on_loop([&]() {
      for (int i = 0; i < count; ++i) {
        all.push_back(asio::co_spawn(io_, publish_and_report(*broker_, topic, i), asio::use_future));
      }
    });
    return all;
  }

  // Waits (bounded) for every publish of a burst: how many succeeded, and the errors of the others.
  static std::pair<std::size_t, std::vector<std::string>> outcomes(
      std::vector<std::future<std::thread::id>>& all) {
    std::pair<std::size_t, std::vector<std::string>> out;
    for (auto& f : all) {
      if (f.wait_for(10s) != std::future_status::ready) throw std::logic_error("publish() did not complete");
      try {
        f.get();
        ++out.first;
      } catch (const std::runtime_error& e) {
        out.second.emplace_back(e.what());
      }
    }
    return out;
  }

 private:
  void run_on_loop(const std::function<void()>& f) {
    std::promise<void> ran;
    asio::post(io_, [&]() {
      f();
      ran.set_value();
    });
    ran.get_future().wait();
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::optional<postgres_broker> broker_;
  std::vector<std::shared_ptr<event_stream>> streams_;  // touched on the loop only
  std::thread thread_;
  std::thread::id loop_thread_;
};

postgres_options options_for(const postgres_server& server) {
  postgres_options o;
  o.conninfo = server.conninfo();
  o.connect_timeout = 2s;
  o.reconnect_min = 20ms;
  o.reconnect_max = 250ms;
  return o;
}

sluice::value order(int id, int total) {
  sluice::value v;
  v.set("id", id);
  v.set("total", total);
  return v;
}

// A loopback port nothing listens on (bound once by the kernel's choice, then closed).
int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  if (fd >= 0) ::close(fd);
  if (!ok) throw std::runtime_error("no free loopback port");
  return ntohs(addr.sin_port);
}

// Polls `done` until it holds or the timeout passes.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

// Tests on the shared server: a test fails (never skips) when PostgreSQL cannot be started.
class PostgresBrokerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      server_ = &shared_postgres::get();
    } catch (const std::exception& e) {
      FAIL() << "cannot start PostgreSQL for the test: " << e.what();
    }
  }
  postgres_server& server() { return *server_; }

 private:
  postgres_server* server_ = nullptr;
};

TEST_F(PostgresBrokerTest, EventsPublishedOnOneNodeReachSubscribersOfTheTopicOnEveryNode) {
  node a(options_for(server()));
  node b(options_for(server()));
  ASSERT_TRUE(a.broker().wait_ready(10s));
  ASSERT_TRUE(b.broker().wait_ready(10s));
  auto orders_on_a = a.subscribe("orders");
  auto users_on_a = a.subscribe("users");
  auto orders_on_b = b.subscribe("orders");

  sluice::value payload = order(42, 250);
  payload.set("note", "caf\xc3\xa9 \"quoted\"\n");
  payload.set("items", sluice::list{sluice::value("a"), sluice::value(1.5), sluice::value(nullptr)});
  const auto resumed_on = b.publish("orders", payload);
  EXPECT_EQ(resumed_on, b.loop_thread()) << "publish() resumes its caller on the caller's own loop";

  ASSERT_TRUE(orders_on_a->wait_for(1, 5s)) << "node A's subscriber never got node B's event";
  EXPECT_EQ(orders_on_a->values(), std::vector<sluice::value>{payload});
  ASSERT_TRUE(orders_on_b->wait_for(1, 5s)) << "node B's subscriber never got its own node's event";
  EXPECT_EQ(orders_on_b->values(), std::vector<sluice::value>{payload});

  // Events from one publisher arrive in order: once the marker on "users" arrived, the subscriber of "users"
  // would have seen the "orders" event too, had it been routed there.
  b.publish("users", sluice::value("marker"));
  ASSERT_TRUE(users_on_a->wait_for(1, 5s));
  EXPECT_EQ(users_on_a->values(), std::vector<sluice::value>{sluice::value("marker")});
  EXPECT_EQ(orders_on_a->size(), 1u);
  EXPECT_EQ(b.broker().stats().published, 2u);
  EXPECT_EQ(a.broker().stats().published, 0u);
  EXPECT_EQ(a.broker().stats().received, 2u);
  EXPECT_EQ(a.broker().stats().malformed, 0u);
  EXPECT_EQ(a.broker().stats().gaps, 0u);
}

TEST_F(PostgresBrokerTest, APendingPublishKeepsItsCallersLoopRunningUntilPostgresAnswers) {
  postgres_broker broker(options_for(server()));
  ASSERT_TRUE(broker.wait_ready(10s));
  // A loop with nothing else to do (no work guard): run() returns only once publish() has completed.
  asio::io_context io;
  bool completed = false;
  std::exception_ptr error;
  auto on_done = [&](std::exception_ptr e, std::thread::id) {
    completed = true;
    error = e;
  };
  asio::co_spawn(io, publish_and_report(broker, "orders", order(1, 1)), on_done);
  io.run_for(10s);
  EXPECT_TRUE(completed);
  EXPECT_FALSE(error);
  EXPECT_EQ(broker.stats().published, 1u);
}

TEST_F(PostgresBrokerTest, SubscriberFiltersApplyToEventsFromOtherNodes) {
  node a(options_for(server()));
  node b(options_for(server()));
  ASSERT_TRUE(a.broker().wait_ready(10s));
  ASSERT_TRUE(b.broker().wait_ready(10s));
  subscribe_options big_only;
  big_only.filter = [](const sluice::value& o) { return o.find("total")->as_int() > 100; };
  auto big = a.subscribe("orders", std::move(big_only));
  auto all = a.subscribe("orders");

  const std::vector<int> totals{50, 150, 20, 300};
  for (std::size_t i = 0; i < totals.size(); ++i) b.publish("orders", order(static_cast<int>(i), totals[i]));

  ASSERT_TRUE(all->wait_for(totals.size(), 5s));
  EXPECT_EQ(all->values(),
            (std::vector<sluice::value>{order(0, 50), order(1, 150), order(2, 20), order(3, 300)}));
  ASSERT_TRUE(big->wait_for(2, 5s));
  EXPECT_EQ(big->values(), (std::vector<sluice::value>{order(1, 150), order(3, 300)}));
}

TEST_F(PostgresBrokerTest, EventsOverTheNotifyLimitAreRefusedBeforeSendingAndEventsJustUnderItArrive) {
  node a(options_for(server()));
  ASSERT_TRUE(a.broker().wait_ready(10s));
  auto box = a.subscribe("big");

  // The event travels as {"topic":"big","payload":<JSON>}: a string payload of n bytes makes it this long.
  std::string empty_envelope = "{\"topic\":";
  sluice::json::write_string(empty_envelope, "big");
  empty_envelope += ",\"payload\":\"\"}";
  const std::size_t fits =
      7999 - empty_envelope.size();  // the longest string whose envelope is under 8000 bytes

  for (const auto& too_big :
       {std::string(fits + 1, 'x'), std::string(fits / 2 + 1, '"'), std::string(20000, 'y')}) {
    try {
      a.publish("big", sluice::value(too_big));
      ADD_FAILURE() << "publish() accepted an event of " << too_big.size() << " bytes";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("8000"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("big"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(a.broker().stats().published, 0u);

  const sluice::value just_under(std::string(fits, 'z'));
  ASSERT_NO_THROW(a.publish("big", just_under));
  ASSERT_TRUE(box->wait_for(1, 5s));
  EXPECT_EQ(box->values(), std::vector<sluice::value>{just_under});
  EXPECT_EQ(a.broker().stats().published, 1u);
}

TEST_F(PostgresBrokerTest, PublishThrowsPostgresReasonWhenItRefusesTheNotifyAndTheNextOneWorks) {
  node a(options_for(server()));
  ASSERT_TRUE(a.broker().wait_ready(10s));
  auto box = a.subscribe("t");
  try {
    a.publish("t", sluice::value("not UTF-8: \xff\xfe"));
    ADD_FAILURE() << "PostgreSQL accepted text that is not UTF-8";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("postgres"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("UTF8"), std::string::npos) << e.what();  // PostgreSQL's own reason
  }
  ASSERT_NO_THROW(a.publish("t", 1));
  ASSERT_TRUE(box->wait_for(1, 5s));
  EXPECT_EQ(box->values(), std::vector<sluice::value>{sluice::value(1)});
  EXPECT_EQ(a.broker().stats().published, 1u);
  EXPECT_EQ(a.broker().stats().reconnects, 0u);
}

TEST_F(PostgresBrokerTest, PublishBeyondMaxPendingPublishesThrows) {
  auto options = options_for(server());
  options.max_pending_publishes = 2;
  node a(options);
  ASSERT_TRUE(a.broker().wait_ready(10s));
  auto burst = a.start_burst("burst", 100);
  const auto [succeeded, errors] = node::outcomes(burst);
  EXPECT_GE(succeeded, 1u);
  ASSERT_FALSE(errors.empty()) << "100 publishes at once never had more than 2 pending";
  EXPECT_NE(errors.front().find("max_pending_publishes"), std::string::npos) << errors.front();
  EXPECT_EQ(a.broker().stats().published, succeeded);
}

TEST_F(PostgresBrokerTest, PublishesInFlightWhenTheConnectionDiesEndAndTheBrokerReconnects) {
  node a(options_for(server()));
  ASSERT_TRUE(a.broker().wait_ready(10s));
  auto burst = a.start_burst("burst", 300);
  // Meanwhile an administrator terminates the publishing connection's backend.
  PGconn* admin = PQconnectdb(server().conninfo().c_str());
  ASSERT_EQ(PQstatus(admin), CONNECTION_OK) << PQerrorMessage(admin);
  PGresult* r = PQexec(admin,
                       "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE application_name = 'sluice' AND query LIKE '%pg_notify%') AS t");
  const bool terminated = PQresultStatus(r) == PGRES_TUPLES_OK && std::string(PQgetvalue(r, 0, 0)) != "0";
  PQclear(r);
  PQfinish(admin);
  ASSERT_TRUE(terminated) << "no publishing connection to terminate";

  // Every publish ends (none hangs): accepted, or failed with a reason naming postgres.
  const auto [succeeded, errors] = node::outcomes(burst);
  EXPECT_EQ(succeeded + errors.size(), 300u);
  for (const auto& e : errors) EXPECT_NE(e.find("postgres"), std::string::npos) << e;
  EXPECT_EQ(a.broker().stats().published, succeeded);

  ASSERT_TRUE(eventually([&]() { return a.broker().stats().reconnects >= 1; }, 5s)) << "it never reconnected";
  ASSERT_TRUE(a.broker().wait_ready(5s));
  EXPECT_NO_THROW(a.publish("burst", 300));
  EXPECT_EQ(a.broker().stats().gaps, 0u);  // the listening connection was not touched
}

TEST_F(PostgresBrokerTest, NotificationsThatAreNotEventsAreDroppedAndCounted) {
  node a(options_for(server()));
  ASSERT_TRUE(a.broker().wait_ready(10s));
  auto box = a.subscribe("t");

  // A backend that NOTIFYs the channel with plain SQL.
  PGconn* raw = PQconnectdb(server().conninfo().c_str());
  ASSERT_EQ(PQstatus(raw), CONNECTION_OK) << PQerrorMessage(raw);
  for (const char* sql : {"NOTIFY sluice, 'garbage'", "NOTIFY sluice, '{\"payload\": 1}'",
                          "NOTIFY sluice, '{\"topic\": 5, \"payload\": 1}'", "NOTIFY sluice, '[\"t\", 1]'",
                          "SELECT pg_notify('sluice', '{\"topic\": \"t\", \"payload\": {\"x\": [1, 2]}}')"}) {
    PGresult* r = PQexec(raw, sql);
    EXPECT_TRUE(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK)
        << sql << ": " << PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(raw);

  ASSERT_TRUE(box->wait_for(1, 5s));
  sluice::value expected;
  expected.set("x", sluice::list{sluice::value(1), sluice::value(2)});
  EXPECT_EQ(box->values(), std::vector<sluice::value>{expected});
  EXPECT_EQ(a.broker().stats().malformed, 4u);
  EXPECT_EQ(a.broker().stats().received, 5u);
  EXPECT_TRUE(box->error().empty()) << box->error();
}

TEST(PostgresBrokerWithoutServerTest, PublishThrowsAtOnceWhenPostgresIsUnreachable) {
  postgres_options options;
  options.conninfo = "postgresql://postgres@127.0.0.1:" + std::to_string(unused_port()) + "/postgres";
  options.reconnect_min = 20ms;
  options.reconnect_max = 100ms;
  node a(options);
  EXPECT_FALSE(a.broker().wait_ready(300ms));
  const auto started = std::chrono::steady_clock::now();
  try {
    a.publish("orders", order(1, 1));
    ADD_FAILURE() << "publish() succeeded without a server";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("postgres"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not connected"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
}

TEST(PostgresBrokerRestartTest, PublishThrowsWhileTheServerIsStopped) {
  postgres_server server;
  node a(options_for(server));
  ASSERT_TRUE(a.broker().wait_ready(10s));
  ASSERT_NO_THROW(a.publish("orders", order(1, 1)));
  server.stop();
  // Right after the stop (the broker may not have noticed yet), and once it has: publish() throws either way.
  for (int i = 0; i < 2; ++i) {
    const auto started = std::chrono::steady_clock::now();
    try {
      a.publish("orders", order(2, 2));
      ADD_FAILURE() << "publish() succeeded while the server was stopped";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("postgres"), std::string::npos) << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_FALSE(a.broker().wait_ready(50ms));
  EXPECT_EQ(a.broker().stats().published, 1u);
}

TEST(PostgresBrokerRestartTest, DeliveryResumesAfterTheServerRestartsAndTheGapIsCounted) {
  postgres_server server;
  node a(options_for(server));
  node b(options_for(server));
  ASSERT_TRUE(a.broker().wait_ready(10s));
  ASSERT_TRUE(b.broker().wait_ready(10s));
  auto box = a.subscribe("t");
  b.publish("t", 0);
  ASSERT_TRUE(box->wait_for(1, 5s));

  server.stop();
  ASSERT_TRUE(eventually([&]() { return !a.broker().wait_ready(0ms); }, 5s)) << "the loss went unnoticed";
  server.start();

  // Events published before node A listens again are lost (that is the gap): publish until one arrives.
  const auto back = std::chrono::steady_clock::now();
  bool arrived = false;
  for (int i = 1; !arrived && std::chrono::steady_clock::now() - back < 3s; ++i) {
    try {
      b.publish("t", i);
    } catch (const std::runtime_error&) {  // B's publishing connection is not back yet
    }
    arrived = box->wait_for(2, 50ms);
  }
  ASSERT_TRUE(arrived) << "no event reached node A within 3 s of the server being back";
  EXPECT_GE(box->values().back().as_int(), 1);
  EXPECT_EQ(a.broker().stats().gaps, 1u);
  EXPECT_GE(a.broker().stats().reconnects, 1u);
  ASSERT_TRUE(b.broker().wait_ready(5s));
  EXPECT_EQ(b.broker().stats().gaps, 1u);
  EXPECT_EQ(b.broker().stats().reconnects, 2u);  // both of its connections
}

TEST(PostgresBrokerWithoutServerTest, InvalidOptionsAreRefusedByTheConstructor) {
  postgres_options long_channel;
  long_channel.channel = std::string(64, 'c');
  EXPECT_THROW(postgres_broker{long_channel}, std::invalid_argument);
  postgres_options bad_conninfo;
  bad_conninfo.conninfo = "host=127.0.0.1 nonsense_keyword=1";
  EXPECT_THROW(postgres_broker{bad_conninfo}, std::invalid_argument);
}

}  // namespace
