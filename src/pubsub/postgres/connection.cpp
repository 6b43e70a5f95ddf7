// connection: libpq's asynchronous API (connect, send, consume, flush) driven by Asio socket waits.
#include "connection.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cassert>
#include <memory>
#include <utility>

namespace sluice::pubsub::detail::pg {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

// libpq's messages end in a newline, continue on lines that start with a tab, and may hold several messages
// one per line: one line, trimmed ("...failed: Connection refused. Is the server running...?", "FATAL: ...;
// server closed the connection unexpectedly. This probably means...").
std::string one_line(const char* text) {
  std::string out;
  enum class gap { none, space, continuation, next_message } pending = gap::none;
  bool after_newline = false;
  for (const char* p = text ? text : ""; *p; ++p) {
    const char c = *p;
    if (c == '\n' || c == '\r') {
      after_newline = true;
      if (!out.empty()) pending = gap::next_message;
      continue;
    }
    if (c == '\t' || c == ' ') {
      if (!out.empty() && pending == gap::none) pending = gap::space;
      if (c == '\t' && after_newline && pending == gap::next_message) pending = gap::continuation;
      continue;
    }
    after_newline = false;
    if (pending != gap::none) {
      const char last = out.back();
      const bool punctuated = last == '.' || last == '?' || last == '!' || last == ':' || last == ';';
      if (pending == gap::next_message && !punctuated) {
        out += "; ";
      } else if (pending == gap::continuation && !punctuated && c >= 'A' && c <= 'Z') {
        out += ". ";
      } else {
        out += ' ';
      }
      pending = gap::none;
    }
    out += c;
  }
  return out;
}

}  // namespace

connection::connection(asio::io_context& io, std::string name, connection_options options, callbacks cb)
    : io_(io),
      name_(std::move(name)),
      options_(std::move(options)),
      callbacks_(std::move(cb)),
      socket_(io),
      timer_(io),
      backoff_(options_.reconnect_min) {}

connection::~connection() {
  // close() ran on the loop's thread, or the loop never ran: either way nothing is pending any more.
  release_socket();
  if (conn_) PQfinish(conn_);
}

void connection::start() {
  if (state_ == state::idle) attempt();
}

void connection::disconnect() noexcept {
  ++generation_;  // completions of waits and queries started before this find they are stale
  timer_.cancel();
  release_socket();
  if (conn_) {
    PQfinish(conn_);
    conn_ = nullptr;
  }
}

void connection::close() noexcept {
  if (state_ == state::closed) return;
  state_ = state::closed;
  disconnect();
  try {
    fail_queries("the broker is shutting down", query_outcome::kind::lost, query_outcome::kind::not_sent);
  } catch (...) {  // a completion that throws (out of memory) cannot stop the shutdown
  }
}

void connection::query(std::string sql, std::vector<std::string> params, query_done done) {
  if (state_ != state::up) {
    asio::post(io_, [done = std::move(done)]() {
      done(query_outcome{query_outcome::kind::not_sent, "not connected to PostgreSQL"});
    });
    return;
  }
  queue_.push_back(pending_query{std::move(sql), std::move(params), std::move(done), std::nullopt});
  if (in_flight_ || queue_.size() > 1)
    return;  // sent when the one before it was answered (or already kicked)
  // Sent from the loop, not from inside this call: a failure to send then never runs `done` inside query().
  asio::post(io_, [this, g = generation_]() {
    if (g != generation_) return;
    send_next();
    if (g == generation_) drain();
  });
}

std::optional<std::string> connection::quote_identifier(std::string_view identifier) const {
  if (!conn_ || state_ != state::up) return std::nullopt;
  char* quoted = PQescapeIdentifier(conn_, identifier.data(), identifier.size());
  if (!quoted) return std::nullopt;
  std::string out(quoted);
  PQfreemem(quoted);
  return out;
}

void connection::reset(const std::string& reason) {
  if (state_ == state::up || state_ == state::connecting) drop(reason);
}

