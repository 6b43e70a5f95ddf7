// Tests for OverlappingFieldsCanBeMerged: graphql-js 16's cases for the rule, with the messages and locations
// graphql-js 16.15 reports (expectations produced by running graphql-js on the same schema and document).
#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/language/parser.hpp"
#include "sluice/schema/builder.hpp"
#include "validation/rules/overlapping_fields_can_be_merged.hpp"

namespace sluice::validation::detail {
namespace {

struct reported {
  std::string message;
  std::vector<source_location> locations;
  friend bool operator==(const reported&, const reported&) = default;
};

void PrintTo(const reported& r, std::ostream* os) {
  *os << "{\"" << r.message << "\", {";
  for (const auto& l : r.locations) *os << " {" << l.line << ", " << l.column << "}";
  *os << " }}";
}

std::shared_ptr<const schema::schema> build(std::string sdl) {
  auto result = schema::build_schema(std::move(sdl));
  for (const auto& e : result.errors) ADD_FAILURE() << "schema: " << e.message;
  return result.built;
}

// The validation harness schema of graphql-js, trimmed to what these tests use.
const schema::schema& harness_schema() {
  static const auto s = build(R"(
  interface Mammal { mother: Mammal father: Mammal }
  interface Pet { name(surname: Boolean): String }
  interface Canine implements Mammal { name(surname: Boolean): String mother: Canine father: Canine }
  enum DogCommand { SIT HEEL DOWN }
  type Dog implements Pet & Mammal & Canine {
    name(surname: Boolean): String
    nickname: String
    barkVolume: Int
    barks: Boolean
    doesKnowCommand(dogCommand: DogCommand): Boolean
    isAtLocation(x: Int, y: Int): Boolean
    mother: Dog
    father: Dog
  }
  type Cat implements Pet { name(surname: Boolean): String nickname: String furColor: FurColor }
  union CatOrDog = Cat | Dog
  type Human { name(surname: Boolean): String pets: [Pet] relatives: [Human]! }
  enum FurColor { BROWN BLACK TAN }
  input ComplexInput { requiredField: Boolean! stringListField: [String] }
  type ComplicatedArgs {
    intArgField(intArg: Int): String
    stringArgField(stringArg: String): String
    booleanArgField(booleanArg: Boolean): String
    enumArgField(enumArg: FurColor): String
    floatArgField(floatArg: Float): String
    stringListArgField(stringListArg: [String]): String
    complexArgField(complexArg: ComplexInput): String
    multipleOpts(opt1: Int = 0, opt2: Int = 0): String
  }
  type QueryRoot { human(id: ID): Human dog: Dog cat: Cat pet: Pet catOrDog: CatOrDog complicatedArgs: ComplicatedArgs }
  schema { query: QueryRoot }
)");
  return *s;
}

// graphql-js's "return types must be unambiguous" schema.
const schema::schema& box_schema() {
  static const auto s = build(R"(
  interface SomeBox { deepBox: SomeBox unrelatedField: String }
  type StringBox implements SomeBox {
    scalar: String
    deepBox: StringBox
    unrelatedField: String
    listStringBox: [StringBox]
    stringBox: StringBox
    intBox: IntBox
  }
  type IntBox implements SomeBox {
    scalar: Int
    deepBox: IntBox
    unrelatedField: String
    listStringBox: [StringBox]
    stringBox: StringBox
    intBox: IntBox
  }
  interface NonNullStringBox1 { scalar: String! }
  type NonNullStringBox1Impl implements SomeBox & NonNullStringBox1 {
    scalar: String!
    unrelatedField: String
    deepBox: SomeBox
  }
  interface NonNullStringBox2 { scalar: String! }
  type NonNullStringBox2Impl implements SomeBox & NonNullStringBox2 {
    scalar: String!
    unrelatedField: String
    deepBox: SomeBox
  }
  type Connection { edges: [Edge] }
  type Edge { node: Node }
  type Node { id: ID name: String }
  type Query { someBox: SomeBox connection: Connection }
)");
  return *s;
}

const schema::schema& args_schema() {
  static const auto s = build("type Query { someField(a: String, b: String): String }");
  return *s;
}

const schema::schema& input_schema() {
  static const auto s =
      build("input SomeInput { a: String b: String } type Query { someField(arg: SomeInput): String }");
  return *s;
}

const schema::schema& keywords_schema() {
  static const auto s = build("type Foo { constructor: String } type Query { foo: Foo }");
  return *s;
}

const schema::named_type* composite(const schema::named_type* t) {
  return t != nullptr && t->is_composite() ? t : nullptr;
}

// Feeds the checker every selection set of a document, parents first, with the parent type computed the
// way graphql-js's TypeInfo does (meta fields included; nullptr when unknown or not composite).
class walker {
 public:
  walker(const schema::schema& s, overlapping_fields_checker& checker) : schema_(s), checker_(checker) {}

