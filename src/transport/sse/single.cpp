// Single-connection SSE: which step a request is, its refusals, and the events with operation ids.
#include "sluice/transport/sse/single.hpp"

#include "../http/graphql_request.hpp"
#include "../http/media_range.hpp"
#include "../http/params.hpp"
#include "../http/replies.hpp"
#include "sluice/core/json.hpp"

namespace sluice::transport::sse {

std::string token_of(std::string_view header_value, std::string_view target) {
  if (!header_value.empty()) return std::string(header_value);
  if (target.find('?') == std::string_view::npos) return {};
  return http::detail::query_param(target, "token").value_or(std::string());
}

single_step classify(std::string_view method, bool has_token, bool wants_event_stream) {
  if (method == "PUT") return single_step::reserve;
  if (method == "DELETE") return single_step::stop;
  if (method == "GET" || method == "POST") {
    if (!has_token) return single_step::none;
    return wants_event_stream ? single_step::open : single_step::run;
  }
  if (method == "OPTIONS") return single_step::none;
  return single_step::refuse;
}

std::optional<http::http_response> reserve_refusal(std::string_view accept) {
  if (accept.empty()) return std::nullopt;
  for (std::string_view entry : http::detail::split_list(accept)) {
    const auto range = http::detail::parse_media_range(entry);
    if (!range) continue;
    const std::string* q = range->param("q");
    if (q != nullptr && q->find_first_not_of("0.") == std::string::npos) continue;  // q=0: refused
    if (range->is("*", "*") || range->is("text", "*") || range->is("text", "plain")) return std::nullopt;
  }
  return refusal(406, "Reserving a stream answers its token as text/plain: Accept must allow it");
}

http::http_response reserved(std::string_view token) {
  http::http_response res;
  res.status = 201;
  res.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  res.body = std::string(token);
  return res;
}

std::variant<operation, http::http_response> read_operation(const http::http_request& req,
                                                            const execution::executor& ex) {
  if (!http::negotiate(req.accept))
    return refusal(406, "An operation on a stream answers application/json: Accept must allow it");
  auto read = http::detail::read_graphql_request(req, ex);
  if (auto* refused = std::get_if<http::http_response>(&read)) return std::move(*refused);
  operation op{std::move(std::get<http::detail::graphql_request>(read).request), {}};
  const sluice::value* id = op.request.extensions.is_object() ? op.request.extensions.find("operationId") : nullptr;
  if (id == nullptr || !id->is_string() || id->as_string().empty())
    return refusal(400, "Operation ID is missing: extensions.operationId must be a non-empty string");
  op.id = id->as_string();
  return op;
}

std::string operation_id_param(std::string_view target) {
  return http::detail::query_param(target, "operationId").value_or(std::string());
}

http::http_response refusal(int status, std::string_view message) {
  return http::error_response(status, message);
}

http::http_response method_refusal() {
  http::http_response res = refusal(405, "Method not allowed: use GET, POST, PUT or DELETE");
  res.headers.emplace_back("Allow", "GET, POST, PUT, DELETE");
  return res;
}

std::string next_event(std::string_view operation_id, std::string_view result_json) {
  std::string out;
  out.reserve(result_json.size() + operation_id.size() + 40);
  out += "event: next\ndata: {\"id\":";
  json::write_string(out, operation_id);
  out += ",\"payload\":";
  out += result_json;
  out += "}\n\n";
  return out;
}

std::string complete_event(std::string_view operation_id) {
  std::string out = "event: complete\ndata: {\"id\":";
  json::write_string(out, operation_id);
  out += "}\n\n";
  return out;
}

}  // namespace sluice::transport::sse
