// The coercion functions of the built-in scalars and the defaults of custom scalars.
#pragma once

#include "sluice/schema/schema.hpp"

namespace sluice::schema::detail {

// Int, Float, String, Boolean and ID with graphql-js 16's rules and messages.
[[nodiscard]] scalar_coercion builtin_scalar_coercion(builtin_scalar which);

// A custom scalar without coercion of its own: serialize and parse_value pass the value through,
// parse_literal converts the literal as graphql-js valueFromASTUntyped does.
[[nodiscard]] scalar_coercion default_custom_scalar_coercion();

}  // namespace sluice::schema::detail
