// WebSocket frames: reading client frames (chunking, fragments, control frames, errors), UTF-8, writing.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/transport/ws/frames.hpp"

namespace sluice::transport::ws {
namespace {

using kind = frame_event::kind;
using mask_key = std::array<std::uint8_t, 4>;

enum class length_form : std::uint8_t { shortest, bits7, bits16, bits64 };

// A client frame, before encoding. `declared` overrides the length written in the header.
struct client_frame {
  std::uint8_t op = 0x1;
  std::string payload{};
  bool fin = true;
  std::uint8_t rsv = 0;  // any of 0x40, 0x20, 0x10
  length_form form = length_form::shortest;
  std::optional<std::uint64_t> declared{};
  bool masked = true;
  mask_key key{0x37, 0xFA, 0x21, 0x3D};
};

// Appends the mask key, then the payload masked with it.
void append_masked(std::string& out, std::string_view payload, const mask_key& key) {
  for (std::uint8_t b : key) out.push_back(static_cast<char>(b));
  for (std::size_t i = 0; i < payload.size(); ++i)
    out.push_back(static_cast<char>(static_cast<std::uint8_t>(payload[i]) ^ key[i % 4]));
}

std::string encode(const client_frame& f) {
  const std::uint64_t n = f.declared.value_or(f.payload.size());
  length_form form = f.form;
  if (form == length_form::shortest)
    form = n < 126 ? length_form::bits7 : n <= 0xFFFF ? length_form::bits16 : length_form::bits64;
  const unsigned mask_bit = f.masked ? 0x80 : 0;
  std::string out(1, static_cast<char>((f.fin ? 0x80 : 0) | f.rsv | f.op));
  if (form == length_form::bits7) {
    out.push_back(static_cast<char>(mask_bit | n));
  } else if (form == length_form::bits16) {
    out.push_back(static_cast<char>(mask_bit | 126));
    for (int shift : {8, 0}) out.push_back(static_cast<char>((n >> shift) & 0xFF));
  } else {
    out.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xFF));
  }
  if (!f.masked) return out + f.payload;
  append_masked(out, f.payload, f.key);
  return out;
}

std::string frame(std::uint8_t op, std::string_view payload, bool fin = true) {
  return encode({.op = op, .payload = std::string(payload), .fin = fin});
}

std::string close_payload(std::uint16_t code, std::string_view reason = "") {
  std::string p{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
  return p.append(reason);
}

// Server frames (unmasked, as append_frame writes them) turned into the masked frames a client would send,
// each with the next of `keys`.
std::string to_client_frames(std::string_view server, const std::vector<mask_key>& keys) {
  std::string out;
  for (std::size_t pos = 0, i = 0; pos < server.size(); ++i) {
    std::size_t header = 2;
    std::uint64_t n = static_cast<std::uint8_t>(server[pos + 1]) & 0x7F;
    if (n >= 126) {
      header = n == 126 ? 4 : 10;
      n = 0;
      for (std::size_t k = 2; k < header; ++k) n = (n << 8) | static_cast<std::uint8_t>(server[pos + k]);
    }
    out.append(server.substr(pos, header));
    out[out.size() - header + 1] = static_cast<char>(out[out.size() - header + 1] | 0x80);  // the mask bit
    append_masked(out, server.substr(pos + header, n), keys[i % keys.size()]);
    pos += header + n;
  }
  return out;
}

// An event copied out of the handler (its views die with the call). `data` holds the error reason for errors.
struct event {
  kind type = kind::error;
  std::string data;
  std::uint16_t code = 0;
};
bool operator==(const event& a, const event& b) {
  return a.type == b.type && a.code == b.code && (a.type == kind::error || a.data == b.data);
}
void PrintTo(const event& e, std::ostream* os) {
  static constexpr const char* names[] = {"text", "binary", "ping", "pong", "close", "error"};
  *os << names[static_cast<int>(e.type)] << " code=" << e.code << " size=" << e.data.size() << " data='"
      << e.data.substr(0, 40) << (e.data.size() > 40 ? "...'" : "'");
}
using events = std::vector<event>;

const auto ev_text = [](std::string s) { return event{kind::text, std::move(s)}; };
const auto ev_binary = [](std::string s) { return event{kind::binary, std::move(s)}; };
const auto ev_ping = [](std::string s) { return event{kind::ping, std::move(s)}; };
const auto ev_pong = [](std::string s) { return event{kind::pong, std::move(s)}; };
const auto ev_close = [](std::uint16_t code, std::string reason = "") {
  return event{kind::close, std::move(reason), code};
};
const auto ev_error = [](std::uint16_t code) { return event{kind::error, "", code}; };

// Feeds `bytes` in pieces of the given sizes (the last size repeats), each piece in an exactly sized heap
// buffer of its own so that ASan sees reads past it.
events feed_pieces(frame_reader& r, std::string_view bytes, const std::vector<std::size_t>& sizes) {
  events out;
  std::size_t pos = 0;
  for (std::size_t i = 0; pos < bytes.size(); ++i) {
    const std::size_t n = std::min(sizes[std::min(i, sizes.size() - 1)], bytes.size() - pos);
    std::vector<char> piece(bytes.data() + pos, bytes.data() + pos + n);
    r.feed(piece.data(), piece.size(), [&](const frame_event& ev) {
      out.push_back({ev.type, std::string(ev.type == kind::error ? ev.reason : ev.data), ev.code});
      return true;
    });
    pos += n;
  }
  return out;
}
events feed_chunked(frame_reader& r, std::string_view bytes, std::size_t chunk) {
  return feed_pieces(r, bytes, {chunk});
}
events feed_all(frame_reader& r, std::string_view bytes) {
  return feed_chunked(r, bytes, bytes.size());
}

std::string ascii_payload(std::size_t n) {
  std::string s(n, ' ');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + i % 26);
  return s;
}

