// Validation of an executable document against a schema (spec section 5): every rule, in one pass.
#pragma once

#include <cstddef>
#include <vector>

#include "sluice/core/error.hpp"
#include "sluice/language/ast.hpp"
#include "sluice/schema/schema.hpp"

namespace sluice::validation {

struct options {
  // Validation stops after this many errors and then adds one more: "Too many validation errors, error limit
  // reached. Validation aborted." (as graphql-js does), so a hostile document cannot make it produce
  // unbounded output.
  std::size_t max_errors = 100;
};

// Runs every rule of spec section 5 (graphql-js 16's `specifiedRules`, MaxIntrospectionDepth included) in one
// pass over the document. Returns the errors in the order graphql-js reports them; empty when the document is
// valid. The errors carry messages and locations, never a path.
[[nodiscard]] std::vector<graphql_error> validate(const schema::schema& s, const language::document& doc,
                                                  const options& o = {});

}  // namespace sluice::validation
