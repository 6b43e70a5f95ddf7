// subscriber: queueing, overflow (drop_oldest, end_with_error), handing events to next(), stop and failure.
#include "subscriber.hpp"

#include <cassert>
#include <stdexcept>
#include <utility>

#include "shard.hpp"

namespace sluice::pubsub::detail {

namespace {

// Marks a user callback as running, also when it throws.
class callback_scope {
 public:
  explicit callback_scope(bool& flag) : flag_(flag) { flag_ = true; }
  callback_scope(const callback_scope&) = delete;
  callback_scope& operator=(const callback_scope&) = delete;
  ~callback_scope() { flag_ = false; }

 private:
  bool& flag_;
};

std::optional<execution::stream_item> event(const sluice::value& payload) {
  return std::optional<execution::stream_item>(std::in_place, std::in_place_index<0>, payload);
}

}  // namespace

subscriber::subscriber(std::shared_ptr<shard> home, std::string topic, subscribe_options options,
                       std::uint64_t first_sequence)
    : home_(std::move(home)),
      topic_(std::move(topic)),
      options_(std::move(options)),
      first_sequence_(first_sequence) {}

subscriber::~subscriber() { stop(); }

void subscriber::next(execution::event_stream::next_handler done) {
  assert(!waiting_ && "at most one next() may be pending");
  switch (phase_) {
    case phase::open:
      if (queue_.empty()) {
        waiting_ = std::move(done);
      } else {
        auto item = event(*queue_.front());  // the consumer gets its own copy; the queue shares the event
        queue_.pop_front();
        done.complete(nullptr, std::move(item));
      }
      return;
    case phase::failed:
      phase_ = phase::ended;  // the failure is reported once, then the stream is at its end
      done.complete(std::exchange(failure_, nullptr), std::nullopt);
      return;
    case phase::ended:
      done.end();
      return;
  }
}

void subscriber::stop() noexcept {
  unsubscribe();
  release();
  failure_ = nullptr;
  phase_ = phase::ended;
  if (waiting_) take_waiting().end();
}

void subscriber::deliver(const std::shared_ptr<const sluice::value>& payload, std::uint64_t sequence) noexcept {
  if (phase_ != phase::open || sequence < first_sequence_) return;
  // A callback may stop or even destroy this stream: stay alive until it returned.
  std::shared_ptr<subscriber> keep_alive;
  if (options_.filter || options_.on_overflow) keep_alive = shared_from_this();
  try {
    if (options_.filter) {
      bool wanted = false;
      {
        const callback_scope scope(in_callback_);
        wanted = options_.filter(*payload);
      }
      if (phase_ != phase::open) {
        release();  // stopped from inside the filter: what stop() could not release then
        return;
      }
      if (!wanted) return;
    }
    if (waiting_) {
      auto item = event(*payload);  // copied first: the pending next() is not lost if that throws
      take_waiting().complete(nullptr, std::move(item));
      return;
    }
    queue_.push_back(payload);
    if (queue_.size() > options_.max_queued) overflow();
  } catch (...) {
    fail(std::current_exception());  // a callback threw (or memory ran out): the stream ends with that error
  }
}

void subscriber::overflow() {
  if (options_.overflow == execution::overflow_policy::end_with_error) {
    fail(std::make_exception_ptr(std::runtime_error("subscriber fell more than " +
                                                    std::to_string(options_.max_queued) +
                                                    " events behind on topic '" + topic_ + "'")));
    return;
  }
  queue_.pop_front();
  ++dropped_;
  if (home_) home_->count_drop();
  if (options_.on_overflow) {
    {
      const callback_scope scope(in_callback_);
      options_.on_overflow(topic_, dropped_);
    }
    if (phase_ != phase::open) release();
  }
}

void subscriber::fail(std::exception_ptr error) noexcept {
  if (phase_ != phase::open) return;
  unsubscribe();
  release();
  if (waiting_) {
    phase_ = phase::ended;
    take_waiting().complete(std::move(error), std::nullopt);
  } else {
    phase_ = phase::failed;
    failure_ = std::move(error);
  }
}

execution::event_stream::next_handler subscriber::take_waiting() noexcept {
  return std::exchange(waiting_, {});
}

void subscriber::unsubscribe() noexcept {
  if (auto home = std::move(home_)) home->remove(this);
}

void subscriber::release() noexcept {
  queue_.clear();
  queue_.shrink_to_fit();
  if (!in_callback_) {  // a running callback is released when it returns
    options_.filter = nullptr;
    options_.on_overflow = nullptr;
  }
}

}  // namespace sluice::pubsub::detail