TEST(WsFrames, TextInOnePieceForEveryLengthForm) {
  for (std::size_t n : {0, 1, 7, 8, 9, 125, 126, 127, 65535, 65536, 200000}) {
    const std::string payload = ascii_payload(n);
    const std::string bytes = frame(0x1, payload);
    const std::size_t header = n < 126 ? 6 : n <= 0xFFFF ? 8 : 14;
    ASSERT_EQ(bytes.size(), header + n);
    frame_reader r(1 << 20);
    EXPECT_EQ(feed_all(r, bytes), events{ev_text(payload)}) << n;
    EXPECT_TRUE(r.idle());
    EXPECT_FALSE(r.failed());
  }
}

TEST(WsFrames, EveryChunkingGivesTheSameEvents) {
  const std::string big = ascii_payload(300);
  std::string bytes = frame(0x1, "hello") + frame(0x1, "frag1-", false) + frame(0x9, "p") +
                      frame(0x0, "frag2-", false) + frame(0xA, "") + frame(0x0, "end") + frame(0x2, big) +
                      frame(0x9, std::string("\xE9\x00\xFF", 3)) + frame(0x1, "") +
                      frame(0x8, close_payload(1000, "bye"));
  const events expected = {ev_text("hello"), ev_ping("p"),
                           ev_pong(""),      ev_text("frag1-frag2-end"),
                           ev_binary(big),   ev_ping(std::string("\xE9\x00\xFF", 3)),
                           ev_text(""),      ev_close(1000, "bye")};
  for (std::size_t chunk = 1; chunk <= 17; ++chunk) {
    frame_reader r(1000);
    EXPECT_EQ(feed_chunked(r, bytes, chunk), expected) << "chunk " << chunk;
    EXPECT_TRUE(r.idle());
  }
  std::mt19937 rng(20240611);
  std::uniform_int_distribution<std::size_t> size(1, 40);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::size_t> sizes(bytes.size());
    for (auto& s : sizes) s = size(rng);
    frame_reader r(1000);
    EXPECT_EQ(feed_pieces(r, bytes, sizes), expected) << "round " << round;
    EXPECT_TRUE(r.idle());
  }
}

