// Event streams: what a subscription field's source produces. A C++20 coroutine generator (`co_yield` events,
// `co_await` any Asio awaitable) or any object with an asynchronous `next()`, behind one type-erased handle.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <coroutine>
#include <exception>
#include <memory>
#include <optional>
#include <utility>
#include <variant>

#include "sluice/core/value.hpp"
#include "sluice/execution/field_error.hpp"
#include "sluice/execution/pending_next.hpp"

namespace sluice::execution {

// What a bounded per-subscriber buffer does when it is full.
enum class overflow_policy {
  drop_oldest,     // drop the oldest buffered item and count it (the subscriber sees a gap, and a counter says so)
  end_with_error,  // end the subscription with an error result saying the subscriber fell behind
};

// One item of a stream: an event, or an error yielded as a value (delivered as a result with `errors`; the
// subscription stays open). An exception thrown by the source instead ends the stream.
using stream_item = std::variant<sluice::value, field_error>;

// A stream of events consumed one at a time with `co_await stream.next()`. Destroying the stream (or calling
// stop()) stops its source at once and releases what it holds; a pending next() then completes as the end.
class event_stream {
 public:
  // Completes with (nullptr, item), with (nullptr, nullopt) at the end, or with (error, nullopt) when it failed.
  using next_handler = pending_next<stream_item>;

  // What a stream is made of: implement this for an event source of your own (a broker subscription, say).
  class source {
   public:
    virtual ~source() = default;
    // Starts producing the next item; `done` completes once (posted, never inline). At most one is pending.
    virtual void next(next_handler done) = 0;
    // Stops producing for good and releases resources. A pending next() completes (posted) as the end.
    // Idempotent; also called when the last event_stream handle goes away.
    virtual void stop() noexcept = 0;
  };

  event_stream() = default;
  explicit event_stream(std::shared_ptr<source> s) : source_(std::move(s)) {}
  event_stream(event_stream&&) noexcept = default;
  event_stream& operator=(event_stream&& other) noexcept {
    if (this != &other) {
      stop();
      source_ = std::move(other.source_);
    }
    return *this;
  }
  event_stream(const event_stream&) = delete;
  event_stream& operator=(const event_stream&) = delete;
  ~event_stream() { stop(); }

  [[nodiscard]] explicit operator bool() const { return source_ != nullptr; }

  // The next item, or nullopt at the end; rethrows the source's exception. It does not touch this object after
  // it was started, so the stream may be destroyed while a next() is pending (the next() then ends).
  template <typename Token = const boost::asio::use_awaitable_t<>&>
  [[nodiscard]] auto next(Token&& token = boost::asio::use_awaitable) {
    return initiate_next<stream_item>(std::forward<Token>(token), source_);
  }

  void stop() noexcept {
    if (source_) {
      auto s = std::move(source_);
      s->stop();
    }
  }

  // Adapts any object with `boost::asio::awaitable<std::optional<T>> next()` (T convertible to sluice::value).
  template <typename Stream>
  [[nodiscard]] static event_stream from(Stream s);

  // The same stream, also holding `guard` until it is stopped or destroyed: for what must live exactly as long
  // as the stream (a distributed broker's channel subscription, say, whose destructor unsubscribes).
  [[nodiscard]] static event_stream guarded(event_stream inner, std::shared_ptr<void> guard);

 private:
  std::shared_ptr<source> source_;
};

namespace detail {

// What a generator's pending co_await of an Asio awaitable shares with the spawned operation: it outlives the
// generator frame, so that a stop while the operation runs can cancel it and ignore its completion.
struct generator_link {
  boost::asio::cancellation_signal cancel;
  bool alive = true;
  int in_flight = 0;  // spawned operations whose completion handler still exists (invoked or not)
};

// Counts a spawned operation as in flight for as long as its completion handler exists.
struct flight {
  std::shared_ptr<generator_link> link;
  explicit flight(std::shared_ptr<generator_link> l) : link(std::move(l)) { ++link->in_flight; }
  flight(const flight&) = delete;
  flight& operator=(const flight&) = delete;
  ~flight() { --link->in_flight; }
};

}  // namespace detail

// A source written as a coroutine:
//
//   execution::generator countdown(int from) {
//     for (int i = from; i >= 0; --i) {
//       co_yield i;
//       co_await execution::sleep(std::chrono::milliseconds(10));
//     }
//   }
//
// It runs only when the consumer asks for the next event (nothing is buffered), on the consumer's executor.
// `co_await` takes any boost::asio::awaitable<T> (T default-constructible) and asio::this_coro::executor.
// `co_yield` takes a sluice::value (or anything convertible to one), or a field_error to deliver an error result.
// Take parameters by value: references passed to a coroutine dangle once it suspends.
class generator {
 public:
  struct promise_type;
  using handle = std::coroutine_handle<promise_type>;

