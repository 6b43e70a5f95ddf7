// Type helpers shared by the rules: AST types to schema types, the subtype relation, required inputs.
#pragma once

#include "sluice/language/ast.hpp"
#include "sluice/schema/schema.hpp"

namespace sluice::validation::detail {

// The schema type an AST type names (graphql-js typeFromAST); nullptr when its named type is unknown.
[[nodiscard]] const schema::type* type_from_ast(const schema::schema& s, const language::type& t);

// Whether a value of `sub` may be used where `super` is expected (graphql-js isTypeSubTypeOf).
[[nodiscard]] bool is_type_sub_type_of(const schema::schema& s, const schema::type* sub,
                                       const schema::type* super);

// Whether an input value has a default (graphql-js: `defaultValue !== undefined`).
[[nodiscard]] inline bool has_default(const schema::input_value& v) {
  return v.default_value.has_value();
}
// An argument or input field that must be given: non-null and without a default.
[[nodiscard]] inline bool is_required(const schema::input_value& v) {
  return v.value_type != nullptr && v.value_type->is_non_null() && !has_default(v);
}

}  // namespace sluice::validation::detail
