// database: the little a registry store needs from SQLite or PostgreSQL — statements with bound parameters.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sluice::registry::detail {

// A bound parameter: text or a 64-bit integer. Text is only read during the call.
using param = std::variant<std::string_view, std::int64_t>;
// A result row: each column as text (integers in decimal).
using row = std::vector<std::string>;

// A statement that failed; `unavailable` when the database itself could not be reached or used (a lost
// connection, a busy or full database) rather than this statement being wrong.
class database_error : public std::runtime_error {
 public:
  database_error(const std::string& message, bool unavailable)
      : std::runtime_error(message), unavailable_(unavailable) {}
  [[nodiscard]] bool unavailable() const noexcept { return unavailable_; }

 private:
  bool unavailable_;
};

// One connection, used by one thread at a time. SQL text is written once (sql.hpp) with PostgreSQL's numbered
// placeholders ($1, $2, ...); the SQLite backend rewrites them to its own numbered form (?1, ?2, ...).
class database {
 public:
  virtual ~database() = default;

  // Runs a statement (rows it returns are ignored); returns how many rows it changed.
  virtual std::int64_t exec(std::string_view sql, std::initializer_list<param> params) = 0;
  virtual std::vector<row> query(std::string_view sql, std::initializer_list<param> params) = 0;

  // A write transaction (SQLite: BEGIN IMMEDIATE, so that writers of several processes queue on busy_timeout).
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  // Inside a transaction: serialises schema creation between nodes starting at once (PostgreSQL's CREATE ...
  // IF NOT EXISTS is not safe against a concurrent creator). A no-op where BEGIN already serialises.
  virtual void lock_schema() = 0;

  // Before a batch: reconnects a lost connection; false when the database still cannot be used.
  virtual bool ready() = 0;
};

// Throw std::runtime_error (with the database's message) when the database cannot be opened.
[[nodiscard]] std::unique_ptr<database> open_sqlite(const std::string& path);
[[nodiscard]] std::unique_ptr<database> open_postgres(const std::string& conninfo);

}  // namespace sluice::registry::detail
