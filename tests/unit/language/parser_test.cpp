// Parser tests: every construct parses into the expected AST; syntax errors carry the right line and column.
#include <gtest/gtest.h>

#include "sluice/language/parser.hpp"
#include "sluice/language/printer.hpp"

namespace sluice::language {
namespace {

const operation_definition& first_operation(const parse_result& r) {
  return std::get<operation_definition>(r.doc.definitions.at(0));
}

TEST(Parser, ParsesShorthandQuery) {
  auto r = parse("{ hello }");
  ASSERT_TRUE(r.ok()) << r.error->message;
  const auto& op = first_operation(r);
  EXPECT_TRUE(op.shorthand);
  ASSERT_EQ(op.selections.size(), 1u);
  const auto& f = std::get<field>(op.selections[0].node);
  EXPECT_EQ(f.field_name.text, "hello");
  EXPECT_EQ(f.loc.line, 1u);
  EXPECT_EQ(f.loc.column, 3u);
}

TEST(Parser, ReportsUnexpectedEof) {
  auto r = parse("{ hello");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->message, "Syntax Error: Expected Name, found <EOF>.");
  ASSERT_EQ(r.error->locations.size(), 1u);
  EXPECT_EQ(r.error->locations[0], (source_location{1, 8}));
}

TEST(Parser, PrintsWhatItParsed) {
  auto r = parse("query Q($a: [Int!]! = [1], $b: In = {x: \"s\"}) @d(x: 1) { a: f(x: $a) { ...F ... on T { g } } }");
  ASSERT_TRUE(r.ok()) << r.error->message;
  EXPECT_EQ(print(r.doc),
            "query Q($a: [Int!]! = [1], $b: In = {x: \"s\"}) @d(x: 1) {\n  a: f(x: $a) {\n    ...F\n    ... on T "
            "{\n      g\n    }\n  }\n}");
}

}  // namespace
}  // namespace sluice::language

