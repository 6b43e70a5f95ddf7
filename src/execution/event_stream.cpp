// The generator's stream source: resumes the coroutine on demand and destroys it when stopped.
#include "sluice/execution/event_stream.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace sluice::execution {
namespace {

class generator_source final : public event_stream::source {
 public:
  explicit generator_source(generator::handle h) : h_(h) {
    h_.promise().link = std::make_shared<detail::generator_link>();
  }
  ~generator_source() override { stop(); }
  generator_source(const generator_source&) = delete;
  generator_source& operator=(const generator_source&) = delete;

  void next(event_stream::next_handler done) override {
    if (!h_) {
      done.end();
      return;
    }
    auto& p = h_.promise();
    if (!p.executor) p.executor = done.executor();
    p.waiting = std::move(done);
    if (p.done) {
      p.deliver();  // the end (or the failure, the first time)
      return;
    }
    h_.resume();  // runs until it yields, finishes, or waits for an asynchronous operation
  }

  void stop() noexcept override {
    if (!h_) return;
    auto& p = h_.promise();
    auto waiting = std::exchange(p.waiting, {});
    // An operation the generator awaits is cancelled, and its completion ignored: the frame goes now, and with
    // it everything the generator holds (its destructors are its cleanup).
    p.link->alive = false;
    if (p.link->in_flight > 0) p.link->cancel.emit(boost::asio::cancellation_type::terminal);
    std::exchange(h_, {}).destroy();
    if (waiting) {
      try {
        waiting.end();
      } catch (...) {  // posting failed (out of memory): the consumer is destroyed with its handler
      }
    }
  }

 private:
  generator::handle h_;
};

// Another stream's source, plus something released when the stream stops.
class guarded_source final : public event_stream::source {
 public:
  guarded_source(std::shared_ptr<event_stream::source> inner, std::shared_ptr<void> guard)
      : inner_(std::move(inner)), guard_(std::move(guard)) {}
  ~guarded_source() override { stop(); }
  guarded_source(const guarded_source&) = delete;
  guarded_source& operator=(const guarded_source&) = delete;

  void next(event_stream::next_handler done) override {
    if (!inner_) {
      done.end();
      return;
    }
    inner_->next(std::move(done));
  }
  void stop() noexcept override {
    if (auto inner = std::exchange(inner_, {})) inner->stop();
    guard_.reset();
  }

 private:
  std::shared_ptr<event_stream::source> inner_;
  std::shared_ptr<void> guard_;
};

}  // namespace

event_stream event_stream::guarded(event_stream inner, std::shared_ptr<void> guard) {
  return event_stream(std::make_shared<guarded_source>(std::move(inner.source_), std::move(guard)));
}

generator::operator event_stream() && {
  return event_stream(std::make_shared<generator_source>(std::exchange(h_, {})));
}

boost::asio::awaitable<void> sleep(std::chrono::steady_clock::duration d) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, d);
  co_await timer.async_wait(boost::asio::use_awaitable);
}

}  // namespace sluice::execution
