// Shared helpers of the validation tests: the test schema (the spec's pets example, as in graphql-js's
// validation tests) and expectations on validate()'s errors.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "sluice/language/parser.hpp"
#include "sluice/schema/builder.hpp"
#include "sluice/validation/validate.hpp"

namespace sluice::validation::test {

struct expected_error {
  std::string message;
  std::vector<source_location> locations;
  friend bool operator==(const expected_error&, const expected_error&) = default;
};

inline void PrintTo(const expected_error& e, std::ostream* os) {
  *os << "{\"" << e.message << "\", {";
  for (const auto& l : e.locations) *os << " {" << l.line << ", " << l.column << "}";
  *os << " }}";
}

inline std::shared_ptr<const schema::schema> build(std::string sdl) {
  auto result = schema::build_schema(std::move(sdl));
  for (const auto& e : result.errors) ADD_FAILURE() << "schema: " << e.message;
  return result.built;
}

// tests/differential/schemas/pets.graphql, with a custom scalar and a few more fields.
inline const schema::schema& pets_schema() {
  static const auto s = build(R"graphql(
# The example schema of section 5 (Validation) of the GraphQL specification,
# extended with argument types from graphql-js's validation tests.

schema {
  query: Query
  mutation: Mutation
  subscription: Subscription
}

directive @onQuery on QUERY
directive @onMutation on MUTATION
directive @onSubscription on SUBSCRIPTION
directive @onField on FIELD
directive @onFragmentDefinition on FRAGMENT_DEFINITION
directive @onFragmentSpread on FRAGMENT_SPREAD
directive @onInlineFragment on INLINE_FRAGMENT
directive @onVariableDefinition on VARIABLE_DEFINITION
directive @onObject on OBJECT
directive @onFieldDefinition on FIELD_DEFINITION
"A repeatable directive usable almost everywhere in a document."
directive @tag(name: String!) repeatable on QUERY | MUTATION | SUBSCRIPTION | FIELD | FRAGMENT_DEFINITION | FRAGMENT_SPREAD | INLINE_FRAGMENT | VARIABLE_DEFINITION
directive @withArgs(req: Int!, opt: String = "x", list: [Int!], input: ComplexInput) on FIELD

type Query {
  dog: Dog
  findDog(searchBy: FindDogInput): Dog
  human(id: ID): Human
  pet: Pet
  catOrDog: CatOrDog
  dogOrHuman: DogOrHuman
  humanOrAlien: HumanOrAlien
  sentient: Sentient
  arguments: Arguments
  dogs: [Dog]
  booleanList(list: [Boolean!]): Boolean
}

enum DogCommand {
  SIT
  DOWN
  HEEL
}

type Dog implements Pet @onObject {
  name: String!
  nickname: String
  barkVolume: Int
  doesKnowCommand(dogCommand: DogCommand!): Boolean!
  isHouseTrained(atOtherHomes: Boolean): Boolean!
  owner: Human
  mother: Dog
  father: Dog
}

interface Sentient {
  name: String!
}

interface Pet {
  name: String!
}

type Alien implements Sentient {
  name: String!
  homePlanet: String
}

type Human implements Sentient {
  name: String!
  pets: [Pet!]
  iq: Int
  relatives: [Human]
}

enum CatCommand {
  JUMP
}

type Cat implements Pet {
  name: String!
  nickname: String
  doesKnowCommand(catCommand: CatCommand!): Boolean!
  meowVolume: Int
  furColor: FurColor
}

enum FurColor {
  BROWN
  BLACK
  TAN
  SPOTTED
}

union CatOrDog = Cat | Dog
union DogOrHuman = Dog | Human
union HumanOrAlien = Human | Alien

input FindDogInput {
  name: String
  owner: String
}

input ComplexInput {
  requiredField: Boolean!
  nonNullField: Boolean! = false
  intField: Int
  stringField: String
  booleanField: Boolean
  stringListField: [String]
  enumField: DogCommand
  nested: ComplexInput
}

input OneOfInput @oneOf {
  stringField: String
  intField: Int
  complex: ComplexInput
}

type Arguments {
  multipleReqs(req1: Int!, req2: Int!): String @onFieldDefinition
  multipleOptAndReq(req1: Int!, req2: Int!, opt1: Int = 0, opt2: Int = 0): String
  nonNullFieldWithDefault(arg: Int! = 0): String
  intArgField(intArg: Int): String
  nonNullIntArgField(nonNullIntArg: Int!): String
  floatArgField(floatArg: Float): String
  stringArgField(stringArg: String): String
  booleanArgField(booleanArg: Boolean): String
  nonNullBooleanArgField(nonNullBooleanArg: Boolean!): String
  idArgField(idArg: ID): String
  enumArgField(enumArg: FurColor): String
  stringListArgField(stringListArg: [String]): String
  stringListNonNullArgField(stringListNonNullArg: [String!]): String
  nonNullStringListArgField(list: [String]!): String
  nestedListArgField(matrix: [[Int!]]): String
  complexArgField(complexArg: ComplexInput): String
  oneOfArgField(oneOfArg: OneOfInput): String
  nonNullOneOfArgField(oneOfArg: OneOfInput!): String
}

type Mutation {
  mutateDog(name: String): Dog
  adoptPet(name: String!): Pet
}

type Message {
  body: String
  sender: String
}

type Subscription {
  newMessage: Message
  disallowedSecondRootField: Boolean
}

scalar Json

type Extras {
  jsonArgField(json: Json): String
  defaultedInput(input: ComplexInput = {requiredField: true}): String
  nonNullDefaulted(flag: Boolean! = true): String
}

extend type Query {
  extras: Extras
  node(id: ID!): Pet
}
)graphql");
  return *s;
}

// A schema without mutation and subscription types.
inline const schema::schema& minimal_schema() {
  static const auto s = build("type Query { a: Int b: Int }");
  return *s;
}

inline std::vector<graphql_error> run(const std::string& query, const schema::schema& s = pets_schema(),
                                      const options& o = {}) {
  auto parsed = language::parse(query);
  if (!parsed.ok()) {
    ADD_FAILURE() << "parse: " << parsed.error->message;
    return {};
  }
  return validate(s, parsed.doc, o);
}

inline std::vector<expected_error> simplify(const std::vector<graphql_error>& errors) {
  std::vector<expected_error> out;
  for (const auto& e : errors) out.push_back({e.message, e.locations});
  return out;
}

// The errors, in order, with their messages and locations.
inline void expect_errors(const std::string& query, const std::vector<expected_error>& expected,
                          const schema::schema& s = pets_schema()) {
  EXPECT_EQ(simplify(run(query, s)), expected) << query;
}

inline void expect_valid(const std::string& query, const schema::schema& s = pets_schema()) {
  expect_errors(query, {}, s);
}

}  // namespace sluice::validation::test
