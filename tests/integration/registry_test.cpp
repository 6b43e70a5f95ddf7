// registry_store against SQLite files and a real PostgreSQL 15 server: what a user of the registry sees.
//
// Every behaviour runs on both databases: rows appear and disappear, nodes see each other's rows, a killed node's
// rows are reaped, a clean stop leaves nothing, a restart under the same name clears the earlier run, and any text
// round-trips.
#include "sluice/registry/registry_store.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <poll.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "support/postgres_server.hpp"
#include "support/shared_postgres.hpp"

using namespace std::chrono_literals;
using sluice::registry::connection_row;
using sluice::registry::open_registry;
using sluice::registry::registry_options;
using sluice::registry::registry_store;
using sluice::registry::subscription_row;
using sluice::test::postgres_server;
using sluice::test::shared_postgres;

namespace {


enum class backend { sqlite, postgres };

std::string backend_name(const ::testing::TestParamInfo<backend>& info) {
  return info.param == backend::sqlite ? "sqlite" : "postgres";
}

void ignore_notice(void*, const char*) {}

// Runs one statement on the database `url` names, outside any store; returns the first column of the first row.
std::string raw_query(const std::string& url, const std::string& sql, const std::string& arg) {
  if (url.starts_with("sqlite:")) {
    sqlite3* db = nullptr;
    std::string result;
    if (sqlite3_open_v2(url.substr(7).c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
      sqlite3_busy_timeout(db, 5'000);
      sqlite3_stmt* statement = nullptr;
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, arg.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(statement) == SQLITE_ROW) {
          result = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
        }
        sqlite3_finalize(statement);
      }
    }
    const std::string error = sqlite3_errmsg(db);
    sqlite3_close(db);
    if (result.empty()) throw std::runtime_error("raw query failed: " + error);
    return result;
  }
  PGconn* conn = PQconnectdb(url.c_str());
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  const char* values[] = {arg.c_str()};
  PGresult* r = PQexecParams(conn, sql.c_str(), arg.empty() ? 0 : 1, nullptr, values, nullptr, nullptr, 0);
  const auto status = PQresultStatus(r);
  std::string result = status == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
  const std::string error = PQerrorMessage(conn);
  PQclear(r);
  PQfinish(conn);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) throw std::runtime_error("raw query failed: " + error);
  return result;
}

// How many heartbeat rows the node has (0 or 1).
int node_rows(const std::string& url, const std::string& node) {
  const bool sqlite = url.starts_with("sqlite:");
  return std::stoi(raw_query(url,
                             sqlite ? "SELECT count(*) FROM sluice_nodes WHERE node = ?1"
                                    : "SELECT count(*) FROM sluice_nodes WHERE node = $1",
                             node));
}

connection_row conn(const std::string& id, const std::string& node, const std::string& transport = "websocket") {
  return {id, R"({"sub":"user-)" + id + R"("})", node, transport, 1'700'000'000'000 + static_cast<int>(id.size())};
}

subscription_row sub(const std::string& connection_id, const std::string& id) {
  return {id, connection_id, "OnMessage", "subscription OnMessage { message { text } }", R"({"room":1})"};
}

auto fields(const connection_row& r) { return std::tie(r.id, r.user, r.node, r.transport, r.connected_at); }
auto fields(const subscription_row& r) {
  return std::tie(r.connection_id, r.id, r.operation_name, r.query, r.variables);
}

