// The raw broadcaster's WebSocket sessions and per-loop subscription registry; see raw_session.hpp.
#include "raw_session.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include "ws_frame.hpp"

namespace sluice::bench::raw {

namespace json = boost::json;

namespace {

// The channel of a subscribe payload: variables.channel, else a `channel: "..."` argument in the query text
// (the live benchmark's templates write it inline).
std::string_view channel_of(const json::object& payload) {
  if (const auto* vars = payload.if_contains("variables"); vars != nullptr && vars->is_object()) {
    if (const auto* c = vars->as_object().if_contains("channel"); c != nullptr && c->is_string()) {
      return c->as_string();
    }
  }
  const auto* query = payload.if_contains("query");
  if (query == nullptr || !query->is_string()) return {};
  const std::string_view q = query->as_string();
  const auto at = q.find("channel:");
  if (at == std::string_view::npos) return {};
  auto i = q.find_first_not_of(" \t\r\n", at + 8);
  if (i == std::string_view::npos || q[i] != '"') return {};
  const auto end = q.find('"', i + 1);
  if (end == std::string_view::npos) return {};
  return q.substr(i + 1, end - i - 1);
}

}  // namespace

void loop::broadcast(const event& ev) {
  const auto it = channels_.find(ev.channel);
  if (it == channels_.end()) return;
  // send_next never changes the list: a session over its limit closes later, from its own handler.
  for (const sub_ref& ref : it->second) ref.session->send_next(ref.session->id_of(ref.slot), ev.tail);
}

void loop::defer_flush(std::shared_ptr<ws_session> s) {
  dirty_.push_back(std::move(s));
  if (flush_posted_) return;
  flush_posted_ = true;
  asio::post(ioc_, [this] {
    flush_posted_ = false;
    std::vector<std::shared_ptr<ws_session>> sessions;
    sessions.swap(dirty_);
    for (const auto& session : sessions) session->flush_deferred();
  });
}

ws_session::ws_session(loop& l, tcp::socket sock) : loop_(l), sock_(std::move(sock)) {}

ws_session::~ws_session() = default;

void ws_session::start(std::string_view leftover) {
  if (!leftover.empty()) {
    std::string bytes(leftover);
    if (!feed(bytes.data(), bytes.size())) return;
  }
  on_readable();
}

void ws_session::arm_read() {
  sock_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](const boost::system::error_code& ec) {
    if (self->closed_) return;
    if (ec) {
      self->close_now();
      return;
    }
    self->on_readable();
  });
}

// Reads until a read comes back shorter than the buffer, then waits for readability (as the load generator
// does: with one thread per loop, no edge of the edge-triggered reactor is lost).
void ws_session::on_readable() {
  auto& buf = loop_.read_buffer();
  for (int i = 0; i < 8; ++i) {
    const ssize_t n = ::recv(sock_.native_handle(), buf.data(), buf.size(), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      close_now();
      return;
    }
    if (n == 0) {
      close_now();
      return;
    }
    if (!feed(buf.data(), static_cast<std::size_t>(n))) return;
    if (static_cast<std::size_t>(n) < buf.size()) break;
    if (i == 7) {  // still more: let the loop's other sessions run first
      asio::post(loop_.ioc(), [self = shared_from_this()] {
        if (!self->closed_) self->on_readable();
      });
      return;
    }
  }
  if (!closed_) arm_read();
}

