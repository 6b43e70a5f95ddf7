// memory_broker: the in-process pub/sub broker (the default for one node), one shard per event loop.
#pragma once

#include <cstdint>
#include <memory>

#include "sluice/pubsub/broker.hpp"

namespace sluice::pubsub {

namespace detail {
class shard_registry;
}

// Delivers events within one process, across any number of event-loop threads, with no locks on the delivery
// path: each loop with subscribers has a shard (its own topic index, touched on that loop only), and post() hands
// one shared, immutable copy of the payload to every shard through its loop's queue.
//
// Threading rules:
// - post() and publish() may be called from any thread.
// - subscribe(loop, ...) is called on `loop` (or while `loop` is not running); a loop is an executor whose
//   handlers never run concurrently (an io_context run by one thread, or a strand).
// - A stream is stopped or destroyed on its own loop (or while that loop is not running).
// - Every stream ends before the broker is destroyed (asserted in debug builds), and a loop is destroyed only
//   when no post() can be running (in practice: after the broker, or after the publishers stopped).
class memory_broker final : public broker {
 public:
  memory_broker();
  ~memory_broker() override;
  memory_broker(const memory_broker&) = delete;
  memory_broker& operator=(const memory_broker&) = delete;

  // Hands the payload to every loop that has subscribers, from any thread; returns without waiting for delivery.
  void post(std::string topic, sluice::value payload);

  // post() as an awaitable.
  [[nodiscard]] boost::asio::awaitable<void> publish(std::string topic, sluice::value payload) override;

  [[nodiscard]] execution::event_stream subscribe(boost::asio::any_io_executor loop, std::string topic,
                                                  subscribe_options options = {}) override;

  // Topics with subscribers on that loop (0 for a loop without subscribers). Call it on that loop, or while the
  // loop is not running.
  [[nodiscard]] std::size_t topic_count(const boost::asio::any_io_executor& loop) const;

  // Events dropped by drop_oldest across every subscriber so far.
  [[nodiscard]] std::uint64_t dropped() const;

 private:
  std::shared_ptr<detail::shard_registry> registry_;
};

}  // namespace sluice::pubsub
