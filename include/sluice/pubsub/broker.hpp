// broker: the publish/subscribe interface that subscription resolvers read topics from and mutations publish to.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "sluice/core/value.hpp"
#include "sluice/execution/event_stream.hpp"

namespace sluice::pubsub {

// How one subscriber's stream buffers and selects events.
struct subscribe_options {
  // Events buffered for this subscriber (not yet taken by next()) before the overflow policy applies.
  std::size_t max_queued = 1024;
  execution::overflow_policy overflow = execution::overflow_policy::drop_oldest;
  // Optional: events for which it returns false are not delivered. Evaluated per event and subscriber, on the
  // subscriber's loop. If it throws, the stream ends with that exception.
  std::function<bool(const sluice::value& payload)> filter;
  // Optional report hook, called on the subscriber's loop whenever drop_oldest drops an event, with the number
  // this subscriber has dropped so far. If it throws, the stream ends with that exception.
  std::function<void(std::string_view topic, std::size_t dropped_total)> on_overflow;
};

// A publish/subscribe broker: topics are strings, payloads are sluice::value.
class broker {
 public:
  broker() = default;
  broker(const broker&) = delete;
  broker& operator=(const broker&) = delete;
  virtual ~broker() = default;

  // Delivers payload to every current subscriber of topic (on every node, for distributed brokers). Completes
  // when the broker has accepted it; throws (an exception with a clear message) when it cannot, never losing it
  // silently.
  [[nodiscard]] virtual boost::asio::awaitable<void> publish(std::string topic, sluice::value payload) = 0;

  // A stream of the topic's payloads, consumed on `loop` (the calling event loop). Events published after this
  // call returns are delivered in publish order (per publisher). Destroying/stopping the stream unsubscribes at
  // once.
  [[nodiscard]] virtual execution::event_stream subscribe(boost::asio::any_io_executor loop, std::string topic,
                                                          subscribe_options options = {}) = 0;
};

}  // namespace sluice::pubsub
