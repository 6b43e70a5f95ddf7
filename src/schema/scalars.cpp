// The built-in scalars' result and input coercion (spec 3.5.1 - 3.5.5) with graphql-js 16's rules and
// messages.
#include "schema/scalars.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "schema/js_semantics.hpp"
#include "sluice/core/json.hpp"
#include "sluice/language/printer.hpp"
#include "sluice/schema/coercion.hpp"

namespace sluice::schema::detail {
namespace {

constexpr std::int64_t max_int = 2147483647;
constexpr std::int64_t min_int = -2147483648LL;

[[noreturn]] void fail(std::string message) {
  throw coercion_error(std::move(message));
}

std::string integer_text(std::int64_t i) {
  std::string out;
  json::write_int(out, i);
  return out;
}

// The JavaScript number a value holds, when it is a number.
std::optional<double> number_of(const value& v) {
  if (v.is_number()) return v.as_number();
  return std::nullopt;
}

double parse_double(std::string_view text) {
  std::string copy(text);
  return std::strtod(copy.c_str(), nullptr);
}

// --- Int
// ---------------------------------------------------------------------------------------------------------

value int_serialize(const value& v) {
  if (v.is_bool()) return value(v.as_bool() ? 1 : 0);
  if (v.is_int()) {
    if (v.as_int() > max_int || v.as_int() < min_int)
      fail("Int cannot represent non 32-bit signed integer value: " + inspect(v));
    return v;
  }
  std::optional<double> num = number_of(v);
  if (v.is_string() && !v.as_string().empty()) num = js_string_to_number(v.as_string());
  if (!num || !std::isfinite(*num) || std::trunc(*num) != *num)
    fail("Int cannot represent non-integer value: " + inspect(v));
  if (*num > static_cast<double>(max_int) || *num < static_cast<double>(min_int))
    fail("Int cannot represent non 32-bit signed integer value: " + inspect(v));
  return value(static_cast<std::int64_t>(*num));
}

value int_parse_value(const value& v) {
  if (!js_is_integer(v)) fail("Int cannot represent non-integer value: " + inspect(v));
  if (v.is_int()) {
    if (v.as_int() > max_int || v.as_int() < min_int)
      fail("Int cannot represent non 32-bit signed integer value: " + integer_text(v.as_int()));
    return v;
  }
  double d = v.as_float();
  if (d > static_cast<double>(max_int) || d < static_cast<double>(min_int))
    fail("Int cannot represent non 32-bit signed integer value: " + js_number_text(d));
  return value(static_cast<std::int64_t>(d));
}

value int_parse_literal(const language::value& literal) {
  if (literal.kind != language::value_kind::int_)
    fail("Int cannot represent non-integer value: " + language::print(literal));
  std::int64_t n = 0;
  auto r = std::from_chars(literal.raw.data(), literal.raw.data() + literal.raw.size(), n);
  if (r.ec != std::errc() || n > max_int || n < min_int)
    fail("Int cannot represent non 32-bit signed integer value: " + std::string(literal.raw));
  return value(n);
}

// --- Float
// -------------------------------------------------------------------------------------------------------

value float_serialize(const value& v) {
  if (v.is_bool()) return value(v.as_bool() ? 1.0 : 0.0);
  std::optional<double> num = number_of(v);
  if (v.is_string() && !v.as_string().empty()) num = js_string_to_number(v.as_string());
  if (!num || !std::isfinite(*num)) fail("Float cannot represent non numeric value: " + inspect(v));
  return value(*num);
}

value float_parse_value(const value& v) {
  if (!v.is_number() || !std::isfinite(v.as_number()))
    fail("Float cannot represent non numeric value: " + inspect(v));
  return value(v.as_number());
}

value float_parse_literal(const language::value& literal) {
  if (literal.kind != language::value_kind::float_ && literal.kind != language::value_kind::int_)
    fail("Float cannot represent non numeric value: " + language::print(literal));
  return value(parse_double(literal.raw));
}

// --- String
// ------------------------------------------------------------------------------------------------------

value string_serialize(const value& v) {
  if (v.is_string()) return v;
  if (v.is_bool()) return value(v.as_bool() ? "true" : "false");
  if (v.is_int()) return value(integer_text(v.as_int()));
  if (v.is_float() && std::isfinite(v.as_float())) return value(js_number_text(v.as_float()));
  fail("String cannot represent value: " + inspect(v));
}

value string_parse_value(const value& v) {
  if (!v.is_string()) fail("String cannot represent a non string value: " + inspect(v));
  return v;
}

value string_parse_literal(const language::value& literal) {
  if (literal.kind != language::value_kind::string)
    fail("String cannot represent a non string value: " + language::print(literal));
  return value(literal.string_value);
}

// --- Boolean
// -----------------------------------------------------------------------------------------------------

value boolean_serialize(const value& v) {
  if (v.is_bool()) return v;
  if (v.is_number() && std::isfinite(v.as_number())) return value(v.as_number() != 0);
  fail("Boolean cannot represent a non boolean value: " + inspect(v));
}

value boolean_parse_value(const value& v) {
  if (!v.is_bool()) fail("Boolean cannot represent a non boolean value: " + inspect(v));
  return v;
}

value boolean_parse_literal(const language::value& literal) {
  if (literal.kind != language::value_kind::boolean)
    fail("Boolean cannot represent a non boolean value: " + language::print(literal));
  return value(literal.boolean);
}

// --- ID
// ----------------------------------------------------------------------------------------------------------

value id_serialize(const value& v) {
  if (v.is_string()) return v;
  if (v.is_int()) return value(integer_text(v.as_int()));
  if (js_is_integer(v)) return value(js_number_text(v.as_float()));
  fail("ID cannot represent value: " + inspect(v));
}

value id_parse_value(const value& v) {
  if (v.is_string()) return v;
  if (v.is_int()) return value(integer_text(v.as_int()));
  if (js_is_integer(v)) return value(js_number_text(v.as_float()));
  fail("ID cannot represent value: " + inspect(v));
}

value id_parse_literal(const language::value& literal) {
  if (literal.kind == language::value_kind::string) return value(literal.string_value);
  if (literal.kind == language::value_kind::int_) return value(literal.raw);
  fail("ID cannot represent a non-string and non-integer value: " + language::print(literal));
}

}  // namespace

scalar_coercion builtin_scalar_coercion(builtin_scalar which) {
  switch (which) {
    case builtin_scalar::int_:
      return {int_serialize, int_parse_value, int_parse_literal};
    case builtin_scalar::float_:
      return {float_serialize, float_parse_value, float_parse_literal};
    case builtin_scalar::string:
      return {string_serialize, string_parse_value, string_parse_literal};
    case builtin_scalar::boolean:
      return {boolean_serialize, boolean_parse_value, boolean_parse_literal};
    case builtin_scalar::id:
      return {id_serialize, id_parse_value, id_parse_literal};
    case builtin_scalar::none:
      break;
  }
  return default_custom_scalar_coercion();
}

scalar_coercion default_custom_scalar_coercion() {
  // No serialize function: results pass through unchanged (serialize_leaf, and the executor without a copy).
  auto identity = [](const value& v) { return v; };
  return {nullptr, identity, [](const language::value& literal) { return literal_to_value(literal); }};
}

}  // namespace sluice::schema::detail
