// Tests for selections: ScalarLeafs, FieldsOnCorrectType, KnownTypeNames, FragmentsOnCompositeTypes,
// PossibleFragmentSpreads. Each expectation is what graphql-js 16.15 reports for the same schema and document
// (all rules together).
#include <gtest/gtest.h>

#include "unit/validation/harness.hpp"

namespace sluice::validation::test {
namespace {

TEST(scalar_leafs, scalars_and_objects) {
  expect_valid("{ dog { name barkVolume owner { name } } }");
}

TEST(scalar_leafs, object_without_selection) {
  expect_errors(
      "{ dog }",
      {{"Field \"dog\" of type \"Dog\" must have a selection of subfields. Did you mean \"dog { ... }\"?",
        {{1, 3}}}});
}

TEST(scalar_leafs, list_of_objects_without_selection) {
  expect_errors(
      "query Q { dogs }",
      {{"Field \"dogs\" of type \"[Dog]\" must have a selection of subfields. Did you mean \"dogs { ... }\"?",
        {{1, 11}}}});
}

TEST(scalar_leafs, interface_and_union_without_selection) {
  expect_errors(
      "{ pet catOrDog }",
      {{"Field \"pet\" of type \"Pet\" must have a selection of subfields. Did you mean \"pet { ... }\"?",
        {{1, 3}}},
       {"Field \"catOrDog\" of type \"CatOrDog\" must have a selection of subfields. Did you mean \"catOrDog "
        "{ ... }\"?",
        {{1, 7}}}});
}

TEST(scalar_leafs, scalar_with_selection) {
  expect_errors(
      "{ dog { name { length } } }",
      {{"Field \"name\" must not have a selection since type \"String!\" has no subfields.", {{1, 14}}}});
}

TEST(scalar_leafs, enum_with_selection_after_arguments_and_directives) {
  expect_errors(
      "{ dog { doesKnowCommand(dogCommand: SIT) @tag(name: \"{\") {\n"
      "  x } } }",
      {{"Field \"doesKnowCommand\" must not have a selection since type \"Boolean!\" has no subfields.",
        {{1, 58}}}});
}

TEST(scalar_leafs, selection_set_on_another_line) {
  expect_errors(
      "query Q {\n"
      "  dog {\n"
      "    barkVolume\n"
      "    @tag(name: \")\")\n"
      "    { sinceWhen }\n"
      "  }\n"
      "}",
      {{"Field \"barkVolume\" must not have a selection since type \"Int\" has no subfields.", {{5, 5}}}});
}

TEST(fields_on_correct_type, known_fields_and_typename) {
  expect_valid("{ __typename dog { __typename name } catOrDog { __typename } }");
}

TEST(fields_on_correct_type, unknown_field_with_suggestion) {
  expect_errors("{ dog { nam } }",
                {{"Cannot query field \"nam\" on type \"Dog\". Did you mean \"name\"?", {{1, 9}}}});
}

TEST(fields_on_correct_type, unknown_field_without_suggestion) {
  expect_errors("{ dog { xyzzy } }", {{"Cannot query field \"xyzzy\" on type \"Dog\".", {{1, 9}}}});
}

TEST(fields_on_correct_type, aliased_unknown_field) {
  expect_errors("{ dog { alias: unknownField } }",
                {{"Cannot query field \"unknownField\" on type \"Dog\".", {{1, 9}}}});
}

TEST(fields_on_correct_type, field_on_union) {
  expect_errors("{ catOrDog { name } }", {{"Cannot query field \"name\" on type \"CatOrDog\". Did you mean "
                                           "to use an inline fragment on \"Pet\", \"Cat\", or \"Dog\"?",
                                           {{1, 14}}}});
}

TEST(fields_on_correct_type, field_on_interface_suggests_types) {
  expect_errors("{ pet { meowVolume } }", {{"Cannot query field \"meowVolume\" on type \"Pet\". Did you mean "
                                            "to use an inline fragment on \"Cat\"?",
                                            {{1, 9}}}});
}

TEST(fields_on_correct_type, field_on_union_suggests_interface_first) {
  expect_errors("{ dogOrHuman { name } }",
                {{"Cannot query field \"name\" on type \"DogOrHuman\". Did you mean to use an inline "
                  "fragment on \"Sentient\", \"Human\", \"Pet\", or \"Dog\"?",
                  {{1, 16}}}});
}

TEST(fields_on_correct_type, meta_fields_only_on_query_root) {
  expect_errors("{ dog { __schema { queryType { name } } } }",
                {{"Cannot query field \"__schema\" on type \"Dog\".", {{1, 9}}}});
}

TEST(fields_on_correct_type, nested_unknown_not_reported_twice) {
  expect_errors("{ unknown { alsoUnknown } }",
                {{"Cannot query field \"unknown\" on type \"Query\".", {{1, 3}}}});
}

TEST(known_type_names, known_types) {
  expect_valid(
      "query Q($a: String, $b: DogCommand!) { arguments { stringArgField(stringArg: $a) } dog { ... on Pet { "
      "name } ...F doesKnowCommand(dogCommand: $b) } }\n"
      "fragment F on Dog { name }");
}

TEST(known_type_names, unknown_variable_type) {
  expect_errors("query Q($a: Strin, $b: [Dgo]) { dog { name } }",
                {{"Unknown type \"Strin\". Did you mean \"String\"?", {{1, 13}}},
                 {"Unknown type \"Dgo\". Did you mean \"Dog\"?", {{1, 25}}},
                 {"Variable \"$a\" is never used in operation \"Q\".", {{1, 9}}},
                 {"Variable \"$b\" is never used in operation \"Q\".", {{1, 20}}}});
}

TEST(known_type_names, unknown_type_conditions) {
  expect_errors(
      "{ dog { ... on Bad { name } ...F } }\n"
      "fragment F on Badger { name }",
      {{"Unknown type \"Bad\". Did you mean \"Cat\" or \"ID\"?", {{1, 16}}},
       {"Unknown type \"Badger\".", {{2, 15}}}});
}

TEST(known_type_names, standard_types_in_type_system_definitions) {
  expect_errors(
      "{ dog { name }}\n"
      "type T { a: String b: __Type c: Unknown }",
      {{"The \"T\" definition is not executable.", {{2, 1}}}, {"Unknown type \"Unknown\".", {{2, 33}}}});
}

TEST(known_type_names, types_defined_in_the_document_are_known) {
  expect_errors(
      "query Q($a: Cow) { extras { jsonArgField(json: $a) } }\n"
      "input Cow { a: Int }",
      {{"The \"Cow\" definition is not executable.", {{2, 1}}}});
}

TEST(fragments_on_composite_types, object_interface_and_union) {
  expect_valid(
      "{ dog { ...F ...G ... on Pet { name } } catOrDog { ...H } }\n"
      "fragment F on Dog { name }\n"
      "fragment G on Pet { name }\n"
      "fragment H on CatOrDog { __typename }");
}

TEST(fragments_on_composite_types, fragment_on_scalar) {
  expect_errors(
      "{ dog { ...F } }\n"
      "fragment F on Boolean { x }",
      {{"Fragment \"F\" cannot condition on non composite type \"Boolean\".", {{2, 15}}}});
}

TEST(fragments_on_composite_types, fragment_on_enum_and_input) {
  expect_errors(
      "{ dog { ...F ...G } }\n"
      "fragment F on FurColor { x }\n"
      "fragment G on ComplexInput { x }",
      {{"Fragment \"F\" cannot condition on non composite type \"FurColor\".", {{2, 15}}},
       {"Fragment \"G\" cannot condition on non composite type \"ComplexInput\".", {{3, 15}}}});
}

TEST(fragments_on_composite_types, inline_fragment_on_scalar) {
  expect_errors("{ dog { ... on String { x } } }",
                {{"Fragment cannot condition on non composite type \"String\".", {{1, 16}}}});
}

TEST(possible_fragment_spreads, object_into_same_object) {
  expect_valid(
      "{ dog { ...F } }\n"
      "fragment F on Dog { name }");
}

TEST(possible_fragment_spreads, object_into_implemented_interface) {
  expect_valid("{ pet { ... on Dog { name } } }");
}

TEST(possible_fragment_spreads, union_into_overlapping_union) {
  expect_valid("{ catOrDog { ... on DogOrHuman { __typename } } }");
}

TEST(possible_fragment_spreads, object_into_other_object) {
  expect_errors(
      "{ dog { ...F } }\n"
      "fragment F on Cat { name }",
      {{"Fragment \"F\" cannot be spread here as objects of type \"Dog\" can never be of type \"Cat\".",
        {{1, 9}}}});
}

TEST(possible_fragment_spreads, inline_object_into_other_object) {
  expect_errors("{ dog { ... on Cat { name } } }",
                {{"Fragment cannot be spread here as objects of type \"Dog\" can never be of type \"Cat\".",
                  {{1, 9}}}});
}

TEST(possible_fragment_spreads, union_into_disjoint_union) {
  expect_errors("{ humanOrAlien { ... on CatOrDog { __typename } } }",
                {{"Fragment cannot be spread here as objects of type \"HumanOrAlien\" can never be of type "
                  "\"CatOrDog\".",
                  {{1, 18}}}});
}

TEST(possible_fragment_spreads, interface_into_non_implementing_object) {
  expect_errors("{ human { ... on Pet { name } } }",
                {{"Fragment cannot be spread here as objects of type \"Human\" can never be of type \"Pet\".",
                  {{1, 11}}}});
}

TEST(possible_fragment_spreads, unknown_fragment_type_is_not_checked) {
  expect_errors(
      "{ dog { ...F } }\n"
      "fragment F on Unknown { name }",
      {{"Unknown type \"Unknown\".", {{2, 15}}}});
}

}  // namespace
}  // namespace sluice::validation::test
