// The GraphQL lexer (spec 2.1), with graphql-js's error messages and positions.
#include "sluice/language/lexer.hpp"

#include <array>
#include <bit>
#include <cstdio>
#include <cstring>

namespace sluice::language {
namespace {

constexpr std::uint32_t invalid_cp = 0xFFFFFFFF;

struct decoded {
  std::uint32_t cp;
  std::uint32_t len;
};

// Decodes the UTF-8 sequence at `pos`; {invalid_cp, 1} for a malformed one.
decoded decode_utf8(std::string_view s, std::uint32_t pos) {
  auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) return {b0, 1};
  std::uint32_t need, cp, min;
  if ((b0 & 0xE0) == 0xC0) need = 1, cp = b0 & 0x1F, min = 0x80;
  else if ((b0 & 0xF0) == 0xE0) need = 2, cp = b0 & 0x0F, min = 0x800;
  else if ((b0 & 0xF8) == 0xF0) need = 3, cp = b0 & 0x07, min = 0x10000;
  else return {invalid_cp, 1};
  if (pos + need >= s.size()) return {invalid_cp, 1};
  for (std::uint32_t i = 1; i <= need; ++i) {
    auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0) != 0x80) return {invalid_cp, 1};
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {invalid_cp, 1};
  return {cp, need + 1};
}

// Character classes for names, by byte: 1 = may start a name, 2 = may continue one.
constexpr auto name_classes = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = 3;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = 3;
  t['_'] = 3;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = 2;
  return t;
}();

