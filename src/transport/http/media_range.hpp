// Media types and media ranges as header values write them (RFC 9110 8.3.1, 5.6, 12.5.1): parsing, lists, case.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::transport::http::detail {

// `type/subtype *( OWS ";" OWS [ name=value ] )`, with the type, subtype and parameter names lower-cased (they are
// case-insensitive) and quoted parameter values unquoted. Either part may be "*" (a range, in Accept).
struct media_range {
  std::string type;
  std::string subtype;
  std::vector<std::pair<std::string, std::string>> params;

  // A parameter's value by lower-case name (the first if repeated), or nullptr.
  [[nodiscard]] const std::string* param(std::string_view name) const;
  [[nodiscard]] bool is(std::string_view t, std::string_view s) const { return type == t && subtype == s; }
};

// Parses one media type or media range; nullopt when it is malformed. Whitespace around it is ignored, and so is
// whitespace around a parameter's "=" (which RFC 9110 forbids but clients send).
[[nodiscard]] std::optional<media_range> parse_media_range(std::string_view text);

// The elements of a comma-separated header list (RFC 9110 5.6.1), trimmed, empty ones dropped. A comma inside a
// quoted string does not separate elements.
[[nodiscard]] std::vector<std::string_view> split_list(std::string_view header);

// ASCII case-insensitive equality.
[[nodiscard]] bool iequals(std::string_view a, std::string_view b);

// `s` without leading and trailing spaces and tabs.
[[nodiscard]] std::string_view trim(std::string_view s);

}  // namespace sluice::transport::http::detail
