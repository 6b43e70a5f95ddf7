// Checks that every peer server (and sluice, when given) serves the same thing, before they are benchmarked side
// by side: starts each one on a free loopback port, in the demo mode and in the --nested mode, one at a time, and
// checks it with the graphql-ws client, a raw `ws` socket and fetch. Prints a PASS/FAIL line per check and a
// closing "N passed, N failed" line; exits non-zero on any failure. Every wait is bounded, and every child it
// started is killed before it exits.
//
// Usage: node bench/peers/check.mjs [--sluice build/release/sluice] [--only NAME[,NAME...]] [--timeout-ms 5000]
//   NAME: graphql-ws, mercurius, yoga, apollo, yoga-live, sluice
//   (the live query check also runs on sluice when its demo schema has Query.recent)
//
// Demo mode (the schema of `sluice serve --demo`): `{ hello }` over HTTP and over the WebSocket; a subscription to
// messages(channel: "c") receives a message posted by an HTTP mutation; countdown(from: 2) gives 2, 1, 0 and
// completes; failing gives 1 then an error; a graphql-transport-ws ping gets a pong; for yoga-live, a
// `query @live` on recent(channel:) gets its first result, then an update after each post to the channel.
// Nested mode (bench/data/schema.graphql over bench/data/nested_root.json): the nested query, with its variables
// at their defaults, returns data without errors whose FNV-1a hash (of JSON.stringify of the parsed data) is the
// one graphql-js computes here in-process (as bench/graphqljs_bench.mjs does), so it is the same from every server.
// Each server must also print one line (the peers) and exit with status 0 on SIGTERM.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, execute, parse } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { nestedQuery, nestedVariables } from './nested_schema.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const sluicePath = option('--sluice', null);
const only = option('--only', null)?.split(',');
const timeoutMs = Number(option('--timeout-ms', '5000'));
const startTimeoutMs = 30000; // a Node server importing Apollo or Yoga on a busy 2-core machine
const overallTimeoutMs = 10 * 60 * 1000;

const peers = [
  { name: 'graphql-ws', script: 'graphql_ws_server.mjs' },
  { name: 'mercurius', script: 'mercurius_server.mjs' },
  { name: 'yoga', script: 'yoga_server.mjs' },
  { name: 'apollo', script: 'apollo_server.mjs' },
  { name: 'yoga-live', script: 'yoga_live_server.mjs', live: true },
];

const targets = [];
for (const peer of peers) {
  for (const nested of [false, true]) {
    const argv = [join(here, peer.script), '--host', '127.0.0.1', '--port', '0', ...(nested ? ['--nested'] : [])];
    targets.push({ name: peer.name, nested, live: peer.live && !nested, peer: true, command: process.execPath, argv });
  }
}
if (sluicePath) {
  const data = (name) => join(repo, 'bench', 'data', name);
  const common = ['serve', '--host', '127.0.0.1', '--port', '0'];
  targets.push({ name: 'sluice', nested: false, command: sluicePath, argv: [...common, '--demo'] });
  targets.push({
    name: 'sluice',
    nested: true,
    command: sluicePath,
    argv: [...common, '--schema', data('schema.graphql'), '--root', data('nested_root.json')],
  });
}

// ---- results