// One attempt to connect: PQconnectStartParams, then PQconnectPoll whenever the socket is ready as it asked.
void connection::attempt() {
  ++generation_;
  state_ = state::connecting;
  last_fatal_.clear();
  // Defaults the conninfo may override (it is expanded after them): our name in pg_stat_activity, and UTF-8,
  // the encoding of the JSON we send and read.
  const char* const keywords[] = {"fallback_application_name", "client_encoding", "dbname", nullptr};
  const char* const values[] = {"sluice", "UTF8", options_.conninfo.c_str(), nullptr};
  conn_ = PQconnectStartParams(keywords, values, /*expand_dbname=*/1);
  if (!conn_) {
    drop("libpq could not allocate a connection");
    return;
  }
  if (PQstatus(conn_) == CONNECTION_BAD) {
    drop(error_text());
    return;
  }
  PQsetNoticeReceiver(conn_, &connection::on_notice, this);
  timer_.expires_after(options_.connect_timeout);
  timer_.async_wait([this, g = generation_](error_code ec) {
    if (ec || g != generation_ || state_ != state::connecting) return;
    drop("no connection within " + std::to_string(options_.connect_timeout.count()) +
         " ms (connect_timeout)");
  });
  // libpq: "as if PQconnectPoll had last returned PGRES_POLLING_WRITING".
  poll_connect(PGRES_POLLING_WRITING);
}

void connection::poll_connect(PostgresPollingStatusType status) {
  switch (status) {
    case PGRES_POLLING_OK:
      connected();
      return;
    case PGRES_POLLING_FAILED:
      drop(error_text());
      return;
    case PGRES_POLLING_READING:
    case PGRES_POLLING_WRITING:
      break;
    default:
      break;  // PGRES_POLLING_ACTIVE is no longer returned by libpq; wait for either direction as reading
  }
  // libpq may have closed its socket and opened another (the next address of a host, a retry without SSL):
  // take up whatever PQsocket() is now.
  if (!watch_socket()) return;
  const auto wait = status == PGRES_POLLING_WRITING ? asio::posix::stream_descriptor::wait_write
                                                    : asio::posix::stream_descriptor::wait_read;
  socket_.async_wait(wait, [this, g = generation_](error_code ec) {
    if (g != generation_ || ec == asio::error::operation_aborted) return;
    // An error on the socket is for PQconnectPoll to find and report.
    poll_connect(PQconnectPoll(conn_));
  });
}

void connection::connected() {
  timer_.cancel();
  if (PQsetnonblocking(conn_, 1) != 0) {
    drop(error_text());
    return;
  }
  if (!watch_socket()) return;
  state_ = state::up;
  up_since_ = std::chrono::steady_clock::now();
  const bool again = ever_up_;
  ever_up_ = true;
  reading_ = writing_ = false;
  wait_readable();
  callbacks_.up(again);
}

void connection::drop(const std::string& reason) {
  if (state_ == state::closed) return;
  const bool was_up = state_ == state::up;
  disconnect();
  state_ = state::waiting;
  // A connection that stayed up a while starts the backoff over; one that drops right after it came up (a
  // LISTEN refused, a server that accepts and then closes) keeps backing off.
  if (was_up && std::chrono::steady_clock::now() - up_since_ >= options_.reconnect_max) {
    backoff_ = options_.reconnect_min;
  }
  timer_.expires_after(backoff_);
  backoff_ = std::min(backoff_ * 2, options_.reconnect_max);
  timer_.async_wait([this, g = generation_](error_code ec) {
    if (ec || g != generation_ || state_ != state::waiting) return;
    attempt();
  });
  const auto g = generation_;
  fail_queries(reason, query_outcome::kind::lost, query_outcome::kind::not_sent);
  if (g == generation_) callbacks_.down(reason, was_up);
}

void connection::fail_queries(const std::string& reason, query_outcome::kind in_flight_kind,
                              query_outcome::kind queued_kind) {
  auto in_flight = std::exchange(in_flight_, std::nullopt);
  auto queued = std::exchange(queue_, {});
  if (in_flight) in_flight->done(query_outcome{in_flight_kind, reason});
  for (auto& q : queued) q.done(query_outcome{queued_kind, reason});
}

void connection::release_socket() noexcept {
  if (!socket_.is_open()) return;
  error_code ignored;
  socket_.cancel(ignored);  // pending waits complete with operation_aborted (and find a newer generation)
  socket_.release();        // never close libpq's descriptor: PQfinish does
  reading_ = writing_ = false;
}

bool connection::watch_socket() {
  const int fd = PQsocket(conn_);
  if (fd < 0) {
    drop("libpq has no socket (" + error_text() + ")");
    return false;
  }
  // Released and assigned again even when the number is the same: libpq may have closed the old socket and
  // got a new one with the same number, which epoll must be told about.
  release_socket();
  error_code ec;
  socket_.assign(fd, ec);
  if (ec) {
    drop("cannot watch the socket: " + ec.message());
    return false;
  }
  return true;
}

template <typename Then>
void connection::wait_for(asio::posix::stream_descriptor::wait_type what, bool& pending, Then then) {
  if (pending) return;
  pending = true;
  socket_.async_wait(what, [this, &pending, g = generation_, then = std::move(then)](error_code ec) {
    if (g != generation_) return;
    pending = false;
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
      drop("socket error: " + ec.message());
      return;
    }
    then();
  });
}

