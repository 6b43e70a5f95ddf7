// Input coercion: coerce_input_value (variables), coerce_literal (arguments, defaults), argument values,
// value_to_literal_text (introspection's defaultValue) and inspect(), checked against graphql-js 16.15.
#include <gtest/gtest.h>

#include <cmath>

#include "schema_test_util.hpp"
#include "sluice/core/json.hpp"
#include "sluice/schema/coercion.hpp"

namespace sluice::schema {
namespace {

constexpr const char* sdl = R"(type Query { a: Int }
enum E { RED GREEN BLUE }
scalar JSON
input In { a: Int!, b: String = "dflt", c: [E!], d: In2 }
input In2 { x: Float = 1.5, y: ID }
input One @oneOf { a: Int, b: String, c: In2 })";

class Coercion : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { built_ = testing::build_ok(sdl); }
  static void TearDownTestSuite() { built_.reset(); }
  static const type* type_of(const std::string& text) { return testing::type_of(*built_, text); }
  static std::shared_ptr<const schema> built_;
};
std::shared_ptr<const schema> Coercion::built_;

struct coercion_case {
  std::string type;
  std::string input;
  std::string expected;  // JSON of the result, or the messages joined with " || ", or INVALID
};

value json_value(const std::string& text) {
  auto v = json::parse(text);
  EXPECT_TRUE(v.has_value()) << text;
  return v.value_or(value());
}

