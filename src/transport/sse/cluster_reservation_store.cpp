// Reservations across nodes: the home node's memory store, reached from other nodes by messages on the broker
// (requests with replies, events relayed to the node of the stream, stops relayed to the node of the operation).
#include "sluice/transport/sse/cluster_reservation_store.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <future>
#include <optional>
#include <thread>
#include <unordered_map>

namespace sluice::transport::sse {
namespace {

namespace asio = boost::asio;

constexpr char home_separator = '~';

std::string topic_of(std::string_view node) { return "sluice:sse:" + std::string(node); }

// The home node a token names, and the token in the home's own store.
std::optional<std::string> home_of(std::string_view token) {
  const auto at = token.find(home_separator);
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  return std::string(token.substr(0, at));
}
std::string local_of(std::string_view token) {
  const auto at = token.find(home_separator);
  return at == std::string_view::npos ? std::string() : std::string(token.substr(at + 1));
}

std::string text(const sluice::value& msg, std::string_view key) {
  const sluice::value* v = msg.find(key);
  return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

template <typename Status>
std::string_view name_of(Status s);
template <>
std::string_view name_of(reserve_status s) {
  return s == reserve_status::reserved ? "reserved" : s == reserve_status::full ? "full" : "already_registered";
}
template <>
std::string_view name_of(open_status s) {
  return s == open_status::opened ? "opened" : s == open_status::already_open ? "already_open" : "not_found";
}
template <>
std::string_view name_of(start_status s) {
  switch (s) {
    case start_status::started: return "started";
    case start_status::duplicate: return "duplicate";
    case start_status::too_many: return "too_many";
    default: return "not_found";
  }
}
template <>
std::string_view name_of(stop_status s) {
  return s == stop_status::stopped ? "stopped" : "not_found";
}

// Runs `f` (a coroutine) on `io` and gives its result to the caller, on the caller's executor.
template <typename F>
auto on_loop(asio::io_context& io, F f) {
  return asio::co_spawn(io, std::move(f), asio::use_awaitable);
}

class cluster_store final : public reservation_store {
 public:
  cluster_store(pubsub::broker& broker, cluster_reservation_options o)
      : broker_(broker),
        options_(std::move(o)),
        node_(options_.node.empty() ? boost::uuids::to_string(boost::uuids::random_generator()()) : options_.node),
        local_(make_memory_reservation_store(options_.local)) {
    std::promise<void> subscribed;
    auto ready = subscribed.get_future();
    asio::co_spawn(io_, receive(std::move(subscribed)), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
    ready.wait();  // this node's topic is subscribed (with a distributed broker: asked for) before any request
  }

  ~cluster_store() override {
    asio::post(io_, [this] {
      stopping_ = true;
      inbox_.stop();
      for (auto& [id, p] : pending_) p->timer.cancel();
    });
    work_.reset();
    thread_.join();
  }
  cluster_store(const cluster_store&) = delete;
  cluster_store& operator=(const cluster_store&) = delete;

  asio::awaitable<reserve_result> reserve(std::string owner, std::string previous, bool replace) override {
    if (auto home = home_of(previous); home && *home != node_) {
      // The previous reservation's home decides (and keeps the new one).
      sluice::value msg(sluice::object{{"kind", "reserve"}, {"token", previous}, {"owner", owner}, {"replace", replace}});
      if (auto reply = co_await request(*home, std::move(msg))) {
        const std::string status = text(*reply, "status");
        if (status == "reserved") co_return reserve_result{reserve_status::reserved, text(*reply, "token")};
        co_return reserve_result{status == "full" ? reserve_status::full : reserve_status::already_registered, {}};
      }
      previous.clear();  // its home is gone: so is the reservation
    }
    co_return co_await reserve_here(std::move(owner), local_of(previous), replace);
  }

  asio::awaitable<open_status> open(std::string token, std::string owner, std::shared_ptr<stream_sink> sink) override {
    const auto home = home_of(token);
    if (!home) co_return open_status::not_found;
    if (*home == node_) co_return co_await local_->open(local_of(token), std::move(owner), std::move(sink));
    // The home relays the events to this node, which hands them to the sink.
    auto relayed = [this, home = *home, token, owner, sink]() -> asio::awaitable<open_status> {
      sinks_[token] = sink;
      sluice::value msg(sluice::object{{"kind", "open"}, {"token", token}, {"owner", owner}});
      auto reply = co_await request_here(home, std::move(msg));
      const auto status = reply ? text(*reply, "status") : std::string("not_found");
      if (status != "opened") {
        auto it = sinks_.find(token);
        if (it != sinks_.end() && it->second == sink) sinks_.erase(it);
      }
      co_return status == "opened" ? open_status::opened
                                   : status == "already_open" ? open_status::already_open : open_status::not_found;
    };
    co_return co_await on_loop(io_, std::move(relayed));
  }

  void close(const std::string& token, const stream_sink* sink) override {
    const auto home = home_of(token);
    if (!home) return;
    if (*home == node_) {
      local_->close(local_of(token), sink);
      return;
    }
    asio::post(io_, [this, home = *home, token, sink] {
      auto it = sinks_.find(token);
      if (it == sinks_.end() || it->second.get() != sink) return;
      sinks_.erase(it);
      send(home, sluice::value(sluice::object{{"kind", "close"}, {"token", token}}));
    });
  }

  asio::awaitable<start_status> start(std::string token, std::string owner, std::string operation_id,
                                      std::function<void()> stop) override {
    const auto home = home_of(token);
    if (!home) co_return start_status::not_found;
    if (*home == node_)
      co_return co_await local_->start(local_of(token), std::move(owner), std::move(operation_id), std::move(stop));
    // The home tells this node when the operation must stop.
    auto relayed = [this, home = *home, token, owner, operation_id, stop]() -> asio::awaitable<start_status> {
      const std::string key = token + '\n' + operation_id;
      stops_[key] = stop;
      sluice::value msg(sluice::object{{"kind", "start"}, {"token", token}, {"owner", owner}, {"op", operation_id}});
      auto reply = co_await request_here(home, std::move(msg));
      const auto status = reply ? text(*reply, "status") : std::string("not_found");
      if (status != "started") stops_.erase(key);
      co_return status == "started"     ? start_status::started
             : status == "duplicate" ? start_status::duplicate
             : status == "too_many"  ? start_status::too_many
                                     : start_status::not_found;
    };
    co_return co_await on_loop(io_, std::move(relayed));
  }

  void deliver(const std::string& token, const std::string& operation_id, std::string event, bool last) override {
    const auto home = home_of(token);
    if (!home) return;
    if (*home == node_) {
      local_->deliver(local_of(token), operation_id, std::move(event), last);
      return;
    }
    asio::post(io_, [this, home = *home, token, operation_id, event = std::move(event), last]() mutable {
      if (last) stops_.erase(token + '\n' + operation_id);
      send(home, sluice::value(sluice::object{
                     {"kind", "deliver"}, {"token", token}, {"op", operation_id}, {"event", std::move(event)}, {"last", last}}));
    });
  }

  void forget(const std::string& token, const std::string& operation_id) override {
    const auto home = home_of(token);
    if (!home) return;
    if (*home == node_) {
      local_->forget(local_of(token), operation_id);
      return;
    }
    asio::post(io_, [this, home = *home, token, operation_id] {
      stops_.erase(token + '\n' + operation_id);
      send(home, sluice::value(sluice::object{{"kind", "forget"}, {"token", token}, {"op", operation_id}}));
    });
  }

  asio::awaitable<stop_status> stop(std::string token, std::string owner, std::string operation_id) override {
    const auto home = home_of(token);
    if (!home) co_return stop_status::not_found;
    if (*home == node_) co_return co_await local_->stop(local_of(token), std::move(owner), std::move(operation_id));
    sluice::value msg(sluice::object{{"kind", "stop"}, {"token", token}, {"owner", owner}, {"op", operation_id}});
    auto reply = co_await request(*home, std::move(msg));
    co_return reply && text(*reply, "status") == "stopped" ? stop_status::stopped : stop_status::not_found;
  }

  void shutdown() override {
    local_->shutdown();
    asio::post(io_, [this] {
      for (auto& [token, sink] : std::exchange(sinks_, {})) sink->end();
      for (auto& [key, stop] : std::exchange(stops_, {})) stop();
    });
  }

 private:
  // What the home keeps for a stream held by another node: relays events there.
  class remote_sink final : public stream_sink {
   public:
    remote_sink(cluster_store& s, std::string node, std::string token)
        : s_(s), node_(std::move(node)), token_(std::move(token)) {}
    void send(std::string event) override {
      asio::post(s_.io_, [&s = s_, node = node_, token = token_, event = std::move(event)]() mutable {
        s.send(node, sluice::value(sluice::object{{"kind", "sink"}, {"token", token}, {"event", std::move(event)}}));
      });
    }
    void end() override {
      asio::post(s_.io_, [&s = s_, node = node_, token = token_] {
        s.remote_sinks_.erase(token);
        s.send(node, sluice::value(sluice::object{{"kind", "end"}, {"token", token}}));
      });
    }

   private:
    cluster_store& s_;
    std::string node_;
    std::string token_;
  };

  struct pending {
    explicit pending(asio::io_context& io) : timer(io) {}
    asio::steady_timer timer;
    std::optional<sluice::value> reply;
  };

  asio::awaitable<reserve_result> reserve_here(std::string owner, std::string previous_local, bool replace) {
    auto r = co_await local_->reserve(std::move(owner), std::move(previous_local), replace);
    if (r.status == reserve_status::reserved) r.token = node_ + home_separator + r.token;
    co_return r;
  }

  // A request to `node`; its reply, or nullopt when none came in time.
  asio::awaitable<std::optional<sluice::value>> request(std::string node, sluice::value msg) {
    auto relayed = [this, node = std::move(node), msg = std::move(msg)]() mutable {
      return request_here(std::move(node), std::move(msg));
    };
    co_return co_await on_loop(io_, std::move(relayed));
  }

  // On the loop.
  asio::awaitable<std::optional<sluice::value>> request_here(std::string node, sluice::value msg) {
    if (stopping_) co_return std::nullopt;
    const std::int64_t id = next_request_++;
    msg.set("request", sluice::value(id));
    msg.set("from", sluice::value(node_));
    auto p = std::make_shared<pending>(io_);
    pending_[id] = p;
    send(node, std::move(msg));
    p->timer.expires_after(options_.request_timeout);
    (void)co_await p->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    pending_.erase(id);
    co_return std::move(p->reply);
  }

  // On the loop: publishes to `node`'s topic (in call order).
  void send(const std::string& node, sluice::value msg) {
    auto publish = [this](std::string topic, sluice::value m) -> asio::awaitable<void> {
      try {
        co_await broker_.publish(std::move(topic), std::move(m));
      } catch (const std::exception&) {
        // The broker is down: the request times out, or the event is lost with the stream (the client's
        // reconnect starts over); the broker logs the outage.
      }
    };
    asio::co_spawn(io_, publish(topic_of(node), std::move(msg)), asio::detached);
  }

  void reply(const sluice::value& msg, sluice::object answer) {
    answer.push_back({"kind", sluice::value("reply")});
    answer.push_back({"request", msg.find("request") != nullptr ? *msg.find("request") : sluice::value()});
    send(text(msg, "from"), sluice::value(std::move(answer)));
  }

  asio::awaitable<void> receive(std::promise<void> subscribed) {
    inbox_ = broker_.subscribe(io_.get_executor(), topic_of(node_));
    subscribed.set_value();
    for (;;) {
      std::optional<execution::stream_item> item;
      try {
        item = co_await inbox_.next();
      } catch (const std::exception&) {
        co_return;
      }
      if (!item) co_return;
      if (const auto* msg = std::get_if<sluice::value>(&*item)) co_await handle(*msg);
    }
  }

  // One message for this node (in the order they came).
  asio::awaitable<void> handle(const sluice::value& msg) {
    const std::string kind = text(msg, "kind");
    const std::string token = text(msg, "token");
    const std::string local = local_of(token);
    const std::string owner = text(msg, "owner");
    const std::string op = text(msg, "op");
    if (kind == "reply") {
      const sluice::value* id = msg.find("request");
      auto it = id != nullptr && id->is_int() ? pending_.find(id->as_int()) : pending_.end();
      if (it != pending_.end()) {
        it->second->reply = msg;
        it->second->timer.cancel();
      }
    } else if (kind == "sink") {
      if (auto it = sinks_.find(token); it != sinks_.end()) it->second->send(text(msg, "event"));
    } else if (kind == "end") {
      if (auto it = sinks_.find(token); it != sinks_.end()) {
        it->second->end();
        sinks_.erase(it);
      }
    } else if (kind == "stop-op") {
      if (auto it = stops_.find(token + '\n' + op); it != stops_.end()) {
        auto stop = std::move(it->second);
        stops_.erase(it);
        stop();
      }
    } else if (kind == "reserve") {
      const sluice::value* replace = msg.find("replace");
      auto r = co_await reserve_here(owner, local, replace != nullptr && replace->is_bool() && replace->as_bool());
      reply(msg, sluice::object{{"status", std::string(name_of(r.status))}, {"token", r.token}});
    } else if (kind == "open") {
      auto sink = std::make_shared<remote_sink>(*this, text(msg, "from"), token);
      const auto status = co_await local_->open(local, owner, sink);
      if (status == open_status::opened) remote_sinks_[token] = sink;
      reply(msg, sluice::object{{"status", std::string(name_of(status))}});
    } else if (kind == "close") {
      if (auto it = remote_sinks_.find(token); it != remote_sinks_.end()) {
        local_->close(local, it->second.get());
        remote_sinks_.erase(it);
      }
    } else if (kind == "start") {
      auto stop = [this, node = text(msg, "from"), token, op] {
        asio::post(io_, [this, node, token, op] {
          send(node, sluice::value(sluice::object{{"kind", "stop-op"}, {"token", token}, {"op", op}}));
        });
      };
      const auto status = co_await local_->start(local, owner, op, std::move(stop));
      reply(msg, sluice::object{{"status", std::string(name_of(status))}});
    } else if (kind == "deliver") {
      const sluice::value* last = msg.find("last");
      local_->deliver(local, op, text(msg, "event"), last != nullptr && last->is_bool() && last->as_bool());
    } else if (kind == "forget") {
      local_->forget(local, op);
    } else if (kind == "stop") {
      const auto status = co_await local_->stop(local, owner, op);
      reply(msg, sluice::object{{"status", std::string(name_of(status))}});
    }
  }

  pubsub::broker& broker_;
  const cluster_reservation_options options_;
  const std::string node_;
  asio::io_context io_{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{io_.get_executor()};
  std::shared_ptr<reservation_store> local_;  // the reservations this node is home to
  // On the loop only.
  execution::event_stream inbox_;
  bool stopping_ = false;
  std::int64_t next_request_ = 1;
  std::unordered_map<std::int64_t, std::shared_ptr<pending>> pending_;
  std::unordered_map<std::string, std::shared_ptr<stream_sink>> sinks_;  // streams here, reservations elsewhere
  std::unordered_map<std::string, std::function<void()>> stops_;         // operations here, reservations elsewhere
  std::unordered_map<std::string, std::shared_ptr<remote_sink>> remote_sinks_;  // reservations here, streams elsewhere
  std::thread thread_;
};

}  // namespace

std::shared_ptr<reservation_store> make_cluster_reservation_store(pubsub::broker& broker, cluster_reservation_options o) {
  return std::make_shared<cluster_store>(broker, std::move(o));
}

}  // namespace sluice::transport::sse
