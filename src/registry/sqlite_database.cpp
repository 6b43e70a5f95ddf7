// sqlite_database: the registry's database in an SQLite file (sqlite3 C API, cached prepared statements).
#include <sqlite3.h>

#include <cctype>
#include <memory>
#include <string>
#include <unordered_map>

#include "registry/database.hpp"

namespace sluice::registry::detail {
namespace {

// Codes that say the database cannot be used now, rather than that a statement is wrong.
bool unavailable_code(int code) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_NOMEM:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_PROTOCOL:
      return true;
    default:
      return false;
  }
}

// $1, $2 ... (sql.hpp's placeholders) → ?1, ?2 ... (SQLite's numbered parameters). Our SQL has no '$' elsewhere.
std::string sqlite_placeholders(std::string_view sql) {
  std::string out(sql);
  for (std::size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] == '$' && std::isdigit(static_cast<unsigned char>(out[i + 1]))) out[i] = '?';
  }
  return out;
}

class sqlite_database final : public database {
 public:
  explicit sqlite_database(sqlite3* db) : db_(db) {}
  ~sqlite_database() override {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close(db_);
  }
  sqlite_database(const sqlite_database&) = delete;
  sqlite_database& operator=(const sqlite_database&) = delete;

  std::int64_t exec(std::string_view sql, std::initializer_list<param> params) override {
    sqlite3_stmt* statement = prepare(sql, params);
    const statement_reset reset{statement};
    for (;;) {
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(rc);
    }
    return sqlite3_changes64(db_);
  }

  std::vector<row> query(std::string_view sql, std::initializer_list<param> params) override {
    sqlite3_stmt* statement = prepare(sql, params);
    const statement_reset reset{statement};
    std::vector<row> rows;
    const int columns = sqlite3_column_count(statement);
    for (;;) {
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(rc);
      row& r = rows.emplace_back();
      r.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, c));
        const int size = sqlite3_column_bytes(statement, c);
        r.emplace_back(text ? std::string(text, static_cast<std::size_t>(size)) : std::string());
      }
    }
    return rows;
  }

  void begin() override { run("BEGIN IMMEDIATE"); }
  void commit() override { run("COMMIT"); }
  void rollback() noexcept override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void lock_schema() override {}
  bool ready() override { return true; }

 private:
  // Resets a statement after use, so that it holds no lock and can run again.
  struct statement_reset {
    sqlite3_stmt* statement;
    ~statement_reset() {
      sqlite3_reset(statement);
      sqlite3_clear_bindings(statement);
    }
  };

  sqlite3_stmt* prepare(std::string_view sql, std::initializer_list<param> params) {
    auto it = statements_.find(std::string(sql));
    if (it == statements_.end()) {
      const std::string text = sqlite_placeholders(sql);
      sqlite3_stmt* statement = nullptr;
      const int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()), SQLITE_PREPARE_PERSISTENT,
                                        &statement, nullptr);
      if (rc != SQLITE_OK) fail(rc);
      it = statements_.emplace(std::string(sql), statement).first;
    }
    sqlite3_stmt* statement = it->second;
    int index = 1;
    for (const param& p : params) {
      int rc = SQLITE_OK;
      if (const auto* text = std::get_if<std::string_view>(&p)) {
        // A null pointer would bind SQL NULL: an empty text is still text.
        rc = sqlite3_bind_text64(statement, index, text->empty() ? "" : text->data(), text->size(), SQLITE_STATIC,
                                 SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_int64(statement, index, std::get<std::int64_t>(p));
      }
      if (rc != SQLITE_OK) {
        sqlite3_clear_bindings(statement);
        fail(rc);
      }
      ++index;
    }
    return statement;
  }

  void run(const char* sql) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(rc);
  }

  [[noreturn]] void fail(int rc) const {
    const int code = sqlite3_extended_errcode(db_);
    throw database_error(std::string("SQLite: ") + sqlite3_errmsg(db_), unavailable_code(code ? code : rc));
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

std::unique_ptr<database> open_sqlite(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    const std::string why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    throw std::runtime_error("cannot open the SQLite database " + path + ": " + why);
  }
  // Several nodes (processes) may share one file: readers do not block the writer, writers wait for each other.
  sqlite3_busy_timeout(db, 5'000);
  char* error = nullptr;
  if (sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string why = error ? error : sqlite3_errmsg(db);
    sqlite3_free(error);
    sqlite3_close(db);
    throw std::runtime_error("cannot open the SQLite database " + path + ": " + why);
  }
  // WAL with synchronous=NORMAL: no fsync per commit, and still never corrupt (a power cut may lose the last
  // commits; the registry is informative and each node rewrites its rows on its next start).
  sqlite3_exec(db, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
  return std::make_unique<sqlite_database>(db);
}

}  // namespace sluice::registry::detail
