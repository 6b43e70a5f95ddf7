// redis_broker against a real redis-server: delivery across nodes, channel counts, outages, restarts, URLs.
#include "sluice/pubsub/redis_broker.hpp"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <atomic>
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
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "support/redis_server.hpp"

namespace asio = boost::asio;
using namespace std::chrono_literals;
using sluice::execution::event_stream;
using sluice::pubsub::redis_broker;
using sluice::pubsub::redis_options;
using sluice::pubsub::subscribe_options;
using sluice::test::redis_server;

namespace {

constexpr auto bound = 5s;  // the most any single wait of these tests may take

// An event loop of the test: an io_context run by its own thread, the way a server's loop is. Declared before
// the brokers that deliver to it, so that it outlives them.
class loop_thread {
 public:
  loop_thread() : work_(asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}
  ~loop_thread() {
    work_.reset();
    io_.stop();
    thread_.join();
  }
  loop_thread(const loop_thread&) = delete;
  loop_thread& operator=(const loop_thread&) = delete;

  [[nodiscard]] asio::any_io_executor executor() { return io_.get_executor(); }

  // Runs f on the loop and waits for it (bounded).
  void run(const std::function<void()>& f) {
    auto done = std::make_shared<std::promise<void>>();
    auto finished = done->get_future();
    asio::post(io_, [f, done] {
      try {
        f();
        done->set_value();
      } catch (...) {
        done->set_exception(std::current_exception());
      }
    });
    if (finished.wait_for(bound) != std::future_status::ready)
      throw std::runtime_error("the loop did not answer");
    finished.get();
  }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;
};

// One local subscriber on a loop: its stream, consumed there by a coroutine (from the start, or from
// consume()), and what it got, readable from the test's thread. Stopped on its loop by stop() or the
// destructor.
class subscription {
 public:
  subscription(loop_thread& loop, redis_broker& broker, std::string topic, subscribe_options options = {},
               bool consume_now = true)
      : loop_(loop), state_(std::make_shared<state>()) {
    loop_.run([&] {
      state_->stream = broker.subscribe(loop_.executor(), std::move(topic), std::move(options));
      if (consume_now) asio::co_spawn(loop_.executor(), take(state_), asio::detached);
    });
  }
  ~subscription() {
    try {
      stop();
    } catch (...) {
    }
  }
  subscription(const subscription&) = delete;
  subscription& operator=(const subscription&) = delete;

  // Starts consuming a stream made with consume_now = false.
  void consume() {
    loop_.run([&] { asio::co_spawn(loop_.executor(), take(state_), asio::detached); });
  }

  // Stops the stream on its loop (its pending next() ends).
  void stop() {
    loop_.run([&] { state_->stream.stop(); });
  }

  // Waits until at least n events arrived (or the timeout passed); true when they did.
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout = bound) {
    std::unique_lock lock(state_->mutex);
    return state_->changed.wait_for(lock, timeout, [&] { return state_->values.size() >= n; });
  }

  [[nodiscard]] std::vector<sluice::value> values() const {
    const std::lock_guard lock(state_->mutex);
    return state_->values;
  }
  [[nodiscard]] std::string error() const {
    const std::lock_guard lock(state_->mutex);
    return state_->error;
  }

 private:
  struct state {
    event_stream stream;  // touched on the loop only
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<sluice::value> values;
    std::string error;
  };

  static asio::awaitable<void> take(std::shared_ptr<state> s) {
    try {
      while (auto item = co_await s->stream.next()) {
        const std::lock_guard lock(s->mutex);
        s->values.push_back(std::get<sluice::value>(*item));
        s->changed.notify_all();
      }
    } catch (const std::exception& e) {
      const std::lock_guard lock(s->mutex);
      s->error = e.what();
    }
  }

  loop_thread& loop_;
  std::shared_ptr<state> state_;
};

// Publishes from a coroutine on `loop` and waits (bounded) for the outcome: the exception's message, or
// nothing.
std::optional<std::string> publish(loop_thread& loop, redis_broker& broker, std::string topic,
                                   sluice::value v) {
  auto outcome =
      asio::co_spawn(loop.executor(), broker.publish(std::move(topic), std::move(v)), asio::use_future);
  if (outcome.wait_for(bound) != std::future_status::ready) return "publish did not complete within 5 s";
  try {
    outcome.get();
    return std::nullopt;
  } catch (const std::runtime_error& e) {
    return std::string(e.what());
  }
}

redis_options options_for(const redis_server& server, std::string prefix = "test:") {
  redis_options o;
  o.url = server.url();
  o.channel_prefix = std::move(prefix);
  return o;
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = bound) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

