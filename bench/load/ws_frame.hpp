// WebSocket framing (RFC 6455 section 5) shared by the load generator and the raw broadcaster: frame headers,
// masking and encoding, with no I/O. Both sides read into large buffers and cut frames out of them here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace sluice::bench::ws {

enum opcode : std::uint8_t {
  op_continuation = 0x0,
  op_text = 0x1,
  op_binary = 0x2,
  op_close = 0x8,
  op_ping = 0x9,
  op_pong = 0xA,
};

struct frame_header {
  bool fin = false;
  std::uint8_t op = 0;
  bool masked = false;
  std::uint8_t mask[4] = {0, 0, 0, 0};
  std::size_t header_size = 0;
  std::uint64_t payload_size = 0;
};

enum class parse_status { ok, need_more, bad };

// Reads a frame header from the n bytes at p. ok: h is filled (the payload may still be incomplete: compare
// h.header_size + h.payload_size with n). need_more: the header itself is not complete. bad: reserved bits
// set, an unknown opcode, a fragmented or oversized control frame, or a 64-bit length with its top bit set.
[[nodiscard]] inline parse_status parse_header(const unsigned char* p, std::size_t n, frame_header& h) {
  if (n < 2) return parse_status::need_more;
  const std::uint8_t b0 = p[0];
  const std::uint8_t b1 = p[1];
  if ((b0 & 0x70) != 0) return parse_status::bad;  // RSV1-3: no extension is negotiated
  h.fin = (b0 & 0x80) != 0;
  h.op = b0 & 0x0F;
  h.masked = (b1 & 0x80) != 0;
  const bool control = (h.op & 0x8) != 0;
  if (h.op > op_binary && !control) return parse_status::bad;
  if (h.op > op_pong) return parse_status::bad;
  std::uint64_t len = b1 & 0x7F;
  std::size_t pos = 2;
  if (len == 126) {
    if (n < 4) return parse_status::need_more;
    len = (std::uint64_t{p[2]} << 8) | p[3];
    pos = 4;
  } else if (len == 127) {
    if (n < 10) return parse_status::need_more;
    len = 0;
    for (int i = 0; i < 8; ++i) len = (len << 8) | p[2 + i];
    if ((len >> 63) != 0) return parse_status::bad;
    pos = 10;
  }
  if (control && (!h.fin || len > 125)) return parse_status::bad;
  if (h.masked) {
    if (n < pos + 4) return parse_status::need_more;
    std::memcpy(h.mask, p + pos, 4);
    pos += 4;
  }
  h.header_size = pos;
  h.payload_size = len;
  return parse_status::ok;
}

// XORs n bytes at p with the mask key, in place.
inline void unmask(char* p, std::size_t n, const std::uint8_t (&key)[4]) {
  const std::uint8_t repeated[8] = {key[0], key[1], key[2], key[3], key[0], key[1], key[2], key[3]};
  std::uint64_t wide;
  std::memcpy(&wide, repeated, 8);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t v;
    std::memcpy(&v, p + i, 8);
    v ^= wide;
    std::memcpy(p + i, &v, 8);
  }
  for (; i < n; ++i) p[i] = static_cast<char>(p[i] ^ key[i % 4]);
}

// Appends one complete frame (FIN set) to out. Client frames must be masked (RFC 6455 section 5.3): pass
// masked = true and a key; server frames are not.
inline void append_frame(std::string& out, std::uint8_t op, std::string_view payload, bool masked = false,
                         std::uint32_t key = 0) {
  unsigned char header[14];
  std::size_t pos = 0;
  header[pos++] = static_cast<unsigned char>(0x80 | op);
  const std::uint8_t mask_bit = masked ? 0x80 : 0x00;
  const std::size_t n = payload.size();
  if (n < 126) {
    header[pos++] = static_cast<unsigned char>(mask_bit | n);
  } else if (n <= 0xFFFF) {
    header[pos++] = static_cast<unsigned char>(mask_bit | 126);
    header[pos++] = static_cast<unsigned char>(n >> 8);
    header[pos++] = static_cast<unsigned char>(n & 0xFF);
  } else {
    header[pos++] = static_cast<unsigned char>(mask_bit | 127);
    for (int i = 7; i >= 0; --i)
      header[pos++] = static_cast<unsigned char>((std::uint64_t{n} >> (8 * i)) & 0xFF);
  }
  std::uint8_t k[4] = {0, 0, 0, 0};
  if (masked) {
    k[0] = static_cast<std::uint8_t>(key >> 24);
    k[1] = static_cast<std::uint8_t>(key >> 16);
    k[2] = static_cast<std::uint8_t>(key >> 8);
    k[3] = static_cast<std::uint8_t>(key);
    std::memcpy(header + pos, k, 4);
    pos += 4;
  }
  const std::size_t start = out.size();
  out.append(reinterpret_cast<const char*>(header), pos);
  out.append(payload.data(), payload.size());
  if (masked) unmask(out.data() + start + pos, n, k);
}

// The header of an unmasked frame of n payload bytes, written to dst (at least 10 bytes); returns its size.
// Lets the raw broadcaster write a frame whose payload is assembled from several pieces.
[[nodiscard]] inline std::size_t server_header(char* dst, std::uint8_t op, std::size_t n) {
  std::size_t pos = 0;
  dst[pos++] = static_cast<char>(0x80 | op);
  if (n < 126) {
    dst[pos++] = static_cast<char>(n);
  } else if (n <= 0xFFFF) {
    dst[pos++] = static_cast<char>(126);
    dst[pos++] = static_cast<char>(n >> 8);
    dst[pos++] = static_cast<char>(n & 0xFF);
  } else {
    dst[pos++] = static_cast<char>(127);
    for (int i = 7; i >= 0; --i) dst[pos++] = static_cast<char>((std::uint64_t{n} >> (8 * i)) & 0xFF);
  }
  return pos;
}

}  // namespace sluice::bench::ws
