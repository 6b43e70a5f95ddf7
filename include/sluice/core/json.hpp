// JSON text to and from sluice::value, and the JSON writer the engine serialises results with.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sluice/core/value.hpp"

namespace sluice::json {

struct parse_options {
  std::size_t max_depth = 64;
};

// Parses JSON text. On failure returns nullopt and, when `error` is given, a message.
[[nodiscard]] std::optional<value> parse(std::string_view text, std::string* error = nullptr,
                                         const parse_options& options = {});

// Appends the JSON text of `v` to `out`.
void write(std::string& out, const value& v);
[[nodiscard]] std::string to_string(const value& v);

// The exact number of bytes write() appends for `v`, and write_string() for `s`.
[[nodiscard]] std::size_t measure(const value& v);
[[nodiscard]] std::size_t measure_string(std::string_view s);

// Appends `s` as a JSON string literal (quoted and escaped).
void write_string(std::string& out, std::string_view s);
// Appends a number the way JavaScript's Number.prototype.toString prints it (1 not 1.0; 1e+21).
void write_double(std::string& out, double d);
void write_int(std::string& out, std::int64_t i);

}  // namespace sluice::json