sluice::value order(int id, int total) {
  sluice::value v;
  v.set("id", id);
  v.set("total", total);
  return v;
}

// A plain Redis client (hiredis, synchronous): what any other backend would use.
class plain_client {
 public:
  explicit plain_client(const redis_server& server) : c_(redisConnect("127.0.0.1", server.port())) {
    if (c_ == nullptr || c_->err != 0)
      throw std::runtime_error("plain_client: cannot connect to redis-server");
  }
  ~plain_client() { redisFree(c_); }
  plain_client(const plain_client&) = delete;
  plain_client& operator=(const plain_client&) = delete;

  // PUBLISH channel text; the number of subscribers Redis delivered it to.
  long long publish(const std::string& channel, const std::string& text) {
    auto* r = static_cast<redisReply*>(redisCommand(c_, "PUBLISH %s %s", channel.c_str(), text.c_str()));
    if (r == nullptr) throw std::runtime_error("plain_client: PUBLISH failed");
    const long long n = r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
    freeReplyObject(r);
    return n;
  }

  // PUBSUB NUMSUB channel: the connections subscribed to it at Redis.
  long long subscribers(const std::string& channel) {
    auto* r = static_cast<redisReply*>(redisCommand(c_, "PUBSUB NUMSUB %s", channel.c_str()));
    if (r == nullptr) throw std::runtime_error("plain_client: PUBSUB NUMSUB failed");
    const long long n = (r->type == REDIS_REPLY_ARRAY && r->elements == 2) ? r->element[1]->integer : -1;
    freeReplyObject(r);
    return n;
  }

 private:
  redisContext* c_;
};

// ---- One node
// -----------------------------------------------------------------------------------------------

TEST(RedisBrokerTest, OneNodeReceivesWhatItPublishes) {
  redis_server server;
  loop_thread loop;
  redis_broker broker(options_for(server));
  subscription orders(loop, broker, "orders");
  ASSERT_TRUE(broker.wait_ready(bound));  // connected, and SUBSCRIBE test:orders confirmed

  ASSERT_EQ(publish(loop, broker, "orders", order(42, 250)), std::nullopt);
  ASSERT_TRUE(orders.wait_for(1));
  EXPECT_EQ(orders.values().at(0), order(42, 250));
  EXPECT_EQ(broker.stats().published, 1u);
  EXPECT_EQ(broker.stats().received, 1u);
  EXPECT_EQ(broker.stats().malformed, 0u);
}

// ---- Two nodes
// ------------------------------------------------------------------------------------------------

TEST(RedisBrokerTest, ASubscriberOnOneNodeReceivesWhatAnotherNodePublishesOnItsTopicOnly) {
  redis_server server;
  loop_thread loop_a;
  loop_thread loop_b;
  redis_broker node_a(options_for(server));
  redis_broker node_b(options_for(server));
  subscription chat(loop_a, node_a, "chat");
  subscription news(loop_a, node_a, "news");
  ASSERT_TRUE(node_a.wait_ready(bound));
  ASSERT_TRUE(node_b.wait_ready(bound));

  ASSERT_EQ(publish(loop_b, node_b, "chat", 1), std::nullopt);
  ASSERT_EQ(publish(loop_b, node_b, "chat", 2), std::nullopt);
  ASSERT_EQ(publish(loop_b, node_b, "news", "marker"), std::nullopt);  // after the chat events, through Redis

  ASSERT_TRUE(chat.wait_for(2));
  ASSERT_TRUE(news.wait_for(1));
  EXPECT_EQ(chat.values(), (std::vector<sluice::value>{1, 2}));
  EXPECT_EQ(news.values(), std::vector<sluice::value>{"marker"});  // the chat events never reached it
  EXPECT_EQ(node_b.stats().published, 3u);
  EXPECT_EQ(node_b.stats().received, 0u);  // node B subscribes to nothing
}

// ---- Reference counting
// -----------------------------------------------------------------------------------------

TEST(RedisBrokerTest, LocalSubscribersOfATopicShareOneRedisSubscription) {
  redis_server server;
  plain_client redis(server);
  loop_thread loop;
  redis_broker broker(options_for(server));
  subscription first(loop, broker, "prices");
  subscription second(loop, broker, "prices");
  ASSERT_TRUE(broker.wait_ready(bound));
  EXPECT_EQ(broker.subscribed_channels(), 1u);
  EXPECT_EQ(redis.subscribers("test:prices"), 1);

  first.stop();
  ASSERT_TRUE(broker.wait_ready(bound));  // the release was applied
  EXPECT_EQ(broker.subscribed_channels(), 1u);
  EXPECT_EQ(redis.subscribers("test:prices"), 1);
  ASSERT_EQ(publish(loop, broker, "prices", 7), std::nullopt);
  ASSERT_TRUE(second.wait_for(1));
  EXPECT_EQ(second.values(), std::vector<sluice::value>{7});
  EXPECT_TRUE(first.values().empty());

  second.stop();
  EXPECT_TRUE(wait_until([&] { return broker.subscribed_channels() == 0; }));
  EXPECT_EQ(redis.subscribers("test:prices"), 0);
  EXPECT_TRUE(broker.wait_ready(bound));  // nothing wanted, nothing missing
}