bool is_name_start(char c) { return name_classes[static_cast<unsigned char>(c)] & 1; }
bool is_name_continue(char c) { return name_classes[static_cast<unsigned char>(c)] & 2; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view describe(token_kind kind) {
  switch (kind) {
    case token_kind::sof: return "<SOF>";
    case token_kind::eof: return "<EOF>";
    case token_kind::bang: return "\"!\"";
    case token_kind::dollar: return "\"$\"";
    case token_kind::amp: return "\"&\"";
    case token_kind::paren_l: return "\"(\"";
    case token_kind::paren_r: return "\")\"";
    case token_kind::spread: return "\"...\"";
    case token_kind::colon: return "\":\"";
    case token_kind::equals: return "\"=\"";
    case token_kind::at: return "\"@\"";
    case token_kind::bracket_l: return "\"[\"";
    case token_kind::bracket_r: return "\"]\"";
    case token_kind::brace_l: return "\"{\"";
    case token_kind::pipe: return "\"|\"";
    case token_kind::brace_r: return "\"}\"";
    case token_kind::name: return "Name";
    case token_kind::int_: return "Int";
    case token_kind::float_: return "Float";
    case token_kind::string: return "String";
    case token_kind::block_string: return "BlockString";
  }
  return "?";
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

lexer::lexer(std::string_view source) : src_(source) {
  token_.kind = token_kind::sof;
  token_.loc = {0, 1, 1};
}

void lexer::fail(std::uint32_t offset, std::string message) {
  throw syntax_error{"Syntax Error: " + std::move(message), locate(offset)};
}

std::string lexer::describe_char(std::uint32_t pos) const {
  if (pos >= src_.size()) return "<EOF>";
  auto d = decode_utf8(src_, pos);
  if (d.cp == invalid_cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%02X", static_cast<unsigned char>(src_[pos]));
    return std::string("byte ") + buf;
  }
  if (d.cp >= 0x20 && d.cp <= 0x7E) {
    if (d.cp == '"') return "'\"'";
    return std::string("\"") + static_cast<char>(d.cp) + "\"";
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", d.cp);
  return buf;
}

const token& lexer::advance() {
  if (token_.kind != token_kind::eof) read_token(token_.end, token_);
  return token_;
}

token lexer::lookahead() {
  if (token_.kind == token_kind::eof) return token_;
  const auto line = line_, line_start = line_start_, adjust = adjust_;
  token t;
  read_token(token_.end, t);
  line_ = line, line_start_ = line_start, adjust_ = adjust;  // stay at the end of the current token
  return t;
}

void lexer::skip_spaces(std::uint32_t& pos) const {
  // Indentation comes in runs of spaces: skip them eight at a time.
  if constexpr (std::endian::native == std::endian::little) {
    const auto size = static_cast<std::uint32_t>(src_.size());
    while (size - pos >= 8) {
      std::uint64_t word;
      std::memcpy(&word, src_.data() + pos, 8);
      const std::uint64_t other = word ^ 0x2020202020202020u;  // nonzero bytes: not a space
      if (other != 0) {
        pos += static_cast<std::uint32_t>(std::countr_zero(other)) / 8;
        return;
      }
      pos += 8;
    }
  }
}

void lexer::skip_ascii_comment_text(std::uint32_t& pos) const {
  // Eight bytes at a time while none ends the line or is outside ASCII (which the column count must see).
  if constexpr (std::endian::native == std::endian::little) {
    constexpr std::uint64_t ones = 0x0101010101010101u;
    constexpr std::uint64_t highs = 0x8080808080808080u;
    auto has_zero_byte = [](std::uint64_t v) { return ((v - ones) & ~v & highs) != 0; };
    const auto size = static_cast<std::uint32_t>(src_.size());
    while (size - pos >= 8) {
      std::uint64_t word;
      std::memcpy(&word, src_.data() + pos, 8);
      if ((word & highs) != 0 || has_zero_byte(word ^ (ones * '\n')) || has_zero_byte(word ^ (ones * '\r'))) return;
      pos += 8;
    }
  }
}

void lexer::read_token(std::uint32_t pos, token& t) {
  const auto size = static_cast<std::uint32_t>(src_.size());
  // Skip ignored tokens: BOM, whitespace, line terminators, commas and comments.
  while (pos < size) {
    char c = src_[pos];
    if (c == ' ') {
      ++pos;
      skip_spaces(pos);
    } else if (c == '\t' || c == ',') {
      ++pos;
    } else if (c == '\n') {
      new_line(++pos);
    } else if (c == '\r') {
      pos += (pos + 1 < size && src_[pos + 1] == '\n') ? 2 : 1;
      new_line(pos);
    } else if (c == '\xEF' && pos + 2 < size && src_[pos + 1] == '\xBB' && src_[pos + 2] == '\xBF') {
      adjust_ += 2;  // U+FEFF: three bytes, one unit
      pos += 3;
    } else if (c == '#') {
      skip_ascii_comment_text(pos);
      while (pos < size && src_[pos] != '\n' && src_[pos] != '\r') account_utf8(static_cast<unsigned char>(src_[pos++]));
    } else {
      break;
    }
  }
  t.start = pos;
  t.text = {};
  if (pos >= size) {
    t.kind = token_kind::eof;
    t.end = size;
    t.loc = locate(size);
    return;
  }
  t.loc = locate(pos);
  auto punct = [&](token_kind k, std::uint32_t len) {
    t.kind = k;
    t.end = pos + len;
  };
  char c = src_[pos];
  switch (c) {
    case '!': return punct(token_kind::bang, 1);
    case '$': return punct(token_kind::dollar, 1);
    case '&': return punct(token_kind::amp, 1);
    case '(': return punct(token_kind::paren_l, 1);
    case ')': return punct(token_kind::paren_r, 1);
    case '.':
      if (pos + 2 < size && src_[pos + 1] == '.' && src_[pos + 2] == '.') return punct(token_kind::spread, 3);
      break;
    case ':': return punct(token_kind::colon, 1);
    case '=': return punct(token_kind::equals, 1);
    case '@': return punct(token_kind::at, 1);
    case '[': return punct(token_kind::bracket_l, 1);
    case ']': return punct(token_kind::bracket_r, 1);
    case '{': return punct(token_kind::brace_l, 1);
    case '|': return punct(token_kind::pipe, 1);
    case '}': return punct(token_kind::brace_r, 1);
    case '"':
      if (pos + 2 < size && src_[pos + 1] == '"' && src_[pos + 2] == '"')
        read_block_string(t, pos);
      else
        read_string(t, pos);
      return;
    default: break;
  }
  if (is_digit(c) || c == '-') {
    read_number(t, pos);
    return;
  }
  if (is_name_start(c)) {
    std::uint32_t end = pos + 1;
    while (end < size && is_name_continue(src_[end])) ++end;
    t.kind = token_kind::name;
    t.end = end;
    t.text = src_.substr(pos, end - pos);
    return;
  }
  if (c == '\'')
    fail(pos, "Unexpected single quote character ('), did you mean to use a double quote (\")?");
  auto d = decode_utf8(src_, pos);
  if (d.cp == invalid_cp) fail(pos, "Invalid character: " + describe_char(pos) + ".");
  fail(pos, "Unexpected character: " + describe_char(pos) + ".");
}

// IntValue / FloatValue (spec 2.9.1, 2.9.2)
void lexer::read_number(token& t, std::uint32_t start) {
  const auto size = static_cast<std::uint32_t>(src_.size());
  std::uint32_t pos = start;
  bool is_float = false;
  auto at = [&](std::uint32_t p) -> char { return p < size ? src_[p] : '\0'; };
  auto read_digits = [&]() {
    if (!is_digit(at(pos))) fail(pos, "Invalid number, expected digit but got: " + describe_char(pos) + ".");
    while (is_digit(at(pos))) ++pos;
  };
  if (at(pos) == '-') ++pos;
  if (at(pos) == '0') {
    ++pos;
    if (is_digit(at(pos))) fail(pos, "Invalid number, unexpected digit after 0: " + describe_char(pos) + ".");
  } else {
    read_digits();
  }
  if (at(pos) == '.') {
    is_float = true;
    ++pos;
    read_digits();
  }
  if (at(pos) == 'e' || at(pos) == 'E') {
    is_float = true;
    ++pos;
    if (at(pos) == '+' || at(pos) == '-') ++pos;
    read_digits();
  }
  if (at(pos) == '.' || is_name_start(at(pos)))
    fail(pos, "Invalid number, expected digit but got: " + describe_char(pos) + ".");
  t.kind = is_float ? token_kind::float_ : token_kind::int_;
  t.end = pos;
  t.text = src_.substr(start, pos - start);
}

std::uint32_t lexer::read_escape(std::uint32_t pos, std::string* out) const {
  const auto size = static_cast<std::uint32_t>(src_.size());
  auto at = [&](std::uint32_t p) -> char { return p < size ? src_[p] : '\0'; };
  auto bad_escape = [&](std::uint32_t len) {
    std::string seq(src_.substr(pos, std::min(len, size - pos)));
    throw syntax_error{"Syntax Error: Invalid Unicode escape sequence: \"" + seq + "\".", {}};
  };
  char c = at(pos + 1);
  char simple = 0;
  switch (c) {
    case '"': simple = '"'; break;
    case '\\': simple = '\\'; break;
    case '/': simple = '/'; break;
    case 'b': simple = '\b'; break;
    case 'f': simple = '\f'; break;
    case 'n': simple = '\n'; break;
    case 'r': simple = '\r'; break;
    case 't': simple = '\t'; break;
    default: break;
  }
  if (simple) {
    if (out) out->push_back(simple);
    return 2;
  }
  if (c != 'u') {
    std::string seq(src_.substr(pos, pos + 1 < size ? 2 : 1));
    throw syntax_error{"Syntax Error: Invalid character escape sequence: \"" + seq + "\".", {}};
  }
  if (at(pos + 2) == '{') {
    // \u{X...}: variable width
    std::uint32_t p = pos + 3;
    std::uint32_t cp = 0;
    std::uint32_t digits = 0;
    while (p < size && hex_value(src_[p]) >= 0) {
      cp = (cp << 4) | static_cast<std::uint32_t>(hex_value(src_[p]));
      ++p;
      if (++digits > 8 || cp > 0x10FFFF) bad_escape(p - pos);
    }
    if (digits == 0 || at(p) != '}' || (cp >= 0xD800 && cp <= 0xDFFF)) bad_escape(p - pos + 1);
    if (out) append_utf8(*out, cp);
    return p + 1 - pos;
  }
  auto read4 = [&](std::uint32_t p) -> int {
    int v = 0;
    for (std::uint32_t i = 0; i < 4; ++i) {
      int h = hex_value(at(p + i));
      if (h < 0) return -1;
      v = (v << 4) | h;
    }
    return v;
  };
  int cp = read4(pos + 2);
  if (cp < 0) bad_escape(6);
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    // A leading surrogate must be followed by an escaped trailing one.
    if (at(pos + 6) == '\\' && at(pos + 7) == 'u') {
      int trail = read4(pos + 8);
      if (trail >= 0xDC00 && trail <= 0xDFFF) {
        if (out) append_utf8(*out, 0x10000 + ((static_cast<std::uint32_t>(cp) - 0xD800) << 10) +
                                       (static_cast<std::uint32_t>(trail) - 0xDC00));
        return 12;
      }
    }
    bad_escape(6);
  }
  if (cp >= 0xDC00 && cp <= 0xDFFF) bad_escape(6);
  if (out) append_utf8(*out, static_cast<std::uint32_t>(cp));
  return 6;
}

// StringValue (spec 2.9.4), single-quoted form
void lexer::read_string(token& t, std::uint32_t start) {
  const auto size = static_cast<std::uint32_t>(src_.size());
  std::uint32_t pos = start + 1;
  while (pos < size) {
    char c = src_[pos];
    if (c == '"') {
      t.kind = token_kind::string;
      t.end = pos + 1;
      t.text = src_.substr(start + 1, pos - start - 1);
      return;
    }
    if (c == '\\') {
      try {
        pos += read_escape(pos, nullptr);
      } catch (syntax_error& e) {
        e.loc = locate(pos);
        throw;
      }
      continue;
    }
    if (c == '\n' || c == '\r') break;
    if (static_cast<unsigned char>(c) < 0x80) {
      ++pos;
      continue;
    }
    auto d = decode_utf8(src_, pos);
    if (d.cp == invalid_cp) fail(pos, "Invalid character within String: " + describe_char(pos) + ".");
    for (std::uint32_t i = 0; i < d.len; ++i) account_utf8(static_cast<unsigned char>(src_[pos + i]));
    pos += d.len;
  }
  fail(pos, "Unterminated string.");
}

// StringValue (spec 2.9.4), block string form
void lexer::read_block_string(token& t, std::uint32_t start) {
  const auto size = static_cast<std::uint32_t>(src_.size());
  std::uint32_t pos = start + 3;
  while (pos < size) {
    char c = src_[pos];
    if (c == '"' && pos + 2 < size && src_[pos + 1] == '"' && src_[pos + 2] == '"') {
      t.kind = token_kind::block_string;
      t.end = pos + 3;
      t.text = src_.substr(start + 3, pos - start - 3);
      return;
    }
    if (c == '\\' && pos + 3 < size && src_[pos + 1] == '"' && src_[pos + 2] == '"' && src_[pos + 3] == '"') {
      pos += 4;
      continue;
    }
    if (c == '\n') {
      new_line(++pos);
      continue;
    }
    if (c == '\r') {
      pos += (pos + 1 < size && src_[pos + 1] == '\n') ? 2 : 1;
      new_line(pos);
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x80) {
      ++pos;
      continue;
    }
    auto d = decode_utf8(src_, pos);
    if (d.cp == invalid_cp) fail(pos, "Invalid character within String: " + describe_char(pos) + ".");
    for (std::uint32_t i = 0; i < d.len; ++i) account_utf8(static_cast<unsigned char>(src_[pos + i]));
    pos += d.len;
  }
  fail(pos, "Unterminated string.");
}

std::string lexer::string_value(const token& t) const {
  std::string out;
  string_value(t, out);
  return out;
}

void lexer::string_value(const token& t, std::string& out) const {
  out.clear();
  if (t.kind == token_kind::string) {
    out.reserve(t.text.size());
    const auto base = static_cast<std::uint32_t>(t.text.data() - src_.data());
    const auto end = base + static_cast<std::uint32_t>(t.text.size());
    std::uint32_t chunk = base;
    for (std::uint32_t pos = base; pos < end;) {
      if (src_[pos] == '\\') {
        out.append(src_.data() + chunk, pos - chunk);
        pos += read_escape(pos, &out);
        chunk = pos;
      } else {
        ++pos;
      }
    }
    out.append(src_.data() + chunk, end - chunk);
    return;
  }
  // Block string: unescape \""" then strip the common indentation (spec BlockStringValue()).
  std::string raw;
  raw.reserve(t.text.size());
  for (std::size_t i = 0; i < t.text.size(); ++i) {
    if (t.text.compare(i, 4, "\\\"\"\"") == 0) {
      raw += "\"\"\"";
      i += 3;
    } else {
      raw.push_back(t.text[i]);
    }
  }
  std::vector<std::string_view> lines;
  std::string_view rest = raw;
  for (;;) {
    auto nl = rest.find_first_of("\r\n");
    if (nl == std::string_view::npos) {
      lines.push_back(rest);
      break;
    }
    lines.push_back(rest.substr(0, nl));
    std::size_t skip = (rest[nl] == '\r' && nl + 1 < rest.size() && rest[nl + 1] == '\n') ? 2 : 1;
    rest.remove_prefix(nl + skip);
  }
  std::size_t common = std::string_view::npos;
  std::size_t first = std::string_view::npos, last = 0;
  bool any = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto indent = lines[i].find_first_not_of(" \t");
    if (indent == std::string_view::npos) continue;  // blank line
    if (!any) first = i;
    any = true;
    last = i;
    if (i != 0 && indent < common) common = indent;
  }
  if (!any) return;
  for (std::size_t i = first; i <= last; ++i) {
    if (i != first) out.push_back('\n');
    std::string_view line = lines[i];
    if (i != 0 && common != std::string_view::npos) line.remove_prefix(std::min(common, line.size()));
    out.append(line);
  }
}

}  // namespace sluice::language