// Expected results are graphql-js's getVariableValues for `query($v: <type>)` and variables {"v": <input>}.
const std::vector<coercion_case> variable_cases = {
    {"Int", R"(1)", R"(1)"},
    {"Int", R"(1.0)", R"(1)"},
    {"Int", R"(1.5)", R"(Variable "$v" got invalid value 1.5; Int cannot represent non-integer value: 1.5)"},
    {"Int", R"(2147483648)",
     R"(Variable "$v" got invalid value 2147483648; Int cannot represent non 32-bit signed integer value: 2147483648)"},
    {"Int", R"(-2147483648)", R"(-2147483648)"},
    {"Int", R"("1")", R"(Variable "$v" got invalid value "1"; Int cannot represent non-integer value: "1")"},
    {"Int", R"(true)",
     R"(Variable "$v" got invalid value true; Int cannot represent non-integer value: true)"},
    {"Int", R"(null)", R"(null)"},
    {"[Int]", R"(1)", R"([1])"},
    {"[Int]", R"([1, null, "x"])",
     R"(Variable "$v" got invalid value "x" at "v[2]"; Int cannot represent non-integer value: "x")"},
    {"[Int!]!", R"([1, null])",
     R"(Variable "$v" got invalid value null at "v[1]"; Expected non-nullable type "Int!" not to be null.)"},
    {"[[Int]]", R"([[1], 2, null])", R"([[1],[2],null])"},
    {"Float", R"(1e300)", R"(1e+300)"},
    {"Float", R"("1.5")",
     R"(Variable "$v" got invalid value "1.5"; Float cannot represent non numeric value: "1.5")"},
    {"Float", R"(3)", R"(3)"},
    {"String", R"("x")", R"("x")"},
    {"String", R"(1)", R"(Variable "$v" got invalid value 1; String cannot represent a non string value: 1)"},
    {"String", R"({"a": 1})",
     R"(Variable "$v" got invalid value { a: 1 }; String cannot represent a non string value: { a: 1 })"},
    {"Boolean", R"(0)",
     R"(Variable "$v" got invalid value 0; Boolean cannot represent a non boolean value: 0)"},
    {"Boolean", R"(false)", R"(false)"},
    {"ID", R"(1)", R"("1")"},
    {"ID", R"(1.5)", R"(Variable "$v" got invalid value 1.5; ID cannot represent value: 1.5)"},
    {"ID", R"("abc")", R"("abc")"},
    {"ID", R"(1e3)", R"("1000")"},
    {"ID", R"(true)", R"(Variable "$v" got invalid value true; ID cannot represent value: true)"},
    {"E", R"("RED")", R"("RED")"},
    {"E", R"("red")",
     R"(Variable "$v" got invalid value "red"; Value "red" does not exist in "E" enum. Did you mean the enum value "RED"?)"},
    {"E", R"("REDD")",
     R"(Variable "$v" got invalid value "REDD"; Value "REDD" does not exist in "E" enum. Did you mean the enum value "RED"?)"},
    {"E", R"(1)", R"(Variable "$v" got invalid value 1; Enum "E" cannot represent non-string value: 1.)"},
    {"E", R"(["RED"])",
     R"(Variable "$v" got invalid value ["RED"]; Enum "E" cannot represent non-string value: ["RED"].)"},
    {"[E]", R"(["RED", "GREN"])",
     R"(Variable "$v" got invalid value "GREN" at "v[1]"; Value "GREN" does not exist in "E" enum. Did you mean the enum value "GREEN" or "RED"?)"},
    {"In", R"({"a": 1})", R"({"a":1,"b":"dflt"})"},
    {"In", R"({"a": 1, "b": null, "c": ["BLUE"], "d": {"y": 5}})",
     R"({"a":1,"b":null,"c":["BLUE"],"d":{"x":1.5,"y":"5"}})"},
    {"In", R"({})",
     R"(Variable "$v" got invalid value {}; Field "a" of required type "Int!" was not provided.)"},
    {"In", R"({"b": 1, "zz": 2, "aa": 3, "2": 1, "1": 0})",
     R"(Variable "$v" got invalid value { 1: 0, 2: 1, b: 1, zz: 2, aa: 3 }; Field "a" of required type "Int!" was not provided. || Variable "$v" got invalid value 1 at "v.b"; String cannot represent a non string value: 1 || Variable "$v" got invalid value { 1: 0, 2: 1, b: 1, zz: 2, aa: 3 }; Field "1" is not defined by type "In". Did you mean "a", "b", "c", or "d"? || Variable "$v" got invalid value { 1: 0, 2: 1, b: 1, zz: 2, aa: 3 }; Field "2" is not defined by type "In". Did you mean "a", "b", "c", or "d"? || Variable "$v" got invalid value { 1: 0, 2: 1, b: 1, zz: 2, aa: 3 }; Field "zz" is not defined by type "In". || Variable "$v" got invalid value { 1: 0, 2: 1, b: 1, zz: 2, aa: 3 }; Field "aa" is not defined by type "In". Did you mean "a"?)"},
    {"In", R"([1])", R"(Variable "$v" got invalid value [1]; Expected type "In" to be an object.)"},
    {"In", R"("x")", R"(Variable "$v" got invalid value "x"; Expected type "In" to be an object.)"},
    {"In", R"({"a": 1, "d": {"x": "bad", "yy": 1}})",
     R"(Variable "$v" got invalid value "bad" at "v.d.x"; Float cannot represent non numeric value: "bad" || Variable "$v" got invalid value { x: "bad", yy: 1 } at "v.d"; Field "yy" is not defined by type "In2". Did you mean "y"?)"},
    {"[In]", R"([{"a": 1}, {"a": "x"}])",
     R"(Variable "$v" got invalid value "x" at "v[1].a"; Int cannot represent non-integer value: "x")"},
    {"One", R"({"a": 1})", R"({"a":1})"},
    {"One", R"({"a": 1, "b": "x"})",
     R"(Variable "$v" got invalid value { a: 1, b: "x" }; Exactly one key must be specified for OneOf type "One".)"},
    {"One", R"({})",
     R"(Variable "$v" got invalid value {}; Exactly one key must be specified for OneOf type "One".)"},
    {"One", R"({"a": null})",
     R"(Variable "$v" got invalid value null at "v.a"; Field "a" must be non-null.)"},
    {"One", R"({"c": {}})", R"({"c":{"x":1.5}})"},
    {"JSON", R"({"a": [1, 2, {"b": null}]})", R"({"a":[1,2,{"b":null}]})"},
    {"JSON", R"(null)", R"(null)"},
    {"String", R"([[1, [2, [3, [4]]]], 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])",
     R"(Variable "$v" got invalid value [[1, [Array]], 1, 2, 3, 4, 5, 6, 7, 8, 9, ... 2 more items]; String cannot represent a non string value: [[1, [Array]], 1, 2, 3, 4, 5, 6, 7, 8, 9, ... 2 more items])"},
    {"Int", R"({"a": {"b": {"c": {"d": 1}}}, "e": []})",
     R"(Variable "$v" got invalid value { a: { b: [Object] }, e: [] }; Int cannot represent non-integer value: { a: { b: [Object] }, e: [] })"},
    {"E", R"({"x": 1})",
     R"(Variable "$v" got invalid value { x: 1 }; Enum "E" cannot represent non-string value: { x: 1 }.)"},
};