// ---- Subscribe options
// --------------------------------------------------------------------------------------------

TEST(RedisBrokerTest, FiltersAndOverflowPoliciesApplyToEachSubscriber) {
  redis_server server;
  loop_thread loop;
  redis_broker broker(options_for(server));

  subscribe_options big_orders;
  big_orders.filter = [](const sluice::value& o) { return o.find("total")->as_int() > 100; };
  subscription filtered(loop, broker, "orders", std::move(big_orders));

  // A consumer that takes nothing yet: it keeps the last two events and reports each one it drops.
  std::atomic<std::size_t> overflow_reports{0};
  subscribe_options small_buffer;
  small_buffer.max_queued = 2;
  small_buffer.on_overflow = [&](std::string_view topic, std::size_t dropped) {
    EXPECT_EQ(topic, "orders");
    overflow_reports = dropped;
  };
  subscription slow(loop, broker, "orders", std::move(small_buffer), /*consume_now=*/false);
  ASSERT_TRUE(broker.wait_ready(bound));

  const std::vector<int> totals{50, 150, 20, 300, 101};
  for (std::size_t i = 0; i < totals.size(); ++i) {
    ASSERT_EQ(publish(loop, broker, "orders", order(static_cast<int>(i), totals[i])), std::nullopt);
  }
  ASSERT_TRUE(filtered.wait_for(3));
  EXPECT_EQ(filtered.values(), (std::vector<sluice::value>{order(1, 150), order(3, 300), order(4, 101)}));

  ASSERT_TRUE(wait_until([&] { return overflow_reports.load() == 3; }));
  slow.consume();
  ASSERT_TRUE(slow.wait_for(2));
  EXPECT_EQ(slow.values(), (std::vector<sluice::value>{order(3, 300), order(4, 101)}));
}

// ---- Pipelining
// -----------------------------------------------------------------------------------------------

TEST(RedisBrokerTest, ManyPublishesInFlightAtOnceAllArriveInOrder) {
  redis_server server;
  loop_thread loop_a;
  loop_thread loop_b;
  redis_broker node_a(options_for(server));
  redis_broker node_b(options_for(server));
  subscription feed(loop_a, node_a, "feed");
  ASSERT_TRUE(node_a.wait_ready(bound));
  ASSERT_TRUE(node_b.wait_ready(bound));

  // Started together, without waiting for one another: many PUBLISH wait for their replies at once.
  constexpr int count = 1000;
  std::vector<std::future<void>> outcomes;
  loop_b.run([&] {
    for (int i = 0; i < count; ++i) {
      outcomes.push_back(asio::co_spawn(loop_b.executor(), node_b.publish("feed", i), asio::use_future));
    }
  });
  for (auto& outcome : outcomes) {
    ASSERT_EQ(outcome.wait_for(bound), std::future_status::ready);
    EXPECT_NO_THROW(outcome.get());
  }
  ASSERT_TRUE(feed.wait_for(count));
  std::vector<sluice::value> expected;
  for (int i = 0; i < count; ++i) expected.emplace_back(i);
  EXPECT_EQ(feed.values(), expected);
  EXPECT_EQ(node_b.stats().published, static_cast<std::uint64_t>(count));
  EXPECT_EQ(node_a.stats().received, static_cast<std::uint64_t>(count));
}

