// The hooks' view of a WebSocket connection or an HTTP request: header and cookie lookups, reading the Cookie
// header, the Origin rule for cookies.
#include <boost/beast/core/string.hpp>

#include "server_impl.hpp"

namespace sluice::server {

namespace {

using fields = std::vector<std::pair<std::string, std::string>>;

std::string_view header_in(const fields& headers, std::string_view name) {
  for (const auto& [n, v] : headers)
    if (boost::beast::iequals(n, name)) return v;
  return {};
}

std::string_view cookie_in(const fields& cookies, std::string_view name) {
  for (const auto& [n, v] : cookies)
    if (n == name) return v;
  return {};
}

}  // namespace

std::string_view connect_request::header(std::string_view name) const { return header_in(headers, name); }
std::string_view connect_request::cookie(std::string_view name) const { return cookie_in(cookies, name); }
std::string_view http_request_info::header(std::string_view name) const { return header_in(headers, name); }
std::string_view http_request_info::cookie(std::string_view name) const { return cookie_in(cookies, name); }

namespace detail {

std::vector<std::pair<std::string, std::string>> parse_cookies(std::string_view header) {
  std::vector<std::pair<std::string, std::string>> out;
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  while (!header.empty()) {
    const auto end = header.find(';');
    const std::string_view pair = trim(header.substr(0, end));
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;  // not name=value: ignored
    std::string_view value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    out.emplace_back(std::string(trim(pair.substr(0, eq))), std::string(value));
  }
  return out;
}

bool may_read_cookies(const cors_options& cors, const cookie_options& cookies, std::string_view origin) {
  if (cors.origins.empty()) return cookies.read_without_cors;
  for (const auto& o : cors.origins)
    if (o == "*" || (!origin.empty() && o == origin)) return true;
  return false;
}

}  // namespace detail
}  // namespace sluice::server
