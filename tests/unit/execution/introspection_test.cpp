// Introspection tests: __schema, __type and the introspection types answer exactly as graphql-js 16 does.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "sluice/execution/executor.hpp"
#include "sluice/schema/builder.hpp"

namespace sluice::execution {
namespace {

// Every expected text in this file is what graphql-js 16.15 (the reference pinned in package.json) answers for the
// same schema and query: graphqlSync({schema: buildSchema(sdl), source, variableValues}), then JSON.stringify.
constexpr const char* test_sdl = R"sdl(
"""The test schema."""
schema { query: Query mutation: Mutation }

"The root query."
type Query {
  "A node by id."
  node(id: ID!, "Old id." legacyId: Int @deprecated(reason: "Use id.")): Node
  search(filter: Filter = {text: "x", tags: ["a", "b"], order: DESC}, first: Int = 5): [Result!]!
  url: Url
  old: String @deprecated
  older: String @deprecated(reason: "Gone.")
  matrix: [[Float!]]!
}

type Mutation {
  ping(id: ID = "123", key: ID = "abc", f: Float = 1.5, g: Float = 2, b: Boolean = true, s: String = "q\"\n\u00e9", n: Int = null, l: [Int] = 7, o: Order, c: Choice = {b: "x"}): Boolean
}

interface Node { id: ID! }
"Something with a name."
interface Entity implements Node { id: ID! name: String }
type User implements Entity & Node { id: ID! name: String }
type Post implements Node { id: ID! title: String }
union Result = Post | User

enum Order {
  ASC
  "Descending."
  DESC
  OLD @deprecated(reason: "No.")
}

input Filter {
  text: String!
  limit: Int = 20
  tags: [String!]
  order: Order = ASC
  legacy: String @deprecated(reason: "unused")
}

input Choice @oneOf { a: Int b: String }

scalar Url @specifiedBy(url: "https://url.spec.whatwg.org/")

"Caches things."
directive @cache(ttl: Int = 60, scope: String @deprecated(reason: "x")) repeatable on FIELD_DEFINITION | OBJECT
)sdl";

std::unique_ptr<executor> make_executor(const std::string& sdl) {
  auto built = schema::build_schema(sdl);
  if (!built.ok()) {
    std::string messages;
    for (const auto& e : built.errors) messages += e.message + "\n";
    throw std::runtime_error("the test schema does not build:\n" + messages);
  }
  executor_options options;
  options.require_sources = false;  // introspection only: no subscription is made
  return std::make_unique<executor>(built.built, resolver_map{}, options);
}

class Introspection : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ex_ = make_executor(test_sdl).release(); }
  static void TearDownTestSuite() {
    delete ex_;
    ex_ = nullptr;
  }
  static std::string run(const std::string& query, sluice::value variables = {}) {
    request req;
    req.query = query;
    req.variables = std::move(variables);
    return ex_->execute_sync(req).to_json();
  }
  static executor* ex_;
};

executor* Introspection::ex_ = nullptr;

TEST_F(Introspection, TypenameOnRootAndIntrospectionObjects) {
  EXPECT_EQ(run("{ __typename }"), R"({"data":{"__typename":"Query"}})");
  EXPECT_EQ(
      run(R"({ __schema { __typename queryType { __typename name } } __type(name: "Order") { __typename enumValues { __typename } } })"),
      R"({"data":{"__schema":{"__typename":"__Schema","queryType":{"__typename":"__Type","name":"Query"}},"__type":{"__typename":"__Type","enumValues":[{"__typename":"__EnumValue"},{"__typename":"__EnumValue"}]}}})");
}

TEST_F(Introspection, SchemaRootTypes) {
  EXPECT_EQ(
      run("{ __schema { description queryType { name } mutationType { name } subscriptionType { name } } }"),
      R"({"data":{"__schema":{"description":"The test schema.","queryType":{"name":"Query"},"mutationType":{"name":"Mutation"},"subscriptionType":null}}})");
}

