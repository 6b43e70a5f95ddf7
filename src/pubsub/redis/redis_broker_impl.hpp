// redis_broker_impl: a redis_broker's state: I/O thread, connections, channel counts and counters.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "publish_waiter.hpp"
#include "redis_connection.hpp"
#include "redis_url.hpp"
#include "sluice/pubsub/memory_broker.hpp"
#include "sluice/pubsub/redis_broker.hpp"

struct redisAsyncContext;
struct redisReply;

namespace sluice::pubsub {

// Threading: everything below "I/O thread only" is touched by handlers of io_ alone, which one thread
// (thread_) runs; other threads post to it. Redis messages go to local subscribers through memory_ (its
// post() is the delivery path: no lock here). The mutex guards only what wait_ready() reads.
struct redis_broker::impl final : detail::redis_connection_owner {
  // Parses the URL (std::invalid_argument when it is not a redis:// URL) and starts the I/O thread, which
  // starts connecting.
  explicit impl(redis_options options);
  ~impl() override;
  impl(const impl&) = delete;
  impl& operator=(const impl&) = delete;

  // Stops reconnecting, closes both connections, lets the loop finish and joins the I/O thread. Idempotent;
  // never on the I/O thread.
  void shutdown();

  // Any thread: one more (+1) or one less (-1) local subscriber needs `channel`. The I/O thread keeps the
  // exact count and sends SUBSCRIBE on 0 -> 1 and UNSUBSCRIBE on 1 -> 0.
  void change_interest(std::string channel, int delta);

  // Any thread: PUBLISH channel text, sent from the I/O thread; `waiter` completes with Redis's answer or an
  // error (not connected, too many pending, connection lost before the reply, an error reply).
  void start_publish(std::string channel, std::string text, std::unique_ptr<detail::publish_waiter> waiter);

  [[nodiscard]] bool wait_ready(std::chrono::milliseconds timeout) const;
  [[nodiscard]] std::size_t subscribed_channels() const noexcept;
  [[nodiscard]] redis_stats stats() const noexcept;

  [[nodiscard]] std::string channel_of(std::string_view topic) const;
  [[nodiscard]] memory_broker& local() noexcept { return memory_; }

 private:
  struct pending_publish;

  // redis_connection_owner (I/O thread)
  void connection_ready(detail::redis_connection& c, bool after_loss,
                        std::chrono::steady_clock::duration down_for) override;
  void connection_lost(detail::redis_connection& c) override;

  // I/O thread
  void apply_interest(const std::string& channel, int delta);
  void subscribe_all();
  void send_subscription(const char* command, const std::vector<const std::string*>& channels);
  void confirm(std::string channel, bool subscribed);
  void subscriber_reply(const redisReply* reply);
  void deliver(std::string_view channel, std::string_view text);
  void send_publish(std::string channel, std::string text, std::unique_ptr<detail::publish_waiter> waiter);
  void publish_replied(const redisAsyncContext* ac, const redisReply* reply, pending_publish& p);
  [[nodiscard]] std::string not_connected_message() const;
  void update_ready();

  static void on_subscriber_reply(redisAsyncContext* ac, void* reply, void* privdata);
  static void on_publish_reply(redisAsyncContext* ac, void* reply, void* privdata);

  const redis_options options_;
  const detail::redis_endpoint endpoint_;
  memory_broker memory_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  detail::redis_connection subscriber_;
  detail::redis_connection publisher_;

  // I/O thread only.
  std::unordered_map<std::string, std::size_t> wanted_;  // channel -> local subscribers (never 0: erased)
  std::unordered_set<std::string> confirmed_;            // subscribed at Redis (its replies), this connection
  std::size_t missing_ = 0;                              // wanted and not confirmed
  std::size_t pending_publishes_ = 0;                    // sent, not answered
  std::uint64_t applied_changes_ = 0;                    // change_interest() calls applied
  bool stopping_ = false;
  bool warned_malformed_ = false;

  // Any thread.
  std::atomic<std::uint64_t> requested_changes_{0};  // change_interest() calls made
  std::atomic<std::size_t> subscribed_{0};           // confirmed_.size()
  std::atomic<std::uint64_t> published_{0};
  std::atomic<std::uint64_t> received_{0};
  std::atomic<std::uint64_t> malformed_{0};
  std::atomic<std::uint64_t> gaps_{0};
  std::atomic<std::uint64_t> reconnects_{0};

  // What wait_ready() waits for, computed on the I/O thread.
  mutable std::mutex ready_mutex_;
  mutable std::condition_variable ready_cv_;
  bool ready_ = false;             // both connections ready, every wanted channel confirmed
  std::uint64_t ready_as_of_ = 0;  // applied_changes_ when ready_ was computed

  std::thread thread_;  // last: started when everything else exists
};

}  // namespace sluice::pubsub
