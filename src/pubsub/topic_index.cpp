// topic_index: adding, removing (swap-and-pop, or a hole while dispatching) and compaction after a dispatch.
#include "topic_index.hpp"

#include <cassert>

namespace sluice::pubsub::detail {

void topic_index::add(std::string_view topic, subscriber* s) {
  assert(s && !where_.contains(s));
  auto it = topics_.find(topic);
  if (it == topics_.end()) {
    it = topics_.emplace(std::string(topic), entry{}).first;
  } else if (it->second.live == 0) {
    --idle_topics_;  // an entry kept for its dispatch comes back to life
  }
  entry& e = it->second;
  e.subscribers.push_back(s);
  try {
    where_.emplace(s, location{&e, it->first, e.subscribers.size() - 1});
  } catch (...) {
    e.subscribers.pop_back();
    if (e.live == 0) {
      if (e.dispatching > 0)
        ++idle_topics_;
      else
        topics_.erase(it);
    }
    throw;
  }
  ++e.live;
}

bool topic_index::remove(subscriber* s) noexcept {
  auto w = where_.find(s);
  if (w == where_.end()) return false;
  const location loc = w->second;
  where_.erase(w);
  entry& e = *loc.topic_entry;
  --e.live;
  if (e.dispatching > 0) {
    // A for_each is walking this vector: leave a hole, compacted when the dispatch ends.
    e.subscribers[loc.slot] = nullptr;
    if (e.live == 0) ++idle_topics_;
    return true;
  }
  subscriber* last = e.subscribers.back();
  e.subscribers[loc.slot] = last;
  e.subscribers.pop_back();
  if (last != s) where_.find(last)->second.slot = loc.slot;
  if (e.live == 0) topics_.erase(topics_.find(loc.topic));
  return true;
}

void topic_index::end_dispatch(std::string_view topic) noexcept {
  auto it = topics_.find(topic);
  assert(it != topics_.end());
  entry& e = it->second;
  if (--e.dispatching > 0 || e.live == e.subscribers.size()) return;
  std::size_t kept = 0;
  for (subscriber* s : e.subscribers) {
    if (!s) continue;
    where_.find(s)->second.slot = kept;
    e.subscribers[kept++] = s;
  }
  e.subscribers.resize(kept);
  if (kept == 0) {
    --idle_topics_;
    topics_.erase(it);
  }
}

}  // namespace sluice::pubsub::detail
