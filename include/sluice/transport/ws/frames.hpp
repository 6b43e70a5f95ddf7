// WebSocket framing (RFC 6455 section 5) for the server side, without I/O: client frames in (masked, possibly
// fragmented, with control frames between fragments), whole messages and control frames out; server frames
// written into a caller's buffer, so that several messages queued for one connection leave in one write.
//
// Beast does the opening handshake; after it the session owns the socket and uses this. (Beast's
// websocket::stream writes one message per operation and answers pings and closes on its own during reads, which
// leaves no way to send a burst of messages to one connection in one system call.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::transport::ws {

enum class opcode : std::uint8_t { continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA };

// Close codes the server sends for framing errors.
inline constexpr std::uint16_t close_protocol_error = 1002;
inline constexpr std::uint16_t close_invalid_payload = 1007;  // a text message or close reason that is not UTF-8
inline constexpr std::uint16_t close_too_big = 1009;
inline constexpr std::uint16_t close_no_status = 1005;  // a close frame without a code (never sent)

// Appends the header of one unmasked, final frame carrying `size` payload bytes.
void append_frame_header(std::string& out, opcode op, std::size_t size);
// Appends one whole unmasked frame.
void append_frame(std::string& out, opcode op, std::string_view payload);
// Appends a close frame: the code, then the reason cut to fit a control frame (123 bytes, at a UTF-8 boundary).
void append_close_frame(std::string& out, std::uint16_t code, std::string_view reason);

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF).
[[nodiscard]] bool valid_utf8(std::string_view s);
// Whether a client may send this close code (RFC 6455 section 7.4).
[[nodiscard]] bool valid_close_code(std::uint16_t code);

// What the reader found: a whole message, a control frame, or why the connection must be closed.
struct frame_event {
  enum class kind : std::uint8_t { text, binary, ping, pong, close, error };
  kind type = kind::error;
  // text/binary: the message; ping/pong: the payload; close: the reason. Valid until the next feed().
  std::string_view data;
  // close: the code the client sent (close_no_status when none); error: the code to close with.
  std::uint16_t code = 0;
  // error: the reason to close with.
  std::string_view reason;
};

// Reads client frames: the payloads are unmasked in place, whole messages are handed over without a copy when
// they arrive in one piece; only a partial frame or a fragmented message is kept between feeds.
class frame_reader {
 public:
  explicit frame_reader(std::size_t max_message) : max_message_(max_message) {}

  // Parses `data` (which it may modify), calling `on(const frame_event&)` for each message and control frame in
  // order. `on` returns false to stop (the rest is dropped). After an error event nothing more is read.
  template <typename Handler>
  void feed(char* data, std::size_t size, Handler&& on);

  // Nothing pending: no partial frame and no fragmented message.
  [[nodiscard]] bool idle() const { return partial_.empty() && message_.empty() && !fragmented_; }
  [[nodiscard]] bool failed() const { return failed_; }

 private:
  enum class step : std::uint8_t { need_more, event, skip, error };
  // Parses one frame at data[0..size): consumed bytes and, when step::event, the event.
  step parse(char* data, std::size_t size, std::size_t& consumed, frame_event& ev);
  step fail(frame_event& ev, std::uint16_t code, std::string_view reason);

  std::size_t max_message_;
  std::string partial_;  // a frame not yet whole
  std::string message_;  // the fragments of a message so far
  opcode message_op_ = opcode::text;
  bool fragmented_ = false;
  bool delivered_fragments_ = false;
  bool failed_ = false;
};

template <typename Handler>
void frame_reader::feed(char* data, std::size_t size, Handler&& on) {
  if (failed_) return;
  std::string joined;
  if (!partial_.empty()) {  // the rest of a frame that began in an earlier feed (appended: no quadratic copying)
    joined.swap(partial_);
    joined.append(data, size);
    data = joined.data();
    size = joined.size();
  }
  std::size_t pos = 0;
  while (pos < size) {
    std::size_t consumed = 0;
    frame_event ev;
    const step s = parse(data + pos, size - pos, consumed, ev);
    if (s == step::need_more) break;
    pos += consumed;
    if (s == step::skip) continue;
    const bool go_on = on(static_cast<const frame_event&>(ev));
    if (delivered_fragments_) {  // the event's data was the reassembled message
      delivered_fragments_ = false;
      message_.clear();
      if (message_.capacity() > 4096) std::string().swap(message_);
    }
    if (s == step::error || !go_on) return;
  }
  if (pos < size) {
    if (!joined.empty()) {  // the rest stays in the same buffer: a stream of partial frames allocates nothing
      joined.erase(0, pos);
      partial_.swap(joined);
    } else {
      partial_.assign(data + pos, size - pos);
    }
  }
}

}  // namespace sluice::transport::ws
