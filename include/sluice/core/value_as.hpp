// Typed access to a sluice::value: value_as<int>(v), value_as<std::optional<std::string>>(v), ...
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "sluice/core/value.hpp"

namespace sluice {

namespace detail {
template <typename T>
struct is_optional : std::false_type {};
template <typename T>
struct is_optional<std::optional<T>> : std::true_type {};
template <typename T>
struct is_vector : std::false_type {};
template <typename T>
struct is_vector<std::vector<T>> : std::true_type {};

[[noreturn]] inline void wrong_kind(const char* expected) {
  throw std::invalid_argument(std::string("expected ") + expected);
}
}  // namespace detail

// The value as a C++ type. Supported: bool, integer types (range-checked), float and double, std::string,
// std::string_view (a view into the value), sluice::value, and std::optional and std::vector of those.
// A null converts only to std::optional (or sluice::value). Throws std::invalid_argument on a mismatch; any
// other type is a compile-time error.
template <typename T>
[[nodiscard]] T value_as(const value& v) {
  if constexpr (std::is_same_v<T, value>) {
    return v;
  } else if constexpr (detail::is_optional<T>::value) {
    if (v.is_null()) return std::nullopt;
    return value_as<typename T::value_type>(v);
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_bool()) detail::wrong_kind("a boolean");
    return v.as_bool();
  } else if constexpr (std::is_integral_v<T>) {
    if (!v.is_int()) detail::wrong_kind("an integer");
    const std::int64_t i = v.as_int();
    if constexpr (std::is_signed_v<T>) {
      if (i < std::numeric_limits<T>::min() || i > std::numeric_limits<T>::max()) detail::wrong_kind("a smaller integer");
    } else {
      if (i < 0 || static_cast<std::uint64_t>(i) > std::numeric_limits<T>::max())
        detail::wrong_kind("a non-negative integer in range");
    }
    return static_cast<T>(i);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!v.is_number()) detail::wrong_kind("a number");
    return static_cast<T>(v.as_number());
  } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
    if (!v.is_string()) detail::wrong_kind("a string");
    return T(v.as_string());
  } else if constexpr (detail::is_vector<T>::value) {
    if (!v.is_list()) detail::wrong_kind("a list");
    T out;
    out.reserve(v.as_list().size());
    for (const auto& item : v.as_list()) out.push_back(value_as<typename T::value_type>(item));
    return out;
  } else {
    static_assert(sizeof(T) == 0,
                  "value_as<T>: T must be bool, an integer, a floating point type, std::string, std::string_view, "
                  "sluice::value, or a std::optional or std::vector of those");
  }
}

}  // namespace sluice