  void walk_document(const language::document& doc) {
    for (const auto& definition : doc.definitions) {
      if (const auto* op = std::get_if<language::operation_definition>(&definition)) {
        walk(composite(schema_.root_type(op->operation)), op->selections);
      } else if (const auto* fragment = std::get_if<language::fragment_definition>(&definition)) {
        walk(composite(schema_.find_type(fragment->type_condition.text)), fragment->selections);
      }
    }
  }

 private:
  const schema::field* field_definition(const schema::named_type* parent, std::string_view name) const {
    if (parent == nullptr) return nullptr;
    if (name == "__schema" && parent == schema_.query_type()) return &schema_.schema_meta_field();
    if (name == "__type" && parent == schema_.query_type()) return &schema_.type_meta_field();
    if (name == "__typename") return &schema_.typename_meta_field();
    const auto* fields = parent->as<schema::fields_type>();
    return fields != nullptr ? fields->find_field(name) : nullptr;
  }

  void walk(const schema::named_type* parent, const language::selection_set& set) {
    checker_.check_selection_set(parent, set);
    for (const auto& selection : set) {
      if (const auto* f = std::get_if<language::field>(&selection.node)) {
        if (f->selections.empty()) continue;
        const auto* def = field_definition(parent, f->field_name.text);
        walk(def != nullptr ? composite(def->field_type->named()) : nullptr, f->selections);
      } else if (const auto* inline_fragment = std::get_if<language::inline_fragment>(&selection.node)) {
        const auto* type = inline_fragment->type_condition.empty()
                               ? parent
                               : composite(schema_.find_type(inline_fragment->type_condition.text));
        walk(type, inline_fragment->selections);
      }
    }
  }

