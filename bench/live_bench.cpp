// Live queries: 10,000 live subscriptions in 100 cohorts (100 channels); one refresh of all of them, with every
// channel changed (each cohort executes once and its result goes to its 100 subscribers) or with nothing changed
// (each cohort executes once and sends nothing: what a refetch interval costs while data is quiet).
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <deque>
#include <string>
#include <vector>

#include "sluice/execution/executor.hpp"
#include "sluice/pubsub/memory_broker.hpp"
#include "sluice/schema/builder.hpp"

namespace {

namespace asio = boost::asio;
using namespace sluice::execution;
using namespace std::chrono_literals;

constexpr int subscriptions = 10'000;
constexpr int cohorts = 100;

const char* const sdl = R"(
  type Query { recent(channel: String!, limit: Int = 20): [Message!]! }
  type Author { id: ID!, name: String! }
  type Message { id: ID!, channel: String!, text: String!, author: Author! }
)";

const char* const query = "subscription($c: String!) { recent(channel: $c) { id text author { id name } } }";

struct fixture {
  asio::io_context io;
  sluice::pubsub::memory_broker broker;
  std::vector<std::deque<sluice::value>> channels{cohorts};
  std::unique_ptr<executor> ex;
  std::unique_ptr<subscription_hub> hub;
  std::vector<response_stream> streams{subscriptions};
  std::size_t received = 0;
  std::size_t bytes = 0;
  long next_id = 0;

  fixture() {
    for (int c = 0; c < cohorts; ++c)
      for (int i = 0; i < 20; ++i) add(c);
    resolver_map r;
    r.bind("Query.recent", [this](const resolver_params& p) {
      const auto channel = p.arg<std::string>("channel");
      p.ctx.depends_on("live:" + channel);
      const auto& messages = channels[std::stoul(channel.substr(1))];
      const auto n = std::min<std::size_t>(static_cast<std::size_t>(p.arg<std::int64_t>("limit")), messages.size());
      return sluice::value(sluice::list(messages.begin(), messages.begin() + static_cast<std::ptrdiff_t>(n)));
    });
    sluice::schema::build_options build;
    build.live_queries = true;
    auto built = sluice::schema::build_schema(sdl, build);
    executor_options options;
    options.live.enabled = true;
    options.live.interval = 0ms;  // refreshes come from the benchmark's invalidations only
    options.live.debounce = 0ms;
    options.live.watch = [this](const asio::any_io_executor& loop, const std::string& key) {
      return broker.subscribe(loop, key);
    };
    ex = std::make_unique<executor>(built.built, std::move(r), std::move(options));
    hub = std::make_unique<subscription_hub>(*ex);
  }
  ~fixture() {
    for (auto& s : streams) s.stop();
    io.restart();
    io.poll();
  }
  fixture(const fixture&) = delete;
  fixture& operator=(const fixture&) = delete;

  // A new message at the front of channel c (newest first, 20 kept).
  void add(int c) {
    const auto id = std::to_string(++next_id);
    channels[c].push_front(sluice::value(sluice::object{{"id", id},
                                                        {"channel", "c" + std::to_string(c)},
                                                        {"text", "message number " + id},
                                                        {"author", sluice::object{{"id", "u1"}, {"name", "Ada"}}}}));
    if (channels[c].size() > 20) channels[c].pop_back();
  }
};

asio::awaitable<void> subscriber(fixture& f, int i) {
  request req{query, "", sluice::value(sluice::object{{"c", "c" + std::to_string(i % cohorts)}}), {}};
  context ctx;
  ctx.scope = "public";
  auto r = co_await f.hub->subscribe(std::move(req), std::move(ctx));
  f.streams[i] = std::move(std::get<response_stream>(r));
  while (auto result = co_await f.streams[i].next()) {
    ++f.received;
    f.bytes += result->json->size();
  }
}

// One refresh of every cohort: invalidate the 100 channels (after changing them, or not).
void refresh(benchmark::State& state, bool changed) {
  fixture f;
  for (int i = 0; i < subscriptions; ++i) asio::co_spawn(f.io, subscriber(f, i), asio::detached);
  while (f.received < static_cast<std::size_t>(subscriptions)) f.io.run_one();  // every initial result
  if (f.hub->live_cohort_count() != static_cast<std::size_t>(cohorts)) state.SkipWithError("cohorts did not form");
  const auto executions_before = f.hub->executions();
  const auto received_before = f.received;
  for (auto _ : state) {
    const std::size_t target = f.received + (changed ? subscriptions : 0);
    const auto executed = f.hub->executions() + cohorts;
    for (int c = 0; c < cohorts; ++c) {
      if (changed) f.add(c);
      f.broker.post("live:c" + std::to_string(c), sluice::value());
    }
    while (f.received < target || f.hub->executions() < executed) f.io.run_one();
  }
  const double refreshes = static_cast<double>(state.iterations());
  state.counters["executions_per_refresh"] = static_cast<double>(f.hub->executions() - executions_before) / refreshes;
  state.counters["results_per_refresh"] = static_cast<double>(f.received - received_before) / refreshes;
  state.SetLabel("result_bytes=" + std::to_string(f.bytes / std::max<std::size_t>(f.received, 1)));
}

void BM_live_refresh_10k_in_100_cohorts_changed(benchmark::State& state) { refresh(state, true); }
void BM_live_refresh_10k_in_100_cohorts_unchanged(benchmark::State& state) { refresh(state, false); }

}  // namespace

BENCHMARK(BM_live_refresh_10k_in_100_cohorts_changed)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_live_refresh_10k_in_100_cohorts_unchanged)->Unit(benchmark::kMillisecond);
