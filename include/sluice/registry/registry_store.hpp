// The persisted registry of open connections and subscriptions (optional, off by default): rows in SQLite (the
// embedded default) or PostgreSQL, written as connections and subscriptions come and go, so that operators and
// backends can see who is subscribed to what; rows of a node that died are reaped (heartbeat plus expiry).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sluice::registry {

struct connection_row {
  std::string id;         // unique across nodes ("<node>/<number>")
  std::string user;       // the authenticated user as JSON text ("null" when anonymous)
  std::string node;       // the node that holds it
  std::string transport;  // "websocket", "sse"
  std::int64_t connected_at = 0;  // Unix time, milliseconds
};

struct subscription_row {
  std::string id;             // the operation id within its connection
  std::string connection_id;
  std::string operation_name;  // empty when anonymous
  std::string query;
  std::string variables;  // JSON text ("null" when none)
};

struct registry_options {
  // sqlite:PATH (a file, made if missing) or postgres://... / postgresql://... (a libpq connection URI).
  std::string url;
  // This node's name; empty: "<hostname>-<pid>". Rows this node left behind under the same name in an earlier
  // run are deleted when it starts.
  std::string node;
  std::chrono::milliseconds heartbeat{5'000};  // how often this node writes its heartbeat and reaps
  std::chrono::milliseconds expiry{15'000};    // a node whose heartbeat is older than this is dead: its rows go
};

// Tables (made if missing): sluice_nodes(node, heartbeat_at), sluice_connections(id, user_json, node, transport,
// connected_at), sluice_subscriptions(connection_id, id, operation_name, query, variables).
//
// Writes never block the caller: they are queued to the store's own thread and applied in call order (several
// at a time, in one transaction). A write that fails is logged and dropped (the registry is informative; the
// server goes on serving). Every call is thread-safe.
class registry_store {
 public:
  virtual ~registry_store() = default;

  virtual void connection_opened(connection_row row) = 0;
  // Deletes the connection and its subscriptions.
  virtual void connection_closed(std::string id) = 0;
  virtual void subscription_started(subscription_row row) = 0;
  virtual void subscription_stopped(std::string connection_id, std::string id) = 0;

  // Blocks until every write queued before the call is applied; then reads. For the admin endpoint and tests.
  [[nodiscard]] virtual std::vector<connection_row> connections() = 0;
  [[nodiscard]] virtual std::vector<subscription_row> subscriptions() = 0;

  // This node's name.
  [[nodiscard]] virtual const std::string& node() const = 0;
};

// Opens (and creates the tables of) the store `options.url` names, writes this node's first heartbeat, and
// starts its thread. Throws std::invalid_argument for a URL of another kind and std::runtime_error (with the
// database's message) when it cannot open or create it. The destructor applies the queued writes, deletes this
// node's rows and heartbeat (a clean stop leaves nothing behind) and joins the thread.
[[nodiscard]] std::unique_ptr<registry_store> open_registry(registry_options options);

}  // namespace sluice::registry
