// redis_connection: one Redis connection: connect, AUTH/SELECT, loss, reconnect with backoff.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "redis_url.hpp"
#include "sluice/pubsub/redis_broker.hpp"

struct redisAsyncContext;

namespace sluice::pubsub::detail {

class redis_connection;

// What a connection tells its owner (on the I/O thread).
class redis_connection_owner {
 public:
  virtual ~redis_connection_owner() = default;
  // Connected and handshake done: commands may be sent. `after_loss`: the connection had been ready before
  // and was lost; it was down for `down_for` (from the loss to now).
  virtual void connection_ready(redis_connection& c, bool after_loss,
                                std::chrono::steady_clock::duration down_for) = 0;
  // A ready connection was lost (already logged); it reconnects by itself.
  virtual void connection_lost(redis_connection& c) = 0;
};

// Every member function runs on the io_context's thread. The hiredis context exists from an attempt until
// hiredis frees it (a failure, a loss, a timeout, stop()); a new attempt starts only after that, from a
// timer.
class redis_connection {
 public:
  enum class role : std::uint8_t { subscriber, publisher };

  redis_connection(boost::asio::io_context& io, const redis_endpoint& endpoint, const redis_options& options,
                   role r, redis_connection_owner& owner);
  ~redis_connection();
  redis_connection(const redis_connection&) = delete;
  redis_connection& operator=(const redis_connection&) = delete;

  // The first attempt to connect.
  void start();
  // For good: no more attempts. A ready connection disconnects once its pending replies arrived (bounded by
  // connect_timeout, then it is freed anyway: pending callbacks get no reply); any other is freed at once.
  void stop();

  // Connected and handshake done.
  [[nodiscard]] bool ready() const noexcept { return state_ == state::ready && ac_ != nullptr; }
  // The context to send commands on, when ready(); nullptr otherwise.
  [[nodiscard]] redisAsyncContext* context() const noexcept { return ready() ? ac_ : nullptr; }
  // No hiredis context exists (after stop(): the connection is closed).
  [[nodiscard]] bool closed() const noexcept { return ac_ == nullptr; }
  // Why the last attempt or connection ended (empty before the first one ended).
  [[nodiscard]] const std::string& last_error() const noexcept { return last_error_; }
  // Why `ac` (this connection's context, being freed or failing) is going away: for callbacks that get no
  // reply.
  [[nodiscard]] std::string closing_reason(const redisAsyncContext* ac) const;
  [[nodiscard]] std::string_view name() const noexcept;
  [[nodiscard]] role kind() const noexcept { return role_; }

 private:
  enum class state : std::uint8_t {
    down,        // no context: waiting to retry (or stopped)
    connecting,  // a context: connect or handshake in progress
    ready,
  };

  void attempt();
  void connected();
  void handshake_reply(const redisAsyncContext* ac, const void* reply);
  void become_ready();
  void freed(const redisAsyncContext* ac);
  void after_close(std::uint64_t generation, const std::string& reason);
  void failed_attempt(std::string reason);
  void schedule_retry();

  static void on_connect(const redisAsyncContext* ac, int status);
  static void on_handshake_reply(redisAsyncContext* ac, void* reply, void* privdata);
  static void on_freed(void* arg, redisAsyncContext* ac);

  boost::asio::io_context& io_;
  const redis_endpoint& endpoint_;
  const redis_options& options_;
  const role role_;
  redis_connection_owner& owner_;

  redisAsyncContext* ac_ = nullptr;
  state state_ = state::down;
  std::uint64_t generation_ = 0;       // attempts so far: timers of an older attempt do nothing
  std::deque<std::string> handshake_;  // commands sent on connect whose reply has not come yet
  std::string close_reason_;           // why we are freeing the context ourselves (a timeout, a refused AUTH)
  std::string last_error_;
  boost::asio::steady_timer deadline_;  // connect_timeout of an attempt; the bound on a gentle stop()
  boost::asio::steady_timer retry_;
  std::chrono::milliseconds backoff_;
  std::uint64_t failures_ = 0;  // failed attempts in a row
  bool lost_ = false;           // was ready, lost, not ready again yet
  bool stopping_ = false;
  std::chrono::steady_clock::time_point down_since_;
};

}  // namespace sluice::pubsub::detail
