// The fanout scenario: N subscribers of one channel; publish at rising rates until the server saturates, then
// once at a fixed rate; per step the delivered messages per second, their latency (publisher's send time to
// receipt), losses and the server's CPU time.
#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <stdexcept>

#include <boost/json/array.hpp>

#include "json_scan.hpp"
#include "publisher.hpp"
#include "scenarios/scenarios.hpp"
#include "ws_client.hpp"

namespace sluice::bench::load {

namespace {

constexpr int max_steps = 64;

void bump(std::atomic<std::uint64_t>& a, std::uint64_t n = 1) {
  a.store(a.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

// Receives the messages. A message's step is found from its timestamp: steps are published one after another,
// each starting after the previous one's stragglers, so a timestamp belongs to the last step begun before it.
class fanout_handler final : public ws_handler {
 public:
  struct per_shard {
    std::array<histogram, max_steps> latency;  // count = messages delivered in that step
    std::atomic<std::uint64_t> first_seen{0};  // subscribers that have received something
    std::atomic<std::uint64_t> received{0};    // every `next`
    std::atomic<std::uint64_t> unattributed{0};
    std::atomic<std::uint64_t> errors{0};  // `error` or `complete` messages
  };

  explicit fanout_handler(unsigned shards) {
    for (unsigned i = 0; i < shards; ++i) shards_.push_back(std::make_unique<per_shard>());
  }

  void on_message(ws_conn& c, std::string_view type, std::string_view text, std::int64_t now) override {
    per_shard& st = *shards_[c.home().index];
    if (type != "next") {
      if (type == "error" || type == "complete") bump(st.errors);
      return;
    }
    bump(st.received);
    if (c.user == 0) {
      c.user = 1;
      bump(st.first_seen);
    }
    const auto value = find_string_field(text, "text");
    if (!value) {
      bump(st.unattributed);
      return;
    }
    const auto ts = parse_decimal(*value);
    if (!ts) return;  // "warmup"
    int k = steps_begun.load(std::memory_order_acquire) - 1;
    while (k >= 0 && *ts < step_start[static_cast<std::size_t>(k)].load(std::memory_order_relaxed)) --k;
    if (k < 0) {
      bump(st.unattributed);
      return;
    }
    st.latency[static_cast<std::size_t>(k)].record(now - *ts);
  }

  void begin_step(int k, std::int64_t start) {
    step_start[static_cast<std::size_t>(k)].store(start, std::memory_order_relaxed);
    steps_begun.store(k + 1, std::memory_order_release);
  }

  template <typename F>
  std::uint64_t total(F field) const {
    std::uint64_t n = 0;
    for (const auto& s : shards_) n += field(*s);
    return n;
  }
  std::uint64_t first_seen() const {
    return total([](const per_shard& s) { return s.first_seen.load(std::memory_order_relaxed); });
  }
  std::uint64_t received() const {
    return total([](const per_shard& s) { return s.received.load(std::memory_order_relaxed); });
  }
  std::uint64_t delivered(int k) const {
    return total([k](const per_shard& s) { return s.latency[static_cast<std::size_t>(k)].count(); });
  }
  std::unique_ptr<histogram> merged(int k) const {
    auto h = std::make_unique<histogram>();
    for (const auto& s : shards_) h->merge(s->latency[static_cast<std::size_t>(k)]);
    return h;
  }
  std::uint64_t unattributed() const {
    return total([](const per_shard& s) { return s.unattributed.load(std::memory_order_relaxed); });
  }
  std::uint64_t errors() const {
    return total([](const per_shard& s) { return s.errors.load(std::memory_order_relaxed); });
  }

 private:
  std::vector<std::unique_ptr<per_shard>> shards_;
  std::array<std::atomic<std::int64_t>, max_steps> step_start{};
  std::atomic<int> steps_begun{0};
};

struct step_result {
  json::object row;
  double delivered_per_s = 0;
  bool saturated = false;
};

asio::awaitable<step_result> run_step(runtime& rt, const fanout_options& o, fanout_handler& h,
                                      publisher_pool& pubs, int k, double rate) {
  const std::uint64_t alive = o.subscribers - std::min<std::uint64_t>(o.subscribers, rt.closed_count());
  const auto window = std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(o.window_s));
  cpu_window cpu;
  cpu.start(rt);
  h.begin_step(k, now_ns());
  const publish_stats pub = co_await pubs.paced(o.channel, rate, window);
  const std::uint64_t expected = pub.sent * alive;
  auto all_in = [&h, k, expected] { return h.delivered(k) >= expected; };
  const auto stragglers =
      std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(o.straggler_s));
  co_await wait_until(all_in, stragglers, std::chrono::milliseconds(2));

  step_result r;
  const std::uint64_t delivered = h.delivered(k);
  const auto lat = h.merged(k);
  const double offered = rate * o.window_s * static_cast<double>(alive);
  r.delivered_per_s = static_cast<double>(delivered) / o.window_s;
  json::object& row = r.row;
  row["rate"] = rate;
  row["subscribers_alive"] = alive;
  row["published"] = pub.sent;
  row["publish_rate_achieved"] = round_to(static_cast<double>(pub.sent) / o.window_s, 2);
  row["publish_errors"] = pub.errors;
  if (pub.errors > 0) row["publish_first_error"] = pub.first_error;
  row["mutation_latency_ms"] = latency_ms(*pub.latency);
  row["offered_msgs_per_s"] = round_to(offered / o.window_s, 1);
  row["expected"] = expected;
  row["delivered"] = delivered;
  row["delivered_msgs_per_s"] = round_to(r.delivered_per_s, 1);
  row["loss"] = expected > delivered ? expected - delivered : 0;
  row["loss_ratio"] =
      expected > 0 ? round_to(1.0 - static_cast<double>(delivered) / static_cast<double>(expected), 5) : 0.0;
  row["latency_ms"] = latency_ms(*lat);
  cpu.finish(rt, row);
  const double p99_ms = static_cast<double>(lat->percentile(0.99)) / 1e6;
  r.saturated = static_cast<double>(delivered) < o.min_delivered_ratio * offered || p99_ms > o.max_p99_ms;
  row["saturated"] = r.saturated;
  char line[320];
  std::snprintf(line, sizeof line,
                "rate %g/s: published %llu, delivered %llu of %llu (%.0f msgs/s), p50 %.2f ms p99 %.2f ms%s",
                rate, static_cast<unsigned long long>(pub.sent), static_cast<unsigned long long>(delivered),
                static_cast<unsigned long long>(expected), r.delivered_per_s,
                static_cast<double>(lat->percentile(0.5)) / 1e6, p99_ms, r.saturated ? "  (saturated)" : "");
  std::string text = line;
  const auto drops = row["net_backlog_drops"].to_number<std::uint64_t>();
  const auto retransmits = row["tcp_retransmits"].to_number<std::uint64_t>();
  if (drops > 0) {
    text += "; the kernel dropped " + std::to_string(drops) +
            " packets (a full input backlog: raise net.core.netdev_max_backlog)";
  }
  if (retransmits > 0) text += "; " + std::to_string(retransmits) + " TCP retransmissions";
  progress(text);
  co_return r;
}

}  // namespace

asio::awaitable<json::object> run_fanout(runtime& rt, fanout_options o) {
  if (o.rates.empty() || o.rates.size() >= max_steps)
    throw std::runtime_error("fanout: give 1 to 63 --rates");
  for (const double r : o.rates) {
    if (r <= 0) throw std::runtime_error("fanout: rates must be positive");
  }
  if (o.window_s <= 0 || o.fixed_rate <= 0)
    throw std::runtime_error("fanout: --window and --fixed-rate must be > 0");
  rt.plan_connections(o.subscribers, o.publishers + 16);
  auto h = std::make_shared<fanout_handler>(rt.shard_count());
  auto received = [&h] { return h->received(); };  // named: GCC 12 mishandles lambdas inside co_await
  const auto conns = rt.make_connections(o.subscribers, h);
  const std::string subscribe =
      subscribe_message("1", json_quote(messages_subscription), R"({"channel":)" + json_quote(o.channel) + "}");
  auto on_open = [subscribe](ws_conn& c) { c.send_text(subscribe); };

  json::object report;
  const proc_sample before = rt.sample_server();
  set_phase("connecting subscribers");
  cpu_window setup;
  setup.start(rt);
  co_await rt.open_connections(conns, on_open);
  publisher_pool pubs(rt, o.publishers);
  co_await pubs.connect();

  set_phase("warm-up");
  auto all_seen = [&h, n = o.subscribers] { return h->first_seen() >= n; };
  const auto warm_start = steady::now();
  for (int i = 0; i < 100000 && !all_seen(); ++i) {
    if (steady::now() - warm_start > std::chrono::duration<double>(o.warmup_timeout_s)) {
      throw std::runtime_error("warm-up: only " + std::to_string(h->first_seen()) + " of " +
                               std::to_string(o.subscribers) + " subscribers received a message within " +
                               std::to_string(static_cast<int>(o.warmup_timeout_s)) + " s");
    }
    co_await pubs.post_once(o.channel, "warmup");
    co_await wait_until(all_seen, std::chrono::milliseconds(100));
  }
  co_await quiesce(received, std::chrono::milliseconds(300), std::chrono::seconds(10));
  json::object setup_row;
  setup.finish(rt, setup_row);
  setup_row["warmup_s"] = round_to(std::chrono::duration<double>(steady::now() - warm_start).count(), 3);
  report["setup"] = std::move(setup_row);
  const proc_sample ready = rt.sample_server();
  progress("all " + std::to_string(o.subscribers) + " subscribers receive; stepping the rate");

  set_phase("rate steps");
  json::array steps;
  double saturation = 0;
  json::value saturated_at = nullptr;
  int k = 0;
  for (const double rate : o.rates) {
    step_result r = co_await run_step(rt, o, *h, pubs, k++, rate);
    saturation = std::max(saturation, r.delivered_per_s);
    steps.push_back(std::move(r.row));
    if (r.saturated) {
      saturated_at = rate;
      break;
    }
    co_await quiesce(received, std::chrono::milliseconds(200), std::chrono::seconds(5));
  }
  report["steps"] = std::move(steps);
  report["saturation_msgs_per_s"] = round_to(saturation, 1);
  report["saturated_at_rate"] = saturated_at;

  set_phase("fixed-rate step");
  co_await quiesce(received, std::chrono::milliseconds(500), std::chrono::seconds(15));
  step_result fixed = co_await run_step(rt, o, *h, pubs, k, o.fixed_rate);
  report["fixed"] = std::move(fixed.row);

  const proc_sample after = rt.sample_server();
  if (before.valid && after.valid) {
    report["server_rss_kib"] = {
        {"before", before.rss_kib}, {"subscribed", ready.rss_kib}, {"after", after.rss_kib}};
  }
  report["subscribers"] = o.subscribers;
  report["channel"] = o.channel;
  report["window_s"] = o.window_s;
  report["publishers"] = o.publishers;
  report["connections_lost"] = rt.closed_count();
  report["unattributed_messages"] = h->unattributed();
  report["error_messages"] = h->errors();
  co_return report;
}

}  // namespace sluice::bench::load
