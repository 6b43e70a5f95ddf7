// The subcommands of the `sluice` program.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace sluice::app {

struct exec_options {
  std::string schema_file;
  std::string root_file;
  std::string variables_file;
  std::string operation;
  std::string query_file;
};

void add_exec_command(CLI::App& app, exec_options& options);
// Prints one JSON response; returns 0, or 2 for unusable input (missing file, bad JSON, invalid SDL).
int run_exec(const exec_options& options);

}  // namespace sluice::app