  const schema::schema& schema_;
  overlapping_fields_checker& checker_;
};

fragment_map fragments_of(const language::document& doc) {
  fragment_map fragments;
  for (const auto& definition : doc.definitions) {
    if (const auto* fragment = std::get_if<language::fragment_definition>(&definition)) {
      fragments[fragment->fragment_name.text] = fragment;
    }
  }
  return fragments;
}

std::vector<reported> check(const schema::schema& s, std::string query, bool* aborted = nullptr) {
  auto parsed = language::parse(std::move(query));
  EXPECT_TRUE(parsed.ok()) << parsed.error->message;
  std::vector<reported> errors;
  overlapping_fields_checker checker(s, fragments_of(parsed.doc), [&](std::string message, auto locations) {
    errors.push_back({std::move(message), std::move(locations)});
  });
  walker(s, checker).walk_document(parsed.doc);
  if (aborted != nullptr) *aborted = checker.aborted();
  return errors;
}

void expect_errors(const schema::schema& s, const std::string& query, const std::vector<reported>& expected) {
  EXPECT_EQ(check(s, query), expected) << query;
}

void expect_valid(const schema::schema& s, const std::string& query) {
  expect_errors(s, query, {});
}

std::string conflict(std::string_view response_name, std::string_view reason) {
  return "Fields \"" + std::string(response_name) + "\" conflict because " + std::string(reason) +
         ". Use different aliases on the fields to fetch both if this was intentional.";
}

// ---------------------------------------------------------------------------------------------------------------
// graphql-js's cases (queries compacted onto fewer lines), then cases for graphql-js 16's details.

// Mergeable selections from graphql-js's cases, one line each.
TEST(OverlappingFieldsCanBeMerged, AcceptsMergeableSelections) {
  // unique fields
  expect_valid(harness_schema(), "fragment uniqueFields on Dog { name nickname }");
  // identical fields
  expect_valid(harness_schema(), "fragment mergeIdenticalFields on Dog { name name }");
  // identical fields with identical args
  expect_valid(harness_schema(),
               "fragment F on Dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand(dogCommand: SIT) }");
  // identical fields with identical directives
  expect_valid(harness_schema(), "fragment F on Dog { name @include(if: true) name @include(if: true) }");
  // different args with different aliases
  expect_valid(harness_schema(),
               "fragment F on Dog { knowsSit: doesKnowCommand(dogCommand: SIT) knowsDown: "
               "doesKnowCommand(dogCommand: DOWN) }");
  // different directives with different aliases
  expect_valid(
      harness_schema(),
      "fragment F on Dog { nameIfTrue: name @include(if: true) nameIfFalse: name @include(if: false) }");
  // different skip include directives accepted
  expect_valid(harness_schema(), "fragment F on Dog { name @include(if: true) name @include(if: false) }");
  // same aliases allowed on non overlapping fields
  expect_valid(harness_schema(), "fragment F on Pet { ... on Dog { name } ... on Cat { name: nickname } }");
  // allows different args where no conflict is possible
  expect_valid(harness_schema(),
               "fragment F on Pet { ... on Dog { name(surname: true) } ... on Cat { name } }");
  // allows different order of args
  expect_valid(args_schema(), "{ someField(a: null, b: null) someField(b: null, a: null) }");
  // allows different order of input object fields in arg values
  expect_valid(input_schema(),
               "{ someField(arg: { a: null, b: null }) someField(arg: { b: null, a: null }) }");
  // allows non conflicting overlapping types
  expect_valid(box_schema(),
               "{ someBox { ... on IntBox { scalar: unrelatedField } ... on StringBox { scalar } } }");
  // same wrapped scalar return types
  expect_valid(box_schema(),
               "{ someBox { ...on NonNullStringBox1 { scalar } ...on NonNullStringBox2 { scalar } } }");
  // allows inline fragments without type condition
  expect_valid(box_schema(), "{ a ... { a } }");
  // ignores unknown types
  expect_valid(box_schema(),
               "{ someBox { ...on UnknownType { scalar } ...on NonNullStringBox2 { scalar } } }");
  // works for field names that are js keywords
  expect_valid(keywords_schema(), "{ foo { constructor } }");
  // does not infinite loop on recursive fragment
  expect_valid(harness_schema(),
               "{ ...fragA } fragment fragA on Human { name, relatives { name, ...fragA } }");
  // does not infinite loop on immediately recursive fragment
  expect_valid(harness_schema(), "{ ...fragA } fragment fragA on Human { name, ...fragA }");
  // does not infinite loop on recursive fragment with a field named after fragment
  expect_valid(harness_schema(), "{ ...fragA fragA } fragment fragA on Query { ...fragA }");
}

TEST(OverlappingFieldsCanBeMerged, SameAliasesWithDifferentFieldTargets) {
  expect_errors(harness_schema(), "fragment F on Dog { fido: name fido: nickname }",
                {{conflict("fido", R"("name" and "nickname" are different fields)"), {{1, 21}, {1, 32}}}});
}

TEST(OverlappingFieldsCanBeMerged, AliasMaskingDirectFieldAccess) {
  expect_errors(harness_schema(), "fragment F on Dog { name: nickname name }",
                {{conflict("name", R"("nickname" and "name" are different fields)"), {{1, 21}, {1, 36}}}});
}

TEST(OverlappingFieldsCanBeMerged, DifferentArgsSecondAddsAnArgument) {
  expect_errors(harness_schema(), "fragment F on Dog { doesKnowCommand doesKnowCommand(dogCommand: HEEL) }",
                {{conflict("doesKnowCommand", R"(they have differing arguments)"), {{1, 21}, {1, 37}}}});
}

TEST(OverlappingFieldsCanBeMerged, DifferentArgsSecondMissingAnArgument) {
  expect_errors(harness_schema(), "fragment F on Dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand }",
                {{conflict("doesKnowCommand", R"(they have differing arguments)"), {{1, 21}, {1, 54}}}});
}

TEST(OverlappingFieldsCanBeMerged, ConflictingArgValues) {
  expect_errors(harness_schema(),
                "fragment F on Dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand(dogCommand: HEEL) }",
                {{conflict("doesKnowCommand", R"(they have differing arguments)"), {{1, 21}, {1, 54}}}});
}

TEST(OverlappingFieldsCanBeMerged, ConflictingArgNames) {
  expect_errors(harness_schema(), "fragment F on Dog { isAtLocation(x: 0) isAtLocation(y: 0) }",
                {{conflict("isAtLocation", R"(they have differing arguments)"), {{1, 21}, {1, 40}}}});
}

TEST(OverlappingFieldsCanBeMerged, EncountersConflictInFragments) {
  expect_errors(harness_schema(), R"gql(
    { ...A ...B }
    fragment A on Type { x: a }
    fragment B on Type { x: b }
)gql",
                {{conflict("x", R"("a" and "b" are different fields)"), {{3, 26}, {4, 26}}}});
}

TEST(OverlappingFieldsCanBeMerged, ReportsEachConflictOnce) {
  expect_errors(harness_schema(), R"gql(
    { f1 { ...A ...B } f2 { ...B ...A } f3 { ...A ...B x: c } }
    fragment A on Type { x: a }
    fragment B on Type { x: b }
)gql",
                {{conflict("x", R"("a" and "b" are different fields)"), {{3, 26}, {4, 26}}},
                 {conflict("x", R"("c" and "a" are different fields)"), {{2, 56}, {3, 26}}},
                 {conflict("x", R"("c" and "b" are different fields)"), {{2, 56}, {4, 26}}}});
}

TEST(OverlappingFieldsCanBeMerged, DeepConflict) {
  expect_errors(harness_schema(), "{ field { x: a }, field { x: b } }",
                {{conflict("field", R"(subfields "x" conflict because "a" and "b" are different fields)"),
                  {{1, 3}, {1, 11}, {1, 19}, {1, 27}}}});
}

