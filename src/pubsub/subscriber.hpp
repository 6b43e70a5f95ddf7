// subscriber: one subscription's stream source, a bounded queue of events with an overflow policy.
#pragma once

#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include "sluice/execution/event_stream.hpp"
#include "sluice/pubsub/broker.hpp"

namespace sluice::pubsub::detail {

class shard;

// Lives on its shard's loop: every member function runs there (stop() and destruction included), so the shard's
// index may hold a plain pointer to it. It is in the index from construction until stop(), failure or destruction.
class subscriber final : public execution::event_stream::source,
                         public std::enable_shared_from_this<subscriber> {
 public:
  subscriber(std::shared_ptr<shard> home, std::string topic, subscribe_options options,
             std::uint64_t first_sequence);
  ~subscriber() override;
  subscriber(const subscriber&) = delete;
  subscriber& operator=(const subscriber&) = delete;

  [[nodiscard]] const std::string& topic() const noexcept { return topic_; }

  // event_stream::source
  void next(execution::event_stream::next_handler done) override;
  void stop() noexcept override;

  // From the shard, on the loop: one published event (skipped when published before this subscription).
  void deliver(const std::shared_ptr<const sluice::value>& payload, std::uint64_t sequence) noexcept;

 private:
  enum class phase : std::uint8_t {
    open,    // subscribed
    failed,  // unsubscribed; the next next() reports failure_
    ended,   // unsubscribed; next() reports the end
  };

  void overflow();
  void fail(std::exception_ptr error) noexcept;
  void unsubscribe() noexcept;
  void release() noexcept;
  [[nodiscard]] execution::event_stream::next_handler take_waiting() noexcept;

  std::shared_ptr<shard> home_;  // null once unsubscribed
  std::string topic_;
  subscribe_options options_;
  std::uint64_t first_sequence_;
  std::deque<std::shared_ptr<const sluice::value>> queue_;  // never longer than options_.max_queued
  execution::event_stream::next_handler waiting_;  // a pending next() (then queue_ is empty)
  std::exception_ptr failure_;
  std::size_t dropped_ = 0;
  phase phase_ = phase::open;
  bool in_callback_ = false;  // a filter or on_overflow runs: it must not be destroyed under its own feet
};

}  // namespace sluice::pubsub::detail
