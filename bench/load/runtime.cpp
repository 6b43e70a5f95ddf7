// The load generator's runtime: shards, connection planning and opening, the deadline watchdog, report
// helpers.
#include "runtime.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "ws_client.hpp"

namespace sluice::bench::load {

namespace {

std::atomic<const char*> current_phase{"starting"};
constexpr std::size_t connections_per_source = 4000;
const steady::time_point process_start = steady::now();

target parse_target(const std::string& url, asio::io_context& ioc) {
  target t;
  std::string rest;
  for (const char* scheme : {"http://", "ws://"}) {
    if (url.rfind(scheme, 0) == 0) rest = url.substr(std::string(scheme).size());
  }
  if (rest.empty())
    throw std::runtime_error("--url must look like http://127.0.0.1:4000/graphql, not " + url);
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  t.path = slash == std::string::npos ? "/graphql" : rest.substr(slash);
  const auto colon = authority.rfind(':');
  t.host = authority.substr(0, colon);
  t.port = 80;
  if (colon != std::string::npos) {
    const int port = std::stoi(authority.substr(colon + 1));
    if (port <= 0 || port > 65535) throw std::runtime_error("bad port in --url " + url);
    t.port = static_cast<std::uint16_t>(port);
  }
  t.host_header = authority;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address_v4(t.host, ec);
  if (!ec) {
    t.endpoint = tcp::endpoint(address, t.port);
  } else {
    tcp::resolver resolver(ioc);
    const auto results = resolver.resolve(tcp::v4(), t.host, std::to_string(t.port));
    if (results.empty()) throw std::runtime_error("cannot resolve " + t.host);
    t.endpoint = *results.begin();
  }
  return t;
}

// Connections being opened, shared by the workers of every shard.
struct open_job {
  std::vector<std::vector<ws_conn*>> per_shard;
  std::vector<std::size_t> next;  // per shard; touched only by that shard's thread
  std::function<void(ws_conn&)> on_open;
  std::atomic<std::size_t> done{0};
  std::atomic<std::size_t> failed{0};
  std::mutex error_mutex;
  std::string first_error;
};

asio::awaitable<void> open_worker(std::shared_ptr<open_job> job, unsigned s, runtime& rt) {
  auto& list = job->per_shard[s];
  const auto timeout = std::chrono::milliseconds(static_cast<long>(rt.options().connect_timeout_s * 1000));
  while (job->failed.load(std::memory_order_relaxed) == 0) {
    const std::size_t k = job->next[s]++;
    if (k >= list.size()) break;
    ws_conn* c = list[k];
    std::string error;
    try {
      co_await c->open(rt.server(), rt.source_for(c->index()), timeout);
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (error.empty()) {
      job->on_open(*c);
      c->start_reading();
      rt.shard_at(s).opened.fetch_add(1, std::memory_order_relaxed);
      job->done.fetch_add(1, std::memory_order_relaxed);
    } else {
      {
        const std::lock_guard lock(job->error_mutex);
        if (job->first_error.empty())
          job->first_error = "connection " + std::to_string(c->index()) + ": " + error;
      }
      job->failed.fetch_add(1, std::memory_order_relaxed);
    }
  }
}

// Runs a shard's loop until it is stopped. Busy polling never sleeps in epoll_wait, so a server writing to
// this process never pays for waking it up (each wake-up is an inter-processor interrupt on the other core).
void run_loop(asio::io_context& ioc, bool busy_poll) {
  if (!busy_poll) {
    ioc.run();
    return;
  }
  while (!ioc.stopped()) ioc.poll();
}

}  // namespace

void set_phase(const char* phase) {
  current_phase.store(phase);
}

void progress(const std::string& line) {
  const double t = std::chrono::duration<double>(steady::now() - process_start).count();
  std::fprintf(stderr, "[loadgen %7.2fs] %s\n", t, line.c_str());
}

runtime::runtime(common_options o) : opts_(std::move(o)) {
  const unsigned threads = std::max(1u, opts_.threads);
  for (unsigned i = 0; i < threads; ++i) shards_.push_back(std::make_unique<shard>(i));
  target_ = parse_target(opts_.url, shards_[0]->ioc);
}

runtime::~runtime() {
  conns_.clear();  // before the loops their sockets belong to
  handlers_.clear();
}

asio::ip::address_v4 runtime::source_for(std::size_t i) const {
  return sources_.empty() ? asio::ip::address_v4() : sources_[i % sources_.size()];
}

void runtime::plan_connections(std::size_t n, std::size_t extra) {
  require_open_files(n + extra + 16, std::to_string(n) + " connections");
  const auto host = target_.endpoint.address().to_v4().to_bytes();
  sources_.clear();
  if (host[0] != 127) {
    if (opts_.sources > 0) progress("--sources ignored: the server is not on 127.0.0.0/8");
    return;
  }
  std::size_t count = opts_.sources;
  // The kernel's choice of a free source port (__inet_hash_connect) slows down sharply as an address's
  // ephemeral range fills: 20,000 connections from one address take ten times longer to open than from five.
  if (count == 0) count = std::max<std::size_t>(1, (n + connections_per_source - 1) / connections_per_source);
  if (count > 250)
    throw std::runtime_error("--sources: at most 250 source addresses (127.0.0.2 ... 127.0.0.251)");
  for (std::size_t i = 0; i < count; ++i) {
    sources_.emplace_back(asio::ip::address_v4::bytes_type{127, 0, 0, static_cast<unsigned char>(2 + i)});
  }
}

std::vector<ws_conn*> runtime::make_connections(std::size_t n, const std::shared_ptr<ws_handler>& handler) {
  handlers_.push_back(handler);
  std::vector<ws_conn*> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    conns_.push_back(
        std::make_unique<ws_conn>(*shards_[i % shards_.size()], static_cast<std::uint32_t>(i), *handler));
    out.push_back(conns_.back().get());
  }
  return out;
}

asio::awaitable<void> runtime::open_connections(const std::vector<ws_conn*>& conns,
                                                std::function<void(ws_conn&)> on_open) {
  auto job = std::make_shared<open_job>();
  job->per_shard.resize(shards_.size());
  job->next.assign(shards_.size(), 0);
  job->on_open = std::move(on_open);
  for (ws_conn* c : conns) job->per_shard[c->home().index].push_back(c);
  const unsigned per_shard_workers =
      std::max(1u, opts_.connect_parallel / static_cast<unsigned>(shards_.size()));
  for (unsigned s = 0; s < shards_.size(); ++s) {
    const std::size_t workers = std::min<std::size_t>(per_shard_workers, job->per_shard[s].size());
    for (std::size_t w = 0; w < workers; ++w) {
      asio::co_spawn(shards_[s]->ioc, open_worker(job, s, *this), asio::detached);
    }
  }
  const std::size_t total = conns.size();
  const auto started = steady::now();
  std::size_t last_done = 0;
  auto last_progress = steady::now();
  // Each connection either opens or fails within connect_timeout_s, so this loop ends; the bound is a
  // backstop.
  const auto limit = std::chrono::duration<double>(opts_.connect_timeout_s * 4 + 60.0 +
                                                   opts_.connect_timeout_s * static_cast<double>(total) /
                                                       std::max(1u, opts_.connect_parallel));
  for (;;) {
    const std::size_t done = job->done.load();
    const std::size_t failed = job->failed.load();
    if (failed > 0) {
      const std::lock_guard lock(job->error_mutex);
      throw std::runtime_error("opening connections: " + std::to_string(done) + " of " +
                               std::to_string(total) + " open, then a failure: " + job->first_error);
    }
    if (done >= total) break;
    if (steady::now() - started > limit) {
      throw std::runtime_error("opening connections: only " + std::to_string(done) + " of " +
                               std::to_string(total) + " open after " +
                               std::to_string(static_cast<int>(limit.count())) + " s");
    }
    if (steady::now() - last_progress >= std::chrono::seconds(2) && done != last_done) {
      progress("opened " + std::to_string(done) + " / " + std::to_string(total) + " connections");
      last_progress = steady::now();
      last_done = done;
    }
    co_await sleep_for(std::chrono::milliseconds(10));
  }
  const double secs = std::chrono::duration<double>(steady::now() - started).count();
  char line[160];
  std::snprintf(line, sizeof line, "opened %zu connections in %.2f s (%zu source address%s)", total, secs,
                std::max<std::size_t>(1, sources_.size()), sources_.size() > 1 ? "es" : "");
  progress(line);
}

std::uint64_t runtime::closed_count() const {
  std::uint64_t n = 0;
  for (const auto& s : shards_) n += s->closed.load(std::memory_order_relaxed);
  return n;
}

json::object runtime::run(const std::function<asio::awaitable<json::object>(runtime&)>& body) {
  std::mutex m;
  std::condition_variable cv;
  bool finished = false;
  const double deadline_s = opts_.deadline_s;
  std::thread watchdog([&] {
    std::unique_lock lock(m);
    const auto until = steady::now() + std::chrono::duration_cast<steady::duration>(
                                           std::chrono::duration<double>(deadline_s));
    if (!cv.wait_until(lock, until, [&] { return finished; })) {
      std::fprintf(stderr, "sluice_loadgen: the run exceeded its deadline of %g s (during: %s); giving up\n",
                   deadline_s, current_phase.load());
      std::fflush(stderr);
      std::_Exit(3);
    }
  });

  using guard_t = asio::executor_work_guard<asio::io_context::executor_type>;
  std::vector<guard_t> guards;
  for (auto& s : shards_) guards.push_back(asio::make_work_guard(s->ioc));
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < shards_.size(); ++i) {
    shard* s = shards_[i].get();
    threads.emplace_back([s, busy = opts_.busy_poll] { run_loop(s->ioc, busy); });
  }
  std::exception_ptr error;
  json::object report;
  auto on_done = [&](std::exception_ptr e, json::object r) {
    error = e;
    report = std::move(r);
    for (auto& s : shards_) s->ioc.stop();
  };
  asio::co_spawn(shards_[0]->ioc, body(*this), on_done);
  run_loop(shards_[0]->ioc, opts_.busy_poll);
  for (auto& s : shards_) s->ioc.stop();
  for (auto& t : threads) t.join();
  guards.clear();
  conns_.clear();
  handlers_.clear();
  {
    const std::lock_guard lock(m);
    finished = true;
  }
  cv.notify_all();
  watchdog.join();
  if (error) std::rethrow_exception(error);
  return report;
}

