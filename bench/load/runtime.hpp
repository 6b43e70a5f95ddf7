// The load generator's runtime: the options every scenario shares, the event loops ("shards", one thread
// each), the server's address, connection planning (source addresses, descriptor limits), opening many
// WebSocket connections with bounded parallelism, the deadline watchdog, and small helpers for waiting and
// for the JSON report.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/object.hpp>

#include "histogram.hpp"
#include "proc_stats.hpp"

namespace sluice::bench::load {

namespace asio = boost::asio;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

// steady_clock nanoseconds: the timestamps publishers put in messages and receivers subtract from.
[[nodiscard]] inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(steady::now().time_since_epoch()).count();
}

struct common_options {
  std::string url = "http://127.0.0.1:4000/graphql";
  int server_pid = 0;       // 0: no server measurements
  unsigned sources = 0;     // source addresses 127.0.0.2...; 0: one per 4,000 connections
  double deadline_s = 900;  // the whole run
  unsigned threads = 1;     // event loops of the generator
  unsigned connect_parallel = 500;
  double connect_timeout_s = 15;  // one connection's connect + upgrade + connection_ack
  bool busy_poll = false;         // the loops poll instead of sleeping (a core of their own)
};

// The server under test, from --url.
struct target {
  std::string host;
  std::uint16_t port = 0;
  std::string path;
  tcp::endpoint endpoint;
  std::string host_header;  // host:port
};

// One event loop and its thread (shard 0 runs on the main thread and also runs the scenario's control
// coroutine). Each connection belongs to one shard for its life; the read buffer is shared by the shard's
// connections because a connection reads only when the socket is readable and handles what it read before
// returning.
struct shard {
  explicit shard(unsigned i) : index(i), read_buffer(256 * 1024), rng(0x9E3779B9u * (i + 1)) {}
  unsigned index;
  asio::io_context ioc{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};  // sockets are used by this thread only
  std::vector<char> read_buffer;
  std::string scratch;  // frames being built
  std::uint32_t rng;    // masking keys (xorshift)
  std::atomic<std::uint64_t> opened{0};
  std::atomic<std::uint64_t> failed{0};
  std::atomic<std::uint64_t> closed{0};  // connections lost after opening

  std::uint32_t next_random() {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
  }
};

class ws_conn;
struct ws_handler;

class runtime {
 public:
  explicit runtime(common_options o);
  ~runtime();
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  [[nodiscard]] const common_options& options() const { return opts_; }
  [[nodiscard]] const target& server() const { return target_; }
  [[nodiscard]] unsigned shard_count() const { return static_cast<unsigned>(shards_.size()); }
  [[nodiscard]] shard& shard_at(unsigned i) { return *shards_[i]; }
  [[nodiscard]] shard& control() { return *shards_[0]; }

  // Checks the descriptor limit for n WebSocket connections (plus extra) and picks the source addresses.
  void plan_connections(std::size_t n, std::size_t extra = 64);
  [[nodiscard]] std::size_t source_count() const { return sources_.size(); }
  // The source address of connection i (unspecified: no binding).
  [[nodiscard]] asio::ip::address_v4 source_for(std::size_t i) const;

  // Creates n connections (connection i on shard i % threads) handled by handler; the runtime owns both until
  // the event loops have stopped, so no callback outlives them.
  std::vector<ws_conn*> make_connections(std::size_t n, const std::shared_ptr<ws_handler>& handler);

  // Opens the connections (connect from their source address, upgrade, connection_init, connection_ack) with
  // at most connect_parallel in flight; on_open runs on the connection's shard once it is acknowledged,
  // before it starts reading. Throws when any fails.
  [[nodiscard]] asio::awaitable<void> open_connections(const std::vector<ws_conn*>& conns,
                                                       std::function<void(ws_conn&)> on_open);

  // Connections lost after opening, over all shards.
  [[nodiscard]] std::uint64_t closed_count() const;

  [[nodiscard]] proc_sample sample_server() const { return sample_process(opts_.server_pid); }

  // Runs the scenario's control coroutine on shard 0 with every shard's loop running, under the deadline;
  // returns its report. Rethrows its exception.
  json::object run(const std::function<asio::awaitable<json::object>(runtime&)>& body);

 private:
  common_options opts_;
  target target_;
  std::vector<std::unique_ptr<shard>> shards_;
  std::vector<asio::ip::address_v4> sources_;
  std::vector<std::unique_ptr<ws_conn>> conns_;
  std::vector<std::shared_ptr<ws_handler>> handlers_;
};

// The phase named in progress lines and in the deadline message.
void set_phase(const char* phase);
// A progress line on stderr.
void progress(const std::string& line);

// Suspends the calling coroutine for d.
[[nodiscard]] asio::awaitable<void> sleep_for(steady::duration d);
// Polls cond every poll until it holds (true) or timeout passes (false).
[[nodiscard]] asio::awaitable<bool> wait_until(std::function<bool()> cond, steady::duration timeout,
                                               steady::duration poll = std::chrono::milliseconds(5));
// Waits until count() has not changed for `quiet` (at most `limit`): a backlog of messages is gone.
[[nodiscard]] asio::awaitable<void> quiesce(std::function<std::uint64_t()> count, steady::duration quiet,
                                            steady::duration limit);

// Report helpers.
[[nodiscard]] double round_to(double v, int decimals);
// {"p50","p90","p99","max","mean"} in milliseconds, and "samples".
[[nodiscard]] json::object latency_ms(const histogram& h);
// Server and generator CPU between two samples:
// {"server_cpu_s","server_cpu_util","loadgen_cpu_s","loadgen_cpu_util"}. Also the machine's backlog drops and
// TCP retransmissions over the window (non-zero: the numbers are suspect).
struct cpu_window {
  proc_sample server_before;
  net_sample net_before;
  double self_before = 0;
  steady::time_point t0;
  void start(const runtime& rt);
  [[nodiscard]] double elapsed_s() const;
  // Fills o; returns the server CPU seconds used (0 without a server pid).
  double finish(const runtime& rt, json::object& o) const;
};

}  // namespace sluice::bench::load