TEST(WsFrames, FragmentedAndBinaryMessages) {
  frame_reader r(1000);
  EXPECT_EQ(feed_all(r, frame(0x1, "ab", false) + frame(0x0, "cd", false) + frame(0x0, "ef")),
            events{ev_text("abcdef")});
  EXPECT_EQ(feed_all(r, frame(0x1, "ab", false) + frame(0x9, "ping!") + frame(0x0, "cd")),
            (events{ev_ping("ping!"), ev_text("abcd")}));
  EXPECT_EQ(feed_all(r, frame(0x2, "\xFF\xFE", false) + frame(0x0, "", false) + frame(0x0, "\x80")),
            events{ev_binary("\xFF\xFE\x80")});
  EXPECT_EQ(feed_all(r, frame(0x1, "", false) + frame(0x0, "")), events{ev_text("")});
  // A character split between fragments: each half is invalid, the whole is not.
  EXPECT_EQ(feed_all(r, frame(0x1, "x\xE2\x82", false) + frame(0x0, "\xAC")),
            events{ev_text("x\xE2\x82\xAC")});
  EXPECT_EQ(feed_all(r, frame(0x1, "\xF0", false) + frame(0x0, "\x9F", false) + frame(0x0, "\x98\x80")),
            events{ev_text("\xF0\x9F\x98\x80")});
  // Exactly max_message in fragments is fine; a close between fragments is delivered too.
  EXPECT_EQ(
      feed_all(r, frame(0x1, ascii_payload(600), false) + frame(0x8, "") + frame(0x0, ascii_payload(400))),
      (events{ev_close(close_no_status), ev_text(ascii_payload(600) + ascii_payload(400))}));
  EXPECT_EQ(feed_all(r, frame(0x2, "\xC0\x80\xFF")), events{ev_binary("\xC0\x80\xFF")});  // not UTF-8-checked
  EXPECT_EQ(feed_all(r, frame(0x1, ascii_payload(1000))),
            events{ev_text(ascii_payload(1000))});  // at the limit
  EXPECT_FALSE(r.failed());
}

