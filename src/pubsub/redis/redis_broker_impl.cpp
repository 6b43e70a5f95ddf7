// redis_broker_impl: the I/O thread's work: channel counts, messages, PUBLISH, readiness and shutdown.
#include "redis_broker_impl.hpp"

#include <hiredis/async.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cassert>
#include <csignal>
#include <exception>
#include <stdexcept>
#include <utility>

#include "sluice/core/json.hpp"

namespace sluice::pubsub {

namespace asio = boost::asio;

namespace {

// Channels per SUBSCRIBE when subscribing everything again after a reconnect.
constexpr std::size_t subscribe_batch = 1024;

void fail(detail::publish_waiter& waiter, const std::string& message) noexcept {
  try {
    waiter.complete(std::make_exception_ptr(std::runtime_error(message)));
  } catch (...) {  // out of memory while posting: the publisher cannot be told
  }
}

}  // namespace

// A PUBLISH sent and not answered yet: hiredis holds it as the command's privdata until its callback.
struct redis_broker::impl::pending_publish {
  impl* owner;
  std::unique_ptr<detail::publish_waiter> waiter;
  std::string channel;
};

redis_broker::impl::impl(redis_options options)
    : options_(std::move(options)),
      endpoint_(detail::parse_redis_url(options_.url)),
      work_(asio::make_work_guard(io_)),
      subscriber_(io_, endpoint_, options_, detail::redis_connection::role::subscriber, *this),
      publisher_(io_, endpoint_, options_, detail::redis_connection::role::publisher, *this) {
  asio::post(io_, [this] {
    subscriber_.start();
    publisher_.start();
  });
  thread_ = std::thread([this] {
    // hiredis writes with write(2): a peer that went away raises SIGPIPE, whose default action ends the
    // process. Blocked on this thread, where every hiredis write happens, the write fails with EPIPE instead
    // (and the connection is handled as lost). The process's own disposition is left alone.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    for (;;) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {  // a bug: keep the loop alive, say so
        spdlog::error("redis: unexpected error on the broker's I/O thread: {}", e.what());
      } catch (...) {
        spdlog::error("redis: unexpected error on the broker's I/O thread");
      }
    }
  });
}

redis_broker::impl::~impl() {
  shutdown();
}

void redis_broker::impl::shutdown() {
  if (!thread_.joinable()) return;
  assert(std::this_thread::get_id() != thread_.get_id() &&
         "a redis_broker is never destroyed on its I/O thread");
  asio::post(io_, [this] {
    stopping_ = true;
    subscriber_.stop();
    publisher_.stop();
    work_.reset();  // the loop ends once both contexts are freed and every timer and wait is done
    update_ready();
  });
  thread_.join();
  // Requests that raced with the shutdown complete (publishes fail) rather than vanish with the loop.
  io_.restart();
  io_.poll();
  assert(subscriber_.closed() && publisher_.closed());
}

std::string redis_broker::impl::channel_of(std::string_view topic) const {
  std::string channel;
  channel.reserve(options_.channel_prefix.size() + topic.size());
  channel.append(options_.channel_prefix).append(topic);
  return channel;
}

// ---- Channel interest (reference counts)
// --------------------------------------------------------------------

void redis_broker::impl::change_interest(std::string channel, int delta) {
  requested_changes_.fetch_add(1, std::memory_order_acq_rel);
  asio::post(io_, [this, channel = std::move(channel), delta] { apply_interest(channel, delta); });
}

void redis_broker::impl::apply_interest(const std::string& channel, int delta) {
  ++applied_changes_;
  if (delta > 0) {
    auto [it, added] = wanted_.try_emplace(channel, 0);
    if (it->second++ == 0) {
      if (!confirmed_.contains(channel)) ++missing_;
      if (subscriber_.ready()) send_subscription("SUBSCRIBE", {&it->first});
    }
  } else {
    const auto it = wanted_.find(channel);
    assert(it != wanted_.end() && "a channel released more often than taken");
    if (it == wanted_.end()) return;
    if (--it->second == 0) {
      if (!confirmed_.contains(channel)) --missing_;
      wanted_.erase(it);
      if (subscriber_.ready()) send_subscription("UNSUBSCRIBE", {&channel});
    }
  }
  update_ready();
}

void redis_broker::impl::subscribe_all() {
  std::vector<const std::string*> batch;
  batch.reserve(std::min(wanted_.size(), subscribe_batch));
  for (const auto& [channel, count] : wanted_) {
    batch.push_back(&channel);
    if (batch.size() == subscribe_batch) {
      send_subscription("SUBSCRIBE", batch);
      batch.clear();
    }
  }
  if (!batch.empty()) send_subscription("SUBSCRIBE", batch);
}

