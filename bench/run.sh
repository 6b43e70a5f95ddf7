#!/usr/bin/env bash
# Runs the engine benchmarks (engine_bench) and graphql-js on the same inputs in the same run, prints one table
# (operation, Sluice time per op, graphql-js time per op, ratio) and writes it into docs/BENCHMARKS.md.
#
# Environment (all optional):
#   SLUICE_BENCH_BIN    the benchmark program (default build/release/bench/engine_bench)
#   BENCH_MIN_TIME      seconds per repetition of each benchmark (default 0.5)
#   BENCH_REPETITIONS   repetitions per benchmark; the median is reported (default 5)
#   BENCH_FILTER        regular expression selecting operations, e.g. "parse|validate" (default: all)
#   BENCH_CLOCK         cpu (default): CPU time per operation, which on a shared machine leaves out the time spent
#                       waiting for a CPU; wall: wall-clock time per operation
#   BENCH_CPU           pin both engines to these CPUs with taskset, e.g. "1" (default: no pinning)
#   BENCH_UPDATE_DOCS   0 to leave docs/BENCHMARKS.md alone (default 1)
#   BENCH_SERVERS       0 to skip the server benchmarks (bench/servers.mjs: Sluice against the Node.js peers)
#   BENCH_SCENARIOS     server scenarios to run (default fanout,idle,http,churn,live)
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${SLUICE_BENCH_BIN:-build/release/bench/engine_bench}
min_time=${BENCH_MIN_TIME:-0.5}
reps=${BENCH_REPETITIONS:-3}
filter=${BENCH_FILTER:-.}
clock=${BENCH_CLOCK:-cpu}
update_docs=${BENCH_UPDATE_DOCS:-1}
out=build/bench-results
mkdir -p "$out"

if [ ! -x "$bin" ]; then
  echo "bench/run.sh: $bin not found; build it first (make build)" >&2
  exit 2
fi
if [ "$clock" != cpu ] && [ "$clock" != wall ]; then
  echo "bench/run.sh: BENCH_CLOCK must be cpu or wall" >&2
  exit 2
fi
if [ ! -d node_modules/graphql ]; then
  echo "bench/run.sh: node_modules/graphql not found; run npm ci (make bootstrap)" >&2
  exit 2
fi

pin=()
if [ -n "${BENCH_CPU:-}" ]; then pin=(taskset -c "$BENCH_CPU"); fi

loadavg=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== Sluice (engine_bench): $reps x ${min_time}s per benchmark; load average $loadavg" >&2
"${pin[@]}" "$bin" --benchmark_filter="$filter" --benchmark_repetitions="$reps" --benchmark_min_time="$min_time" \
  --benchmark_report_aggregates_only=true --benchmark_out="$out/sluice.json" --benchmark_out_format=json >&2

echo "== graphql-js: $reps x ${min_time}s per operation" >&2
"${pin[@]}" node bench/graphqljs_bench.mjs --min-time="$min_time" --rounds="$reps" --filter="$filter" \
  >"$out/graphqljs.json"

fanout_json="$out/graphqljs_fanout.json"
rm -f "$fanout_json"
if echo fanout_10k_subscribers | grep -Eq "$filter"; then
  echo "== graphql-js fan-out: $reps x ${min_time}s" >&2
  "${pin[@]}" node bench/graphqljs_fanout.mjs --min-time="$min_time" --rounds="$reps" >"$fanout_json"
fi

build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$bin")/../CMakeCache.txt" 2>/dev/null || true)
compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$(dirname "$bin")/../CMakeCache.txt" 2>/dev/null || true)
compiler_version=$("${compiler:-c++}" --version 2>/dev/null | head -n 1 || true)
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)

