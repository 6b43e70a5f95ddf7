// The raw broadcaster's event loops and WebSocket sessions: graphql-transport-ws reduced to what the
// benchmarks use (connection_init, subscribe to a channel, complete, ping), with no GraphQL at all. Each loop
// owns its connections and a registry of their subscriptions by channel; a published event is posted to every
// loop, which writes it to its own subscribers. Per connection: the socket, a partial frame if one is
// pending, and a bounded send queue.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace sluice::bench::raw {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  unsigned threads = 1;
  std::string path = "/graphql";
  std::size_t max_send_queue = 1024 * 1024;  // bytes queued for one connection before it is closed (1008)
  std::size_t max_message = 1024 * 1024;     // largest client message or HTTP body
  std::size_t max_operations = 10000;        // subscriptions per connection
};

// A published message as every loop sends it: the text after the subscription id, shared by all loops.
struct event {
  std::string channel;
  std::string tail;  // ,"type":"next","payload":{"data":{"messages":{"text":...}}}}
};

class ws_session;

// One subscription in a channel's list: the session and the index of the subscription in it.
struct sub_ref {
  ws_session* session;
  std::uint32_t slot;
};

using channel_map = std::unordered_map<std::string, std::vector<sub_ref>>;

class loop {
 public:
  loop(unsigned index, const options& o) : index_(index), opts_(o), read_buffer_(64 * 1024) {}

  [[nodiscard]] asio::io_context& ioc() { return ioc_; }
  [[nodiscard]] unsigned index() const { return index_; }
  [[nodiscard]] const options& opts() const { return opts_; }
  [[nodiscard]] std::vector<char>& read_buffer() { return read_buffer_; }
  [[nodiscard]] channel_map& channels() { return channels_; }

  // Writes ev to every subscription of its channel on this loop.
  void broadcast(const event& ev);
  // Queues a session whose messages are to be written once the loop has run the handlers already queued:
  // events published in a burst leave in one write per connection.
  void defer_flush(std::shared_ptr<ws_session> s);

 private:
  asio::io_context ioc_{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};  // sessions are used by this thread only
  unsigned index_;
  const options& opts_;
  std::vector<char>
      read_buffer_;  // shared by the loop's sessions: each reads only when readable, and finishes
  channel_map channels_;
  std::vector<std::shared_ptr<ws_session>> dirty_;
  bool flush_posted_ = false;
};

class ws_session : public std::enable_shared_from_this<ws_session> {
 public:
  ws_session(loop& l, tcp::socket sock);
  ~ws_session();
  ws_session(const ws_session&) = delete;
  ws_session& operator=(const ws_session&) = delete;

  // Starts reading (leftover: bytes that came with the upgrade request).
  void start(std::string_view leftover);
  // Queues a `next` for the subscription id_json (the JSON string of its id), written by flush_deferred;
  // closes the session (later, not during the broadcast) when its queue is over the limit.
  void send_next(const std::string& id_json, const std::string& tail);
  void flush_deferred();
  // The JSON string of the id of the subscription in slot.
  [[nodiscard]] const std::string& id_of(std::uint32_t slot) const { return subs_[slot].id_json; }

 private:
  struct subscription {
    std::string id_json;
    channel_map::iterator channel;
    std::uint32_t pos;  // in the channel's list
  };

  void arm_read();
  void on_readable();
  bool feed(char* data, std::size_t n);
  bool on_frame(std::uint8_t op, bool fin, char* payload, std::size_t n);
  void on_text(std::string_view text);
  void subscribe(std::string id_json, std::string_view channel);
  void unsubscribe(std::size_t slot);
  void send_frame(std::uint8_t op, std::string_view payload);
  void send_text(std::string_view json) { send_frame(0x1, json); }
  void flush();
  void close_with(unsigned code, std::string_view reason);
  void close_now();
  void close_later();  // from code that may run inside a broadcast

  loop& loop_;
  tcp::socket sock_;
  std::vector<subscription> subs_;
  std::string in_;    // a partial frame
  std::string frag_;  // a fragmented message so far
  std::string out_;   // queued bytes
  std::string wbuf_;  // the write in flight
  std::uint8_t frag_op_ = 0;
  bool initialised_ = false;
  bool writing_ = false;
  bool closing_ = false;  // close after the queued bytes are written
  bool closed_ = false;
  bool deferred_ = false;  // in the loop's list of sessions to flush
};

}  // namespace sluice::bench::raw
