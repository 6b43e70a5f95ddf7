// Helpers shared by the schema tests: building a schema that must be valid, or collecting the build errors.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "sluice/language/parser.hpp"
#include "sluice/schema/builder.hpp"

namespace sluice::schema::testing {

// Builds `sdl`, failing the test (and returning null) when it is rejected.
inline std::shared_ptr<const schema> build_ok(const std::string& sdl, const build_options& options = {}) {
  auto result = build_schema(sdl, options);
  if (!result.ok()) {
    std::string messages;
    for (const auto& e : result.errors) messages += e.message + "\n";
    ADD_FAILURE() << "schema rejected:\n" << messages;
  }
  return result.built;
}

// The errors `sdl` is rejected with (none when it builds).
inline std::vector<graphql_error> build_errors(const std::string& sdl) {
  auto result = build_schema(sdl);
  EXPECT_FALSE(result.ok()) << "schema accepted: " << sdl;
  return result.errors;
}

// The message of the only error `sdl` is rejected with.
inline std::string single_error(const std::string& sdl) {
  auto errors = build_errors(sdl);
  EXPECT_EQ(errors.size(), 1u) << sdl;
  return errors.empty() ? std::string() : errors.front().message;
}

inline std::vector<source_location> locations_of(const graphql_error& e) {
  return e.locations;
}

// The names of a schema's types, space separated, in types() order.
inline std::string type_names(const schema& s) {
  std::string out;
  for (const auto* t : s.types()) out += (out.empty() ? "" : " ") + t->name();
  return out;
}

// A type written in GraphQL (`[Int!]`), resolved against the schema.
inline const type* type_of(const schema& s, const std::string& text) {
  auto parsed = language::parse("query($v: " + text + ") { a }");
  const auto& op = std::get<language::operation_definition>(parsed.doc.definitions.at(0));
  auto resolve = [&](auto&& self, const language::type& t) -> const type* {
    if (t.kind == language::type_kind::named) return s.find_type(t.name);
    const type* inner = self(self, *t.of_type);
    return t.kind == language::type_kind::list ? s.list_of(inner) : s.non_null_of(inner);
  };
  return resolve(resolve, op.variables.at(0).var_type);
}

// A literal parsed from GraphQL text; the document is kept alive by `keep`.
inline const language::value& literal_of(const std::string& text, language::document& keep) {
  auto parsed = language::parse("{ a(x: " + text + ") }");
  EXPECT_TRUE(parsed.ok()) << text;
  keep = std::move(parsed.doc);
  const auto& op = std::get<language::operation_definition>(keep.definitions.at(0));
  return std::get<language::field>(op.selections.at(0).node).arguments.at(0).val;
}

}  // namespace sluice::schema::testing
