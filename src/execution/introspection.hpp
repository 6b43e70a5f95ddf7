// Resolvers for __schema, __type and the fields of the introspection types (spec 4.2).
#pragma once

#include <utility>
#include <vector>

#include "sluice/execution/resolver.hpp"
#include "sluice/schema/schema.hpp"

namespace sluice::execution::detail {

// Parent values are opaque pointers: __Schema is a `const schema::schema*`, __Type a `const schema::type*`,
// __Field a `const schema::field*`, __InputValue a `const schema::input_value*`, __EnumValue a
// `const schema::enum_value*`, __Directive a `const schema::directive_definition*`.
[[nodiscard]] std::vector<std::pair<const schema::field*, sync_resolver>> introspection_resolvers(
    const schema::schema& s);

}  // namespace sluice::execution::detail
