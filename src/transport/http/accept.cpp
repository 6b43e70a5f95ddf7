// Content negotiation for GraphQL responses: which media type an Accept header asks for (RFC 9110 12.5.1).
#include <optional>

#include "media_range.hpp"
#include "sluice/transport/http/graphql_over_http.hpp"

namespace sluice::transport::http {
namespace {

// A qvalue (RFC 9110 12.4.2) in thousandths: "0", "0.5", "1.000". Digits past the third decimal are ignored (a
// lenient reading of clients that write more); anything else, or more than 1, is malformed.
std::optional<int> parse_qvalue(std::string_view s) {
  if (s.empty() || (s[0] != '0' && s[0] != '1')) return std::nullopt;
  int whole = s[0] - '0';
  int thousandths = 0;
  if (s.size() > 1) {
    if (s[1] != '.') return std::nullopt;
    int scale = 100;
    for (std::size_t i = 2; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      thousandths += (s[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (whole == 1 && thousandths != 0) return std::nullopt;
  return whole * 1000 + thousandths;
}

// How closely an Accept element matches one of our media types: the more specific range decides (RFC 9110 12.5.1).
// The wildcards mean application/json, as in graphql-http's reference handler: graphql-response+json is only
// chosen by name.
struct match {
  int specificity = -1;  // -1: no element matched
  int q = 0;             // in thousandths
  std::size_t position = 0;
};

void consider(match& m, int specificity, int q, std::size_t position) {
  // Between ranges equally specific, the first one listed counts.
  if (specificity > m.specificity) m = match{specificity, q, position};
}

}  // namespace

std::optional<media_type> negotiate(std::string_view accept) {
  if (detail::trim(accept).empty()) return media_type::json;
  match graphql_response;
  match json;
  auto elements = detail::split_list(accept);
  for (std::size_t i = 0; i < elements.size(); ++i) {
    auto range = detail::parse_media_range(elements[i]);
    if (!range) continue;  // a malformed element accepts nothing
    int q = 1000;
    if (const auto* qvalue = range->param("q")) {
      auto parsed = parse_qvalue(*qvalue);
      if (!parsed) continue;
      q = *parsed;
    }
    if (range->is("application", "graphql-response+json")) consider(graphql_response, 2, q, i);
    else if (range->is("application", "json")) consider(json, 2, q, i);
    else if (range->is("application", "*")) consider(json, 1, q, i);
    else if (range->is("*", "*")) consider(json, 0, q, i);
  }
  const bool gr_ok = graphql_response.specificity >= 0 && graphql_response.q > 0;
  const bool json_ok = json.specificity >= 0 && json.q > 0;
  if (gr_ok && json_ok) {
    if (graphql_response.q != json.q)
      return graphql_response.q > json.q ? media_type::graphql_response_json : media_type::json;
    return graphql_response.position < json.position ? media_type::graphql_response_json : media_type::json;
  }
  if (gr_ok) return media_type::graphql_response_json;
  if (json_ok) return media_type::json;
  return std::nullopt;
}

std::string_view content_type_of(media_type type) {
  switch (type) {
    case media_type::graphql_response_json: return "application/graphql-response+json; charset=utf-8";
    case media_type::json: return "application/json; charset=utf-8";
  }
  return "application/json; charset=utf-8";
}

}  // namespace sluice::transport::http
