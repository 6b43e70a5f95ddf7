// The load generator's WebSocket connection: upgrade and connection_init in a coroutine, then a
// callback-driven receive path that reads whatever the socket holds into the shard's buffer and cuts frames
// out of it in place.
#include "ws_client.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/system_error.hpp>

#include "json_scan.hpp"
#include "ws_frame.hpp"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace sluice::bench::load {

namespace {

constexpr std::size_t max_message_size = 64 * 1024 * 1024;

std::string base64_key(shard& s) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  unsigned char raw[18] = {};
  for (int i = 0; i < 16; i += 4) {
    const std::uint32_t r = s.next_random();
    std::memcpy(raw + i, &r, 4);
  }
  std::string out;
  for (int i = 0; i < 18; i += 3) {  // 16 bytes: 5 full groups and one of a single byte
    const std::uint32_t v = (std::uint32_t{raw[i]} << 16) | (std::uint32_t{raw[i + 1]} << 8) | raw[i + 2];
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  out.resize(22);
  out += "==";
  return out;
}

}  // namespace

ws_conn::ws_conn(shard& home, std::uint32_t index, ws_handler& handler)
    : home_(home), handler_(handler), sock_(home.ioc), index_(index) {}

ws_conn::~ws_conn() = default;

asio::awaitable<void> ws_conn::open(const target& t, asio::ip::address_v4 source,
                                    std::chrono::milliseconds timeout) {
  asio::steady_timer guard(home_.ioc);
  guard.expires_after(timeout);
  auto on_expiry = [this](const boost::system::error_code& ec) {
    if (ec || setup_done_) return;
    why_ = "timed out";
    boost::system::error_code ignored;
    sock_.close(ignored);
  };
  guard.async_wait(on_expiry);
  std::string stage = "connect";
  std::string failure;
  try {
    state_ = state::upgrading;
    sock_.open(tcp::v4());
    if (!source.is_unspecified()) {
      // The port is chosen at connect time, per destination: many more than 28k connections per source
      // address.
      const int one = 1;
      ::setsockopt(sock_.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
      stage = "bind to " + source.to_string();
      sock_.bind(tcp::endpoint(source, 0));
      stage = "connect";
    }
    sock_.set_option(tcp::no_delay(true));
    co_await sock_.async_connect(t.endpoint, asio::use_awaitable);

    stage = "upgrade";
    const std::string request =
        "GET " + t.path + " HTTP/1.1\r\nHost: " + t.host_header +
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + base64_key(home_) +
        "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n";
    co_await asio::async_write(sock_, asio::buffer(request), asio::use_awaitable);
    std::string head;
    std::size_t end = std::string::npos;
    for (int i = 0; i < 10000 && end == std::string::npos; ++i) {
      auto& buf = home_.read_buffer;
      const ssize_t n = ::recv(sock_.native_handle(), buf.data(), 4096, MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        co_await sock_.async_wait(tcp::socket::wait_read, asio::use_awaitable);
        continue;
      }
      if (n == 0) throw std::runtime_error("the server closed the connection");
      if (n < 0) throw std::runtime_error(std::strerror(errno));
      head.append(buf.data(), static_cast<std::size_t>(n));
      end = head.find("\r\n\r\n");
      if (end == std::string::npos && head.size() > 65536)
        throw std::runtime_error("response head too large");
    }
    if (end == std::string::npos) throw std::runtime_error("no response head");
    if (head.rfind("HTTP/1.1 101", 0) != 0) {
      throw std::runtime_error("refused: " + head.substr(0, std::min(head.find("\r\n"), std::size_t{200})));
    }

    stage = "connection_ack";
    state_ = state::awaiting_ack;
    send_text(R"({"type":"connection_init","payload":{}})");
    if (head.size() > end + 4 && !feed(head.data() + end + 4, head.size() - end - 4, now_ns())) {
      throw std::runtime_error(why_);
    }
    for (int i = 0; i < 100000 && state_ == state::awaiting_ack; ++i) {
      bool more = false;
      if (!read_available(more)) throw std::runtime_error(why_);
      if (state_ != state::awaiting_ack || more) continue;
      co_await sock_.async_wait(tcp::socket::wait_read, asio::use_awaitable);
    }
    if (state_ != state::open) throw std::runtime_error(why_.empty() ? "no connection_ack" : why_);
  } catch (const boost::system::system_error& e) {
    failure = stage + ": " + (why_.empty() ? e.code().message() : why_);
  } catch (const std::exception& e) {
    failure = stage + ": " + (why_.empty() ? std::string(e.what()) : why_);
  }
  setup_done_ = true;
  guard.cancel();
  if (!failure.empty()) {
    state_ = state::closed;
    boost::system::error_code ignored;
    sock_.close(ignored);
    if (why_ == "timed out") failure += " after " + std::to_string(timeout.count()) + " ms";
    throw std::runtime_error(failure);
  }
}

void ws_conn::start_reading() {
  if (state_ != state::open || reading_) return;
  drain();
}

// One asynchronous read per readiness: Asio reads as soon as the socket is readable (a read that comes back
// short marks the socket drained, so the next read is queued without a system call), and costs no epoll_ctl,
// which waiting for readability (async_wait) does each time.
void ws_conn::arm_read() {
  reading_ = true;
  sock_.async_read_some(asio::buffer(rbuf_),
                        [this](const boost::system::error_code& ec, std::size_t n) { on_read(ec, n); });
}

void ws_conn::on_read(const boost::system::error_code& ec, std::size_t n) {
  reading_ = false;
  if (state_ == state::closed) return;
  if (ec) {
    fail(ec == asio::error::eof ? std::string("closed by the server (end of stream)")
                                : "read: " + ec.message());
    return;
  }
  if (!feed(rbuf_.data(), n, now_ns())) return;
  if (n < rbuf_.size()) {
    arm_read();
    return;
  }
  drain();  // the small buffer filled up: there is probably more
}

// Reads what the socket holds into the shard's buffer, then goes back to an asynchronous read.
void ws_conn::drain() {
  bool more = false;
  if (!read_available(more)) return;
  if (more) {
    // The large buffer filled up several times: let the shard's other connections read before reading on.
    reading_ = true;
    asio::post(home_.ioc, [this] {
      reading_ = false;
      if (state_ != state::closed) drain();
    });
    return;
  }
  arm_read();
}

// Reads until the socket has no more (a read shorter than the buffer), at most four buffers.
bool ws_conn::read_available(bool& more) {
  more = false;
  auto& buf = home_.read_buffer;
  for (int i = 0; i < 4; ++i) {
    const ssize_t n = ::recv(sock_.native_handle(), buf.data(), buf.size(), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
      if (errno == EINTR) continue;
      fail(std::string("read: ") + std::strerror(errno));
      return false;
    }
    if (n == 0) {
      fail("closed by the server (end of stream)");
      return false;
    }
    if (!feed(buf.data(), static_cast<std::size_t>(n), now_ns())) return false;
    if (static_cast<std::size_t>(n) < buf.size()) return true;
  }
  more = true;
  return true;
}

bool ws_conn::feed(char* data, std::size_t n, std::int64_t now) {
  std::string pending;
  if (!carry_.empty()) {
    pending.swap(carry_);
    pending.append(data, n);
    data = pending.data();
    n = pending.size();
  }
  std::size_t pos = 0;
  while (pos < n) {
    ws::frame_header h;
    const auto status = ws::parse_header(reinterpret_cast<const unsigned char*>(data + pos), n - pos, h);
    if (status == ws::parse_status::need_more) break;
    if (status == ws::parse_status::bad) {
      fail("malformed frame from the server");
      return false;
    }
    if (h.payload_size > max_message_size) {
      fail("message larger than 64 MiB");
      return false;
    }
    if (h.header_size + h.payload_size > n - pos) break;
    char* payload = data + pos + h.header_size;
    const auto size = static_cast<std::size_t>(h.payload_size);
    if (h.masked) ws::unmask(payload, size, h.mask);
    pos += h.header_size + size;
    if (!on_frame(h.op | (h.fin ? 0x80 : 0), std::string_view(payload, size), now)) return false;
  }
  if (pos < n) {
    if (pos == 0 && !pending.empty()) {
      carry_.swap(pending);  // a large message arriving in pieces is not copied again
    } else {
      carry_.assign(data + pos, n - pos);
    }
  }
  return true;
}

bool ws_conn::on_frame(std::uint8_t op_fin, std::string_view payload, std::int64_t now) {
  const bool fin = (op_fin & 0x80) != 0;
  const std::uint8_t op = op_fin & 0x0F;
  switch (op) {
    case ws::op_text:
    case ws::op_binary:
      if (frag_op_ != 0) {
        fail("a new message inside a fragmented one");
        return false;
      }
      if (fin) {
        on_text(payload, now);
      } else {
        frag_op_ = op;
        frag_.assign(payload);
      }
      return state_ != state::closed;
    case ws::op_continuation:
      if (frag_op_ == 0) {
        fail("a continuation frame without a message");
        return false;
      }
      if (frag_.size() + payload.size() > max_message_size) {
        fail("message larger than 64 MiB");
        return false;
      }
      frag_.append(payload);
      if (fin) {
        std::string message;
        message.swap(frag_);
        frag_op_ = 0;
        on_text(message, now);
      }
      return state_ != state::closed;
    case ws::op_ping: {
      std::string pong;
      ws::append_frame(pong, ws::op_pong, payload, true, home_.next_random());
      send_raw(pong);
      return state_ != state::closed;
    }
    case ws::op_pong:
      return true;
    case ws::op_close: {
      unsigned code = 1005;
      if (payload.size() >= 2) {
        code = (static_cast<unsigned>(static_cast<unsigned char>(payload[0])) << 8) |
               static_cast<unsigned char>(payload[1]);
      }
      std::string reply;
      ws::append_frame(reply, ws::op_close, payload.substr(0, std::min<std::size_t>(payload.size(), 2)), true,
                       home_.next_random());
      send_raw(reply);
      const std::string reason(payload.size() > 2 ? payload.substr(2) : std::string_view{});
      fail("closed by the server: " + std::to_string(code) + (reason.empty() ? "" : " " + reason));
      return false;
    }
    default:
      fail("unknown opcode");
      return false;
  }
}

void ws_conn::on_text(std::string_view text, std::int64_t now) {
  const std::string_view type = find_string_field(text, "type").value_or(std::string_view{});
  if (type == "ping") {
    send_text(R"({"type":"pong"})");
    return;
  }
  if (state_ == state::awaiting_ack) {
    if (type == "connection_ack") {
      state_ = state::open;
    } else {
      fail("expected connection_ack, got " + std::string(text.substr(0, 300)));
    }
    return;
  }
  handler_.on_message(*this, type, text, now);
}

void ws_conn::frame_into(std::string& batch, std::string_view json) {
  ws::append_frame(batch, ws::op_text, json, true, home_.next_random());
}

void ws_conn::send_text(std::string_view json) {
  std::string& s = home_.scratch;
  s.clear();
  frame_into(s, json);
  send_raw(s);
}

void ws_conn::send_raw(std::string_view bytes) {
  if (state_ == state::closed) return;
  if (writing_) {
    out_.append(bytes);
    return;
  }
  std::size_t done = 0;
  for (int i = 0; i < 64 && done < bytes.size(); ++i) {
    const ssize_t n =
        ::send(sock_.native_handle(), bytes.data() + done, bytes.size() - done, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      fail(std::string("write: ") + std::strerror(errno));
      return;
    }
    done += static_cast<std::size_t>(n);
  }
  if (done == bytes.size()) return;
  out_.append(bytes.substr(done));
  flush();
}

void ws_conn::flush() {
  if (writing_ || out_.empty() || state_ == state::closed) return;
  wbuf_.swap(out_);
  out_.clear();
  writing_ = true;
  asio::async_write(sock_, asio::buffer(wbuf_), [this](const boost::system::error_code& ec, std::size_t) {
    writing_ = false;
    if (state_ == state::closed) return;
    if (ec) {
      fail("write: " + ec.message());
      return;
    }
    wbuf_.clear();
    flush();
  });
}

void ws_conn::close() {
  if (state_ == state::closed) return;
  state_ = state::closed;
  boost::system::error_code ignored;
  sock_.close(ignored);
}

void ws_conn::fail(const std::string& why) {
  if (state_ == state::closed) return;
  const bool was_open = state_ == state::open;
  why_ = why;
  state_ = state::closed;
  boost::system::error_code ignored;
  sock_.close(ignored);
  if (was_open) {
    home_.closed.fetch_add(1, std::memory_order_relaxed);
    handler_.on_closed(*this, why_);
  }
}

}  // namespace sluice::bench::load