asio::awaitable<void> sleep_for(steady::duration d) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  t.expires_after(d);
  co_await t.async_wait(asio::use_awaitable);
}

asio::awaitable<bool> wait_until(std::function<bool()> cond, steady::duration timeout,
                                 steady::duration poll) {
  const auto end = steady::now() + timeout;
  asio::steady_timer t(co_await asio::this_coro::executor);
  for (;;) {
    if (cond()) co_return true;
    const auto now = steady::now();
    if (now >= end) co_return false;
    t.expires_after(std::min(poll, end - now));
    co_await t.async_wait(asio::use_awaitable);
  }
}

asio::awaitable<void> quiesce(std::function<std::uint64_t()> count, steady::duration quiet, steady::duration limit) {
  const auto end = steady::now() + limit;
  std::uint64_t last = count();
  auto last_change = steady::now();
  while (steady::now() < end && steady::now() - last_change < quiet) {
    co_await sleep_for(std::chrono::milliseconds(20));
    const std::uint64_t now = count();
    if (now != last) {
      last = now;
      last_change = steady::now();
    }
  }
}

double round_to(double v, int decimals) {
  const double f = std::pow(10.0, decimals);
  return std::round(v * f) / f;
}

json::object latency_ms(const histogram& h) {
  json::object o;
  const auto ms = [](std::uint64_t ns) { return round_to(static_cast<double>(ns) / 1e6, 3); };
  o["samples"] = h.count();
  o["p50"] = ms(h.percentile(0.50));
  o["p90"] = ms(h.percentile(0.90));
  o["p99"] = ms(h.percentile(0.99));
  o["max"] = ms(h.max());
  o["mean"] =
      h.count() ? round_to(static_cast<double>(h.sum()) / static_cast<double>(h.count()) / 1e6, 3) : 0.0;
  return o;
}

