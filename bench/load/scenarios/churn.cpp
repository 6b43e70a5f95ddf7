// The churn scenario: the cost of starting and stopping subscriptions. Each client sends rounds of K
// subscribe + complete pairs (a unique id and channel each) followed by a ping, and starts the next round
// when the pong comes back (by then the server has read the round); subscribes per second and server CPU
// microseconds per subscribe.
#include <atomic>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "http_client.hpp"
#include "scenarios/scenarios.hpp"
#include "ws_client.hpp"

namespace sluice::bench::load {

namespace {

class churn_handler final : public ws_handler {
 public:
  churn_handler(unsigned shards, unsigned pairs) : pairs_(pairs), per_shard_(shards) {
    for (auto& s : per_shard_) s = std::make_unique<counters>();
    query_json_ = json_quote(messages_subscription);
  }

  // Sends connection c's next round: user counts its subscriptions so far.
  void start_round(ws_conn& c) {
    std::string& batch = per_shard_[c.home().index]->batch;
    batch.clear();
    std::string message;
    for (unsigned i = 0; i < pairs_; ++i) {
      const std::string id = std::to_string(c.index()) + "-" + std::to_string(c.user++);
      message = subscribe_message(id, query_json_, R"({"channel":"churn-)" + id + R"("})");
      c.frame_into(batch, message);
      message = R"({"id":")" + id + R"(","type":"complete"})";
      c.frame_into(batch, message);
    }
    c.frame_into(batch, R"({"type":"ping"})");
    c.user2 = static_cast<std::uint64_t>(now_ns());
    c.send_raw(batch);
  }

  void on_message(ws_conn& c, std::string_view type, std::string_view text, std::int64_t now) override {
    counters& st = *per_shard_[c.home().index];
    if (type == "pong") {
      if (measuring.load(std::memory_order_relaxed)) {
        bump(st.subscribes, pairs_);
        st.round_trip.record(now - static_cast<std::int64_t>(c.user2));
      }
      if (stopping.load(std::memory_order_relaxed)) {
        active.fetch_sub(1);
        return;
      }
      start_round(c);
      return;
    }
    if (type == "error") {
      bump(st.errors);
      record_error(text);
    }
    // `next` cannot happen (nobody posts to these channels); `complete` from servers that confirm is ignored.
  }

  void on_closed(ws_conn&, const std::string& why) override {
    record_error(why);
    active.fetch_sub(1);
  }

  [[nodiscard]] std::uint64_t subscribes() const {
    std::uint64_t n = 0;
    for (const auto& s : per_shard_) n += s->subscribes.load(std::memory_order_relaxed);
    return n;
  }
  [[nodiscard]] std::uint64_t errors() const {
    std::uint64_t n = 0;
    for (const auto& s : per_shard_) n += s->errors.load(std::memory_order_relaxed);
    return n;
  }
  [[nodiscard]] std::unique_ptr<histogram> round_trips() const {
    auto h = std::make_unique<histogram>();
    for (const auto& s : per_shard_) h->merge(s->round_trip);
    return h;
  }
  std::string first_error() {
    const std::lock_guard lock(error_mutex_);
    return first_error_;
  }

  std::atomic<bool> measuring{false};
  std::atomic<bool> stopping{false};
  std::atomic<std::int64_t> active{0};

 private:
  struct counters {
    std::atomic<std::uint64_t> subscribes{0};
    std::atomic<std::uint64_t> errors{0};
    histogram round_trip;
    std::string batch;
  };
  static void bump(std::atomic<std::uint64_t>& a, std::uint64_t n = 1) {
    a.store(a.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  void record_error(std::string_view text) {
    const std::lock_guard lock(error_mutex_);
    if (first_error_.empty()) first_error_ = std::string(text.substr(0, 300));
  }

  unsigned pairs_;
  std::string query_json_;
  std::vector<std::unique_ptr<counters>> per_shard_;
  std::mutex error_mutex_;
  std::string first_error_;
};

}  // namespace

asio::awaitable<json::object> run_churn(runtime& rt, churn_options o) {
  if (o.clients == 0 || o.pairs == 0 || o.duration_s <= 0) {
    throw std::runtime_error("churn: --clients, --pairs and --duration must be > 0");
  }
  rt.plan_connections(o.clients, 16);
  auto h = std::make_shared<churn_handler>(rt.shard_count(), o.pairs);
  const auto conns = rt.make_connections(o.clients, h);
  h->active = static_cast<std::int64_t>(o.clients);
  auto on_open = [h](ws_conn& c) { h->start_round(c); };
  set_phase("connecting");
  co_await rt.open_connections(conns, on_open);

  set_phase("churn");
  co_await sleep_for(std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(o.warmup_s)));
  cpu_window cpu;
  cpu.start(rt);
  h->measuring = true;
  co_await sleep_for(
      std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(o.duration_s)));
  h->measuring = false;
  const double measured_s = cpu.elapsed_s();
  json::object window;
  const double server_cpu = cpu.finish(rt, window);
  h->stopping = true;
  auto stopped = [h] { return h->active.load() <= 0; };
  const bool all_stopped = co_await wait_until(stopped, std::chrono::seconds(15));
  if (h->errors() > 0 || rt.closed_count() > 0) {
    throw std::runtime_error("churn: " + std::to_string(h->errors()) + " error messages, " +
                             std::to_string(rt.closed_count()) +
                             " connections closed; first: " + h->first_error());
  }
  if (!all_stopped) throw std::runtime_error("churn: some clients got no pong within 15 s");

  const std::uint64_t subs = h->subscribes();
  const auto rtt = h->round_trips();
  json::object report;
  report["clients"] = o.clients;
  report["pairs_per_round"] = o.pairs;
  report["duration_s"] = o.duration_s;
  report["subscribes"] = subs;
  report["subscribes_per_s"] = round_to(static_cast<double>(subs) / measured_s, 1);
  if (server_cpu > 0 && subs > 0) {
    report["server_cpu_us_per_subscribe"] = round_to(server_cpu * 1e6 / static_cast<double>(subs), 3);
  }
  report["round_trip_ms"] = latency_ms(*rtt);
  report["window"] = std::move(window);
  progress("churn: " + std::to_string(static_cast<long long>(static_cast<double>(subs) / measured_s)) +
           " subscribes/s");
  co_return report;
}

}  // namespace sluice::bench::load