bool ws_session::feed(char* data, std::size_t n) {
  std::string pending;
  if (!in_.empty()) {
    pending.swap(in_);
    pending.append(data, n);
    data = pending.data();
    n = pending.size();
  }
  std::size_t pos = 0;
  while (pos < n && !closed_ && !closing_) {
    ws::frame_header h;
    const auto status = ws::parse_header(reinterpret_cast<const unsigned char*>(data + pos), n - pos, h);
    if (status == ws::parse_status::need_more) break;
    if (status == ws::parse_status::bad || !h.masked) {
      close_with(1002, "protocol error");
      return false;
    }
    if (h.payload_size > loop_.opts().max_message) {
      close_with(1009, "message too big");
      return false;
    }
    if (h.header_size + h.payload_size > n - pos) break;
    char* payload = data + pos + h.header_size;
    const auto size = static_cast<std::size_t>(h.payload_size);
    ws::unmask(payload, size, h.mask);
    pos += h.header_size + size;
    if (!on_frame(h.op, h.fin, payload, size)) return false;
  }
  if (closed_) return false;
  if (pos < n && !closing_) {
    if (pos == 0 && !pending.empty()) {
      in_.swap(pending);
    } else {
      in_.assign(data + pos, n - pos);
    }
  }
  if (in_.capacity() > 4096 && in_.empty()) std::string().swap(in_);  // keep idle sessions small
  return !closing_;
}

bool ws_session::on_frame(std::uint8_t op, bool fin, char* payload, std::size_t n) {
  switch (op) {
    case ws::op_text:
    case ws::op_binary:
      if (frag_op_ != 0) {
        close_with(1002, "protocol error");
        return false;
      }
      if (fin) {
        on_text(std::string_view(payload, n));
      } else {
        frag_op_ = op;
        frag_.assign(payload, n);
      }
      return !closed_ && !closing_;
    case ws::op_continuation:
      if (frag_op_ == 0 || frag_.size() + n > loop_.opts().max_message) {
        close_with(1002, "protocol error");
        return false;
      }
      frag_.append(payload, n);
      if (fin) {
        std::string message;
        message.swap(frag_);
        frag_op_ = 0;
        on_text(message);
      }
      return !closed_ && !closing_;
    case ws::op_ping:
      send_frame(ws::op_pong, std::string_view(payload, n));
      return !closed_;
    case ws::op_pong:
      return true;
    case ws::op_close:
      send_frame(ws::op_close, std::string_view(payload, std::min<std::size_t>(n, 2)));
      closing_ = true;
      flush();
      return false;
    default:
      close_with(1002, "protocol error");
      return false;
  }
}

void ws_session::on_text(std::string_view text) {
  unsigned char storage[4096];
  json::monotonic_resource mr(storage, sizeof storage);
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec, &mr);
  const json::object* msg = !ec && v.is_object() ? &v.as_object() : nullptr;
  const json::value* type = msg != nullptr ? msg->if_contains("type") : nullptr;
  if (type == nullptr || !type->is_string()) {
    close_with(4400, "Invalid message received");
    return;
  }
  const std::string_view t = type->as_string();
  if (t == "ping") {
    send_text(R"({"type":"pong"})");
  } else if (t == "pong") {
  } else if (t == "connection_init") {
    if (initialised_) {
      close_with(4429, "Too many initialisation requests");
      return;
    }
    initialised_ = true;
    send_text(R"({"type":"connection_ack"})");
  } else if (t == "subscribe" || t == "complete") {
    const json::value* id = msg->if_contains("id");
    if (!initialised_) {
      close_with(4401, "Unauthorized");
      return;
    }
    if (id == nullptr || !id->is_string()) {
      close_with(4400, "Invalid message received");
      return;
    }
    std::string id_json = json::serialize(id->as_string());
    std::size_t slot = 0;
    while (slot < subs_.size() && subs_[slot].id_json != id_json) ++slot;
    if (t == "complete") {
      if (slot < subs_.size()) unsubscribe(slot);
      return;
    }
    if (slot < subs_.size()) {
      close_with(4409, "Subscriber for " + std::string(id->as_string()) + " already exists");
      return;
    }
    const json::value* payload = msg->if_contains("payload");
    const std::string_view channel =
        payload != nullptr && payload->is_object() ? channel_of(payload->as_object()) : std::string_view{};
    if (channel.empty()) {
      send_text(
          R"({"id":)" + id_json +
          R"(,"type":"error","payload":[{"message":"raw-broadcaster: the operation names no channel"}]})");
      return;
    }
    if (subs_.size() >= loop_.opts().max_operations) {
      close_with(4400, "Too many operations");
      return;
    }
    subscribe(std::move(id_json), channel);
  } else {
    close_with(4400, "Invalid message received");
  }
}