SLUICE_JSON="$out/sluice.json" GRAPHQLJS_JSON="$out/graphqljs.json" FANOUT_JSON="$fanout_json" UPDATE_DOCS="$update_docs" \
  BUILD_TYPE="$build_type" COMPILER="$compiler_version" CPU_MODEL="$cpu_model" NPROC="$(nproc)" \
  LOADAVG="$loadavg" CLOCK="$clock" MIN_TIME="$min_time" REPS="$reps" PINNED="${BENCH_CPU:-}" node --input-type=module <<'EOF'
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
const env = process.env;
// Google Benchmark writes NaN for the coefficient of variation of a counter that is 0 in every repetition.
const sluice = JSON.parse(readFileSync(env.SLUICE_JSON, 'utf8').replace(/\bNaN\b/g, 'null'));
const js = JSON.parse(readFileSync(env.GRAPHQLJS_JSON, 'utf8'));
if (existsSync(env.FANOUT_JSON)) Object.assign(js.results, JSON.parse(readFileSync(env.FANOUT_JSON, 'utf8')).results);

const scale = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
const cpp = {};
for (const b of sluice.benchmarks) {
  const name = (b.run_name ?? b.name).replace(/^BM_/, '').replace(/_(median|mean|stddev|cv)$/, '');
  if (b.error_occurred) cpp[name] = { error: b.error_message };
  else if (b.aggregate_name === 'median' || (b.run_type === 'iteration' && !cpp[name]))
    cpp[name] = { ns: (env.CLOCK === 'wall' ? b.real_time : b.cpu_time) * scale[b.time_unit ?? 'ns'], label: b.label ?? '' };
}
const jsNs = (key) => {
  const j = js.results[key];
  return j && (env.CLOCK === 'wall' ? j.ns_per_op : j.cpu_ns_per_op);
};

const rows = [
  ['parse_introspection_query', 'parse: introspection query', 20],
  ['parse_nested_query', 'parse: nested query', 20],
  ['validate_introspection_query', 'validate: introspection query', null],
  ['validate_nested_query', 'validate: nested query', null],
  ['execute_nested_query', 'execute: nested query (prepared document)', 10],
  ['execute_introspection', 'execute: introspection query (prepared document)', 10],
  ['full_pipeline', 'parse + validate + execute: nested query', null],
  // graphql-js as a graphql-ws server runs it: one execution and one JSON.stringify per subscriber and event.
  ['fanout_10k_subscribers_10_groups', 'fan-out: one event to 10,000 subscribers in 10 groups', null, 'fanout_10k_subscribers'],
  ['fanout_10k_subscribers_ungrouped', 'fan-out: one event to 10,000 subscribers, no grouping', null, 'fanout_10k_subscribers'],
  // Live queries in process (no graphql-js counterpart: GraphQL Yoga's @envelop/live-query is measured over the
  // network in the server table).
  ['live_refresh_10k_in_100_cohorts_changed', 'live queries: one refresh of 10,000 in 100 cohorts, all changed', null],
  ['live_refresh_10k_in_100_cohorts_unchanged', 'live queries: one refresh of 10,000 in 100 cohorts, none changed', null],
];
const time = (ns) => (ns < 1e3 ? `${ns.toFixed(0)} ns` : ns < 1e6 ? `${(ns / 1e3).toFixed(1)} µs` : `${(ns / 1e6).toFixed(2)} ms`);

const lines = [
  '| operation | Sluice | graphql-js | ratio (graphql-js / Sluice) | target |',
  '| --- | ---: | ---: | ---: | --- |',
];
for (const [key, title, target, jsKey] of rows) {
  const c = cpp[key];
  const j = jsNs(jsKey ?? key);
  if (!c && !j) continue;
  const cs = !c ? 'not run' : c.error ? `error: ${c.error}` : time(c.ns);
  const jsTime = j ? time(j) : 'not run';
  let ratio = '—';
  let verdict = target ? `≥ ${target}x` : '—';
  if (c && !c.error && j) {
    const r = j / c.ns;
    ratio = `${r >= 100 ? r.toFixed(0) : r.toFixed(1)}x`;
    if (target) verdict += r >= target ? ' ✓' : ' ✗ (below)';
  }
  lines.push(`| ${title} | ${cs} | ${jsTime} | ${ratio} | ${verdict} |`);
}

