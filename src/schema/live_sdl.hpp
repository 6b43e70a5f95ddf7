// Live queries in the schema: the SDL that build_options::live_queries adds to the user's.
#pragma once

#include <string>

#include "sluice/schema/schema.hpp"

namespace sluice::schema::detail {

// The @live directive (unless the schema defines one), and the Query root type's fields that the subscription
// root type lacks, under it (a new `Subscription` type when there is none). Empty when there is nothing to add.
[[nodiscard]] std::string live_query_sdl(const schema& built, bool has_schema_definition);

}  // namespace sluice::schema::detail
