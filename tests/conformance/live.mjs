// Live queries against `sluice serve --demo`: Query fields under Subscription and `query @live` with the graphql-ws
// client, `@live` over SSE with the graphql-sse client, and JSON Patch deltas applied by
// @n1ru4l/graphql-live-query-patch-json-patch, ending with the same data as a full-result client.
//
// Usage: node tests/conformance/live.mjs --sluice build/release/sluice
import { applyLiveQueryJSONPatch } from '@n1ru4l/graphql-live-query-patch-json-patch';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { check, collect, fail, failures, startServer, stopServer, withTimeout } from './server.mjs';

const args = process.argv.slice(2);
const sluice = args[args.indexOf('--sluice') + 1];
const server = await startServer(sluice, ['--demo']);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function post(channel, text) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation($c: String!, $t: String!) { post(channel: $c, text: $t) { id } }',
      variables: { c: channel, t: text } }),
  });
  const body = await response.json();
  if (!body.data?.post?.id) throw new Error(`post failed: ${JSON.stringify(body)}`);
}

// A subscription whose results are kept with their arrival times; wait(n) resolves once n have arrived.
function watch(client, payload) {
  const results = [];
  const waiters = [];
  let ended = null;
  const dispose = client.subscribe(payload, {
    next: (r) => {
      results.push({ at: performance.now(), value: r });
      for (const w of waiters.splice(0)) w();
    },
    error: (e) => { ended = { error: e }; for (const w of waiters.splice(0)) w(); },
    complete: () => { ended = { completed: true }; for (const w of waiters.splice(0)) w(); },
  });
  const wait = async (n, ms, what) => {
    const deadline = performance.now() + ms;
    while (results.length < n && !ended) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`${what}: ${results.length} of ${n} results in ${ms} ms`);
      await Promise.race([new Promise((r) => waiters.push(r)), sleep(left)]);
    }
    if (results.length < n) throw new Error(`${what}: ended after ${results.length} results ${JSON.stringify(ended)}`);
  };
  return { results, wait, dispose, ended: () => ended };
}

const texts = (r) => r.value.data.recent.map((m) => m.text);

