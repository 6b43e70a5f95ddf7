// Lexer tests: every token kind, string decoding (escapes, block strings), numbers, and lexical errors' positions.
#include <gtest/gtest.h>

#include "sluice/language/lexer.hpp"
#include "sluice/language/parser.hpp"

namespace sluice::language {
namespace {

std::vector<token_kind> kinds(std::string_view src) {
  lexer lex(src);
  std::vector<token_kind> out;
  for (;;) {
    const token& t = lex.advance();
    if (t.kind == token_kind::eof) break;
    out.push_back(t.kind);
  }
  return out;
}

std::string decoded(std::string_view src) {
  lexer lex(src);
  return lex.string_value(lex.advance());
}

// The syntax error of a document, as "line:column message".
std::string error_of(std::string src) {
  auto r = parse(std::move(src));
  if (r.ok()) return "no error";
  return std::to_string(r.error->locations.at(0).line) + ":" + std::to_string(r.error->locations.at(0).column) + " " +
         r.error->message;
}

TEST(Lexer, ReadsEveryPunctuator) {
  using k = token_kind;
  EXPECT_EQ(kinds("! $ & ( ) ... : = @ [ ] { | }"),
            (std::vector<k>{k::bang, k::dollar, k::amp, k::paren_l, k::paren_r, k::spread, k::colon, k::equals,
                            k::at, k::bracket_l, k::bracket_r, k::brace_l, k::pipe, k::brace_r}));
}

TEST(Lexer, SkipsIgnoredTokens) {
  EXPECT_EQ(kinds("\xEF\xBB\xBF a,\tb # comment \r\n c"),
            (std::vector<token_kind>{token_kind::name, token_kind::name, token_kind::name}));
}

TEST(Lexer, ReadsNumbers) {
  using k = token_kind;
  EXPECT_EQ(kinds("0 -0 12 -12 1.5 -1.5e10 1E+3 2e-2"),
            (std::vector<k>{k::int_, k::int_, k::int_, k::int_, k::float_, k::float_, k::float_, k::float_}));
  EXPECT_EQ(error_of("{ f(a: 01) }"), "1:9 Syntax Error: Invalid number, unexpected digit after 0: \"1\".");
  EXPECT_EQ(error_of("{ f(a: 1.) }"), "1:10 Syntax Error: Invalid number, expected digit but got: \")\".");
  EXPECT_EQ(error_of("{ f(a: 1e) }"), "1:10 Syntax Error: Invalid number, expected digit but got: \")\".");
  EXPECT_EQ(error_of("{ f(a: 1x) }"), "1:9 Syntax Error: Invalid number, expected digit but got: \"x\".");
  EXPECT_EQ(error_of("{ f(a: 1.2.3) }"), "1:11 Syntax Error: Invalid number, expected digit but got: \".\".");
  EXPECT_EQ(error_of("{ f(a: -) }"), "1:9 Syntax Error: Invalid number, expected digit but got: \")\".");
}

TEST(Lexer, DecodesStringEscapes) {
  EXPECT_EQ(decoded(R"("a\"b\\c\/d\b\f\n\r\t")"), "a\"b\\c/d\b\f\n\r\t");
  EXPECT_EQ(decoded(R"("\u0041\u00e9")"), "A\xC3\xA9");
  EXPECT_EQ(decoded(R"("\u{1F600}")"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(decoded(R"("\uD83D\uDE00")"), "\xF0\x9F\x98\x80");  // a surrogate pair
  EXPECT_EQ(decoded("\"caf\xC3\xA9\""), "caf\xC3\xA9");
}

TEST(Lexer, RejectsBadStrings) {
  EXPECT_EQ(error_of("{ f(a: \"abc) }"), "1:15 Syntax Error: Unterminated string.");
  EXPECT_EQ(error_of("{ f(a: \"a\nb\") }"), "1:10 Syntax Error: Unterminated string.");
  EXPECT_EQ(error_of(R"({ f(a: "\x") })"), R"(1:9 Syntax Error: Invalid character escape sequence: "\x".)");
  EXPECT_EQ(error_of(R"({ f(a: "\uD83D") })"), R"(1:9 Syntax Error: Invalid Unicode escape sequence: "\uD83D".)");
  EXPECT_EQ(error_of(R"({ f(a: "\u{110000}") })").substr(0, 4), "1:9 ");
  EXPECT_EQ(error_of("{ f(a: \"\xFF\") }").substr(0, 4), "1:9 ");
}

TEST(Lexer, DedentsBlockStrings) {
  EXPECT_EQ(decoded("\"\"\"\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  \"\"\""),
            "Hello,\n  World!\n\nYours,\n  GraphQL.");
  EXPECT_EQ(decoded(R"("""first line
    second""")"), "first line\nsecond");
  EXPECT_EQ(decoded(R"("""a \""" b""")"), "a \"\"\" b");
  EXPECT_EQ(decoded("\"\"\"   \n  \n\"\"\""), "");
  EXPECT_EQ(decoded("\"\"\"\r\n  a\r\n  b\r\n\"\"\""), "a\nb");
}

TEST(Lexer, CountsColumnsInUtf16Units) {
  // "é" is one UTF-16 unit, "😀" two: graphql-js reports the `?` at column 15.
  EXPECT_EQ(error_of("{ f(a: \"\xC3\xA9\xF0\x9F\x98\x80\") ? }").substr(0, 5), "1:15 ");
  EXPECT_EQ(error_of("# \xF0\x9F\x98\x80\n\n  ?"), "3:3 Syntax Error: Unexpected character: \"?\".");
}

TEST(Lexer, ReportsUnexpectedCharacters) {
  EXPECT_EQ(error_of("{ a ? }"), "1:5 Syntax Error: Unexpected character: \"?\".");
  EXPECT_EQ(error_of("{ a 'b' }"),
            "1:5 Syntax Error: Unexpected single quote character ('), did you mean to use a double quote (\")?");
  EXPECT_EQ(error_of("{ a .. }"), "1:5 Syntax Error: Unexpected character: \".\".");
  EXPECT_EQ(error_of("\r\n\r{ a\n ~ }"), "4:2 Syntax Error: Unexpected character: \"~\".");
}

}  // namespace
}  // namespace sluice::language
