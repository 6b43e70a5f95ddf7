// The `sluice` command line program: `sluice exec` and `sluice serve`.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Sluice: a GraphQL server for real-time APIs"};
  app.require_subcommand(1);
  // A TOML or INI file of options: a section per command, keys named like the flags ([serve] port = 4000).
  // Flags and SLUICE_* variables take precedence over it.
  app.set_config("--config", "", "a TOML or INI file of options ([serve] port = 4000, ...); also SLUICE_CONFIG");
  sluice::app::exec_options exec;
  sluice::app::add_exec_command(app, exec);
  sluice::app::serve_options serve;
  sluice::app::add_serve_command(app, serve);

  // CLI11 reads no environment variable for the config file itself: SLUICE_CONFIG becomes --config. And it lets
  // the config file win over SLUICE_* variables: they become flags here (unless the same flag is given), so that
  // flags win over variables and variables over the file.
  std::vector<std::string> args(argv + 1, argv + argc);
  sluice::app::environment_to_flags(*app.get_subcommand("serve"), "serve", args);
  bool has_config = false;
  for (const auto& a : args) has_config = has_config || a == "--config" || a.rfind("--config=", 0) == 0;
  if (const char* file = std::getenv("SLUICE_CONFIG"); file != nullptr && *file != '\0' && !has_config) {
    args.push_back("--config");
    args.push_back(file);
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes a vector in reverse order
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (app.got_subcommand("exec")) return sluice::app::run_exec(exec);
  if (app.got_subcommand("serve")) return sluice::app::run_serve(serve);
  return 2;
}