// Both engines must have produced the same response data for the execute ratios to mean anything.
const notes = [];
for (const key of ['execute_nested_query', 'execute_introspection']) {
  const c = cpp[key];
  const check = js.checks?.[key];
  const m = /data_bytes=(\d+) data_fnv1a=([0-9a-f]+)/.exec(c?.label ?? '');
  if (!m || !check) continue;
  const same = Number(m[1]) === check.data_bytes && m[2] === check.data_fnv1a;
  notes.push(same
    ? `- ${key}: both engines return the same data (${check.data_bytes} bytes of JSON, FNV-1a ${check.data_fnv1a}).`
    : `- ${key}: **the responses differ** (Sluice ${m[1]} bytes, FNV-1a ${m[2]}; graphql-js ${check.data_bytes} bytes, FNV-1a ${check.data_fnv1a}).`);
}
const liveChanged = cpp.live_refresh_10k_in_100_cohorts_changed;
if (liveChanged && !liveChanged.error) {
  const perCore = 10000 / (liveChanged.ns / 1e9);
  notes.push(`- Live queries: each refresh executes 100 times (once per cohort) for 10,000 subscriptions. At a 1 s ` +
    `interval with every result changing, one core sustains about ${Math.round(perCore / 1000)}k live subscriptions at 100% CPU, ` +
    `${Math.round((perCore * 0.6) / 1000)}k at 60% (Hasura publishes about 5,000 live queries per vCPU at 60% CPU; ` +
    'this in-process figure leaves out the sockets, which the server table includes).');
}
const stringify = jsNs('execute_nested_query_and_stringify');
if (stringify && cpp.execute_nested_query && !cpp.execute_nested_query.error) {
  const r = stringify / cpp.execute_nested_query.ns;
  notes.push(`- Sluice's execute also serialises the response to JSON text; graphql-js's execute() returns objects. ` +
    `graphql-js's execute() plus JSON.stringify() of the nested query takes ${time(stringify)}: ${r.toFixed(1)}x Sluice's execute.`);
}

const table = lines.join('\n');
console.log(table);
if (notes.length) console.log('\n' + notes.join('\n'));

if (env.UPDATE_DOCS !== '0' && existsSync('docs/BENCHMARKS.md')) {
  const machine = [
    `- Measured ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} on ${env.NPROC} CPUs (nproc), ${env.CPU_MODEL || 'unknown model'} ` +
      `(load average at start: ${env.LOADAVG}${env.PINNED ? `; pinned to CPU ${env.PINNED}` : ''}).`,
    `- Sluice: ${env.BUILD_TYPE || 'unknown'} build, ${env.COMPILER || 'unknown compiler'}; ` +
      `graphql-js ${js.graphql_version} on Node.js ${js.node_version}.`,
    `- Median of ${env.REPS} repetitions of at least ${env.MIN_TIME} s each, one thread; ` +
      (env.CLOCK === 'wall' ? 'wall-clock time per operation.' : 'CPU time per operation (graphql-js: of the whole Node.js process, garbage collector threads included).'),
  ];
  const section = ['<!-- bench:begin -->', ...machine, '', table, '', ...notes, '<!-- bench:end -->'].join('\n');
  const doc = readFileSync('docs/BENCHMARKS.md', 'utf8');
  const re = /<!-- bench:begin -->[\s\S]*<!-- bench:end -->/;
  writeFileSync('docs/BENCHMARKS.md', re.test(doc) ? doc.replace(re, () => section) : `${doc.trimEnd()}\n\n${section}\n`);
  console.error('\nbench/run.sh: updated docs/BENCHMARKS.md');
}
EOF

# The server benchmarks: Sluice, the raw broadcaster and the Node.js peers under the same load generator.
if [ "${BENCH_SERVERS:-1}" != 0 ]; then
  echo "== servers (bench/servers.mjs)" >&2
  server_args=()
  if [ "$update_docs" = 0 ]; then server_args+=(--no-docs); fi
  if [ -n "${BENCH_SCENARIOS:-}" ]; then server_args+=(--scenarios "$BENCH_SCENARIOS"); fi
  node bench/servers.mjs --build "$(dirname "$(dirname "$bin")")" "${server_args[@]}"
fi