TEST_F(Coercion, InputValuesLikeGraphqlJs) {
  for (const auto& c : variable_cases) {
    auto result = coerce_input_value(json_value(c.input), type_of(c.type));
    std::string got;
    if (result.ok()) {
      got = json::to_string(result.value);
    } else {
      for (const auto& e : result.errors) got += (got.empty() ? "" : " || ") + variable_error_message("v", e);
    }
    EXPECT_EQ(got, c.expected) << c.type << " " << c.input;
  }
}

TEST_F(Coercion, NullForNonNullAtTheTop) {
  auto result = coerce_input_value(value(nullptr), type_of("Int!"));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].message, "Expected non-nullable type \"Int!\" not to be null.");
  EXPECT_TRUE(result.errors[0].path.empty());
}

TEST_F(Coercion, ErrorPathsPointInsideTheValue) {
  auto result = coerce_input_value(json_value(R"([{"a": 1}, {"a": 1, "d": {"x": "no"}}])"), type_of("[In]"));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].path, (std::vector<path_segment>{std::size_t{1}, "d", "x"}));
  EXPECT_EQ(result.errors[0].invalid_value, value("no"));
}

TEST_F(Coercion, CustomScalarErrorsAreExplained) {
  build_options options;
  options.custom_scalars["Even"].parse_value = [](const value& v) -> value {
    if (!v.is_int()) throw coercion_error("Even wants an integer");
    if (v.as_int() % 2 != 0) throw std::invalid_argument("odd");
    return v;
  };
  auto s = testing::build_ok("scalar Even type Query { a(e: Even): Int }", options);
  ASSERT_TRUE(s);
  const type* even = s->find_type("Even");
  EXPECT_EQ(coerce_input_value(value(4), even).value, value(4));
  EXPECT_EQ(coerce_input_value(value("x"), even).errors.at(0).message, "Even wants an integer");
  EXPECT_EQ(coerce_input_value(value(3), even).errors.at(0).message, "Expected type \"Even\". odd");
}

