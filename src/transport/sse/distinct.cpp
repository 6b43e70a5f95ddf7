// Distinct-connections SSE: reading the request (as GraphQL over HTTP does), and writing the events.
#include "sluice/transport/sse/distinct.hpp"

#include "../http/graphql_request.hpp"
#include "../http/media_range.hpp"

namespace sluice::transport::sse {

bool wants_event_stream(std::string_view accept) {
  for (std::string_view entry : http::detail::split_list(accept)) {
    const auto range = http::detail::parse_media_range(entry);
    if (!range || !range->is("text", "event-stream")) continue;
    const std::string* q = range->param("q");
    if (q == nullptr) return true;
    // q=0 (or 0.0, 0.00, ...) refuses it; anything else accepts it.
    if (q->find_first_not_of("0.") != std::string::npos) return true;
  }
  return false;
}

stream_start read_request(const http::http_request& req, const execution::executor& ex) {
  stream_start start;
  if (req.method != "GET" && req.method != "POST") {
    start.refusal = http::detail::method_not_allowed(req.method);
    return start;
  }
  auto read = http::detail::read_graphql_request(req, ex);
  if (auto* refusal = std::get_if<http::http_response>(&read))
    start.refusal = std::move(*refusal);
  else
    start.request = std::move(std::get<http::detail::graphql_request>(read).request);
  return start;
}

const std::vector<std::pair<std::string, std::string>>& stream_headers() {
  static const std::vector<std::pair<std::string, std::string>> headers{
      {"Content-Type", "text/event-stream; charset=utf-8"},
      {"Cache-Control", "no-cache"},
      {"X-Accel-Buffering", "no"},  // proxies such as nginx: do not hold the events back
  };
  return headers;
}

std::string next_event(std::string_view result_json) {
  // The JSON writer never writes a raw line break, so the result fits on one data line.
  std::string out;
  out.reserve(result_json.size() + 20);
  out += "event: next\ndata: ";
  out += result_json;
  out += "\n\n";
  return out;
}

std::string_view complete_event() { return "event: complete\ndata:\n\n"; }

std::string_view keep_alive_comment() { return ":\n\n"; }

}  // namespace sluice::transport::sse
