// The README's example, complete: a query, a mutation that publishes, a generator and a pub/sub subscription.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <iostream>

#include "sluice/execution/executor.hpp"
#include "sluice/pubsub/memory_broker.hpp"
#include "sluice/schema/builder.hpp"

using namespace sluice::execution;
using boost::asio::awaitable;

// readme:begin
sluice::pubsub::memory_broker broker;

generator countdown(int from) {  // a source: yields events, awaits anything
  for (int i = from; i >= 0; --i) {
    co_yield i;
    co_await sleep(std::chrono::milliseconds(100));
  }
}

std::unique_ptr<executor> make_executor() {
  auto schema = sluice::schema::build_schema(R"(
    type Query { hello(name: String = "world"): String! }
    type Mutation { post(channel: String!, text: String!): String! }
    type Subscription { countdown(from: Int! = 3): Int!, messages(channel: String!): String! }
  )").built;
  resolver_map r;
  r.bind("Query.hello", [](const resolver_params& p) { return sluice::value("Hello, " + p.arg<std::string>("name")); });
  r.bind_async("Mutation.post", [](const resolver_params& p) -> awaitable<sluice::value> {
    co_await broker.publish("chat:" + p.arg<std::string>("channel"), p.arg("text"));
    co_return p.arg("text");
  });
  r.source("Subscription.countdown", [](source_params p) { return countdown(p.arg<int>("from")); });
  r.source("Subscription.messages", [](source_params p) {
    return broker.subscribe(p.executor, "chat:" + p.arg<std::string>("channel"));
  });
  r.filter("Subscription.messages", [](const resolver_params& p) { return p.parent != sluice::value("spam"); });
  return std::make_unique<executor>(schema, std::move(r));
}

awaitable<void> print_countdown(subscription_hub& hub) {
  request req{"subscription { countdown(from: 2) }"};
  auto sub = co_await hub.subscribe(std::move(req));  // a response_stream, or a response with errors
  auto& stream = std::get<response_stream>(sub);
  while (auto result = co_await stream.next()) std::cout << *result->json << "\n";  // {"data":{"countdown":2}} ...
}
// readme:end

int main() {
  boost::asio::io_context io;
  auto ex = make_executor();
  subscription_hub hub(*ex);
  std::cout << ex->execute_sync({"{ hello }"}).to_json() << "\n";
  boost::asio::co_spawn(io, print_countdown(hub), boost::asio::detached);
  io.run();
  return 0;
}
