// WebSocket frames: the server's frame headers, the reader of client frames, UTF-8 and close-code checks.
#include "sluice/transport/ws/frames.hpp"

#include <cstring>

namespace sluice::transport::ws {

namespace {

constexpr std::size_t max_control_payload = 125;

inline std::uint8_t byte_at(const char* p, std::size_t i) { return static_cast<std::uint8_t>(p[i]); }

// XORs the payload with the 4-byte key, 8 bytes at a time where it can.
void unmask(char* p, std::size_t n, const std::uint8_t key[4]) {
  std::uint8_t wide[8];
  for (int i = 0; i < 8; ++i) wide[i] = key[i % 4];
  std::uint64_t k8 = 0;
  std::memcpy(&k8, wide, sizeof k8);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t v = 0;
    std::memcpy(&v, p + i, sizeof v);
    v ^= k8;
    std::memcpy(p + i, &v, sizeof v);
  }
  for (; i < n; ++i) p[i] = static_cast<char>(static_cast<std::uint8_t>(p[i]) ^ key[i % 4]);
}

// The longest prefix of s, at most `limit` bytes, that does not end inside a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view s, std::size_t limit) {
  if (s.size() <= limit) return s;
  std::size_t end = limit;
  while (end > 0 && (static_cast<std::uint8_t>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

}  // namespace

void append_frame_header(std::string& out, opcode op, std::size_t size) {
  char h[10];
  h[0] = static_cast<char>(0x80 | static_cast<std::uint8_t>(op));
  std::size_t n = 2;
  if (size < 126) {
    h[1] = static_cast<char>(size);
  } else if (size <= 0xFFFF) {
    h[1] = 126;
    h[2] = static_cast<char>((size >> 8) & 0xFF);
    h[3] = static_cast<char>(size & 0xFF);
    n = 4;
  } else {
    h[1] = 127;
    const auto s = static_cast<std::uint64_t>(size);
    for (int i = 0; i < 8; ++i) h[2 + i] = static_cast<char>((s >> (56 - 8 * i)) & 0xFF);
    n = 10;
  }
  out.append(h, n);
}

void append_frame(std::string& out, opcode op, std::string_view payload) {
  append_frame_header(out, op, payload.size());
  out.append(payload);
}

void append_close_frame(std::string& out, std::uint16_t code, std::string_view reason) {
  reason = utf8_prefix(reason, max_control_payload - 2);
  append_frame_header(out, opcode::close, 2 + reason.size());
  out.push_back(static_cast<char>((code >> 8) & 0xFF));
  out.push_back(static_cast<char>(code & 0xFF));
  out.append(reason);
}

bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // ASCII runs, eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t v = 0;
      std::memcpy(&v, p + i, sizeof v);
      if ((v & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t extra = 0;
    unsigned lo = 0x80;
    unsigned hi = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      if (c == 0xE0) lo = 0xA0;  // no overlong forms
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return false;
    }
    if (i + extra >= n) return false;  // the sequence is cut short
    if (p[i + 1] < lo || p[i + 1] > hi) return false;
    for (std::size_t k = 2; k <= extra; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return false;
    i += extra + 1;
  }
  return true;
}

bool valid_close_code(std::uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

frame_reader::step frame_reader::fail(frame_event& ev, std::uint16_t code, std::string_view reason) {
  failed_ = true;
  ev.type = frame_event::kind::error;
  ev.code = code;
  ev.reason = reason;
  return step::error;
}

frame_reader::step frame_reader::parse(char* data, std::size_t size, std::size_t& consumed, frame_event& ev) {
  if (size < 2) return step::need_more;
  const std::uint8_t b0 = byte_at(data, 0);
  const std::uint8_t b1 = byte_at(data, 1);
  const bool fin = (b0 & 0x80) != 0;
  const std::uint8_t op = b0 & 0x0F;
  if ((b0 & 0x70) != 0) return fail(ev, close_protocol_error, "Reserved bits set");
  if ((b1 & 0x80) == 0) return fail(ev, close_protocol_error, "Client frames must be masked");
  std::uint64_t length = b1 & 0x7F;
  std::size_t header = 2;
  if (length == 126) {
    if (size < 4) return step::need_more;
    length = (std::uint64_t{byte_at(data, 2)} << 8) | byte_at(data, 3);
    header = 4;
    if (length < 126) return fail(ev, close_protocol_error, "Frame length not in its shortest form");
  } else if (length == 127) {
    if (size < 10) return step::need_more;
    length = 0;
    for (int i = 0; i < 8; ++i) length = (length << 8) | byte_at(data, 2 + static_cast<std::size_t>(i));
    header = 10;
    if ((length >> 63) != 0) return fail(ev, close_protocol_error, "Frame length out of range");
    if (length <= 0xFFFF) return fail(ev, close_protocol_error, "Frame length not in its shortest form");
  }
  const bool control = (op & 0x8) != 0;
  if (control) {
    if (op != 0x8 && op != 0x9 && op != 0xA) return fail(ev, close_protocol_error, "Unknown opcode");
    if (!fin) return fail(ev, close_protocol_error, "Fragmented control frame");
    if (length > max_control_payload) return fail(ev, close_protocol_error, "Control frame too long");
  } else {
    if (op > 0x2) return fail(ev, close_protocol_error, "Unknown opcode");
    if (op == 0x0 && !fragmented_) return fail(ev, close_protocol_error, "Continuation frame without a message");
    if (op != 0x0 && fragmented_) return fail(ev, close_protocol_error, "New message before the last one ended");
    const std::uint64_t total = length + (op == 0x0 ? message_.size() : 0);
    if (total > max_message_) return fail(ev, close_too_big, "Message too big");
  }
  header += 4;
  if (size < header || size - header < length) return step::need_more;
  std::uint8_t key[4];
  std::memcpy(key, data + header - 4, 4);
  char* payload = data + header;
  const auto n = static_cast<std::size_t>(length);
  unmask(payload, n, key);
  consumed = header + n;

  switch (static_cast<opcode>(op)) {
    case opcode::text:
    case opcode::binary:
      if (!fin) {
        fragmented_ = true;
        message_op_ = static_cast<opcode>(op);
        message_.assign(payload, n);
        return step::skip;
      }
      ev.type = op == 0x1 ? frame_event::kind::text : frame_event::kind::binary;
      ev.data = std::string_view(payload, n);
      if (op == 0x1 && !valid_utf8(ev.data)) return fail(ev, close_invalid_payload, "Text message is not UTF-8");
      return step::event;
    case opcode::continuation:
      message_.append(payload, n);
      if (!fin) return step::skip;
      fragmented_ = false;
      delivered_fragments_ = true;  // feed() clears the message once it is handed over
      ev.type = message_op_ == opcode::text ? frame_event::kind::text : frame_event::kind::binary;
      ev.data = message_;
      if (message_op_ == opcode::text && !valid_utf8(ev.data))
        return fail(ev, close_invalid_payload, "Text message is not UTF-8");
      return step::event;
    case opcode::ping:
    case opcode::pong:
      ev.type = op == 0x9 ? frame_event::kind::ping : frame_event::kind::pong;
      ev.data = std::string_view(payload, n);
      return step::event;
    case opcode::close:
      ev.type = frame_event::kind::close;
      ev.code = close_no_status;
      if (n == 1) return fail(ev, close_protocol_error, "Close frame with a one-byte payload");
      if (n >= 2) {
        ev.code = static_cast<std::uint16_t>((byte_at(payload, 0) << 8) | byte_at(payload, 1));
        if (!valid_close_code(ev.code)) return fail(ev, close_protocol_error, "Invalid close code");
        ev.data = std::string_view(payload + 2, n - 2);
        if (!valid_utf8(ev.data)) return fail(ev, close_invalid_payload, "Close reason is not UTF-8");
      }
      return step::event;
  }
  return fail(ev, close_protocol_error, "Unknown opcode");
}

}  // namespace sluice::transport::ws
