// graphql_error serialisation, in the field order of the GraphQL spec (message, locations, path, extensions).
#include "sluice/core/error.hpp"

#include "sluice/core/json.hpp"

namespace sluice {

void graphql_error::write_json(std::string& out) const {
  out += "{\"message\":";
  json::write_string(out, message);
  if (!locations.empty()) {
    out += ",\"locations\":[";
    for (std::size_t i = 0; i < locations.size(); ++i) {
      if (i) out.push_back(',');
      out += "{\"line\":";
      json::write_int(out, locations[i].line);
      out += ",\"column\":";
      json::write_int(out, locations[i].column);
      out.push_back('}');
    }
    out.push_back(']');
  }
  if (!path.empty()) {
    out += ",\"path\":[";
    for (std::size_t i = 0; i < path.size(); ++i) {
      if (i) out.push_back(',');
      if (const auto* key = std::get_if<std::string>(&path[i]))
        json::write_string(out, *key);
      else
        json::write_int(out, static_cast<std::int64_t>(std::get<std::size_t>(path[i])));
    }
    out.push_back(']');
  }
  if (extensions.is_object() && !extensions.as_object().empty()) {
    out += ",\"extensions\":";
    json::write(out, extensions);
  }
  out.push_back('}');
}

void write_errors_json(std::string& out, const std::vector<graphql_error>& errors) {
  out.push_back('[');
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (i) out.push_back(',');
    errors[i].write_json(out);
  }
  out.push_back(']');
}

}  // namespace sluice
