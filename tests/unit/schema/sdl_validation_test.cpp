// SDL validation before building: each rule's message and locations, as graphql-js reports them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "schema_test_util.hpp"

namespace sluice::schema {
namespace {

struct expected_error {
  std::string message;
  std::vector<source_location> locations;
};

struct rejection_case {
  std::string name;
  std::string sdl;
  std::vector<expected_error> errors;
};

void PrintTo(const rejection_case& c, std::ostream* os) {
  *os << c.name;
}

// Messages and locations are what graphql-js 16.15's validateSDL reports for the same SDL.
const std::vector<rejection_case> cases = {
    {"duplicate_type",
     "type Query { a: Int } type Query { b: Int }",
     {{"There can be only one type named \"Query\".", {{1, 6}, {1, 28}}}}},
    {"duplicate_field",
     "type Query { a: Int a: String }",
     {{"Field \"Query.a\" can only be defined once.", {{1, 14}, {1, 21}}}}},
    {"duplicate_field_in_extension",
     "type Query { a: Int } extend type Query { a: Int }",
     {{"Field \"Query.a\" can only be defined once.", {{1, 14}, {1, 43}}}}},
    {"duplicate_input_field",
     "type Query { a(x: In): Int } input In { a: Int, a: Int }",
     {{"Field \"In.a\" can only be defined once.", {{1, 41}, {1, 49}}}}},
    {"duplicate_argument_definition",
     "type Query { a(x: Int, x: String): Int }",
     {{"Argument \"Query.a(x:)\" can only be defined once.", {{1, 16}, {1, 24}}}}},
    {"duplicate_directive_argument_definition",
     "directive @d(x: Int, x: Int) on FIELD type Query { a: Int }",
     {{"Argument \"@d(x:)\" can only be defined once.", {{1, 14}, {1, 22}}}}},
    {"duplicate_enum_value",
     "enum E { A A } type Query { a: E }",
     {{"Enum value \"E.A\" can only be defined once.", {{1, 10}, {1, 12}}}}},
    {"duplicate_directive",
     "directive @d on FIELD directive @d on FIELD type Query { a: Int }",
     {{"There can be only one directive named \"@d\".", {{1, 12}, {1, 34}}}}},
    {"unknown_type", "type Query { a: Foo }", {{"Unknown type \"Foo\".", {{1, 17}}}}},
    {"unknown_type_suggestion",
     "type Query { a: Strin }",
     {{"Unknown type \"Strin\". Did you mean \"String\"?", {{1, 17}}}}},
    {"unknown_interface",
     "type Query implements Nod { a: Int } interface Node { a: Int }",
     {{"Unknown type \"Nod\". Did you mean \"Node\" or \"ID\"?", {{1, 23}}}}},
    {"unknown_directive", "type Query { a: Int @unknown }", {{"Unknown directive \"@unknown\".", {{1, 21}}}}},
    {"misplaced_directive",
     "type Query @deprecated { a: Int }",
     {{"Directive \"@deprecated\" may not be used on OBJECT.", {{1, 12}}}}},
    {"repeated_directive",
     "type Query { a: Int @deprecated @deprecated }",
     {{"The directive \"@deprecated\" can only be used once at this location.", {{1, 21}, {1, 33}}}}},
    {"repeated_directive_across_extension",
     "scalar S @specifiedBy(url: \"a\") extend scalar S @specifiedBy(url: \"b\") type Query { a: S }",
     {{"The directive \"@specifiedBy\" can only be used once at this location.", {{1, 10}, {1, 49}}}}},
    {"unknown_directive_argument",
     "type Query { a: Int @deprecated(reasn: \"x\") }",
     {{"Unknown argument \"reasn\" on directive \"@deprecated\". Did you mean \"reason\"?", {{1, 33}}}}},
    {"missing_directive_argument",
     "scalar S @specifiedBy type Query { a: S }",
     {{"Directive \"@specifiedBy\" argument \"url\" of type \"String!\" is required, but it was not "
       "provided.",
       {{1, 10}}}}},
    {"missing_custom_directive_argument",
     "directive @d(x: Int!) on FIELD_DEFINITION type Query { a: Int @d }",
     {{"Directive \"@d\" argument \"x\" of type \"Int!\" is required, but it was not provided.", {{1, 63}}}}},
    {"duplicate_directive_argument",
     "type Query { a: Int @deprecated(reason: \"x\", reason: \"y\") }",
     {{"There can be only one argument named \"reason\".", {{1, 33}, {1, 46}}}}},
    {"duplicate_input_field_in_value",
     "type Query { a(x: In = {a: 1, a: 2}): Int } input In { a: Int }",
     {{"There can be only one input field named \"a\".", {{1, 25}, {1, 31}}}}},
    {"extend_unknown_type",
     "type Query { a: Int } extend type Qury { b: Int }",
     {{"Cannot extend type \"Qury\" because it is not defined. Did you mean \"Query\"?", {{1, 35}}}}},
    {"extend_wrong_kind",
     "type Query { a: Int } extend interface Query { b: Int }",
     {{"Cannot extend non-interface type \"Query\".", {{1, 1}, {1, 23}}}}},
    {"two_schema_definitions",
     "schema { query: Q } schema { query: Q } type Q { a: Int }",
     {{"Must provide only one schema definition.", {{1, 21}}},
      {"There can be only one query type in schema.", {{1, 10}, {1, 30}}}}},
    {"duplicate_operation_type",
     "schema { query: Q query: Q } type Q { a: Int }",
     {{"There can be only one query type in schema.", {{1, 10}, {1, 19}}}}},
    {"executable_definition_checked",
     "type Query { a: Int } query ($x: Foo) { a @foo }",
     {{"Unknown type \"Foo\".", {{1, 34}}}, {"Unknown directive \"@foo\".", {{1, 43}}}}},
};

class SdlValidation : public ::testing::TestWithParam<rejection_case> {};

TEST_P(SdlValidation, RejectsWithGraphqlJsMessagesAndLocations) {
  const auto& c = GetParam();
  auto errors = testing::build_errors(c.sdl);
  ASSERT_EQ(errors.size(), c.errors.size())
      << c.sdl << "\nfirst: " << (errors.empty() ? "" : errors[0].message);
  for (std::size_t i = 0; i < errors.size(); ++i) {
    EXPECT_EQ(errors[i].message, c.errors[i].message);
    EXPECT_EQ(errors[i].locations, c.errors[i].locations) << errors[i].message;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, SdlValidation, ::testing::ValuesIn(cases),
                         [](const ::testing::TestParamInfo<rejection_case>& param) {
                           return param.param.name;
                         });

}  // namespace
}  // namespace sluice::schema
