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
  // Live queries (see execution/live.hpp): adds the @live directive (`@live(if: Boolean = true, interval: Int,
  // patch: Boolean = false) on QUERY | SUBSCRIPTION`, unless the SDL defines @live), and makes every Query root
  // field available under the subscription root type with the same name, arguments and type (the Hasura way:
  // replace `query` with `subscription`), skipping names it defines already; a `Subscription` type is added when
  // the schema has none. An executor with live_options::enabled runs those subscriptions as live queries.
  bool live_queries = false;
};

// Builds and validates a schema from one or more SDL sources (type definitions and extensions may be spread
// over them). Built-in scalars and directives are added unless the SDL defines them.
[[nodiscard]] build_result build_schema(const std::vector<std::string>& sdl_sources);
[[nodiscard]] build_result build_schema(const std::vector<std::string>& sdl_sources,
                                        const build_options& options);
[[nodiscard]] build_result build_schema(std::string sdl);
[[nodiscard]] build_result build_schema(std::string sdl, const build_options& options);

}  // namespace sluice::schema
