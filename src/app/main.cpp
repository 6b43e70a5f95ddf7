// The `sluice` command line program: `sluice exec` (and, as the server lands, `sluice serve`).
#include <CLI/CLI.hpp>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Sluice: a GraphQL server for real-time APIs"};
  app.require_subcommand(1);
  sluice::app::exec_options exec;
  sluice::app::add_exec_command(app, exec);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (app.got_subcommand("exec")) return sluice::app::run_exec(exec);
  return 2;
}
