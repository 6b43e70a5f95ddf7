// sql: every statement of the registry, in the one dialect SQLite and PostgreSQL share ($n placeholders).
#pragma once

namespace sluice::registry::detail::sql {

inline constexpr const char* create_nodes =
    "CREATE TABLE IF NOT EXISTS sluice_nodes (node TEXT PRIMARY KEY, heartbeat_at BIGINT NOT NULL)";
inline constexpr const char* create_connections =
    "CREATE TABLE IF NOT EXISTS sluice_connections (id TEXT PRIMARY KEY, user_json TEXT NOT NULL, "
    "node TEXT NOT NULL, transport TEXT NOT NULL, connected_at BIGINT NOT NULL)";
inline constexpr const char* create_connections_node_index =
    "CREATE INDEX IF NOT EXISTS sluice_connections_node ON sluice_connections (node)";
// The primary key's index (connection_id first) also serves lookups by connection_id alone.
inline constexpr const char* create_subscriptions =
    "CREATE TABLE IF NOT EXISTS sluice_subscriptions (connection_id TEXT NOT NULL, id TEXT NOT NULL, "
    "operation_name TEXT NOT NULL, query TEXT NOT NULL, variables TEXT NOT NULL, PRIMARY KEY (connection_id, id))";

// Heartbeat: $1 node, $2 now (Unix ms). The UPDATE changes no row when the node row is missing (first start,
// or another node reaped this one): then the INSERT.
inline constexpr const char* touch_node = "UPDATE sluice_nodes SET heartbeat_at = $2 WHERE node = $1";
inline constexpr const char* upsert_node =
    "INSERT INTO sluice_nodes (node, heartbeat_at) VALUES ($1, $2) "
    "ON CONFLICT (node) DO UPDATE SET heartbeat_at = excluded.heartbeat_at";

// Every statement that deletes a node's rows takes its node row first, then subscriptions, then connections:
// one lock order for all nodes, so reapers and writers wait for each other instead of deadlocking.
// $1: the oldest heartbeat still alive (Unix ms); returns the dead nodes.
inline constexpr const char* reap_nodes = "DELETE FROM sluice_nodes WHERE heartbeat_at < $1 RETURNING node";
inline constexpr const char* delete_node = "DELETE FROM sluice_nodes WHERE node = $1";
inline constexpr const char* delete_node_subscriptions =
    "DELETE FROM sluice_subscriptions WHERE connection_id IN (SELECT id FROM sluice_connections WHERE node = $1)";
inline constexpr const char* delete_node_connections = "DELETE FROM sluice_connections WHERE node = $1";

inline constexpr const char* upsert_connection =
    "INSERT INTO sluice_connections (id, user_json, node, transport, connected_at) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT (id) DO UPDATE SET user_json = excluded.user_json, node = excluded.node, "
    "transport = excluded.transport, connected_at = excluded.connected_at";
inline constexpr const char* delete_connection_subscriptions =
    "DELETE FROM sluice_subscriptions WHERE connection_id = $1";
inline constexpr const char* delete_connection = "DELETE FROM sluice_connections WHERE id = $1";
inline constexpr const char* upsert_subscription =
    "INSERT INTO sluice_subscriptions (connection_id, id, operation_name, query, variables) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (connection_id, id) DO UPDATE SET "
    "operation_name = excluded.operation_name, query = excluded.query, variables = excluded.variables";
inline constexpr const char* delete_subscription =
    "DELETE FROM sluice_subscriptions WHERE connection_id = $1 AND id = $2";

inline constexpr const char* select_connections =
    "SELECT id, user_json, node, transport, connected_at FROM sluice_connections ORDER BY id";
inline constexpr const char* select_subscriptions =
    "SELECT connection_id, id, operation_name, query, variables FROM sluice_subscriptions "
    "ORDER BY connection_id, id";

}  // namespace sluice::registry::detail::sql
