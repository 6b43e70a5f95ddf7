// JSON reading and writing: JavaScript number formatting, string escaping, values round-trip.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sluice/core/json.hpp"

namespace sluice::json {
namespace {

std::string num(double d) {
  std::string out;
  write_double(out, d);
  return out;
}

TEST(Json, FormatsNumbersLikeJavaScript) {
  EXPECT_EQ(num(1.0), "1");
  EXPECT_EQ(num(-0.0), "0");
  EXPECT_EQ(num(0.1), "0.1");
  EXPECT_EQ(num(1.5), "1.5");
  EXPECT_EQ(num(-2.25), "-2.25");
  EXPECT_EQ(num(123456789012.0), "123456789012");
  EXPECT_EQ(num(1e21), "1e+21");
  EXPECT_EQ(num(1.5e21), "1.5e+21");
  EXPECT_EQ(num(1e20), "100000000000000000000");
  EXPECT_EQ(num(1e-6), "0.000001");
  EXPECT_EQ(num(1e-7), "1e-7");
  EXPECT_EQ(num(1.25e-7), "1.25e-7");
  EXPECT_EQ(num(0.30000000000000004), "0.30000000000000004");
  EXPECT_EQ(num(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(num(std::nan("")), "null");
}

TEST(Json, EscapesStrings) {
  std::string out;
  write_string(out, "a\"b\\c\n\t\x01 é");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\t\\u0001 é\"");
}

TEST(Json, RoundTripsValues) {
  auto v = parse(R"({"a":[1,2.5,"x",true,null],"b":{"c":-3},"big":18446744073709551615})");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->find("a")->as_list().size(), 5u);
  EXPECT_TRUE(v->find("a")->as_list()[0].is_int());
  EXPECT_TRUE(v->find("a")->as_list()[1].is_float());
  EXPECT_TRUE(v->find("big")->is_float());
  EXPECT_EQ(to_string(*v), R"({"a":[1,2.5,"x",true,null],"b":{"c":-3},"big":18446744073709552000})");
}

TEST(Json, KeepsMemberOrder) {
  auto v = parse(R"({"z":1,"a":2,"m":3})");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(to_string(*v), R"({"z":1,"a":2,"m":3})");
}

TEST(Json, RejectsBadInputWithAMessage) {
  std::string error;
  EXPECT_FALSE(parse("{\"a\":", &error).has_value());
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(parse("[[[[1]]]]", &error, parse_options{.max_depth = 3}).has_value());
}

TEST(Value, SetsAndFindsMembers) {
  sluice::value v;
  v.set("a", 1);
  v.set("b", "x");
  v.set("a", 2);
  EXPECT_EQ(v.find("a")->as_int(), 2);
  EXPECT_EQ(v.find("b")->as_string(), "x");
  EXPECT_EQ(v.find("c"), nullptr);
  EXPECT_EQ(v.as_object().size(), 2u);
}

TEST(Value, IntAndFloatOfTheSameNumberAreEqual) {
  EXPECT_EQ(sluice::value(1), sluice::value(1.0));
  EXPECT_NE(sluice::value(1), sluice::value(1.5));
  EXPECT_NE(sluice::value("1"), sluice::value(1));
}

TEST(Value, CarriesOpaqueObjects) {
  struct message {
    int id;
  };
  auto owned = sluice::value::from_object(std::make_shared<const message>(message{7}));
  ASSERT_NE(owned.object_ptr<message>(), nullptr);
  EXPECT_EQ(owned.object_ptr<message>()->id, 7);
  EXPECT_EQ(owned.object_ptr<int>(), nullptr);
  static const message borrowed{9};
  EXPECT_EQ(sluice::value::from_pointer(&borrowed).object_ptr<message>()->id, 9);
  EXPECT_EQ(to_string(owned), "null");  // never serialised
}

}  // namespace
}  // namespace sluice::json

namespace sluice::json {
namespace {

TEST(Json, EscapesLongStringsWhereverTheSpecialCharactersAre) {
  // Escapes before, inside and after 8-byte blocks, and non-ASCII text that needs none.
  for (std::size_t pos = 0; pos < 20; ++pos) {
    for (char special : {'"', '\\', '\n', '\x1f'}) {
      std::string s(20, 'a');
      s[pos] = special;
      std::string out;
      write_string(out, s);
      std::string expected = "\"" + std::string(pos, 'a');
      expected += special == '"' ? "\\\"" : special == '\\' ? "\\\\" : special == '\n' ? "\\n" : "\\u001f";
      expected += std::string(19 - pos, 'a') + "\"";
      EXPECT_EQ(out, expected) << pos;
      EXPECT_EQ(measure_string(s), out.size());
    }
  }
  std::string out;
  write_string(out, "héllo wörld, ünïcode stays as it is");
  EXPECT_EQ(out, "\"héllo wörld, ünïcode stays as it is\"");
}

TEST(Json, MeasuresExactlyWhatItWrites) {
  auto v = parse(R"({"a":[1,-2.5,"x\ny",true,null,1e21],"b":{"c\"":"\u0001"},"e":[],"f":{}})");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(measure(*v), to_string(*v).size());
}

}  // namespace
}  // namespace sluice::json
