// sluice_loadgen: the load generator of the server benchmarks (issue 9). One subcommand per scenario; each
// run prints one JSON object on stdout (progress goes to stderr) and exits non-zero, saying why, when it
// fails.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <boost/system/system_error.hpp>

#include "proc_stats.hpp"
#include "runtime.hpp"
#include "scenarios/scenarios.hpp"

using namespace sluice::bench::load;

namespace {

// JSON text with numbers as people write them (17399.7, 0.05, 2), not Boost.JSON's 1.73997E4.
void write_json(std::string& out, const json::value& v) {
  char buf[64];
  switch (v.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string(kv.key()));
        out += ':';
        write_json(out, kv.value());
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        write_json(out, e);
      }
      out += ']';
      return;
    }
    case json::kind::double_: {
      const double d = v.get_double();
      if (!std::isfinite(d)) {
        out += "null";
        return;
      }
      const auto r = std::to_chars(buf, buf + sizeof buf, d);
      out.append(buf, r.ptr);
      return;
    }
    default:
      out += json::serialize(v);
      return;
  }
}

void add_common(CLI::App& sub, common_options& c) {
  sub.add_option("--url", c.url, "the server's GraphQL endpoint (the WebSocket URL is derived)")
      ->capture_default_str();
  sub.add_option("--server-pid", c.server_pid,
                 "the server's pid: its CPU time and RSS are measured from /proc");
  sub.add_option(
         "--sources", c.sources,
         "source addresses 127.0.0.2 ... 127.0.0.(N+1) for the WebSocket connections (0: one per 4,000 "
         "connections)")
      ->capture_default_str();
  sub.add_option("--deadline", c.deadline_s, "hard cap on the whole run, seconds")->capture_default_str();
  sub.add_option("--threads", c.threads, "event loops (threads) of the load generator")
      ->capture_default_str();
  sub.add_option("--connect-parallel", c.connect_parallel, "connections being opened at once")
      ->capture_default_str();
  sub.add_option("--connect-timeout", c.connect_timeout_s, "seconds for one connection to be acknowledged")
      ->capture_default_str();
  sub.add_flag("--busy-poll", c.busy_poll,
               "never sleep in epoll_wait (needs a core of its own): the server does not pay for waking the "
               "generator, but the generator's CPU use then reads 100%");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "sluice_loadgen: load generator for the GraphQL server benchmarks (prints one JSON object per run)"};
  app.require_subcommand(1);
  common_options common;
  std::string scenario;
  std::function<asio::awaitable<json::object>(runtime&)> body;

  fanout_options fo;
  auto* fanout =
      app.add_subcommand("fanout", "subscribers of one channel; rising publish rates until saturation");
  add_common(*fanout, common);
  fanout->add_option("--subscribers", fo.subscribers, "WebSocket connections, one subscription each")
      ->capture_default_str();
  fanout->add_option("--channel", fo.channel, "the channel")->capture_default_str();
  fanout->add_option("--rates", fo.rates, "publish rates to step through, events/s")->delimiter(',');
  fanout->add_option("--window", fo.window_s, "seconds of publishing per rate")->capture_default_str();
  fanout->add_option("--fixed-rate", fo.fixed_rate, "the rate of the final latency step, events/s")
      ->capture_default_str();
  fanout->add_option("--publishers", fo.publishers, "HTTP connections publishing")->capture_default_str();
  fanout->add_option("--stragglers", fo.straggler_s, "seconds to wait for late messages after each window")
      ->capture_default_str();
  fanout->add_option("--max-p99-ms", fo.max_p99_ms, "saturation: p99 latency above this")
      ->capture_default_str();
  fanout->callback([&] {
    scenario = "fanout";
    body = [&fo](runtime& rt) { return run_fanout(rt, fo); };
  });

  idle_options io;
  auto* idle = app.add_subcommand("idle", "server memory per idle subscribed WebSocket connection");
  add_common(*idle, common);
  idle->add_option("--connections", io.connections, "connections, one subscription each")
      ->capture_default_str();
  idle->add_option("--channel", io.channel, "the channel")->capture_default_str();
  idle->add_option("--settle", io.settle_s, "seconds to wait before reading RSS")->capture_default_str();
  idle->callback([&] {
    scenario = "idle";
    body = [&io](runtime& rt) { return run_idle(rt, io); };
  });

  http_options ho;
  auto* http = app.add_subcommand("http", "closed-loop GraphQL over HTTP/1.1 keep-alive POSTs");
  add_common(*http, common);
  http->add_option("--query-file", ho.query_file, "the operation")->required()->check(CLI::ExistingFile);
  http->add_option("--variables-file", ho.variables_file, "its variables (a JSON object)")
      ->check(CLI::ExistingFile);
  http->add_option("--connections", ho.connections, "keep-alive connections")->capture_default_str();
  http->add_option("--duration", ho.duration_s, "measured seconds")->capture_default_str();
  http->add_option("--warmup", ho.warmup_s, "seconds of load before measuring")->capture_default_str();
  http->callback([&] {
    scenario = "http";
    body = [&ho](runtime& rt) { return run_http(rt, ho); };
  });

  churn_options co;
  auto* churn = app.add_subcommand("churn", "subscribe/complete churn: server CPU per subscription started");
  add_common(*churn, common);
  churn->add_option("--clients", co.clients, "WebSocket connections")->capture_default_str();
  churn->add_option("--duration", co.duration_s, "measured seconds")->capture_default_str();
  churn->add_option("--warmup", co.warmup_s, "seconds of churn before measuring")->capture_default_str();
  churn->add_option("--pairs", co.pairs, "subscribe + complete pairs per ping round trip")
      ->capture_default_str();
  churn->callback([&] {
    scenario = "churn";
    body = [&co](runtime& rt) { return run_churn(rt, co); };
  });

  live_options lo;
  auto* live = app.add_subcommand("live", "live queries: updates and their latency per round of posts");
  add_common(*live, common);
  live->add_option("--subscriptions", lo.subscriptions, "operations")->capture_default_str();
  live->add_option("--cohorts", lo.cohorts, "channels live0 .. live{C-1}; operation i watches channel i % C")
      ->capture_default_str();
  live->add_option("--per-connection", lo.per_connection, "operations per WebSocket connection")
      ->capture_default_str();
  live->add_option("--query-template", lo.query_template, "the operation; {channel} is replaced")
      ->capture_default_str();
  live->add_option("--interval-ms", lo.interval_ms, "time between rounds of posts")->capture_default_str();
  live->add_option("--rounds", lo.rounds, "rounds of posts (one per channel each)")->capture_default_str();
  live->add_flag("--no-initial", lo.no_initial,
                 "the operation has no initial result: warm up with posts instead");
  live->add_option("--publishers", lo.publishers, "HTTP connections publishing")->capture_default_str();
  live->add_option("--initial-timeout", lo.initial_timeout_s, "seconds for every operation's first result")
      ->capture_default_str();
  live->callback([&] {
    scenario = "live";
    body = [&lo](runtime& rt) { return run_live(rt, lo); };
  });

  CLI11_PARSE(app, argc, argv);
  if (common.deadline_s <= 0) {
    std::fprintf(stderr, "sluice_loadgen: --deadline must be > 0\n");
    return 1;
  }

  try {
    const std::uint64_t files = raise_open_files_limit();
    runtime rt(common);
    progress(scenario + " against " + common.url + " (open files limit " + std::to_string(files) + ", " +
             std::to_string(rt.shard_count()) + " thread" + (rt.shard_count() > 1 ? "s" : "") + ")");
    const auto started = steady::now();
    json::object result = rt.run(body);
    json::object report;
    report["scenario"] = scenario;
    report["url"] = common.url;
    report["server_pid"] = common.server_pid;
    for (auto& kv : result) report[kv.key()] = std::move(kv.value());
    report["loadgen"] = {
        {"threads", rt.shard_count()},
        {"source_addresses", rt.source_count()},
        {"cpu_s", round_to(self_cpu_seconds(), 3)},
        {"wall_s", round_to(std::chrono::duration<double>(steady::now() - started).count(), 3)},
        {"max_rss_kib", self_max_rss_kib()},
    };
    std::string text;
    write_json(text, report);
    std::cout << text << std::endl;
  } catch (const boost::system::system_error& e) {
    // An I/O error outside any connection's setup (those say which step failed), such as a refused publisher.
    std::fprintf(stderr, "sluice_loadgen %s: %s: %s\n", scenario.c_str(), common.url.c_str(),
                 e.code().message().c_str());
    return 1;
  } catch (const std::exception& e) {
    std::string_view message = e.what();
    if (message.rfind(scenario + ": ", 0) == 0) message.remove_prefix(scenario.size() + 2);
    std::fprintf(stderr, "sluice_loadgen %s: %.*s\n", scenario.c_str(), static_cast<int>(message.size()),
                 message.data());
    return 1;
  }
  return 0;
}
