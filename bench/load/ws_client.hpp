// A graphql-transport-ws client connection for the load generator, built for tens of thousands per process:
// the upgrade is a fixed request, and the receive path reads into a small buffer of its own (then, while
// there is more, into its shard's large shared one) and cuts the (unmasked) server frames out itself; only a
// partial frame is kept.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include "runtime.hpp"

namespace sluice::bench::load {

struct ws_handler {
  virtual ~ws_handler() = default;
  // One complete text message; type is its "type" field ("" when it has none); now is when it was read
  // (now_ns()). graphql-transport-ws pings are answered before this is called.
  virtual void on_message(ws_conn& c, std::string_view type, std::string_view text, std::int64_t now) = 0;
  // The connection ended after it had opened (by the server, an error, or a close frame).
  virtual void on_closed(ws_conn& c, const std::string& why) {
    (void)c;
    (void)why;
  }
};

class ws_conn {
 public:
  ws_conn(shard& home, std::uint32_t index, ws_handler& handler);
  ~ws_conn();
  ws_conn(const ws_conn&) = delete;
  ws_conn& operator=(const ws_conn&) = delete;

  // Connects from source (unspecified: any), upgrades to graphql-transport-ws, sends connection_init and
  // waits for connection_ack, all within timeout. Throws std::runtime_error saying which step failed.
  [[nodiscard]] asio::awaitable<void> open(const target& t, asio::ip::address_v4 source,
                                           std::chrono::milliseconds timeout);
  // Starts the receive loop (after open and after the first messages have been queued).
  void start_reading();

  // Queues one masked text frame.
  void send_text(std::string_view json);
  // Appends one masked text frame to batch, to be sent with send_raw (several messages in one write).
  void frame_into(std::string& batch, std::string_view json);
  // Queues bytes already framed.
  void send_raw(std::string_view bytes);
  // Closes the socket; no more callbacks.
  void close();

  [[nodiscard]] bool is_open() const { return state_ == state::open; }
  [[nodiscard]] shard& home() { return home_; }
  [[nodiscard]] std::uint32_t index() const { return index_; }

  // Scenario state, free for the handler's use (the connection never touches it).
  std::uint64_t user = 0;
  std::uint64_t user2 = 0;

 private:
  enum class state : std::uint8_t { idle, upgrading, awaiting_ack, open, closed };

  void on_read(const boost::system::error_code& ec, std::size_t n);
  void drain();
  void arm_read();
  // Reads what the socket has (at most a few buffers); false when the connection ended. more: the buffer
  // filled up.
  bool read_available(bool& more);
  // Cuts frames out of data[0..n); keeps a partial frame in carry_. False when the connection ended.
  bool feed(char* data, std::size_t n, std::int64_t now);
  bool on_frame(std::uint8_t op, std::string_view payload, std::int64_t now);
  void on_text(std::string_view text, std::int64_t now);
  void flush();
  void fail(const std::string& why);

  shard& home_;
  ws_handler& handler_;
  tcp::socket sock_;
  std::uint32_t index_;
  state state_ = state::idle;
  bool writing_ = false;
  bool reading_ = false;  // a wait for readability is pending
  bool setup_done_ = false;
  std::uint8_t frag_op_ = 0;
  std::string carry_;  // a partial frame
  std::string frag_;   // a fragmented message so far
  std::string out_;    // bytes waiting for the write in flight
  std::string wbuf_;   // the write in flight
  std::string why_;    // why the connection ended
  // What a pending read fills; a read that fills it is followed by reads into the shard's large buffer.
  std::array<char, 512> rbuf_;
};

}  // namespace sluice::bench::load
