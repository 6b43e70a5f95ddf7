// The live scenario (live queries, issue 8): N operations spread over C channels ("live0".."live{C-1}"),
// several per connection, each the template with {channel} filled in. Once each has its initial result, every
// interval one `post` per channel; per round the updates received (one per operation expected) and the
// latency from a post to a `next` whose text contains its timestamp (full results and JSON-patch deltas
// alike), the server's CPU per round, and its CPU over an equally long quiet period (what a polling server
// spends doing nothing).
#include <atomic>
#include <charconv>
#include <memory>
#include <mutex>
#include <stdexcept>

#include <boost/json/array.hpp>

#include "json_scan.hpp"
#include "publisher.hpp"
#include "scenarios/scenarios.hpp"
#include "ws_client.hpp"

namespace sluice::bench::load {

namespace {

void bump(std::atomic<std::uint64_t>& a, std::uint64_t n = 1) {
  a.store(a.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

class live_handler final : public ws_handler {
 public:
  live_handler(unsigned shards, const live_options& o)
      : cohorts_(o.cohorts), first_(o.subscriptions, 0), posted_ts_(o.cohorts) {
    for (unsigned i = 0; i < shards; ++i) {
      auto s = std::make_unique<per_shard>();
      s->updates = std::vector<std::atomic<std::uint64_t>>(o.rounds + 1);
      shards_.push_back(std::move(s));
    }
  }

  void on_message(ws_conn& c, std::string_view type, std::string_view text, std::int64_t now) override {
    per_shard& st = *shards_[c.home().index];
    if (type != "next") {
      if (type == "error" || type == "complete") {
        bump(st.errors);
        record_error(text);
      }
      return;
    }
    bump(st.nexts);
    const auto id = find_string_field(text, "id");
    const auto k = id ? parse_decimal(*id) : std::nullopt;
    if (!k || static_cast<std::size_t>(*k) >= first_.size()) {
      bump(st.unknown);
      return;
    }
    const auto sub = static_cast<std::size_t>(*k);
    if (first_[sub] == 0) {  // each element is written by the one shard owning that operation
      first_[sub] = 1;
      bump(st.initial);
    }
    const int r = round.load(std::memory_order_acquire);
    if (r < 0) return;
    bump(st.updates[static_cast<std::size_t>(r)]);
    if (static_cast<std::size_t>(r) + 1 >= st.updates.size()) return;  // the quiet period
    const std::int64_t ts = posted_ts_[sub % cohorts_].load(std::memory_order_relaxed);
    char digits[24];
    const auto res = std::to_chars(digits, digits + sizeof digits, ts);
    if (text.find(std::string_view(digits, static_cast<std::size_t>(res.ptr - digits))) !=
        std::string_view::npos) {
      st.latency.record(now - ts);
    } else {
      bump(st.without_timestamp);
    }
  }

  void on_closed(ws_conn&, const std::string& why) override { record_error(why); }

  void posted(std::size_t channel, std::int64_t ts) {
    posted_ts_[channel].store(ts, std::memory_order_relaxed);
  }

  template <typename F>
  [[nodiscard]] std::uint64_t total(F field) const {
    std::uint64_t n = 0;
    for (const auto& s : shards_) n += field(*s);
    return n;
  }
  [[nodiscard]] std::uint64_t initial() const {
    return total([](const per_shard& s) { return s.initial.load(std::memory_order_relaxed); });
  }
  [[nodiscard]] std::uint64_t nexts() const {
    return total([](const per_shard& s) { return s.nexts.load(std::memory_order_relaxed); });
  }
  [[nodiscard]] std::uint64_t updates(std::size_t r) const {
    return total([r](const per_shard& s) { return s.updates[r].load(std::memory_order_relaxed); });
  }
  [[nodiscard]] std::uint64_t errors() const {
    return total([](const per_shard& s) { return s.errors.load(std::memory_order_relaxed); });
  }
  [[nodiscard]] std::uint64_t unknown() const {
    return total([](const per_shard& s) { return s.unknown.load(std::memory_order_relaxed); });
  }
  [[nodiscard]] std::uint64_t without_timestamp() const {
    return total([](const per_shard& s) { return s.without_timestamp.load(std::memory_order_relaxed); });
  }
  [[nodiscard]] std::unique_ptr<histogram> latency() const {
    auto h = std::make_unique<histogram>();
    for (const auto& s : shards_) h->merge(s->latency);
    return h;
  }
  std::string first_error() {
    const std::lock_guard lock(error_mutex_);
    return first_error_;
  }

  std::atomic<int> round{-1};  // -1: before the rounds; rounds: the quiet period

 private:
  struct per_shard {
    std::atomic<std::uint64_t> nexts{0};
    std::atomic<std::uint64_t> initial{0};
    std::atomic<std::uint64_t> errors{0};
    std::atomic<std::uint64_t> unknown{0};
    std::atomic<std::uint64_t> without_timestamp{0};
    std::vector<std::atomic<std::uint64_t>> updates;  // per round, then the quiet period
    histogram latency;
  };
  void record_error(std::string_view text) {
    const std::lock_guard lock(error_mutex_);
    if (first_error_.empty()) first_error_ = std::string(text.substr(0, 300));
  }

  std::size_t cohorts_;
  std::vector<std::uint8_t> first_;
  std::vector<std::atomic<std::int64_t>> posted_ts_;
  std::vector<std::unique_ptr<per_shard>> shards_;
  std::mutex error_mutex_;
  std::string first_error_;
};

std::string fill_template(std::string text, const std::string& channel) {
  const std::string key = "{channel}";
  for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + channel.size())) {
    text.replace(at, key.size(), channel);
  }
  return text;
}

}  // namespace

asio::awaitable<json::object> run_live(runtime& rt, live_options o) {
  if (o.subscriptions == 0 || o.cohorts == 0 || o.per_connection == 0 || o.rounds == 0 ||
      o.interval_ms <= 0) {
    throw std::runtime_error(
        "live: --subscriptions, --cohorts, --per-connection, --rounds, --interval-ms > 0");
  }
  const std::size_t connections = (o.subscriptions + o.per_connection - 1) / o.per_connection;
  rt.plan_connections(connections, o.publishers + 16);
  auto h = std::make_shared<live_handler>(rt.shard_count(), o);
  const auto conns = rt.make_connections(connections, h);
  std::vector<std::string> channels;
  std::vector<std::string> queries;
  for (std::size_t i = 0; i < o.cohorts; ++i) {
    channels.push_back("live" + std::to_string(i));
    queries.push_back(json_quote(fill_template(o.query_template, channels.back())));
  }
  auto on_open = [per = o.per_connection, n = o.subscriptions, queries](ws_conn& c) {
    std::string batch;
    const std::size_t from = std::size_t{c.index()} * per;
    const std::size_t to = std::min(n, from + per);
    for (std::size_t k = from; k < to; ++k) {
      const std::string message = subscribe_message(std::to_string(k), queries[k % queries.size()]);
      c.frame_into(batch, message);
    }
    c.send_raw(batch);
  };
  set_phase("connecting");
  co_await rt.open_connections(conns, on_open);
  publisher_pool pubs(rt, o.publishers);
  co_await pubs.connect();

  set_phase("initial results");
  const auto initial_start = steady::now();
  auto all_initial = [&h, n = o.subscriptions] { return h->initial() >= n; };
  auto ignore = [](std::size_t, std::int64_t) {};
  for (int i = 0; i < 100000 && !all_initial(); ++i) {
    if (steady::now() - initial_start > std::chrono::duration<double>(o.initial_timeout_s)) {
      throw std::runtime_error(
          "live: only " + std::to_string(h->initial()) + " of " + std::to_string(o.subscriptions) +
          " operations sent a first result within " + std::to_string(static_cast<int>(o.initial_timeout_s)) +
          " s" + (o.no_initial ? "" : " (use --no-initial if the operation has no initial result)") +
          "; first error: " + h->first_error());
    }
    if (o.no_initial) co_await pubs.post_each(channels, ignore);  // warm-up posts reach every operation
    co_await wait_until(all_initial, std::chrono::milliseconds(250));
  }
  const double initial_s = std::chrono::duration<double>(steady::now() - initial_start).count();
  const auto nexts = [&h] { return h->nexts(); };  // named: GCC 12 mishandles lambdas inside co_await
  co_await quiesce(nexts, std::chrono::milliseconds(300), std::chrono::seconds(10));
  progress("all " + std::to_string(o.subscriptions) + " operations have a first result; " +
           std::to_string(o.rounds) + " rounds of " + std::to_string(o.cohorts) + " posts");

  set_phase("rounds");
  const auto interval =
      std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(o.interval_ms / 1e3));
  auto posted = [&h](std::size_t c, std::int64_t ts) { h->posted(c, ts); };
  cpu_window rounds_cpu;
  rounds_cpu.start(rt);
  json::array mutation_latency;
  std::uint64_t publish_errors = 0;
  std::string publish_first_error;
  for (unsigned r = 0; r < o.rounds; ++r) {
    const auto round_start = steady::now();
    h->round.store(static_cast<int>(r), std::memory_order_release);
    const publish_stats st = co_await pubs.post_each(channels, posted);
    publish_errors += st.errors;
    if (publish_first_error.empty()) publish_first_error = st.first_error;
    const auto rest = round_start + interval - steady::now();
    if (rest > steady::duration::zero()) co_await sleep_for(rest);
  }
  json::object rounds_window;
  const double rounds_server_cpu = rounds_cpu.finish(rt, rounds_window);

