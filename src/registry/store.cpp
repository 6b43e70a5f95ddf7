// store: the registry_store over any database — a queue of writes, and one thread that applies them, beats and reaps.
#include "registry/store.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <exception>

#include "registry/sql.hpp"

namespace sluice::registry::detail {
namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t to_int(const std::string& text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

}  // namespace

store::store(std::unique_ptr<database> db, registry_options options)
    : db_(std::move(db)), options_(std::move(options)) {
  try {
    transaction([&] {
      db_->lock_schema();
      db_->exec(sql::create_nodes, {});
      db_->exec(sql::create_connections, {});
      db_->exec(sql::create_connections_node_index, {});
      db_->exec(sql::create_subscriptions, {});
    });
  } catch (const database_error& e) {
    throw std::runtime_error(std::string("cannot create the registry's tables: ") + e.what());
  }
  // Delete what an earlier run under this name left, and write the first heartbeat (one transaction); then reap.
  transaction([&] {
    touch();
    db_->exec(sql::delete_node_subscriptions, {options_.node});
    db_->exec(sql::delete_node_connections, {options_.node});
  });
  resync_needed_ = false;
  beat();
  thread_ = std::thread([this] { run(); });
}

store::~store() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void store::connection_opened(connection_row row) {
  if (row.node.empty()) row.node = options_.node;
  enqueue(std::move(row));
}
void store::connection_closed(std::string id) { enqueue(closed{std::move(id)}); }
void store::subscription_started(subscription_row row) { enqueue(std::move(row)); }
void store::subscription_stopped(std::string connection_id, std::string id) {
  enqueue(stopped{std::move(connection_id), std::move(id)});
}

std::vector<connection_row> store::connections() {
  read_connections read;
  auto result = read.result.get_future();
  enqueue(std::move(read));
  return result.get();
}

std::vector<subscription_row> store::subscriptions() {
  read_subscriptions read;
  auto result = read.result.get_future();
  enqueue(std::move(read));
  return result.get();
}

void store::enqueue(op o) {
  {
    const std::lock_guard lock(mutex_);
    queue_.push_back(std::move(o));
  }
  wake_.notify_one();
}

void store::run() {
  auto next_beat = std::chrono::steady_clock::now() + options_.heartbeat;
  std::vector<op> batch;
  for (;;) {
    bool stop = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, next_beat, [&] { return !queue_.empty() || stopping_; });
      batch.swap(queue_);
      stop = stopping_;
    }
    if (batch.empty() && stop) break;
    try {
      if (!batch.empty()) apply_batch(batch);
      if (!stop && std::chrono::steady_clock::now() >= next_beat) {
        next_beat = std::chrono::steady_clock::now() + options_.heartbeat;
        beat();
      }
    } catch (const std::exception& e) {
      // Not a database error (those are handled where they happen): log it and go on.
      spdlog::error("registry: {}", e.what());
    }
    batch.clear();
  }
  remove_own_rows();
}

// Every write of the batch in one transaction (in call order), then every read.
void store::apply_batch(std::vector<op>& batch) {
  std::vector<const op*> writes;
  for (const op& o : batch) {
    if (o.index() < first_read) {
      remember(o);
      writes.push_back(&o);
    }
  }
  if (!writes.empty()) {
    if (!db_->ready()) {
      unavailable(database_error("the database cannot be reached", true), writes.size());
    } else if (resync_needed_) {
      resync();  // writes this batch's rows too: they are remembered
    } else if (write(writes) && resync_needed_) {
      resync();  // the heartbeat found this node reaped by another
    }
  }
  for (op& o : batch) {
    if (auto* read = std::get_if<read_connections>(&o)) {
      try {
        std::vector<connection_row> rows;
        for (auto& r : db_->query(sql::select_connections, {})) {
          rows.push_back({std::move(r[0]), std::move(r[1]), std::move(r[2]), std::move(r[3]), to_int(r[4])});
        }
        read->result.set_value(std::move(rows));
      } catch (const std::exception&) {
        read->result.set_exception(std::current_exception());
      }
    } else if (auto* read_subs = std::get_if<read_subscriptions>(&o)) {
      try {
        std::vector<subscription_row> rows;
        for (auto& r : db_->query(sql::select_subscriptions, {})) {
          rows.push_back({std::move(r[1]), std::move(r[0]), std::move(r[2]), std::move(r[3]), std::move(r[4])});
        }
        read_subs->result.set_value(std::move(rows));
      } catch (const std::exception&) {
        read_subs->result.set_exception(std::current_exception());
      }
    }
  }
}

// Keeps this node's intended rows, to write them again when the database lost them.
void store::remember(const op& o) {
  if (const auto* row = std::get_if<connection_row>(&o)) {
    own_connections_[row->id] = *row;
  } else if (const auto* sub = std::get_if<subscription_row>(&o)) {
    own_subscriptions_[{sub->connection_id, sub->id}] = *sub;
  } else if (const auto* close = std::get_if<closed>(&o)) {
    own_connections_.erase(close->id);
    auto it = own_subscriptions_.lower_bound({close->id, std::string()});
    while (it != own_subscriptions_.end() && it->first.first == close->id) it = own_subscriptions_.erase(it);
  } else if (const auto* stop = std::get_if<stopped>(&o)) {
    own_subscriptions_.erase({stop->connection_id, stop->id});
  }
}

// A row the database refused is dropped for good: it is not written again.
void store::forget(const op& o) {
  if (const auto* row = std::get_if<connection_row>(&o)) {
    own_connections_.erase(row->id);
  } else if (const auto* sub = std::get_if<subscription_row>(&o)) {
    own_subscriptions_.erase({sub->connection_id, sub->id});
  }
}