TEST_F(Introspection, ScalarTypeHasOnlyNameDescriptionAndSpecifiedByUrl) {
  EXPECT_EQ(
      run(R"({ __type(name: "Url") { kind name description specifiedByURL fields { name } interfaces { name } possibleTypes { name } enumValues { name } inputFields { name } ofType { name } isOneOf } })"),
      R"({"data":{"__type":{"kind":"SCALAR","name":"Url","description":null,"specifiedByURL":"https://url.spec.whatwg.org/","fields":null,"interfaces":null,"possibleTypes":null,"enumValues":null,"inputFields":null,"ofType":null,"isOneOf":null}}})");
  EXPECT_EQ(
      run(R"({ __type(name: "String") { kind name description specifiedByURL } })"),
      R"({"data":{"__type":{"kind":"SCALAR","name":"String","description":"The `String` scalar type represents textual data, represented as UTF-8 character sequences. The String type is most often used by GraphQL to represent free-form human-readable text.","specifiedByURL":null}}})");
}

TEST_F(Introspection, ObjectType) {
  EXPECT_EQ(
      run(R"({ __type(name: "User") { kind name description specifiedByURL fields { name } interfaces { name } possibleTypes { name } enumValues { name } inputFields { name } ofType { name } isOneOf } })"),
      R"({"data":{"__type":{"kind":"OBJECT","name":"User","description":null,"specifiedByURL":null,"fields":[{"name":"id"},{"name":"name"}],"interfaces":[{"name":"Entity"},{"name":"Node"}],"possibleTypes":null,"enumValues":null,"inputFields":null,"ofType":null,"isOneOf":null}}})");
}

TEST_F(Introspection, InterfaceTypes) {
  EXPECT_EQ(
      run(R"({ __type(name: "Entity") { kind name description fields { name type { kind name ofType { kind name } } } interfaces { name } possibleTypes { name } enumValues { name } inputFields { name } ofType { name } isOneOf } })"),
      R"({"data":{"__type":{"kind":"INTERFACE","name":"Entity","description":"Something with a name.","fields":[{"name":"id","type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"SCALAR","name":"ID"}}},{"name":"name","type":{"kind":"SCALAR","name":"String","ofType":null}}],"interfaces":[{"name":"Node"}],"possibleTypes":[{"name":"User"}],"enumValues":null,"inputFields":null,"ofType":null,"isOneOf":null}}})");
  EXPECT_EQ(run(R"({ __type(name: "Node") { kind interfaces { name } possibleTypes { name } } })"),
            R"({"data":{"__type":{"kind":"INTERFACE","interfaces":[],"possibleTypes":[{"name":"User"},{"name":"Post"}]}}})");
}

TEST_F(Introspection, UnionType) {
  EXPECT_EQ(
      run(R"({ __type(name: "Result") { kind name fields { name } interfaces { name } possibleTypes { kind name } enumValues { name } inputFields { name } isOneOf } })"),
      R"({"data":{"__type":{"kind":"UNION","name":"Result","fields":null,"interfaces":null,"possibleTypes":[{"kind":"OBJECT","name":"Post"},{"kind":"OBJECT","name":"User"}],"enumValues":null,"inputFields":null,"isOneOf":null}}})");
}

TEST_F(Introspection, EnumType) {
  EXPECT_EQ(
      run(R"({ __type(name: "Order") { kind name fields { name } interfaces { name } possibleTypes { name } enumValues { name description isDeprecated deprecationReason } inputFields { name } isOneOf } })"),
      R"({"data":{"__type":{"kind":"ENUM","name":"Order","fields":null,"interfaces":null,"possibleTypes":null,"enumValues":[{"name":"ASC","description":null,"isDeprecated":false,"deprecationReason":null},{"name":"DESC","description":"Descending.","isDeprecated":false,"deprecationReason":null}],"inputFields":null,"isOneOf":null}}})");
}