TEST(OverlappingFieldsCanBeMerged, DeepConflictWithMultipleIssues) {
  expect_errors(
      harness_schema(), "{ field { x: a y: c }, field { x: b y: d } }",
      {{conflict(
            "field",
            R"(subfields "x" conflict because "a" and "b" are different fields and subfields "y" conflict because "c" and "d" are different fields)"),
        {{1, 3}, {1, 11}, {1, 16}, {1, 24}, {1, 32}, {1, 37}}}});
}

TEST(OverlappingFieldsCanBeMerged, VeryDeepConflict) {
  expect_errors(
      harness_schema(), "{ field { deepField { x: a } }, field { deepField { x: b } } }",
      {{conflict(
            "field",
            R"(subfields "deepField" conflict because subfields "x" conflict because "a" and "b" are different fields)"),
        {{1, 3}, {1, 11}, {1, 23}, {1, 33}, {1, 41}, {1, 53}}}});
}

TEST(OverlappingFieldsCanBeMerged, ReportsDeepConflictToNearestCommonAncestor) {
  expect_errors(harness_schema(),
                "{ field { deepField { x: a } deepField { x: b } }, field { deepField { y } } }",
                {{conflict("deepField", R"(subfields "x" conflict because "a" and "b" are different fields)"),
                  {{1, 11}, {1, 23}, {1, 30}, {1, 42}}}});
}

TEST(OverlappingFieldsCanBeMerged, ReportsDeepConflictToNearestCommonAncestorInFragments) {
  expect_errors(
      harness_schema(), R"gql(
    { field { ...F } field { ...F } }
    fragment F on T {
      deepField { deeperField { x: a } deeperField { x: b } },
      deepField { deeperField { y } }
    }
)gql",
      {{conflict("deeperField", R"(subfields "x" conflict because "a" and "b" are different fields)"),
        {{4, 19}, {4, 33}, {4, 40}, {4, 54}}}});
}

TEST(OverlappingFieldsCanBeMerged, ReportsDeepConflictInNestedFragments) {
  expect_errors(
      harness_schema(), R"gql(
    { field { ...I } field { ...F } }
    fragment F on T { x: a ...G }
    fragment G on T { y: c }
    fragment I on T { y: d ...J }
    fragment J on T { x: b }
)gql",
      {{conflict(
            "field",
            R"(subfields "y" conflict because "d" and "c" are different fields and subfields "x" conflict because "b" and "a" are different fields)"),
        {{2, 7}, {5, 23}, {6, 23}, {2, 22}, {4, 23}, {3, 23}}}});
}

TEST(OverlappingFieldsCanBeMerged, ReportsDeepConflictAfterNestedFragments) {
  expect_errors(harness_schema(), R"gql(
    fragment F on T { ...G }
    fragment G on T { ...H }
    fragment H on T { x: a }
    { x: b ...F }
)gql",
                {{conflict("x", R"("b" and "a" are different fields)"), {{5, 7}, {4, 23}}}});
}

TEST(OverlappingFieldsCanBeMerged, IgnoresUnknownFragments) {
  expect_valid(harness_schema(), R"gql(
    { field ...Unknown ...Known }
    fragment Known on T { field ...OtherUnknown }
)gql");
}

TEST(OverlappingFieldsCanBeMerged, ConflictingReturnTypesWhichPotentiallyOverlap) {
  expect_errors(
      box_schema(), "{ someBox { ...on IntBox { scalar } ...on NonNullStringBox1 { scalar } } }",
      {{conflict("scalar", R"(they return conflicting types "Int" and "String!")"), {{1, 28}, {1, 63}}}});
}

TEST(OverlappingFieldsCanBeMerged, CompatibleReturnShapesOnDifferentReturnTypes) {
  expect_valid(box_schema(), R"gql(
    {
      someBox {
        ... on SomeBox { deepBox { unrelatedField } }
        ... on StringBox { deepBox { unrelatedField } }
      }
    }
)gql");
}

TEST(OverlappingFieldsCanBeMerged, DisallowsDifferingReturnTypesDespiteNoOverlap) {
  expect_errors(
      box_schema(), "{ someBox { ... on IntBox { scalar } ... on StringBox { scalar } } }",
      {{conflict("scalar", R"(they return conflicting types "Int" and "String")"), {{1, 29}, {1, 57}}}});
}

TEST(OverlappingFieldsCanBeMerged, ReportsCorrectlyWhenANonExclusiveFollowsAnExclusive) {
  expect_errors(
      box_schema(), R"gql(
    {
      someBox { ... on IntBox { deepBox { ...X } } }
      someBox { ... on StringBox { deepBox { ...Y } } }
      memoed: someBox { ... on IntBox { deepBox { ...X } } }
      memoed: someBox { ... on StringBox { deepBox { ...Y } } }
      other: someBox { ...X }
      other: someBox { ...Y }
    }
    fragment X on SomeBox { scalar }
    fragment Y on SomeBox { scalar: unrelatedField }
)gql",
      {{conflict("other",
                 R"(subfields "scalar" conflict because "scalar" and "unrelatedField" are different fields)"),
        {{7, 7}, {10, 29}, {8, 7}, {11, 29}}}});
}