TEST(WsFrames, ErrorsStopTheReader) {
  struct row {
    const char* what;
    std::string bytes;
    std::uint16_t code;
  };
  const std::string after = frame(0x1, "after") + frame(0x9, "p");
  const std::vector<row> rows = {
      {"unmasked", encode({.payload = "hi", .masked = false}), 1002},
      {"rsv1", encode({.payload = "hi", .rsv = 0x40}), 1002},
      {"rsv2", encode({.payload = "hi", .rsv = 0x20}), 1002},
      {"rsv3", encode({.op = 0x9, .rsv = 0x10}), 1002},
      {"data opcode 3", frame(0x3, "hi"), 1002},
      {"data opcode 7", frame(0x7, ""), 1002},
      {"control opcode B", frame(0xB, "hi"), 1002},
      {"control opcode F", frame(0xF, ""), 1002},
      {"continuation without a message", frame(0x0, "hi"), 1002},
      {"text while fragmented", frame(0x1, "a", false) + frame(0x1, "b"), 1002},
      {"binary while fragmented", frame(0x2, "a", false) + frame(0x2, "b"), 1002},
      {"fragmented ping", frame(0x9, "p", false), 1002},
      {"fragmented close", frame(0x8, "", false), 1002},
      {"ping of 126 bytes", frame(0x9, ascii_payload(126)), 1002},
      {"close of 126 bytes", frame(0x8, close_payload(1000, ascii_payload(124))), 1002},
      {"5 in 16 bits", encode({.payload = "hello", .form = length_form::bits16}), 1002},
      {"125 in 16 bits", encode({.payload = ascii_payload(125), .form = length_form::bits16}), 1002},
      {"5 in 64 bits", encode({.payload = "hello", .form = length_form::bits64}), 1002},
      {"65535 in 64 bits", encode({.payload = ascii_payload(65535), .form = length_form::bits64}), 1002},
      {"64-bit top bit", encode({.declared = 0x8000000000000000ULL}), 1002},
      {"64-bit all ones", encode({.op = 0x2, .declared = ~0ULL}), 1002},
      {"too big", frame(0x1, ascii_payload(1001)), 1009},
      {"too big binary", frame(0x2, ascii_payload(70000)), 1009},
      {"fragments too big", frame(0x1, ascii_payload(600), false) + frame(0x0, ascii_payload(401)), 1009},
      {"bad utf-8", frame(0x1, "ok\xC3\x28"), 1007},
      {"overlong utf-8", frame(0x1, "\xC0\xAF"), 1007},
      {"utf-8 cut short before the next frame", frame(0x1, "ok\xC3"), 1007},  // 0x81 follows
      {"bad utf-8 in fragments", frame(0x1, "ok", false) + frame(0x0, "\xFF") + frame(0x0, "x"), 1007},
      {"truncated utf-8 at the end of fragments", frame(0x1, "\xE2\x82", false) + frame(0x0, "x"), 1007},
      {"close of 1 byte", frame(0x8, "\x03"), 1002},
      {"close reason not utf-8", frame(0x8, close_payload(1000, "b\xFFye")), 1007},
  };
  auto check = [&](const std::string& what, const std::string& bytes, std::uint16_t code) {
    for (std::size_t chunk : {bytes.size() + after.size(), std::size_t{1}, std::size_t{3}}) {
      frame_reader r(1000);
      const events got = feed_chunked(r, bytes + after, chunk);
      ASSERT_EQ(got, events{ev_error(code)}) << what << ", chunk " << chunk;
      EXPECT_FALSE(got[0].data.empty()) << what;  // a reason to close with
      EXPECT_TRUE(r.failed()) << what;
      EXPECT_TRUE(feed_all(r, after).empty()) << what;
    }
  };
  for (const auto& row : rows) check(row.what, row.bytes, row.code);
  for (std::uint16_t code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
    check("close code " + std::to_string(code), frame(0x8, close_payload(code)), 1002);
  frame_reader r(1000);  // what came before the error is delivered
  const std::string bytes = frame(0x1, "one") + frame(0x9, "p") + encode({.payload = "x", .masked = false});
  EXPECT_EQ(feed_all(r, bytes + frame(0x1, "two")), (events{ev_text("one"), ev_ping("p"), ev_error(1002)}));
}

TEST(WsFrames, TooBigIsReportedFromTheHeaderAlone) {
  // 7-, 16- and 64-bit lengths: the 2, 4 or 10 header bytes are enough, before the mask key and payload.
  for (std::uint64_t n : {101ULL, 1001ULL, 70000ULL, 1ULL << 40}) {
    frame_reader r(100);
    const std::string bytes = encode({.op = 0x2, .declared = n});
    const std::size_t length_bytes = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    EXPECT_TRUE(feed_all(r, bytes.substr(0, length_bytes - 1)).empty()) << n;
    EXPECT_EQ(feed_all(r, bytes.substr(length_bytes - 1, 1)), events{ev_error(1009)}) << n;
    EXPECT_TRUE(r.failed());
  }
  frame_reader r(1000);  // the continuation's header is enough too
  EXPECT_TRUE(feed_all(r, frame(0x1, ascii_payload(900), false)).empty());
  EXPECT_EQ(feed_all(r, encode({.op = 0x0, .declared = 101}).substr(0, 2)), events{ev_error(1009)});
}

TEST(WsFrames, ControlFrames) {
  frame_reader r(1000);
  EXPECT_EQ(feed_all(r, frame(0x8, "")), events{ev_close(1005)});
  EXPECT_EQ(feed_all(r, frame(0x8, close_payload(1000, "bye"))), events{ev_close(1000, "bye")});
  EXPECT_EQ(feed_all(r, frame(0x8, close_payload(1000))), events{ev_close(1000)});
  EXPECT_EQ(feed_all(r, frame(0x8, close_payload(4001, "caf\xC3\xA9"))),
            events{ev_close(4001, "caf\xC3\xA9")});
  for (std::uint16_t code : {1001, 1002, 1003, 1007, 1011, 1014, 3000, 4999})
    EXPECT_EQ(feed_all(r, frame(0x8, close_payload(code, "x"))), events{ev_close(code, "x")}) << code;
  EXPECT_EQ(feed_all(r, frame(0x8, close_payload(1000, ascii_payload(123)))),
            events{ev_close(1000, ascii_payload(123))});
  EXPECT_FALSE(r.failed());
  frame_reader small(10);  // control frames are not bound by max_message
  EXPECT_EQ(feed_all(small,
                     frame(0x9, "") + frame(0x9, "abc") + frame(0xA, "xyz") + frame(0xA, ascii_payload(125))),
            (events{ev_ping(""), ev_ping("abc"), ev_pong("xyz"), ev_pong(ascii_payload(125))}));
}

TEST(WsFrames, Utf8) {
  auto accepts = [](std::initializer_list<std::string_view> list) {
    for (std::string_view s : list) EXPECT_TRUE(valid_utf8(s)) << ::testing::PrintToString(s);
  };
  auto rejects = [](std::initializer_list<std::string_view> list) {
    for (std::string_view s : list) EXPECT_FALSE(valid_utf8(s)) << ::testing::PrintToString(s);
  };
  accepts({"", "hello", std::string_view("a\0b", 3), "\x7F", "\xC2\x80", "\xC3\xA9", "\xDF\xBF",
           "\xE0\xA0\x80", "\xE2\x82\xAC", "\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80",
           "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF", "abcdefghi\xE2\x82\xAC-abcdefghi\xC3\xA9",
           "\xC3\xA9xxxxxxxxxxxxxxx"});
  rejects({"\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xE0\x9F\xBF", "\xF0\x80\x80\x80",
           "\xF0\x8F\xBF\xBF"});              // overlong
  rejects({"\xED\xA0\x80", "\xED\xBF\xBF"});  // surrogates
  rejects(
      {"\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xF7\xBF\xBF\xBF", "\xF8", "\xFB", "\xFC", "\xFE", "\xFF"});
  rejects({"\xC3", "a\xE2\x82", "\xE2", "\xF0\x9F\x98", "abcdefgh\xF0\x9F"});  // truncated at the end
  // Cut short inside a longer buffer: the bytes past the view's end must not be read.
  const std::string_view whole = "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  rejects(
      {whole.substr(0, 1), whole.substr(0, 3), whole.substr(0, 4), whole.substr(0, 6), whole.substr(0, 8)});
  rejects(
      {"\x80", "a\xBF!", "\xC3\xA9\xA9", "\xE2\x82\x28", "\xF0\x9F\x28\x80", "\xF0\x9F\x98\x28"});  // strays
  for (char bad : {'\x80', '\xC3', '\xFF'}) {  // around the eight-byte ASCII steps
    for (std::size_t pos = 0; pos <= 20; ++pos) {
      std::string s(24, 'x');
      s[pos] = bad;
      EXPECT_FALSE(valid_utf8(s)) << pos << " " << int(static_cast<unsigned char>(bad));
      EXPECT_TRUE(valid_utf8(s.replace(pos, 1, "\xE2\x82\xAC"))) << pos;
    }
  }
}

