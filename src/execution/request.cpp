// Response serialisation.
#include "sluice/execution/request.hpp"

namespace sluice::execution {

void response::write_json(std::string& out) const {
  out.push_back('{');
  if (!errors.empty()) {
    out += "\"errors\":";
    write_errors_json(out, errors);
    if (has_data()) out.push_back(',');
  }
  if (has_data()) {
    out += "\"data\":";
    out += data;
  }
  out.push_back('}');
}

std::string response::to_json() const {
  std::string out;
  out.reserve(data.size() + 64);
  write_json(out);
  return out;
}

}  // namespace sluice::execution