TEST(OverlappingFieldsCanBeMerged, DisallowsDifferingReturnTypeNullabilityDespiteNoOverlap) {
  expect_errors(
      box_schema(), "{ someBox { ... on NonNullStringBox1 { scalar } ... on StringBox { scalar } } }",
      {{conflict("scalar", R"(they return conflicting types "String!" and "String")"), {{1, 40}, {1, 68}}}});
}

TEST(OverlappingFieldsCanBeMerged, DisallowsDifferingReturnTypeListDespiteNoOverlap) {
  expect_errors(box_schema(), R"gql(
    {
      someBox {
        ... on IntBox { box: listStringBox { scalar } }
        ... on StringBox { box: stringBox { scalar } }
      }
    }
)gql",
                {{conflict("box", R"(they return conflicting types "[StringBox]" and "StringBox")"),
                  {{4, 25}, {5, 28}}}});
}

TEST(OverlappingFieldsCanBeMerged, DisallowsDifferingReturnTypeListDespiteNoOverlapReversed) {
  expect_errors(box_schema(), R"gql(
    {
      someBox {
        ... on IntBox { box: stringBox { scalar } }
        ... on StringBox { box: listStringBox { scalar } }
      }
    }
)gql",
                {{conflict("box", R"(they return conflicting types "StringBox" and "[StringBox]")"),
                  {{4, 25}, {5, 28}}}});
}

TEST(OverlappingFieldsCanBeMerged, DisallowsDifferingSubfields) {
  expect_errors(
      box_schema(), R"gql(
    {
      someBox {
        ... on IntBox { box: stringBox { val: scalar val: unrelatedField } }
        ... on StringBox { box: stringBox { val: scalar } }
      }
    }
)gql",
      {{conflict("val", R"("scalar" and "unrelatedField" are different fields)"), {{4, 42}, {4, 54}}}});
}

TEST(OverlappingFieldsCanBeMerged, DisallowsDifferingDeepReturnTypesDespiteNoOverlap) {
  expect_errors(
      box_schema(), R"gql(
    {
      someBox {
        ... on IntBox { box: stringBox { scalar } }
        ... on StringBox { box: intBox { scalar } }
      }
    }
)gql",
      {{conflict("box",
                 R"(subfields "scalar" conflict because they return conflicting types "String" and "Int")"),
        {{4, 25}, {4, 42}, {5, 28}, {5, 42}}}});
}

TEST(OverlappingFieldsCanBeMerged, ComparesDeepTypesIncludingList) {
  expect_errors(
      box_schema(), R"gql(
    { connection { ...edgeID edges { node { id: name } } } }
    fragment edgeID on Connection { edges { node { id } } }
)gql",
      {{conflict(
            "edges",
            R"(subfields "node" conflict because subfields "id" conflict because "name" and "id" are different fields)"),
        {{2, 30}, {2, 38}, {2, 45}, {3, 37}, {3, 45}, {3, 52}}}});
}

TEST(OverlappingFieldsCanBeMerged, FindsInvalidCasesEvenWithFieldNamedAfterFragment) {
  expect_errors(harness_schema(), R"gql(
    { fragA ...fragA }
    fragment fragA on Type { fragA: b }
)gql",
                {{conflict("fragA", R"("fragA" and "b" are different fields)"), {{2, 7}, {3, 30}}}});
}

TEST(OverlappingFieldsCanBeMerged, DoesNotInfiniteLoopOnTransitivelyRecursiveFragment) {
  expect_valid(harness_schema(), R"gql(
    { ...fragA fragB }
    fragment fragA on Human { name, ...fragB }
    fragment fragB on Human { name, ...fragC }
    fragment fragC on Human { name, ...fragA }
)gql");
}

TEST(OverlappingFieldsCanBeMerged, FindsInvalidCaseEvenWithImmediatelyRecursiveFragment) {
  expect_errors(harness_schema(), R"gql(
    fragment sameAliasesWithDifferentFieldTargets on Dog {
      ...sameAliasesWithDifferentFieldTargets
      fido: name
      fido: nickname
    }
)gql",
                {{conflict("fido", R"("name" and "nickname" are different fields)"), {{4, 7}, {5, 7}}}});
}

TEST(OverlappingFieldsCanBeMerged, DoesNotInfiniteLoopOnRecursiveFragmentsSeparatedByFields) {
  expect_valid(harness_schema(), R"gql(
    { ...fragA ...fragB }
    fragment fragA on T { x { ...fragA x { ...fragA } } }
    fragment fragB on T { x { ...fragB x { ...fragB } } }
)gql");
}

