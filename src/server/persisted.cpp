// Registry rows tied to the lifetime of connections and subscriptions.
#include "persisted.hpp"

#include <atomic>
#include <chrono>

#include "sluice/core/json.hpp"

namespace sluice::server {

namespace {
std::atomic<std::uint64_t> next_row_id{1};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

persisted_connection::persisted_connection(std::shared_ptr<registry::registry_store> store, const sluice::value& user,
                                           std::string transport)
    : store_(std::move(store)) {
  if (!store_) return;
  id_ = store_->node() + "/" + std::to_string(next_row_id++);
  store_->connection_opened(registry::connection_row{id_, json::to_string(user), store_->node(), std::move(transport),
                                                     now_ms()});
}

persisted_connection& persisted_connection::operator=(persisted_connection&& o) noexcept {
  if (this != &o) {
    if (store_) store_->connection_closed(std::move(id_));
    store_ = std::move(o.store_);
    id_ = std::move(o.id_);
  }
  return *this;
}

persisted_connection::~persisted_connection() {
  if (store_) store_->connection_closed(std::move(id_));
}

persisted_subscription::persisted_subscription(const persisted_connection& connection, std::string id,
                                               const execution::request& req, const execution::executor& ex) {
  if (!connection) return;
  const auto selected = ex.select_operation(req);
  if (selected.operation == nullptr || selected.operation->operation != language::operation_type::subscription) return;
  store_ = connection.store();
  connection_id_ = connection.id();
  id_ = std::move(id);
  store_->subscription_started(registry::subscription_row{id_, connection_id_, std::string(selected.operation->op_name.text),
                                                          req.query, json::to_string(req.variables)});
}

persisted_subscription& persisted_subscription::operator=(persisted_subscription&& o) noexcept {
  if (this != &o) {
    if (store_) store_->subscription_stopped(std::move(connection_id_), std::move(id_));
    store_ = std::move(o.store_);
    connection_id_ = std::move(o.connection_id_);
    id_ = std::move(o.id_);
  }
  return *this;
}

persisted_subscription::~persisted_subscription() {
  if (store_) store_->subscription_stopped(std::move(connection_id_), std::move(id_));
}

}  // namespace sluice::server
