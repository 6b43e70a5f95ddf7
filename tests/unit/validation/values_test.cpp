// Tests for values: ValuesOfCorrectType and UniqueInputFieldNames.
// Each expectation is what graphql-js 16.15 reports for the same schema and document (all rules together).
#include <gtest/gtest.h>

#include "unit/validation/harness.hpp"

namespace sluice::validation::test {
namespace {

TEST(values_of_correct_type, good_scalars) {
  expect_valid(
      "{ arguments { intArgField(intArg: 2) floatArgField(floatArg: 1) f2: floatArgField(floatArg: 1.5) "
      "stringArgField(stringArg: \"s\") booleanArgField(booleanArg: false) idArgField(idArg: 1) i2: "
      "idArgField(idArg: \"x\") } }");
}

TEST(values_of_correct_type, bad_int) {
  expect_errors(
      "{ arguments { a: intArgField(intArg: \"2\") b: intArgField(intArg: 2.5) c: intArgField(intArg: "
      "3000000000) d: intArgField(intArg: SIT) } }",
      {{"Int cannot represent non-integer value: \"2\"", {{1, 38}}},
       {"Int cannot represent non-integer value: 2.5", {{1, 66}}},
       {"Int cannot represent non 32-bit signed integer value: 3000000000", {{1, 94}}},
       {"Int cannot represent non-integer value: SIT", {{1, 129}}}});
}

TEST(values_of_correct_type, bad_float_string_boolean_id) {
  expect_errors(
      "{ arguments { floatArgField(floatArg: \"1\") stringArgField(stringArg: 1) booleanArgField(booleanArg: "
      "\"true\") idArgField(idArg: 1.5) } }",
      {{"Float cannot represent non numeric value: \"1\"", {{1, 39}}},
       {"String cannot represent a non string value: 1", {{1, 70}}},
       {"Boolean cannot represent a non boolean value: \"true\"", {{1, 101}}},
       {"ID cannot represent a non-string and non-integer value: 1.5", {{1, 127}}}});
}

TEST(values_of_correct_type, enum_values) {
  expect_errors(
      "{ arguments { a: enumArgField(enumArg: BROWN) b: enumArgField(enumArg: \"BROWN\") c: "
      "enumArgField(enumArg: brown) d: enumArgField(enumArg: PURPLE) e: enumArgField(enumArg: 1) } }",
      {{"Enum \"FurColor\" cannot represent non-enum value: \"BROWN\". Did you mean the enum value "
        "\"BROWN\"?",
        {{1, 72}}},
       {"Value \"brown\" does not exist in \"FurColor\" enum. Did you mean the enum value \"BROWN\"?",
        {{1, 106}}},
       {"Value \"PURPLE\" does not exist in \"FurColor\" enum.", {{1, 138}}},
       {"Enum \"FurColor\" cannot represent non-enum value: 1.", {{1, 171}}}});
}

TEST(values_of_correct_type, null_into_non_null) {
  expect_errors(
      "{ arguments { nonNullIntArgField(nonNullIntArg: null) nonNullStringListArgField(list: [null]) } }",
      {{"Expected value of type \"Int!\", found null.", {{1, 49}}}});
}

TEST(values_of_correct_type, lists) {
  expect_errors(
      "{ arguments { a: stringListArgField(stringListArg: [\"a\", null, \"c\"]) b: "
      "stringListArgField(stringListArg: \"single\") c: stringListArgField(stringListArg: [\"a\", 2]) d: "
      "stringListNonNullArgField(stringListNonNullArg: [\"a\", null]) e: nestedListArgField(matrix: [[1], "
      "[2, \"x\"], 3]) } }",
      {{"String cannot represent a non string value: 2", {{1, 160}}},
       {"Expected value of type \"String!\", found null.", {{1, 221}}},
       {"Int cannot represent non-integer value: \"x\"", {{1, 268}}}});
}

TEST(values_of_correct_type, list_where_scalar_expected) {
  expect_errors("{ arguments { intArgField(intArg: [1, 2]) stringArgField(stringArg: {a: 1}) } }",
                {{"Int cannot represent non-integer value: [1, 2]", {{1, 35}}},
                 {"String cannot represent a non string value: {a: 1}", {{1, 69}}}});
}

TEST(values_of_correct_type, input_objects) {
  expect_valid(
      "{ arguments { complexArgField(complexArg: {requiredField: true, intField: 4, nested: {requiredField: "
      "false, enumField: SIT}}) } }");
}

TEST(values_of_correct_type, missing_required_input_field) {
  expect_errors(
      "{ arguments { complexArgField(complexArg: {intField: 4}) a: complexArgField(complexArg: "
      "{requiredField: true, nested: {}}) } }",
      {{"Field \"ComplexInput.requiredField\" of required type \"Boolean!\" was not provided.", {{1, 43}}},
       {"Field \"ComplexInput.requiredField\" of required type \"Boolean!\" was not provided.", {{1, 119}}}});
}

TEST(values_of_correct_type, unknown_input_field) {
  expect_errors(
      "{ arguments { complexArgField(complexArg: {requiredField: true, unknownField: 1, intfield: 2}) } }",
      {{"Field \"unknownField\" is not defined by type \"ComplexInput\".", {{1, 65}}},
       {"Field \"intfield\" is not defined by type \"ComplexInput\". Did you mean \"intField\", "
        "\"enumField\", or \"stringField\"?",
        {{1, 82}}}});
}

TEST(values_of_correct_type, object_where_list_or_scalar_expected) {
  expect_errors(
      "{ arguments { stringListArgField(stringListArg: {a: 1}) complexArgField(complexArg: \"x\") b: "
      "complexArgField(complexArg: [{requiredField: true}]) } }",
      {{"String cannot represent a non string value: {a: 1}", {{1, 49}}},
       {"Expected value of type \"ComplexInput\", found \"x\".", {{1, 85}}},
       {"Expected value of type \"ComplexInput\", found [{requiredField: true}].", {{1, 121}}}});
}

TEST(values_of_correct_type, custom_scalar_takes_anything) {
  expect_valid("{ extras { jsonArgField(json: {a: [1, \"x\", {b: null}], c: SIT}) } }");
}

TEST(values_of_correct_type, one_of) {
  expect_errors(
      "{ arguments { a: oneOfArgField(oneOfArg: {stringField: \"x\"}) b: oneOfArgField(oneOfArg: {}) c: "
      "oneOfArgField(oneOfArg: {stringField: \"x\", intField: 1}) d: oneOfArgField(oneOfArg: {stringField: "
      "null}) } }",
      {{"OneOf Input Object \"OneOfInput\" must specify exactly one key.", {{1, 89}}},
       {"OneOf Input Object \"OneOfInput\" must specify exactly one key.", {{1, 120}}},
       {"Field \"OneOfInput.stringField\" must be non-null.", {{1, 180}}}});
}

TEST(values_of_correct_type, variable_default_values) {
  expect_errors(
      "query Q($a: Int = \"x\", $b: ComplexInput = {intField: 1}, $c: [FurColor] = [BROWN, PINK]) { "
      "arguments { intArgField(intArg: $a) complexArgField(complexArg: $b) } dog { name } c: arguments { "
      "enumArgField(enumArg: $c) } }",
      {{"Int cannot represent non-integer value: \"x\"", {{1, 19}}},
       {"Field \"ComplexInput.requiredField\" of required type \"Boolean!\" was not provided.", {{1, 43}}},
       {"Value \"PINK\" does not exist in \"FurColor\" enum.", {{1, 83}}},
       {"Variable \"$c\" of type \"[FurColor]\" used in position expecting type \"FurColor\".",
        {{1, 58}, {1, 212}}}});
}

TEST(values_of_correct_type, directive_arguments) {
  expect_errors(
      "{ dog @include(if: \"yes\") @withArgs(req: \"1\", list: [1, \"2\"], input: {requiredField: 1}) { name "
      "} }",
      {{"Boolean cannot represent a non boolean value: \"yes\"", {{1, 20}}},
       {"Int cannot represent non-integer value: \"1\"", {{1, 42}}},
       {"Int cannot represent non-integer value: \"2\"", {{1, 57}}},
       {"Boolean cannot represent a non boolean value: 1", {{1, 86}}}});
}

TEST(values_of_correct_type, unknown_directive_arguments_use_the_field_definition) {
  expect_errors("{ arguments { intArgField(intArg: 1) @unknown(intArg: \"x\") } }",
                {{"Unknown directive \"@unknown\".", {{1, 38}}},
                 {"Int cannot represent non-integer value: \"x\"", {{1, 55}}}});
}

TEST(values_of_correct_type, unknown_argument_value_is_not_checked) {
  expect_errors("{ arguments { intArgField(other: \"x\") } }",
                {{"Unknown argument \"other\" on field \"Arguments.intArgField\".", {{1, 27}}}});
}

TEST(unique_input_field_names, distinct) {
  expect_valid(
      "{ arguments { complexArgField(complexArg: {requiredField: true, intField: 1, nested: {requiredField: "
      "true, intField: 1}}) } }");
}

TEST(unique_input_field_names, duplicates) {
  expect_errors(
      "{ arguments { complexArgField(complexArg: {requiredField: true, intField: 1, intField: 2, intField: "
      "3}) } }",
      {{"There can be only one input field named \"intField\".", {{1, 65}, {1, 78}}},
       {"There can be only one input field named \"intField\".", {{1, 65}, {1, 91}}}});
}

TEST(unique_input_field_names, duplicates_in_nested_objects) {
  expect_errors(
      "{ arguments { complexArgField(complexArg: {requiredField: true, nested: {requiredField: true, "
      "requiredField: false}}) } }",
      {{"There can be only one input field named \"requiredField\".", {{1, 74}, {1, 95}}}});
}

TEST(unique_input_field_names, duplicates_in_unknown_arguments) {
  expect_errors("{ dog { name(a: {x: 1, x: 2}) } }",
                {{"Unknown argument \"a\" on field \"Dog.name\".", {{1, 14}}},
                 {"There can be only one input field named \"x\".", {{1, 18}, {1, 24}}}});
}

}  // namespace
}  // namespace sluice::validation::test