TEST(OverlappingFieldsCanBeMerged, AllowsConflictingSpreadsAtDifferentDepths) {
  expect_valid(harness_schema(), R"gql(
    query ValidDifferingFragmentArgs($command1: DogCommand, $command2: DogCommand) {
      dog { ...DoesKnowCommand mother { ...DoesKnowCommand } }
    }
    fragment DoesKnowCommand on Dog { doesKnowCommand(dogCommand: $command1) }
)gql");
}

TEST(OverlappingFieldsCanBeMerged, ConflictBetweenOperationFieldsAndVariableArguments) {
  expect_errors(harness_schema(), R"gql(
    query ($y: Int = 1) { a(x: $y) ...WithArgs }
    fragment WithArgs on Type { a(x: 1) }
)gql",
                {{conflict("a", R"(they have differing arguments)"), {{2, 27}, {3, 33}}}});
}

TEST(OverlappingFieldsCanBeMerged, NestedFieldConflictThroughOneFragmentAtTwoDepths) {
  expect_errors(harness_schema(), R"gql(
    query ($command1: DogCommand, $command2: DogCommand) {
      dog { ...Nested mother { ...Nested } doesKnowCommand(dogCommand: $command2) }
    }
    fragment Nested on Dog {
      doesKnowCommand(dogCommand: $command1)
      mother { doesKnowCommand(dogCommand: $command1) }
    }
)gql",
                {{conflict("doesKnowCommand", R"(they have differing arguments)"), {{3, 44}, {6, 7}}}});
}

TEST(OverlappingFieldsCanBeMerged, ArgumentValuesCompareStructurally) {
  expect_errors(harness_schema(), R"gql(
      {
        complicatedArgs {
          a: complexArgField(complexArg: { requiredField: true, stringListField: ["a", "b"] })
          a: complexArgField(complexArg: { stringListField: ["a", "b"], requiredField: true })
          b: floatArgField(floatArg: 1.0)
          b: floatArgField(floatArg: 1)
          c: stringArgField(stringArg: "x")
          c: stringArgField(stringArg: """x""")
          d: stringArgField(stringArg: "\u0041")
          d: stringArgField(stringArg: "A")
          e: enumArgField(enumArg: BROWN)
          e: enumArgField(enumArg: BLACK)
          f: intArgField(intArg: $v)
          f: intArgField(intArg: $w)
          g: stringListArgField(stringListArg: ["a", "b"])
          g: stringListArgField(stringListArg: ["b", "a"])
          h: stringArgField(stringArg: BROWN)
          h: stringArgField(stringArg: "BROWN")
          i: complexArgField(complexArg: { requiredField: true, requiredField: false })
          i: complexArgField(complexArg: { requiredField: false, requiredField: true })
          j: multipleOpts(opt1: 1, opt1: 2)
          j: multipleOpts(opt1: 2, opt1: 2)
          k: booleanArgField(booleanArg: true)
          k: booleanArgField(booleanArg: false)
          l: intArgField(intArg: null)
          l: intArgField(intArg: null)
          m: multipleOpts(opt1: 1, opt2: 2)
          m: multipleOpts(opt1: 1)
        }
      }
)gql",
                {{conflict("b", R"(they have differing arguments)"), {{6, 11}, {7, 11}}},
                 {conflict("c", R"(they have differing arguments)"), {{8, 11}, {9, 11}}},
                 {conflict("e", R"(they have differing arguments)"), {{12, 11}, {13, 11}}},
                 {conflict("f", R"(they have differing arguments)"), {{14, 11}, {15, 11}}},
                 {conflict("g", R"(they have differing arguments)"), {{16, 11}, {17, 11}}},
                 {conflict("h", R"(they have differing arguments)"), {{18, 11}, {19, 11}}},
                 {conflict("i", R"(they have differing arguments)"), {{20, 11}, {21, 11}}},
                 {conflict("j", R"(they have differing arguments)"), {{22, 11}, {23, 11}}},
                 {conflict("k", R"(they have differing arguments)"), {{24, 11}, {25, 11}}},
                 {conflict("m", R"(they have differing arguments)"), {{28, 11}, {29, 11}}}});
}

TEST(OverlappingFieldsCanBeMerged, TypenameAndMetaFieldsHaveNoDefinitionHere) {
  expect_valid(harness_schema(), R"gql(
    {
      dog { __typename __typename name: __typename kind: __typename kind: __typename }
      __typename: dog { name }
    }
)gql");
}

TEST(OverlappingFieldsCanBeMerged, UnionParentsAreNotMutuallyExclusive) {
  expect_errors(harness_schema(), R"gql(
    {
      catOrDog {
        ... on CatOrDog { x: __typename }
        ... on Dog { x: name }
        ... on Cat { x: nickname }
      }
    }
)gql",
                {{conflict("x", R"("__typename" and "name" are different fields)"), {{4, 27}, {5, 22}}},
                 {conflict("x", R"("__typename" and "nickname" are different fields)"), {{4, 27}, {6, 22}}}});
}

