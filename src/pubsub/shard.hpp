// shard: one event loop's part of a memory_broker: the subscribers of that loop by topic, and delivery to them.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/core/value.hpp"
#include "topic_index.hpp"

namespace sluice::pubsub::detail {

class shard_registry;
class subscriber;

// One published event, shared (immutable) by every shard and every subscriber queue that holds it.
struct message {
  std::string topic;
  sluice::value payload;
  std::uint64_t sequence;  // publish order across the broker: a subscriber skips events published before it
};

// The subscribers of one event loop. Everything but deliver_later() runs on that loop only, so no locks.
class shard {
 public:
  shard(boost::asio::any_io_executor loop, std::shared_ptr<shard_registry> registry);
  shard(const shard&) = delete;
  shard& operator=(const shard&) = delete;

  [[nodiscard]] const boost::asio::any_io_executor& loop() const noexcept { return loop_; }

  // Any thread: queues the message's delivery on the shard's loop (the shard lives until it ran).
  static void deliver_later(const std::shared_ptr<shard>& self, std::shared_ptr<const message> m);

  // On the loop:
  void add(std::string_view topic, subscriber* s) { index_.add(topic, s); }
  // Unsubscribes `s`; a shard left without subscribers leaves the registry (the next subscribe makes a new one).
  void remove(subscriber* s) noexcept;
  void leave_if_empty() noexcept;
  void count_drop() noexcept;
  [[nodiscard]] std::size_t topic_count() const noexcept { return index_.topic_count(); }

 private:
  void deliver(const std::shared_ptr<const message>& m) noexcept;

  boost::asio::any_io_executor loop_;
  std::shared_ptr<shard_registry> registry_;  // the cycle back to the registry ends when the shard leaves it
  topic_index index_;
};

}  // namespace sluice::pubsub::detail
