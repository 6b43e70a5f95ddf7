// Tests for variables: UniqueVariableNames, VariablesAreInputTypes, NoUndefinedVariables, NoUnusedVariables,
// VariablesInAllowedPosition. Each expectation is what graphql-js 16.15 reports for the same schema and
// document (all rules together).
#include <gtest/gtest.h>

#include "unit/validation/harness.hpp"

namespace sluice::validation::test {
namespace {

TEST(unique_variable_names, distinct) {
  expect_valid(
      "query Q($a: Int, $b: Int) { arguments { a: intArgField(intArg: $a) b: intArgField(intArg: $b) } }");
}

TEST(unique_variable_names, duplicates) {
  expect_errors(
      "query Q($a: Int, $b: Int, $a: String, $b: Int, $a: Int) { arguments { intArgField(intArg: $a) b: "
      "intArgField(intArg: $b) } }",
      {{"There can be only one variable named \"$a\".", {{1, 10}, {1, 28}, {1, 49}}},
       {"There can be only one variable named \"$b\".", {{1, 19}, {1, 40}}}});
}

TEST(variables_are_input_types, input_types) {
  expect_valid(
      "query Q($a: String, $b: [Boolean!]!, $c: ComplexInput, $d: FurColor) { arguments { "
      "stringArgField(stringArg: $a) complexArgField(complexArg: $c) enumArgField(enumArg: $d) } "
      "booleanList(list: $b) }");
}

TEST(variables_are_input_types, output_types) {
  expect_errors("query Q($a: Dog, $b: [[CatOrDog!]]!, $c: Pet) { dog { name } }",
                {{"Variable \"$a\" cannot be non-input type \"Dog\".", {{1, 13}}},
                 {"Variable \"$b\" cannot be non-input type \"[[CatOrDog!]]!\".", {{1, 22}}},
                 {"Variable \"$c\" cannot be non-input type \"Pet\".", {{1, 42}}},
                 {"Variable \"$a\" is never used in operation \"Q\".", {{1, 9}}},
                 {"Variable \"$b\" is never used in operation \"Q\".", {{1, 18}}},
                 {"Variable \"$c\" is never used in operation \"Q\".", {{1, 38}}}});
}

TEST(no_undefined_variables, all_defined) {
  expect_valid("query Q($a: Int) { arguments { intArgField(intArg: $a) } }");
}

TEST(no_undefined_variables, undefined_in_named_operation) {
  expect_errors("query Q($a: Int) { arguments { intArgField(intArg: $b) } }",
                {{"Variable \"$b\" is not defined by operation \"Q\".", {{1, 52}, {1, 1}}},
                 {"Variable \"$a\" is never used in operation \"Q\".", {{1, 9}}}});
}

TEST(no_undefined_variables, undefined_in_anonymous_operation) {
  expect_errors("{ arguments { intArgField(intArg: $b) complexArgField(complexArg: {requiredField: $c}) } }",
                {{"Variable \"$b\" is not defined.", {{1, 35}, {1, 1}}},
                 {"Variable \"$c\" is not defined.", {{1, 83}, {1, 1}}}});
}

TEST(no_undefined_variables, undefined_through_fragments) {
  expect_errors(
      "query A { arguments { ...F } }\n"
      "query B($a: Int) { arguments { ...F } }\n"
      "fragment F on Arguments { intArgField(intArg: $a) ...G }\n"
      "fragment G on Arguments { stringArgField(stringArg: $s) }",
      {{"Variable \"$a\" is not defined by operation \"A\".", {{3, 47}, {1, 1}}},
       {"Variable \"$s\" is not defined by operation \"A\".", {{4, 53}, {1, 1}}},
       {"Variable \"$s\" is not defined by operation \"B\".", {{4, 53}, {2, 1}}}});
}

TEST(no_undefined_variables, in_directive_arguments) {
  expect_errors("query Q { dog @include(if: $cond) { name } }",
                {{"Variable \"$cond\" is not defined by operation \"Q\".", {{1, 28}, {1, 1}}}});
}

TEST(no_undefined_variables, variables_of_another_operation_do_not_count) {
  expect_errors(
      "query A($a: Int) { arguments { intArgField(intArg: $a) } }\n"
      "query B { arguments { intArgField(intArg: $a) } }",
      {{"Variable \"$a\" is not defined by operation \"B\".", {{2, 43}, {2, 1}}}});
}

TEST(no_unused_variables, all_used) {
  expect_valid(
      "query Q($a: Int, $b: String) { arguments { intArgField(intArg: $a) ...F } }\n"
      "fragment F on Arguments { stringArgField(stringArg: $b) }");
}

TEST(no_unused_variables, unused_named) {
  expect_errors("query Q($a: Int, $b: String, $c: Boolean) { arguments { intArgField(intArg: $a) } }",
                {{"Variable \"$b\" is never used in operation \"Q\".", {{1, 18}}},
                 {"Variable \"$c\" is never used in operation \"Q\".", {{1, 30}}}});
}

TEST(no_unused_variables, unused_anonymous) {
  expect_errors("query ($a: Int) { dog { name } }", {{"Variable \"$a\" is never used.", {{1, 8}}}});
}

TEST(no_unused_variables, used_by_fragment_of_another_operation_only) {
  expect_errors(
      "query A($a: Int) { dog { name } }\n"
      "query B($a: Int) { arguments { ...F } }\n"
      "fragment F on Arguments { intArgField(intArg: $a) }",
      {{"Variable \"$a\" is never used in operation \"A\".", {{1, 9}}}});
}

TEST(variables_in_allowed_position, same_types) {
  expect_valid(
      "query Q($a: Int, $b: [String], $c: FurColor, $d: Boolean!) { arguments { intArgField(intArg: $a) "
      "stringListArgField(stringListArg: $b) enumArgField(enumArg: $c) "
      "nonNullBooleanArgField(nonNullBooleanArg: $d) } }");
}

TEST(variables_in_allowed_position, non_null_into_nullable) {
  expect_valid(
      "query Q($a: Int!, $b: [String!]!) { arguments { intArgField(intArg: $a) "
      "stringListArgField(stringListArg: $b) } }");
}

TEST(variables_in_allowed_position, nullable_into_non_null) {
  expect_errors(
      "query Q($a: Int) { arguments { nonNullIntArgField(nonNullIntArg: $a) } }",
      {{"Variable \"$a\" of type \"Int\" used in position expecting type \"Int!\".", {{1, 9}, {1, 66}}}});
}

TEST(variables_in_allowed_position, nullable_with_default_into_non_null) {
  expect_valid("query Q($a: Int = 1) { arguments { nonNullIntArgField(nonNullIntArg: $a) } }");
}

TEST(variables_in_allowed_position, nullable_with_null_default_into_non_null) {
  expect_errors(
      "query Q($a: Int = null) { arguments { nonNullIntArgField(nonNullIntArg: $a) } }",
      {{"Variable \"$a\" of type \"Int\" used in position expecting type \"Int!\".", {{1, 9}, {1, 73}}}});
}

TEST(variables_in_allowed_position, nullable_into_non_null_argument_with_default) {
  expect_valid("query Q($a: Int) { arguments { nonNullFieldWithDefault(arg: $a) } }");
}

TEST(variables_in_allowed_position, wrong_named_type) {
  expect_errors(
      "query Q($a: String) { arguments { intArgField(intArg: $a) } }",
      {{"Variable \"$a\" of type \"String\" used in position expecting type \"Int\".", {{1, 9}, {1, 55}}}});
}

TEST(variables_in_allowed_position, list_into_item) {
  expect_errors("query Q($a: [String]) { arguments { stringArgField(stringArg: $a) } }",
                {{"Variable \"$a\" of type \"[String]\" used in position expecting type \"String\".",
                  {{1, 9}, {1, 63}}}});
}

TEST(variables_in_allowed_position, item_into_list_position) {
  expect_valid(
      "query Q($a: String) { arguments { stringListArgField(stringListArg: [$a]) "
      "nonNullStringListArgField(list: [$a]) } }");
}

TEST(variables_in_allowed_position, nullable_item_into_non_null_items) {
  expect_errors(
      "query Q($a: String, $b: [String]) { arguments { stringListNonNullArgField(stringListNonNullArg: [$a]) "
      "s: stringListNonNullArgField(stringListNonNullArg: $b) } }",
      {{"Variable \"$a\" of type \"String\" used in position expecting type \"String!\".", {{1, 9}, {1, 98}}},
       {"Variable \"$b\" of type \"[String]\" used in position expecting type \"[String!]\".",
        {{1, 21}, {1, 154}}}});
}

TEST(variables_in_allowed_position, input_object_field) {
  expect_errors(
      "query Q($a: Boolean, $b: Boolean) { arguments { complexArgField(complexArg: {requiredField: $a, "
      "nonNullField: $b}) } }",
      {{"Variable \"$a\" of type \"Boolean\" used in position expecting type \"Boolean!\".",
        {{1, 9}, {1, 93}}}});
}

TEST(variables_in_allowed_position, through_fragment) {
  expect_errors(
      "query Q($a: Int) { arguments { ...F } }\n"
      "fragment F on Arguments { nonNullIntArgField(nonNullIntArg: $a) }",
      {{"Variable \"$a\" of type \"Int\" used in position expecting type \"Int!\".", {{1, 9}, {2, 61}}}});
}

TEST(variables_in_allowed_position, directive_argument) {
  expect_errors("query Q($a: Boolean) { dog @include(if: $a) { name } }",
                {{"Variable \"$a\" of type \"Boolean\" used in position expecting type \"Boolean!\".",
                  {{1, 9}, {1, 41}}}});
}

TEST(variables_in_allowed_position, interface_into_object_position) {
  expect_errors("query Q($a: String) { dog { isHouseTrained(atOtherHomes: $a) } }",
                {{"Variable \"$a\" of type \"String\" used in position expecting type \"Boolean\".",
                  {{1, 9}, {1, 58}}}});
}

TEST(variables_in_allowed_position, one_of_field_needs_non_null_variable) {
  expect_errors(
      "query Q($a: String, $b: String!) { arguments { a: oneOfArgField(oneOfArg: {stringField: $a}) b: "
      "oneOfArgField(oneOfArg: {stringField: $b}) } }",
      {{"Variable \"$a\" is of type \"String\" but must be non-nullable to be used for OneOf Input Object "
        "\"OneOfInput\".",
        {{1, 9}, {1, 89}}}});
}

TEST(variables_in_allowed_position, one_of_field_in_non_null_position) {
  expect_valid("query Q($a: String) { arguments { nonNullOneOfArgField(oneOfArg: {stringField: $a}) } }");
}

TEST(variables_in_allowed_position, unknown_variable_type_is_not_checked) {
  expect_errors("query Q($a: Unknown) { arguments { intArgField(intArg: $a) } }",
                {{"Unknown type \"Unknown\".", {{1, 13}}}});
}

}  // namespace
}  // namespace sluice::validation::test
