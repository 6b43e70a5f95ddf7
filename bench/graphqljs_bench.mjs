// graphql-js on the inputs of bench/data, measured the way bench/engine_bench.cpp measures Sluice: prints ns/op
// of each operation as JSON on stdout (progress on stderr) for bench/run.sh to combine.
//
// Usage: node bench/graphqljs_bench.mjs [--min-time=SECONDS] [--rounds=N] [--warmup=SECONDS] [--filter=REGEX]
//   Each operation is warmed up, then timed in N rounds of at least SECONDS each, one thread: ns_per_op is the
//   median wall-clock time (process.hrtime.bigint), cpu_ns_per_op the median CPU time of the process
//   (process.cpuUsage: user + system, the garbage collector's helper threads included).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, execute, parse, validate, validateSchema, version } from 'graphql';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unknown argument ${a}`);
    return [m[1], m[2] ?? 'true'];
  }),
);
const minTimeNs = BigInt(Math.round(Number(args['min-time'] ?? 0.5) * 1e9));
const rounds = Number(args.rounds ?? 5);
const warmupNs = BigInt(Math.round(Number(args.warmup ?? 1) * 1e9));
const filter = new RegExp(args.filter ?? '.');

const dataDir = join(dirname(fileURLToPath(import.meta.url)), 'data');
const read = (name) => readFileSync(join(dataDir, name), 'utf8');

const schema = buildSchema(read('schema.graphql'));
const schemaErrors = validateSchema(schema);
if (schemaErrors.length > 0) throw new Error(`schema.graphql: ${schemaErrors[0].message}`);
const introspectionQuery = read('introspection_query.graphql');
const nestedQuery = read('nested_query.graphql');
const introspectionDoc = parse(introspectionQuery);
const nestedDoc = parse(nestedQuery);
const root = JSON.parse(read('nested_root.json'));

// FNV-1a over the UTF-8 bytes of the data's JSON text: compared with the hash engine_bench puts in its labels.
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function checked(result) {
  if (result.errors?.length) throw new Error(`response has errors: ${result.errors[0].message}`);
  return result;
}

function validated(errors) {
  if (errors.length > 0) throw new Error(`validation failed: ${errors[0].message}`);
  return errors;
}

// The operations, named like the C++ benchmarks (without BM_). Each returns its result so it is not optimised
// away. execute() gets a pre-parsed document and the default field resolver reads from the JSON root value,
// as in engine_bench (whose execute also serialises the result to JSON text; graphql-js's does not).
const operations = {
  parse_introspection_query: () => parse(introspectionQuery),
  parse_nested_query: () => parse(nestedQuery),
  validate_introspection_query: () => validated(validate(schema, introspectionDoc)),
  validate_nested_query: () => validated(validate(schema, nestedDoc)),
  execute_nested_query: () => checked(execute({ schema, document: nestedDoc, rootValue: root })),
  execute_introspection: () => checked(execute({ schema, document: introspectionDoc })),
  full_pipeline: () => {
    const doc = parse(nestedQuery);
    validated(validate(schema, doc));
    return checked(execute({ schema, document: doc, rootValue: root }));
  },
  // Not in the C++ set: what a server does after execute(), for reading the execute ratios.
  execute_nested_query_and_stringify: () =>
    JSON.stringify(checked(execute({ schema, document: nestedDoc, rootValue: root }))),
};

let sink = 0;
function keep(result) {
  if (result !== undefined && result !== null) sink ^= 1;
}

// Runs `fn` `n` times; returns the elapsed wall-clock nanoseconds (and adds the CPU time used to `cpu`).
const cpu = { ns: 0 };
function timeBatch(fn, n) {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) keep(fn());
  const elapsed = process.hrtime.bigint() - start;
  const used = process.cpuUsage(cpuStart);
  cpu.ns = (used.user + used.system) * 1000;
  return elapsed;
}

function measure(fn) {
  // Warm up (lets the JIT optimise), and estimate the time of one call.
  let n = 1;
  let spent = 0n;
  let estimate = 0;
  while (spent < warmupNs) {
    const batch = timeBatch(fn, n);
    spent += batch;
    estimate = Number(batch) / n;  // the latest batch: the most optimised code
    n = Math.min(n * 2, 1 << 20);
  }
  const perRound = Math.max(1, Math.ceil(Number(minTimeNs) / estimate));
  const samples = [];
  const cpuSamples = [];
  for (let r = 0; r < rounds; r++) {
    samples.push(Number(timeBatch(fn, perRound)) / perRound);
    cpuSamples.push(cpu.ns / perRound);
  }
  return {
    ns_per_op: median(samples),
    cpu_ns_per_op: median(cpuSamples),
    min_ns_per_op: Math.min(...samples),
    iterations_per_round: perRound,
    rounds: samples,
    cpu_rounds: cpuSamples,
  };
}

function median(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const results = {};
for (const [name, fn] of Object.entries(operations)) {
  if (!filter.test(name)) continue;
  process.stderr.write(`graphql-js ${name} ... `);
  results[name] = measure(fn);
  process.stderr.write(
    `${(results[name].ns_per_op / 1000).toFixed(1)} us/op (cpu ${(results[name].cpu_ns_per_op / 1000).toFixed(1)} us/op)\n`,
  );
}

const checks = {};
for (const name of ['execute_nested_query', 'execute_introspection']) {
  const text = JSON.stringify(operations[name]().data);
  checks[name] = { data_bytes: Buffer.byteLength(text, 'utf8'), data_fnv1a: fnv1a(text) };
}

process.stdout.write(
  JSON.stringify(
    { engine: 'graphql-js', graphql_version: version, node_version: process.version, results, checks, sink },
    null,
    2,
  ) + '\n',
);
