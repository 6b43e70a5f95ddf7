// The chat example: SDL, resolvers bound by field coordinate, a pub/sub source with a filter, a generator.
#include "chat.hpp"

#include <atomic>
#include <chrono>
#include <string>

#include "sluice/schema/builder.hpp"

namespace chat {

using namespace sluice::execution;
using sluice::value;

namespace {

const char* const schema_sdl = R"(
  type Query { hello(name: String = "world"): String! }
  type Mutation { post(channel: String!, text: String!): Message! }
  type Message { id: ID!, channel: String!, text: String!, sender: String! }
  type Subscription {
    messages(channel: String!): Message!
    countdown(from: Int! = 3): Int!
  }
)";

// Yields `from` down to 0, 10 ms apart.
generator countdown(int from) {
  for (int i = from; i >= 0; --i) {
    co_yield i;
    if (i > 0) co_await sleep(std::chrono::milliseconds(10));
  }
}

}  // namespace

std::unique_ptr<executor> make_executor(sluice::pubsub::broker& broker) {
  auto next_id = std::make_shared<std::atomic<long>>(0);
  resolver_map r;

  r.bind("Query.hello", [](const resolver_params& p) {
    return value("Hello, " + p.arg<std::string>("name") + "!");
  });

  r.bind_async("Mutation.post", [&broker, next_id](const resolver_params& p) -> boost::asio::awaitable<value> {
    const auto channel = p.arg<std::string>("channel");
    value message(sluice::object{{"id", std::to_string(++*next_id)},
                                 {"channel", channel},
                                 {"text", p.arg<std::string>("text")},
                                 {"sender", p.ctx.user.is_string() ? p.ctx.user : value("anonymous")}});
    co_await broker.publish("chat:" + channel, message);
    co_return message;
  });

  // The source: the channel's topic. The event (a Message object) is the field's value.
  r.source("Subscription.messages", [&broker](source_params p) {
    return broker.subscribe(p.executor, "chat:" + p.arg<std::string>("channel"));
  });
  // Evaluated per event and subscriber: nobody receives their own messages.
  r.filter("Subscription.messages", [](const resolver_params& p) { return p.parent.find("sender") &&
                                                                         *p.parent.find("sender") != p.ctx.user; });

  r.source("Subscription.countdown", [](source_params p) { return countdown(p.arg<int>("from")); });

  auto built = sluice::schema::build_schema(schema_sdl);
  if (!built.ok()) throw std::runtime_error("chat schema: " + built.errors.front().message);
  return std::make_unique<executor>(built.built, std::move(r));
}

}  // namespace chat
