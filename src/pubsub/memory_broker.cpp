// memory_broker: publishing to every loop's shard, subscribing through the loop's shard, and the counters.
#include "sluice/pubsub/memory_broker.hpp"

#include <cassert>

#include "shard.hpp"
#include "shard_registry.hpp"
#include "subscriber.hpp"

namespace sluice::pubsub {

memory_broker::memory_broker() : registry_(std::make_shared<detail::shard_registry>()) {}

memory_broker::~memory_broker() {
  // Shards leave the registry with their last subscriber, so a shard still here means a stream outlives the
  // broker. Clearing also ends the cycle between the registry and its shards.
  [[maybe_unused]] const std::size_t shards_with_streams = registry_->clear();
  assert(shards_with_streams == 0 && "every stream of a memory_broker must end before the broker");
}

void memory_broker::post(std::string topic, sluice::value payload) {
  // The only lock on this path guards an O(1) copy of the shard list (and takes the event's sequence number).
  const auto publication = registry_->next_publication();
  const auto& shards = *publication.shards;
  if (shards.empty()) return;  // no loop has subscribers
  // One immutable message for every shard and every queue; payload copies happen when consumers take events.
  auto m = std::make_shared<const detail::message>(
      detail::message{std::move(topic), std::move(payload), publication.sequence});
  for (std::size_t i = 0; i + 1 < shards.size(); ++i) detail::shard::deliver_later(shards[i], m);
  detail::shard::deliver_later(shards.back(), std::move(m));
}

boost::asio::awaitable<void> memory_broker::publish(std::string topic, sluice::value payload) {
  post(std::move(topic), std::move(payload));
  co_return;
}

execution::event_stream memory_broker::subscribe(boost::asio::any_io_executor loop, std::string topic,
                                                 subscribe_options options) {
  auto membership = registry_->join(loop, registry_);
  auto& home = membership.loop_shard;
  try {
    auto s = std::make_shared<detail::subscriber>(home, std::move(topic), std::move(options),
                                                  membership.first_sequence);
    home->add(s->topic(), s.get());
    return execution::event_stream(std::move(s));
  } catch (...) {
    home->leave_if_empty();  // a shard made for this subscriber does not stay behind empty
    throw;
  }
}

std::size_t memory_broker::topic_count(const boost::asio::any_io_executor& loop) const {
  const auto s = registry_->find(loop);
  return s ? s->topic_count() : 0;
}

std::uint64_t memory_broker::dropped() const { return registry_->dropped(); }

}  // namespace sluice::pubsub
