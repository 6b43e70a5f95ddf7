// The publishers of the WebSocket scenarios: a few keep-alive HTTP connections sending the demo schema's
// `post` mutation, paced open-loop (fanout), once (warm-up), or one per channel (live).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "histogram.hpp"
#include "http_client.hpp"
#include "runtime.hpp"

namespace sluice::bench::load {

struct publish_stats {
  std::uint64_t sent = 0;    // mutations answered with 200 and no "errors"
  std::uint64_t errors = 0;  // other answers
  std::string first_error;
  double elapsed_s = 0;
  std::shared_ptr<histogram> latency = std::make_shared<histogram>();  // mutation round trips
};

// The body of `mutation Post($channel, $text) { post(channel: $channel, text: $text) { id } }`.
[[nodiscard]] std::string post_body(std::string_view channel, std::string_view text);

class publisher_pool {
 public:
  // n clients on the control shard.
  publisher_pool(runtime& rt, unsigned n);
  ~publisher_pool();

  [[nodiscard]] asio::awaitable<void> connect();

  // Open loop: event i is due at start + i / rate and carries its send time (now_ns(), decimal) as text; the
  // clients take the due events in turn. Events still unsent when the window ends are dropped, so a server
  // that answers mutations too slowly shows as a lower achieved rate.
  [[nodiscard]] asio::awaitable<publish_stats> paced(const std::string& channel, double rate,
                                                     steady::duration window);

  // Posts text to channel once; throws when the server answers with anything but 200 and data.
  [[nodiscard]] asio::awaitable<void> post_once(const std::string& channel, const std::string& text);

  // Posts one message to each channel, concurrently over the clients; the text is the send time, which
  // on_send(channel index, timestamp) learns just before the request leaves.
  [[nodiscard]] asio::awaitable<publish_stats> post_each(
      const std::vector<std::string>& channels, std::function<void(std::size_t, std::int64_t)> on_send);

 private:
  struct run_state;
  [[nodiscard]] asio::awaitable<void> post_timed(http_client& client, run_state& st, const std::string& channel,
                                                 std::int64_t ts);
  [[nodiscard]] asio::awaitable<void> paced_worker(std::shared_ptr<run_state> st, unsigned w);
  [[nodiscard]] asio::awaitable<void> each_worker(std::shared_ptr<run_state> st, unsigned w);
  [[nodiscard]] asio::awaitable<publish_stats> finish(std::shared_ptr<run_state> st, steady::duration limit);

  runtime& rt_;
  std::vector<std::unique_ptr<http_client>> clients_;
};

}  // namespace sluice::bench::load