std::vector<std::string> connection_ids(registry_store& store) {
  std::vector<std::string> ids;
  for (const auto& c : store.connections()) ids.push_back(c.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<std::string> subscription_keys(registry_store& store) {
  std::vector<std::string> keys;
  for (const auto& s : store.subscriptions()) keys.push_back(s.connection_id + " " + s.id);
  std::sort(keys.begin(), keys.end());
  return keys;
}

using ids = std::vector<std::string>;

// Polls `done` until it holds or `timeout` passes.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// A node in a child process of its own: it opens the store (its own connection, made after fork) as `node` with
// a 50 ms heartbeat, writes connection "<node>/1" with subscription "s1", and once connections() lists them
// tells the parent and waits. kill() ends it with SIGKILL: no destructor runs, its rows stay behind.
class child_node {
 public:
  child_node(const std::string& url, const std::string& node) {
    int ready[2];
    if (::pipe(ready) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::close(ready[0]);
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      try {
        registry_options options{url, node, 50ms, 15s};
        const auto store = open_registry(options);
        store->connection_opened(conn(node + "/1", node));
        store->subscription_started(sub(node + "/1", "s1"));
        if (store->connections().size() == 1 && store->subscriptions().size() == 1 &&
            ::write(ready[1], "y", 1) == 1) {
          for (;;) ::pause();
        }
      } catch (...) {
      }
      ::_exit(1);
    }
    ::close(ready[1]);
    pollfd p{ready[0], POLLIN, 0};
    char byte = 0;
    ready_ = ::poll(&p, 1, 10'000) == 1 && ::read(ready[0], &byte, 1) == 1 && byte == 'y';
    ::close(ready[0]);
  }
  ~child_node() { kill(); }
  child_node(const child_node&) = delete;
  child_node& operator=(const child_node&) = delete;

  [[nodiscard]] bool ready() const { return ready_; }
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  bool ready_ = false;
};

// Each test gets an empty database: a file in a fresh temporary directory, or the shared server with the
// registry's tables dropped.
class registry_test : public ::testing::TestWithParam<backend> {
 protected:
  void SetUp() override {
    if (GetParam() == backend::sqlite) {
      std::string pattern = (std::filesystem::temp_directory_path() / "sluice-registry-XXXXXX").string();
      ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
      dir_ = pattern;
      url_ = "sqlite:" + (dir_ / "registry.db").string();
    } else {
      url_ = shared_postgres::get().conninfo();
      raw_query(url_, "DROP TABLE IF EXISTS sluice_subscriptions, sluice_connections, sluice_nodes", "");
    }
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  [[nodiscard]] registry_options options(const std::string& node, std::chrono::milliseconds heartbeat = 5s,
                                         std::chrono::milliseconds expiry = 15s) const {
    return {url_, node, heartbeat, expiry};
  }

  std::filesystem::path dir_;
  std::string url_;
};

TEST_P(registry_test, rows_appear_with_every_field_as_given) {
  const auto store = open_registry(options("a"));
  EXPECT_EQ(store->node(), "a");
  const connection_row ws{"a/1", R"({"sub":"alice","roles":["admin"]})", "a", "websocket", 1'700'000'000'123};
  const connection_row sse{"a/2", "null", "a", "sse", 1'700'000'000'456};
  const subscription_row named{"1", "a/1", "OnMessage", "subscription OnMessage { message { text } }",
                               R"({"room":"lobby"})"};
  const subscription_row anonymous{"2", "a/1", "", "subscription { tick }", "null"};
  store->connection_opened(ws);
  store->connection_opened(sse);
  store->subscription_started(named);
  store->subscription_started(anonymous);

  auto connections = store->connections();
  ASSERT_EQ(connections.size(), 2u);
  std::sort(connections.begin(), connections.end(), [](auto& x, auto& y) { return x.id < y.id; });
  EXPECT_EQ(fields(connections[0]), fields(ws));
  EXPECT_EQ(fields(connections[1]), fields(sse));
  auto subscriptions = store->subscriptions();
  ASSERT_EQ(subscriptions.size(), 2u);
  std::sort(subscriptions.begin(), subscriptions.end(), [](auto& x, auto& y) { return x.id < y.id; });
  EXPECT_EQ(fields(subscriptions[0]), fields(named));
  EXPECT_EQ(fields(subscriptions[1]), fields(anonymous));
}

TEST_P(registry_test, a_connection_without_a_node_is_this_nodes_and_the_default_name_is_host_and_pid) {
  const auto store = open_registry(options(""));
  char host[256] = {};
  ASSERT_EQ(::gethostname(host, sizeof host - 1), 0);
  EXPECT_EQ(store->node(), std::string(host) + "-" + std::to_string(::getpid()));
  store->connection_opened({"x/1", "null", "", "sse", 1});
  const auto connections = store->connections();
  ASSERT_EQ(connections.size(), 1u);
  EXPECT_EQ(connections[0].node, store->node());
}

TEST_P(registry_test, rows_disappear_when_stopped_and_closed) {
  const auto store = open_registry(options("a"));
  store->connection_opened(conn("a/1", "a"));
  store->connection_opened(conn("a/2", "a"));
  store->subscription_started(sub("a/1", "1"));
  store->subscription_started(sub("a/1", "2"));
  store->subscription_started(sub("a/1", "3"));
  store->subscription_started(sub("a/2", "1"));
  ASSERT_EQ(subscription_keys(*store), (ids{"a/1 1", "a/1 2", "a/1 3", "a/2 1"}));

  store->subscription_stopped("a/1", "2");
  EXPECT_EQ(subscription_keys(*store), (ids{"a/1 1", "a/1 3", "a/2 1"}));
  EXPECT_EQ(connection_ids(*store), (ids{"a/1", "a/2"}));

  store->connection_closed("a/1");
  EXPECT_EQ(connection_ids(*store), (ids{"a/2"}));
  EXPECT_EQ(subscription_keys(*store), (ids{"a/2 1"}));
}

TEST_P(registry_test, writes_apply_in_call_order_within_one_batch) {
  const auto store = open_registry(options("a"));
  // No read in between: these reach the writer together and go in one transaction.
  store->connection_opened(conn("a/1", "a"));
  store->subscription_started(sub("a/1", "1"));
  store->connection_closed("a/1");
  store->connection_opened(conn("a/2", "a", "sse"));
  store->subscription_started(sub("a/2", "1"));
  store->subscription_stopped("a/2", "1");
  store->subscription_started(sub("a/2", "2"));
  store->connection_opened(conn("a/1", "a", "sse"));  // the same id again
  EXPECT_EQ(connection_ids(*store), (ids{"a/1", "a/2"}));
  EXPECT_EQ(subscription_keys(*store), (ids{"a/2 2"}));
}

TEST_P(registry_test, writes_from_many_threads_are_all_applied) {
  const auto store = open_registry(options("a"));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 100; ++i) {
        const std::string id = "a/" + std::to_string(t) + "-" + std::to_string(i);
        store->connection_opened(conn(id, "a"));
        store->subscription_started(sub(id, "1"));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(store->connections().size(), 400u);
  EXPECT_EQ(store->subscriptions().size(), 400u);
}

TEST_P(registry_test, two_nodes_see_each_others_rows) {
  const auto a = open_registry(options("a"));
  const auto b = open_registry(options("b"));
  a->connection_opened(conn("a/1", "a"));
  a->subscription_started(sub("a/1", "1"));
  b->connection_opened(conn("b/1", "b"));
  b->subscription_started(sub("b/1", "1"));
  // A read waits for the reader's own queued writes only: each node's writes are applied by its own thread.
  (void)a->connections();
  EXPECT_EQ(connection_ids(*b), (ids{"a/1", "b/1"}));
  EXPECT_EQ(connection_ids(*a), (ids{"a/1", "b/1"}));
  EXPECT_EQ(subscription_keys(*a), (ids{"a/1 1", "b/1 1"}));
  EXPECT_EQ(subscription_keys(*b), (ids{"a/1 1", "b/1 1"}));
}

TEST_P(registry_test, a_killed_nodes_rows_are_reaped_after_expiry) {
  child_node a(url_, "a");  // forked before this process starts any store thread
  ASSERT_TRUE(a.ready()) << "the child process (node a) did not get its rows written";
  const auto b = open_registry(options("b", 50ms, 300ms));
  b->connection_opened(conn("b/1", "b"));
  b->subscription_started(sub("b/1", "1"));
  // a is alive and beating: b keeps its rows.
  EXPECT_EQ(connection_ids(*b), (ids{"a/1", "b/1"}));
  EXPECT_EQ(subscription_keys(*b), (ids{"a/1 s1", "b/1 1"}));

  a.kill();
  EXPECT_TRUE(eventually([&] { return connection_ids(*b) == ids{"b/1"}; }))
      << "a's connection is still listed 5 s after it was killed";
  EXPECT_EQ(subscription_keys(*b), (ids{"b/1 1"}));
  EXPECT_EQ(node_rows(url_, "a"), 0);
  EXPECT_EQ(node_rows(url_, "b"), 1);
}

TEST_P(registry_test, a_node_reaped_while_alive_writes_its_rows_again) {
  // a beats every 5 s; b counts a heartbeat older than 300 ms as dead: b reaps a although a lives on.
  const auto a = open_registry(options("a"));
  a->connection_opened(conn("a/1", "a"));
  a->subscription_started(sub("a/1", "1"));
  (void)a->connections();
  const auto b = open_registry(options("b", 50ms, 300ms));
  ASSERT_TRUE(eventually([&] { return connection_ids(*b).empty(); })) << "b did not reap a";
  EXPECT_EQ(subscription_keys(*b), ids{});

  // a's next write finds its heartbeat row gone, and writes back every row it holds.
  a->connection_opened(conn("a/2", "a"));
  EXPECT_EQ(connection_ids(*a), (ids{"a/1", "a/2"}));
  EXPECT_EQ(subscription_keys(*a), (ids{"a/1 1"}));
  EXPECT_EQ(node_rows(url_, "a"), 1);
}

TEST_P(registry_test, a_clean_stop_leaves_nothing) {
  auto a = open_registry(options("a"));
  const auto b = open_registry(options("b"));
  a->connection_opened(conn("a/1", "a"));
  a->connection_opened(conn("a/2", "a"));
  a->subscription_started(sub("a/1", "1"));
  a->subscription_started(sub("a/2", "1"));
  b->connection_opened(conn("b/1", "b"));
  b->subscription_started(sub("b/1", "1"));
  (void)a->connections();  // a's writes are applied (a read waits for the reader's own queue only)
  ASSERT_EQ(connection_ids(*b).size(), 3u);
  ASSERT_EQ(node_rows(url_, "a"), 1);

  a->connection_opened(conn("a/3", "a"));  // still queued at the stop: applied, then deleted
  a->subscription_started(sub("a/3", "1"));
  a.reset();
  EXPECT_EQ(connection_ids(*b), (ids{"b/1"}));
  EXPECT_EQ(subscription_keys(*b), (ids{"b/1 1"}));
  EXPECT_EQ(node_rows(url_, "a"), 0);
}

TEST_P(registry_test, rows_of_an_earlier_run_are_deleted_when_the_node_starts_again) {
  {
    child_node a(url_, "a");
    ASSERT_TRUE(a.ready()) << "the child process (node a) did not get its rows written";
  }  // killed: its rows stay
  const auto b = open_registry(options("b"));  // expiry 15 s: b does not reap a
  b->connection_opened(conn("b/1", "b"));
  ASSERT_EQ(connection_ids(*b), (ids{"a/1", "b/1"}));
  ASSERT_EQ(subscription_keys(*b), (ids{"a/1 s1"}));

  const auto again = open_registry(options("a"));
  EXPECT_EQ(connection_ids(*b), (ids{"b/1"}));
  EXPECT_EQ(subscription_keys(*b), ids{});
  again->connection_opened(conn("a/2", "a"));
  EXPECT_EQ(connection_ids(*again), (ids{"a/2", "b/1"}));
  EXPECT_EQ(connection_ids(*b), (ids{"a/2", "b/1"}));
}

TEST_P(registry_test, quotes_newlines_and_unicode_round_trip) {
  const auto store = open_registry(options("nœud-'\"-ü"));
  const connection_row row{"a/'; DROP TABLE sluice_connections; --", R"({"name":"O'Brien \"Bob\"","emoji":"🙂"})",
                           "nœud-'\"-ü", "websocket", -1};
  const subscription_row s{"$1 ?1 :x", row.id, "Über_日本語",
                           "subscription Über {\n  message(text: \"it's\\n\") {\n    text\n  }\n}\n",
                           "{\"text\":\"line1\\nline2\",\"tab\":\"\t\",\"zh\":\"中文\"}"};
  store->connection_opened(row);
  store->subscription_started(s);
  const auto connections = store->connections();
  ASSERT_EQ(connections.size(), 1u);
  EXPECT_EQ(fields(connections[0]), fields(row));
  const auto subscriptions = store->subscriptions();
  ASSERT_EQ(subscriptions.size(), 1u);
  EXPECT_EQ(fields(subscriptions[0]), fields(s));
  store->subscription_stopped(row.id, s.id);
  EXPECT_TRUE(store->subscriptions().empty());
}

INSTANTIATE_TEST_SUITE_P(databases, registry_test, ::testing::Values(backend::sqlite, backend::postgres),
                         backend_name);

TEST(registry_open, a_url_of_another_kind_is_invalid) {
  EXPECT_THROW((void)open_registry({"mysql://user:secret@localhost/db", "a"}), std::invalid_argument);
  EXPECT_THROW((void)open_registry({"registry.db", "a"}), std::invalid_argument);
  EXPECT_THROW((void)open_registry({"sqlite:", "a"}), std::invalid_argument);
  try {
    (void)open_registry({"mysql://user:secret@localhost/db", "a"});
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
  }
}

TEST(registry_open, an_unopenable_sqlite_path_throws_the_databases_message) {
  try {
    (void)open_registry({"sqlite:/nonexistent-sluice-dir/sub/registry.db", "a"});
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("unable to open database file"), std::string::npos) << e.what();
  }
}

TEST(registry_open, an_unreachable_postgres_throws_the_databases_message) {
  try {
    (void)open_registry({"postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=2", "a"});
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("Connection refused"), std::string::npos) << e.what();
  }
}

TEST(registry_open, an_in_memory_sqlite_database_works) {
  const auto store = open_registry({"sqlite::memory:", "a"});
  store->connection_opened(conn("a/1", "a"));
  EXPECT_EQ(connection_ids(*store), (ids{"a/1"}));
}

}  // namespace