TEST(WsFrames, CloseCodes) {
  for (std::uint16_t code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1014, 3000, 4000, 4999})
    EXPECT_TRUE(valid_close_code(code)) << code;
  for (std::uint16_t code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
    EXPECT_FALSE(valid_close_code(code)) << code;
}

std::vector<unsigned> bytes_of(std::string_view s) {
  std::vector<unsigned> out;
  for (char c : s) out.push_back(static_cast<unsigned char>(c));
  return out;
}

TEST(WsFrames, WriterHeaders) {
  struct row {
    std::size_t size;
    std::vector<unsigned> header;
  };
  const std::vector<row> rows = {{0, {0x81, 0x00}},
                                 {125, {0x81, 0x7D}},
                                 {126, {0x81, 0x7E, 0x00, 0x7E}},
                                 {65535, {0x81, 0x7E, 0xFF, 0xFF}},
                                 {65536, {0x81, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00}}};
  for (const auto& r : rows) {
    const std::string payload = ascii_payload(r.size);
    std::string out = "prefix";
    append_frame(out, opcode::text, payload);
    ASSERT_EQ(out.size(), 6 + r.header.size() + r.size) << r.size;
    EXPECT_EQ(bytes_of(out.substr(6, r.header.size())), r.header) << r.size;
    EXPECT_TRUE(out.ends_with(payload));
    std::string header;
    append_frame_header(header, opcode::text, r.size);
    EXPECT_EQ(bytes_of(header), r.header) << r.size;
  }
  std::string out;
  append_frame(out, opcode::pong, "abc");
  append_frame_header(out, opcode::binary, 300);
  append_frame_header(out, opcode::ping, 0);
  append_frame_header(out, opcode::close, 2);
  append_frame_header(out, opcode::continuation, 1);
  EXPECT_EQ(bytes_of(out), (std::vector<unsigned>{0x8A, 3, 'a', 'b', 'c', 0x82, 0x7E, 0x01, 0x2C, 0x89, 0x00,
                                                  0x88, 0x02, 0x80, 0x01}));
}