void redis_broker::impl::send_subscription(const char* command,
                                           const std::vector<const std::string*>& channels) {
  redisAsyncContext* ac = subscriber_.context();
  if (ac == nullptr || channels.empty()) return;
  std::vector<const char*> argv{command};
  std::vector<std::size_t> lengths{std::char_traits<char>::length(command)};
  for (const auto* c : channels) {
    argv.push_back(c->data());
    lengths.push_back(c->size());
  }
  // Every reply (subscribe, unsubscribe, message) of these channels comes to on_subscriber_reply. An
  // UNSUBSCRIBE that hiredis refuses (nothing subscribed on this connection) has nothing to undo.
  (void)redisAsyncCommandArgv(ac, &impl::on_subscriber_reply, this, static_cast<int>(argv.size()),
                              argv.data(), lengths.data());
}

void redis_broker::impl::confirm(std::string channel, bool subscribed) {
  const bool wanted = wanted_.contains(channel);
  if (subscribed) {
    if (confirmed_.insert(std::move(channel)).second && wanted) --missing_;
  } else {
    if (confirmed_.erase(channel) != 0 && wanted) ++missing_;
  }
  subscribed_.store(confirmed_.size(), std::memory_order_release);
  update_ready();
}

// ---- Messages from Redis
// --------------------------------------------------------------------------------------

void redis_broker::impl::on_subscriber_reply(redisAsyncContext*, void* reply, void* privdata) {
  // hiredis calls it with no reply for each channel when it frees the context: the loss is handled elsewhere.
  if (reply == nullptr) return;
  try {
    static_cast<impl*>(privdata)->subscriber_reply(static_cast<const redisReply*>(reply));
  } catch (const std::exception& e) {  // never through hiredis's C frames
    spdlog::error("redis: a message from Redis could not be handled: {}", e.what());
  }
}

void redis_broker::impl::subscriber_reply(const redisReply* reply) {
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 3) return;
  const redisReply* kind = reply->element[0];
  const redisReply* channel = reply->element[1];
  if (kind->type != REDIS_REPLY_STRING || channel->type != REDIS_REPLY_STRING) return;
  const std::string_view k(kind->str, kind->len);
  const std::string_view ch(channel->str, channel->len);
  if (k == "message") {
    const redisReply* data = reply->element[2];
    if (data->type == REDIS_REPLY_STRING) deliver(ch, std::string_view(data->str, data->len));
  } else if (k == "subscribe") {
    confirm(std::string(ch), true);
  } else if (k == "unsubscribe") {
    confirm(std::string(ch), false);
  }
}

void redis_broker::impl::deliver(std::string_view channel, std::string_view text) {
  received_.fetch_add(1, std::memory_order_relaxed);
  const std::string_view prefix = options_.channel_prefix;
  if (channel.substr(0, prefix.size()) != prefix)
    return;  // not one of ours (we never subscribe such a channel)
  std::string topic(channel.substr(prefix.size()));
  auto parsed = json::parse(text);
  if (!parsed) {
    malformed_.fetch_add(1, std::memory_order_relaxed);
    if (!warned_malformed_) {
      warned_malformed_ = true;
      spdlog::warn(
          "redis: a message on channel '{}' is not JSON; it is delivered as a string (further ones are "
          "counted in stats().malformed, not logged)",
          channel);
    }
    parsed.emplace(std::string(text));
  }
  memory_.post(std::move(topic), std::move(*parsed));
}

// ---- Publishing
// --------------------------------------------------------------------------------------------

void redis_broker::impl::start_publish(std::string channel, std::string text,
                                       std::unique_ptr<detail::publish_waiter> waiter) {
  asio::post(io_, [this, channel = std::move(channel), text = std::move(text),
                   waiter = std::move(waiter)]() mutable {
    send_publish(std::move(channel), std::move(text), std::move(waiter));
  });
}

std::string redis_broker::impl::not_connected_message() const {
  if (stopping_) return "redis: the broker is shutting down; the event was not published";
  const std::string& why = publisher_.last_error();
  return "redis: not connected to " + endpoint_.address() + " (" + (why.empty() ? "still connecting" : why) +
         "); the event was not published";
}

