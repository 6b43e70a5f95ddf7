// Tests for directives: KnownDirectives and UniqueDirectivesPerLocation.
// Each expectation is what graphql-js 16.15 reports for the same schema and document (all rules together).
#include <gtest/gtest.h>

#include "unit/validation/harness.hpp"

namespace sluice::validation::test {
namespace {

TEST(known_directives, known_in_valid_locations) {
  expect_valid(
      "query Q($v: Int @onVariableDefinition) @onQuery { dog @onField { ...F @onFragmentSpread ... "
      "@onInlineFragment { name } } arguments { intArgField(intArg: $v) } }\n"
      "fragment F on Dog @onFragmentDefinition { name }");
}

TEST(known_directives, unknown) {
  expect_errors(
      "{ dog @unknown { name @include(if: true) @alsoUnknown } }",
      {{"Unknown directive \"@unknown\".", {{1, 7}}}, {"Unknown directive \"@alsoUnknown\".", {{1, 42}}}});
}

TEST(known_directives, misplaced) {
  expect_errors(
      "query Q @onField { dog @onQuery { ...F @onInlineFragment } }\n"
      "fragment F on Dog @onFragmentSpread { name }\n"
      "mutation M @onQuery { mutateDog { name } }\n"
      "subscription S @onMutation { newMessage { body } }",
      {{"Directive \"@onField\" may not be used on QUERY.", {{1, 9}}},
       {"Directive \"@onQuery\" may not be used on FIELD.", {{1, 24}}},
       {"Directive \"@onInlineFragment\" may not be used on FRAGMENT_SPREAD.", {{1, 40}}},
       {"Directive \"@onFragmentSpread\" may not be used on FRAGMENT_DEFINITION.", {{2, 19}}},
       {"Directive \"@onQuery\" may not be used on MUTATION.", {{3, 12}}},
       {"Directive \"@onMutation\" may not be used on SUBSCRIPTION.", {{4, 16}}}});
}

TEST(known_directives, misplaced_on_variable_definition) {
  expect_errors("query Q($a: Int @onField) { arguments { intArgField(intArg: $a) } }",
                {{"Directive \"@onField\" may not be used on VARIABLE_DEFINITION.", {{1, 17}}}});
}

TEST(known_directives, in_type_system_definitions) {
  expect_errors(
      "{ dog { name } }\n"
      "extend schema @onObject\n"
      "type T @onObject @onField { a(x: Int @onField): String @onFieldDefinition }\n"
      "input I @onObject { f: Int @onObject }\n"
      "extend input I @onObject { g: Int @onObject }\n"
      "enum E @onObject { A @onObject }",
      {{"The schema definition is not executable.", {{2, 1}}},
       {"The \"T\" definition is not executable.", {{3, 1}}},
       {"The \"I\" definition is not executable.", {{4, 1}}},
       {"The \"I\" definition is not executable.", {{5, 1}}},
       {"The \"E\" definition is not executable.", {{6, 1}}},
       {"Directive \"@onObject\" may not be used on SCHEMA.", {{2, 15}}},
       {"Directive \"@onField\" may not be used on OBJECT.", {{3, 18}}},
       {"Directive \"@onField\" may not be used on ARGUMENT_DEFINITION.", {{3, 38}}},
       {"Directive \"@onObject\" may not be used on INPUT_OBJECT.", {{4, 9}}},
       {"Directive \"@onObject\" may not be used on INPUT_FIELD_DEFINITION.", {{4, 28}}},
       {"The directive \"@onObject\" can only be used once at this location.", {{4, 9}, {5, 16}}},
       {"Directive \"@onObject\" may not be used on INPUT_OBJECT.", {{5, 16}}},
       {"Directive \"@onObject\" may not be used on ARGUMENT_DEFINITION.", {{5, 35}}},
       {"Directive \"@onObject\" may not be used on ENUM.", {{6, 8}}},
       {"Directive \"@onObject\" may not be used on ENUM_VALUE.", {{6, 22}}}});
}

TEST(known_directives, directive_defined_in_the_document) {
  expect_errors(
      "{ dog @cow { name } }\n"
      "directive @cow on FIELD",
      {{"The \"cow\" definition is not executable.", {{2, 1}}}});
}

TEST(unique_directives_per_location, distinct_and_repeatable) {
  expect_valid(
      "{ dog @onField @tag(name: \"a\") @tag(name: \"b\") { name @include(if: true) @skip(if: false) } }");
}

TEST(unique_directives_per_location, duplicates) {
  expect_errors("{ dog @onField @onField @onField { name @include(if: true) @include(if: false) } }",
                {{"The directive \"@onField\" can only be used once at this location.", {{1, 7}, {1, 16}}},
                 {"The directive \"@onField\" can only be used once at this location.", {{1, 7}, {1, 25}}},
                 {"The directive \"@include\" can only be used once at this location.", {{1, 41}, {1, 60}}}});
}

TEST(unique_directives_per_location, same_directive_at_different_locations) {
  expect_valid("query Q @onQuery { dog @onField { name @onField } }");
}

TEST(unique_directives_per_location, type_definition_and_extension_share_a_location) {
  expect_errors(
      "{ dog { name } }\n"
      "type T @onObject { a: Int }\n"
      "extend type T @onObject",
      {{"The \"T\" definition is not executable.", {{2, 1}}},
       {"The \"T\" definition is not executable.", {{3, 1}}},
       {"The directive \"@onObject\" can only be used once at this location.", {{2, 8}, {3, 15}}}});
}

TEST(unique_directives_per_location, schema_definition_and_extension_share_a_location) {
  expect_errors(
      "{ dog { name } }\n"
      "schema @onObject { query: Query }\n"
      "extend schema @onObject",
      {{"The schema definition is not executable.", {{2, 1}}},
       {"The schema definition is not executable.", {{3, 1}}},
       {"Directive \"@onObject\" may not be used on SCHEMA.", {{2, 8}}},
       {"The directive \"@onObject\" can only be used once at this location.", {{2, 8}, {3, 15}}},
       {"Directive \"@onObject\" may not be used on SCHEMA.", {{3, 15}}}});
}

TEST(unique_directives_per_location, unknown_directives_are_not_checked) {
  expect_errors("{ dog @unknown @unknown { name } }", {{"Unknown directive \"@unknown\".", {{1, 7}}},
                                                       {"Unknown directive \"@unknown\".", {{1, 16}}}});
}

}  // namespace
}  // namespace sluice::validation::test
