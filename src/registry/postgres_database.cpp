// postgres_database: the registry's database in PostgreSQL (libpq, synchronous, on the store's own thread).
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "registry/database.hpp"

namespace sluice::registry::detail {
namespace {

// libpq's messages end with a newline.
std::string trimmed(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

struct result_deleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using result_ptr = std::unique_ptr<PGresult, result_deleter>;

class postgres_database final : public database {
 public:
  explicit postgres_database(PGconn* conn) : conn_(conn) {}
  ~postgres_database() override { PQfinish(conn_); }
  postgres_database(const postgres_database&) = delete;
  postgres_database& operator=(const postgres_database&) = delete;

  std::int64_t exec(std::string_view sql, std::initializer_list<param> params) override {
    const result_ptr result = run(sql, params);
    return std::strtoll(PQcmdTuples(result.get()), nullptr, 10);
  }

  std::vector<row> query(std::string_view sql, std::initializer_list<param> params) override {
    const result_ptr result = run(sql, params);
    std::vector<row> rows;
    const int count = PQntuples(result.get());
    const int columns = PQnfields(result.get());
    rows.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
      row& r = rows.emplace_back();
      r.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        r.emplace_back(PQgetvalue(result.get(), i, c), static_cast<std::size_t>(PQgetlength(result.get(), i, c)));
      }
    }
    return rows;
  }

  void begin() override { run("BEGIN", {}); }
  void commit() override { run("COMMIT", {}); }
  void rollback() noexcept override {
    if (PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) != PQTRANS_IDLE) {
      PQclear(PQexec(conn_, "ROLLBACK"));
    }
  }
  // A transaction-scoped advisory lock: released at COMMIT or ROLLBACK. The key is arbitrary but fixed.
  void lock_schema() override { run("SELECT pg_advisory_xact_lock(7351896240139)", {}); }

  bool ready() override {
    if (PQstatus(conn_) == CONNECTION_OK) return true;
    spdlog::info("registry: the PostgreSQL connection was lost; reconnecting");
    PQreset(conn_);
    if (PQstatus(conn_) == CONNECTION_OK) {
      spdlog::info("registry: reconnected to PostgreSQL");
      return true;
    }
    spdlog::debug("registry: cannot reconnect to PostgreSQL: {}", trimmed(PQerrorMessage(conn_)));
    return false;
  }

 private:
  result_ptr run(std::string_view sql, std::initializer_list<param> params) {
    // Text format: every value NUL-terminated, integers in decimal; types are inferred from the statement.
    std::vector<std::string> values;
    values.reserve(params.size());
    for (const param& p : params) {
      if (const auto* text = std::get_if<std::string_view>(&p)) {
        values.emplace_back(*text);
      } else {
        values.push_back(std::to_string(std::get<std::int64_t>(p)));
      }
    }
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const auto& v : values) pointers.push_back(v.c_str());
    const std::string text(sql);
    result_ptr result(PQexecParams(conn_, text.c_str(), static_cast<int>(pointers.size()), nullptr,
                                   pointers.data(), nullptr, nullptr, 0));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
      const std::string sqlstate = state ? state : "";
      // Classes 08 (connection), 53 (insufficient resources), 57 (operator intervention: shutdown), 58 (system).
      const std::string klass = sqlstate.substr(0, 2);
      const bool unavailable =
          PQstatus(conn_) != CONNECTION_OK || klass == "08" || klass == "53" || klass == "57" || klass == "58";
      const std::string message =
          trimmed(result ? PQresultErrorMessage(result.get()) : PQerrorMessage(conn_));
      throw database_error("PostgreSQL: " + (message.empty() ? trimmed(PQerrorMessage(conn_)) : message),
                           unavailable);
    }
    return result;
  }

  PGconn* conn_;
};

// CREATE TABLE IF NOT EXISTS reports an existing table as a NOTICE, which libpq prints to stderr by default.
void ignore_notice(void*, const char*) {}

}  // namespace

std::unique_ptr<database> open_postgres(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (!conn) throw std::runtime_error("cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string why = trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    throw std::runtime_error("cannot connect to PostgreSQL: " + why);
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  return std::make_unique<postgres_database>(conn);
}

}  // namespace sluice::registry::detail
