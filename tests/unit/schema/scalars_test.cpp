// The built-in scalars' result coercion (serialize) and input coercion (parse_value, parse_literal), with
// graphql-js 16.15's rules and messages.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "schema_test_util.hpp"
#include "sluice/core/json.hpp"
#include "sluice/schema/coercion.hpp"

namespace sluice::schema {
namespace {

class Scalars : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    built_ = testing::build_ok(
        "enum E { RED GREEN BLUE } scalar JSON type Query { a(i: Int, f: Float, s: String, b: Boolean, id: "
        "ID, e: E, j: JSON): Int }");
  }
  static void TearDownTestSuite() { built_.reset(); }
  static const scalar_type& scalar(const std::string& name) {
    return *built_->find_type(name)->as<scalar_type>();
  }
  static std::shared_ptr<const schema> built_;
};
std::shared_ptr<const schema> Scalars::built_;

struct serialize_case {
  std::string type;
  std::string input;     // JSON
  std::string expected;  // JSON of the result, or ERROR and the message
};

// Expected results are graphql-js's <type>.serialize(JSON.parse(<input>)).
const std::vector<serialize_case> serialize_cases = {
    {"Int", R"(1)", R"(1)"},
    {"Int", R"(1.0)", R"(1)"},
    {"Int", R"(1.5)", R"(ERROR Int cannot represent non-integer value: 1.5)"},
    {"Int", R"("12")", R"(12)"},
    {"Int", R"(" 12 ")", R"(12)"},
    {"Int", R"("")", R"(ERROR Int cannot represent non-integer value: "")"},
    {"Int", R"("0x10")", R"(16)"},
    {"Int", R"("1e3")", R"(1000)"},
    {"Int", R"("abc")", R"(ERROR Int cannot represent non-integer value: "abc")"},
    {"Int", R"(true)", R"(1)"},
    {"Int", R"(3000000000)", R"(ERROR Int cannot represent non 32-bit signed integer value: 3000000000)"},
    {"Int", R"("3000000000")", R"(ERROR Int cannot represent non 32-bit signed integer value: "3000000000")"},
    {"Int", R"([1])", R"(ERROR Int cannot represent non-integer value: [1])"},
    {"Int", R"({"a": 1})", R"(ERROR Int cannot represent non-integer value: { a: 1 })"},
    {"Float", R"("1.5")", R"(1.5)"},
    {"Float", R"("Infinity")", R"(ERROR Float cannot represent non numeric value: "Infinity")"},
    {"Float", R"(true)", R"(1)"},
    {"Float", R"("  ")", R"(0)"},
    {"Float", R"([])", R"(ERROR Float cannot represent non numeric value: [])"},
    {"String", R"(1.5)", R"("1.5")"},
    {"String", R"(1e21)", R"("1e+21")"},
    {"String", R"(123)", R"("123")"},
    {"String", R"(true)", R"("true")"},
    {"String", R"({"a": "b"})", R"(ERROR String cannot represent value: { a: "b" })"},
    {"Boolean", R"(1)", R"(true)"},
    {"Boolean", R"(0.0)", R"(false)"},
    {"Boolean", R"("true")", R"(ERROR Boolean cannot represent a non boolean value: "true")"},
    {"ID", R"(12)", R"("12")"},
    {"ID", R"(12.0)", R"("12")"},
    {"ID", R"(12.5)", R"(ERROR ID cannot represent value: 12.5)"},
    {"ID", R"(1e21)", R"("1e+21")"},
    {"ID", R"("x")", R"("x")"},
    {"ID", R"(false)", R"(ERROR ID cannot represent value: false)"},
    {"E", R"("RED")", R"("RED")"},
    {"E", R"("NOPE")", R"(ERROR Enum "E" cannot represent value: "NOPE")"},
    {"E", R"(1)", R"(ERROR Enum "E" cannot represent value: 1)"},
};

TEST_F(Scalars, SerializeLikeGraphqlJs) {
  for (const auto& c : serialize_cases) {
    std::string got;
    try {
      got = json::to_string(serialize_leaf(*built_->find_type(c.type), *json::parse(c.input)));
    } catch (const std::runtime_error& e) {
      got = std::string("ERROR ") + e.what();
    }
    EXPECT_EQ(got, c.expected) << c.type << " " << c.input;
  }
}

