// Tests for arguments: KnownArgumentNames, UniqueArgumentNames, ProvidedRequiredArguments.
// Each expectation is what graphql-js 16.15 reports for the same schema and document (all rules together).
#include <gtest/gtest.h>

#include "unit/validation/harness.hpp"

namespace sluice::validation::test {
namespace {

TEST(known_argument_names, known) {
  expect_valid(
      "{ dog { doesKnowCommand(dogCommand: SIT) isHouseTrained(atOtherHomes: true) @include(if: true) } }");
}

TEST(known_argument_names, unknown_on_field_with_suggestion) {
  expect_errors(
      "{ dog { doesKnowCommand(dogcommand: SIT) } }",
      {{"Unknown argument \"dogcommand\" on field \"Dog.doesKnowCommand\". Did you mean \"dogCommand\"?",
        {{1, 25}}},
       {"Field \"doesKnowCommand\" argument \"dogCommand\" of type \"DogCommand!\" is required, but it was "
        "not provided.",
        {{1, 9}}}});
}

TEST(known_argument_names, unknown_on_field_without_suggestion) {
  expect_errors("{ dog { name(xyzzy: 1) } }",
                {{"Unknown argument \"xyzzy\" on field \"Dog.name\".", {{1, 14}}}});
}

TEST(known_argument_names, unknown_on_meta_field) {
  expect_errors("{ __typename(a: 1) }",
                {{"Unknown argument \"a\" on field \"Query.__typename\".", {{1, 14}}}});
}

TEST(known_argument_names, unknown_on_directive) {
  expect_errors("{ dog @include(iff: true, if: true) @skip(unless: false, if: false) { name } }",
                {{"Unknown argument \"iff\" on directive \"@include\". Did you mean \"if\"?", {{1, 16}}},
                 {"Unknown argument \"unless\" on directive \"@skip\".", {{1, 43}}}});
}

TEST(known_argument_names, unknown_field_arguments_are_not_reported) {
  expect_errors("{ dog { unknown(a: 1) } }", {{"Cannot query field \"unknown\" on type \"Dog\".", {{1, 9}}}});
}

TEST(known_argument_names, unknown_directive_arguments_are_not_reported) {
  expect_errors("{ dog @unknown(a: 1) { name } }", {{"Unknown directive \"@unknown\".", {{1, 7}}}});
}

TEST(known_argument_names, directive_defined_in_the_document) {
  expect_errors(
      "{ dog @cow(a: 1, b: 2) { name } }\n"
      "directive @cow(a: Int) on FIELD",
      {{"The \"cow\" definition is not executable.", {{2, 1}}},
       {"Unknown argument \"b\" on directive \"@cow\". Did you mean \"a\"?", {{1, 18}}}});
}

TEST(unique_argument_names, distinct) {
  expect_valid("{ arguments { multipleReqs(req1: 1, req2: 2) } }");
}

TEST(unique_argument_names, duplicate_field_arguments) {
  expect_errors("{ arguments { multipleReqs(req1: 1, req2: 2, req1: 3, req1: 4) } }",
                {{"There can be only one argument named \"req1\".", {{1, 28}, {1, 46}, {1, 55}}}});
}

TEST(unique_argument_names, duplicate_directive_arguments) {
  expect_errors("{ dog @include(if: true, if: false) { name } }",
                {{"There can be only one argument named \"if\".", {{1, 16}, {1, 26}}}});
}

TEST(provided_required_arguments, all_given) {
  expect_valid(
      "{ arguments { multipleReqs(req1: 1, req2: 2) multipleOptAndReq(req1: 1, req2: 2) "
      "nonNullFieldWithDefault } }");
}

TEST(provided_required_arguments, missing_field_arguments) {
  expect_errors(
      "{ arguments { multipleReqs multipleOptAndReq(req2: 2, opt1: 1) } }",
      {{"Field \"multipleReqs\" argument \"req1\" of type \"Int!\" is required, but it was not provided.",
        {{1, 15}}},
       {"Field \"multipleReqs\" argument \"req2\" of type \"Int!\" is required, but it was not provided.",
        {{1, 15}}},
       {"Field \"multipleOptAndReq\" argument \"req1\" of type \"Int!\" is required, but it was not "
        "provided.",
        {{1, 28}}}});
}

TEST(provided_required_arguments, missing_directive_arguments) {
  expect_errors(
      "{ dog @include @skip { name @withArgs } }",
      {{"Directive \"@include\" argument \"if\" of type \"Boolean!\" is required, but it was not provided.",
        {{1, 7}}},
       {"Directive \"@skip\" argument \"if\" of type \"Boolean!\" is required, but it was not provided.",
        {{1, 16}}},
       {"Directive \"@withArgs\" argument \"req\" of type \"Int!\" is required, but it was not provided.",
        {{1, 29}}}});
}

TEST(provided_required_arguments, null_counts_as_given) {
  expect_errors("{ arguments { nonNullIntArgField(nonNullIntArg: null) } }",
                {{"Expected value of type \"Int!\", found null.", {{1, 49}}}});
}

TEST(provided_required_arguments, unknown_field_is_not_checked) {
  expect_errors("{ unknownField(a: 1) }",
                {{"Cannot query field \"unknownField\" on type \"Query\".", {{1, 3}}}});
}

TEST(provided_required_arguments, directive_defined_in_the_document) {
  expect_errors(
      "{ dog @cow { name } }\n"
      "directive @cow(a: Int!, b: String! = \"x\", c: [Int]!) on FIELD",
      {{"The \"cow\" definition is not executable.", {{2, 1}}},
       {"Directive \"@cow\" argument \"a\" of type \"Int!\" is required, but it was not provided.", {{1, 7}}},
       {"Directive \"@cow\" argument \"c\" of type \"[Int]!\" is required, but it was not provided.",
        {{1, 7}}}});
}

TEST(provided_required_arguments, deeper_errors_first) {
  expect_errors(
      "{ arguments { multipleReqs(req1: \"one\") } }",
      {{"Int cannot represent non-integer value: \"one\"", {{1, 34}}},
       {"Field \"multipleReqs\" argument \"req2\" of type \"Int!\" is required, but it was not provided.",
        {{1, 15}}}});
}

}  // namespace
}  // namespace sluice::validation::test
