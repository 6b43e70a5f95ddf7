// What the schema builder knows beyond what the schema keeps: types as written, for validation and ordering.
#pragma once

#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sluice/core/error.hpp"
#include "sluice/schema/schema.hpp"

namespace sluice::schema::detail {

// A named type's references as the SDL wrote them, before keeping only those of the right kind.
struct written_type {
  std::vector<const named_type*> interfaces;  // object and interface types: `implements` clauses, any kind
  std::vector<const named_type*> members;     // union types: member types, any kind
  const language::type_definition* definition = nullptr;
  std::vector<const language::type_definition*> extensions;
};

struct build_context {
  explicit build_context(schema& s) : target(s) {}

  schema& target;
  std::unordered_map<const named_type*, written_type> written;  // user-defined types only
  std::unordered_set<const named_type*> introspection_types;
  // Root operation types as written (any kind), and where the schema definition and extensions are.
  const named_type* query = nullptr;
  const named_type* mutation = nullptr;
  const named_type* subscription = nullptr;
  const language::schema_definition* schema_definition = nullptr;
  std::vector<const language::schema_definition*> schema_extensions;

  [[nodiscard]] const written_type* find_written(const named_type* t) const {
    auto it = written.find(t);
    return it == written.end() ? nullptr : &it->second;
  }
};

// Type system validation of a built schema (graphql-js validateSchema): every problem found, in graphql-js
// order.
[[nodiscard]] std::vector<graphql_error> validate_schema(const build_context& context);

// The SDL validation rules graphql-js runs before building (specifiedSDLRules), over all definitions in
// order.
[[nodiscard]] std::vector<graphql_error> validate_sdl(
    const std::vector<const language::definition*>& definitions);

}  // namespace sluice::schema::detail
