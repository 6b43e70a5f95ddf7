// GraphQL over SSE, single connection mode: where reservations (a token, an optional open stream) and the
// operations running for them live. Behind an interface so that a cluster can keep them in a shared store (Redis)
// and let any node serve any request of a reservation; make_memory_reservation_store() is the one-process store.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace sluice::transport::sse {

// The open event stream of a reservation, as the store sees it. The store may call it from any thread, with its
// own lock held: implementations hand the work to their own event loop and return at once.
class stream_sink {
 public:
  virtual ~stream_sink() = default;
  // One formatted event (next_event / complete_event of single.hpp), to be written after the ones before it.
  virtual void send(std::string event) = 0;
  // The reservation ended from elsewhere (replaced by a new one, expired, or the server stops): end the response
  // once what was sent before is written.
  virtual void end() = 0;
};

enum class reserve_status {
  reserved,            // `token` is the new reservation's
  already_registered,  // the request carried the token of a live reservation of the same owner, and replacing is off
  full,                // the store holds as many reservations as it may
};
struct reserve_result {
  reserve_status status = reserve_status::reserved;
  std::string token;
};

enum class open_status {
  opened,        // the sink now receives the reservation's events, the queued ones first
  not_found,     // no reservation with that token (or it belongs to another owner)
  already_open,  // the reservation has a stream already (only one may fulfil it)
};

enum class start_status {
  started,    // the operation is registered; its events go to the stream (queued until it opens)
  not_found,  // no reservation with that token (or it belongs to another owner)
  duplicate,  // the reservation has a running operation with that id
  too_many,   // the reservation runs as many operations as it may
};

enum class stop_status {
  stopped,    // the operation was stopped, or was not running (the reference answers both alike)
  not_found,  // no reservation with that token (or it belongs to another owner)
};

// Every call may come from any thread. `owner` identifies who made the reservation ("" when nobody is
// authenticated): a request by another owner sees its token as unknown.
class reservation_store {
 public:
  virtual ~reservation_store() = default;

  // A PUT: makes a reservation with a new random token. `previous` is the token the request carried (empty for
  // none). When it names a live reservation of the same owner: with `replace` that reservation is dropped first (its
  // stream ended, its operations stopped); without, the answer is already_registered. A token never comes from the
  // client: an unknown `previous` is ignored.
  [[nodiscard]] virtual boost::asio::awaitable<reserve_result> reserve(std::string owner, std::string previous,
                                                                       bool replace) = 0;

  // A GET or POST accepting text/event-stream, with the token: attaches the stream. The events queued so far are
  // sent to the sink before open() returns.
  [[nodiscard]] virtual boost::asio::awaitable<open_status> open(std::string token, std::string owner,
                                                                 std::shared_ptr<stream_sink> sink) = 0;

  // The stream went away (the client closed it): the reservation is dropped and its operations stopped (the
  // client reserves again to reconnect, as the reference has it). Ignored unless `sink` is the reservation's.
  virtual void close(const std::string& token, const stream_sink* sink) = 0;

  // A POST with the token and extensions.operationId: registers the operation before it runs. `stop` is called
  // (from any thread, at most once) when the operation must stop: DELETE, the stream went away, the reservation
  // expired or was replaced, its queue overflowed, or the server stops.
  [[nodiscard]] virtual boost::asio::awaitable<start_status> start(std::string token, std::string owner,
                                                                   std::string operation_id,
                                                                   std::function<void()> stop) = 0;

  // An event of a started operation (next_event / complete_event of single.hpp); `last` unregisters the
  // operation after it. Ignored when the operation is not registered (it was stopped). Before the stream opens
  // events are queued, up to a limit: an operation whose event does not fit is ended with a `next` carrying an
  // error and a `complete` (those two always fit), and stopped.
  virtual void deliver(const std::string& token, const std::string& operation_id, std::string event, bool last) = 0;

  // Unregisters a started operation without any event (it failed before running: the POST answers the error).
  virtual void forget(const std::string& token, const std::string& operation_id) = 0;

  // A DELETE ?operationId=: stops the operation and sends its `complete` (as the reference does).
  [[nodiscard]] virtual boost::asio::awaitable<stop_status> stop(std::string token, std::string owner,
                                                                 std::string operation_id) = 0;

  // The server stops: every operation this process runs is stopped and every stream it holds ended.
  virtual void shutdown() = 0;
};

// Limits of the in-memory store.
struct memory_reservation_options {
  std::size_t max_reservations = 100'000;
  std::size_t max_operations = 200;       // running at once per reservation
  std::size_t max_queued_events = 1'000;  // per reservation, while its stream is not open
  // A reservation whose stream is not opened within this is dropped, with its operations.
  std::chrono::milliseconds open_timeout{30'000};
};

// Reservations of this process: one map under one lock (reserve, open, start and stop are rare; a delivery
// holds the lock for a lookup and a hand-off to the sink).
[[nodiscard]] std::shared_ptr<reservation_store> make_memory_reservation_store(memory_reservation_options o = {});

}  // namespace sluice::transport::sse
