// Google Benchmark programs for the engine: parse, validate and execute on the realistic inputs of
// bench/data.
//
// The same inputs and the same measurements are taken from graphql-js by bench/graphqljs_bench.mjs, and
// bench/run.sh prints the two side by side. Every benchmark is single-threaded.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/core/json.hpp"
#include "sluice/execution/executor.hpp"
#include "sluice/language/parser.hpp"
#include "sluice/schema/builder.hpp"
#include "sluice/validation/validate.hpp"

namespace {

using namespace sluice;

std::string read_input(const std::string& name) {
  const std::string path = std::string(SLUICE_BENCH_DATA) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

std::string first_error(const std::vector<graphql_error>& errors) {
  return errors.empty() ? std::string() : errors.front().message;
}

// The inputs, loaded once: the schema, the two documents (as text and parsed) and the root value.
struct inputs {
  std::string introspection_query;
  std::string nested_query;
  std::shared_ptr<const schema::schema> schema;
  language::document introspection_doc;
  language::document nested_doc;
  sluice::value root;
  std::string error;  // why loading failed; empty when the inputs are usable

  inputs() {
    try {
      introspection_query = read_input("introspection_query.graphql");
      nested_query = read_input("nested_query.graphql");
      auto built = schema::build_schema(read_input("schema.graphql"));
      if (!built.ok()) throw std::runtime_error("schema.graphql: " + first_error(built.errors));
      schema = built.built;
      auto parsed = language::parse(introspection_query);
      if (!parsed.ok()) throw std::runtime_error("introspection_query.graphql: " + parsed.error->message);
      introspection_doc = std::move(parsed.doc);
      parsed = language::parse(nested_query);
      if (!parsed.ok()) throw std::runtime_error("nested_query.graphql: " + parsed.error->message);
      nested_doc = std::move(parsed.doc);
      std::string json_error;
      auto root_value = json::parse(read_input("nested_root.json"), &json_error);
      if (!root_value) throw std::runtime_error("nested_root.json: " + json_error);
      root = std::move(*root_value);
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
};

const inputs& data() {
  static const inputs d;
  return d;
}

// False (and the benchmark skipped with the reason) when the inputs could not be loaded.
bool ready(benchmark::State& state) {
  if (!data().error.empty()) {
    state.SkipWithError(data().error.c_str());
    return false;
  }
  return true;
}

// FNV-1a over the response's data, so bench/run.sh can check both engines produced the same bytes.
std::uint32_t fnv1a(std::string_view s) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

// Runs the request once outside the timed loop: skips the benchmark when the response has errors, and labels
// it with the size and hash of the data otherwise.
bool check_response(benchmark::State& state, const execution::executor& ex, const execution::request& req,
                    const sluice::value& root) {
  execution::response r;
  try {
    r = ex.execute_sync(req, {}, root);
  } catch (const std::exception& e) {
    state.SkipWithError((std::string("execute threw: ") + e.what()).c_str());
    return false;
  }
  if (!r.errors.empty() || !r.has_data()) {
    const std::string message = "response has errors: " + first_error(r.errors);
    state.SkipWithError(message.c_str());
    return false;
  }
  char label[64];
  std::snprintf(label, sizeof label, "data_bytes=%zu data_fnv1a=%08x", r.data.size(), fnv1a(r.data));
  state.SetLabel(label);
  return true;
}

void parse_text(benchmark::State& state, const std::string& text) {
  for (auto _ : state) {
    auto result = language::parse(text);  // copies the text into the document, as a server does with a body
    if (!result.ok()) {
      state.SkipWithError(result.error->message.c_str());
      break;
    }
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void validate_doc(benchmark::State& state, const language::document& doc) {
  for (auto _ : state) {
    auto errors = validation::validate(*data().schema, doc);
    if (!errors.empty()) {
      state.SkipWithError(errors.front().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(errors);
  }
}

// Executes `query` again and again; with a document cache only the first run parses and validates.
void execute_query(benchmark::State& state, const std::string& query, const sluice::value& root,
                   std::size_t document_cache_size) {
  execution::executor_options options;
  options.document_cache_size = document_cache_size;
  options.require_sources = false;  // queries only: the schema's subscription fields get no source
  const execution::executor ex(data().schema, {}, options);
  const execution::request req{query, {}, {}, {}};
  if (!check_response(state, ex, req, root)) return;
  for (auto _ : state) {
    auto r = ex.execute_sync(req, {}, root);
    benchmark::DoNotOptimize(r);
  }
}

// Parsing the standard introspection query (graphql-js getIntrospectionQuery()).
void BM_parse_introspection_query(benchmark::State& state) {
  if (ready(state)) parse_text(state, data().introspection_query);
}
BENCHMARK(BM_parse_introspection_query);

// Parsing the nested "authors with books" query.
void BM_parse_nested_query(benchmark::State& state) {
  if (ready(state)) parse_text(state, data().nested_query);
}
BENCHMARK(BM_parse_nested_query);

// Validating the parsed introspection query against the schema (every spec rule).
void BM_validate_introspection_query(benchmark::State& state) {
  if (ready(state)) validate_doc(state, data().introspection_doc);
}
BENCHMARK(BM_validate_introspection_query);

// Validating the parsed nested query against the schema (every spec rule).
void BM_validate_nested_query(benchmark::State& state) {
  if (ready(state)) validate_doc(state, data().nested_doc);
}
BENCHMARK(BM_validate_nested_query);

// Executing the nested query over the JSON root value with the default field resolver, the document already
// prepared (found in the cache by its text): execution and serialisation of the result to JSON text only.
void BM_execute_nested_query(benchmark::State& state) {
  if (ready(state)) execute_query(state, data().nested_query, data().root, 512);
}
BENCHMARK(BM_execute_nested_query);

// Executing the introspection query against the schema, the document already prepared.
void BM_execute_introspection(benchmark::State& state) {
  if (ready(state)) execute_query(state, data().introspection_query, sluice::value(), 512);
}
BENCHMARK(BM_execute_introspection);

// The whole request with no document cache: parse, validate and execute the nested query.
void BM_full_pipeline(benchmark::State& state) {
  if (ready(state)) execute_query(state, data().nested_query, data().root, 0);
}
BENCHMARK(BM_full_pipeline);

}  // namespace
