// postgres_broker: the I/O thread, its LISTEN and NOTIFY connections, publish() and the counters.
#include "sluice/pubsub/postgres_broker.hpp"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cassert>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

#include "connection.hpp"
#include "envelope.hpp"
#include "sluice/core/json.hpp"
#include "sluice/pubsub/memory_broker.hpp"

namespace sluice::pubsub {

namespace asio = boost::asio;
namespace pg = detail::pg;

namespace {

// PostgreSQL truncates identifiers to NAMEDATALEN - 1 bytes; pg_notify() refuses longer channel names.
constexpr std::size_t max_channel_bytes = 63;

void validate(const postgres_options& o) {
  if (o.channel.empty() || o.channel.size() > max_channel_bytes ||
      o.channel.find('\0') != std::string::npos) {
    throw std::invalid_argument("postgres: the channel name must be 1 to 63 bytes without NUL (got " +
                                std::to_string(o.channel.size()) + " bytes)");
  }
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(o.conninfo.c_str(), &error);
  if (!parsed) {
    std::string message = "postgres: invalid conninfo";
    if (error) {
      message += ": ";
      message += error;
      while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
      PQfreemem(error);
    }
    throw std::invalid_argument(message);
  }
  PQconninfoFree(parsed);
  if (o.connect_timeout.count() <= 0 || o.reconnect_min.count() <= 0 || o.reconnect_max < o.reconnect_min) {
    throw std::invalid_argument(
        "postgres: connect_timeout and reconnect_min must be positive and reconnect_max at least "
        "reconnect_min");
  }
  if (o.max_pending_publishes == 0)
    throw std::invalid_argument("postgres: max_pending_publishes must be positive");
}

std::string quoted(std::string_view topic) {
  std::string out;
  json::write_string(out, topic);
  return out;
}

// Completes one publish: hands the outcome to the caller's executor (its own loop), keeping that loop's
// io_context from running out of work until then. Called exactly once, on the I/O thread.
using publish_done = std::function<void(std::exception_ptr)>;

template <typename Handler>
publish_done make_publish_done(Handler handler) {
  auto ex = asio::get_associated_executor(handler);
  asio::any_io_executor tracked = asio::prefer(ex, asio::execution::outstanding_work.tracked);
  auto h = std::make_shared<Handler>(std::move(handler));
  return [h = std::move(h), tracked = std::move(tracked)](std::exception_ptr error) mutable {
    auto resume = [h = std::move(h), error]() mutable { (*h)(error); };
    asio::post(tracked, std::move(resume));
    tracked = asio::any_io_executor();  // the posted handler holds the loop's work from here
  };
}

}  // namespace

struct postgres_broker::impl {
  explicit impl(postgres_options o);
  ~impl();
  impl(const impl&) = delete;
  impl& operator=(const impl&) = delete;

  // On the caller's thread: bounds the pending publishes, then hands the event to the I/O thread.
  void submit(std::string topic, std::string envelope, publish_done done);
  // On the I/O thread.
  void start_publish(std::string topic, std::string envelope, publish_done done);
  void finish(const publish_done& done, std::exception_ptr error);
  void on_listener_up(bool again);
  void on_listener_down(const std::string& reason, bool was_up);
  void on_listening();
  void on_publisher_up(bool again);
  void on_publisher_down(const std::string& reason, bool was_up);
  void on_notification(const PGnotify& n);
  // Updates what wait_ready() waits for (under its mutex) and wakes the waiters.
  void set_publisher_up(bool up);
  void set_listening(bool listening);
  void shutdown();

  const postgres_options options_;
  memory_broker memory_;  // this node's subscribers (outlives the I/O thread, which posts to it)

