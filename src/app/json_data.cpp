// Reading SDL and JSON files for the commands, and the JSON-data default resolver.
#include "json_data.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "sluice/core/json.hpp"

namespace sluice::app {

bool read_file(const char* command, const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot read %s\n", command, path.c_str());
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  out = std::move(ss).str();
  return true;
}

bool read_json(const char* command, const std::string& path, sluice::value& out) {
  std::string text, error;
  if (!read_file(command, path, text)) return false;
  auto parsed = json::parse(text, &error, json::parse_options{.max_depth = 1024});
  if (!parsed) {
    std::fprintf(stderr, "%s: %s is not valid JSON: %s\n", command, path.c_str(), error.c_str());
    return false;
  }
  out = std::move(*parsed);
  return true;
}

// The default resolver of `sluice exec`: the parent's property named like the field; a property whose value is
// {"$error": "message"} raises a field error with that message.
sluice::value resolve_from_json(const execution::resolver_params& p) {
  const sluice::value* v = p.parent.find(p.info.field.name);
  if (v == nullptr) return {};
  if (const sluice::value* message = v->find("$error")) {
    throw execution::field_error(message->is_string() ? message->as_string() : json::to_string(*message));
  }
  return *v;
}


}  // namespace sluice::app
