// Tests for operations: ExecutableDefinitions, UniqueOperationNames, LoneAnonymousOperation and
// SingleFieldSubscriptions. Each expectation is what graphql-js 16.15 reports for the same schema and
// document (all rules together).
#include <gtest/gtest.h>

#include "unit/validation/harness.hpp"

namespace sluice::validation::test {
namespace {

TEST(executable_definitions, operation_and_fragment) {
  expect_valid(
      "query Q { dog { ...F } }\n"
      "fragment F on Dog { name }");
}

TEST(executable_definitions, type_definition) {
  expect_errors(
      "{ dog { name } }\n"
      "type Cow { name: String }\n"
      "extend type Dog { color: String }",
      {{"The \"Cow\" definition is not executable.", {{2, 1}}},
       {"The \"Dog\" definition is not executable.", {{3, 1}}}});
}

TEST(executable_definitions, schema_and_directive_definitions) {
  expect_errors(
      "schema { query: Query }\n"
      "directive @cow on FIELD\n"
      "{ dog { name } }",
      {{"The schema definition is not executable.", {{1, 1}}},
       {"The \"cow\" definition is not executable.", {{2, 1}}}});
}

TEST(executable_definitions, described_definition_starts_at_its_description) {
  expect_errors(
      "{ dog { name } }\n"
      "\"A cow\"\n"
      "scalar Cow",
      {{"The \"Cow\" definition is not executable.", {{2, 1}}}});
}

TEST(unique_operation_names, distinct_names) {
  expect_valid(
      "query A { dog { name } }\n"
      "query B { dog { name } }");
}

TEST(unique_operation_names, same_name_twice) {
  expect_errors(
      "query Foo { dog { name } }\n"
      "query Foo { dog { nickname } }",
      {{"There can be only one operation named \"Foo\".", {{1, 7}, {2, 7}}}});
}

TEST(unique_operation_names, same_name_on_different_operation_types) {
  expect_errors(
      "query Foo { dog { name } }\n"
      "mutation Foo { mutateDog { name } }\n"
      "subscription Foo { newMessage { body } }",
      {{"There can be only one operation named \"Foo\".", {{1, 7}, {2, 10}}},
       {"There can be only one operation named \"Foo\".", {{1, 7}, {3, 14}}}});
}

TEST(unique_operation_names, fragment_may_share_an_operation_name) {
  expect_valid(
      "query Foo { dog { ...Foo } }\n"
      "fragment Foo on Dog { name }");
}

TEST(lone_anonymous_operation, one_anonymous_operation) {
  expect_valid("{ dog { name } }");
}

TEST(lone_anonymous_operation, anonymous_and_named) {
  expect_errors(
      "{ dog { name } }\n"
      "query Named { dog { name } }",
      {{"This anonymous operation must be the only defined operation.", {{1, 1}}}});
}

TEST(lone_anonymous_operation, two_anonymous) {
  expect_errors(
      "{ dog { name } }\n"
      "{ dog { nickname } }",
      {{"This anonymous operation must be the only defined operation.", {{1, 1}}},
       {"This anonymous operation must be the only defined operation.", {{2, 1}}}});
}

TEST(lone_anonymous_operation, anonymous_with_fragments) {
  expect_valid(
      "{ dog { ...F } }\n"
      "fragment F on Dog { name }");
}

TEST(single_field_subscriptions, one_field) {
  expect_valid("subscription S { newMessage { body } }");
}

TEST(single_field_subscriptions, two_fields) {
  expect_errors("subscription S { newMessage { body } disallowedSecondRootField }",
                {{"Subscription \"S\" must select only one top level field.", {{1, 38}}}});
}

TEST(single_field_subscriptions, three_fields_anonymous) {
  expect_errors(
      "subscription { newMessage { body } disallowedSecondRootField other: disallowedSecondRootField }",
      {{"Anonymous Subscription must select only one top level field.", {{1, 36}, {1, 62}}}});
}

TEST(single_field_subscriptions, aliased_same_field_counts_once) {
  expect_valid("subscription S { a: newMessage { body } a: newMessage { sender } }");
}

TEST(single_field_subscriptions, through_fragments) {
  expect_errors(
      "subscription S { ...F }\n"
      "fragment F on Subscription { newMessage { body } disallowedSecondRootField }",
      {{"Subscription \"S\" must select only one top level field.", {{2, 50}}}});
}

TEST(single_field_subscriptions, through_inline_fragment) {
  expect_errors("subscription S { newMessage { body } ... on Subscription { disallowedSecondRootField } }",
                {{"Subscription \"S\" must select only one top level field.", {{1, 60}}}});
}

TEST(single_field_subscriptions, typename_counts) {
  expect_errors("subscription S { newMessage { body } __typename }",
                {{"Subscription \"S\" must select only one top level field.", {{1, 38}}},
                 {"Subscription \"S\" must not select an introspection top level field.", {{1, 38}}}});
}

TEST(single_field_subscriptions, introspection_field_alone) {
  expect_errors("subscription S { __typename }",
                {{"Subscription \"S\" must not select an introspection top level field.", {{1, 18}}}});
}

TEST(single_field_subscriptions, introspection_field_anonymous) {
  expect_errors("subscription { __schema { queryType { name } } }",
                {{"Anonymous Subscription must not select an introspection top level field.", {{1, 16}}},
                 {"Cannot query field \"__schema\" on type \"Subscription\".", {{1, 16}}}});
}

TEST(single_field_subscriptions, skipped_field_is_not_counted) {
  expect_valid("subscription S { newMessage { body } disallowedSecondRootField @skip(if: true) }");
}

TEST(single_field_subscriptions, included_field_is_counted) {
  expect_errors("subscription S { newMessage { body } disallowedSecondRootField @include(if: true) }",
                {{"Subscription \"S\" must select only one top level field.", {{1, 38}}}});
}

TEST(single_field_subscriptions_without_subscription_type, not_checked) {
  expect_valid("subscription S { a b }", minimal_schema());
}

}  // namespace
}  // namespace sluice::validation::test
