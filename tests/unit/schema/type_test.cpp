// The type system's predicates and lookups: input/output types, names as written, interned wrappers,
// directive locations.
#include <gtest/gtest.h>

#include <thread>

#include "schema_test_util.hpp"

namespace sluice::schema {
namespace {

class Types : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    built_ = testing::build_ok(
        "type Query { o: O, i: I, u: U, e: E, s: S } type O implements I { a: Int } interface I { a: Int } "
        "union U = O enum E { A } scalar S input In { a: Int } type M { m(x: In): Int }");
  }
  static void TearDownTestSuite() { built_.reset(); }
  static const type* t(const std::string& text) { return testing::type_of(*built_, text); }
  static std::shared_ptr<const schema> built_;
};
std::shared_ptr<const schema> Types::built_;

TEST_F(Types, InputAndOutputTypes) {
  for (const char* input : {"Int", "E", "S", "In", "[In!]!", "[[E]]"})
    EXPECT_TRUE(t(input)->is_input_type()) << input;
  for (const char* not_input : {"O", "I", "U", "[O]", "I!"})
    EXPECT_FALSE(t(not_input)->is_input_type()) << not_input;
  for (const char* output : {"Int", "E", "S", "O", "I", "U", "[U!]"})
    EXPECT_TRUE(t(output)->is_output_type()) << output;
  EXPECT_FALSE(t("In")->is_output_type());
  EXPECT_FALSE(t("[In]!")->is_output_type());
}

TEST_F(Types, KindsAndDowncasts) {
  EXPECT_TRUE(t("I")->is_abstract());
  EXPECT_TRUE(t("U")->is_composite());
  EXPECT_TRUE(t("E")->is_leaf());
  EXPECT_NE(t("O")->as<fields_type>(), nullptr);
  EXPECT_NE(t("I")->as<fields_type>(), nullptr);
  EXPECT_EQ(t("U")->as<fields_type>(), nullptr);
  EXPECT_EQ(t("O")->as<interface_type>(), nullptr);
  EXPECT_EQ(t("[O]")->as<named_type>(), nullptr);
}

TEST_F(Types, NamesAsWrittenAndNamedTypes) {
  EXPECT_EQ(t("[[Int!]]!")->to_string(), "[[Int!]]!");
  EXPECT_EQ(t("[[Int!]]!")->named()->name(), "Int");
  EXPECT_EQ(t("[E]!")->nullable()->to_string(), "[E]");
  EXPECT_EQ(t("E")->nullable(), t("E"));
  EXPECT_EQ(t("[E]!")->of_type()->of_type(), t("E"));
}

TEST_F(Types, WrappersAreInterned) {
  EXPECT_EQ(t("[Int!]"), t("[Int!]"));
  EXPECT_NE(t("[Int!]"), t("[Int]!"));
  // The field's declared type and a type built later are the same object.
  EXPECT_EQ(built_->find_type("M")->as<object_type>()->find_field("m")->find_argument("x")->value_type,
            t("In"));
  const type* from_threads[2] = {};
  std::thread a([&] { from_threads[0] = built_->list_of(built_->non_null_of(t("S"))); });
  std::thread b([&] { from_threads[1] = built_->list_of(built_->non_null_of(t("S"))); });
  a.join();
  b.join();
  EXPECT_EQ(from_threads[0], from_threads[1]);
}

TEST_F(Types, FindTypeOnlyFindsSchemaTypes) {
  EXPECT_EQ(built_->find_type("O")->name(), "O");
  EXPECT_EQ(built_->find_type("Nope"), nullptr);
  EXPECT_EQ(built_->find_type("Float"), nullptr);  // built-in, but not used by this schema
  EXPECT_NE(built_->find_type("__Directive"), nullptr);
}

TEST(DirectiveLocations, NamesBothWays) {
  EXPECT_EQ(to_string(directive_location::inline_fragment), "INLINE_FRAGMENT");
  EXPECT_EQ(to_string(directive_location::input_field_definition), "INPUT_FIELD_DEFINITION");
  EXPECT_EQ(parse_directive_location("VARIABLE_DEFINITION"), directive_location::variable_definition);
  EXPECT_EQ(parse_directive_location("DIRECTIVE_DEFINITION"), directive_location::directive_definition);
  EXPECT_EQ(parse_directive_location("field"), std::nullopt);
  for (int i = 0; i <= static_cast<int>(directive_location::directive_definition); ++i) {
    auto loc = static_cast<directive_location>(i);
    EXPECT_EQ(parse_directive_location(to_string(loc)), loc);
  }
}

}  // namespace
}  // namespace sluice::schema
