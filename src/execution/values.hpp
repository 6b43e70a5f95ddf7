// CoerceVariableValues (spec 6.1.2); argument coercion itself lives in schema/coercion.hpp.
#pragma once

#include <vector>

#include "sluice/core/error.hpp"
#include "sluice/core/value.hpp"
#include "sluice/language/ast.hpp"
#include "sluice/schema/schema.hpp"

namespace sluice::execution::detail {

// The schema type a variable definition names (nullptr when a type is unknown).
[[nodiscard]] const schema::type* type_from_ast(const schema::schema& s, const language::type& t);

// Coerces the request's variables for an operation. Problems go to `errors` (at most 50, as in graphql-js).
[[nodiscard]] sluice::value coerce_variable_values(const schema::schema& s, const language::operation_definition& op,
                                                   const sluice::value& inputs, std::vector<graphql_error>& errors);

}  // namespace sluice::execution::detail
