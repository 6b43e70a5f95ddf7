// Reading and checking client messages of both WebSocket subprotocols, and writing the server's messages.
#include "messages.hpp"

#include "sluice/core/json.hpp"

namespace sluice::transport::ws::detail {
namespace {

// Absent or null.
bool nullish(const sluice::value* v) { return v == nullptr || v->is_null(); }
// Absent, null or an object.
bool optional_object(const sluice::value* v) { return nullish(v) || v->is_object(); }
// Absent, null or a string.
bool optional_string(const sluice::value* v) { return nullish(v) || v->is_string(); }

sluice::value payload_or_null(const sluice::value* v) { return v ? *v : sluice::value(); }

// The operation request in a subscribe (or start) payload: {query: string, operationName?: string|null,
// variables?: object|null, extensions?: object|null}; nullopt when a field has the wrong type.
std::optional<execution::request> read_request(const sluice::value* payload) {
  if (payload == nullptr || !payload->is_object()) return std::nullopt;
  const sluice::value* query = payload->find("query");
  const sluice::value* operation_name = payload->find("operationName");
  const sluice::value* variables = payload->find("variables");
  const sluice::value* extensions = payload->find("extensions");
  if (query == nullptr || !query->is_string() || !optional_string(operation_name) || !optional_object(variables) ||
      !optional_object(extensions))
    return std::nullopt;
  execution::request r;
  r.query = query->as_string();
  if (!nullish(operation_name)) r.operation_name = operation_name->as_string();
  r.variables = payload_or_null(variables);
  r.extensions = payload_or_null(extensions);
  return r;
}

// The message's `id` when it is a non-empty string.
const std::string* non_empty_id(const sluice::value& m) {
  const sluice::value* id = m.find("id");
  return (id && id->is_string() && !id->as_string().empty()) ? &id->as_string() : nullptr;
}

}  // namespace

std::optional<client_message> read_transport_ws_message(std::string_view frame) {
  auto parsed = json::parse(frame);
  if (!parsed || !parsed->is_object()) return std::nullopt;
  const sluice::value* type = parsed->find("type");
  if (type == nullptr || !type->is_string()) return std::nullopt;
  const std::string& t = type->as_string();
  client_message m;
  if (t == "connection_init" || t == "ping" || t == "pong") {
    const sluice::value* payload = parsed->find("payload");
    if (!optional_object(payload)) return std::nullopt;
    m.type = t == "connection_init" ? client_type::connection_init
             : t == "ping"          ? client_type::ping
                                    : client_type::pong;
    m.payload = payload_or_null(payload);
    return m;
  }
  if (t == "subscribe" || t == "complete") {
    const std::string* id = non_empty_id(*parsed);
    if (id == nullptr) return std::nullopt;
    m.id = *id;
    if (t == "complete") {
      m.type = client_type::complete;
      return m;
    }
    auto request = read_request(parsed->find("payload"));
    if (!request) return std::nullopt;
    m.type = client_type::subscribe;
    m.request = std::move(*request);
    return m;
  }
  // next, error and connection_ack are the server's to send; any other type is unknown.
  return std::nullopt;
}

graphql_ws_read read_graphql_ws_message(std::string_view frame) {
  std::string error;
  auto parsed = json::parse(frame, &error);
  if (!parsed) return not_json{"Message is not valid JSON: " + error};
  if (!parsed->is_object()) return invalid_message{};
  invalid_message invalid;
  if (const sluice::value* id = parsed->find("id"); id && id->is_string()) invalid.id = id->as_string();
  const sluice::value* type = parsed->find("type");
  if (type == nullptr || !type->is_string()) return invalid;
  const std::string& t = type->as_string();
  client_message m;
  if (t == "connection_init") {
    m.type = client_type::connection_init;
    m.payload = payload_or_null(parsed->find("payload"));
    return m;
  }
  if (t == "connection_terminate") {
    m.type = client_type::connection_terminate;
    return m;
  }
  if (t == "start") {
    const std::string* id = non_empty_id(*parsed);
    auto request = read_request(parsed->find("payload"));
    if (id == nullptr || !request) return invalid;
    m.type = client_type::start;
    m.id = *id;
    m.request = std::move(*request);
    return m;
  }
  if (t == "stop") {
    if (!invalid.id) return invalid;
    m.type = client_type::stop;
    m.id = std::move(*invalid.id);
    return m;
  }
  // connection_ack, connection_error, ka, data, error and complete are the server's; the rest are unknown.
  return invalid;
}

std::string message(std::string_view type) {
  std::string out = "{\"type\":";
  json::write_string(out, type);
  out.push_back('}');
  return out;
}

std::string message(std::string_view type, const sluice::value& payload) {
  std::string out = "{\"type\":";
  json::write_string(out, type);
  out += ",\"payload\":";
  json::write(out, payload);
  out.push_back('}');
  return out;
}

std::string message_json(std::string_view type, std::string_view payload) {
  std::string out = "{\"type\":";
  json::write_string(out, type);
  out += ",\"payload\":";
  out += payload;
  out.push_back('}');
  return out;
}

std::string operation_message(std::string_view id, std::string_view type) {
  std::string out = "{\"id\":";
  json::write_string(out, id);
  out += ",\"type\":";
  json::write_string(out, type);
  out.push_back('}');
  return out;
}

std::string operation_message(std::string_view id, std::string_view type, std::string_view payload) {
  std::string out = operation_head(id, type);
  out += payload;
  out.push_back('}');
  return out;
}

std::string operation_head(std::string_view id, std::string_view type) {
  std::string out;
  out.reserve(json::measure_string(id) + type.size() + 32);
  out += "{\"id\":";
  json::write_string(out, id);
  out += ",\"type\":";
  json::write_string(out, type);
  out += ",\"payload\":";
  return out;
}

std::string message_object(std::string_view message) {
  std::string out = "{\"message\":";
  json::write_string(out, message);
  out.push_back('}');
  return out;
}

std::optional<sluice::value> errors_of(std::string_view result_json) {
  // The engine's results nest as deep as the query does; give the parser room (only `errors` is kept).
  auto parsed = json::parse(result_json, nullptr, json::parse_options{.max_depth = 1024});
  if (!parsed) return std::nullopt;
  sluice::value* errors = parsed->find("errors");
  if (errors == nullptr || !errors->is_list() || errors->as_list().empty()) return std::nullopt;
  return std::move(*errors);
}

std::string_view fit(std::string_view text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t n = max;
  // Back up over continuation bytes (10xxxxxx) to the start of the character that does not fit.
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return text.substr(0, n);
}

}  // namespace sluice::transport::ws::detail