void connection::wait_readable() {
  wait_for(asio::posix::stream_descriptor::wait_read, reading_, [this] { on_readable(); });
}

void connection::wait_writable() {
  wait_for(asio::posix::stream_descriptor::wait_write, writing_, [this, g = generation_] {
    flush();
    if (g == generation_) drain();
  });
}

void connection::on_readable() {
  const auto g = generation_;
  if (PQconsumeInput(conn_) == 0) {
    // The server says why before it closes (an administrator's shutdown, say): that is the better reason.
    drop(last_fatal_.empty() ? error_text() : "the server closed the connection: " + last_fatal_);
    return;
  }
  // libpq: once the socket was readable, flush what is still unsent (the server may have been waiting for us
  // to read before it reads more).
  if (writing_) flush();
  if (g != generation_) return;
  drain();
  if (g == generation_) wait_readable();
}

void connection::send_next() {
  while (state_ == state::up && !in_flight_ && !queue_.empty()) {
    in_flight_ = std::move(queue_.front());
    queue_.pop_front();
    auto& q = *in_flight_;
    int sent = 0;
    if (q.params.empty()) {
      sent = PQsendQuery(conn_, q.sql.c_str());
    } else {
      std::vector<const char*> values;
      std::vector<int> lengths;
      values.reserve(q.params.size());
      lengths.reserve(q.params.size());
      for (const auto& p : q.params) {
        values.push_back(p.c_str());
        lengths.push_back(static_cast<int>(p.size()));
      }
      sent = PQsendQueryParams(conn_, q.sql.c_str(), static_cast<int>(q.params.size()), nullptr,
                               values.data(), lengths.data(), nullptr, /*resultFormat=*/0);
    }
    if (sent) {
      flush();
      return;
    }
    const std::string reason = error_text();
    if (PQstatus(conn_) == CONNECTION_BAD) {
      drop(reason);  // fails this query as lost: it may have been partly sent
      return;
    }
    // Refused by libpq itself, the connection being fine: only this query fails.
    auto refused = std::exchange(in_flight_, std::nullopt);
    const auto g = generation_;
    refused->done(query_outcome{query_outcome::kind::not_sent, reason});
    if (g != generation_) return;
  }
}

void connection::flush() {
  const int r = PQflush(conn_);
  if (r < 0) {
    drop(error_text());
    return;
  }
  if (r > 0) wait_writable();
}

// Takes every complete result and notification from libpq's input buffer (no socket read).
void connection::drain() {
  const auto g = generation_;
  while (in_flight_ && PQisBusy(conn_) == 0) {
    PGresult* result = PQgetResult(conn_);
    if (!result) {  // the query in flight is complete
      if (PQstatus(conn_) == CONNECTION_BAD) {
        drop(error_text());  // its error result was the connection's end: reported as lost
        return;
      }
      auto done = std::exchange(in_flight_, std::nullopt);
      done->done(done->error ? query_outcome{query_outcome::kind::failed, *done->error} : query_outcome{});
      if (g != generation_) return;
      send_next();
      if (g != generation_) return;
      continue;
    }
    const auto status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && !in_flight_->error) {
      // The server's own sentence ("too many notifications in the NOTIFY queue"), without libpq's decoration.
      const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
      std::string message = one_line(primary ? primary : PQresultErrorMessage(result));
      if (message.empty()) message = PQresStatus(status);
      in_flight_->error = std::move(message);
    }
    PQclear(result);
  }
  while (PGnotify* n = PQnotifies(conn_)) {
    const std::unique_ptr<PGnotify, decltype(&PQfreemem)> owned(n, &PQfreemem);
    callbacks_.notification(*n);
    if (g != generation_) return;
  }
  if (PQstatus(conn_) == CONNECTION_BAD) drop(error_text());
}

std::string connection::error_text() const {
  std::string text = conn_ ? one_line(PQerrorMessage(conn_)) : std::string();
  return text.empty() ? std::string("unknown libpq error") : text;
}

void connection::on_notice(void* self, const PGresult* result) {
  auto* c = static_cast<connection*>(self);
  const char* severity = PQresultErrorField(result, PG_DIAG_SEVERITY_NONLOCALIZED);
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  std::string message = primary ? one_line(primary) : one_line(PQresultErrorMessage(result));
  if (severity && (std::string_view(severity) == "FATAL" || std::string_view(severity) == "PANIC")) {
    c->last_fatal_ = message;
  }
  spdlog::debug("postgres ({} connection): server says: {}", c->name_, message);
}

}  // namespace sluice::pubsub::detail::pg
