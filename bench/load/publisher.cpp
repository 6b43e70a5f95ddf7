// The publishers: paced, single and per-channel `post` mutations over keep-alive HTTP connections.
#include "publisher.hpp"

#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::bench::load {

namespace {

constexpr std::string_view post_mutation =
    "mutation Post($channel: String!, $text: String!) { post(channel: $channel, text: $text) { id } }";

// A 200 answer without "errors"; anything else is described in why.
bool answer_ok(unsigned status, const std::string& body, std::string& why) {
  if (status == 200 && body.find("\"errors\"") == std::string::npos &&
      body.find("\"data\"") != std::string::npos) {
    return true;
  }
  why = "HTTP " + std::to_string(status) + ": " + body.substr(0, 300);
  return false;
}

}  // namespace

std::string post_body(std::string_view channel, std::string_view text) {
  return graphql_body(post_mutation,
                      R"({"channel":)" + json_quote(channel) + R"(,"text":)" + json_quote(text) + "}");
}

struct publisher_pool::run_state {
  std::string channel;
  const std::vector<std::string>* channels = nullptr;
  std::function<void(std::size_t, std::int64_t)> on_send;
  steady::time_point start;
  steady::time_point end;
  double period_ns = 0;
  std::uint64_t total = 0;
  std::uint64_t next = 0;
  unsigned active = 0;
  publish_stats stats;
};

publisher_pool::publisher_pool(runtime& rt, unsigned n) : rt_(rt) {
  for (unsigned i = 0; i < std::max(1u, n); ++i) {
    clients_.push_back(std::make_unique<http_client>(rt.control().ioc, rt.server()));
  }
}

publisher_pool::~publisher_pool() = default;

asio::awaitable<void> publisher_pool::connect() {
  for (auto& c : clients_) co_await c->connect();
}

asio::awaitable<void> publisher_pool::post_once(const std::string& channel, const std::string& text) {
  const std::string body = post_body(channel, text);
  const unsigned status = co_await clients_[0]->post(body);
  std::string why;
  if (!answer_ok(status, clients_[0]->body(), why))
    throw std::runtime_error("publishing (post mutation): " + why);
}

// One post with the send time `ts` as its text: its latency, and whether the server took it.
asio::awaitable<void> publisher_pool::post_timed(http_client& client, run_state& st, const std::string& channel,
                                                 std::int64_t ts) {
  const std::string body = post_body(channel, std::to_string(ts));
  const unsigned status = co_await client.post(body);
  st.stats.latency->record(now_ns() - ts);
  std::string why;
  if (answer_ok(status, client.body(), why)) {
    ++st.stats.sent;
  } else if (st.stats.errors++ == 0) {
    st.stats.first_error = why;
  }
}

asio::awaitable<void> publisher_pool::paced_worker(std::shared_ptr<run_state> st, unsigned w) {
  http_client& client = *clients_[w];
  asio::steady_timer timer(rt_.control().ioc);
  try {
    for (;;) {
      const std::uint64_t i = st->next++;
      if (i >= st->total) break;
      const auto due = st->start + std::chrono::nanoseconds(
                                       static_cast<std::int64_t>(static_cast<double>(i) * st->period_ns));
      if (due > steady::now()) {
        timer.expires_at(due);
        co_await timer.async_wait(asio::use_awaitable);
      }
      if (steady::now() >= st->end) {
        st->next = st->total;  // behind schedule at the window's end: the rest is dropped
        break;
      }
      co_await post_timed(client, *st, st->channel, now_ns());
    }
  } catch (const std::exception& e) {
    if (st->stats.errors++ == 0) st->stats.first_error = e.what();
  }
  --st->active;
}

asio::awaitable<void> publisher_pool::each_worker(std::shared_ptr<run_state> st, unsigned w) {
  http_client& client = *clients_[w];
  try {
    for (;;) {
      const std::uint64_t i = st->next++;
      if (i >= st->total) break;
      const std::int64_t ts = now_ns();
      st->on_send(static_cast<std::size_t>(i), ts);
      co_await post_timed(client, *st, (*st->channels)[i], ts);
    }
  } catch (const std::exception& e) {
    if (st->stats.errors++ == 0) st->stats.first_error = e.what();
  }
  --st->active;
}

asio::awaitable<publish_stats> publisher_pool::finish(std::shared_ptr<run_state> st, steady::duration limit) {
  auto idle = [st] { return st->active == 0; };
  const bool done = co_await wait_until(idle, limit, std::chrono::milliseconds(1));
  if (!done) throw std::runtime_error("publishers: mutations still unanswered after the time allowed");
  st->stats.elapsed_s = std::chrono::duration<double>(steady::now() - st->start).count();
  co_return st->stats;
}

asio::awaitable<publish_stats> publisher_pool::paced(const std::string& channel, double rate,
                                                     steady::duration window) {
  auto st = std::make_shared<run_state>();
  st->channel = channel;
  st->start = steady::now();
  st->end = st->start + window;
  st->period_ns = 1e9 / rate;
  st->total = static_cast<std::uint64_t>(rate * std::chrono::duration<double>(window).count() + 0.5);
  st->active = static_cast<unsigned>(clients_.size());
  for (unsigned w = 0; w < clients_.size(); ++w) {
    asio::co_spawn(rt_.control().ioc, paced_worker(st, w), asio::detached);
  }
  co_return co_await finish(st, window + std::chrono::seconds(30));
}

asio::awaitable<publish_stats> publisher_pool::post_each(
    const std::vector<std::string>& channels, std::function<void(std::size_t, std::int64_t)> on_send) {
  auto st = std::make_shared<run_state>();
  st->channels = &channels;
  st->on_send = std::move(on_send);
  st->start = steady::now();
  st->total = channels.size();
  st->active = static_cast<unsigned>(clients_.size());
  for (unsigned w = 0; w < clients_.size(); ++w) {
    asio::co_spawn(rt_.control().ioc, each_worker(st, w), asio::detached);
  }
  co_return co_await finish(st, std::chrono::seconds(30));
}

}  // namespace sluice::bench::load
