// The demo application: a greeting, the time, a chat (post publishes, messages subscribes) and two generators.
#include "demo.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "sluice/schema/builder.hpp"

namespace sluice::app {

using namespace execution;

namespace {

const char* const demo_sdl = R"(type Query {
  "A greeting."
  hello(name: String = "world"): String!
  "The server's clock, in seconds since the epoch. Live, it is re-run by the interval and by any event published to the topic demo:clock."
  time: Float!
  "The channel's latest messages, newest first (at most 100 are kept per channel). Live: subscribe to it, or query it with @live."
  recent(channel: String!, limit: Int = 20): [Message!]!
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

// The latest messages of each channel, newest first, for Query.recent (shared by every event loop).
class message_log {
 public:
  static constexpr std::size_t per_channel = 100;
  static constexpr std::size_t max_channels = 10'000;

  void add(const std::string& channel, const sluice::value& message) {
    std::lock_guard lock(mutex_);
    auto it = channels_.find(channel);
    if (it == channels_.end()) {
      if (channels_.size() >= max_channels) channels_.erase(channels_.begin());  // bounded: forget a channel
      it = channels_.emplace(channel, std::deque<sluice::value>{}).first;
    }
    it->second.push_front(message);
    if (it->second.size() > per_channel) it->second.pop_back();
  }

  [[nodiscard]] sluice::value recent(const std::string& channel, std::int64_t limit) const {
    sluice::list out;
    std::lock_guard lock(mutex_);
    auto it = channels_.find(channel);
    if (it == channels_.end() || limit <= 0) return value(std::move(out));
    const auto n = std::min<std::size_t>(static_cast<std::size_t>(limit), it->second.size());
    out.assign(it->second.begin(), it->second.begin() + static_cast<std::ptrdiff_t>(n));
    return value(std::move(out));
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::deque<sluice::value>> channels_;
};

}  // namespace

std::unique_ptr<executor> make_demo_executor(pubsub::broker& broker, executor_options options) {
  auto next_id = std::make_shared<std::atomic<long>>(0);
  auto log = std::make_shared<message_log>();
  resolver_map r;
  r.bind("Query.hello", [](const resolver_params& p) { return value("Hello, " + p.arg<std::string>("name") + "!"); });
  r.bind("Query.time", [](const resolver_params& p) {
    p.ctx.depends_on("demo:clock");  // live: anything published to the topic demo:clock re-runs it
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return value(std::chrono::duration<double>(now).count());
  });
  r.bind("Query.recent", [log](const resolver_params& p) {
    const auto channel = p.arg<std::string>("channel");
    p.ctx.depends_on(topic(channel));  // a live query of it runs again when the channel's topic has an event
    return log->recent(channel, p.arg<std::int64_t>("limit"));
  });
  r.bind_async("Mutation.post", [&broker, next_id, log](const resolver_params& p) -> boost::asio::awaitable<value> {
    const auto channel = p.arg<std::string>("channel");
    value message(sluice::object{
        {"id", std::to_string(++*next_id)}, {"channel", channel}, {"text", p.arg<std::string>("text")}});
    log->add(channel, message);
    co_await broker.publish(topic(channel), message);
    co_return message;
  });
  r.source("Subscription.countdown", [](source_params p) { return countdown(p.arg<int>("from")); });
  r.source("Subscription.messages",
           [&broker](source_params p) { return broker.subscribe(p.executor, topic(p.arg<std::string>("channel"))); });
  r.source("Subscription.failing", [](source_params) { return failing(); });

  // Live queries on: every Query field can be subscribed to, and `query @live` works.
  schema::build_options build;
  build.live_queries = true;
  auto built = schema::build_schema(demo_sdl, build);
  if (!built.ok()) throw std::logic_error("the demo schema does not build: " + built.errors.front().message);
  options.live.enabled = true;
  options.live.watch = [&broker](const boost::asio::any_io_executor& loop, const std::string& key) {
    return broker.subscribe(loop, key);
  };
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
