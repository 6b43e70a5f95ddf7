// Scanning server messages without parsing them: the string value of a named field, a decimal number, an
// FNV-1a hash. The hot receive path looks at each message this way; it never builds a JSON tree.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sluice::bench::load {

// The raw (still escaped) value of the first string-valued field `key` in json, wherever it is nested, with
// any whitespace around the colon; nullopt when there is none. Good for the short protocol messages of
// graphql-transport-ws, whose keys ("type", "id", "text") do not occur elsewhere in them.
[[nodiscard]] inline std::optional<std::string_view> find_string_field(std::string_view json,
                                                                       std::string_view key) {
  std::size_t from = 0;
  for (int guard = 0; guard < 64; ++guard) {
    const std::size_t q = json.find(key, from);
    if (q == std::string_view::npos) return std::nullopt;
    from = q + key.size();
    if (q == 0 || json[q - 1] != '"' || from >= json.size() || json[from] != '"') continue;
    std::size_t i = from + 1;
    while (i < json.size() && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) ++i;
    if (i >= json.size() || json[i] != ':') continue;
    ++i;
    while (i < json.size() && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) ++i;
    if (i >= json.size() || json[i] != '"') continue;
    const std::size_t start = ++i;
    while (i < json.size() && json[i] != '"') i += json[i] == '\\' ? 2 : 1;
    if (i >= json.size()) return std::nullopt;
    return json.substr(start, i - start);
  }
  return std::nullopt;
}

// A non-negative decimal integer that is the whole of s.
[[nodiscard]] inline std::optional<std::int64_t> parse_decimal(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

// 64-bit FNV-1a, as bench/run.sh compares engine responses.
[[nodiscard]] inline std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace sluice::bench::load
