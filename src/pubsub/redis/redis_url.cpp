// redis_url: parsing and checking a redis:// URL with Boost.URL.
#include "redis_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>
#include <stdexcept>
#include <string>

namespace sluice::pubsub::detail {
namespace {

constexpr std::string_view expected = "expected redis://[:password@]host[:port][/db]";

// The URL with any user information replaced, fit for an error message.
std::string redacted(std::string_view url) {
  const auto scheme_end = url.find("://");
  const auto start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const auto at = url.find('@', start);
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, start)) + "***" + std::string(url.substr(at));
}

[[noreturn]] void reject(std::string_view url, std::string_view why) {
  throw std::invalid_argument("redis_broker: invalid Redis URL '" + redacted(url) + "': " + std::string(why) +
                              " (" + std::string(expected) + ")");
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// A decimal number in [min, max], or nothing.
bool parse_number(std::string_view text, long min, long max, long& out) {
  if (text.empty()) return false;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && out >= min && out <= max;
}

}  // namespace

std::string redis_endpoint::address() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

redis_endpoint parse_redis_url(std::string_view url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) reject(url, "not a URL");
  const boost::urls::url_view& u = *parsed;

  if (iequals(u.scheme(), "rediss")) reject(url, "TLS (rediss://) is not supported");
  if (!iequals(u.scheme(), "redis"))
    reject(url, "the scheme must be redis, not '" + std::string(u.scheme()) + "'");

  redis_endpoint ep;
  ep.host = u.host_address();
  if (!u.has_authority() || ep.host.empty()) reject(url, "no host");
  if (u.has_port()) {
    long port = 0;
    if (!parse_number(u.port(), 1, 65535, port)) reject(url, "the port must be a number from 1 to 65535");
    ep.port = static_cast<std::uint16_t>(port);
  }
  if (u.has_userinfo()) {
    ep.user = u.user();
    ep.has_password = u.has_password();
    if (ep.has_password) ep.password = u.password();
    if (!ep.has_password && !ep.user.empty()) reject(url, "a user without a password");
  }
  const std::string_view path = u.encoded_path();
  if (!path.empty() && path != "/") {
    long db = 0;
    if (path.front() != '/' || !parse_number(path.substr(1), 0, 1'000'000, db)) {
      reject(url, "the path must be a database number (/0, /1, ...)");
    }
    ep.db = static_cast<int>(db);
  }
  if (u.has_query() || u.has_fragment()) reject(url, "query parameters and fragments are not supported");
  return ep;
}

}  // namespace sluice::pubsub::detail