  set_phase("quiet period");
  h->round.store(static_cast<int>(o.rounds), std::memory_order_release);
  cpu_window quiet_cpu;
  quiet_cpu.start(rt);
  co_await sleep_for(interval * o.rounds);
  json::object quiet_window;
  const double quiet_server_cpu = quiet_cpu.finish(rt, quiet_window);

  json::array per_round;
  std::uint64_t updates_total = 0;
  for (unsigned r = 0; r < o.rounds; ++r) {
    per_round.push_back(h->updates(r));
    updates_total += h->updates(r);
  }
  const auto lat = h->latency();
  json::object report;
  report["subscriptions"] = o.subscriptions;
  report["cohorts"] = o.cohorts;
  report["per_connection"] = o.per_connection;
  report["connections"] = connections;
  report["query_template"] = o.query_template;
  report["interval_ms"] = o.interval_ms;
  report["rounds"] = o.rounds;
  report["initial_s"] = round_to(initial_s, 3);
  report["updates_per_round"] = std::move(per_round);
  report["updates_per_round_avg"] = round_to(static_cast<double>(updates_total) / o.rounds, 1);
  report["expected_per_round"] = o.subscriptions;
  report["updates_without_timestamp"] = h->without_timestamp();
  report["updates_in_quiet_period"] = h->updates(o.rounds);
  report["latency_ms"] = latency_ms(*lat);
  report["publish_errors"] = publish_errors;
  if (publish_errors > 0) report["publish_first_error"] = publish_first_error;
  if (rounds_server_cpu > 0 || quiet_server_cpu > 0) {
    report["server_cpu_s_per_round"] = round_to(rounds_server_cpu / o.rounds, 4);
    report["server_cpu_s_per_quiet_interval"] = round_to(quiet_server_cpu / o.rounds, 4);
  }
  report["rounds_window"] = std::move(rounds_window);
  report["quiet_window"] = std::move(quiet_window);
  report["error_messages"] = h->errors();
  report["unknown_ids"] = h->unknown();
  report["connections_lost"] = rt.closed_count();
  if (h->errors() > 0 || rt.closed_count() > 0) report["first_error"] = h->first_error();
  progress("live: " + std::to_string(updates_total / o.rounds) + " of " + std::to_string(o.subscriptions) +
           " updates per round, p50 " + std::to_string(static_cast<double>(lat->percentile(0.5)) / 1e6) +
           " ms");
  co_return report;
}

}  // namespace sluice::bench::load
