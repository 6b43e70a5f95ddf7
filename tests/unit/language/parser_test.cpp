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
