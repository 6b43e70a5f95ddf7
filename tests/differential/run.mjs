#!/usr/bin/env node
// Differential test: runs every case of the corpus through `sluice exec` and through
// graphql-js, and compares the two responses. See README.md.
//
//   node tests/differential/run.mjs --sluice PATH [--filter SUBSTR] [--verbose] [--jobs N] [--keep]
//   node tests/differential/run.mjs --reference-only [--filter SUBSTR]
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runReference } from './reference.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TIMEOUT_MS = 10_000;

function parseArgs(argv) {
  const opts = { sluice: null, filter: '', verbose: false, referenceOnly: false, jobs: 3, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--sluice') opts.sluice = value();
    else if (arg === '--filter') opts.filter = value();
    else if (arg === '--jobs') opts.jobs = Math.max(1, Number.parseInt(value(), 10) || 1);
    else if (arg === '--verbose' || arg === '-v') opts.verbose = true;
    else if (arg === '--reference-only') opts.referenceOnly = true;
    else if (arg === '--keep') opts.keep = true;
    else if (arg === '--help' || arg === '-h') usage();
    else usage(`unknown argument ${arg}`);
  }
  if (!opts.referenceOnly && !opts.sluice) usage('--sluice PATH is required');
  return opts;
}

function usage(problem) {
  if (problem) console.error(`run.mjs: ${problem}`);
  console.error(
    'usage: node tests/differential/run.mjs --sluice PATH/TO/sluice [--filter SUBSTR] [--verbose] [--jobs N] [--keep]\n' +
      '       node tests/differential/run.mjs --reference-only [--filter SUBSTR]',
  );
  process.exit(problem ? 1 : 0);
}

// Text as it will be read back from a UTF-8 file (a lone surrogate becomes U+FFFD),
// so that both implementations see exactly the same source.
const asWritten = (text) => Buffer.from(text, 'utf8').toString('utf8');

// Loads schemas/*.graphql and cases/*.json into a flat list of cases with ids "file/name".
function loadCorpus() {
  const schemas = new Map();
  for (const file of fs.readdirSync(path.join(HERE, 'schemas')).sort()) {
    if (file.endsWith('.graphql')) {
      schemas.set(path.basename(file, '.graphql'), fs.readFileSync(path.join(HERE, 'schemas', file), 'utf8'));
    }
  }
  const cases = [];
  const problems = [];
  for (const file of fs.readdirSync(path.join(HERE, 'cases')).sort()) {
    if (!file.endsWith('.json')) continue;
    const group = path.basename(file, '.json');
    let content;
    try {
      content = JSON.parse(fs.readFileSync(path.join(HERE, 'cases', file), 'utf8'));
    } catch (error) {
      problems.push(`${file}: ${error.message}`);
      continue;
    }
    const seen = new Set();
    for (const [index, c] of (content.cases ?? []).entries()) {
      const id = `${group}/${c.name ?? `#${index}`}`;
      const schemaName = c.schema ?? content.schema;
      const sdl = c.sdl ?? (c.schema === undefined ? content.sdl : undefined) ?? schemas.get(schemaName);
      if (typeof c.name !== 'string' || seen.has(c.name)) problems.push(`${id}: missing or duplicate name`);
      else if (typeof c.query !== 'string') problems.push(`${id}: missing query`);
      else if (typeof sdl !== 'string') problems.push(`${id}: unknown schema ${JSON.stringify(schemaName)}`);
      seen.add(c.name);
      const root = 'root' in c ? c.root : content.root;
      cases.push({ id, sdl: asWritten(sdl ?? ''), query: asWritten(c.query ?? ''), root, variables: c.variables, operation: c.operation });
    }
  }
  return { cases, problems };
}

// Runs `sluice exec` on a case; resolves to {code, stdout, stderr, args}.
async function runSluice(binary, c, dir) {
  await fs.promises.mkdir(dir, { recursive: true });
  const writes = [];
  const file = (name, text) => {
    const p = path.join(dir, name);
    writes.push(fs.promises.writeFile(p, text));
    return p;
  };
  const args = ['exec', '--schema', file('schema.graphql', c.sdl)];
  if (c.root !== undefined) args.push('--root', file('root.json', JSON.stringify(c.root)));
  if (c.variables !== undefined) args.push('--variables', file('variables.json', JSON.stringify(c.variables)));
  if (c.operation !== undefined) args.push('--operation', c.operation);
  args.push(file('query.graphql', c.query));
  await Promise.all(writes);
  return new Promise((resolve) => {
    execFile(binary, args, { timeout: TIMEOUT_MS, maxBuffer: 64 << 20, encoding: 'utf8' }, (error, stdout, stderr) => {
      // code: the exit code, or a string saying why there is none (timeout, signal, spawn failure).
      let code = 0;
      if (error?.killed) code = `timed out after ${TIMEOUT_MS / 1000} s`;
      else if (error?.signal) code = `killed by ${error.signal}`;
      else if (error) code = typeof error.code === 'number' ? error.code : `failed to run (${error.message})`;
      resolve({ code, stdout, stderr, args });
    });
  });
}

const show = (value) => (value === undefined ? '(absent)' : JSON.stringify(value));
const firstLine = (text) => text.trim().split('\n')[0] || '(nothing on stderr)';