TEST_F(Introspection, InputObjectTypesAndOneOf) {
  EXPECT_EQ(
      run(R"({ __type(name: "Filter") { kind name fields { name } interfaces { name } possibleTypes { name } enumValues { name } inputFields { name defaultValue } isOneOf } })"),
      R"({"data":{"__type":{"kind":"INPUT_OBJECT","name":"Filter","fields":null,"interfaces":null,"possibleTypes":null,"enumValues":null,"inputFields":[{"name":"text","defaultValue":null},{"name":"limit","defaultValue":"20"},{"name":"tags","defaultValue":null},{"name":"order","defaultValue":"ASC"}],"isOneOf":false}}})");
  EXPECT_EQ(run(R"({ __type(name: "Choice") { kind isOneOf inputFields { name type { name } } } })"),
            R"({"data":{"__type":{"kind":"INPUT_OBJECT","isOneOf":true,"inputFields":[{"name":"a","type":{"name":"Int"}},{"name":"b","type":{"name":"String"}}]}}})");
}

TEST_F(Introspection, UnknownTypeIsNull) {
  EXPECT_EQ(run(R"({ __type(name: "Missing") { name } })"), R"({"data":{"__type":null}})");
}

TEST_F(Introspection, TypeNameFromVariable) {
  EXPECT_EQ(run("query($n: String!) { __type(name: $n) { name kind } }", sluice::object{{"n", "User"}}),
            R"({"data":{"__type":{"name":"User","kind":"OBJECT"}}})");
}

TEST_F(Introspection, WrapperTypesChainThroughOfType) {
  EXPECT_EQ(
      run(R"({ __type(name: "Query") { fields(includeDeprecated: true) { name type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } })"),
      R"({"data":{"__type":{"fields":[{"name":"node","type":{"kind":"INTERFACE","name":"Node","ofType":null}},{"name":"search","type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"LIST","name":null,"ofType":{"kind":"NON_NULL","name":null,"ofType":{"kind":"UNION","name":"Result","ofType":null}}}}},{"name":"url","type":{"kind":"SCALAR","name":"Url","ofType":null}},{"name":"old","type":{"kind":"SCALAR","name":"String","ofType":null}},{"name":"older","type":{"kind":"SCALAR","name":"String","ofType":null}},{"name":"matrix","type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"LIST","name":null,"ofType":{"kind":"LIST","name":null,"ofType":{"kind":"NON_NULL","name":null,"ofType":{"kind":"SCALAR","name":"Float"}}}}}}]}}})");
}

TEST_F(Introspection, FieldsIncludeDeprecated) {
  EXPECT_EQ(
      run(R"({ __type(name: "Query") { a: fields { name isDeprecated deprecationReason } b: fields(includeDeprecated: false) { name } c: fields(includeDeprecated: true) { name isDeprecated deprecationReason } } })"),
      R"({"data":{"__type":{"a":[{"name":"node","isDeprecated":false,"deprecationReason":null},{"name":"search","isDeprecated":false,"deprecationReason":null},{"name":"url","isDeprecated":false,"deprecationReason":null},{"name":"matrix","isDeprecated":false,"deprecationReason":null}],"b":[{"name":"node"},{"name":"search"},{"name":"url"},{"name":"matrix"}],"c":[{"name":"node","isDeprecated":false,"deprecationReason":null},{"name":"search","isDeprecated":false,"deprecationReason":null},{"name":"url","isDeprecated":false,"deprecationReason":null},{"name":"old","isDeprecated":true,"deprecationReason":"No longer supported"},{"name":"older","isDeprecated":true,"deprecationReason":"Gone."},{"name":"matrix","isDeprecated":false,"deprecationReason":null}]}}})");
}

TEST_F(Introspection, IncludeDeprecatedNullOrUnsetVariableFilters) {
  const std::string filtered = R"({"data":{"__type":{"fields":[{"name":"node"},{"name":"search"},{"name":"url"},{"name":"matrix"}]}}})";
  EXPECT_EQ(run(R"({ __type(name: "Query") { fields(includeDeprecated: null) { name } } })"), filtered);
  EXPECT_EQ(run(R"(query($d: Boolean) { __type(name: "Query") { fields(includeDeprecated: $d) { name } } })"), filtered);
  EXPECT_EQ(run(R"(query($d: Boolean) { __type(name: "Order") { enumValues(includeDeprecated: $d) { name } } })",
                sluice::object{{"d", true}}),
            R"({"data":{"__type":{"enumValues":[{"name":"ASC"},{"name":"DESC"},{"name":"OLD"}]}}})");
}