  // Readable from any thread.
  std::atomic<std::uint64_t> published_{0};
  std::atomic<std::uint64_t> received_{0};
  std::atomic<std::uint64_t> malformed_{0};
  std::atomic<std::uint64_t> gaps_{0};
  std::atomic<std::uint64_t> reconnects_{0};
  std::atomic<std::size_t> pending_{0};  // publishes submitted and not completed yet
  mutable std::mutex ready_mutex_;
  mutable std::condition_variable ready_changed_;
  bool publisher_up_ = false;  // guarded by ready_mutex_
  bool listening_ = false;     // guarded by ready_mutex_

  // The I/O thread's: the loop, the connections and their state.
  asio::io_context io_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::unique_ptr<pg::connection> listener_;
  std::unique_ptr<pg::connection> publisher_;
  std::uint64_t listen_epoch_ = 0;  // bumped when the listening connection comes up or goes down
  bool ever_listened_ = false;      // LISTEN confirmed at least once
  bool gap_open_ = false;           // was listening, lost it, not listening again yet
  std::chrono::steady_clock::time_point gap_since_;
  std::string publisher_error_ = "not connected yet";  // why the publishing connection is down
  bool listener_failing_ = false;                      // attempts failing in a row (warned at the first only)
  bool publisher_failing_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

postgres_broker::impl::impl(postgres_options o) : options_(std::move(o)), work_(io_.get_executor()) {
  validate(options_);
  const pg::connection_options co{options_.conninfo, options_.connect_timeout, options_.reconnect_min,
                                  options_.reconnect_max};
  listener_ = std::make_unique<pg::connection>(
      io_, "listening", co,
      pg::connection::callbacks{
          [this](bool again) { on_listener_up(again); },
          [this](const std::string& reason, bool was_up) { on_listener_down(reason, was_up); },
          [this](const PGnotify& n) { on_notification(n); }});
  publisher_ = std::make_unique<pg::connection>(
      io_, "publishing", co,
      pg::connection::callbacks{
          [this](bool again) { on_publisher_up(again); },
          [this](const std::string& reason, bool was_up) { on_publisher_down(reason, was_up); },
          [](const PGnotify&) {}});
  asio::post(io_, [this]() {
    listener_->start();
    publisher_->start();
  });
  thread_ = std::thread([this]() { io_.run(); });
}

postgres_broker::impl::~impl() {
  shutdown();
}

void postgres_broker::impl::shutdown() {
  if (!thread_.joinable()) return;
  asio::post(io_, [this]() {
    stopping_ = true;
    listener_->close();
    publisher_->close();
    set_publisher_up(false);
    set_listening(false);
    work_.reset();  // run() returns once the cancelled waits and the completions posted meanwhile have run
  });
  thread_.join();
}

void postgres_broker::impl::set_publisher_up(bool up) {
  {
    const std::lock_guard lock(ready_mutex_);
    publisher_up_ = up;
  }
  ready_changed_.notify_all();
}

void postgres_broker::impl::set_listening(bool listening) {
  {
    const std::lock_guard lock(ready_mutex_);
    listening_ = listening;
  }
  ready_changed_.notify_all();
}

void postgres_broker::impl::submit(std::string topic, std::string envelope, publish_done done) {
  const std::size_t limit = options_.max_pending_publishes;
  if (pending_.fetch_add(1) >= limit) {
    pending_.fetch_sub(1);
    done(std::make_exception_ptr(std::runtime_error("postgres: " + std::to_string(limit) +
                                                    " publishes are already waiting for PostgreSQL "
                                                    "(max_pending_publishes); the event on topic " +
                                                    quoted(topic) + " was not sent")));
    return;
  }
  asio::post(io_, [this, topic = std::move(topic), envelope = std::move(envelope),
                   done = std::move(done)]() mutable {
    start_publish(std::move(topic), std::move(envelope), std::move(done));
  });
}

void postgres_broker::impl::start_publish(std::string topic, std::string envelope, publish_done done) {
  const auto fail = [&](const std::string& why) {
    finish(done, std::make_exception_ptr(std::runtime_error("postgres: " + why + "; the event on topic " +
                                                            quoted(topic) + " was not sent")));
  };
  if (stopping_) return fail("the broker is shutting down");
  if (!publisher_->is_up()) return fail("not connected to PostgreSQL (" + publisher_error_ + ")");
  auto on_answer = [this, topic, done](pg::query_outcome outcome) {
    using kind = pg::query_outcome::kind;
    std::exception_ptr error;
    switch (outcome.status) {
      case kind::ok:
        published_.fetch_add(1);
        break;
      case kind::failed:
        error = std::make_exception_ptr(
            std::runtime_error("postgres: PostgreSQL refused the NOTIFY of the event on topic " +
                               quoted(topic) + ": " + outcome.message));
        break;
      case kind::lost:
        error = std::make_exception_ptr(std::runtime_error(
            "postgres: the connection was lost before PostgreSQL confirmed the event on topic " +
            quoted(topic) + " (" + outcome.message + "); it may or may not have been delivered"));
        break;
      case kind::not_sent:
        error = std::make_exception_ptr(std::runtime_error(
            "postgres: " + outcome.message + "; the event on topic " + quoted(topic) + " was not sent"));
        break;
    }
    finish(done, error);
  };
  std::vector<std::string> params{options_.channel, std::move(envelope)};
  publisher_->query("SELECT pg_notify($1, $2)", std::move(params), std::move(on_answer));
}

void postgres_broker::impl::finish(const publish_done& done, std::exception_ptr error) {
  pending_.fetch_sub(1);
  done(std::move(error));
}

void postgres_broker::impl::on_listener_up(bool again) {
  ++listen_epoch_;
  if (again) reconnects_.fetch_add(1);
  listener_failing_ = false;
  const auto identifier = listener_->quote_identifier(options_.channel);
  if (!identifier) {
    listener_->reset("cannot quote the channel name " + quoted(options_.channel) + " as an identifier");
    return;
  }
  auto on_answer = [this, epoch = listen_epoch_](pg::query_outcome outcome) {
    if (stopping_ || epoch != listen_epoch_) return;  // that connection is gone already
    if (outcome.status == pg::query_outcome::kind::ok) {
      on_listening();
    } else if (outcome.status == pg::query_outcome::kind::failed) {
      spdlog::error("postgres: LISTEN on channel {} failed: {}; reconnecting", quoted(options_.channel),
                    outcome.message);
      listener_->reset("LISTEN failed: " + outcome.message);
    }
  };
  listener_->query("LISTEN " + *identifier, {}, std::move(on_answer));
}

void postgres_broker::impl::on_listening() {
  set_listening(true);
  if (gap_open_) {
    gap_open_ = false;
    gaps_.fetch_add(1);
    const auto down_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - gap_since_)
            .count();
    spdlog::warn(
        "postgres: listening on channel {} again; it was lost for {} ms and notifications sent meanwhile "
        "were not received",
        quoted(options_.channel), down_ms);
  } else if (ever_listened_) {
    spdlog::info("postgres: listening on channel {} again", quoted(options_.channel));
  }
  ever_listened_ = true;
}

void postgres_broker::impl::on_listener_down(const std::string& reason, bool was_up) {
  ++listen_epoch_;
  bool was_listening = false;
  {
    const std::lock_guard lock(ready_mutex_);
    was_listening = listening_;
  }
  if (was_listening) {
    set_listening(false);
    gap_open_ = true;
    gap_since_ = std::chrono::steady_clock::now();
    spdlog::warn(
        "postgres: lost the listening connection ({}); notifications on channel {} are not received "
        "until it is back",
        reason, quoted(options_.channel));
  } else if (was_up) {
    spdlog::warn("postgres: lost the listening connection before LISTEN was confirmed ({})", reason);
  } else if (!listener_failing_) {
    spdlog::warn("postgres: cannot connect the listening connection ({}); retrying", reason);
  } else {
    spdlog::debug("postgres: cannot connect the listening connection ({}); retrying", reason);
  }
  listener_failing_ = !was_up;
}

void postgres_broker::impl::on_publisher_up(bool again) {
  if (again) reconnects_.fetch_add(1);
  if (again || publisher_failing_) spdlog::info("postgres: the publishing connection is up");
  publisher_failing_ = false;
  publisher_error_.clear();
  set_publisher_up(true);
}

void postgres_broker::impl::on_publisher_down(const std::string& reason, bool was_up) {
  publisher_error_ = reason;
  set_publisher_up(false);
  if (was_up) {
    spdlog::warn("postgres: lost the publishing connection ({}); publish() fails until it is back", reason);
  } else if (!publisher_failing_) {
    spdlog::warn("postgres: cannot connect the publishing connection ({}); retrying", reason);
  } else {
    spdlog::debug("postgres: cannot connect the publishing connection ({}); retrying", reason);
  }
  publisher_failing_ = !was_up;
}

void postgres_broker::impl::on_notification(const PGnotify& n) {
  if (!n.relname || options_.channel != n.relname) return;  // only the channel is LISTENed to
  received_.fetch_add(1);
  auto event = pg::parse_envelope(n.extra ? std::string_view(n.extra) : std::string_view());
  if (!event) {
    // Logged loudly once: a backend sending NOTIFYs of its own in the wrong shape sees why nothing arrives.
    const bool first = malformed_.fetch_add(1) == 0;
    const std::string_view text = n.extra ? std::string_view(n.extra) : std::string_view();
    const auto shown = text.substr(0, 200);
    if (first) {
      spdlog::warn(
          "postgres: dropped a notification on channel {} that is not a Sluice event "
          "({{\"topic\": string, \"payload\": JSON}}): {}{}",
          quoted(options_.channel), shown, shown.size() < text.size() ? "..." : "");
    } else {
      spdlog::debug("postgres: dropped a notification that is not a Sluice event: {}", shown);
    }
    return;
  }
  memory_.post(std::move(event->topic), std::move(event->payload));
}

postgres_broker::postgres_broker(postgres_options options)
    : impl_(std::make_shared<impl>(std::move(options))) {}

postgres_broker::~postgres_broker() {
  impl_->shutdown();
}

asio::awaitable<void> postgres_broker::publish(std::string topic, sluice::value payload) {
  // Refused here, before anything is sent, when PostgreSQL would refuse it.
  std::string envelope = pg::make_envelope(topic, payload);
  impl* self = impl_.get();
  auto initiation = [self, topic = std::move(topic), envelope = std::move(envelope)](auto handler) mutable {
    self->submit(std::move(topic), std::move(envelope), make_publish_done(std::move(handler)));
  };
  const auto& token = asio::use_awaitable;
  // Resumes on this coroutine's executor; throws what the I/O thread reported.
  co_await asio::async_initiate<decltype(token), void(std::exception_ptr)>(std::move(initiation), token);
}

execution::event_stream postgres_broker::subscribe(asio::any_io_executor loop, std::string topic,
                                                   subscribe_options options) {
  // One LISTEN covers every topic: subscribers are this node's business only.
  return impl_->memory_.subscribe(std::move(loop), std::move(topic), std::move(options));
}

bool postgres_broker::wait_ready(std::chrono::milliseconds timeout) const {
  assert(impl_->thread_.get_id() != std::this_thread::get_id() &&
         "wait_ready() would block the broker's I/O thread");
  std::unique_lock lock(impl_->ready_mutex_);
  return impl_->ready_changed_.wait_for(lock, timeout,
                                        [this]() { return impl_->publisher_up_ && impl_->listening_; });
}

postgres_stats postgres_broker::stats() const {
  postgres_stats s;
  s.published = impl_->published_.load();
  s.received = impl_->received_.load();
  s.malformed = impl_->malformed_.load();
  s.gaps = impl_->gaps_.load();
  s.reconnects = impl_->reconnects_.load();
  return s;
}

}  // namespace sluice::pubsub