void redis_broker::impl::send_publish(std::string channel, std::string text,
                                      std::unique_ptr<detail::publish_waiter> waiter) {
  redisAsyncContext* ac = stopping_ ? nullptr : publisher_.context();
  if (ac == nullptr) {
    fail(*waiter, not_connected_message());
    return;
  }
  if (pending_publishes_ >= options_.max_pending_publishes) {
    fail(*waiter, "redis: " + std::to_string(pending_publishes_) +
                      " publishes are already waiting for Redis at " + endpoint_.address() +
                      " (redis_options::max_pending_publishes); the event was not published");
    return;
  }
  auto p = std::make_unique<pending_publish>(pending_publish{this, std::move(waiter), {}});
  const char* argv[] = {"PUBLISH", channel.data(), text.data()};
  const std::size_t lengths[] = {7, channel.size(), text.size()};
  if (redisAsyncCommandArgv(ac, &impl::on_publish_reply, p.get(), 3, argv, lengths) != REDIS_OK) {
    fail(*p->waiter, not_connected_message());
    return;
  }
  ++pending_publishes_;
  p->channel = std::move(channel);
  (void)p.release();  // hiredis's now: on_publish_reply takes it back
}

void redis_broker::impl::on_publish_reply(redisAsyncContext* ac, void* reply, void* privdata) {
  std::unique_ptr<pending_publish> p(static_cast<pending_publish*>(privdata));
  try {
    p->owner->publish_replied(ac, static_cast<const redisReply*>(reply), *p);
  } catch (const std::exception& e) {  // never through hiredis's C frames
    spdlog::error("redis: a PUBLISH reply could not be handled: {}", e.what());
  }
}

void redis_broker::impl::publish_replied(const redisAsyncContext* ac, const redisReply* reply,
                                         pending_publish& p) {
  --pending_publishes_;
  if (reply == nullptr) {
    fail(*p.waiter, "redis: the connection to " + endpoint_.address() +
                        " was lost before Redis acknowledged the PUBLISH (" + publisher_.closing_reason(ac) +
                        "); the event may not have been published");
  } else if (reply->type == REDIS_REPLY_ERROR) {
    fail(*p.waiter,
         "redis: PUBLISH to channel '" + p.channel + "' failed: " + std::string(reply->str, reply->len));
  } else {
    published_.fetch_add(1, std::memory_order_relaxed);
    p.waiter->complete(nullptr);
  }
}

// ---- Connections
// ----------------------------------------------------------------------------------------------

void redis_broker::impl::connection_ready(detail::redis_connection& c, bool after_loss,
                                          std::chrono::steady_clock::duration down_for) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(down_for).count();
  if (after_loss) reconnects_.fetch_add(1, std::memory_order_relaxed);
  if (&c == &subscriber_) {
    if (after_loss) {
      gaps_.fetch_add(1, std::memory_order_relaxed);
      if (wanted_.empty()) {
        spdlog::warn(
            "redis: the subscriber connection to {} is back after {} ms down (events published meanwhile "
            "were not received; this node has no subscriber now)",
            endpoint_.address(), ms);
      } else {
        spdlog::warn(
            "redis: the subscriber connection to {} is back after {} ms down: events published meanwhile "
            "were not received; subscribing its {} channel(s) again",
            endpoint_.address(), ms, wanted_.size());
      }
    }
    subscribe_all();
  } else if (after_loss) {
    spdlog::info("redis: the publisher connection to {} is back after {} ms down", endpoint_.address(), ms);
  }
  update_ready();
}

void redis_broker::impl::connection_lost(detail::redis_connection& c) {
  if (&c == &subscriber_) {
    // Redis forgot this connection's subscriptions with it.
    confirmed_.clear();
    subscribed_.store(0, std::memory_order_release);
    missing_ = wanted_.size();
  }
  update_ready();
}

// ---- Readiness and counters
// ------------------------------------------------------------------------------------

void redis_broker::impl::update_ready() {
  const bool ready = !stopping_ && subscriber_.ready() && publisher_.ready() && missing_ == 0;
  {
    const std::lock_guard lock(ready_mutex_);
    ready_ = ready;
    ready_as_of_ = applied_changes_;
  }
  ready_cv_.notify_all();
}

bool redis_broker::impl::wait_ready(std::chrono::milliseconds timeout) const {
  assert(std::this_thread::get_id() != thread_.get_id() &&
         "wait_ready() would block the broker's own I/O thread");
  // Subscriptions made before this call count: wait until the I/O thread applied them too.
  const std::uint64_t requested = requested_changes_.load(std::memory_order_acquire);
  std::unique_lock lock(ready_mutex_);
  return ready_cv_.wait_for(lock, timeout, [&] { return ready_ && ready_as_of_ >= requested; });
}

std::size_t redis_broker::impl::subscribed_channels() const noexcept {
  return subscribed_.load(std::memory_order_acquire);
}

redis_stats redis_broker::impl::stats() const noexcept {
  redis_stats s;
  s.published = published_.load(std::memory_order_relaxed);
  s.received = received_.load(std::memory_order_relaxed);
  s.malformed = malformed_.load(std::memory_order_relaxed);
  s.gaps = gaps_.load(std::memory_order_relaxed);
  s.reconnects = reconnects_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace sluice::pubsub
