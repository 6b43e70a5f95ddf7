// The http scenario: closed-loop GraphQL over HTTP/1.1 keep-alive POSTs (no pipelining) of one operation from
// a file. The first response is checked (200, "data", no "errors") and identified by size and FNV-1a hash, so
// runs against different servers can be compared; then requests per second, their latency, and the server's
// CPU.
#include <atomic>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "http_client.hpp"
#include "json_scan.hpp"
#include "scenarios/scenarios.hpp"

namespace sluice::bench::load {

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct http_shared {
  explicit http_shared(unsigned shards) : latency(shards) {
    for (auto& h : latency) h = std::make_unique<histogram>();
  }
  std::string body;
  std::size_t expected_size = 0;
  std::atomic<bool> measuring{false};
  std::atomic<bool> stopping{false};
  std::atomic<unsigned> active{0};
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::uint64_t> size_mismatches{0};
  std::vector<std::unique_ptr<histogram>> latency;  // per shard; count = requests completed while measuring
  std::mutex error_mutex;
  std::string first_error;
};

asio::awaitable<void> http_worker(std::shared_ptr<http_shared> st, std::shared_ptr<http_client> client,
                                  unsigned shard_index) {
  histogram& lat = *st->latency[shard_index];
  try {
    for (std::uint64_t i = 0; i < (std::uint64_t{1} << 40) && !st->stopping.load(std::memory_order_relaxed);
         ++i) {
      const std::int64_t t0 = now_ns();
      const unsigned status = co_await client->post(st->body);
      const std::int64_t t1 = now_ns();
      if (status != 200) {
        if (st->errors.fetch_add(1) == 0) {
          const std::lock_guard lock(st->error_mutex);
          st->first_error = "HTTP " + std::to_string(status) + ": " + client->body().substr(0, 300);
        }
        continue;
      }
      if (!st->measuring.load(std::memory_order_relaxed)) continue;
      lat.record(t1 - t0);
      if (client->body().size() != st->expected_size)
        st->size_mismatches.fetch_add(1, std::memory_order_relaxed);
    }
  } catch (const std::exception& e) {
    if (st->errors.fetch_add(1) == 0) {
      const std::lock_guard lock(st->error_mutex);
      st->first_error = e.what();
    }
  }
  st->active.fetch_sub(1);
}

}  // namespace

asio::awaitable<json::object> run_http(runtime& rt, http_options o) {
  if (o.query_file.empty()) throw std::runtime_error("http: --query-file is required");
  if (o.connections == 0 || o.duration_s <= 0)
    throw std::runtime_error("http: --connections and --duration > 0");
  require_open_files(o.connections + 32, std::to_string(o.connections) + " HTTP connections");
  auto st = std::make_shared<http_shared>(rt.shard_count());
  const std::string query = read_file(o.query_file);
  std::string variables;
  if (!o.variables_file.empty()) {
    boost::system::error_code ec;
    const json::value v = json::parse(read_file(o.variables_file), ec);
    if (ec || !v.is_object()) throw std::runtime_error("http: " + o.variables_file + " is not a JSON object");
    variables = json::serialize(v);
  }
  st->body = graphql_body(query, variables);

  // The reference response.
  set_phase("first request");
  http_client first(rt.control().ioc, rt.server());
  const unsigned status = co_await first.post(st->body);
  const std::string response = first.body();
  boost::system::error_code ec;
  const json::value parsed = json::parse(response, ec);
  if (status != 200 || ec || !parsed.is_object() || !parsed.as_object().contains("data") ||
      parsed.as_object().contains("errors")) {
    throw std::runtime_error("http: the first response is not a successful GraphQL result (HTTP " +
                             std::to_string(status) + "): " + response.substr(0, 500));
  }
  st->expected_size = response.size();
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a(response)));
  progress("first response: " + std::to_string(response.size()) + " bytes, fnv1a " + hash);

  set_phase("http load");
  std::vector<std::shared_ptr<http_client>> clients;
  for (unsigned i = 0; i < o.connections; ++i) {
    shard& s = rt.shard_at(i % rt.shard_count());
    clients.push_back(std::make_shared<http_client>(s.ioc, rt.server()));
  }
  st->active = o.connections;
  for (unsigned i = 0; i < o.connections; ++i) {
    shard& s = rt.shard_at(i % rt.shard_count());
    asio::co_spawn(s.ioc, http_worker(st, clients[i], s.index), asio::detached);
  }
  co_await sleep_for(std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(o.warmup_s)));
  cpu_window cpu;
  cpu.start(rt);
  st->measuring = true;
  co_await sleep_for(
      std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(o.duration_s)));
  st->measuring = false;
  const double measured_s = cpu.elapsed_s();
  json::object window;
  const double server_cpu = cpu.finish(rt, window);
  st->stopping = true;
  auto idle = [st] { return st->active.load() == 0; };
  if (!co_await wait_until(idle, std::chrono::seconds(30))) {
    throw std::runtime_error("http: requests still unanswered 30 s after the end");
  }
  if (st->errors.load() > 0) {
    const std::lock_guard lock(st->error_mutex);
    throw std::runtime_error("http: " + std::to_string(st->errors.load()) +
                             " requests failed; first: " + st->first_error);
  }

  histogram total;
  for (const auto& h : st->latency) total.merge(*h);
  const double rps = static_cast<double>(total.count()) / measured_s;
  json::object report;
  report["query_file"] = o.query_file;
  if (!o.variables_file.empty()) report["variables_file"] = o.variables_file;
  report["connections"] = o.connections;
  report["duration_s"] = o.duration_s;
  report["warmup_s"] = o.warmup_s;
  report["response_bytes"] = response.size();
  report["response_fnv1a"] = hash;
  report["requests"] = total.count();
  report["requests_per_s"] = round_to(rps, 1);
  if (server_cpu > 0) {
    report["requests_per_server_cpu_s"] = round_to(static_cast<double>(total.count()) / server_cpu, 1);
  }
  report["latency_ms"] = latency_ms(total);
  report["size_mismatches"] = st->size_mismatches.load();
  report["window"] = std::move(window);
  progress("http: " + std::to_string(static_cast<long long>(rps)) + " requests/s");
  co_return report;
}

}  // namespace sluice::bench::load
