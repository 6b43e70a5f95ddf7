// Two `sluice serve --demo` nodes sharing a real Redis (started here on a free loopback port, in a temporary
// directory, and stopped at the end): an event published on node B reaches a graphql-ws client on node A; the
// backends' API (/v1/notify, /v1/publish) sent to B reaches A, and a push reaches only its user; an SSE reservation
// made on A serves an operation posted to B; Redis restarted
// mid-stream, the subscription resumes within 2 seconds and node A reports the gap.
//
// Usage: node tests/conformance/cluster.mjs --sluice build/release/sluice
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { check, fail, failures, startServer, stopServer, withTimeout } from './server.mjs';

const args = process.argv.slice(2);
const sluice = args[args.indexOf('--sluice') + 1];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TOKEN = 's3cret';
const SECRET = 'adm1n';

async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

// A redis-server of our own; start() waits (bounded) until it accepts connections.
function redisServer(port, dir) {
  let child;
  return {
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
        '--dir', dir], { stdio: 'ignore' });
      for (let i = 0; i < 100; i++) {
        const up = await new Promise((resolve) => {
          const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
          s.on('error', () => resolve(false));
        });
        if (up) return;
        await sleep(50);
      }
      throw new Error(`redis-server did not start on port ${port}`);
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'sluice-cluster-'));
const redisPort = await freePort();
const redis = redisServer(redisPort, dir);
await redis.start();
const redisUrl = `redis://127.0.0.1:${redisPort}`;
const nodeArgs = ['--demo', '--demo-token', TOKEN, '--admin-secret', SECRET, '--redis', redisUrl, '--threads', '2'];
const a = await startServer(sluice, nodeArgs);
const b = await startServer(sluice, nodeArgs);

// A graphql-ws client of node A as `user`, with one subscription; its results as they come.
function subscriber(user, query) {
  const client = createClient({ url: a.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0,
    connectionParams: { token: TOKEN, user } });
  const results = [];
  client.subscribe({ query }, { next: (r) => results.push(r), error: (e) => results.push({ error: String(e) }), complete: () => {} });
  return { client, results };
}
const postOnB = (channel, text) => fetch(b.url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
  body: JSON.stringify({ query: `mutation { post(channel: "${channel}", text: "${text}") { id } }` }),
});
const admin = (node, path, body) => fetch(`${node.url.replace(/\/graphql$/, '')}${path}`, {
  method: 'POST', headers: { 'content-type': 'application/json', 'x-sluice-admin-secret': SECRET }, body: JSON.stringify(body),
});
// Repeats `send` (bounded) until `results` has more than `seen` entries; whether it did.
async function until(results, seen, send, tries = 50) {
  for (let i = 0; i < tries && results.length <= seen; i++) {
    await send();
    for (let j = 0; j < 5 && results.length <= seen; j++) await sleep(20);
  }
  return results.length > seen;
}

