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
  // The same, into `out` (replacing what it held), so a caller can reuse one buffer.
  void string_value(const token& t, std::string& out) const;

  // The location of a byte offset on the line the lexer is at (at or after the current token's end).
  [[nodiscard]] location locate(std::uint32_t offset) const {
    return {offset, line_, offset - line_start_ - adjust_ + 1};
  }

 private:
  // Line tracking: called with the offset just after a line terminator.
  void new_line(std::uint32_t next_line_start) {
    ++line_;
    line_start_ = next_line_start;
    adjust_ = 0;
  }
  // Columns count UTF-16 units, as graphql-js and every JavaScript tool do: a multi-byte UTF-8 character
  // takes fewer units than bytes. `adjust_` is that difference so far on the current line.
  void account_utf8(unsigned char b) {
    if ((b & 0xC0) == 0x80) ++adjust_;       // continuation byte
    else if (b >= 0xF0) --adjust_;           // a 4-byte sequence is 2 units
  }

  // Reads the token at or after `pos` into `t` (in place: a token returned by value costs a store-forwarding stall).
  void read_token(std::uint32_t pos, token& t);
  // Moves `pos` past spaces, at least up to the last eight before the end (the caller handles any left).
  void skip_spaces(std::uint32_t& pos) const;
  // Moves `pos` through a comment's text eight bytes at a time while they are ASCII and end no line (the caller
  // reads the rest byte by byte).
  void skip_ascii_comment_text(std::uint32_t& pos) const;
  void read_number(token& t, std::uint32_t pos);
  void read_string(token& t, std::uint32_t pos);
  void read_block_string(token& t, std::uint32_t pos);
  // Decodes one escape sequence at `pos` (the backslash) and returns its length; appends to `out` if given.
  std::uint32_t read_escape(std::uint32_t pos, std::string* out) const;
  [[noreturn]] void fail(std::uint32_t offset, std::string message);
  [[nodiscard]] std::string describe_char(std::uint32_t pos) const;

  std::string_view src_;
  token token_;
  // Where the lexer is (at the end of the current token): line number, where the line starts, UTF-16 adjust.
  std::uint32_t line_ = 1;
  std::uint32_t line_start_ = 0;
  std::uint32_t adjust_ = 0;
};

// Appends the UTF-8 encoding of a code point.
void append_utf8(std::string& out, std::uint32_t cp);

}  // namespace sluice::language
