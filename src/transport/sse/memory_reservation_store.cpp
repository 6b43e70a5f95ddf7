// The one-process reservation store of single connection mode: every reservation in one map under one lock.
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <mutex>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sluice/transport/sse/reservation_store.hpp"
#include "sluice/transport/sse/single.hpp"

namespace sluice::transport::sse {
namespace {

using clock = std::chrono::steady_clock;

// The stop callbacks a call collects under the lock, to be called once it is released (a callback may call
// the store again).
using stop_list = std::vector<std::function<void()>>;

void call_all(stop_list& stops) {
  for (auto& stop : stops) stop();
}

struct reservation {
  std::string owner;
  clock::time_point created_at;
  std::shared_ptr<stream_sink> sink;  // null until the stream opens
  // Events waiting for the stream, in order. A vector, not a deque: it only grows and is flushed whole, and
  // an empty vector allocates nothing (an empty libstdc++ deque does), which matters with 100,000
  // reservations.
  std::vector<std::string> queue;
  std::unordered_map<std::string, std::function<void()>> operations;  // operation id -> its stop
};

class memory_reservation_store final : public reservation_store {
 private:
  // Runs `f(stops)` under the lock, then the stop callbacks it collected (outside the lock: one may call the
  // store again); returns what `f` returns.
  template <typename F>
  auto locked(F f) {
    stop_list stops;
    if constexpr (std::is_void_v<decltype(f(stops))>) {
      {
        std::lock_guard lock(mutex_);
        f(stops);
      }
      call_all(stops);
    } else {
      auto result = [&] {
        std::lock_guard lock(mutex_);
        return f(stops);
      }();
      call_all(stops);
      return result;
    }
  }

 public:
  explicit memory_reservation_store(memory_reservation_options o) : options_(o) {}

  [[nodiscard]] boost::asio::awaitable<reserve_result> reserve(std::string owner, std::string previous,
                                                               bool replace) override {
    co_return reserve_now(owner, previous, replace);
  }

  [[nodiscard]] boost::asio::awaitable<open_status> open(std::string token, std::string owner,
                                                         std::shared_ptr<stream_sink> sink) override {
    co_return open_now(token, owner, std::move(sink));
  }

  void close(const std::string& token, const stream_sink* sink) override {
    locked([&](stop_list& stops) {
      auto it = reservations_.find(token);
      if (sink == nullptr || it == reservations_.end() || it->second.sink.get() != sink) return;
      take_stops(it->second, stops);
      reservations_.erase(it);
    });
  }

  [[nodiscard]] boost::asio::awaitable<start_status> start(std::string token, std::string owner,
                                                           std::string operation_id,
                                                           std::function<void()> stop) override {
    co_return start_now(token, owner, std::move(operation_id), std::move(stop));
  }

  void deliver(const std::string& token, const std::string& operation_id, std::string event,
               bool last) override {
    locked([&](stop_list& stops) {
      if (reservation* r = find_live(token, stops)) deliver_locked(*r, operation_id, std::move(event), last, stops);
    });
  }

  void forget(const std::string& token, const std::string& operation_id) override {
    locked([&](stop_list& stops) {
      if (reservation* r = find_live(token, stops)) r->operations.erase(operation_id);
    });
  }

  [[nodiscard]] boost::asio::awaitable<stop_status> stop(std::string token, std::string owner,
                                                         std::string operation_id) override {
    co_return stop_now(token, owner, operation_id);
  }

  void shutdown() override {
    locked([&](stop_list& stops) {
      for (auto& [token, r] : reservations_) {
        if (r.sink) r.sink->end();
        take_stops(r, stops);
      }
      reservations_.clear();
    });
  }

 private:
  // A reservation whose stream was not opened in time.
  [[nodiscard]] bool expired(const reservation& r, clock::time_point now) const {
    return !r.sink && now - r.created_at >= options_.open_timeout;
  }

  // Moves the stops of every operation of `r` to `stops`, unregistering them.
  static void take_stops(reservation& r, stop_list& stops) {
    for (auto& [id, stop] : r.operations) stops.push_back(std::move(stop));
    r.operations.clear();
  }

  // The reservation `token` names, or null. One that expired is dropped here (its stops go to `stops`).
  reservation* find_live(const std::string& token, stop_list& stops) {
    auto it = reservations_.find(token);
    if (it == reservations_.end()) return nullptr;
    if (expired(it->second, clock::now())) {
      take_stops(it->second, stops);
      reservations_.erase(it);
      return nullptr;
    }
    return &it->second;
  }

  // The reservation `token` names if `owner` made it, or null (another owner's token counts as unknown).
  reservation* find_owned(const std::string& token, const std::string& owner, stop_list& stops) {
    reservation* r = find_live(token, stops);
    return r != nullptr && r->owner == owner ? r : nullptr;
  }