try {
  // An event published on node B reaches a subscriber on node A.
  const chat = subscriber('alice', 'subscription { messages(channel: "cluster") { text } }');
  check(await until(chat.results, 0, () => postOnB('cluster', 'from b')) &&
    chat.results[0].data?.messages?.text === 'from b', 'a mutation on node B reaches a subscriber on node A',
  JSON.stringify(chat.results));

  // /v1/publish on node B reaches node A.
  const before = chat.results.length;
  const published = await admin(b, '/v1/publish', { topic: 'demo:messages:cluster', payload: { id: 'p', channel: 'cluster', text: 'published' } });
  check(published.status === 200, '/v1/publish answers 200', String(published.status));
  await withTimeout((async () => { while (chat.results.length === before) await sleep(10); })(), 5000, 'published event');
  check(chat.results[before].data?.messages?.text === 'published', '/v1/publish on node B reaches node A',
    JSON.stringify(chat.results));

  // A live query on node A is invalidated by an event published on node B (through Redis): `time` depends on the
  // topic demo:clock, and with interval 0 only invalidations re-run it.
  {
    const clock = subscriber('alice', 'query @live(interval: 0) { time }');
    await withTimeout((async () => { while (clock.results.length === 0) await sleep(10); })(), 5000, 'live initial');
    const invalidated = await until(clock.results, 1, () => admin(b, '/v1/publish', { topic: 'demo:clock', payload: {} }));
    check(invalidated && clock.results[1].data?.time > clock.results[0].data?.time,
      'an invalidation published on node B re-runs a live query on node A', JSON.stringify(clock.results));
    await clock.client.dispose();
  }

  // /v1/notify on node B reaches alice's subscription named Inbox on node A, and not bob's.
  const inbox = 'subscription Inbox { messages(channel: "nobody-posts-here") { text } }';
  const alice = subscriber('alice', inbox);
  const bob = subscriber('bob', inbox);
  const push = (user, text) => admin(b, '/v1/notify', { user, operationName: 'Inbox', rootValue: { id: 'n', channel: 'x', text } });
  check(await until(alice.results, 0, () => push('alice', 'for alice')) &&
    alice.results.every((r) => r.data?.messages?.text === 'for alice'),
  '/v1/notify on node B reaches the user\'s subscription on node A', JSON.stringify(alice.results));
  check(await until(bob.results, 0, () => push('bob', 'for bob')) && bob.results[0].data?.messages?.text === 'for bob',
    'the push for alice did not reach bob (his first result is his own push)', JSON.stringify(bob.results));
  const unauthorized = await fetch(`${b.url.replace(/\/graphql$/, '')}/v1/notify`, { method: 'POST', body: '{}' });
  check(unauthorized.status === 401, '/v1/notify without the secret: 401', String(unauthorized.status));

  // Single-connection SSE across nodes: reserved and streamed on node A, the operation posted to (and stopped on)
  // node B.
  {
    const auth = { authorization: `Bearer ${TOKEN}`, 'x-demo-user': 'carol' };
    const put = await fetch(`${a.url}/stream`, { method: 'PUT', headers: auth });
    const token = await put.text();
    check(put.status === 201 && token.includes('~'), 'SSE: node A reserves a stream (its token names its home)', `${put.status} ${token}`);
    const controller = new AbortController();
    const stream = await fetch(`${a.url}/stream`, {
      headers: { ...auth, accept: 'text/event-stream', 'x-graphql-event-stream-token': token }, signal: controller.signal });
    let text = '';
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of stream.body) text += decoder.decode(chunk, { stream: true });
      } catch {
        // aborted below
      }
    })();
    const waitFor = (what) => withTimeout((async () => { while (!text.includes(what)) await sleep(10); })(), 5000, what);
    const op = await fetch(`${b.url}/stream`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'x-graphql-event-stream-token': token },
      body: JSON.stringify({ query: 'subscription { messages(channel: "sse-cluster") { text } }', extensions: { operationId: 'op1' } }),
    });
    check(op.status === 202, 'SSE: the operation posted to node B is accepted (202)', String(op.status));
    let delivered = false;
    for (let i = 0; i < 50 && !delivered; i++) {
      await postOnB('sse-cluster', 'across nodes');
      delivered = await waitFor('across nodes').then(() => true, () => false);
    }
    check(delivered && text.includes('{"id":"op1","payload":{"data":{"messages":{"text":"across nodes"}}}}'),
      'SSE: its events reach the stream on node A', JSON.stringify(text));
    const stop = await fetch(`${b.url}/stream?operationId=op1`, { method: 'DELETE', headers: { ...auth, 'x-graphql-event-stream-token': token } });
    check(stop.status === 200, 'SSE: DELETE on node B answers 200', String(stop.status));
    await waitFor('event: complete\ndata: {"id":"op1"}').catch(() => {});
    check(text.includes('event: complete\ndata: {"id":"op1"}'), 'SSE: the stream on node A gets complete {id}', JSON.stringify(text));
    controller.abort();
    await reading;
  }

  // Redis restarts mid-stream: within 2 seconds events flow again, and node A reports the gap.
  await redis.stop();
  await sleep(300);
  await redis.start();
  const restarted = Date.now();
  const seen = chat.results.length;
  const resumed = await until(chat.results, seen, () => postOnB('cluster', 'after restart').catch(() => {}), 100);
  const took = Date.now() - restarted;
  check(resumed && took < 2000 && chat.results[seen].data?.messages?.text === 'after restart',
    `after a Redis restart the subscription resumes within 2 s (${took} ms)`, JSON.stringify(chat.results.slice(seen)));
  check(/gap|not received/i.test(a.stdout()), 'node A reports the gap in its log', a.stdout());
  for (const s of [chat, alice, bob]) s.client.dispose();
} catch (e) {
  fail(e);
} finally {
  const codes = [await stopServer(a), await stopServer(b)];
  check(codes.every((c) => c === 0), `both nodes exit cleanly (${codes})`);
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failures() ? 1 : 0);
