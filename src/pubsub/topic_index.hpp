// topic_index: one event loop's two-way index of subscribers (topic -> subscribers, subscriber -> its topic).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sluice::pubsub::detail {

class subscriber;

// Not thread-safe: it belongs to one event loop. Subscribers may be added and removed while for_each runs (from
// the callbacks it calls): a removed subscriber is not visited again, an added one is visited from the next
// for_each on. A topic leaves the index with its last subscriber.
class topic_index {
 public:
  // Adds `s` under `topic`; `s` must not be in the index.
  void add(std::string_view topic, subscriber* s);
  // Removes `s`; false when it was not in the index.
  bool remove(subscriber* s) noexcept;

  // Calls f(subscriber&) for each subscriber of `topic` that was there when it started and still is.
  template <typename F>
  void for_each(std::string_view topic, F&& f);

  [[nodiscard]] std::size_t topic_count() const noexcept { return topics_.size() - idle_topics_; }
  [[nodiscard]] std::size_t subscriber_count() const noexcept { return where_.size(); }
  [[nodiscard]] bool empty() const noexcept { return where_.empty(); }

 private:
  struct entry {
    std::vector<subscriber*> subscribers;  // nullptr: removed while dispatching (compacted when it ends)
    std::size_t live = 0;                  // non-null slots
    std::size_t dispatching = 0;           // nesting depth of for_each on this topic
  };
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  struct location {
    entry* topic_entry;      // map nodes never move
    std::string_view topic;  // views the map node's key
    std::size_t slot;
  };

  void end_dispatch(std::string_view topic) noexcept;

  std::unordered_map<std::string, entry, string_hash, std::equal_to<>> topics_;
  std::unordered_map<const subscriber*, location> where_;
  std::size_t idle_topics_ = 0;  // entries without live subscribers, kept until their dispatch ends
};

template <typename F>
void topic_index::for_each(std::string_view topic, F&& f) {
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  entry& e = it->second;  // stays valid: an entry is not erased while dispatching, and map nodes never move
  ++e.dispatching;
  struct finish {
    topic_index* self;
    std::string_view topic;
    ~finish() { self->end_dispatch(topic); }
  } on_exit{this, topic};
  const std::size_t n = e.subscribers.size();  // those added meanwhile wait for the next event
  for (std::size_t i = 0; i < n; ++i)
    if (subscriber* s = e.subscribers[i]) f(*s);
}

}  // namespace sluice::pubsub::detail