  // Drops every expired reservation, at most once per quarter of the open timeout (so a burst of PUTs does
  // not scan the map each time): a reservation is dropped at most open_timeout / 4 late, or when it is next
  // used.
  void sweep(clock::time_point now, stop_list& stops) {
    if (now - last_sweep_ < options_.open_timeout / 4) return;
    last_sweep_ = now;
    for (auto it = reservations_.begin(); it != reservations_.end();) {
      if (expired(it->second, now)) {
        take_stops(it->second, stops);
        it = reservations_.erase(it);
      } else {
        ++it;
      }
    }
  }

  reserve_result reserve_now(const std::string& owner, const std::string& previous, bool replace) {
    return locked([&](stop_list& stops) { return reserve_locked(owner, previous, replace, stops); });
  }

  reserve_result reserve_locked(const std::string& owner, const std::string& previous, bool replace,
                                stop_list& stops) {
    const auto now = clock::now();
    sweep(now, stops);
    if (!previous.empty()) {
      auto it = reservations_.find(previous);
      if (it != reservations_.end() && expired(it->second, now)) {
        take_stops(it->second, stops);
        reservations_.erase(it);
      } else if (it != reservations_.end() && it->second.owner == owner) {
        if (!replace) return {reserve_status::already_registered, {}};
        if (it->second.sink) it->second.sink->end();
        take_stops(it->second, stops);
        reservations_.erase(it);
      }
    }
    if (reservations_.size() >= options_.max_reservations) return {reserve_status::full, {}};
    std::string token;
    do {
      token = boost::uuids::to_string(make_uuid_());  // OS entropy (Boost >= 1.67): tokens are not guessable
    } while (reservations_.contains(token));
    reservation& r = reservations_[token];
    r.owner = owner;
    r.created_at = now;
    return {reserve_status::reserved, std::move(token)};
  }

  open_status open_now(const std::string& token, const std::string& owner,
                       std::shared_ptr<stream_sink> sink) {
    return locked([&](stop_list& stops) {
      reservation* r = find_owned(token, owner, stops);
      if (r == nullptr) return open_status::not_found;
      if (r->sink) return open_status::already_open;
      for (auto& event : r->queue) sink->send(std::move(event));
      r->queue = {};
      r->sink = std::move(sink);
      return open_status::opened;
    });
  }

  start_status start_now(const std::string& token, const std::string& owner, std::string operation_id,
                         std::function<void()> stop) {
    return locked([&](stop_list& stops) {
      reservation* r = find_owned(token, owner, stops);
      if (r == nullptr) return start_status::not_found;
      if (r->operations.contains(operation_id)) return start_status::duplicate;
      if (r->operations.size() >= options_.max_operations) return start_status::too_many;
      r->operations.emplace(std::move(operation_id), std::move(stop));
      return start_status::started;
    });
  }

  void deliver_locked(reservation& r, const std::string& operation_id, std::string event, bool last,
                      stop_list& stops) {
    auto op = r.operations.find(operation_id);
    if (op == r.operations.end()) return;
    if (r.sink) {
      r.sink->send(std::move(event));
    } else if (r.queue.size() < options_.max_queued_events) {
      r.queue.push_back(std::move(event));
    } else {
      // The queue is full: the operation ends here, with an error the client can read.
      r.queue.push_back(next_event(operation_id, overflow_error()));
      r.queue.push_back(complete_event(operation_id));
      if (!last)
        stops.push_back(std::move(op->second));  // an operation that ended by itself has nothing to stop
      last = true;
    }
    if (last) r.operations.erase(op);
  }

  // The payload of the `next` that ends an operation whose events overflowed the queue.
  [[nodiscard]] std::string overflow_error() const {
    return R"x({"errors":[{"message":"Too many events were queued before the stream was opened (the limit is )x" +
           std::to_string(options_.max_queued_events) + R"x()."}]})x";
  }

  stop_status stop_now(const std::string& token, const std::string& owner, const std::string& operation_id) {
    return locked([&](stop_list& stops) {
      reservation* r = find_owned(token, owner, stops);
      if (r == nullptr) return stop_status::not_found;
      if (auto op = r->operations.find(operation_id); op != r->operations.end()) {
        stops.push_back(std::move(op->second));
        r->operations.erase(op);
        std::string event = complete_event(operation_id);
        if (r->sink)
          r->sink->send(std::move(event));
        else
          r->queue.push_back(std::move(event));  // beyond the limit if need be: the client must see the end
      }
      return stop_status::stopped;
    });
  }

  const memory_reservation_options options_;
  std::mutex mutex_;
  std::unordered_map<std::string, reservation> reservations_;  // token -> reservation
  clock::time_point last_sweep_{};
  boost::uuids::random_generator make_uuid_;  // used under mutex_
};

}  // namespace

std::shared_ptr<reservation_store> make_memory_reservation_store(memory_reservation_options o) {
  return std::make_shared<memory_reservation_store>(o);
}

}  // namespace sluice::transport::sse
