// Builds a schema from SDL text (spec 3), with the spec's type system validation.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sluice/core/error.hpp"
#include "sluice/schema/schema.hpp"

namespace sluice::schema {

struct build_result {
  std::shared_ptr<const schema> built;  // null when the SDL is invalid
  std::vector<graphql_error> errors;    // every problem found, with SDL locations
  [[nodiscard]] bool ok() const { return built != nullptr; }
};

// Builds and validates a schema from one or more SDL sources (type definitions and extensions may be spread over
// them). Built-in scalars and directives are added unless the SDL defines them.
[[nodiscard]] build_result build_schema(const std::vector<std::string>& sdl_sources);
[[nodiscard]] build_result build_schema(std::string sdl);

}  // namespace sluice::schema
