// store: the registry_store over any database — a queue of writes, and one thread that applies them, beats and reaps.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "registry/database.hpp"
#include "sluice/registry/registry_store.hpp"

namespace sluice::registry::detail {

class store final : public registry_store {
 public:
  // Creates the tables if missing, deletes the rows an earlier run of this node left, writes the first heartbeat,
  // reaps dead nodes, then starts the thread. Throws std::runtime_error when the database refuses.
  store(std::unique_ptr<database> db, registry_options options);
  ~store() override;
  store(const store&) = delete;
  store& operator=(const store&) = delete;

  void connection_opened(connection_row row) override;
  void connection_closed(std::string id) override;
  void subscription_started(subscription_row row) override;
  void subscription_stopped(std::string connection_id, std::string id) override;
  [[nodiscard]] std::vector<connection_row> connections() override;
  [[nodiscard]] std::vector<subscription_row> subscriptions() override;
  [[nodiscard]] const std::string& node() const override { return options_.node; }

 private:
  struct closed {
    std::string id;
  };
  struct stopped {
    std::string connection_id;
    std::string id;
  };
  // Internal: deletes this node's connections and subscriptions (the first write of a re-sync).
  struct purge {};
  struct read_connections {
    std::promise<std::vector<connection_row>> result;
  };
  struct read_subscriptions {
    std::promise<std::vector<subscription_row>> result;
  };
  // The writes come first: an op is a write when its index is below `first_read`.
  using op = std::variant<connection_row, closed, subscription_row, stopped, purge, read_connections,
                          read_subscriptions>;
  static constexpr std::size_t first_read = 5;

  void enqueue(op o);
  void run();
  void apply_batch(std::vector<op>& batch);
  void remember(const op& o);
  void forget(const op& o);
  bool write(const std::vector<const op*>& ops);
  void write_one(const op& o);
  void touch();
  void resync();
  void beat();
  void remove_own_rows() noexcept;
  void unavailable(const database_error& e, std::size_t writes);
  void available();
  template <class Body>
  void transaction(Body&& body);

  std::unique_ptr<database> db_;
  registry_options options_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<op> queue_;  // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_

  // The writer thread's own state.
  // What this node's rows should be (as written; writes that failed for lack of a database are kept): written
  // again after the database was unavailable, or when another node reaped this one.
  std::map<std::string, connection_row> own_connections_;
  std::map<std::pair<std::string, std::string>, subscription_row> own_subscriptions_;
  bool resync_needed_ = true;  // at start: delete what an earlier run under this name left
  bool healthy_ = true;
  std::uint64_t dropped_ = 0;

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace sluice::registry::detail
