// The executor's shared state: the schema, resolvers bound to field definitions, the prepared-document cache.
#pragma once

#include <list>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "collect_fields.hpp"
#include "sluice/execution/executor.hpp"

namespace sluice::execution {

struct executor::impl {
  std::shared_ptr<const schema::schema> schema_;
  resolver_map resolvers_;
  executor_options options_;
  std::unordered_map<const schema::field*, bound_resolver> bound_;
  std::unordered_map<const schema::named_type*, const type_resolver*> type_resolvers_;
  std::vector<std::pair<const schema::field*, sync_resolver>> introspection_;
  // Subscription fields: their sources and per-subscriber filters.
  std::unordered_map<const schema::field*, const source_fn*> sources_;
  std::unordered_map<const schema::field*, const filter_fn*> filters_;
  // Subscription fields that mirror Query fields: live queries (live_options::enabled).
  std::unordered_set<const schema::field*> live_fields_;

  // Prepared-document cache counters.
  mutable std::atomic<std::uint64_t> cache_hits_{0};
  mutable std::atomic<std::uint64_t> cache_misses_{0};

  // Prepared documents by query text, least recently used last.
  mutable std::mutex cache_mutex_;
  mutable std::list<std::pair<std::string, std::shared_ptr<const prepared_document>>> lru_;
  mutable std::unordered_map<std::string_view, decltype(lru_)::iterator> cache_;

  // The root value an operation runs with: the one it was given, or options_.root_value when that is null.
  [[nodiscard]] const sluice::value& root_or(const sluice::value& given) const {
    return given.is_null() && options_.root_value ? *options_.root_value : given;
  }
  [[nodiscard]] bound_resolver find(const schema::field* f) const {
    auto it = bound_.find(f);
    return it == bound_.end() ? bound_resolver{} : it->second;
  }
  // A field definition by coordinate ("Type.field" of an object type); throws std::invalid_argument naming `what`.
  [[nodiscard]] const schema::field& field_at(const std::string& coordinate, const char* what) const;
};

}  // namespace sluice::execution
