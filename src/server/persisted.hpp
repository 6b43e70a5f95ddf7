// Rows of the persisted registry (server_options::registry) that live as long as what they describe: a
// connection's row is deleted when its handle goes, a subscription's likewise.
#pragma once

#include <memory>
#include <string>

#include "sluice/execution/executor.hpp"
#include "sluice/registry/registry_store.hpp"

namespace sluice::server {

// A connection's row; empty (and free) when the registry is off.
class persisted_connection {
 public:
  persisted_connection() = default;
  // Writes the row: a new id on this node, the user as JSON, the transport ("websocket", "sse").
  persisted_connection(std::shared_ptr<registry::registry_store> store, const sluice::value& user,
                       std::string transport);
  persisted_connection(persisted_connection&&) noexcept = default;
  persisted_connection& operator=(persisted_connection&& o) noexcept;
  ~persisted_connection();

  [[nodiscard]] explicit operator bool() const { return store_ != nullptr; }
  [[nodiscard]] const std::string& id() const { return id_; }
  [[nodiscard]] const std::shared_ptr<registry::registry_store>& store() const { return store_; }

 private:
  std::shared_ptr<registry::registry_store> store_;
  std::string id_;
};

// A subscription's row; empty when the registry is off or the operation is not a subscription.
class persisted_subscription {
 public:
  persisted_subscription() = default;
  // Writes the row when `req` selects a subscription operation of `ex`.
  persisted_subscription(const persisted_connection& connection, std::string id, const execution::request& req,
                         const execution::executor& ex);
  persisted_subscription(persisted_subscription&&) noexcept = default;
  persisted_subscription& operator=(persisted_subscription&& o) noexcept;
  ~persisted_subscription();

 private:
  std::shared_ptr<registry::registry_store> store_;
  std::string connection_id_;
  std::string id_;
};

}  // namespace sluice::server