TEST(RedisBrokerTest, PublishesWaitingForAFrozenRedisAreBoundedAndFailWhenTheBrokerCloses) {
  redis_server server;
  loop_thread loop;
  redis_options options = options_for(server);
  options.max_pending_publishes = 2;
  options.connect_timeout = 300ms;  // also bounds how long closing waits for replies
  auto broker = std::make_unique<redis_broker>(options);
  ASSERT_TRUE(broker->wait_ready(bound));

  server.pause();
  std::vector<std::future<void>> outcomes;
  loop.run([&] {
    for (int i = 0; i < 3; ++i) {
      outcomes.push_back(asio::co_spawn(loop.executor(), broker->publish("t", i), asio::use_future));
    }
  });
  // Two wait for Redis; the third is refused at once rather than queued.
  ASSERT_EQ(outcomes[2].wait_for(bound), std::future_status::ready);
  try {
    outcomes[2].get();
    ADD_FAILURE() << "a third publish was accepted with max_pending_publishes = 2";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("2 publishes are already waiting"), std::string::npos) << e.what();
  }
  EXPECT_EQ(outcomes[0].wait_for(100ms), std::future_status::timeout);
  server.resume();
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(outcomes[i].wait_for(bound), std::future_status::ready);
    EXPECT_NO_THROW(outcomes[i].get());
  }

  // Frozen again with a publish waiting: closing the broker does not wait for Redis for ever, and the
  // publisher hears that its event may not have been published.
  server.pause();
  std::future<void> pending;
  loop.run([&] { pending = asio::co_spawn(loop.executor(), broker->publish("t", 9), asio::use_future); });
  EXPECT_EQ(pending.wait_for(100ms), std::future_status::timeout);
  const auto closing = std::chrono::steady_clock::now();
  broker.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - closing, 2s);
  ASSERT_EQ(pending.wait_for(bound), std::future_status::ready);
  try {
    pending.get();
    ADD_FAILURE() << "a publish Redis never answered succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("before Redis acknowledged the PUBLISH"), std::string::npos)
        << e.what();
  }
  server.resume();
}

// ---- Redis down
// ------------------------------------------------------------------------------------------------------

TEST(RedisBrokerTest, PublishingWhileRedisIsDownThrowsAndNeverHangs) {
  redis_server server;
  loop_thread loop;
  redis_broker broker(options_for(server));
  ASSERT_TRUE(broker.wait_ready(bound));
  server.stop();

  // The first may still go out on the connection Redis is closing; either way each one fails, promptly.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const auto started = std::chrono::steady_clock::now();
    const auto failure = publish(loop, broker, "orders", order(attempt, 1));
    ASSERT_TRUE(failure.has_value()) << "publish " << attempt << " succeeded with Redis down";
    EXPECT_NE(failure->find("redis"), std::string::npos) << *failure;
    EXPECT_NE(failure->find("not"), std::string::npos)
        << *failure;  // not connected / may not have been published
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  }
  EXPECT_EQ(broker.stats().published, 0u);
  EXPECT_FALSE(broker.wait_ready(100ms));
}

