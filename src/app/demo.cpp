// The demo application: a greeting, the time, a chat (post publishes, messages subscribes) and two generators.
#include "demo.hpp"

#include <atomic>
#include <chrono>
#include <stdexcept>

#include "sluice/schema/builder.hpp"

namespace sluice::app {

using namespace execution;

namespace {

const char* const demo_sdl = R"(type Query {
  "A greeting."
  hello(name: String = "world"): String!
  "The server's clock, in seconds since the epoch."
  time: Float!
}

type Mutation {
  "Posts a message to a channel: every subscriber of the channel receives it."
  post(channel: String!, text: String!): Message!
}

type Message {
  id: ID!
  channel: String!
  text: String!
}

type Subscription {
  "Counts down from `from` to 0, 10 ms apart, then completes."
  countdown(from: Int! = 3): Int!
  "Every message posted to the channel from now on."
  messages(channel: String!): Message!
  "Yields 1, then fails."
  failing: Int!
}
)";

generator countdown(int from) {
  for (int i = from; i >= 0; --i) {
    co_yield i;
    if (i > 0) co_await sleep(std::chrono::milliseconds(10));
  }
}

generator failing() {
  co_yield 1;
  co_await sleep(std::chrono::milliseconds(10));
  throw std::runtime_error("The failing subscription failed, as it always does.");
}

std::string topic(const std::string& channel) { return "demo:messages:" + channel; }

}  // namespace

std::unique_ptr<executor> make_demo_executor(pubsub::broker& broker, executor_options options) {
  auto next_id = std::make_shared<std::atomic<long>>(0);
  resolver_map r;
  r.bind("Query.hello", [](const resolver_params& p) { return value("Hello, " + p.arg<std::string>("name") + "!"); });
  r.bind("Query.time", [](const resolver_params&) {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return value(std::chrono::duration<double>(now).count());
  });
  r.bind_async("Mutation.post", [&broker, next_id](const resolver_params& p) -> boost::asio::awaitable<value> {
    const auto channel = p.arg<std::string>("channel");
    value message(sluice::object{
        {"id", std::to_string(++*next_id)}, {"channel", channel}, {"text", p.arg<std::string>("text")}});
    co_await broker.publish(topic(channel), message);
    co_return message;
  });
  r.source("Subscription.countdown", [](source_params p) { return countdown(p.arg<int>("from")); });
  r.source("Subscription.messages",
           [&broker](source_params p) { return broker.subscribe(p.executor, topic(p.arg<std::string>("channel"))); });
  r.source("Subscription.failing", [](source_params) { return failing(); });

  auto built = schema::build_schema(demo_sdl);
  if (!built.ok()) throw std::logic_error("the demo schema does not build: " + built.errors.front().message);
  return std::make_unique<executor>(built.built, std::move(r), std::move(options));
}

std::function<server::connect_result(const server::connect_request&)> demo_authentication(std::string token) {
  return [token = std::move(token)](const server::connect_request& r) {
    const sluice::value* given = r.params.find("token");
    const bool by_param = given != nullptr && given->is_string() && given->as_string() == token;
    if (by_param || r.cookie("sluice_token") == token) {
      // Who the client says it is (connection_init {"user": ...}), "demo" otherwise: the demo trusts it.
      const sluice::value* user = r.params.find("user");
      return server::connect_result::accept(user != nullptr && user->is_string() ? *user : sluice::value("demo"));
    }
    return server::connect_result::refuse(sluice::value(sluice::object{
        {"message", "A valid token is required: connection_init {\"token\": ...} or the sluice_token cookie."}}));
  };
}

std::function<server::connect_result(const server::http_request_info&)> demo_http_authentication(std::string token) {
  return [token = std::move(token)](const server::http_request_info& r) {
    if (r.header("Authorization") == "Bearer " + token || r.cookie("sluice_token") == token) {
      const auto user = r.header("X-Demo-User");  // who the client says it is; "demo" otherwise
      return server::connect_result::accept(sluice::value(user.empty() ? std::string("demo") : std::string(user)));
    }
    return server::connect_result::refuse(sluice::value(
        sluice::object{{"message", "A valid token is required: Authorization: Bearer <token>, or the sluice_token cookie."}}));
  };
}

}  // namespace sluice::app
