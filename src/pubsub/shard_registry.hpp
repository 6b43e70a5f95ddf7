// shard_registry: a memory_broker's shards (one per event loop with subscribers), its sequence and counters.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "shard.hpp"

namespace sluice::pubsub::detail {

// A broker's shards, one per loop with subscribers, copy-on-write: post() reads them without copying the list.
class shard_registry {
 public:
  using shard_list = std::vector<std::shared_ptr<shard>>;

  // What post() needs: the shards and the event's sequence number, under the mutex, in O(1) (one shared_ptr copy,
  // whatever the number of loops). The mutex is held for a few instructions, never while delivering.
  struct snapshot {
    std::shared_ptr<const shard_list> shards;
    std::uint64_t sequence;
  };
  [[nodiscard]] snapshot next_publication();

  // The subscribe path: the loop's shard (created and registered when absent), and the sequence number the new
  // subscriber starts from.
  struct membership {
    std::shared_ptr<shard> loop_shard;
    std::uint64_t first_sequence;
  };
  [[nodiscard]] membership join(const boost::asio::any_io_executor& loop, std::shared_ptr<shard_registry> self);

  [[nodiscard]] std::shared_ptr<shard> find(const boost::asio::any_io_executor& loop) const;
  void leave(const shard* s) noexcept;
  // Forgets every shard (the broker is going away). Returns how many were still registered.
  std::size_t clear() noexcept;

  void count_drop() noexcept { dropped_.fetch_add(1, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const shard_list> shards_ = std::make_shared<const shard_list>();
  std::uint64_t next_sequence_ = 0;
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace sluice::pubsub::detail