template <class Body>
void store::transaction(Body&& body) {
  db_->begin();
  try {
    body();
    db_->commit();
  } catch (...) {
    db_->rollback();
    throw;
  }
}

// Applies writes in one transaction that also beats. When the database refuses one of them, applies them one by
// one and drops (with a warning) those it refuses. False when the database was unavailable: nothing was written.
bool store::write(const std::vector<const op*>& ops) {
  try {
    transaction([&] {
      touch();
      for (const op* o : ops) write_one(*o);
    });
    available();
    return true;
  } catch (const database_error& e) {
    if (e.unavailable()) {
      unavailable(e, ops.size());
      return false;
    }
    if (ops.size() > 1) spdlog::debug("registry: a batch of {} writes failed ({}); one by one", ops.size(), e.what());
  }
  for (std::size_t i = 0; i < ops.size(); ++i) {
    try {
      transaction([&] {
        touch();
        write_one(*ops[i]);
      });
      available();
    } catch (const database_error& e) {
      if (e.unavailable()) {
        unavailable(e, ops.size() - i);
        return false;
      }
      spdlog::warn("registry: a write was refused and is dropped: {}", e.what());
      forget(*ops[i]);
    }
  }
  return true;
}

void store::write_one(const op& o) {
  if (const auto* row = std::get_if<connection_row>(&o)) {
    db_->exec(sql::upsert_connection, {row->id, row->user, row->node, row->transport, row->connected_at});
  } else if (const auto* sub = std::get_if<subscription_row>(&o)) {
    db_->exec(sql::upsert_subscription, {sub->connection_id, sub->id, sub->operation_name, sub->query, sub->variables});
  } else if (const auto* close = std::get_if<closed>(&o)) {
    db_->exec(sql::delete_connection_subscriptions, {close->id});
    db_->exec(sql::delete_connection, {close->id});
  } else if (const auto* stop = std::get_if<stopped>(&o)) {
    db_->exec(sql::delete_subscription, {stop->connection_id, stop->id});
  } else if (std::holds_alternative<purge>(o)) {
    db_->exec(sql::delete_node_subscriptions, {options_.node});
    db_->exec(sql::delete_node_connections, {options_.node});
  }
}

// The heartbeat, first in every transaction that writes (it also takes this node's row lock first). A missing
// node row means another node found this one dead and deleted its rows: they are written again (resync).
void store::touch() {
  const std::int64_t now = now_ms();
  if (db_->exec(sql::touch_node, {options_.node, now}) > 0) return;
  db_->exec(sql::upsert_node, {options_.node, now});
  if (!resync_needed_) {
    spdlog::warn("registry: node {} had been reaped by another node (which found its heartbeat too old); writing "
                 "its rows again",
                 options_.node);
    resync_needed_ = true;
  }
}

// Replaces this node's rows by the ones it remembers.
void store::resync() {
  std::vector<op> ops;
  ops.reserve(1 + own_connections_.size() + own_subscriptions_.size());
  ops.emplace_back(purge{});
  for (const auto& [id, row] : own_connections_) ops.emplace_back(row);
  for (const auto& [key, sub] : own_subscriptions_) ops.emplace_back(sub);
  std::vector<const op*> pointers;
  pointers.reserve(ops.size());
  for (const op& o : ops) pointers.push_back(&o);
  resync_needed_ = false;
  write(pointers);
}

// Writes this node's heartbeat and deletes the rows of nodes whose heartbeat expired.
void store::beat() {
  if (!db_->ready()) {
    unavailable(database_error("the database cannot be reached", true), 0);
    return;
  }
  if (resync_needed_) resync();
  std::vector<row> dead;
  try {
    transaction([&] {
      touch();
      dead = db_->query(sql::reap_nodes, {now_ms() - options_.expiry.count()});
      for (const row& r : dead) {
        db_->exec(sql::delete_node_subscriptions, {r[0]});
        db_->exec(sql::delete_node_connections, {r[0]});
      }
    });
    available();
  } catch (const database_error& e) {
    if (e.unavailable()) {
      unavailable(e, 0);
    } else {
      spdlog::warn("registry: heartbeat failed: {}", e.what());
    }
    return;
  }
  for (const row& r : dead) {
    spdlog::info("registry: node {} stopped beating for over {} ms; its rows were deleted", r[0],
                 options_.expiry.count());
  }
  if (resync_needed_) resync();
}

// A clean stop: delete this node's rows and heartbeat.
void store::remove_own_rows() noexcept {
  try {
    if (!db_->ready()) {
      spdlog::warn("registry: cannot delete the rows of node {} at stop: the database cannot be reached",
                   options_.node);
      return;
    }
    transaction([&] {
      db_->exec(sql::delete_node, {options_.node});
      db_->exec(sql::delete_node_subscriptions, {options_.node});
      db_->exec(sql::delete_node_connections, {options_.node});
    });
  } catch (const std::exception& e) {
    spdlog::warn("registry: cannot delete the rows of node {} at stop: {}", options_.node, e.what());
  }
}

void store::unavailable(const database_error& e, std::size_t writes) {
  dropped_ += writes;
  resync_needed_ = true;
  if (healthy_) {
    healthy_ = false;
    spdlog::warn("registry: the database is unavailable ({}); writes are dropped until it is back, then this "
                 "node's rows are written again",
                 e.what());
  }
}

void store::available() {
  if (healthy_) return;
  healthy_ = true;
  spdlog::info("registry: the database is back ({} writes were dropped meanwhile; this node's rows are rewritten)",
               dropped_);
  dropped_ = 0;
}

}  // namespace sluice::registry::detail
