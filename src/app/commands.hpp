// The subcommands of the `sluice` program.
#pragma once

#include <string>
#include <vector>

#include "sluice/server/server.hpp"

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

struct serve_options {
  server::server_options server;
  bool demo = false;
  std::string demo_token;
  std::string schema_file;
  std::string root_file;
  long header_timeout_ms = 10'000;
  long body_timeout_ms = 30'000;
  long idle_timeout_ms = 60'000;
  long shutdown_grace_ms = 10'000;
  long ws_init_timeout_ms = 3'000;
  long ws_keep_alive_ms = 12'000;
  long ws_ping_interval_ms = 12'000;
  long sse_keep_alive_ms = 12'000;
  long sse_open_timeout_ms = 30'000;
  std::string sse_reservation_policy = "refuse";
  std::string redis_url;   // --redis: the Redis broker
  std::string broker_url;  // --broker: memory (default), redis://..., postgres://...
  std::string registry_url;  // --registry: sqlite:PATH or postgres://... (off when empty)
  std::string node;          // --node: this node's name in the registry
  bool live_queries = false;    // --live-queries: with --schema (the demo has them always)
  long live_interval_ms = 1'000;
  long live_min_interval_ms = 100;
  long live_debounce_ms = 50;
};

void add_serve_command(CLI::App& app, serve_options& options);
// Turns the environment variables of a subcommand's options into flags after the subcommand's name in `args`
// (for the options not given as flags), so that they take precedence over a config file.
void environment_to_flags(const CLI::App& command, const std::string& name, std::vector<std::string>& args);
// Serves until SIGINT or SIGTERM; returns 0 after a clean shutdown, 1 when the server cannot start, 2 for
// unusable options or files.
int run_serve(serve_options options);

}  // namespace sluice::app