TEST(WsFrames, WriterCloseFrameCutsTheReason) {
  struct row {
    std::string unit;  // repeated past 200 bytes
    std::size_t kept;  // reason bytes kept: the most that fit 123 at a character boundary
  };
  for (const auto& r : std::vector<row>{{"\xC3\xA9", 122},
                                        {"\xE2\x82\xAC", 123},
                                        {"\xF0\x9F\x98\x80", 120},
                                        {"a\xF0\x9F\x98\x80", 121},
                                        {"ab", 123}}) {
    std::string reason;
    while (reason.size() < 200) reason += r.unit;
    std::string out;
    append_close_frame(out, 1000, reason);
    ASSERT_GE(out.size(), 4u);
    EXPECT_EQ(bytes_of(out.substr(0, 4)),
              (std::vector<unsigned>{0x88, 2 + static_cast<unsigned>(r.kept), 0x03, 0xE8}));
    EXPECT_LE(out.size() - 2, 125u);
    const std::string kept = out.substr(4);
    EXPECT_EQ(kept.size(), r.kept);
    EXPECT_TRUE(reason.starts_with(kept));
    EXPECT_TRUE(valid_utf8(kept));
  }
  std::string out;
  append_close_frame(out, 4409, "dup");
  append_close_frame(out, 1000, "");
  EXPECT_EQ(bytes_of(out), (std::vector<unsigned>{0x88, 5, 0x11, 0x39, 'd', 'u', 'p', 0x88, 2, 0x03, 0xE8}));
}

TEST(WsFrames, RoundTripThroughTheReader) {
  std::string server;
  for (std::size_t n : {0, 125, 126, 65535, 65536}) append_frame(server, opcode::text, ascii_payload(n));
  append_frame(server, opcode::binary, std::string("\x00\xFF", 2));
  append_frame(server, opcode::ping, "hi");
  append_close_frame(server, 1000, std::string(200, 'z'));
  const std::string client = to_client_frames(server, {{0, 0, 0, 0}, {0xFF, 0xFF, 0xFF, 0xFF}, {1, 2, 3, 4}});
  events expected;
  for (std::size_t n : {0, 125, 126, 65535, 65536}) expected.push_back(ev_text(ascii_payload(n)));
  expected.insert(expected.end(), {ev_binary(std::string("\x00\xFF", 2)), ev_ping("hi"),
                                   ev_close(1000, std::string(123, 'z'))});
  frame_reader r(1 << 17);
  EXPECT_EQ(feed_chunked(r, client, 1000), expected);
}

TEST(WsFrames, IdleOnlyBetweenWholeMessages) {
  frame_reader r(1000);
  EXPECT_TRUE(r.idle());
  const std::string bytes = frame(0x1, ascii_payload(300));
  for (std::size_t cut : {1, 2, 4, 7, 8, 100}) {
    EXPECT_TRUE(feed_all(r, bytes.substr(0, cut)).empty());
    EXPECT_FALSE(r.idle()) << cut;
    EXPECT_EQ(feed_all(r, bytes.substr(cut)), events{ev_text(ascii_payload(300))});
    EXPECT_TRUE(r.idle()) << cut;
  }
  feed_all(r, frame(0x1, "a", false));
  EXPECT_FALSE(r.idle());
  feed_all(r, frame(0x0, "", false));
  EXPECT_FALSE(r.idle());
  EXPECT_EQ(feed_all(r, frame(0x9, "p")), events{ev_ping("p")});
  EXPECT_FALSE(r.idle());
  EXPECT_EQ(feed_all(r, frame(0x0, "b")), events{ev_text("ab")});
  EXPECT_TRUE(r.idle());
  feed_all(r, frame(0x1, "", false));  // an empty first fragment still opens a message
  EXPECT_FALSE(r.idle());
  EXPECT_EQ(feed_all(r, frame(0x0, "")), events{ev_text("")});
  EXPECT_TRUE(r.idle());
}

}  // namespace
}  // namespace sluice::transport::ws
