// The idle scenario: the server's memory per open WebSocket connection holding one subscription. RSS before
// any connection, N connections each subscribed (all confirmed alive by a message reaching every one), a
// pause to settle, RSS again.
#include <atomic>
#include <memory>
#include <stdexcept>

#include "publisher.hpp"
#include "scenarios/scenarios.hpp"
#include "ws_client.hpp"

namespace sluice::bench::load {

namespace {

class idle_handler final : public ws_handler {
 public:
  explicit idle_handler(unsigned shards) : seen_(shards) {}

  void on_message(ws_conn& c, std::string_view type, std::string_view, std::int64_t) override {
    if (type != "next" || c.user != 0) return;
    c.user = 1;
    auto& n = seen_[c.home().index];
    n.store(n.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }

  [[nodiscard]] std::uint64_t seen() const {
    std::uint64_t n = 0;
    for (const auto& s : seen_) n += s.load(std::memory_order_relaxed);
    return n;
  }

 private:
  std::vector<std::atomic<std::uint64_t>> seen_;
};

}  // namespace

asio::awaitable<json::object> run_idle(runtime& rt, idle_options o) {
  if (o.connections == 0) throw std::runtime_error("idle: --connections must be > 0");
  rt.plan_connections(o.connections, 16);
  auto h = std::make_shared<idle_handler>(rt.shard_count());
  const auto conns = rt.make_connections(o.connections, h);
  const std::string subscribe =
      subscribe_message("1", json_quote(messages_subscription), R"({"channel":)" + json_quote(o.channel) + "}");
  auto on_open = [subscribe](ws_conn& c) { c.send_text(subscribe); };

  publisher_pool pubs(rt, 1);
  co_await pubs.connect();
  co_await sleep_for(std::chrono::milliseconds(500));
  const proc_sample before = rt.sample_server();
  if (rt.options().server_pid != 0 && !before.valid) {
    throw std::runtime_error("idle: cannot read /proc/" + std::to_string(rt.options().server_pid));
  }

  set_phase("connecting");
  cpu_window setup;
  setup.start(rt);
  co_await rt.open_connections(conns, on_open);
  json::object connect_row;
  setup.finish(rt, connect_row);

  set_phase("confirming every connection is alive");
  auto all_seen = [&h, n = o.connections] { return h->seen() >= n; };
  const auto confirm_start = steady::now();
  for (int i = 0; i < 100000 && !all_seen(); ++i) {
    if (steady::now() - confirm_start > std::chrono::duration<double>(o.confirm_timeout_s)) {
      throw std::runtime_error("idle: only " + std::to_string(h->seen()) + " of " +
                               std::to_string(o.connections) +
                               " connections received the confirmation message within " +
                               std::to_string(static_cast<int>(o.confirm_timeout_s)) + " s");
    }
    co_await pubs.post_once(o.channel, "alive");
    co_await wait_until(all_seen, std::chrono::milliseconds(500));
  }
  const double confirm_s = std::chrono::duration<double>(steady::now() - confirm_start).count();
  progress("all " + std::to_string(o.connections) + " connections alive; settling");

  set_phase("settling");
  co_await sleep_for(std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(o.settle_s)));
  const proc_sample after = rt.sample_server();
  if (rt.closed_count() > 0) {
    throw std::runtime_error("idle: " + std::to_string(rt.closed_count()) +
                             " connections were closed while idle");
  }

  json::object report;
  report["connections"] = o.connections;
  report["channel"] = o.channel;
  report["connect"] = std::move(connect_row);
  report["confirm_s"] = round_to(confirm_s, 3);
  report["settle_s"] = o.settle_s;
  if (before.valid && after.valid) {
    report["rss_before_kib"] = before.rss_kib;
    report["rss_after_kib"] = after.rss_kib;
    report["bytes_per_connection"] = round_to(
        static_cast<double>(after.rss_kib - before.rss_kib) * 1024.0 / static_cast<double>(o.connections), 1);
  }
  report["loadgen_rss_kib"] = self_max_rss_kib();
  co_return report;
}

}  // namespace sluice::bench::load
