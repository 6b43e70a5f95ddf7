// Live queries: a query subscribed to, re-executed when what it read changes (and on a refetch interval), sent
// only when its result changed, optionally as JSON Patch deltas.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "sluice/execution/event_stream.hpp"

namespace sluice::execution {

// How an operation becomes live:
// - `query @live { ... }` (the directive of GraphQL Yoga and graphql-live-query clients), and
// - a subscription to a Subscription field that mirrors a Query field (schema::build_options::live_queries makes
//   every Query root field available under Subscription, the Hasura way), with or without @live.
// The directive's arguments (all optional): `@live(if: Boolean = true, interval: Int, patch: Boolean = false)`:
// `interval` overrides the refetch interval in milliseconds (0: only invalidations re-run it), within
// [min_interval, max_interval]; `patch: true` asks for JSON Patch deltas after the first full result, in the format
// of @n1ru4l/graphql-live-query-patch-json-patch (`{"data", "revision": 1}`, then `{"revision": n, "patch": [...]}`).
//
// Live subscriptions with equal (document, operation name, variables, auth scope) form a cohort on each event
// loop: one execution per refresh, the result's bytes shared by every subscriber. A refresh runs on each tick of
// the interval and, at most once per `debounce`, when a resource key the last execution read (context::depends_on)
// is invalidated. A result equal to the cohort's previous one is not sent; a new subscriber gets the cohort's
// current result at once. A subscriber that falls behind skips to the newest result (live results conflate).
struct live_options {
  bool enabled = false;                               // off: @live is ignored and mirrored fields are refused
  std::chrono::milliseconds interval{1000};           // refetch interval (0: invalidations only)
  std::chrono::milliseconds min_interval{100};        // bounds of @live(interval:) (0 is always allowed)
  std::chrono::milliseconds max_interval{600'000};
  std::chrono::milliseconds debounce{50};             // at most one refresh per cohort per this long
  // Watches a resource key: a stream yielding an item each time the key is invalidated (its items' values are
  // ignored). A server passes its broker's subscribe(), so publishing anything to the topic named by the key
  // invalidates it, on every node. Unset: live queries refresh on the interval only.
  std::function<event_stream(const boost::asio::any_io_executor& loop, const std::string& key)> watch;
};

}  // namespace sluice::execution
