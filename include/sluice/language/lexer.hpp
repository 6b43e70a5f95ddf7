// The GraphQL lexer (spec 2.1): turns source text into tokens, skipping ignored tokens.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/core/error.hpp"
#include "sluice/language/ast.hpp"

namespace sluice::language {

enum class token_kind : std::uint8_t {
  sof, eof, bang, dollar, amp, paren_l, paren_r, spread, colon, equals, at, bracket_l, bracket_r,
  brace_l, pipe, brace_r, name, int_, float_, string, block_string
};

// How a token kind is described in error messages (`"{"`, `Name`, `<EOF>`).
[[nodiscard]] std::string_view describe(token_kind kind);

struct token {
  token_kind kind = token_kind::sof;
  std::uint32_t start = 0;  // byte offsets into the source
  std::uint32_t end = 0;
  location loc;
  // name, int_, float_: the raw text; string, block_string: the raw text between the quotes.
  std::string_view text;
};

// Thrown by the lexer and parser; caught by parse(), which turns it into a graphql_error.
struct syntax_error {
  std::string message;
  location loc;
};

class lexer {
 public:
  explicit lexer(std::string_view source);

  // Advances to the next significant token and returns it.
  const token& advance();
  [[nodiscard]] const token& current() const { return token_; }
  // The token after the current one, without advancing.
  [[nodiscard]] token lookahead();

  // Decodes the value of a string or block string token.
  [[nodiscard]] std::string string_value(const token& t) const;

  // The location of a byte offset that is at or after the last token produced.
  [[nodiscard]] location locate(std::uint32_t offset);

 private:
  token read_token(std::uint32_t pos);
  void read_number(token& t, std::uint32_t pos);
  void read_string(token& t, std::uint32_t pos);
  void read_block_string(token& t, std::uint32_t pos);
  // Decodes one escape sequence at `pos` (the backslash) and returns its length; appends to `out` if given.
  std::uint32_t read_escape(std::uint32_t pos, std::string* out) const;
  [[noreturn]] void fail(std::uint32_t offset, std::string message);
  [[nodiscard]] std::string describe_char(std::uint32_t pos) const;

  std::string_view src_;
  token token_;
  // Line tracking: the current line number, where it starts, and a column cache on it (UTF-16 units,
  // which is how graphql-js and every JavaScript tool count columns).
  std::uint32_t line_ = 1;
  std::uint32_t line_start_ = 0;
  std::uint32_t scanned_ = 0;  // newlines before this offset are counted
  std::uint32_t col_offset_ = 0;
  std::uint32_t col_units_ = 0;
};

// Appends the UTF-8 encoding of a code point.
void append_utf8(std::string& out, std::uint32_t cp);

}  // namespace sluice::language