TEST_F(Scalars, SerializeNonFiniteAndLargeNumbers) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_THROW((void)scalar("Float").coercion().serialize(value(nan)), coercion_error);
  EXPECT_THROW((void)scalar("Int").coercion().serialize(value(inf)), coercion_error);
  EXPECT_THROW((void)scalar("String").coercion().serialize(value(nan)), coercion_error);
  EXPECT_THROW((void)scalar("Boolean").coercion().serialize(value(inf)), coercion_error);
  try {
    (void)scalar("Int").coercion().serialize(value(nan));
  } catch (const coercion_error& e) {
    EXPECT_STREQ(e.what(), "Int cannot represent non-integer value: NaN");
  }
  EXPECT_EQ(scalar("Int").coercion().serialize(value(2147483647)), value(2147483647));
  EXPECT_EQ(scalar("Int").coercion().serialize(value(-2147483648.0)), value(-2147483648LL));
  EXPECT_THROW((void)scalar("Int").coercion().serialize(value(2147483648LL)), coercion_error);
  EXPECT_EQ(scalar("Int").coercion().serialize(value(" 0x10\n")), value(16));
  EXPECT_THROW((void)scalar("Int").coercion().serialize(value("-0x1")),
               coercion_error);  // Number("-0x1") is NaN
}

TEST_F(Scalars, IntParseValue) {
  const auto& c = scalar("Int").coercion();
  EXPECT_EQ(c.parse_value(value(5)), value(5));
  EXPECT_TRUE(c.parse_value(value(5.0)).is_int());
  EXPECT_EQ(c.parse_value(value(-2147483648LL)), value(-2147483648LL));
  try {
    (void)c.parse_value(value(2147483648.0));
    ADD_FAILURE();
  } catch (const coercion_error& e) {
    EXPECT_STREQ(e.what(), "Int cannot represent non 32-bit signed integer value: 2147483648");
  }
  EXPECT_THROW((void)c.parse_value(value("5")), coercion_error);
  EXPECT_THROW((void)c.parse_value(value(5.5)), coercion_error);
  EXPECT_THROW((void)c.parse_value(value(std::nan(""))), coercion_error);
}

TEST_F(Scalars, ParseLiterals) {
  language::document keep;
  auto literal = [&](const std::string& text) -> const language::value& {
    return testing::literal_of(text, keep);
  };
  EXPECT_EQ(scalar("Int").coercion().parse_literal(literal("-2147483648")), value(-2147483648LL));
  try {
    (void)scalar("Int").coercion().parse_literal(literal("99999999999999999999"));
    ADD_FAILURE();
  } catch (const coercion_error& e) {
    EXPECT_STREQ(e.what(), "Int cannot represent non 32-bit signed integer value: 99999999999999999999");
  }
  try {
    (void)scalar("Int").coercion().parse_literal(literal("{a: [1, \"x\"]}"));
    ADD_FAILURE();
  } catch (const coercion_error& e) {
    EXPECT_STREQ(e.what(), "Int cannot represent non-integer value: {a: [1, \"x\"]}");
  }
  EXPECT_EQ(scalar("Float").coercion().parse_literal(literal("1")), value(1.0));
  EXPECT_EQ(scalar("ID").coercion().parse_literal(literal("-12")), value("-12"));
  EXPECT_EQ(scalar("String").coercion().parse_literal(literal("\"\"\"\n  block\n  text\"\"\"")),
            value("block\ntext"));
  EXPECT_THROW((void)scalar("Boolean").coercion().parse_literal(literal("TRUE")), coercion_error);
  try {
    (void)scalar("ID").coercion().parse_literal(literal("1.5"));
    ADD_FAILURE();
  } catch (const coercion_error& e) {
    EXPECT_STREQ(e.what(), "ID cannot represent a non-string and non-integer value: 1.5");
  }
}

TEST_F(Scalars, CustomScalarsPassValuesThrough) {
  const auto& c = scalar("JSON").coercion();
  value object = *json::parse(R"({"a": [1, "b"]})");
  EXPECT_FALSE(c.serialize);  // no serialize function: values pass through
  EXPECT_EQ(serialize_leaf(scalar("JSON"), object), object);
  EXPECT_EQ(c.parse_value(object), object);
  language::document keep;
  EXPECT_EQ(c.parse_literal(testing::literal_of(R"({a: [1, "b"]})", keep)), object);
}

}  // namespace
}  // namespace sluice::schema