TEST_F(Introspection, ArgsIncludeDeprecated) {
  EXPECT_EQ(
      run(R"({ __type(name: "Query") { fields(includeDeprecated: true) { name args { name } all: args(includeDeprecated: true) { name isDeprecated deprecationReason } } } })"),
      R"({"data":{"__type":{"fields":[{"name":"node","args":[{"name":"id"}],"all":[{"name":"id","isDeprecated":false,"deprecationReason":null},{"name":"legacyId","isDeprecated":true,"deprecationReason":"Use id."}]},{"name":"search","args":[{"name":"filter"},{"name":"first"}],"all":[{"name":"filter","isDeprecated":false,"deprecationReason":null},{"name":"first","isDeprecated":false,"deprecationReason":null}]},{"name":"url","args":[],"all":[]},{"name":"old","args":[],"all":[]},{"name":"older","args":[],"all":[]},{"name":"matrix","args":[],"all":[]}]}}})");
}

TEST_F(Introspection, EnumValuesIncludeDeprecated) {
  EXPECT_EQ(
      run(R"({ __type(name: "Order") { a: enumValues { name } b: enumValues(includeDeprecated: true) { name isDeprecated deprecationReason } } })"),
      R"({"data":{"__type":{"a":[{"name":"ASC"},{"name":"DESC"}],"b":[{"name":"ASC","isDeprecated":false,"deprecationReason":null},{"name":"DESC","isDeprecated":false,"deprecationReason":null},{"name":"OLD","isDeprecated":true,"deprecationReason":"No."}]}}})");
}

TEST_F(Introspection, InputFieldsIncludeDeprecated) {
  EXPECT_EQ(
      run(R"({ __type(name: "Filter") { a: inputFields { name } b: inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } } })"),
      R"({"data":{"__type":{"a":[{"name":"text"},{"name":"limit"},{"name":"tags"},{"name":"order"}],"b":[{"name":"text","isDeprecated":false,"deprecationReason":null},{"name":"limit","isDeprecated":false,"deprecationReason":null},{"name":"tags","isDeprecated":false,"deprecationReason":null},{"name":"order","isDeprecated":false,"deprecationReason":null},{"name":"legacy","isDeprecated":true,"deprecationReason":"unused"}]}}})");
}

TEST_F(Introspection, Descriptions) {
  EXPECT_EQ(
      run(R"({ __schema { description } __type(name: "Query") { description fields { name description args(includeDeprecated: true) { name description } } } entity: __type(name: "Entity") { description } order: __type(name: "Order") { enumValues { name description } } })"),
      R"({"data":{"__schema":{"description":"The test schema."},"__type":{"description":"The root query.","fields":[{"name":"node","description":"A node by id.","args":[{"name":"id","description":null},{"name":"legacyId","description":"Old id."}]},{"name":"search","description":null,"args":[{"name":"filter","description":null},{"name":"first","description":null}]},{"name":"url","description":null,"args":[]},{"name":"matrix","description":null,"args":[]}]},"entity":{"description":"Something with a name."},"order":{"enumValues":[{"name":"ASC","description":null},{"name":"DESC","description":"Descending."}]}}})");
}