void ws_session::subscribe(std::string id_json, std::string_view channel) {
  auto it = loop_.channels().try_emplace(std::string(channel)).first;
  const auto slot = static_cast<std::uint32_t>(subs_.size());
  const auto pos = static_cast<std::uint32_t>(it->second.size());
  it->second.push_back(sub_ref{this, slot});
  subs_.push_back(subscription{std::move(id_json), it, pos});
}

// Swap-removes the subscription from its channel's list and from subs_, fixing the indexes of the entries
// moved.
void ws_session::unsubscribe(std::size_t slot) {
  subscription& sub = subs_[slot];
  auto& list = sub.channel->second;
  list[sub.pos] = list.back();
  list[sub.pos].session->subs_[list[sub.pos].slot].pos = sub.pos;
  list.pop_back();
  if (list.empty()) loop_.channels().erase(sub.channel);
  if (slot + 1 != subs_.size()) {
    subs_[slot] = std::move(subs_.back());
    subscription& moved = subs_[slot];
    moved.channel->second[moved.pos].slot = static_cast<std::uint32_t>(slot);
  }
  subs_.pop_back();
}

void ws_session::send_next(const std::string& id_json, const std::string& tail) {
  if (closed_ || closing_) return;
  const std::size_t n = 6 + id_json.size() + tail.size();
  char header[10];
  const std::size_t h = ws::server_header(header, ws::op_text, n);
  out_.append(header, h);
  out_.append(R"({"id":)");
  out_.append(id_json);
  out_.append(tail);
  if (out_.size() > loop_.opts().max_send_queue) {
    close_later();  // too slow a reader
    return;
  }
  if (!deferred_) {
    deferred_ = true;
    loop_.defer_flush(shared_from_this());
  }
}

void ws_session::flush_deferred() {
  deferred_ = false;
  flush();
}

void ws_session::send_frame(std::uint8_t op, std::string_view payload) {
  if (closed_) return;
  ws::append_frame(out_, op, payload);
  flush();
}

// Writes out_ directly while the socket takes it; the rest goes out with an asynchronous write.
void ws_session::flush() {
  if (writing_ || closed_) return;
  std::size_t done = 0;
  for (int i = 0; i < 64 && done < out_.size(); ++i) {
    const ssize_t n =
        ::send(sock_.native_handle(), out_.data() + done, out_.size() - done, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      close_later();
      return;
    }
    done += static_cast<std::size_t>(n);
  }
  if (done == out_.size()) {
    out_.clear();
    if (out_.capacity() > 4096) std::string().swap(out_);
    if (closing_) close_now();
    return;
  }
  wbuf_.assign(out_, done);
  out_.clear();
  writing_ = true;
  asio::async_write(sock_, asio::buffer(wbuf_),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      self->writing_ = false;
                      if (self->closed_) return;
                      if (ec) {
                        self->close_now();
                        return;
                      }
                      std::string().swap(self->wbuf_);
                      if (!self->out_.empty()) {
                        self->flush();
                      } else if (self->closing_) {
                        self->close_now();
                      }
                    });
}

void ws_session::close_with(unsigned code, std::string_view reason) {
  if (closed_ || closing_) return;
  std::string payload;
  payload += static_cast<char>((code >> 8) & 0xFF);
  payload += static_cast<char>(code & 0xFF);
  payload.append(reason.substr(0, 120));
  send_frame(ws::op_close, payload);
  closing_ = true;
  if (!writing_ && out_.empty()) close_now();
}

void ws_session::close_later() {
  if (closed_) return;
  closing_ = true;  // no more sends; the subscriptions go when the close runs, outside any broadcast
  asio::post(loop_.ioc(), [self = shared_from_this()] { self->close_now(); });
}

void ws_session::close_now() {
  if (closed_) return;
  closed_ = true;
  while (!subs_.empty()) unsubscribe(subs_.size() - 1);
  boost::system::error_code ignored;
  sock_.shutdown(tcp::socket::shutdown_both, ignored);
  sock_.close(ignored);
}

}  // namespace sluice::bench::raw