  struct promise_type {
    std::optional<stream_item> current;
    std::exception_ptr failure;
    event_stream::next_handler waiting;
    boost::asio::any_io_executor executor;
    std::shared_ptr<detail::generator_link> link;
    bool done = false;

    generator get_return_object() { return generator(handle::from_promise(*this)); }
    std::suspend_always initial_suspend() noexcept { return {}; }

    struct final_awaiter {
      bool await_ready() noexcept { return false; }
      void await_suspend(handle h) noexcept {
        auto& p = h.promise();
        p.done = true;
        try {
          p.deliver();
        } catch (...) {  // only posting can throw (out of memory): the consumer then never hears of the end
        }
      }
      void await_resume() noexcept {}
    };
    final_awaiter final_suspend() noexcept { return {}; }

    struct yield_awaiter {
      bool await_ready() noexcept { return false; }
      void await_suspend(handle h) { h.promise().deliver(); }
      void await_resume() noexcept {}
    };
    yield_awaiter yield_value(sluice::value v) {
      current.emplace(std::in_place_index<0>, std::move(v));
      return {};
    }
    yield_awaiter yield_value(field_error e) {
      current.emplace(std::in_place_index<1>, std::move(e));
      return {};
    }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { failure = std::current_exception(); }

    // Hands the current item (or the end, or the failure) to the pending next().
    void deliver() {
      if (!waiting) return;
      if (current) {
        std::optional<stream_item> item = std::move(current);
        current.reset();
        waiting.complete(nullptr, std::move(item));
      } else if (done) {
        waiting.complete(std::exchange(failure, nullptr), std::nullopt);
      }
    }

    template <typename T>
    struct asio_awaiter {
      boost::asio::awaitable<T> operation;
      promise_type* promise;
      std::exception_ptr error;
      std::optional<T> result;

      bool await_ready() noexcept { return false; }
      void await_suspend(handle h) {
        auto link = promise->link;
        boost::asio::co_spawn(
            promise->executor, std::move(operation),
            boost::asio::bind_cancellation_slot(link->cancel.slot(), [this, h, f = std::make_shared<detail::flight>(
                                                                                    link)](std::exception_ptr e, T v) {
              if (!f->link->alive) return;  // the generator was stopped meanwhile: its frame is gone
              error = e;
              if (!e) result.emplace(std::move(v));
              h.resume();
            }));
      }
      T await_resume() {
        if (error) std::rethrow_exception(error);
        return std::move(*result);
      }
    };
    struct asio_void_awaiter {
      boost::asio::awaitable<void> operation;
      promise_type* promise;
      std::exception_ptr error;

      bool await_ready() noexcept { return false; }
      void await_suspend(handle h) {
        auto link = promise->link;
        boost::asio::co_spawn(promise->executor, std::move(operation),
                              boost::asio::bind_cancellation_slot(
                                  link->cancel.slot(),
                                  [this, h, f = std::make_shared<detail::flight>(link)](std::exception_ptr e) {
                                    if (!f->link->alive) return;
                                error = e;
                                h.resume();
                              }));
      }
      void await_resume() {
        if (error) std::rethrow_exception(error);
      }
    };
    struct executor_awaiter {
      boost::asio::any_io_executor ex;
      bool await_ready() noexcept { return true; }
      void await_suspend(handle) noexcept {}
      boost::asio::any_io_executor await_resume() noexcept { return ex; }
    };

    template <typename T>
    asio_awaiter<T> await_transform(boost::asio::awaitable<T> a) {
      return asio_awaiter<T>{std::move(a), this, nullptr, std::nullopt};
    }
    asio_void_awaiter await_transform(boost::asio::awaitable<void> a) {
      return asio_void_awaiter{std::move(a), this, nullptr};
    }
    executor_awaiter await_transform(boost::asio::this_coro::executor_t) { return {executor}; }
  };

  generator(generator&& other) noexcept : h_(std::exchange(other.h_, {})) {}
  generator& operator=(generator&&) = delete;
  generator(const generator&) = delete;
  ~generator() {
    if (h_) h_.destroy();
  }

  // The generator as a type-erased stream (it takes the coroutine over).
  operator event_stream() &&;  // NOLINT(google-explicit-constructor): a generator is a source

 private:
  explicit generator(handle h) : h_(h) {}
  handle h_;
};

// Waits for a duration on the calling coroutine's executor (for generators and asynchronous resolvers).
[[nodiscard]] boost::asio::awaitable<void> sleep(std::chrono::steady_clock::duration d);

template <typename Stream>
event_stream event_stream::from(Stream s) {
  return [](Stream stream) -> generator {
    while (auto item = co_await stream.next()) co_yield sluice::value(std::move(*item));
  }(std::move(s));
}

}  // namespace sluice::execution
