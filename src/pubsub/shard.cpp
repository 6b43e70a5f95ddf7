// shard: delivery of one published event to the subscribers of one event loop.
#include "shard.hpp"

#include <boost/asio/post.hpp>

#include "shard_registry.hpp"
#include "subscriber.hpp"

namespace sluice::pubsub::detail {

shard::shard(boost::asio::any_io_executor loop, std::shared_ptr<shard_registry> registry)
    : loop_(std::move(loop)), registry_(std::move(registry)) {}

void shard::deliver_later(const std::shared_ptr<shard>& self, std::shared_ptr<const message> m) {
  boost::asio::post(self->loop_, [self, m = std::move(m)] { self->deliver(m); });
}

void shard::deliver(const std::shared_ptr<const message>& m) noexcept {
  // Every queue that keeps the event shares the message; the payload is copied only when a consumer takes it.
  const std::shared_ptr<const sluice::value> payload(m, &m->payload);
  index_.for_each(m->topic, [&](subscriber& s) { s.deliver(payload, m->sequence); });
}

void shard::remove(subscriber* s) noexcept {
  index_.remove(s);
  leave_if_empty();
}

void shard::leave_if_empty() noexcept {
  if (index_.empty()) registry_->leave(this);
}

void shard::count_drop() noexcept { registry_->count_drop(); }

}  // namespace sluice::pubsub::detail
