// The engine's surface: execute a request against a schema with resolvers (spec 6).
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include <vector>

#include "sluice/execution/request.hpp"
#include "sluice/execution/resolver.hpp"
#include "sluice/language/parser.hpp"
#include "sluice/schema/schema.hpp"
#include "sluice/validation/validate.hpp"

namespace sluice::execution {

struct executor_options {
  language::parse_options parse;
  validation::options validate;
  std::size_t document_cache_size = 512;  // prepared documents kept, by query text (LRU)
  bool introspection = true;              // answer __schema and __type
};

// A parsed and validated document, shared by every execution of the same query text.
struct prepared_document {
  language::document doc;
  std::vector<graphql_error> errors;  // syntax or validation errors; empty when executable
  // The size of the last response's data, to size the next one's buffer in one allocation.
  mutable std::atomic<std::size_t> response_size_hint{0};
};

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

  // Executes a query or mutation. Resolvers run on the calling coroutine's executor.
  [[nodiscard]] boost::asio::awaitable<response> execute(request req, context ctx = {},
                                                         sluice::value root = {}) const;

  // Executes to completion on the calling thread (asynchronous resolvers run on a private event loop).
  [[nodiscard]] response execute_sync(const request& req, context ctx = {}, const sluice::value& root = {}) const;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace sluice::execution
