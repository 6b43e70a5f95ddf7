// inspect() and the JavaScript number and property-order semantics that graphql-js messages rely on.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

#include "schema/js_semantics.hpp"
#include "sluice/core/json.hpp"
#include "sluice/schema/coercion.hpp"

namespace sluice::schema {
namespace detail {
namespace {

// Length of the JavaScript white space or line terminator at the start of `s`, 0 if there is none.
std::size_t js_space_length(std::string_view s) {
  if (s.empty()) return 0;
  switch (s[0]) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
      return 1;
    default:
      break;
  }
  static constexpr std::string_view multibyte[] = {
      "\xC2\xA0",     "\xEF\xBB\xBF", "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81",
      "\xE2\x80\x82", "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86",
      "\xE2\x80\x87", "\xE2\x80\x88", "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\xA8",
      "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80"};
  for (std::string_view w : multibyte)
    if (s.starts_with(w)) return w.size();
  return 0;
}

std::string_view js_trim(std::string_view s) {
  while (std::size_t n = js_space_length(s)) s.remove_prefix(n);
  for (;;) {
    bool trimmed = false;
    for (std::size_t n = 1; n <= 3 && n <= s.size(); ++n) {
      std::size_t len = js_space_length(s.substr(s.size() - n));
      if (len == n) {
        s.remove_suffix(n);
        trimmed = true;
        break;
      }
    }
    if (!trimmed) return s;
  }
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::optional<double> parse_radix(std::string_view digits, int radix) {
  if (digits.empty()) return std::nullopt;
  double result = 0;
  for (char c : digits) {
    int d = is_digit(c)              ? c - '0'
            : (c >= 'a' && c <= 'z') ? c - 'a' + 10
            : (c >= 'A' && c <= 'Z') ? c - 'A' + 10
                                     : 99;
    if (d >= radix) return std::nullopt;
    result = result * radix + d;
  }
  return result;
}

// StrDecimalLiteral without the sign: digits [. digits] [exponent] | . digits [exponent].
bool is_unsigned_decimal(std::string_view s) {
  std::size_t i = 0;
  std::size_t int_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++int_digits;
  std::size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

// A canonical array index: "0", or digits without a leading zero below 2^32 - 1.
std::optional<std::uint64_t> array_index(std::string_view key) {
  if (key.empty() || key.size() > 10 || !std::all_of(key.begin(), key.end(), is_digit)) return std::nullopt;
  if (key.size() > 1 && key[0] == '0') return std::nullopt;
  std::uint64_t n = 0;
  std::from_chars(key.data(), key.data() + key.size(), n);
  if (n >= 4294967295ull) return std::nullopt;
  return n;
}

}  // namespace

std::optional<double> js_string_to_number(std::string_view s) {
  s = js_trim(s);
  if (s.empty()) return 0.0;
  if (s.size() > 2 && s[0] == '0') {
    char p = s[1];
    if (p == 'x' || p == 'X') return parse_radix(s.substr(2), 16);
    if (p == 'o' || p == 'O') return parse_radix(s.substr(2), 8);
    if (p == 'b' || p == 'B') return parse_radix(s.substr(2), 2);
  }
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "Infinity")
    return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  if (!is_unsigned_decimal(s)) return std::nullopt;
  std::string text(s);
  if (text[0] == '.') text.insert(text.begin(), '0');
  double d = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), d);
  if (r.ec == std::errc::result_out_of_range) {
    // Overflow to infinity, underflow to zero, as JavaScript does.
    auto e = text.find_first_of("eE");
    bool tiny = e != std::string::npos && e + 1 < text.size() && text[e + 1] == '-';
    d = tiny ? 0.0 : std::numeric_limits<double>::infinity();
  }
  return negative ? -d : d;
}

std::string js_number_text(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  std::string out;
  json::write_double(out, d);
  return out;
}

bool js_is_integer(const sluice::value& v) {
  if (v.is_int()) return true;
  if (!v.is_float()) return false;
  double d = v.as_float();
  return std::isfinite(d) && std::trunc(d) == d;
}

std::vector<std::size_t> js_key_order(const sluice::object& members) {
  std::vector<std::size_t> order(members.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    auto ia = array_index(members[a].name);
    auto ib = array_index(members[b].name);
    if (ia && ib) return *ia < *ib;
    return ia.has_value() && !ib.has_value();
  });
  return order;
}

}  // namespace detail

namespace {

constexpr std::size_t max_array_length = 10;
constexpr std::size_t max_recursive_depth = 2;

void format_value(std::string& out, const sluice::value& v, std::size_t depth);

void format_list(std::string& out, const sluice::list& items, std::size_t depth) {
  if (items.empty()) {
    out += "[]";
    return;
  }
  if (depth > max_recursive_depth) {
    out += "[Array]";
    return;
  }
  out.push_back('[');
  std::size_t shown = std::min(max_array_length, items.size());
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out += ", ";
    format_value(out, items[i], depth);
  }
  std::size_t remaining = items.size() - shown;
  if (remaining == 1) out += ", ... 1 more item";
  if (remaining > 1) out += ", ... " + std::to_string(remaining) + " more items";
  out.push_back(']');
}

void format_object(std::string& out, const sluice::object& members, std::size_t depth) {
  if (members.empty()) {
    out += "{}";
    return;
  }
  if (depth > max_recursive_depth) {
    out += "[Object]";
    return;
  }
  out += "{ ";
  bool first = true;
  for (std::size_t i : detail::js_key_order(members)) {
    if (!first) out += ", ";
    first = false;
    out += members[i].name;
    out += ": ";
    format_value(out, members[i].val, depth);
  }
  out += " }";
}

// graphql-js formatValue; `depth` counts the enclosing lists and objects (its seenValues).
void format_value(std::string& out, const sluice::value& v, std::size_t depth) {
  switch (v.type()) {
    case sluice::value::kind::null:
      out += "null";
      break;
    case sluice::value::kind::boolean:
      out += v.as_bool() ? "true" : "false";
      break;
    case sluice::value::kind::integer:
      json::write_int(out, v.as_int());
      break;
    case sluice::value::kind::floating:
      out += detail::js_number_text(v.as_float());
      break;
    case sluice::value::kind::string:
      json::write_string(out, v.as_string());
      break;
    case sluice::value::kind::list:
      format_list(out, v.as_list(), depth + 1);
      break;
    case sluice::value::kind::object:
      format_object(out, v.as_object(), depth + 1);
      break;
    default:
      out += "{}";
      break;  // an opaque C++ object
  }
}

}  // namespace

std::string inspect(const sluice::value& v) {
  std::string out;
  format_value(out, v, 0);
  return out;
}

}  // namespace sluice::schema
