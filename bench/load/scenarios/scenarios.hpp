// The load generator's scenarios (one per subcommand): their options and control coroutines. Each returns its
// part of the run's JSON report; main adds the common fields.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "runtime.hpp"

namespace sluice::bench::load {

// The subscription every WebSocket scenario but `live` uses.
inline constexpr std::string_view messages_subscription =
    "subscription Sub($channel: String!) { messages(channel: $channel) { text } }";

// A graphql-transport-ws subscribe message: the id (a string), the query as a JSON string, and the variables as a
// JSON object's text (left out when empty).
[[nodiscard]] inline std::string subscribe_message(std::string_view id, std::string_view query_json,
                                                   std::string_view variables_json = {}) {
  std::string m = R"({"id":")";
  m.append(id);
  m.append(R"(","type":"subscribe","payload":{"query":)");
  m.append(query_json);
  if (!variables_json.empty()) {
    m.append(R"(,"variables":)");
    m.append(variables_json);
  }
  m.append("}}");
  return m;
}

struct fanout_options {
  std::size_t subscribers = 10000;
  std::string channel = "bench";
  std::vector<double> rates = {10, 20, 50, 100, 200, 500, 1000, 2000};
  double window_s = 3;
  double fixed_rate = 20;
  unsigned publishers = 4;
  double straggler_s = 2;
  double warmup_timeout_s = 30;
  double max_p99_ms = 1000;          // saturation: p99 above this
  double min_delivered_ratio = 0.9;  // saturation: delivered below this share of offered
};
[[nodiscard]] asio::awaitable<json::object> run_fanout(runtime& rt, fanout_options o);

struct idle_options {
  std::size_t connections = 20000;
  std::string channel = "idle";
  double settle_s = 2;
  double confirm_timeout_s = 30;
};
[[nodiscard]] asio::awaitable<json::object> run_idle(runtime& rt, idle_options o);

struct http_options {
  std::string query_file;
  std::string variables_file;
  unsigned connections = 8;
  double duration_s = 5;
  double warmup_s = 1;
};
[[nodiscard]] asio::awaitable<json::object> run_http(runtime& rt, http_options o);

struct churn_options {
  unsigned clients = 50;
  double duration_s = 5;
  double warmup_s = 1;
  unsigned pairs = 20;  // subscribe + complete pairs per round trip
};
[[nodiscard]] asio::awaitable<json::object> run_churn(runtime& rt, churn_options o);

struct live_options {
  std::size_t subscriptions = 10000;
  std::size_t cohorts = 100;
  std::size_t per_connection = 10;
  std::string query_template = R"(subscription { messages(channel: "{channel}") { text } })";
  double interval_ms = 1000;
  unsigned rounds = 10;
  bool no_initial = false;  // the operation sends nothing until the first post
  unsigned publishers = 4;
  double initial_timeout_s = 60;
};
[[nodiscard]] asio::awaitable<json::object> run_live(runtime& rt, live_options o);

}  // namespace sluice::bench::load
