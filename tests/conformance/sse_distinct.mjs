// GraphQL over SSE, distinct connections mode, against `sluice serve --demo`: the graphql-sse client, an
// EventSource (npm eventsource) with a GET query, and the raw stream (keep-alive comment first, errors as events).
//
// Usage: node tests/conformance/sse_distinct.mjs --sluice build/release/sluice
import { EventSource } from 'eventsource';
import { createClient } from 'graphql-sse';
import { check, collect, fail, failures, startServer, stopServer, withTimeout } from './server.mjs';

const args = process.argv.slice(2);
const sluice = args[args.indexOf('--sluice') + 1];
const server = await startServer(sluice, ['--demo']);

try {
  // The graphql-sse client in distinct connections mode.
  const client = createClient({ url: `${server.url}/stream`, singleConnection: false, retryAttempts: 0 });
  const countdown = await withTimeout(collect(client, { query: 'subscription { countdown(from: 3) }' }), 5000, 'countdown');
  check(JSON.stringify(countdown.results.map((r) => r.data.countdown)) === '[3,2,1,0]' && countdown.completed,
    'graphql-sse: countdown 3, 2, 1, 0, then complete', JSON.stringify(countdown));
  const query = await withTimeout(collect(client, { query: '{ hello(name: "sse") }' }), 5000, 'query');
  check(query.results.length === 1 && query.results[0].data.hello === 'Hello, sse!' && query.completed,
    'graphql-sse: a query is one next, then complete', JSON.stringify(query));
  const mutation = await withTimeout(collect(client, { query: 'mutation { post(channel: "s", text: "x") { text } }' }), 5000, 'mutation');
  check(mutation.results[0]?.data?.post?.text === 'x' && mutation.completed, 'graphql-sse: a mutation', JSON.stringify(mutation));
  const invalid = await withTimeout(collect(client, { query: 'subscription { nope }' }), 5000, 'invalid');
  check(invalid.results.length === 1 && /Cannot query field/.test(invalid.results[0].errors?.[0]?.message) &&
    invalid.completed, 'graphql-sse: a validation error is a next event on an accepted stream', JSON.stringify(invalid));
  const failing = await withTimeout(collect(client, { query: 'subscription { failing }' }), 5000, 'failing');
  check(failing.results.length === 2 && failing.results[0].data.failing === 1 && failing.results[1].errors &&
    failing.completed, 'graphql-sse: a failing source ends with a next carrying errors, then complete',
    JSON.stringify(failing));

  // Messages posted over HTTP reach an SSE subscriber.
  const got = [];
  const dispose = client.subscribe({ query: 'subscription { messages(channel: "sse") { text } }' }, {
    next: (r) => got.push(r.data.messages.text), error: () => {}, complete: () => {},
  });
  // Posted until the first arrives (the stream may take a moment to be in place on a busy machine).
  for (let i = 0; i < 25 && got.length === 0; i++) {
    await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { post(channel: "sse", text: "hello sse") { id } }' }) });
    for (let j = 0; j < 10 && got.length === 0; j++) await new Promise((r) => setTimeout(r, 20));
  }
  check(got.length >= 1 && got.every((t) => t === 'hello sse'), 'graphql-sse: messages posted over HTTP arrive',
    JSON.stringify(got));
  dispose();

  // EventSource: GET with the query in the URL.
  const values = await withTimeout(new Promise((resolve, reject) => {
    const url = `${server.url}?query=${encodeURIComponent('subscription { countdown(from: 2) }')}`;
    const source = new EventSource(url);
    const seen = [];
    source.addEventListener('next', (e) => seen.push(JSON.parse(e.data).data.countdown));
    source.addEventListener('complete', () => {
      source.close();
      resolve(seen);
    });
    source.onerror = (e) => reject(new Error(`EventSource error ${e.message ?? ''}`));
  }), 5000, 'EventSource');
  check(JSON.stringify(values) === '[2,1,0]', 'EventSource: next events, then complete', JSON.stringify(values));

  // The raw stream: headers, the keep-alive comment first.
  const res = await fetch(`${server.url}?query=${encodeURIComponent('{ hello }')}`, { headers: { accept: 'text/event-stream' } });
  const text = await res.text();
  check(res.status === 200 && res.headers.get('content-type') === 'text/event-stream; charset=utf-8',
    'raw: 200 text/event-stream', `${res.status} ${res.headers.get('content-type')}`);
  check(text === ':\n\nevent: next\ndata: {"data":{"hello":"Hello, world!"}}\n\nevent: complete\ndata:\n\n',
    'raw: keep-alive comment, next, complete (with its empty data line)', JSON.stringify(text));
  const bad = await fetch(`${server.url}?variables=%7B`, { headers: { accept: 'text/event-stream' } });
  check(bad.status === 400, 'raw: malformed parameters are a 400, not a stream', String(bad.status));
  const mutationOverGet = await fetch(`${server.url}?query=${encodeURIComponent('mutation { post(channel: "a", text: "b") { id } }')}`,
    { headers: { accept: 'text/event-stream' } });
  check(mutationOverGet.status === 405 && mutationOverGet.headers.get('allow') === 'POST', 'raw: a mutation over GET is 405',
    String(mutationOverGet.status));
} catch (e) {
  fail(e);
} finally {
  const code = await stopServer(server);
  check(code === 0, `the server exits cleanly on SIGTERM (${code})`);
}
process.exit(failures() ? 1 : 0);
