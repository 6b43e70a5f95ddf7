// connection: one libpq connection driven asynchronously on an Asio event loop, reconnecting by itself.
#pragma once

#include <libpq-fe.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::pubsub::detail::pg {

struct connection_options {
  std::string conninfo;
  std::chrono::milliseconds connect_timeout{2'000};
  std::chrono::milliseconds reconnect_min{50};
  std::chrono::milliseconds reconnect_max{1'000};
};

// How a query ended.
struct query_outcome {
  enum class kind {
    ok,        // PostgreSQL answered with success
    failed,    // PostgreSQL answered with an error (message: its reason)
    lost,      // sent, but the connection was lost before the answer: it may or may not have run
    not_sent,  // never sent: the connection was lost or closed first, or libpq refused to send it
  };
  kind status = kind::ok;
  std::string message;
};

using query_done = std::function<void(query_outcome)>;

// Every member is used on the io_context's thread only (it is constructed elsewhere, before that thread runs
// it). The callbacks run there too; they may call query() but must not destroy the connection.
class connection {
 public:
  struct callbacks {
    // The connection is up: the first time (`again` false) or after a loss (`again` true).
    std::function<void(bool again)> up;
    // An attempt to connect failed (`was_up` false) or the connection was lost (`was_up` true). The next
    // attempt is already scheduled: reconnect_min after a connection that had been up at least reconnect_max,
    // else twice the previous delay, at most reconnect_max.
    std::function<void(const std::string& reason, bool was_up)> down;
    std::function<void(const PGnotify& notification)> notification;
  };

  connection(boost::asio::io_context& io, std::string name, connection_options options, callbacks cb);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Starts the first attempt to connect.
  void start();
  // Stops for good: no more attempts; the connection is closed (PQfinish) and queries not answered yet end as
  // not_sent (those in flight as lost). No callback other than theirs runs.
  void close() noexcept;

  [[nodiscard]] bool is_up() const { return state_ == state::up; }
  [[nodiscard]] const std::string& name() const { return name_; }

  // Queues a query (sent when the one before it was answered). Only while up; `done` runs once, on this
  // thread, never inside this call.
  void query(std::string sql, std::vector<std::string> params, query_done done);

  // The identifier quoted for SQL (PQescapeIdentifier); nullopt when not up or libpq refuses it.
  [[nodiscard]] std::optional<std::string> quote_identifier(std::string_view identifier) const;

  // Drops the connection as if it were lost (the reason is reported to `down`), then reconnects.
  void reset(const std::string& reason);

 private:
  enum class state { idle, connecting, up, waiting, closed };

  struct pending_query {
    std::string sql;
    std::vector<std::string> params;
    query_done done;
    std::optional<std::string> error;  // the first error result received
  };

  void attempt();
  void poll_connect(PostgresPollingStatusType status);
  void connected();
  void drop(const std::string& reason);
  void release_socket() noexcept;
  bool watch_socket();
  // Ends the libpq connection, its socket and its timer; what was pending becomes stale.
  void disconnect() noexcept;
  void wait_readable();
  void wait_writable();
  // One wait on the socket for `what` at a time (`pending` says one is on); then `then()`, unless the connection
  // was dropped or reset meanwhile, or the wait failed (a socket error drops the connection).
  template <typename Then>
  void wait_for(boost::asio::posix::stream_descriptor::wait_type what, bool& pending, Then then);
  void on_readable();
  void send_next();
  void flush();
  void drain();
  void fail_queries(const std::string& reason, query_outcome::kind in_flight_kind,
                    query_outcome::kind queued_kind);
  [[nodiscard]] std::string error_text() const;
  static void on_notice(void* self, const PGresult* result);

  boost::asio::io_context& io_;
  std::string name_;
  connection_options options_;
  callbacks callbacks_;
  boost::asio::posix::stream_descriptor socket_;
  boost::asio::steady_timer timer_;  // the connect timeout, or the delay before the next attempt
  PGconn* conn_ = nullptr;
  state state_ = state::idle;
  std::uint64_t generation_ = 0;  // bumped whenever the connection is dropped: older handlers then do nothing
  std::chrono::milliseconds backoff_;  // the delay before the next attempt
  std::chrono::steady_clock::time_point up_since_;
  bool ever_up_ = false;
  bool reading_ = false;
  bool writing_ = false;
  std::string
      last_fatal_;  // the server's last FATAL message (it says why it is about to close the connection)
  std::optional<pending_query> in_flight_;
  std::deque<pending_query> queue_;
};

}  // namespace sluice::pubsub::detail::pg
