// The engine's surface: execute a request against a schema with resolvers (spec 6).
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include <vector>

#include "sluice/execution/live.hpp"
#include "sluice/execution/request.hpp"
#include "sluice/execution/resolver.hpp"
#include "sluice/execution/subscription.hpp"
#include "sluice/language/parser.hpp"
#include "sluice/schema/schema.hpp"
#include "sluice/validation/validate.hpp"

namespace sluice::execution {

struct executor_options {
  language::parse_options parse;
  validation::options validate;
  std::size_t document_cache_size = 512;  // prepared documents kept, by query text (LRU)
  bool introspection = true;              // answer __schema and __type
  subscription_options subscriptions;    // per-subscriber buffers
  // Every field of the subscription type must have a source (checked when the executor is built). Off, a
  // subscription to a field without one is refused when it is made (for tools that only run queries).
  bool require_sources = true;
  // Live queries (see live.hpp): @live queries and subscriptions to Subscription fields that mirror Query fields.
  live_options live;
  // The root value of operations that are given none (null), read in place: never copied per operation (for
  // data served as it is, such as `sluice serve --root FILE`). Live queries always run with it.
  std::shared_ptr<const sluice::value> root_value;
};

// A parsed and validated document, shared by every execution of the same query text.
struct prepared_document {
  language::document doc;
  std::vector<graphql_error> errors;  // syntax or validation errors; empty when executable
  // The size of the last response's data, to size the next one's buffer in one allocation.
  mutable std::atomic<std::size_t> response_size_hint{0};
};

class subscription_hub;

class executor {
 public:
  // Throws std::invalid_argument when a resolver is bound to a field that does not exist.
  executor(std::shared_ptr<const schema::schema> s, resolver_map resolvers = {}, executor_options options = {});
  ~executor();
  executor(const executor&) = delete;
  executor& operator=(const executor&) = delete;

  [[nodiscard]] const schema::schema& schema() const;

  // Parses and validates (or finds in the cache) a query text.
  [[nodiscard]] std::shared_ptr<const prepared_document> prepare(const std::string& query) const;

  // GetOperation (spec 6.1) ahead of execution: the request's prepared document and the operation it selects (by
  // name, or the only one). The operation is null when the document has syntax or validation errors or no
  // operation can be selected (execution then reports why). It lives as long as the document.
  struct selection {
    std::shared_ptr<const prepared_document> document;
    const language::operation_definition* operation = nullptr;
  };
  [[nodiscard]] selection select_operation(const request& req) const;

  // Executes a query or mutation. Resolvers run on the calling coroutine's executor.
  [[nodiscard]] boost::asio::awaitable<response> execute(request req, context ctx = {},
                                                         sluice::value root = {}) const;

  // Executes to completion on the calling thread (asynchronous resolvers run on a private event loop).
  [[nodiscard]] response execute_sync(const request& req, context ctx = {}, const sluice::value& root = {}) const;

  // Subscribe (spec 6.2.3): for a subscription, creates the source event stream of its single root field and maps
  // each event through execution with the event as the root value; gives a response instead when the request
  // fails before that (syntax, validation, variables, a denied or failing source). A query or mutation is
  // executed and its response given. The subscription lives on the calling coroutine's executor; the source is
  // created before this returns (no suspension in between), so a stop can never miss it. This subscription has
  // its own source; subscription_hub shares sources and executions between equal subscriptions.
  // The executor must outlive the stream.
  [[nodiscard]] boost::asio::awaitable<subscribe_result> subscribe(request req, context ctx = {},
                                                                   sluice::value root = {}) const;

  struct cache_stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::size_t size = 0;
  };
  // The prepared-document cache's counters.
  [[nodiscard]] cache_stats document_cache_stats() const;

  struct impl;

 private:
  friend class subscription_hub;
  std::unique_ptr<impl> impl_;
};

// Subscriptions with equal (document, operation name, variables, auth scope) form a group: one source, one
// execution per event, and one serialised result shared by every subscriber in it (see context::scope).
// One hub per event loop: use it from that loop only. The executor must outlive the hub and its streams.
class subscription_hub {
 public:
  explicit subscription_hub(const executor& ex);
  ~subscription_hub();
  subscription_hub(const subscription_hub&) = delete;
  subscription_hub& operator=(const subscription_hub&) = delete;

  // As executor::subscribe, joining the subscription's group (and creating its source only when it is the first).
  [[nodiscard]] boost::asio::awaitable<subscribe_result> subscribe(request req, context ctx = {});

  [[nodiscard]] std::size_t group_count() const;
  // Live query cohorts on this hub (each executed once per refresh, however many subscribers).
  [[nodiscard]] std::size_t live_cohort_count() const;
  // Events executed by this hub's groups since it was made (once per group and event, however many subscribers),
  // live query refreshes included.
  [[nodiscard]] std::uint64_t executions() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace sluice::execution
