// shard_registry: finding, adding and removing shards copy-on-write, so that post() copies one pointer.
#include "shard_registry.hpp"

#include <utility>

namespace sluice::pubsub::detail {

shard_registry::snapshot shard_registry::next_publication() {
  const std::lock_guard lock(mutex_);
  return {shards_, next_sequence_++};
}

shard_registry::membership shard_registry::join(const boost::asio::any_io_executor& loop,
                                                std::shared_ptr<shard_registry> self) {
  const std::lock_guard lock(mutex_);
  for (const auto& s : *shards_)
    if (s->loop() == loop) return {s, next_sequence_};
  auto fresh = std::make_shared<shard>(loop, std::move(self));
  auto list = std::make_shared<shard_list>(*shards_);
  list->push_back(fresh);
  shards_ = std::move(list);
  return {std::move(fresh), next_sequence_};
}

std::shared_ptr<shard> shard_registry::find(const boost::asio::any_io_executor& loop) const {
  const std::lock_guard lock(mutex_);
  for (const auto& s : *shards_)
    if (s->loop() == loop) return s;
  return nullptr;
}

void shard_registry::leave(const shard* gone) noexcept {
  std::shared_ptr<const shard_list> old;  // released after unlocking: it may hold the last references
  try {
    auto list = std::make_shared<shard_list>();
    const std::lock_guard lock(mutex_);
    list->reserve(shards_->size());
    for (const auto& s : *shards_)
      if (s.get() != gone) list->push_back(s);
    if (list->size() == shards_->size()) return;
    old = std::exchange(shards_, std::move(list));
  } catch (...) {
    // Out of memory: the empty shard stays registered; the next subscribe from its loop uses it again.
  }
}

std::size_t shard_registry::clear() noexcept {
  std::shared_ptr<const shard_list> old;
  try {
    auto empty = std::make_shared<const shard_list>();
    const std::lock_guard lock(mutex_);
    old = std::exchange(shards_, std::move(empty));
  } catch (...) {
    return 0;
  }
  return old->size();
}

}  // namespace sluice::pubsub::detail
