// The built-in definitions every schema has: specified scalars, specified directives, introspection types.
#pragma once

#include <array>
#include <string_view>

#include "sluice/language/ast.hpp"
#include "sluice/schema/schema.hpp"

namespace sluice::schema::detail {

// The specified directives and the introspection types as an SDL document, parsed once for the process.
[[nodiscard]] const language::document& builtin_document();

struct builtin_scalar_info {
  std::string_view name;
  builtin_scalar which;
  std::string_view description;
};

// The specified scalars in graphql-js's specifiedScalarTypes order.
[[nodiscard]] const std::array<builtin_scalar_info, 5>& builtin_scalars();

// The specified directives, in the order graphql-js adds them to a built schema.
inline constexpr std::array<std::string_view, 5> specified_directive_names = {"include", "skip", "deprecated",
                                                                              "specifiedBy", "oneOf"};

// The introspection types in graphql-js's introspectionTypes order.
inline constexpr std::array<std::string_view, 8> introspection_type_names = {
    "__Schema", "__Directive",  "__DirectiveLocation", "__Type",
    "__Field",  "__InputValue", "__EnumValue",         "__TypeKind"};

}  // namespace sluice::schema::detail