TEST_F(Introspection, DefaultValuesPrintAsGraphQLLiterals) {
  EXPECT_EQ(
      run(R"({ __type(name: "Mutation") { fields { args { name type { name kind ofType { name } } defaultValue } } } search: __type(name: "Query") { fields { name args { name defaultValue } } } })"),
      R"({"data":{"__type":{"fields":[{"args":[{"name":"id","type":{"name":"ID","kind":"SCALAR","ofType":null},"defaultValue":"123"},{"name":"key","type":{"name":"ID","kind":"SCALAR","ofType":null},"defaultValue":"\"abc\""},{"name":"f","type":{"name":"Float","kind":"SCALAR","ofType":null},"defaultValue":"1.5"},{"name":"g","type":{"name":"Float","kind":"SCALAR","ofType":null},"defaultValue":"2"},{"name":"b","type":{"name":"Boolean","kind":"SCALAR","ofType":null},"defaultValue":"true"},{"name":"s","type":{"name":"String","kind":"SCALAR","ofType":null},"defaultValue":"\"q\\\"\\né\""},{"name":"n","type":{"name":"Int","kind":"SCALAR","ofType":null},"defaultValue":"null"},{"name":"l","type":{"name":null,"kind":"LIST","ofType":{"name":"Int"}},"defaultValue":"[7]"},{"name":"o","type":{"name":"Order","kind":"ENUM","ofType":null},"defaultValue":null},{"name":"c","type":{"name":"Choice","kind":"INPUT_OBJECT","ofType":null},"defaultValue":"{b: \"x\"}"}]}]},"search":{"fields":[{"name":"node","args":[{"name":"id","defaultValue":null}]},{"name":"search","args":[{"name":"filter","defaultValue":"{text: \"x\", limit: 20, tags: [\"a\", \"b\"], order: DESC}"},{"name":"first","defaultValue":"5"}]},{"name":"url","args":[]},{"name":"matrix","args":[]}]}}})");
}

// graphql-js cannot print an object given to a custom scalar as a literal: a field error on that defaultValue.
TEST(IntrospectionErrors, DefaultValueWithoutLiteralIsFieldError) {
  auto ex = make_executor(R"sdl(
scalar JSON
input Opts { meta: JSON = {source: "web", n: [1, 2.5], ok: true, none: null} plain: JSON = "x" }
type Query { f(opts: Opts): Int }
)sdl");
  request req;
  req.query = R"({ __type(name: "Opts") { inputFields { name defaultValue } } })";
  EXPECT_EQ(
      ex->execute_sync(req).to_json(),
      R"({"errors":[{"message":"Cannot convert value to AST: { source: \"web\", n: [1, 2.5], ok: true, none: null }.","locations":[{"line":1,"column":45}],"path":["__type","inputFields",0,"defaultValue"]}],"data":{"__type":{"inputFields":[{"name":"meta","defaultValue":null},{"name":"plain","defaultValue":"\"x\""}]}}})");
}

TEST_F(Introspection, DirectivesWithLocationsRepeatableAndArgs) {
  EXPECT_EQ(
      run(R"({ __schema { directives { name description isRepeatable locations args { name defaultValue } all: args(includeDeprecated: true) { name isDeprecated deprecationReason } } } })"),
      R"({"data":{"__schema":{"directives":[{"name":"cache","description":"Caches things.","isRepeatable":true,"locations":["FIELD_DEFINITION","OBJECT"],"args":[{"name":"ttl","defaultValue":"60"}],"all":[{"name":"ttl","isDeprecated":false,"deprecationReason":null},{"name":"scope","isDeprecated":true,"deprecationReason":"x"}]},{"name":"include","description":"Directs the executor to include this field or fragment only when the `if` argument is true.","isRepeatable":false,"locations":["FIELD","FRAGMENT_SPREAD","INLINE_FRAGMENT"],"args":[{"name":"if","defaultValue":null}],"all":[{"name":"if","isDeprecated":false,"deprecationReason":null}]},{"name":"skip","description":"Directs the executor to skip this field or fragment when the `if` argument is true.","isRepeatable":false,"locations":["FIELD","FRAGMENT_SPREAD","INLINE_FRAGMENT"],"args":[{"name":"if","defaultValue":null}],"all":[{"name":"if","isDeprecated":false,"deprecationReason":null}]},{"name":"deprecated","description":"Marks an element of a GraphQL schema as no longer supported.","isRepeatable":false,"locations":["FIELD_DEFINITION","ARGUMENT_DEFINITION","INPUT_FIELD_DEFINITION","ENUM_VALUE","DIRECTIVE_DEFINITION"],"args":[{"name":"reason","defaultValue":"\"No longer supported\""}],"all":[{"name":"reason","isDeprecated":false,"deprecationReason":null}]},{"name":"specifiedBy","description":"Exposes a URL that specifies the behavior of this scalar.","isRepeatable":false,"locations":["SCALAR"],"args":[{"name":"url","defaultValue":null}],"all":[{"name":"url","isDeprecated":false,"deprecationReason":null}]},{"name":"oneOf","description":"Indicates exactly one field must be supplied and this field must not be `null`.","isRepeatable":false,"locations":["INPUT_OBJECT"],"args":[],"all":[]}]}}})");
}