try {
  const ws = createClient({ url: server.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });

  // 1. A Query field under Subscription: the current result, then an update after each post.
  const live = watch(ws, { query: 'subscription { recent(channel: "live", limit: 3) { text } }' });
  await live.wait(1, 5000, 'initial result');
  check(JSON.stringify(live.results[0].value) === '{"data":{"recent":[]}}', 'subscription { recent }: the initial result first',
    JSON.stringify(live.results[0]?.value));
  const delays = [];
  for (let i = 1; i <= 5; i++) {
    await sleep(120);  // beyond the 50 ms debounce, so each post is its own refresh
    const sent = performance.now();
    await post('live', `m${i}`);
    await live.wait(i + 1, 5000, `update ${i}`);
    delays.push(live.results[i].at - sent);
  }
  const last = live.results.at(-1);
  check(JSON.stringify(texts(last)) === '["m5","m4","m3"]', 'each post gives an update, newest first, limited to 3',
    JSON.stringify(last.value));
  const sorted = [...delays].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  check(median <= 100, `an update arrives within 100 ms of a post (median ${median.toFixed(1)} ms of ${delays.map((d) => d.toFixed(1)).join(', ')})`);

  // 2. Nothing while nothing changes, across two refetch intervals (1 s each) ...
  const before = live.results.length;
  await sleep(2300);
  check(live.results.length === before, 'nothing is sent while nothing changes (2.3 s, two refetch intervals)',
    `${live.results.length - before} more results`);
  // ... while a field that changes on every execution is sent on every tick of the interval.
  const clock = watch(ws, { query: 'subscription { time }' });
  await clock.wait(3, 4000, 'time on the interval');
  const spacing = clock.results[2].at - clock.results[1].at;
  check(spacing > 700 && spacing < 1600, `the refetch interval re-runs it: time updates ${spacing.toFixed(0)} ms apart (interval 1000 ms)`);
  clock.dispose();
  // Posts to another channel do not concern it.
  await post('elsewhere', 'x');
  await sleep(300);
  check(live.results.length === before, 'a post to another channel sends it nothing');

  // 3. query @live over WebSocket, with the interval overridden and a bad interval refused.
  const directive = watch(ws, { query: 'query @live(interval: 0) { recent(channel: "live", limit: 1) { text } }' });
  await directive.wait(1, 5000, '@live initial');
  await post('live', 'm6');
  await directive.wait(2, 5000, '@live update');
  check(JSON.stringify(directive.results.map(texts)) === '[["m5"],["m6"]]', 'query @live over graphql-ws: initial, then the update',
    JSON.stringify(directive.results.map((r) => r.value)));
  directive.dispose();
  const refused = await withTimeout(collect(ws, { query: 'query @live(interval: 1) { hello }' }), 5000, 'bad interval');
  // As for any request that fails before execution: an `error` message (graphql-transport-ws).
  check(refused.results.length === 0 && refused.error?.[0]?.message?.includes('@live(interval:) must be 0 (invalidations only) or between 100 and'),
    'an interval out of bounds is refused with a clear error', JSON.stringify(refused));
  live.dispose();

  // 4. @live over SSE (distinct connections mode).
  const sse = createSseClient({ url: `${server.url}/stream`, singleConnection: false, retryAttempts: 0 });
  const sseLive = watch(sse, { query: 'query @live { recent(channel: "sse-live") { text } }' });
  await sseLive.wait(1, 5000, 'SSE initial');
  await post('sse-live', 'over sse');
  await sseLive.wait(2, 5000, 'SSE update');
  check(JSON.stringify(sseLive.results.map(texts)) === '[[],["over sse"]]', 'query @live over graphql-sse: initial, then the update',
    JSON.stringify(sseLive.results.map((r) => r.value)));
  sseLive.dispose();

  // 5. Patches: a client applying JSON Patch deltas ends with the same data as a full-result client.
  const query = '{ recent(channel: "patch", limit: 5) { id text } }';
  const full = watch(ws, { query: `query @live ${query}` });
  const raw = [];
  const patched = [];
  const patchDone = (async () => {
    const iterator = ws.iterate({ query: `query @live(patch: true) ${query}` });
    async function* recorded() {
      for await (const r of iterator) {
        raw.push(r);
        yield r;
      }
    }
    for await (const r of applyLiveQueryJSONPatch(recorded())) {
      patched.push(r);
      if (r.data?.recent?.[0]?.text === 'p8') break;
    }
  })();
  await full.wait(1, 5000, 'full initial');
  for (let i = 1; i <= 8; i++) {
    await post('patch', `p${i}`);
    await sleep(i % 2 ? 70 : 0);  // some posts apart, some together (then the client sees the latest only)
  }
  await withTimeout(patchDone, 5000, 'patch client');
  for (let i = 0; i < 50 && full.results.at(-1).value.data.recent[0]?.text !== 'p8'; i++) await sleep(20);
  const fullData = full.results.at(-1).value.data;
  check(JSON.stringify(patched.at(-1)?.data) === JSON.stringify(fullData) && fullData.recent.length === 5,
    'the patch client ends with the same data as the full-result client', `${JSON.stringify(patched.at(-1))} vs ${JSON.stringify(fullData)}`);
  check(raw[0]?.revision === 1 && raw[0]?.data && raw.slice(1).every((r, i) => r.revision === i + 2 && Array.isArray(r.patch) && !r.data),
    `the patch client received revision 1 with data, then revisions 2..${raw.length} with patches only`, JSON.stringify(raw));
  const patchBytes = JSON.stringify(raw.at(-1)).length;
  const fullBytes = JSON.stringify(full.results.at(-1).value).length;
  check(patchBytes < fullBytes, `a patch is smaller than the full result (${patchBytes} vs ${fullBytes} bytes)`);
  full.dispose();

  await ws.dispose();
} catch (e) {
  fail(e);
} finally {
  await stopServer(server);
}
console.log(`${failures() === 0 ? 'PASS' : 'FAIL'}: live queries (${failures()} failures)`);
process.exit(failures() === 0 ? 0 : 1);
