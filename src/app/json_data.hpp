// Reading the files of `sluice exec` and `sluice serve` (SDL, JSON), and resolving fields from JSON data.
#pragma once

#include <string>

#include "sluice/core/value.hpp"
#include "sluice/execution/resolver.hpp"

namespace sluice::app {

// Reads a whole file; on failure prints "<command>: cannot read <path>" on stderr and returns false.
bool read_file(const char* command, const std::string& path, std::string& out);
// Reads a JSON file; on failure prints why on stderr and returns false.
bool read_json(const char* command, const std::string& path, sluice::value& out);

// A default resolver for JSON data: the parent's property named like the field; a property whose value is
// {"$error": "message"} raises a field error with that message.
sluice::value resolve_from_json(const execution::resolver_params& p);

}  // namespace sluice::app
