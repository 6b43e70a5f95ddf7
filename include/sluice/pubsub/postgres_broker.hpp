// postgres_broker: publish/subscribe across the nodes of a cluster through PostgreSQL's LISTEN / NOTIFY, driven
// by libpq's asynchronous API on an Asio event loop of its own. Subscribers on this node are served by an
// in-process broker; PostgreSQL carries events between nodes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "sluice/pubsub/broker.hpp"

namespace sluice::pubsub {

struct postgres_options {
  // A libpq connection string: a URI (postgres://user:password@host:port/db) or key=value pairs.
  std::string conninfo = "postgres://127.0.0.1:5432/postgres";
  // The one NOTIFY channel every topic travels on (the payload names the topic): every node LISTENs to it and
  // delivers to its own subscribers of the topic.
  std::string channel = "sluice";
  std::chrono::milliseconds connect_timeout{2'000};
  // After a lost connection: the first attempt to reconnect after reconnect_min, then twice as long each time,
  // at most reconnect_max apart.
  std::chrono::milliseconds reconnect_min{50};
  std::chrono::milliseconds reconnect_max{1'000};
  std::size_t max_pending_publishes = 10'000;  // beyond it publish() throws rather than queue without bound
};

struct postgres_stats {
  std::uint64_t published = 0;   // NOTIFYs PostgreSQL accepted
  std::uint64_t received = 0;    // notifications received
  std::uint64_t malformed = 0;   // notifications on the channel that are not a Sluice envelope (dropped)
  std::uint64_t gaps = 0;        // times the listening connection was lost and later restored (a warning each)
  std::uint64_t reconnects = 0;  // connections re-established after a loss
};

// Thread-safe like redis_broker. A NOTIFY payload is at most 7999 bytes (PostgreSQL's limit): publish() refuses a
// larger event (the topic and the payload's JSON together) with an exception that says so, before sending it.
class postgres_broker final : public broker {
 public:
  // Starts connecting at once (on its own I/O thread).
  explicit postgres_broker(postgres_options options);
  ~postgres_broker() override;
  postgres_broker(const postgres_broker&) = delete;
  postgres_broker& operator=(const postgres_broker&) = delete;

  // Completes once PostgreSQL accepted the NOTIFY; throws std::runtime_error (with the reason) when the payload is
  // too large, PostgreSQL is not connected, the connection drops before the reply, or too many are pending.
  [[nodiscard]] boost::asio::awaitable<void> publish(std::string topic, sluice::value payload) override;

  [[nodiscard]] execution::event_stream subscribe(boost::asio::any_io_executor loop, std::string topic,
                                                  subscribe_options options = {}) override;

  // Blocks (at most `timeout`) until both connections are up and the channel is LISTENed to; true when so.
  [[nodiscard]] bool wait_ready(std::chrono::milliseconds timeout) const;

  [[nodiscard]] postgres_stats stats() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace sluice::pubsub