TEST_F(Introspection, SchemaTypesInGraphQLJsOrder) {
  EXPECT_EQ(
      run("{ __schema { types { name kind } } }"),
      R"({"data":{"__schema":{"types":[{"name":"Query","kind":"OBJECT"},{"name":"ID","kind":"SCALAR"},{"name":"Int","kind":"SCALAR"},{"name":"String","kind":"SCALAR"},{"name":"Float","kind":"SCALAR"},{"name":"Mutation","kind":"OBJECT"},{"name":"Boolean","kind":"SCALAR"},{"name":"Node","kind":"INTERFACE"},{"name":"Entity","kind":"INTERFACE"},{"name":"User","kind":"OBJECT"},{"name":"Post","kind":"OBJECT"},{"name":"Result","kind":"UNION"},{"name":"Order","kind":"ENUM"},{"name":"Filter","kind":"INPUT_OBJECT"},{"name":"Choice","kind":"INPUT_OBJECT"},{"name":"Url","kind":"SCALAR"},{"name":"__Schema","kind":"OBJECT"},{"name":"__Type","kind":"OBJECT"},{"name":"__TypeKind","kind":"ENUM"},{"name":"__Field","kind":"OBJECT"},{"name":"__InputValue","kind":"OBJECT"},{"name":"__EnumValue","kind":"OBJECT"},{"name":"__Directive","kind":"OBJECT"},{"name":"__DirectiveLocation","kind":"ENUM"}]}}})");
}

// ---------------------------------------------------------------------------------------------------------------
// The full introspection query, compared with graphql-js's answer byte for byte

std::string read_data_file(const std::string& name) {
  const auto path = std::filesystem::path(__FILE__).parent_path() / "data" / name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Where two texts first differ, with some context, so a failure does not print 50 KB twice.
std::string first_difference(const std::string& actual, const std::string& expected) {
  const auto [a, e] = std::mismatch(actual.begin(), actual.end(), expected.begin(), expected.end());
  const auto at = static_cast<std::size_t>(a - actual.begin());
  const std::size_t from = at > 120 ? at - 120 : 0;
  return "texts differ at byte " + std::to_string(at) + " (sizes " + std::to_string(actual.size()) + " and " +
         std::to_string(expected.size()) + ")\n  actual:   ..." + actual.substr(from, 240) +
         "\n  expected: ..." + expected.substr(from, 240);
}

// data/introspection_expected.json and data/introspection_query.graphql were generated from
// data/introspection_schema.graphql by data/generate_introspection.mjs (run it from the repository root with
// `node tests/unit/execution/data/generate_introspection.mjs`): graphql-js's graphqlSync({schema:
// buildSchema(sdl), source: getIntrospectionQuery({descriptions: true, specifiedByUrl: true,
// directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true})}), and
// JSON.stringify of its `data`.
TEST(IntrospectionQuery, FullQueryMatchesGraphQLJs) {
  auto ex = make_executor(read_data_file("introspection_schema.graphql"));
  std::string expected = read_data_file("introspection_expected.json");
  while (!expected.empty() && (expected.back() == '\n' || expected.back() == '\r')) expected.pop_back();
  request req;
  req.query = read_data_file("introspection_query.graphql");
  const response r = ex->execute_sync(req);
  ASSERT_TRUE(r.errors.empty()) << r.to_json();
  EXPECT_TRUE(r.data == expected) << first_difference(r.data, expected);
}

}  // namespace
}  // namespace sluice::execution
