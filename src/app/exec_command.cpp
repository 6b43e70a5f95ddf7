// `sluice exec`: runs one GraphQL request against a schema and a JSON root value, prints the JSON response.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "json_data.hpp"
#include "sluice/core/json.hpp"
#include "sluice/execution/executor.hpp"
#include "sluice/schema/builder.hpp"

namespace sluice::app {

void add_exec_command(CLI::App& app, exec_options& o) {
  auto* cmd = app.add_subcommand("exec", "Run one GraphQL request and print the JSON response");
  cmd->add_option("--schema", o.schema_file, "SDL file of the schema")->required();
  cmd->add_option("--root", o.root_file, "JSON file of the root value (fields resolve from it)");
  cmd->add_option("--variables", o.variables_file, "JSON file of the variables");
  cmd->add_option("--operation", o.operation, "name of the operation to run");
  cmd->add_option("query", o.query_file, "file of the GraphQL document")->required();
}

int run_exec(const exec_options& o) {
  std::string sdl, query;
  sluice::value root, variables;
  if (!read_file("sluice exec", o.schema_file, sdl) || !read_file("sluice exec", o.query_file, query)) return 2;
  if (!o.root_file.empty() && !read_json("sluice exec", o.root_file, root)) return 2;
  if (!o.variables_file.empty() && !read_json("sluice exec", o.variables_file, variables)) return 2;

  auto built = schema::build_schema(sdl);
  if (!built.ok()) {
    for (const auto& e : built.errors) {
      std::fprintf(stderr, "%s: %s", o.schema_file.c_str(), e.message.c_str());
      for (const auto& l : e.locations) std::fprintf(stderr, " (%u:%u)", l.line, l.column);
      std::fputc('\n', stderr);
    }
    return 2;
  }
  execution::resolver_map resolvers;
  resolvers.set_default(resolve_from_json);
  execution::executor_options options;
  options.parse = language::trusted_parse_options();
  options.require_sources = false;  // `exec` runs queries and mutations
  execution::executor ex(built.built, std::move(resolvers), options);
  execution::request req{std::move(query), o.operation, std::move(variables), {}};
  std::string out = ex.execute_sync(req, {}, root).to_json();
  out.push_back('\n');
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace sluice::app
