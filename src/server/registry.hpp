// The registry of open subscriptions by user and operation name, for targeted pushes: notify(user, operation,
// root value) re-executes each matching subscription's own query with that root value and sends the result to it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "sluice/execution/executor.hpp"

namespace sluice::server {

class subscription_registry;

// A registered subscription; unregisters when destroyed.
class registration {
 public:
  registration() = default;
  registration(std::shared_ptr<subscription_registry> r, std::uint64_t id) : registry_(std::move(r)), id_(id) {}
  registration(registration&& o) noexcept : registry_(std::move(o.registry_)), id_(o.id_) {}
  registration& operator=(registration&& o) noexcept;
  registration(const registration&) = delete;
  registration& operator=(const registration&) = delete;
  ~registration();

 private:
  std::shared_ptr<subscription_registry> registry_;
  std::uint64_t id_ = 0;
};

// Thread-safe: subscriptions of every event loop register here; notify() may come from any thread.
class subscription_registry : public std::enable_shared_from_this<subscription_registry> {
 public:
  explicit subscription_registry(const execution::executor& ex) : ex_(ex) {}

  // Registers a subscription of an authenticated user (nothing is registered for an anonymous one, or when the
  // operation has no name): on notify, `req` is executed on `loop` with `ctx` and the given root value, and the
  // result's JSON goes to `send` (on `loop`). `send` must check that its subscription is still open.
  [[nodiscard]] registration add(const execution::request& req, const execution::context& ctx,
                                 boost::asio::any_io_executor loop, std::function<void(std::string json)> send);

  // Re-executes every registered subscription of `user` named `operation_name` with `root` and sends the results;
  // the number of subscriptions it reached (on this node).
  std::size_t notify(const sluice::value& user, const std::string& operation_name, const sluice::value& root);

  // Registered subscriptions (on this node).
  [[nodiscard]] std::size_t size() const;

  void remove(std::uint64_t id);

 private:
  struct entry {
    std::string key;  // user key and operation name
    execution::request request;
    execution::context context;
    boost::asio::any_io_executor loop;
    std::shared_ptr<std::function<void(std::string)>> send;
  };
  [[nodiscard]] static std::string key_of(const sluice::value& user, std::string_view operation_name);

  const execution::executor& ex_;
  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, entry> entries_;
  std::unordered_multimap<std::string, std::uint64_t> by_key_;
};

}  // namespace sluice::server