TEST(OverlappingFieldsCanBeMerged, MutuallyExclusiveParentsPropagateToSubfields) {
  expect_errors(
      harness_schema(), R"gql(
    {
      pet { ... on Dog { friend: mother { name } } ... on Cat { friend: furColor } }
      catOrDog {
        ... on Dog { rel: mother { n: name(surname: true) } }
        ... on Cat { rel: mother { n: name(surname: false) } }
      }
    }
)gql",
      {{conflict("friend", R"(they return conflicting types "Dog" and "FurColor")"), {{3, 26}, {3, 65}}}});
}

TEST(OverlappingFieldsCanBeMerged, ConflictsInsideInlineFragmentsAreReportedOnce) {
  expect_errors(harness_schema(), "{ dog { ... on Dog { x: name ... { x: nickname } } } }",
                {{conflict("x", R"("name" and "nickname" are different fields)"), {{1, 22}, {1, 36}}}});
}

TEST(OverlappingFieldsCanBeMerged, SingleInlineFragmentIsChecked) {
  expect_errors(harness_schema(), "{ dog { ... { x: name x: nickname } } }",
                {{conflict("x", R"("name" and "nickname" are different fields)"), {{1, 15}, {1, 23}}}});
}

TEST(OverlappingFieldsCanBeMerged, ConflictsAcrossManyFragmentsAndFields) {
  expect_errors(harness_schema(), R"gql(
    { dog { ...A x: barks ...B ...C } }
    fragment A on Dog { x: name ...C }
    fragment B on Dog { x: nickname y: name }
    fragment C on Dog { x: barkVolume y: nickname ...B }
)gql",
                {{conflict("x", R"("barks" and "name" are different fields)"), {{2, 18}, {3, 25}}},
                 {conflict("x", R"("barks" and "barkVolume" are different fields)"), {{2, 18}, {5, 25}}},
                 {conflict("x", R"("barks" and "nickname" are different fields)"), {{2, 18}, {4, 25}}},
                 {conflict("x", R"("name" and "nickname" are different fields)"), {{3, 25}, {4, 25}}},
                 {conflict("x", R"("barkVolume" and "nickname" are different fields)"), {{5, 25}, {4, 25}}},
                 {conflict("y", R"("nickname" and "name" are different fields)"), {{5, 39}, {4, 37}}},
                 {conflict("x", R"("name" and "barkVolume" are different fields)"), {{3, 25}, {5, 25}}},
                 {conflict("x", R"("name" and "barkVolume" are different fields)"), {{3, 25}, {5, 25}}},
                 {conflict("x", R"("name" and "nickname" are different fields)"), {{3, 25}, {4, 25}}},
                 {conflict("x", R"("barkVolume" and "nickname" are different fields)"), {{5, 25}, {4, 25}}},
                 {conflict("y", R"("nickname" and "name" are different fields)"), {{5, 39}, {4, 37}}}});
}

TEST(OverlappingFieldsCanBeMerged, DeepConflictsThroughFragmentsInBothSubselections) {
  expect_errors(
      harness_schema(), R"gql(
    { dog { mother { ...M1 } mother { ...M2 n: nickname } } }
    fragment M1 on Dog { n: name ...M3 }
    fragment M2 on Dog { m: barks }
    fragment M3 on Dog { m: barkVolume }
)gql",
      {{conflict(
            "mother",
            R"(subfields "n" conflict because "nickname" and "name" are different fields and subfields "m" conflict because "barkVolume" and "barks" are different fields)"),
        {{2, 13}, {2, 45}, {5, 26}, {2, 30}, {3, 26}, {4, 26}}}});
}

TEST(OverlappingFieldsCanBeMerged, ListOfListsAndNonNullShapes) {
  expect_errors(
      harness_schema(), "{ human { relatives { name } ... on Human { relatives: pets { name } } } }",
      {{conflict("relatives", R"("relatives" and "pets" are different fields)"), {{1, 11}, {1, 45}}}});
}

// ---------------------------------------------------------------------------------------------------------------
// Bounded detail: long names and long subfield reasons are cut at 1000 characters, locations at 20 per side.

std::string repeat(std::string_view text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += text;
  return out;
}

TEST(OverlappingFieldsCanBeMerged, LongNamesAreAbbreviated) {
  const std::string x(1001, 'x');
  const std::string n(1005, 'n');
  const std::string m(999, 'm');
  const std::string query = "{ dog { " + x + ": name " + x + ": nickname } " + std::string(1000, 'y') +
                            ": dog { b: " + n + " b: " + m + " } }";
  expect_errors(
      harness_schema(), query,
      {{conflict(std::string(1000, 'x') + "...", R"("name" and "nickname" are different fields)"),
        {{1, 9}, {1, 1017}}},
       {conflict("b", "\"" + std::string(1000, 'n') + "...\" and \"" + m + "\" are different fields"),
        {{1, 3039}, {1, 4048}}}});
}

