// libFuzzer target: the WebSocket frame reader fed arbitrary bytes, whole and in chunks the input chooses. It must
// never crash, give the same events however the bytes are split, give nothing after an error, and only ever hand
// over UTF-8 text, messages within the limit and control payloads of at most 125 bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sluice/transport/ws/frames.hpp"
#include "fuzz_check.hpp"

namespace ws = sluice::transport::ws;

namespace {

constexpr std::size_t max_message = 4096;

struct seen {
  ws::frame_event::kind type;
  std::string data;
  std::uint16_t code;
  bool operator==(const seen&) const = default;
};

// Feeds `bytes` in pieces of the given sizes (cycled; the rest at once when none), collecting the events.
std::vector<seen> read_all(const std::string& bytes, const std::vector<std::size_t>& sizes) {
  ws::frame_reader reader(max_message);
  std::vector<seen> events;
  bool failed = false;
  auto on = [&](const ws::frame_event& ev) {
    CHECK(!failed);  // nothing after an error
    using kind = ws::frame_event::kind;
    if (ev.type == kind::error) {
      failed = true;
      CHECK(ev.code == ws::close_protocol_error || ev.code == ws::close_invalid_payload ||
            ev.code == ws::close_too_big);
    }
    if (ev.type == kind::text) CHECK(ws::valid_utf8(ev.data));
    if (ev.type == kind::text || ev.type == kind::binary) CHECK(ev.data.size() <= max_message);
    if (ev.type == kind::ping || ev.type == kind::pong) CHECK(ev.data.size() <= 125);
    if (ev.type == kind::close) CHECK(ev.data.size() <= 123 && ws::valid_utf8(ev.data));
    events.push_back(seen{ev.type, std::string(ev.type == kind::error ? std::string_view{} : ev.data), ev.code});
    return true;
  };
  std::size_t pos = 0;
  for (std::size_t i = 0; pos < bytes.size(); ++i) {
    const std::size_t want = sizes.empty() ? bytes.size() : sizes[i % sizes.size()];
    const std::size_t n = std::min(want, bytes.size() - pos);
    std::string piece = bytes.substr(pos, n);  // its own buffer: the reader unmasks in place
    reader.feed(piece.data(), piece.size(), on);
    pos += n;
  }
  CHECK(reader.failed() == failed);
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  // The first four bytes choose the chunk sizes (1..64 each); the rest is the stream.
  std::vector<std::size_t> sizes;
  for (std::size_t i = 0; i < 4; ++i) sizes.push_back(1 + data[i] % 64);
  const std::string bytes(reinterpret_cast<const char*>(data + 4), size - 4);
  const auto whole = read_all(bytes, {});
  CHECK(read_all(bytes, sizes) == whole);
  CHECK(read_all(bytes, {1}) == whole);
  return 0;
}
