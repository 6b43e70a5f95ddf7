// JSON reading (through Boost.JSON) and writing (our own writer, JavaScript number formatting).
#include "sluice/core/json.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace sluice::json {
namespace {

value from_boost(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null: return value();
    case boost::json::kind::bool_: return value(v.get_bool());
    case boost::json::kind::int64: return value(static_cast<long long>(v.get_int64()));
    case boost::json::kind::uint64: {
      auto u = v.get_uint64();
      if (u <= static_cast<std::uint64_t>(INT64_MAX)) return value(static_cast<long long>(u));
      return value(static_cast<double>(u));
    }
    case boost::json::kind::double_: return value(v.get_double());
    case boost::json::kind::string: return value(std::string(v.get_string()));
    case boost::json::kind::array: {
      sluice::list out;
      out.reserve(v.get_array().size());
      for (const auto& item : v.get_array()) out.push_back(from_boost(item));
      return value(std::move(out));
    }
    case boost::json::kind::object: {
      sluice::object out;
      out.reserve(v.get_object().size());
      for (const auto& kv : v.get_object()) out.push_back(member{std::string(kv.key()), from_boost(kv.value())});
      return value(std::move(out));
    }
  }
  return value();
}

}  // namespace

std::optional<value> parse(std::string_view text, std::string* error, const parse_options& options) {
  boost::json::parse_options opts;
  opts.max_depth = options.max_depth;
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(boost::json::string_view(text.data(), text.size()), ec, {}, opts);
  if (ec) {
    if (error) *error = ec.message();
    return std::nullopt;
  }
  return from_boost(parsed);
}

namespace {

// Whether any of the 8 bytes in `w` is a control character, '"' or '\\' (bit tricks on a 64-bit word).
inline bool needs_escape(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t highs = 0x8080808080808080ULL;
  auto has_zero = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
  const std::uint64_t below_space = (w - ones * 0x20) & ~w & highs;
  return (below_space | has_zero(w ^ (ones * '"')) | has_zero(w ^ (ones * '\\'))) != 0;
}

}  // namespace

// The first character at or after `p` that JSON needs escaped (a control character, '"' or '\\'), or `end`.
static const char* next_to_escape(const char* p, const char* const end) {
  while (p < end) {
    if (end - p >= 8) {  // 8 clean bytes at a time
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      if (!needs_escape(w)) {
        p += 8;
        continue;
      }
    }
    auto c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c == '"' || c == '\\') return p;
    ++p;
  }
  return end;
}

void write_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  const char* p = s.data();
  const char* const end = p + s.size();
  for (;;) {
    const char* special = next_to_escape(p, end);
    out.append(p, special);
    if (special == end) break;
    auto c = static_cast<unsigned char>(*special);
    p = special + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
    }
  }
  out.push_back('"');
}

std::size_t measure_string(std::string_view s) {
  std::size_t n = s.size() + 2;
  const char* const end = s.data() + s.size();
  for (const char* p = next_to_escape(s.data(), end); p != end; p = next_to_escape(p + 1, end)) {
    auto c = static_cast<unsigned char>(*p);
    n += (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') ? 1 : 5;
  }
  return n;
}

std::size_t measure(const value& v) {
  switch (v.type()) {
    case value::kind::null:
    case value::kind::opaque: return 4;
    case value::kind::boolean: return v.as_bool() ? 4 : 5;
    case value::kind::string: return measure_string(v.as_string());
    case value::kind::integer:
    case value::kind::floating: {
      std::string tmp;
      write(tmp, v);
      return tmp.size();
    }
    case value::kind::list: {
      std::size_t n = 2 + (v.as_list().empty() ? 0 : v.as_list().size() - 1);
      for (const auto& item : v.as_list()) n += measure(item);
      return n;
    }
    case value::kind::object: {
      std::size_t n = 2 + (v.as_object().empty() ? 0 : v.as_object().size() - 1);
      for (const auto& m : v.as_object()) n += measure_string(m.name) + 1 + measure(m.val);
      return n;
    }
  }
  return 0;
}

void write_int(std::string& out, std::int64_t i) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, i);
  out.append(buf, r.ptr);
}

// ECMAScript Number::toString (radix 10), from the shortest round-trip digits.
void write_double(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";  // as JSON.stringify does
    return;
  }
  if (d == 0) {
    out.push_back('0');
    return;
  }
  if (d < 0) {
    out.push_back('-');
    d = -d;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  // buf is "D[.DDD]e±XX"
  char digits[24];
  int k = 0;
  const char* p = buf;
  for (; p < r.ptr && *p != 'e'; ++p)
    if (*p != '.') digits[k++] = *p;
  int exp = 0;  // p points at 'e'; the exponent runs to r.ptr (to_chars writes no terminator)
  const char* e = p + 1;
  if (e < r.ptr && *e == '+') ++e;
  std::from_chars(e, r.ptr, exp);
  int n = exp + 1;
  if (k <= n && n <= 21) {
    out.append(digits, static_cast<std::size_t>(k));
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, static_cast<std::size_t>(n));
    out.push_back('.');
    out.append(digits + n, static_cast<std::size_t>(k - n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out.append(digits, static_cast<std::size_t>(k));
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out.append(digits + 1, static_cast<std::size_t>(k - 1));
    }
    out.push_back('e');
    out.push_back(n - 1 < 0 ? '-' : '+');
    write_int(out, std::abs(n - 1));
  }
}

void write(std::string& out, const value& v) {
  switch (v.type()) {
    case value::kind::null:
    case value::kind::opaque: out += "null"; break;
    case value::kind::boolean: out += v.as_bool() ? "true" : "false"; break;
    case value::kind::integer: write_int(out, v.as_int()); break;
    case value::kind::floating: write_double(out, v.as_float()); break;
    case value::kind::string: write_string(out, v.as_string()); break;
    case value::kind::list: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.as_list()) {
        if (!first) out.push_back(',');
        first = false;
        write(out, item);
      }
      out.push_back(']');
      break;
    }
    case value::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& m : v.as_object()) {
        if (!first) out.push_back(',');
        first = false;
        write_string(out, m.name);
        out.push_back(':');
        write(out, m.val);
      }
      out.push_back('}');
      break;
    }
  }
}

std::string to_string(const value& v) {
  std::string out;
  write(out, v);
  return out;
}

}  // namespace sluice::json