let passed = 0;
let failed = 0;
function report(ok, target, check, detail) {
  if (ok) passed++;
  else failed++;
  const mode = target.nested ? 'nested' : 'demo';
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${target.name.padEnd(10)} ${mode.padEnd(6)} ${check}${detail ? `: ${detail}` : ''}`);
}

// ---- bounded waits

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function within(ms, promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// ---- children

const children = new Set();
function killAll() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {}
  }
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}
setTimeout(() => {
  console.log(`FAIL  the whole check took more than ${overallTimeoutMs / 1000} s`);
  killAll();
  process.exit(1);
}, overallTimeoutMs).unref();

// Starts a target and resolves once it has printed "serving GraphQL at URL".
function start(target) {
  const child = spawn(target.command, target.argv, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const server = { child, stdoutLines: [], stderr: '', exited: null };
  const exited = new Promise((r) => child.on('exit', (code, signal) => r((server.exited = { code, signal }))));
  server.exitedPromise = exited;
  exited.then(() => children.delete(child));
  child.stderr.on('data', (d) => (server.stderr = (server.stderr + d).slice(-4000)));
  let pending = '';
  const url = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      pending += d;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        server.stdoutLines.push(line);
        const m = /serving GraphQL at (http:\/\/\S+)/.exec(line);
        if (m) resolve(m[1]);
      }
    });
    child.on('error', reject);
    exited.then(({ code, signal }) => reject(new Error(`exited (${code ?? signal}) before listening`)));
  });
  server.url = within(startTimeoutMs, url, 'the "serving GraphQL at" line');
  return server;
}

// SIGTERM, then the exit (SIGKILL if it takes too long).
async function stop(server) {
  if (server.exited) return server.exited;
  server.child.kill('SIGTERM');
  try {
    return await within(timeoutMs, server.exitedPromise, 'the exit after SIGTERM');
  } catch (e) {
    server.child.kill('SIGKILL');
    await within(timeoutMs, server.exitedPromise, 'the exit after SIGKILL').catch(() => {});
    throw e;
  }
}

// ---- clients

async function graphqlHttp(url, query, variables) {
  const response = await within(
    timeoutMs,
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify(variables ? { query, variables } : { query }),
    }),
    `the response to ${query.slice(0, 40).replace(/\s+/g, ' ')}`,
  );
  const text = await within(timeoutMs, response.text(), 'the response body');
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
  }
}

function noErrors(result) {
  if (result.errors?.length) throw new Error(`errors: ${JSON.stringify(result.errors).slice(0, 300)}`);
  if (!result.data) throw new Error(`no data: ${JSON.stringify(result).slice(0, 300)}`);
  return result.data;
}

const wsUrl = (url) => url.replace(/^http/, 'ws');

// A graphql-ws client, connected (resolves once the server acknowledged connection_init).
async function connectClient(url) {
  let connected;
  const isConnected = new Promise((resolve, reject) => (connected = { resolve, reject }));
  const client = createClient({
    url: wsUrl(url),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionAckWaitTimeout: timeoutMs,
    onNonLazyError: (e) => connected.reject(new Error(`connection failed: ${describe(e)}`)),
    on: { connected: () => connected.resolve() },
  });
  try {
    await within(timeoutMs, isConnected, 'connection_ack');
  } catch (e) {
    await client.dispose();
    throw e;
  }
  return client;
}

function describe(e) {
  if (Array.isArray(e)) return e.map((x) => x.message).join('; ');
  if (e && typeof e === 'object' && 'code' in e && 'reason' in e) return `closed ${e.code} ${e.reason}`;
  return e?.message ?? String(e);
}

// Runs an operation to its end: { results, error, completed }, or throws on a timeout.
function collect(client, query, what) {
  const results = [];
  let cancel;
  const done = new Promise((resolve) => {
    cancel = client.subscribe(
      { query },
      {
        next: (r) => results.push(r),
        error: (error) => resolve({ results, error, completed: false }),
        complete: () => resolve({ results, error: null, completed: true }),
      },
    );
  });
  return within(timeoutMs, done, what).finally(() => cancel());
}

// Resolves with the first result that `accept`s (or throws on an error or a timeout); `events` keeps them all.
function watch(client, query) {
  const events = [];
  let waiter = null;
  let failure = null;
  const offer = () => {
    if (!waiter) return;
    if (failure) return waiter.reject(failure);
    const hit = events.find(waiter.accept);
    if (hit) waiter.resolve(hit);
  };
  const cancel = client.subscribe(
    { query },
    {
      next: (r) => {
        events.push(r);
        offer();
      },
      error: (e) => {
        failure = new Error(`operation error: ${describe(e)}`);
        offer();
      },
      complete: () => {
        failure ??= new Error('completed early');
        offer();
      },
    },
  );
  return {
    events,
    cancel,
    next: (accept, ms, what) =>
      within(
        ms,
        new Promise((resolve, reject) => {
          waiter = { accept, resolve, reject };
          offer();
        }),
        what,
      ).finally(() => (waiter = null)),
  };
}

const postMutation = (channel, text) =>
  `mutation { post(channel: ${JSON.stringify(channel)}, text: ${JSON.stringify(text)}) { id channel text } }`;

// ---- the checks

async function check(target, name, fn) {
  const started = performance.now();
  try {
    const detail = await fn();
    report(true, target, name, [detail, `${Math.round(performance.now() - started)} ms`].filter(Boolean).join(', '));
  } catch (e) {
    report(false, target, name, describe(e));
  }
}

async function demoChecks(target, url) {
  await check(target, '{ hello } over HTTP', async () => {
    const data = noErrors(await graphqlHttp(url, '{ hello }'));
    if (data.hello !== 'Hello, world!') throw new Error(`hello = ${JSON.stringify(data.hello)}`);
  });

  let client;
  await check(target, 'graphql-transport-ws connection', async () => {
    client = await connectClient(url);
  });
  if (!client) return;
  try {
    await check(target, '{ hello } over WebSocket', async () => {
      const { results, error, completed } = await collect(client, '{ hello(name: "ws") }', 'the { hello } result');
      if (error) throw new Error(describe(error));
      if (!completed || results.length !== 1) throw new Error(`${results.length} results, completed: ${completed}`);
      if (noErrors(results[0]).hello !== 'Hello, ws!') throw new Error(JSON.stringify(results[0]));
    });

    await check(target, 'messages(channel: "c") receives a posted message', async () => {
      const sub = watch(client, 'subscription { messages(channel: "c") { id channel text } }');
      try {
        // A subscription is not acknowledged: give it a moment, and post again if the first post came too early.
        for (let attempt = 1; attempt <= 5; attempt++) {
          await sleep(attempt === 1 ? 100 : 200);
          const text = `message ${attempt} to c`;
          const posted = noErrors(await graphqlHttp(url, postMutation('c', text))).post;
          if (posted.channel !== 'c' || posted.text !== text || !posted.id) throw new Error(`post gave ${JSON.stringify(posted)}`);
          let event;
          try {
            event = await sub.next((r) => r.data?.messages?.text === text, 1000, `the message "${text}"`);
          } catch (e) {
            if (sub.events.some((r) => r.errors) || /operation error|completed/.test(e.message)) throw e;
            continue;
          }
          const got = event.data.messages;
          if (got.id !== posted.id || got.channel !== 'c') throw new Error(`received ${JSON.stringify(got)}, posted ${JSON.stringify(posted)}`);
          return attempt > 1 ? `after ${attempt} posts` : '';
        }
        throw new Error(`no message arrived (events: ${JSON.stringify(sub.events).slice(0, 200)})`);
      } finally {
        sub.cancel();
      }
    });

    await check(target, 'countdown(from: 2) gives 2, 1, 0 and completes', async () => {
      const { results, error, completed } = await collect(client, 'subscription { countdown(from: 2) }', 'the countdown');
      if (error) throw new Error(describe(error));
      const values = results.map((r) => noErrors(r).countdown);
      if (JSON.stringify(values) !== '[2,1,0]' || !completed) throw new Error(`got ${JSON.stringify(values)}, completed: ${completed}`);
    });

    await check(target, 'failing gives 1, then an error', async () => {
      const { results, error } = await collect(client, 'subscription { failing }', 'the failing subscription');
      const values = results.filter((r) => r.data).map((r) => r.data.failing);
      const messages = [
        ...results.flatMap((r) => r.errors ?? []).map((e) => e.message),
        ...(error ? [describe(error)] : []),
      ];
      if (values[0] !== 1 || !messages.some((m) => m.includes('The failing subscription failed'))) {
        throw new Error(`results ${JSON.stringify(results)}, error ${describe(error)}`);
      }
      return error ? 'as an error message' : 'as a result with errors';
    });

    // yoga-live must serve Query.recent; sluice's demo is checked too once it has it.
    const hasRecent = await graphqlHttp(url, '{ __type(name: "Query") { fields { name } } }')
      .then((r) => r.data?.__type?.fields?.some((f) => f.name === 'recent'))
      .catch(() => false);
    if (target.live || hasRecent) {
      await check(target, 'query @live { recent } updates after a post', async () => {
        const channel = 'live';
        const live = watch(client, `query @live { recent(channel: "${channel}") { text } }`);
        try {
          const first = await live.next((r) => Array.isArray(r.data?.recent), timeoutMs, 'the initial live result');
          if (first.data.recent.length !== 0) throw new Error(`initial ${JSON.stringify(first.data)}`);
          for (const text of ['live 1', 'live 2']) {
            noErrors(await graphqlHttp(url, postMutation(channel, text)));
            await live.next((r) => r.data?.recent?.[0]?.text === text, timeoutMs, `the update with "${text}"`);
          }
          const last = live.events.at(-1).data.recent.map((m) => m.text);
          if (JSON.stringify(last) !== '["live 2","live 1"]') throw new Error(`last result ${JSON.stringify(last)}`);
          // A post to another channel re-sends nothing here.
          const before = live.events.length;
          noErrors(await graphqlHttp(url, postMutation('elsewhere', 'x')));
          await sleep(200);
          if (live.events.length !== before) throw new Error('a post to another channel re-sent the live query');
          return `${live.events.length} results`;
        } finally {
          live.cancel();
        }
      });
    }
  } finally {
    await client.dispose();
  }

  await check(target, 'graphql-transport-ws ping gets a pong', () => pingPong(url));
}

async function pingPong(url) {
  const socket = new WebSocket(wsUrl(url), 'graphql-transport-ws');
  const messages = [];
  let waiter = null;
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    waiter?.();
  });
  const receive = (type) =>
    within(
      timeoutMs,
      new Promise((resolve, reject) => {
        const look = () => {
          const m = messages.find((x) => x.type === type);
          if (m) resolve(m);
        };
        waiter = look;
        socket.once('close', (code) => reject(new Error(`closed ${code} before ${type}`)));
        look();
      }),
      `"${type}"`,
    );
  try {
    await within(timeoutMs, new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject))), 'the WebSocket to open');
    if (socket.protocol !== 'graphql-transport-ws') throw new Error(`subprotocol "${socket.protocol}"`);
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await receive('connection_ack');
    socket.send(JSON.stringify({ type: 'ping' }));
    await receive('pong');
  } finally {
    socket.terminate();
  }
}

// The reference: graphql-js in-process, as bench/graphqljs_bench.mjs runs the nested query.
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
const variables = nestedVariables();
const reference = (() => {
  const read = (name) => readFileSync(join(repo, 'bench', 'data', name), 'utf8');
  const result = execute({
    schema: buildSchema(read('schema.graphql')),
    document: parse(nestedQuery),
    rootValue: JSON.parse(read('nested_root.json')),
    variableValues: variables,
  });
  if (result.errors?.length) throw new Error(`reference: ${result.errors[0].message}`);
  const text = JSON.stringify(result.data);
  return { hash: fnv1a(text), bytes: Buffer.byteLength(text) };
})();
const hashes = new Map();

async function nestedChecks(target, url) {
  await check(target, 'nested query: data, no errors, the reference hash', async () => {
    const data = noErrors(await graphqlHttp(url, nestedQuery, variables));
    const text = JSON.stringify(data);
    const hash = fnv1a(text);
    hashes.set(target.name, hash);
    if (hash !== reference.hash) throw new Error(`data_fnv1a ${hash} (${Buffer.byteLength(text)} bytes), graphql-js ${reference.hash} (${reference.bytes} bytes)`);
    return `data_fnv1a ${hash}, ${Buffer.byteLength(text)} bytes`;
  });
}

// ---- run

console.log(`graphql-js reference for the nested query: data_fnv1a ${reference.hash}, ${reference.bytes} bytes; variables ${JSON.stringify(variables)}`);
for (const target of targets) {
  if (only && !only.includes(target.name)) continue;
  const server = start(target);
  let url = null;
  await check(target, 'starts and prints its address', async () => {
    url = await server.url;
    return url;
  });
  if (!url) {
    if (server.stderr) console.log(`      stderr: ${server.stderr.trim().split('\n').slice(-5).join('\n      ')}`);
    await stop(server).catch(() => {});
    continue;
  }
  if (target.nested) await nestedChecks(target, url);
  else await demoChecks(target, url);

  if (target.peer) {
    await check(target, 'prints exactly one line', async () => {
      if (server.stdoutLines.length !== 1) throw new Error(`stdout: ${JSON.stringify(server.stdoutLines).slice(0, 300)}`);
      if (!/^peer \S+ 127\.0\.0\.1: serving GraphQL at http:\/\/127\.0\.0\.1:\d+\/graphql$/.test(server.stdoutLines[0]))
        throw new Error(`line ${JSON.stringify(server.stdoutLines[0])}`);
    });
  }
  await check(target, 'exits with status 0 on SIGTERM', async () => {
    const { code, signal } = await stop(server);
    if (code !== 0) throw new Error(`exit ${code ?? signal}; stderr: ${server.stderr.trim().slice(-300)}`);
  });
}

const runs = [...hashes.entries()];
if (runs.length > 1) {
  const distinct = new Set(runs.map(([, h]) => h));
  const line = runs.map(([n, h]) => `${n} ${h}`).join(', ');
  const ok = distinct.size === 1;
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'}  nested query data hash ${ok ? 'the same from every server' : 'differs'}: ${line}`);
}
console.log(`${passed} passed, ${failed} failed`);
killAll();
process.exit(failed ? 1 : 0);
