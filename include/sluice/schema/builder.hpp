// Builds a schema from SDL text (spec 3), with the spec's type system validation.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sluice/core/error.hpp"
#include "sluice/schema/schema.hpp"

namespace sluice::schema {

struct build_result {
  std::shared_ptr<const schema> built;  // null when the SDL is invalid
  std::vector<graphql_error> errors;    // every problem found, with SDL locations
  [[nodiscard]] bool ok() const { return built != nullptr; }
};

struct build_options {
  // Coercion for custom scalars, by scalar name. A function left empty keeps the default behaviour of a
  // graphql-js custom scalar: serialize and parse_value pass the value through, parse_literal converts the
  // literal the way valueFromASTUntyped does. Names of built-in scalars, or of scalars the SDL does not
  // define, are ignored.
  std::unordered_map<std::string, scalar_coercion> custom_scalars;
};

// Builds and validates a schema from one or more SDL sources (type definitions and extensions may be spread
// over them). Built-in scalars and directives are added unless the SDL defines them.
[[nodiscard]] build_result build_schema(const std::vector<std::string>& sdl_sources);
[[nodiscard]] build_result build_schema(const std::vector<std::string>& sdl_sources,
                                        const build_options& options);
[[nodiscard]] build_result build_schema(std::string sdl);
[[nodiscard]] build_result build_schema(std::string sdl, const build_options& options);

}  // namespace sluice::schema