TEST(RedisBrokerTest, PublishingWithoutRedisSaysWhereAndWhy) {
  std::uint16_t port = 0;
  {
    redis_server gone;  // a port where Redis was and no longer is
    port = gone.port();
  }
  loop_thread loop;
  redis_options options;
  options.url = "redis://127.0.0.1:" + std::to_string(port);
  redis_broker broker(options);
  EXPECT_FALSE(broker.wait_ready(300ms));
  const auto failure = publish(loop, broker, "orders", 1);
  ASSERT_TRUE(failure.has_value());
  EXPECT_NE(failure->find("redis: not connected to 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << *failure;
  EXPECT_NE(failure->find("the event was not published"), std::string::npos) << *failure;
}

// A TCP listener that never accepts nor answers: connections are made (by the kernel) and then nothing
// happens.
class silent_listener {
 public:
  silent_listener() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 64) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      throw std::runtime_error("silent_listener: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(a.sin_port);
  }
  ~silent_listener() { ::close(fd_); }
  silent_listener(const silent_listener&) = delete;
  silent_listener& operator=(const silent_listener&) = delete;
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

 private:
  int fd_;
  std::uint16_t port_ = 0;
};

TEST(RedisBrokerTest, AServerThatNeverAnswersTimesOutAfterConnectTimeout) {
  silent_listener silent;
  loop_thread loop;
  redis_options options;
  options.url = "redis://:password@127.0.0.1:" + std::to_string(silent.port());  // AUTH waits for an answer
  options.connect_timeout = 200ms;
  redis_broker broker(options);
  EXPECT_FALSE(broker.wait_ready(600ms));
  const auto failure = publish(loop, broker, "orders", 1);
  ASSERT_TRUE(failure.has_value());
  EXPECT_NE(failure->find("connect timed out after 200 ms"), std::string::npos) << *failure;
}

// ---- Restart
// ------------------------------------------------------------------------------------------------------

TEST(RedisBrokerTest, AfterARedisRestartEventsFlowAgainWithinTwoSecondsAndTheGapIsCounted) {
  redis_server server;
  loop_thread loop_a;
  loop_thread loop_b;
  redis_broker node_a(options_for(server));
  redis_broker node_b(options_for(server));
  subscription chat(loop_a, node_a, "chat");
  ASSERT_TRUE(node_a.wait_ready(bound));
  ASSERT_TRUE(node_b.wait_ready(bound));
  ASSERT_EQ(publish(loop_b, node_b, "chat", "before"), std::nullopt);
  ASSERT_TRUE(chat.wait_for(1));

  server.stop();
  std::this_thread::sleep_for(500ms);  // both nodes try to reconnect meanwhile, and fail, backing off
  server.start();                      // same port; returns once it accepts connections
  const auto restarted = std::chrono::steady_clock::now();

  // Events published before node A subscribed again are lost (that is the gap): publish until one arrives.
  std::optional<std::chrono::steady_clock::duration> first_arrival;
  for (int i = 0; i < 250 && !first_arrival; ++i) {
    (void)publish(loop_b, node_b, "chat", i);  // fails while node B is still reconnecting
    if (chat.wait_for(2, 20ms)) first_arrival = std::chrono::steady_clock::now() - restarted;
  }
  ASSERT_TRUE(first_arrival.has_value()) << "no event arrived after the restart";
  EXPECT_LT(*first_arrival, 2s);
  EXPECT_EQ(node_a.stats().gaps, 1u);
  EXPECT_GE(node_a.stats().reconnects, 1u);
  // Node B's subscriber connection (with nothing on it) was lost too, and comes back on its own schedule.
  EXPECT_TRUE(wait_until([&] { return node_b.stats().gaps == 1; }));
  EXPECT_TRUE(node_a.wait_ready(bound));
  EXPECT_EQ(node_a.subscribed_channels(), 1u);
}

// ---- Payloads from other backends
// -----------------------------------------------------------------------------------

TEST(RedisBrokerTest, APayloadThatIsNotJsonArrivesAsAStringAndIsCountedAsMalformed) {
  redis_server server;
  plain_client backend(server);
  loop_thread loop;
  redis_broker broker(options_for(server, "app:"));
  subscription raw(loop, broker, "raw");
  ASSERT_TRUE(broker.wait_ready(bound));

  EXPECT_EQ(backend.publish("app:raw", "hello world"), 1);
  EXPECT_EQ(backend.publish("app:raw", R"({"id":1,"tags":["a"]})"), 1);
  ASSERT_TRUE(raw.wait_for(2));
  const auto got = raw.values();
  ASSERT_TRUE(got.at(0).is_string());
  EXPECT_EQ(got.at(0).as_string(), "hello world");
  ASSERT_TRUE(got.at(1).is_object());
  EXPECT_EQ(got.at(1).find("id")->as_int(), 1);
  EXPECT_EQ(broker.stats().received, 2u);
  EXPECT_EQ(broker.stats().malformed, 1u);
}

// ---- URLs
// ---------------------------------------------------------------------------------------------------------

TEST(RedisBrokerTest, AUrlThatIsNotARedisUrlIsRejected) {
  for (const char* url :
       {"http://127.0.0.1:6379", "rediss://127.0.0.1:6379", "redis://", "not a url",
        "redis://127.0.0.1:99999", "redis://127.0.0.1:6379/db", "redis://127.0.0.1:6379/1?x=y"}) {
    redis_options options;
    options.url = url;
    EXPECT_THROW(redis_broker broker(options), std::invalid_argument) << url;
  }
  redis_options secret;
  secret.url = "http://:hunter2@127.0.0.1";
  try {
    redis_broker broker(secret);
    ADD_FAILURE() << "accepted " << secret.url;
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();  // never in a message
  }
}

TEST(RedisBrokerTest, ThePasswordAndDatabaseOfTheUrlAreUsed) {
  redis_server server({"--requirepass", "s3cret"});
  loop_thread loop;

  redis_options right = options_for(server);
  right.url = "redis://:s3cret@127.0.0.1:" + std::to_string(server.port()) + "/2";
  redis_broker broker(right);
  subscription chat(loop, broker, "chat");
  ASSERT_TRUE(broker.wait_ready(bound));
  ASSERT_EQ(publish(loop, broker, "chat", "hi"), std::nullopt);
  ASSERT_TRUE(chat.wait_for(1));
  EXPECT_EQ(chat.values(), std::vector<sluice::value>{"hi"});

  redis_options wrong = right;
  wrong.url = "redis://:nope@127.0.0.1:" + std::to_string(server.port());
  redis_broker refused(wrong);
  EXPECT_FALSE(refused.wait_ready(300ms));
  const auto failure = publish(loop, refused, "chat", "hi");
  ASSERT_TRUE(failure.has_value());
  EXPECT_NE(failure->find("AUTH failed"), std::string::npos) << *failure;
}

}  // namespace
