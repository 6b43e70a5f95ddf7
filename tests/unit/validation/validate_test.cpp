// Tests for the whole of validate(): several rules at once, MaxIntrospectionDepth, the error limit.
// Each expectation is what graphql-js 16.15 reports for the same schema and document (all rules together).
#include <gtest/gtest.h>

#include "unit/validation/harness.hpp"

namespace sluice::validation::test {
namespace {

TEST(validate, valid_document) {
  expect_valid(
      "query Q($id: ID!) { node(id: $id) { name ... on Dog { barkVolume owner { name } } } dog { ...D } }\n"
      "fragment D on Dog { name doesKnowCommand(dogCommand: SIT) }");
}

TEST(validate, errors_of_several_rules_in_graphql_js_order) {
  expect_errors(
      "query Q($v: Int) { dog @unknown { nam doesKnowCommand(dogCommand: \"SIT\") ...Missing } }",
      {{"Unknown directive \"@unknown\".", {{1, 24}}},
       {"Cannot query field \"nam\" on type \"Dog\". Did you mean \"name\"?", {{1, 35}}},
       {"Enum \"DogCommand\" cannot represent non-enum value: \"SIT\". Did you mean the enum value \"SIT\"?",
        {{1, 67}}},
       {"Unknown fragment \"Missing\".", {{1, 77}}},
       {"Variable \"$v\" is never used in operation \"Q\".", {{1, 9}}}});
}

TEST(validate, errors_of_operations_come_in_document_order) {
  expect_errors(
      "query A { dog { x } }\n"
      "fragment F on Dog { y }\n"
      "query B { dog { ...F z } }",
      {{"Cannot query field \"x\" on type \"Dog\".", {{1, 17}}},
       {"Cannot query field \"y\" on type \"Dog\".", {{2, 21}}},
       {"Cannot query field \"z\" on type \"Dog\".", {{3, 22}}}});
}

TEST(max_introspection_depth, shallow_introspection) {
  expect_valid("{ __schema { types { name fields { name type { name fields { name } } } } } }");
}

TEST(max_introspection_depth, too_deep) {
  expect_errors("{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }",
                {{"Maximum introspection depth exceeded", {{1, 3}}}});
}

TEST(max_introspection_depth, too_deep_through_fragments) {
  expect_errors(
      "{ __type(name: \"Dog\") { ...A } }\n"
      "fragment A on __Type { fields { type { ...B } } }\n"
      "fragment B on __Type { interfaces { possibleTypes { name } } }",
      {{"Maximum introspection depth exceeded", {{1, 3}}}});
}

TEST(max_introspection_depth, too_deep_in_two_roots) {
  expect_errors(
      "{ a: __schema { types { inputFields { type { inputFields { type { inputFields { name } } } } } } } b: "
      "__type(name: \"X\") { fields { type { fields { type { fields { name } } } } } } }",
      {{"Maximum introspection depth exceeded", {{1, 3}}},
       {"Maximum introspection depth exceeded", {{1, 100}}}});
}

}  // namespace
}  // namespace sluice::validation::test
