// redis_connection: connecting, handshake, loss and reconnection of one hiredis connection on Asio.
#include "redis_connection.hpp"

#include <hiredis/async.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cassert>
#include <exception>
#include <string>
#include <vector>

#include "hiredis_asio.hpp"

namespace sluice::pubsub::detail {

namespace asio = boost::asio;

namespace {

// Sends a command whose arguments are arbitrary bytes.
int send_argv(redisAsyncContext* ac, redisCallbackFn* fn, void* privdata,
              const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  return redisAsyncCommandArgv(ac, fn, privdata, static_cast<int>(argv.size()), argv.data(), lengths.data());
}

}  // namespace

redis_connection::redis_connection(asio::io_context& io, const redis_endpoint& endpoint,
                                   const redis_options& options, role r, redis_connection_owner& owner)
    : io_(io),
      endpoint_(endpoint),
      options_(options),
      role_(r),
      owner_(owner),
      deadline_(io),
      retry_(io),
      backoff_(std::max(options.reconnect_min, std::chrono::milliseconds(1))) {}

redis_connection::~redis_connection() {
  // stop() and the end of the I/O loop come first: hiredis's context is gone by then.
  assert(ac_ == nullptr && "a redis_connection is destroyed after its context was freed");
}

std::string_view redis_connection::name() const noexcept {
  return role_ == role::subscriber ? "subscriber" : "publisher";
}

void redis_connection::start() {
  attempt();
}

void redis_connection::stop() {
  stopping_ = true;
  retry_.cancel();
  deadline_.cancel();
  if (ac_ == nullptr) return;
  if (state_ != state::ready) {
    close_reason_ = "the broker is shutting down";
    redisAsyncFree(ac_);  // not in a hiredis callback: freed at once (cleanup clears ac_)
    return;
  }
  // Gently: hiredis waits for the replies still due (PUBLISH acknowledgements), then closes.
  close_reason_ = "the broker is shutting down";
  redisAsyncDisconnect(ac_);
  if (ac_ == nullptr) return;
  deadline_.expires_after(options_.connect_timeout);
  deadline_.async_wait([this, generation = generation_](const boost::system::error_code& ec) {
    if (ec || generation != generation_ || ac_ == nullptr) return;
    redisAsyncFree(ac_);  // Redis did not answer in time: the pending callbacks get no reply
  });
}

std::string redis_connection::closing_reason(const redisAsyncContext* ac) const {
  if (ac != nullptr && ac->c.err != 0 && ac->c.errstr[0] != '\0') return ac->c.errstr;
  if (!close_reason_.empty()) return close_reason_;
  return "connection closed";
}

void redis_connection::attempt() {
  ++generation_;
  handshake_.clear();
  close_reason_.clear();
  redisAsyncContext* ac = redisAsyncConnect(endpoint_.host.c_str(), endpoint_.port);
  if (ac == nullptr) {
    failed_attempt("out of memory");
    return;
  }
  if (ac->err != 0) {  // refused or unresolvable at once
    std::string reason = ac->errstr != nullptr ? ac->errstr : "cannot connect";
    redisAsyncFree(ac);
    failed_attempt(std::move(reason));
    return;
  }
  ac->data = this;
  if (!attach_asio(ac, io_, &redis_connection::on_freed, this)) {
    redisAsyncFree(ac);
    failed_attempt("cannot watch the socket");
    return;
  }
  ac_ = ac;
  state_ = state::connecting;
  redisAsyncSetConnectCallback(ac, &redis_connection::on_connect);
  redisEnableKeepAlive(&ac->c);  // a peer that vanished without closing is found out

  // The handshake is queued now and written once connected; commands of the broker wait for ready().
  if (endpoint_.has_password) {
    std::vector<std::string> auth{"AUTH"};
    if (!endpoint_.user.empty()) auth.push_back(endpoint_.user);
    auth.push_back(endpoint_.password);
    if (send_argv(ac, &redis_connection::on_handshake_reply, this, auth) == REDIS_OK)
      handshake_.emplace_back("AUTH");
  }
  if (role_ == role::publisher && endpoint_.db != 0) {
    const std::vector<std::string> select{"SELECT", std::to_string(endpoint_.db)};
    if (send_argv(ac, &redis_connection::on_handshake_reply, this, select) == REDIS_OK) {
      handshake_.emplace_back("SELECT");
    }
  }

  // hiredis has no connect timeout of its own.
  deadline_.expires_after(options_.connect_timeout);
  deadline_.async_wait([this, generation = generation_](const boost::system::error_code& ec) {
    if (ec || generation != generation_ || state_ != state::connecting || ac_ == nullptr) return;
    close_reason_ = "connect timed out after " + std::to_string(options_.connect_timeout.count()) + " ms";
    redisAsyncFree(ac_);
  });
}

void redis_connection::on_connect(const redisAsyncContext* ac, int status) {
  auto* self = static_cast<redis_connection*>(ac->data);
  if (status == REDIS_OK && ac == self->ac_) self->connected();
  // On failure hiredis frees the context next: freed() reports it.
}

void redis_connection::connected() {
  if (state_ == state::connecting && handshake_.empty()) become_ready();
}

void redis_connection::on_handshake_reply(redisAsyncContext* ac, void* reply, void* privdata) {
  static_cast<redis_connection*>(privdata)->handshake_reply(ac, reply);
}

void redis_connection::handshake_reply(const redisAsyncContext* ac, const void* r) {
  if (ac != ac_ || handshake_.empty()) return;
  const std::string step = std::move(handshake_.front());
  handshake_.pop_front();
  const auto* reply = static_cast<const redisReply*>(r);
  if (reply == nullptr || state_ != state::connecting) return;  // the context is being freed
  if (reply->type == REDIS_REPLY_ERROR) {
    close_reason_ = step + " failed: " + std::string(reply->str, reply->len);
    redisAsyncFree(ac_);  // inside a callback: hiredis frees it when the callback returns
    return;
  }
  if (handshake_.empty()) become_ready();
}

void redis_connection::become_ready() {
  deadline_.cancel();
  state_ = state::ready;
  backoff_ = std::max(options_.reconnect_min, std::chrono::milliseconds(1));
  const bool after_loss = lost_;
  const auto down_for = after_loss ? std::chrono::steady_clock::now() - down_since_
                                   : std::chrono::steady_clock::duration::zero();
  if (!after_loss && failures_ > 0) {
    spdlog::info("redis: {} connection to {} established after {} failed attempt(s)", name(),
                 endpoint_.address(), failures_);
  }
  lost_ = false;
  failures_ = 0;
  try {
    owner_.connection_ready(*this, after_loss, down_for);
  } catch (const std::exception& e) {  // we are inside a hiredis callback: nothing may unwind through it
    spdlog::error("redis: {} connection to {}: {}", name(), endpoint_.address(), e.what());
  }
}

void redis_connection::on_freed(void* arg, redisAsyncContext* ac) {
  static_cast<redis_connection*>(arg)->freed(ac);
}

// From inside hiredis, just before it closes the socket and releases the context: what happens next (logs,
// the owner's bookkeeping, the retry) runs from the loop, outside hiredis.
void redis_connection::freed(const redisAsyncContext* ac) {
  if (ac != ac_) return;
  std::string reason = closing_reason(ac);
  ac_ = nullptr;
  close_reason_.clear();
  try {
    asio::post(io_, [this, generation = generation_, reason = std::move(reason)] {
      after_close(generation, reason);
    });
  } catch (const std::exception& e) {  // out of memory, inside hiredis: nothing may unwind through it
    spdlog::error("redis: {} connection to {}: {}", name(), endpoint_.address(), e.what());
  }
}

void redis_connection::after_close(std::uint64_t generation, const std::string& reason) {
  if (generation != generation_ || ac_ != nullptr) return;
  deadline_.cancel();
  const bool was_ready = state_ == state::ready;
  state_ = state::down;
  last_error_ = reason;
  if (stopping_) return;
  if (!was_ready) {
    failed_attempt(reason);
    return;
  }
  if (!lost_) {
    lost_ = true;
    down_since_ = std::chrono::steady_clock::now();
  }
  spdlog::warn("redis: lost the {} connection to {} ({}); reconnecting{}", name(), endpoint_.address(),
               reason,
               role_ == role::subscriber ? ": events published until it is back will not be received" : "");
  owner_.connection_lost(*this);
  schedule_retry();
}

void redis_connection::failed_attempt(std::string reason) {
  last_error_ = std::move(reason);
  ++failures_;
  if (stopping_) return;
  if (failures_ == 1 && !lost_) {
    spdlog::warn("redis: cannot connect the {} connection to {} ({}); retrying every {} to {} ms", name(),
                 endpoint_.address(), last_error_, options_.reconnect_min.count(),
                 options_.reconnect_max.count());
  } else {
    spdlog::debug("redis: {} connection to {}: attempt {} failed ({})", name(), endpoint_.address(),
                  failures_, last_error_);
  }
  schedule_retry();
}

void redis_connection::schedule_retry() {
  const auto delay = backoff_;
  backoff_ = std::min(backoff_ * 2, std::max(options_.reconnect_max, backoff_));
  retry_.expires_after(delay);
  retry_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_ || state_ != state::down || ac_ != nullptr) return;
    attempt();
  });
}

}  // namespace sluice::pubsub::detail