void cpu_window::start(const runtime& rt) {
  server_before = rt.sample_server();
  net_before = sample_net();
  self_before = self_cpu_seconds();
  t0 = steady::now();
}

double cpu_window::elapsed_s() const {
  return std::chrono::duration<double>(steady::now() - t0).count();
}

double cpu_window::finish(const runtime& rt, json::object& o) const {
  const double elapsed = elapsed_s();
  const proc_sample after = rt.sample_server();
  const double self = self_cpu_seconds() - self_before;
  double server = 0;
  if (server_before.valid && after.valid) {
    server = after.cpu_s - server_before.cpu_s;
    o["server_cpu_s"] = round_to(server, 3);
    o["server_cpu_util"] = round_to(elapsed > 0 ? server / elapsed : 0, 3);
    o["server_rss_kib"] = after.rss_kib;
  }
  o["loadgen_cpu_s"] = round_to(self, 3);
  o["loadgen_cpu_util"] = round_to(elapsed > 0 ? self / elapsed : 0, 3);
  o["elapsed_s"] = round_to(elapsed, 3);
  const net_sample net = sample_net();
  o["net_backlog_drops"] = net.backlog_drops - net_before.backlog_drops;
  o["tcp_retransmits"] = net.tcp_retransmits - net_before.tcp_retransmits;
  return server;
}

}  // namespace sluice::bench::load
