// What subscribe() gives: a stream of responses, each serialised once and shared by every subscriber of a group.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "sluice/execution/event_stream.hpp"
#include "sluice/execution/request.hpp"

namespace sluice::execution {

// Limits on what one subscriber may have waiting (for next(); a stream that pushes to its consumer's sink keeps
// no queue, and the consumer's own limits apply).
struct subscription_options {
  std::size_t max_queued = 256;  // results buffered per subscriber before the overflow policy applies
  overflow_policy overflow = overflow_policy::drop_oldest;
};

// One result of a subscription.
struct shared_result {
  // The response as JSON (`{"data":...}`, with `"errors"` first when there are some), immutable and shared by
  // every subscriber of the group: a transport wraps it in its own envelope without copying it.
  std::shared_ptr<const std::string> json;
  // The stream ends after this result, which carries the reason in `errors`: the source failed, an event was
  // denied, or the subscriber fell too far behind. (A result with errors from a yielded error is not final.)
  bool final = false;
};

// A subscription's responses, consumed one at a time with `co_await stream.next()` on the loop it was created on.
// Destroying it (or stop()) unsubscribes at once: the source is stopped and destroyed when no subscriber of its
// group is left, and a pending next() completes as the end.
class response_stream {
 public:
  using next_handler = pending_next<shared_result>;

  // Takes each result as it is made (the final one last), then nullptr when the stream ends without one.
  using result_sink = std::function<void(const shared_result* r)>;
  class subscriber {
   public:
    virtual ~subscriber() = default;
    virtual void next(next_handler done) = 0;  // `done` completes once, posted, never inline
    virtual void stop() noexcept = 0;
    [[nodiscard]] virtual std::uint64_t dropped() const = 0;
    virtual bool push_to(result_sink sink) {
      (void)sink;
      return false;
    }
  };

  response_stream() = default;
  explicit response_stream(std::shared_ptr<subscriber> s) : sub_(std::move(s)) {}
  response_stream(response_stream&&) noexcept = default;
  response_stream& operator=(response_stream&& other) noexcept {
    if (this != &other) {
      stop();
      sub_ = std::move(other.sub_);
      dropped_ = other.dropped_;
    }
    return *this;
  }
  response_stream(const response_stream&) = delete;
  response_stream& operator=(const response_stream&) = delete;
  ~response_stream() { stop(); }

  // The next result, or nullopt at the end. The stream may be destroyed while a next() is pending.
  template <typename Token = const boost::asio::use_awaitable_t<>&>
  [[nodiscard]] auto next(Token&& token = boost::asio::use_awaitable) {
    return initiate_next<shared_result>(std::forward<Token>(token), sub_);
  }

  // The results pushed to `sink` as they are made, instead of one next() per result: for a transport that queues
  // what it sends itself (a WebSocket connection). Results already waiting go first, from this call. The sink runs
  // on the stream's loop, inline, possibly while the same result is being delivered to other subscribers: it must
  // not stop or destroy any stream itself (post that instead). Stopping this stream drops the sink. False when the
  // stream cannot push (then use next()); call it once, with no next() pending.
  bool push_to(result_sink sink) { return sub_ && sub_->push_to(std::move(sink)); }
  void stop() noexcept {
    if (sub_) {
      auto s = std::move(sub_);
      dropped_ = s->dropped();
      s->stop();
    }
  }

  // Results dropped because this subscriber fell behind (overflow_policy::drop_oldest).
  [[nodiscard]] std::uint64_t dropped() const { return sub_ ? sub_->dropped() : dropped_; }

 private:
  std::shared_ptr<subscriber> sub_;
  std::uint64_t dropped_ = 0;
};

// A response (a query or mutation's result, or why a subscription could not start), or a subscription's stream.
using subscribe_result = std::variant<response, response_stream>;

}  // namespace sluice::execution
