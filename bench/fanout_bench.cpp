// Subscription fan-out: 10,000 subscribers of one topic, in 10 groups (one execution per group and event) or each
// in its own group (one execution per subscriber and event, as servers without grouping do).
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <string>
#include <vector>

#include "sluice/execution/executor.hpp"
#include "sluice/pubsub/memory_broker.hpp"
#include "sluice/schema/builder.hpp"

namespace {

namespace asio = boost::asio;
using namespace sluice::execution;

constexpr int subscribers = 10'000;

const char* const sdl = R"(
  type Query { a: Int }
  type Author { id: ID!, name: String! }
  type Message { id: ID!, channel: String!, text: String!, author: Author!, likes: Int! }
  type Subscription { messages(channel: String!): Message! }
)";

const char* const query = "subscription { messages(channel: \"general\") { id text likes author { id name } } }";

struct fixture {
  asio::io_context io;
  sluice::pubsub::memory_broker broker;
  std::unique_ptr<executor> ex;
  std::unique_ptr<subscription_hub> hub;
  std::vector<response_stream> streams{subscribers};
  std::size_t received = 0;
  std::size_t bytes = 0;

  fixture() {
    resolver_map r;
    r.source("Subscription.messages", [this](source_params p) {
      return broker.subscribe(p.executor, "chat:" + p.arg<std::string>("channel"));
    });
    auto built = sluice::schema::build_schema(sdl);
    ex = std::make_unique<executor>(built.built, std::move(r));
    hub = std::make_unique<subscription_hub>(*ex);
  }
  ~fixture() {
    for (auto& s : streams) s.stop();
    io.restart();
    io.poll();
  }
  fixture(const fixture&) = delete;
  fixture& operator=(const fixture&) = delete;
};

asio::awaitable<void> subscriber(fixture& f, int i, int groups) {
  request req{query, "", {}, {}};
  context ctx;
  ctx.scope = "group " + std::to_string(i % groups);
  auto r = co_await f.hub->subscribe(std::move(req), std::move(ctx));
  f.streams[i] = std::move(std::get<response_stream>(r));
  while (auto result = co_await f.streams[i].next()) {
    ++f.received;
    f.bytes += result->json->size();
  }
}

sluice::value message(long n) {
  return sluice::value(sluice::object{{"id", std::to_string(n)},
                                      {"channel", "general"},
                                      {"text", "message number " + std::to_string(n)},
                                      {"likes", 3},
                                      {"author", sluice::object{{"id", "u1"}, {"name", "Ada"}}}});
}

// One event published; the time until every subscriber has its result.
void fanout(benchmark::State& state, int groups) {
  fixture f;
  for (int i = 0; i < subscribers; ++i) asio::co_spawn(f.io, subscriber(f, i, groups), asio::detached);
  f.io.poll();
  if (f.hub->group_count() != static_cast<std::size_t>(groups)) state.SkipWithError("subscribers did not group");
  long n = 0;
  const auto executions_before = f.hub->executions();
  for (auto _ : state) {
    const std::size_t target = f.received + subscribers;
    f.broker.post("chat:general", message(++n));
    while (f.received < target) f.io.run_one();
  }
  const double events = static_cast<double>(state.iterations());
  state.counters["executions_per_event"] = static_cast<double>(f.hub->executions() - executions_before) / events;
  state.counters["deliveries_per_s"] =
      benchmark::Counter(static_cast<double>(subscribers) * events, benchmark::Counter::kIsRate);
  state.SetLabel("result_bytes=" + std::to_string(f.bytes / std::max<std::size_t>(f.received, 1)));
}

void BM_fanout_10k_subscribers_10_groups(benchmark::State& state) { fanout(state, 10); }
void BM_fanout_10k_subscribers_ungrouped(benchmark::State& state) { fanout(state, subscribers); }

}  // namespace

BENCHMARK(BM_fanout_10k_subscribers_10_groups)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_fanout_10k_subscribers_ungrouped)->Unit(benchmark::kMillisecond);
