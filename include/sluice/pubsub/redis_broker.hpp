// redis_broker: publish/subscribe across the nodes of a cluster through Redis (PUBLISH / SUBSCRIBE), driven by
// hiredis on an Asio event loop of its own. Subscribers on this node are served by an in-process broker; Redis
// carries events between nodes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "sluice/pubsub/broker.hpp"

namespace sluice::pubsub {

struct redis_options {
  // redis://[:password@]host[:port][/db] (host: a name or an address; port 6379 by default).
  std::string url = "redis://127.0.0.1:6379";
  // Prepended to a topic to make its Redis channel (topic "chat:general" with prefix "app:" is channel
  // "app:chat:general"). Empty: the topic is the channel, so backends can PUBLISH to it directly.
  std::string channel_prefix;
  std::chrono::milliseconds connect_timeout{2'000};
  // After a lost connection: the first attempt to reconnect after reconnect_min, then twice as long each time,
  // at most reconnect_max apart.
  std::chrono::milliseconds reconnect_min{50};
  std::chrono::milliseconds reconnect_max{1'000};
  // Publishes sent and not yet acknowledged by Redis; beyond it publish() throws rather than queue without bound.
  std::size_t max_pending_publishes = 10'000;
};

// Counters since the broker was made (a snapshot; readable from any thread).
struct redis_stats {
  std::uint64_t published = 0;   // publishes Redis acknowledged
  std::uint64_t received = 0;    // messages received from Redis (on channels this node subscribes to)
  std::uint64_t malformed = 0;   // messages whose payload was not JSON (delivered as a string value)
  std::uint64_t gaps = 0;        // times the subscriber connection was lost and later restored: events published
                                 // in between were not received (each is also a warning in the log)
  std::uint64_t reconnects = 0;  // connections (either one) re-established after a loss
};

// Thread-safe: publish() and subscribe() may be called from any event loop (subscribe's rules are memory_broker's).
// Payloads travel as JSON text. A channel is subscribed at Redis while any subscriber on this node needs it
// (reference-counted SUBSCRIBE / UNSUBSCRIBE); events published before Redis confirmed the SUBSCRIBE are not
// received. On a lost connection it reconnects with backoff and subscribes every channel again, and reports the
// gap (a log line and stats().gaps). publish() while Redis is unreachable throws: an event is never lost silently.
class redis_broker final : public broker {
 public:
  // Starts connecting at once (on its own I/O thread); it need not be connected yet to be used.
  explicit redis_broker(redis_options options);
  // Closes both connections and joins the I/O thread. Every stream must have ended before.
  ~redis_broker() override;
  redis_broker(const redis_broker&) = delete;
  redis_broker& operator=(const redis_broker&) = delete;

  // Completes once Redis acknowledged the PUBLISH; throws std::runtime_error (with the reason) when Redis is not
  // connected, the connection drops before the reply, or too many publishes are pending.
  [[nodiscard]] boost::asio::awaitable<void> publish(std::string topic, sluice::value payload) override;

  [[nodiscard]] execution::event_stream subscribe(boost::asio::any_io_executor loop, std::string topic,
                                                  subscribe_options options = {}) override;

  // Blocks (at most `timeout`) until both connections are up and every channel wanted so far is subscribed at
  // Redis; true when so. For start-up and tests.
  [[nodiscard]] bool wait_ready(std::chrono::milliseconds timeout) const;

  // Channels subscribed at Redis right now (confirmed by Redis).
  [[nodiscard]] std::size_t subscribed_channels() const;

  [[nodiscard]] redis_stats stats() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace sluice::pubsub