// The first place where two JSON values differ, including key order: {where, expected, got} or null.
function firstDifference(expected, got, where) {
  if (JSON.stringify(expected) === JSON.stringify(got)) return null;
  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(expected) && Array.isArray(got) && expected.length === got.length) {
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(expected[i], got[i], `${where}[${i}]`);
      if (d) return d;
    }
  }
  if (isObject(expected) && isObject(got)) {
    const keys = (o) => JSON.stringify(Object.keys(o));
    if (keys(expected) !== keys(got)) return { where: `keys of ${where}`, expected: Object.keys(expected), got: Object.keys(got) };
    for (const key of Object.keys(expected)) {
      const d = firstDifference(expected[key], got[key], `${where}.${key}`);
      if (d) return d;
    }
  }
  return { where, expected, got };
}

const errorKey = (e) => JSON.stringify({ path: e?.path, locations: e?.locations });

// Compares a sluice outcome with the reference outcome; returns a one-line problem or null.
function compare(ref, run) {
  if (typeof run.code !== 'number') return `sluice ${run.code}`;
  if (ref.schemaRejected) {
    return run.code === 2 ? null : `graphql-js rejects the schema (${ref.message.split('\n')[0]}) but sluice exited ${run.code}`;
  }
  if (run.code === 2) return `sluice exited 2 (${firstLine(run.stderr)}) but graphql-js accepts the schema`;
  if (run.code !== 0) return `sluice exited ${run.code}: ${firstLine(run.stderr)}`;
  let got;
  try {
    got = JSON.parse(run.stdout);
  } catch (error) {
    return `stdout is not JSON (${firstLine(error.message)}): ${JSON.stringify(run.stdout.slice(0, 200))}`;
  }
  const want = ref.response;
  if (got === null || typeof got !== 'object' || Array.isArray(got)) return `response is not a JSON object: ${show(got)}`;
  if ('data' in want !== 'data' in got) return `"data" key: expected ${'data' in want ? 'present' : 'absent'}, got ${'data' in got ? 'present' : 'absent'}`;
  const d = firstDifference(want.data, got.data, 'data');
  if (d) return `${d.where}: expected ${show(d.expected)}, got ${show(d.got)}`;
  if ('errors' in want !== 'errors' in got) {
    return `"errors" key: expected ${'errors' in want ? show(want.errors.map((e) => e.message)) : 'absent'}, got ${'errors' in got ? show(got.errors) : 'absent'}`;
  }
  if (!('errors' in want)) return null;
  if (!Array.isArray(got.errors)) return `errors: expected an array, got ${show(got.errors)}`;
  const wantKeys = want.errors.map(errorKey).sort();
  const gotKeys = got.errors.map(errorKey).sort();
  if (JSON.stringify(wantKeys) !== JSON.stringify(gotKeys)) {
    const messages = want.errors.map((e) => e.message);
    return `errors (path, locations): expected [${wantKeys.join(', ')}] ${show(messages)}, got [${gotKeys.join(', ')}]`;
  }
  return null;
}

// Runs tasks with at most `limit` in flight.
async function pool(items, limit, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { cases: allCases, problems } = loadCorpus();
  if (problems.length > 0) {
    for (const p of problems) console.error(`corpus error: ${p}`);
    console.log(`0 passed, ${problems.length} failed`);
    process.exitCode = 1;
    return;
  }
  const cases = allCases.filter((c) => c.id.includes(opts.filter));

  if (opts.referenceOnly) {
    let crashed = 0;
    for (const c of cases) {
      console.log(`=== ${c.id}`);
      try {
        const ref = await runReference(c);
        console.log(ref.schemaRejected ? `schema rejected: ${ref.message}` : JSON.stringify(ref.response, null, 2));
      } catch (error) {
        crashed++;
        console.log(`reference crashed: ${error.stack}`);
      }
    }
    console.error(`${cases.length} cases, ${crashed} reference crashes`);
    process.exitCode = crashed > 0 ? 1 : 0;
    return;
  }

  const binary = path.resolve(opts.sluice);
  try {
    fs.accessSync(binary, fs.constants.X_OK);
    if (!fs.statSync(binary).isFile()) throw new Error('not a file');
  } catch (error) {
    console.error(`run.mjs: sluice binary ${binary} is missing or not executable (${error.message})`);
    console.log(`0 passed, ${cases.length} failed`);
    process.exitCode = 1;
    return;
  }
  if (cases.length === 0) {
    console.error(`run.mjs: no case matches --filter ${JSON.stringify(opts.filter)}`);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
    return;
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-differential-'));
  let passed = 0;
  let failed = 0;
  await pool(cases, opts.jobs, async (c, index) => {
    const dir = path.join(tmp, String(index).padStart(4, '0'));
    let problem;
    let ref;
    let run;
    try {
      [ref, run] = await Promise.all([runReference(c), runSluice(binary, c, dir)]);
      problem = compare(ref, run);
    } catch (error) {
      problem = `harness error: ${error.message}`;
    }
    if (problem === null) {
      passed++;
      if (opts.verbose) console.log(`ok   ${c.id}`);
      return;
    }
    failed++;
    console.log(`FAIL ${c.id}: ${problem}`);
    if (opts.verbose) {
      const expected = ref?.schemaRejected ? `schema rejected: ${ref.message}` : JSON.stringify(ref?.response);
      console.log(`       expected: ${expected}`);
      console.log(`       got (exit ${run?.code}): ${run?.stdout.trim()}`);
      if (run?.stderr.trim()) console.log(`       stderr: ${run.stderr.trim()}`);
    }
    if (opts.keep && run) console.log(`       repro: ${[binary, ...run.args].join(' ')}`);
  });
  if (opts.keep) console.error(`case files kept in ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error.stack);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
