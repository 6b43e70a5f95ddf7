// Parsing media types and header lists (RFC 9110 8.3.1 media-type, 5.6.2 token, 5.6.4 quoted-string, 5.6.1 lists).
#include "media_range.hpp"

namespace sluice::transport::http::detail {
namespace {

// tchar (RFC 9110 5.6.2)
bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-': case '.':
    case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool is_ows(char c) { return c == ' ' || c == '\t'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower(c);
  return out;
}

// A cursor over a header value.
class reader {
 public:
  explicit reader(std::string_view s) : s_(s) {}

  [[nodiscard]] bool done() const { return pos_ >= s_.size(); }
  [[nodiscard]] char peek() const { return s_[pos_]; }
  void skip_ows() {
    while (!done() && is_ows(peek())) ++pos_;
  }
  bool eat(char c) {
    if (done() || peek() != c) return false;
    ++pos_;
    return true;
  }

  // token = 1*tchar; empty when there is none.
  std::string_view token() {
    std::size_t start = pos_;
    while (!done() && is_tchar(peek())) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE, unescaped; nullopt when unterminated.
  std::optional<std::string> quoted_string() {
    if (!eat('"')) return std::nullopt;
    std::string out;
    while (!done()) {
      char c = s_[pos_++];
      if (c == '"') return out;
      if (c == '\\') {
        if (done()) return std::nullopt;
        c = s_[pos_++];
      }
      out.push_back(c);
    }
    return std::nullopt;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

const std::string* media_range::param(std::string_view name) const {
  for (const auto& [n, v] : params)
    if (n == name) return &v;
  return nullptr;
}

// media-type = type "/" subtype parameters
// parameters = *( OWS ";" OWS [ parameter ] )
// parameter  = parameter-name "=" parameter-value
std::optional<media_range> parse_media_range(std::string_view text) {
  reader r(trim(text));
  media_range out;
  std::string_view type = r.token();
  if (type.empty() || !r.eat('/')) return std::nullopt;
  std::string_view subtype = r.token();
  if (subtype.empty()) return std::nullopt;
  out.type = lowered(type);
  out.subtype = lowered(subtype);
  while (true) {
    r.skip_ows();
    if (r.done()) return out;
    if (!r.eat(';')) return std::nullopt;
    r.skip_ows();
    if (r.done() || r.peek() == ';') continue;  // an empty parameter
    std::string_view name = r.token();
    if (name.empty()) return std::nullopt;
    r.skip_ows();
    if (!r.eat('=')) return std::nullopt;
    r.skip_ows();
    std::string value;
    if (!r.done() && r.peek() == '"') {
      auto quoted = r.quoted_string();
      if (!quoted) return std::nullopt;
      value = std::move(*quoted);
    } else {
      value = std::string(r.token());
      if (value.empty()) return std::nullopt;
    }
    out.params.emplace_back(lowered(name), std::move(value));
  }
}

std::vector<std::string_view> split_list(std::string_view header) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  bool quoted = false;
  for (std::size_t i = 0; i <= header.size(); ++i) {
    if (i < header.size()) {
      char c = header[i];
      if (quoted) {
        if (c == '\\' && i + 1 < header.size()) ++i;  // a quoted-pair: the next character is literal
        else if (c == '"') quoted = false;
        continue;
      }
      if (c == '"') {
        quoted = true;
        continue;
      }
      if (c != ',') continue;
    }
    auto element = trim(header.substr(start, i - start));
    if (!element.empty()) out.push_back(element);
    start = i + 1;
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace sluice::transport::http::detail
