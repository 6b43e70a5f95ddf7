// redis_broker: the public class: guarded local streams, and publish resumed on the caller's executor.
#include "sluice/pubsub/redis_broker.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "publish_waiter.hpp"
#include "redis_broker_impl.hpp"
#include "sluice/core/json.hpp"

namespace sluice::pubsub {

namespace asio = boost::asio;

namespace {

// Held by one subscription's stream: the channel counts one more local subscriber from when it is made until
// it is released (the stream stopped or destroyed, on its loop). It keeps the broker's state alive for its
// post.
class channel_interest {
 public:
  channel_interest(std::shared_ptr<redis_broker::impl> owner, std::string channel)
      : owner_(std::move(owner)), channel_(std::move(channel)) {
    owner_->change_interest(channel_, +1);
  }
  ~channel_interest() {
    try {
      owner_->change_interest(std::move(channel_), -1);
    } catch (
        ...) {  // out of memory: the channel stays subscribed at Redis (harmless: nobody receives it here)
    }
  }
  channel_interest(const channel_interest&) = delete;
  channel_interest& operator=(const channel_interest&) = delete;

 private:
  std::shared_ptr<redis_broker::impl> owner_;
  std::string channel_;
};

// Starts a PUBLISH for a completion handler of signature void(std::exception_ptr).
struct publish_initiation {
  redis_broker::impl* owner;

  template <typename Handler>
  void operator()(Handler&& handler, std::string channel, std::string text) const {
    using waiter = detail::publish_waiter_for<std::decay_t<Handler>>;
    owner->start_publish(std::move(channel), std::move(text),
                         std::make_unique<waiter>(std::forward<Handler>(handler)));
  }
};

}  // namespace

redis_broker::redis_broker(redis_options options) : impl_(std::make_shared<impl>(std::move(options))) {}

redis_broker::~redis_broker() {
  impl_->shutdown();
}

boost::asio::awaitable<void> redis_broker::publish(std::string topic, sluice::value payload) {
  std::string text = json::to_string(payload);
  std::string channel = impl_->channel_of(topic);
  const publish_initiation initiation{impl_.get()};
  // Resumes here, on this coroutine's executor, once Redis answered; throws std::runtime_error when it
  // failed.
  auto acknowledged = asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
      initiation, asio::use_awaitable, std::move(channel), std::move(text));
  co_await std::move(acknowledged);
}

execution::event_stream redis_broker::subscribe(boost::asio::any_io_executor loop, std::string topic,
                                                subscribe_options options) {
  std::string channel = impl_->channel_of(topic);
  auto local = impl_->local().subscribe(std::move(loop), std::move(topic), std::move(options));
  auto interest = std::make_shared<channel_interest>(impl_, std::move(channel));
  return execution::event_stream::guarded(std::move(local), std::move(interest));
}

bool redis_broker::wait_ready(std::chrono::milliseconds timeout) const {
  return impl_->wait_ready(timeout);
}

std::size_t redis_broker::subscribed_channels() const {
  return impl_->subscribed_channels();
}

redis_stats redis_broker::stats() const {
  return impl_->stats();
}

}  // namespace sluice::pubsub