TEST(OverlappingFieldsCanBeMerged, ManySubfieldConflictsAreCut) {
  std::string first, second;
  for (int i = 0; i < 40; ++i) {
    first += "a" + std::to_string(i) + ": name ";
    second += "a" + std::to_string(i) + ": nickname ";
  }
  const std::string query = "{ dog { f: mother { " + first + "} f: mother { " + second + "} } }";
  // graphql-js stops adding reasons once the text passes 1000 characters, then cuts it to 1000.
  std::string reason;
  for (int i = 0; reason.size() <= 1000; ++i) {
    if (!reason.empty()) reason += " and ";
    reason += "subfields \"a" + std::to_string(i) +
              R"(" conflict because "name" and "nickname" are different fields)";
  }
  reason = reason.substr(0, 1000) + "...";
  // The enclosing field and then the first 19 subfields, on each side.
  std::vector<source_location> locations;
  for (const std::string_view side : {"f: mother { a0: name", "f: mother { a0: nickname"}) {
    const auto start = query.find(side);
    locations.push_back({1, static_cast<std::uint32_t>(start + 1)});
    for (int i = 0; i < 19; ++i) {
      const auto at = query.find(" a" + std::to_string(i) + ":", start);
      locations.push_back({1, static_cast<std::uint32_t>(at + 2)});
    }
  }
  const auto errors = check(harness_schema(), query);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, conflict("f", reason));
  EXPECT_EQ(errors[0].locations, locations);
  EXPECT_EQ(errors[0].locations.size(), 40u);
  EXPECT_EQ(errors[0].locations[20], (source_location{1, 413}));
}

// ---------------------------------------------------------------------------------------------------------------
// The work budget: graphql-js charges every comparison to a budget of 500000 and aborts validation with
// "Validation aborted." when it runs out. These sizes are the largest each shape may have in
// graphql-js 16.15.

TEST(OverlappingFieldsCanBeMerged, BudgetSufficesForRepeatedLeaves) {
  bool aborted = true;
  EXPECT_EQ(check(harness_schema(), "{ " + repeat("a ", 707) + "}", &aborted), std::vector<reported>{});
  EXPECT_FALSE(aborted);
}

TEST(OverlappingFieldsCanBeMerged, BudgetExhaustedByRepeatedLeavesAbortsOnce) {
  bool aborted = false;
  // The conflicts found before the budget ran out are dropped with the rest of that selection set's, and the
  // selection sets checked afterwards report nothing.
  EXPECT_EQ(check(harness_schema(), "{ " + repeat("a ", 708) + "} { dog { x: name x: nickname } }", &aborted),
            (std::vector<reported>{{"Validation aborted.", {}}}));
  EXPECT_TRUE(aborted);
}

TEST(OverlappingFieldsCanBeMerged, BudgetCountsSubSelectionComparisons) {
  EXPECT_EQ(check(harness_schema(), "{ " + repeat("a { b c } ", 354) + "}"), std::vector<reported>{});
  EXPECT_EQ(check(harness_schema(), "{ " + repeat("a { b c } ", 355) + "}"),
            (std::vector<reported>{{"Validation aborted.", {}}}));
}

TEST(OverlappingFieldsCanBeMerged, BudgetCountsFragmentAndFieldComparisons) {
  const std::string fragment = " fragment D on Dog { nickname: name barkVolume }";
  EXPECT_EQ(
      check(harness_schema(), "{ " + repeat("dog { name ...D mother { name } } ", 258) + "}" + fragment),
      std::vector<reported>{});
  EXPECT_EQ(
      check(harness_schema(), "{ " + repeat("dog { name ...D mother { name } } ", 259) + "}" + fragment),
      (std::vector<reported>{{"Validation aborted.", {}}}));
}

TEST(OverlappingFieldsCanBeMerged, BudgetCountsFragmentPairs) {
  auto query = [](int n) {
    std::string spreads, fragments;
    for (int i = 0; i < n; ++i) {
      spreads += " ...F" + std::to_string(i);
      fragments +=
          "\nfragment F" + std::to_string(i) + " on Dog { x: name y: barks(a: " + std::to_string(i) + ") }";
    }
    return "{" + spreads + " }" + fragments;
  };
  // Every pair of fragments differs in y's arguments: 333 * 332 / 2 conflicts.
  const auto errors = check(harness_schema(), query(333));
  ASSERT_EQ(errors.size(), 55278u);
  EXPECT_EQ(errors.front(), (reported{conflict("y", "they have differing arguments"), {{2, 30}, {3, 30}}}));
  EXPECT_EQ(check(harness_schema(), query(334)), (std::vector<reported>{{"Validation aborted.", {}}}));
}

}  // namespace
}  // namespace sluice::validation::detail
