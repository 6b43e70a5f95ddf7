// graphql_error: a request error as a value, with message, locations, path and extensions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sluice/core/value.hpp"

namespace sluice {

// A 1-based line and column in a source text.
struct source_location {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  friend bool operator==(const source_location&, const source_location&) = default;
};

// One step of a response path: a field's response key or a list index.
using path_segment = std::variant<std::string, std::size_t>;

struct graphql_error {
  std::string message;
  std::vector<source_location> locations;
  std::vector<path_segment> path;
  value extensions;  // null, or an object

  // Appends this error as a JSON object ({"message":..,"locations":..,"path":..,"extensions":..}).
  void write_json(std::string& out) const;
};

// Appends `[e1,e2,...]`.
void write_errors_json(std::string& out, const std::vector<graphql_error>& errors);

}  // namespace sluice
