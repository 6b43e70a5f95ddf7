// Reading GraphQL-over-HTTP request parameters from GET query strings (Boost.URL) and POST JSON bodies.
#include "params.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/pchars.hpp>
#include <optional>

#include "media_range.hpp"
#include "sluice/core/json.hpp"

namespace sluice::transport::http::detail {
namespace {

namespace urls = boost::urls;

param_error bad_request(std::string message) { return param_error{400, std::move(message)}; }

// Whether `s` is well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF).
bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (s.size() - i <= n) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return false;
    }
    i += n + 1;
  }
  return true;
}

// A JSON member that must be an object (variables, extensions): null counts as absent.
std::optional<param_error> read_object_member(sluice::value& body, std::string_view name, sluice::value& out) {
  sluice::value* v = body.find(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_object()) return bad_request("\"" + std::string(name) + "\" must be an object");
  out = std::move(*v);
  return std::nullopt;
}

// A GET parameter holding JSON text that must be an object; an empty text counts as absent.
std::optional<param_error> read_json_param(const std::string& text, std::string_view name, sluice::value& out) {
  if (text.empty()) return std::nullopt;
  std::string error;
  auto parsed = json::parse(text, &error);
  if (!parsed) return bad_request("\"" + std::string(name) + "\" is not valid JSON: " + error);
  if (parsed->is_null()) return std::nullopt;
  if (!parsed->is_object()) return bad_request("\"" + std::string(name) + "\" must be a JSON object");
  out = std::move(*parsed);
  return std::nullopt;
}

// The request target as a URL. Clients such as curl send characters that RFC 3986 does not allow in a query ('{',
// '}', '"', spaces, raw UTF-8); Node's URL parser, and so the reference servers, take them as they are. So when
// the strict parse fails, the characters outside the query's set are percent-encoded (by Boost.URL) and the
// target parsed again; '%', '+', '&' and '=' keep their meaning. `storage` holds that re-encoded text.
urls::result<urls::url_view> parse_target(std::string_view target, std::string& storage) {
  auto strict = urls::parse_origin_form(target);
  if (strict) return strict;
  // Boost.URL's encoder never leaves '%' alone, so the text between '%'s is encoded piece by piece.
  constexpr auto allowed = urls::pchars + '/' + '?';
  storage.clear();
  std::size_t start = 0;
  while (true) {
    auto percent = target.find('%', start);
    storage += urls::encode(target.substr(start, percent == std::string_view::npos ? percent : percent - start),
                            allowed);
    if (percent == std::string_view::npos) break;
    storage.push_back('%');
    start = percent + 1;
  }
  return urls::parse_origin_form(storage);
}

}  // namespace

std::optional<std::string> query_param(std::string_view target, std::string_view key) {
  std::string storage;
  auto url = parse_target(target, storage);
  if (!url) return std::nullopt;
  urls::encoding_opts form;
  form.space_as_plus = true;
  auto params = url->params(form);
  auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  return (*it).value;
}

params_result read_get_params(std::string_view target) {
  std::string storage;
  auto url = parse_target(target, storage);
  if (!url) return bad_request("The request target is not a valid URL: " + url.error().message());
  // application/x-www-form-urlencoded: percent-escapes decoded and '+' read as a space (URLSearchParams writes
  // spaces as '+').
  urls::encoding_opts form;
  form.space_as_plus = true;
  auto params = url->params(form);

  auto get = [&](std::string_view key) -> std::optional<std::string> {
    auto it = params.find(key);
    if (it == params.end()) return std::nullopt;
    return (*it).value;
  };

  execution::request req;
  auto query = get("query");
  if (!query) return bad_request("\"query\" is required: pass the GraphQL document in the query parameter");
  if (!is_valid_utf8(*query)) return bad_request("\"query\" is not valid UTF-8");
  req.query = std::move(*query);
  if (auto name = get("operationName")) {
    if (!is_valid_utf8(*name)) return bad_request("\"operationName\" is not valid UTF-8");
    req.operation_name = std::move(*name);
  }
  if (auto variables = get("variables"))
    if (auto e = read_json_param(*variables, "variables", req.variables)) return *e;
  if (auto extensions = get("extensions"))
    if (auto e = read_json_param(*extensions, "extensions", req.extensions)) return *e;
  return req;
}

std::string check_content_type(std::string_view content_type) {
  if (trim(content_type).empty()) return "Missing Content-Type: send the request as application/json";
  auto type = parse_media_range(content_type);
  if (!type || !type->is("application", "json"))
    return "Unsupported Content-Type \"" + std::string(trim(content_type)) +
           "\": send the request as application/json";
  if (const auto* charset = type->param("charset"); charset && !iequals(*charset, "utf-8"))
    return "Unsupported charset \"" + *charset + "\": send the request in utf-8";
  return {};
}

params_result read_post_params(std::string_view content_type, std::string_view body) {
  if (auto message = check_content_type(content_type); !message.empty()) return param_error{415, message};
  if (trim(body).empty())
    return bad_request("The request body is empty: send a JSON object with a \"query\" member");
  std::string error;
  auto parsed = json::parse(body, &error);
  if (!parsed) return bad_request("The request body is not valid JSON: " + error);
  if (!parsed->is_object()) return bad_request("The request body must be a JSON object");

  execution::request req;
  sluice::value* query = parsed->find("query");
  if (query == nullptr || query->is_null()) return bad_request("\"query\" is required");
  if (!query->is_string()) return bad_request("\"query\" must be a string");
  req.query = std::move(query->as_string());
  if (auto* name = parsed->find("operationName"); name && !name->is_null()) {
    if (!name->is_string()) return bad_request("\"operationName\" must be a string");
    req.operation_name = std::move(name->as_string());
  }
  if (auto e = read_object_member(*parsed, "variables", req.variables)) return *e;
  if (auto e = read_object_member(*parsed, "extensions", req.extensions)) return *e;
  return req;
}

}  // namespace sluice::transport::http::detail
