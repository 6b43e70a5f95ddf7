// JavaScript semantics the coercion rules depend on: Number(string), Number#toString, property order.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/core/value.hpp"

namespace sluice::schema::detail {

// Number(s) for a string: trims JavaScript white space, accepts decimal, Infinity and 0x/0o/0b literals; an
// empty (or blank) string is 0. nullopt where JavaScript gives NaN.
[[nodiscard]] std::optional<double> js_string_to_number(std::string_view s);

// String(n) for a JavaScript number: "1", "1.5", "1e+21", "NaN", "Infinity", "-Infinity".
[[nodiscard]] std::string js_number_text(double d);

// Number.isInteger(v) for a value: an integer, or a finite integral double.
[[nodiscard]] bool js_is_integer(const sluice::value& v);

// The order JavaScript enumerates an object's keys in (Object.keys): array-index keys ("0", "17") first in
// ascending order, then the others in insertion order. Indexes into the object's members.
[[nodiscard]] std::vector<std::size_t> js_key_order(const sluice::object& members);

}  // namespace sluice::schema::detail