// Expected results are graphql-js's valueFromAST(parseValue(<literal>), <type>).
const std::vector<coercion_case> literal_cases = {
    {"Int", R"(1)", R"(1)"},
    {"Int", R"(1.0)", R"(INVALID)"},
    {"Int", R"(2147483648)", R"(INVALID)"},
    {"Int", R"("1")", R"(INVALID)"},
    {"Int", R"(null)", R"(null)"},
    {"Int!", R"(null)", R"(INVALID)"},
    {"[Int]", R"(1)", R"([1])"},
    {"[Int]", R"([1, 2])", R"([1,2])"},
    {"[Int!]", R"([1, null])", R"(INVALID)"},
    {"Float", R"(1)", R"(1)"},
    {"Float", R"(1.5e3)", R"(1500)"},
    {"String", R"("x")", R"("x")"},
    {"String", R"("""block""")", R"("block")"},
    {"String", R"(X)", R"(INVALID)"},
    {"ID", R"(123)", R"("123")"},
    {"ID", R"("123")", R"("123")"},
    {"ID", R"(1.5)", R"(INVALID)"},
    {"Boolean", R"(true)", R"(true)"},
    {"E", R"(RED)", R"("RED")"},
    {"E", R"("RED")", R"(INVALID)"},
    {"E", R"(PURPLE)", R"(INVALID)"},
    {"In", R"({a: 1})", R"({"a":1,"b":"dflt"})"},
    {"In", R"({a: 1, b: null, c: [RED], d: {y: 4}})",
     R"({"a":1,"b":null,"c":["RED"],"d":{"x":1.5,"y":"4"}})"},
    {"In", R"({b: "x"})", R"(INVALID)"},
    {"In", R"({a: 1, zz: 3})", R"({"a":1,"b":"dflt"})"},
    {"In", R"({a: 1, a: 2})", R"({"a":2,"b":"dflt"})"},
    {"One", R"({a: 1})", R"({"a":1})"},
    {"One", R"({a: 1, b: "x"})", R"(INVALID)"},
    {"One", R"({a: null})", R"(INVALID)"},
    {"JSON", R"({a: [1, 2.5, RED, "s", null, true], b: {c: 1}})",
     R"({"a":[1,2.5,"RED","s",null,true],"b":{"c":1}})"},
    {"JSON", R"(123456789012345678901234567890)", R"(1.2345678901234568e+29)"},
    {"JSON", R"(-0)", R"(0)"},
    {"Float", R"(-0)", R"(0)"},
    {"In2", R"({})", R"({"x":1.5})"},
};

TEST_F(Coercion, LiteralsLikeGraphqlJs) {
  for (const auto& c : literal_cases) {
    language::document keep;
    auto result = coerce_literal(testing::literal_of(c.input, keep), type_of(c.type));
    EXPECT_EQ(result.ok() ? json::to_string(result.value) : "INVALID", c.expected)
        << c.type << " " << c.input;
  }
}

TEST_F(Coercion, LiteralsWithVariables) {
  value variables = json_value(R"({"i": 7, "n": null, "e": "BLUE", "o": {"x": 2.5}})");
  auto coerce = [&](const std::string& literal, const std::string& t) {
    language::document keep;
    return coerce_literal(testing::literal_of(literal, keep), type_of(t), &variables);
  };
  EXPECT_EQ(coerce("$i", "Int").value, value(7));
  EXPECT_TRUE(coerce("$missing", "Int").absent());
  EXPECT_TRUE(coerce("$missing", "Int!").absent());  // the caller decides (default or error)
  EXPECT_TRUE(coerce("$n", "Int!").invalid());
  EXPECT_EQ(json::to_string(coerce("[1, $missing, $i]", "[Int]").value), "[1,null,7]");
  EXPECT_TRUE(coerce("[1, $missing]", "[Int!]").invalid());
  EXPECT_EQ(json::to_string(coerce("{a: $i, b: $missing, d: $o}", "In").value),
            R"({"a":7,"b":"dflt","d":{"x":2.5}})");
  EXPECT_TRUE(coerce("{a: $missing}", "In").invalid());
  EXPECT_EQ(json::to_string(coerce("{k: [$i, $e, $missing], m: $missing}", "JSON").value),
            R"({"k":[7,"BLUE",null]})");
  EXPECT_TRUE(coerce("{a: $n}", "One").invalid());
}

TEST(LiteralToValue, AsValueFromAstUntyped) {
  language::document keep;
  value v = literal_to_value(testing::literal_of(R"({a: [1, 2.5, RED, "s", null, true], b: {c: -3}})", keep));
  EXPECT_EQ(json::to_string(v), R"({"a":[1,2.5,"RED","s",null,true],"b":{"c":-3}})");
  EXPECT_TRUE(v.find("a")->as_list()[0].is_int());
  EXPECT_TRUE(v.find("a")->as_list()[1].is_float());
}

language::list<language::argument> arguments_of(const std::string& text, language::document& keep) {
  auto parsed = language::parse("{ a" + text + " }");
  keep = std::move(parsed.doc);
  const auto& op = std::get<language::operation_definition>(keep.definitions.at(0));
  return std::get<language::field>(op.selections.at(0).node).arguments;
}

TEST(ArgumentValues, AsGraphqlJsGetArgumentValues) {
  auto s = testing::build_ok("type Query { f(req: Int!, opt: String = \"d\", list: [Int], none: Int): Int }");
  ASSERT_TRUE(s);
  const auto& definitions = s->query_type()->find_field("f")->arguments;
  language::location at{0, 1, 3};
  value variables = json_value(R"({"n": null, "l": [1]})");
  auto run = [&](const std::string& text) {
    language::document keep;
    return coerce_argument_values(definitions, arguments_of(text, keep), at, &variables);
  };
  EXPECT_EQ(json::to_string(run("(req: 1)").values), R"({"req":1,"opt":"d"})");
  EXPECT_EQ(json::to_string(run("(req: 1, opt: null, list: $l, none: $x)").values),
            R"({"req":1,"opt":null,"list":[1]})");
  auto missing = run("(opt: \"x\")");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error->message, "Argument \"req\" of required type \"Int!\" was not provided.");
  EXPECT_EQ(missing.error->locations, (std::vector<source_location>{{1, 3}}));
  EXPECT_EQ(
      run("(req: $x)").error->message,
      "Argument \"req\" of required type \"Int!\" was provided the variable \"$x\" which was not provided a "
      "runtime value.");
  EXPECT_EQ(run("(req: $n)").error->message, "Argument \"req\" of non-null type \"Int!\" must not be null.");
  auto invalid = run("(req: \"one\")");
  EXPECT_EQ(invalid.error->message, "Argument \"req\" has invalid value \"one\".");
  EXPECT_EQ(invalid.error->locations, (std::vector<source_location>{{1, 10}}));
}

TEST_F(Coercion, LiteralTextOfDefaultValues) {
  auto text = [&](const std::string& json_text, const std::string& t) {
    return value_to_literal_text(json_value(json_text), type_of(t));
  };
  EXPECT_EQ(text("5", "[Int]"), "5");
  EXPECT_EQ(text("[5, null]", "[Int]"), "[5, null]");
  EXPECT_EQ(text(R"("12")", "ID"), "12");
  EXPECT_EQ(text(R"("012")", "ID"), "\"012\"");
  EXPECT_EQ(text("1.0", "Float"), "1");
  EXPECT_EQ(text("1e25", "Float"), "1e+25");
  EXPECT_EQ(text(R"("a\"b\n\u0001")", "String"), R"("a\"b\n\u0001")");
  EXPECT_EQ(text(R"({"b": "q", "a": 1, "c": ["RED"], "zz": 1})", "In"), R"({a: 1, b: "q", c: [RED]})");
  EXPECT_EQ(text(R"({"a": 1, "d": {"y": null}})", "In"), "{a: 1, d: {y: null}}");
  EXPECT_EQ(text(R"(["RED", "BLUE"])", "[E]"), "[RED, BLUE]");
  EXPECT_EQ(text("null", "Int"), "null");
  EXPECT_EQ(text("null", "Int!"), std::nullopt);
  EXPECT_EQ(text(R"("s")", "JSON"), "\"s\"");
  EXPECT_EQ(text("true", "Boolean"), "true");
  EXPECT_THROW((void)text(R"({"a": 1})", "JSON"), std::runtime_error);
  try {
    (void)text("[1, 2]", "JSON");
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "Cannot convert value to AST: [1, 2].");
  }
  EXPECT_THROW((void)text(R"("PURPLE")", "E"), std::runtime_error);
}

TEST(Inspect, AsGraphqlJsInspect) {
  EXPECT_EQ(inspect(value()), "null");
  EXPECT_EQ(inspect(value(1.0)), "1");
  EXPECT_EQ(inspect(value(std::nan(""))), "NaN");
  EXPECT_EQ(inspect(value(-1.0 / 0.0)), "-Infinity");
  EXPECT_EQ(inspect(value("a\"b\n")), R"("a\"b\n")");
  EXPECT_EQ(inspect(json_value("[]")), "[]");
  EXPECT_EQ(inspect(json_value("{}")), "{}");
  EXPECT_EQ(inspect(json_value(R"({"b": 1, "10": 2, "2": [true], "a": {}})")),
            "{ 2: [true], 10: 2, b: 1, a: {} }");
  EXPECT_EQ(inspect(json_value("[[[[1]]], {\"a\": {\"b\": {\"c\": 1}}}]")), "[[[Array]], { a: [Object] }]");
  EXPECT_EQ(inspect(json_value("[1,2,3,4,5,6,7,8,9,10,11]")),
            "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 1 more item]");
}

}  // namespace
}  // namespace sluice::schema
