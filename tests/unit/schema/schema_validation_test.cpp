// Type system validation of built schemas: each rule's message and locations, as graphql-js reports them.
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

// Messages and locations are what graphql-js 16.15 (validateSchema, or the build itself) reports for the same
// SDL.
const std::vector<rejection_case> cases = {
    {"query_missing", "type Foo { a: Int }", {{"Query root type must be provided.", {}}}},
    {"query_missing_with_schema",
     "schema { mutation: M } type M { a: Int }",
     {{"Query root type must be provided.", {{1, 1}}}}},
    {"query_not_object",
     "schema { query: Foo } input Foo { a: Int }",
     {{"Query root type must be Object type, it cannot be Foo.", {{1, 17}}}}},
    {"mutation_not_object",
     "type Query { a: Int } schema { query: Query mutation: In } input In { a: Int }",
     {{"Mutation root type must be Object type if provided, it cannot be In.", {{1, 55}}}}},
    {"subscription_not_object",
     "type Query { a: Int } schema { query: Query } extend schema { subscription: U } union U = Query",
     {{"Subscription root type must be Object type if provided, it cannot be U.", {{1, 77}}}}},
    {"reserved_type_name",
     "type Query { a: __Foo } type __Foo { a: Int }",
     {{"Name \"__Foo\" must not begin with \"__\", which is reserved by GraphQL introspection.", {{1, 25}}}}},
    {"reserved_field_name",
     "type Query { __a: Int }",
     {{"Name \"__a\" must not begin with \"__\", which is reserved by GraphQL introspection.", {{1, 14}}}}},
    {"reserved_argument_name",
     "type Query { a(__x: Int): Int }",
     {{"Name \"__x\" must not begin with \"__\", which is reserved by GraphQL introspection.", {{1, 16}}}}},
    {"reserved_enum_value",
     "enum E { __A } type Query { a: E }",
     {{"Name \"__A\" must not begin with \"__\", which is reserved by GraphQL introspection.", {{1, 10}}}}},
    {"reserved_directive_name",
     "directive @__d on FIELD type Query { a: Int }",
     {{"Name \"__d\" must not begin with \"__\", which is reserved by GraphQL introspection.", {{1, 1}}}}},
    {"no_fields", "type Query", {{"Type Query must define one or more fields.", {{1, 1}}}}},
    {"input_without_fields",
     "type Query { a(x: In): Int } input In",
     {{"Input Object type In must define one or more fields.", {{1, 30}}}}},
    {"enum_without_values",
     "type Query { a: E } enum E",
     {{"Enum type E must define one or more values.", {{1, 21}}}}},
    {"union_without_members",
     "type Query { a: U } union U",
     {{"Union type U must define one or more member types.", {{1, 21}}}}},
    {"field_not_output",
     "type Query { a: In } input In { a: Int }",
     {{"The type of Query.a must be Output Type but got: In.", {{1, 17}}}}},
    {"argument_not_input",
     "type Query { a(x: Query): Int }",
     {{"The type of Query.a(x:) must be Input Type but got: Query.", {{1, 19}}}}},
    {"input_field_not_input",
     "type Query { a(x: In): Int } input In { q: Query }",
     {{"The type of In.q must be Input Type but got: Query.", {{1, 44}}}}},
    {"directive_argument_not_input",
     "directive @d(x: Query) on FIELD type Query { a: Int }",
     {{"The type of @d(x:) must be Input Type but got: Query.", {{1, 14}}}}},
    {"implements_non_interface",
     "type Query implements Other { a: Int } type Other { a: Int }",
     {{"Type Query must only implement Interface types, it cannot implement Other.", {{1, 23}}}}},
    {"implements_itself",
     "interface I implements I { a: Int } type Query { a: I }",
     {{"Type I cannot implement itself because it would create a circular reference.", {{1, 24}}}}},
    {"implements_twice",
     "interface I { a: Int } type Query implements I & I { a: Int }",
     {{"Type Query can only implement I once.", {{1, 46}, {1, 50}}}}},
    {"missing_interface_field",
     "interface I { a: Int } type Query implements I { b: Int }",
     {{"Interface field I.a expected but Query does not provide it.", {{1, 15}, {1, 24}}}}},
    {"wrong_field_type",
     "interface I { a: Int } type Query implements I { a: String }",
     {{"Interface field I.a expects type Int but Query.a is type String.", {{1, 18}, {1, 53}}}}},
    {"nullable_for_non_null",
     "interface I { a: Int! } type Query implements I { a: Int }",
     {{"Interface field I.a expects type Int! but Query.a is type Int.", {{1, 18}, {1, 54}}}}},
    {"covariant_ok_then_bad_list",
     "interface I { a: [I] } type Query implements I { a: Query }",
     {{"Interface field I.a expects type [I] but Query.a is type Query.", {{1, 18}, {1, 53}}}}},
    {"missing_interface_argument",
     "interface I { a(x: Int): Int } type Query implements I { a: Int }",
     {{"Interface field argument I.a(x:) expected but Query.a does not provide it.", {{1, 17}, {1, 58}}}}},
    {"wrong_argument_type",
     "interface I { a(x: Int): Int } type Query implements I { a(x: Int!): Int }",
     {{"Interface field argument I.a(x:) expects type Int but Query.a(x:) is type Int!.",
       {{1, 20}, {1, 63}}}}},
    {"extra_required_argument",
     "interface I { a: Int } type Query implements I { a(y: Int!): Int }",
     {{"Object field Query.a includes required argument y that is missing from the Interface field I.a.",
       {{1, 52}, {1, 15}}}}},
    {"missing_transitive_interface",
     "interface I { a: Int } interface J implements I { a: Int } type Query implements J { a: Int }",
     {{"Type Query must implement I because it is implemented by J.", {{1, 47}, {1, 82}}}}},
    {"circular_interfaces",
     "interface I implements J { a: Int } interface J implements I { a: Int } type Query { a: I }",
     {{"Type I cannot implement J because it would create a circular reference.", {{1, 60}, {1, 24}}},
      {"Type J cannot implement I because it would create a circular reference.", {{1, 24}, {1, 60}}}}},
    {"union_member_twice",
     "type Query { a: U } union U = Query | Query",
     {{"Union type U can only include type Query once.", {{1, 31}, {1, 39}}}}},
    {"union_member_not_object",
     "type Query { a: U } union U = Query | In input In { a: Int }",
     {{"Union type U can only include Object types, it cannot include In.", {{1, 39}}}}},
    {"input_cycle",
     "type Query { a(x: A): Int } input A { b: B! } input B { a: A! }",
     {{"Cannot reference Input Object \"A\" within itself through a series of non-null fields: \"b.a\".",
       {{1, 39}, {1, 57}}}}},
    {"input_self_cycle",
     "type Query { a(x: A): Int } input A { a: A! }",
     {{"Cannot reference Input Object \"A\" within itself through a series of non-null fields: \"a\".",
       {{1, 39}}}}},
    {"one_of_rules",
     "type Query { a(x: O): Int } input O @oneOf { a: Int! b: String = \"x\" }",
     {{"OneOf input field O.a must be nullable.", {{1, 49}}},
      {"OneOf input field O.b cannot have a default value.", {{1, 54}}}}},
    {"required_argument_deprecated",
     "type Query { a(x: Int! @deprecated): Int }",
     {{"Required argument Query.a(x:) cannot be deprecated.", {{1, 24}, {1, 19}}}}},
    {"required_input_field_deprecated",
     "type Query { a(x: In): Int } input In { a: Int! @deprecated(reason: \"r\") }",
     {{"Required input field In.a cannot be deprecated.", {{1, 49}, {1, 44}}}}},
    {"required_directive_argument_deprecated",
     "directive @d(x: Int! @deprecated) on FIELD type Query { a: Int }",
     {{"Required argument @d(x:) cannot be deprecated.", {{1, 22}, {1, 17}}}}},
    {"invalid_specified_by_url",
     "scalar S @specifiedBy(url: null) type Query { a: S }",
     {{"Argument \"url\" of non-null type \"String!\" must not be null.", {{1, 28}}}}},
    {"several_errors",
     "type Query { __a: In, b(x: Query): Int } input In union U",
     {{"Name \"__a\" must not begin with \"__\", which is reserved by GraphQL introspection.", {{1, 14}}},
      {"The type of Query.__a must be Output Type but got: In.", {{1, 19}}},
      {"The type of Query.b(x:) must be Input Type but got: Query.", {{1, 28}}},
      {"Input Object type In must define one or more fields.", {{1, 42}}},
      {"Union type U must define one or more member types.", {{1, 51}}}}},
};

class SchemaValidation : public ::testing::TestWithParam<rejection_case> {};

TEST_P(SchemaValidation, RejectsWithGraphqlJsMessagesAndLocations) {
  const auto& c = GetParam();
  auto errors = testing::build_errors(c.sdl);
  ASSERT_EQ(errors.size(), c.errors.size())
      << c.sdl << "\nfirst: " << (errors.empty() ? "" : errors[0].message);
  for (std::size_t i = 0; i < errors.size(); ++i) {
    EXPECT_EQ(errors[i].message, c.errors[i].message);
    EXPECT_EQ(errors[i].locations, c.errors[i].locations) << errors[i].message;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, SchemaValidation, ::testing::ValuesIn(cases),
                         [](const ::testing::TestParamInfo<rejection_case>& param) {
                           return param.param.name;
                         });

}  // namespace
}  // namespace sluice::schema