namespace sluice::language {
namespace {

std::string first_error(std::string src, const parse_options& o = {}) {
  auto r = parse(std::move(src), o);
  if (r.ok()) return "no error";
  return std::to_string(r.error->locations.at(0).line) + ":" + std::to_string(r.error->locations.at(0).column) + " " +
         r.error->message;
}

TEST(Parser, ParsesEveryExecutableConstruct) {
  auto r = parse(R"(
    query Q($id: ID! = "1" @dir, $list: [[Int]!]) @op {
      alias: node(id: $id, obj: {a: [1, 2.5, "s", """b""", true, null, ENUM, $list]}) @skip(if: false) {
        ...Frag @include(if: true)
        ... on User { name }
        ... @include(if: true) { id }
      }
    }
    fragment Frag on Node { id }
    mutation { m }
    subscription S { s }
  )");
  ASSERT_TRUE(r.ok()) << r.error->message;
  ASSERT_EQ(r.doc.definitions.size(), 4u);
  const auto& op = std::get<operation_definition>(r.doc.definitions[0]);
  EXPECT_EQ(op.op_name.text, "Q");
  ASSERT_EQ(op.variables.size(), 2u);
  EXPECT_EQ(print(op.variables[1].var_type), "[[Int]!]");
  EXPECT_EQ(op.variables[0].default_value->string_value, "1");
  const auto& f = std::get<field>(op.selections.at(0).node);
  EXPECT_EQ(f.alias.text, "alias");
  EXPECT_EQ(f.field_name.text, "node");
  EXPECT_EQ(f.response_key(), "alias");
  const auto& obj = f.arguments.at(1).val;
  ASSERT_EQ(obj.kind, value_kind::object);
  const auto& items = obj.fields.at(0).val.list;
  ASSERT_EQ(items.size(), 8u);
  EXPECT_EQ(items[0].kind, value_kind::int_);
  EXPECT_EQ(items[1].kind, value_kind::float_);
  EXPECT_EQ(items[3].block, true);
  EXPECT_EQ(items[6].kind, value_kind::enum_);
  EXPECT_EQ(items[7].kind, value_kind::variable);
  EXPECT_EQ(items[7].raw, "list");
  EXPECT_TRUE(std::holds_alternative<fragment_spread>(f.selections[0].node));
  EXPECT_EQ(std::get<inline_fragment>(f.selections[1].node).type_condition.text, "User");
  EXPECT_TRUE(std::get<inline_fragment>(f.selections[2].node).type_condition.empty());
  EXPECT_EQ(std::get<operation_definition>(r.doc.definitions[2]).operation, operation_type::mutation);
}

TEST(Parser, ParsesEveryTypeSystemConstruct) {
  auto r = parse(R"(
    "The schema" schema @a { query: Q mutation: M }
    extend schema { subscription: S }
    """A scalar""" scalar Date @specifiedBy(url: "https://example.com")
    type T implements & A & B @d { "field" f("arg" a: Int = 1 @x): [T!]! @deprecated }
    interface A implements B { f: Int }
    union U = | X | Y
    enum E { "one" ONE @deprecated(reason: "no") TWO }
    input I @oneOf { a: Int = 1, b: String }
    directive @d(x: Int) repeatable on FIELD_DEFINITION | OBJECT
    extend type T { g: Int }
    extend interface A @d
    extend union U = Z
    extend enum E { THREE }
    extend input I { c: Int }
    extend scalar Date @d
  )");
  ASSERT_TRUE(r.ok()) << r.error->message;
  ASSERT_EQ(r.doc.definitions.size(), 15u);
  const auto& t = std::get<type_definition>(r.doc.definitions[3]);
  EXPECT_EQ(t.kind, type_definition_kind::object);
  EXPECT_EQ(t.interfaces.size(), 2u);
  EXPECT_EQ(*t.fields.at(0).description, "field");
  EXPECT_EQ(*t.fields.at(0).arguments.at(0).description, "arg");
  EXPECT_EQ(std::get<type_definition>(r.doc.definitions[5]).members.size(), 2u);
  const auto& d = std::get<directive_definition>(r.doc.definitions[8]);
  EXPECT_TRUE(d.repeatable);
  EXPECT_EQ(d.locations.size(), 2u);
  EXPECT_TRUE(std::get<type_definition>(r.doc.definitions[9]).extension);
  EXPECT_TRUE(std::get<schema_definition>(r.doc.definitions[1]).extension);
}

TEST(Parser, ReportsSyntaxErrorsWhereGraphqlJsDoes) {
  EXPECT_EQ(first_error(""), "1:1 Syntax Error: Unexpected <EOF>.");
  EXPECT_EQ(first_error("{"), "1:2 Syntax Error: Expected Name, found <EOF>.");
  EXPECT_EQ(first_error("{ }"), "1:3 Syntax Error: Expected Name, found \"}\".");
  EXPECT_EQ(first_error("query Q("), "1:9 Syntax Error: Expected \"$\", found <EOF>.");
  EXPECT_EQ(first_error("{ f(a: $v) }", {}), "no error");
  EXPECT_EQ(first_error("query Q($v: Int = $w) { f }"), "1:19 Syntax Error: Unexpected variable \"$w\" in constant value.");
  EXPECT_EQ(first_error("fragment on on T { a }"), "1:10 Syntax Error: Unexpected Name \"on\".");
  EXPECT_EQ(first_error("{ ...on }"), "1:9 Syntax Error: Expected Name, found \"}\".");
  EXPECT_EQ(first_error("notakeyword { a }"), "1:1 Syntax Error: Unexpected Name \"notakeyword\".");
  EXPECT_EQ(first_error("\"desc\" { a }"),
            "1:1 Syntax Error: Unexpected description, descriptions are not supported on shorthand queries.");
  EXPECT_EQ(first_error("\"desc\" extend type T { a: Int }"),
            "1:1 Syntax Error: Unexpected description, only GraphQL definitions support descriptions.");
  EXPECT_EQ(first_error("enum E { true }"), "1:10 Syntax Error: Name \"true\" is reserved and cannot be used for an enum value.");
  EXPECT_EQ(first_error("extend type T"), "1:14 Syntax Error: Unexpected <EOF>.");
  EXPECT_EQ(first_error("directive @d on NOWHERE"), "1:17 Syntax Error: Unexpected Name \"NOWHERE\".");
  EXPECT_EQ(first_error("type T {}"), "1:9 Syntax Error: Expected Name, found \"}\".");
}

TEST(Parser, ParsesDescriptionsOnExecutableDefinitions) {
  auto r = parse("\"op\" query Q(\"var\" $a: Int) { f }\n\"\"\"frag\"\"\" fragment F on T { g }");
  ASSERT_TRUE(r.ok()) << r.error->message;
  const auto& op = std::get<operation_definition>(r.doc.definitions[0]);
  EXPECT_EQ(*op.description, "op");
  EXPECT_EQ(op.loc.column, 1u);
  EXPECT_EQ(*op.variables.at(0).description, "var");
  EXPECT_EQ(*std::get<fragment_definition>(r.doc.definitions[1]).description, "frag");
  auto again = parse(print(r.doc));
  ASSERT_TRUE(again.ok()) << print(r.doc);
  EXPECT_EQ(print(again.doc), print(r.doc));
}

TEST(Parser, LimitsNestingDepth) {
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "{ a ";
  for (int i = 0; i < 200; ++i) deep += "} ";
  auto e = first_error(deep);
  EXPECT_NE(e.find("Document nesting exceeds the maximum depth of 128."), std::string::npos) << e;
  std::string lists = "{ f(a: ";
  for (int i = 0; i < 100000; ++i) lists += "[";
  EXPECT_NE(first_error(lists).find("maximum depth"), std::string::npos);
  parse_options lenient;
  lenient.max_depth = 1000;
  EXPECT_EQ(first_error(deep, lenient), "no error");
}

TEST(Parser, LimitsTokenCount) {
  std::string wide = "{ ";
  for (int i = 0; i < 20000; ++i) wide += "a ";
  wide += "}";
  EXPECT_NE(first_error(wide).find("Document contains more than 15000 tokens. Parsing aborted."), std::string::npos);
  parse_options unlimited;
  unlimited.max_tokens = 0;
  EXPECT_EQ(first_error(wide, unlimited), "no error");
}

TEST(Parser, KeepsNamesValidAfterTheDocumentMoves) {
  auto r = parse("{ a }");  // a short source lives in the string's inline buffer: it must not move
  document moved = std::move(r.doc);
  EXPECT_EQ(std::get<field>(std::get<operation_definition>(moved.definitions[0]).selections[0].node).field_name.text,
            "a");
}

TEST(Printer, PrintsSdlThatParsesBackToTheSameText) {
  const std::string sdl = R"(extend schema @a {
  subscription: S
}

"""A scalar"""
scalar Date @specifiedBy(url: "x")

type T implements A & B @d {
  f(a: Int = 1): [T!]! @deprecated
}

union U = X | Y

enum E {
  ONE
  TWO
}

input I @oneOf {
  a: Int = 1
}

directive @d(x: Int) repeatable on FIELD_DEFINITION | OBJECT)";
  auto r = parse(sdl);
  ASSERT_TRUE(r.ok()) << r.error->message;
  EXPECT_EQ(print(r.doc), sdl);
}

TEST(Printer, PrintsStringsAndBlockStrings) {
  EXPECT_EQ(print_string("a\"b\n\x01"), "\"a\\\"b\\n\\u0001\"");
  EXPECT_EQ(print_block_string("one line"), "\"\"\"one line\"\"\"");
  EXPECT_EQ(print_block_string("two\nlines"), "\"\"\"\ntwo\nlines\n\"\"\"");
}

}  // namespace
}  // namespace sluice::language

namespace sluice::language {
namespace {

TEST(Printer, ALongFieldNameWithoutArgumentsStaysOnOneLine) {
  // Found by the fuzzer: the line-length rule wrapped an empty argument list into "(\n  \n)".
  std::string name(100, 'U');
  auto r = parse("{ " + name + " }");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(print(r.doc), "{\n  " + name + "\n}");
}

}  // namespace
}  // namespace sluice::language
