// GraphQL over SSE, single connection mode, against `sluice serve --demo`: the graphql-sse client with
// singleConnection, an EventSource (npm eventsource) opening a reserved stream with the token query parameter,
// raw HTTP for every status code of the protocol, the keep-alive comment, both reservation policies, and the
// require-authentication option.
//
// Usage: node tests/conformance/sse_single.mjs --sluice build/release/sluice
import { EventSource } from 'eventsource';
import { createClient } from 'graphql-sse';
import { check, collect, fail, failures, startServer, stopServer, withTimeout } from './server.mjs';

const args = process.argv.slice(2);
const sluice = args[args.indexOf('--sluice') + 1];
const TOKEN = 'x-graphql-event-stream-token';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A raw event stream read with fetch: its status, its events ({event, data}) and keep-alive comments as they come.
async function openStream(url, headers = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const stream = { status: res.status, headers: res.headers, events: [], comments: 0, raw: '', ended: false, body: '' };
  if (res.status !== 200) {
    stream.body = await res.text();
    return stream;
  }
  const waiters = new Set();
  const wake = () => waiters.forEach((w) => w());
  (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        const text = decoder.decode(chunk, { stream: true });
        stream.raw += text;
        buffer += text;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) {
            stream.comments++;
            continue;
          }
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data:(.*)$/m.exec(block)?.[1].trim();
          stream.events.push({ event, data: data ? JSON.parse(data) : null });
        }
        wake();
      }
    } catch {
      // aborted by the test
    }
    stream.ended = true;
    wake();
  })();
  // Resolves once pred(stream) holds; rejects after `ms`.
  stream.until = (pred, ms, what) => withTimeout(new Promise((resolve) => {
    const test = () => {
      if (pred(stream)) {
        waiters.delete(test);
        resolve(stream);
      }
    };
    waiters.add(test);
    test();
  }), ms, what);
  stream.close = () => controller.abort();
  return stream;
}

const reserve = (url, headers = {}) => fetch(url, { method: 'PUT', headers });
const runOp = (url, token, body, headers = {}) => fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', [TOKEN]: token, ...headers },
  body: JSON.stringify(body),
});
const eventsOf = (stream, id) => stream.events.filter((e) => e.data?.id === id);
const completed = (stream, id) => eventsOf(stream, id).some((e) => e.event === 'complete');

const server = await startServer(sluice, ['--demo', '--sse-keep-alive-ms', '300']);
const url = `${server.url}/stream`;
try {
  // The graphql-sse client: operations multiplexed on one reserved stream.
  {
    const client = createClient({ url, singleConnection: true, retryAttempts: 0 });
    const countdown = await withTimeout(collect(client, { query: 'subscription { countdown(from: 3) }' }), 5000, 'countdown');
    check(JSON.stringify(countdown.results.map((r) => r.data.countdown)) === '[3,2,1,0]' && countdown.completed,
      'graphql-sse single: countdown 3, 2, 1, 0, then complete', JSON.stringify(countdown));
    const query = await withTimeout(collect(client, { query: '{ hello(name: "single") }' }), 5000, 'query');
    check(query.results.length === 1 && query.results[0].data.hello === 'Hello, single!' && query.completed,
      'graphql-sse single: a query is one next, then complete', JSON.stringify(query));

    // A subscription stays live while another operation on the same stream fails.
    const got = [];
    const dispose = client.subscribe({ query: 'subscription { messages(channel: "single") { text } }' }, {
      next: (r) => got.push(r.data.messages.text), error: () => {}, complete: () => {},
    });
    const post = (text) => fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { post(channel: "single", text: "${text}") { id } }` }) });
    for (let i = 0; i < 25 && got.length === 0; i++) {
      await post('first');
      for (let j = 0; j < 10 && got.length === 0; j++) await sleep(20);
    }
    check(got.length >= 1 && got.every((t) => t === 'first'), 'graphql-sse single: messages posted over HTTP arrive',
      JSON.stringify(got));
    const failing = await withTimeout(collect(client, { query: 'subscription { failing }' }), 5000, 'failing');
    check(failing.results.length === 2 && failing.results[0].data.failing === 1 && failing.results[1].errors &&
      failing.completed, 'graphql-sse single: a failing source ends its operation with a next carrying errors, then complete',
      JSON.stringify(failing));
    const before = got.length;
    await post('after the failure');
    await withTimeout((async () => { while (got.length === before) await sleep(10); })(), 5000, 'message after failure');
    check(got[got.length - 1] === 'after the failure', 'graphql-sse single: the other operation goes on after one failed',
      JSON.stringify(got));
    const invalid = await withTimeout(collect(client, { query: 'subscription { nope }' }), 5000, 'invalid');
    check(invalid.error !== undefined && invalid.results.length === 0,
      'graphql-sse single: a validation error refuses the operation (400), the client reports it', JSON.stringify(invalid));
    dispose();
    client.dispose();
  }

  // EventSource with the token query parameter; results of an operation posted before the stream opened are
  // queued and arrive once it opens.
  {
    const put = await reserve(url);
    const token = await put.text();
    check(put.status === 201 && put.headers.get('content-type') === 'text/plain; charset=utf-8' && token.length >= 32,
      'PUT reserves a stream: 201 with the token as text/plain', `${put.status} ${put.headers.get('content-type')} ${token}`);
    const early = await runOp(url, token, { query: 'subscription { countdown(from: 2) }', extensions: { operationId: 'early' } });
    check(early.status === 202, 'an operation posted before the stream opens: 202', String(early.status));
    await sleep(100);  // its three events are queued meanwhile
    const seen = await withTimeout(new Promise((resolve, reject) => {
      const source = new EventSource(`${url}?token=${encodeURIComponent(token)}`);
      const events = [];
      source.addEventListener('next', (e) => events.push(JSON.parse(e.data)));
      source.addEventListener('complete', (e) => {
        events.push({ complete: JSON.parse(e.data).id });
        source.close();
        resolve(events);
      });
      source.onerror = (e) => reject(new Error(`EventSource error ${e.message ?? ''}`));
    }), 5000, 'EventSource');
    check(JSON.stringify(seen) === JSON.stringify([
      { id: 'early', payload: { data: { countdown: 2 } } }, { id: 'early', payload: { data: { countdown: 1 } } },
      { id: 'early', payload: { data: { countdown: 0 } } }, { complete: 'early' }]),
    'EventSource (token query parameter): the queued results, in order, then complete {id}', JSON.stringify(seen));
  }

  // Raw HTTP: every status code of the protocol, and the keep-alive comment.
  {
    const notPlain = await reserve(url, { accept: 'application/json' });
    check(notPlain.status === 406, 'PUT with Accept: application/json: 406', String(notPlain.status));
    const token = await (await reserve(url, { accept: 'text/plain' })).text();
    const again = await reserve(url, { [TOKEN]: token });
    check(again.status === 409 && /Stream already registered/.test(await again.text()),
      'a second PUT with a live token: 409 Stream already registered (the default policy)', String(again.status));

    const stream = await openStream(`${url}`, { [TOKEN]: token });
    check(stream.status === 200 && stream.headers.get('content-type') === 'text/event-stream; charset=utf-8',
      'GET with the token and Accept: text/event-stream opens the stream (200)', String(stream.status));
    await stream.until((s) => s.raw.length > 0, 5000, 'first chunk');
    check(stream.raw.startsWith(':\n\n'), 'the stream starts with the keep-alive comment', JSON.stringify(stream.raw));
    await stream.until((s) => s.comments >= 3, 5000, 'keep-alive comments');
    check(stream.comments >= 3, 'keep-alive comments keep coming at the interval (300 ms here)', String(stream.comments));
    const second = await openStream(`${url}?token=${token}`);
    check(second.status === 409 && /Stream already open/.test(second.body), 'a second stream for the reservation: 409 Stream already open',
      `${second.status} ${second.body}`);

    const noId = await runOp(url, token, { query: '{ hello }' });
    check(noId.status === 400 && /operationId/.test(await noId.text()), 'an operation without extensions.operationId: 400',
      String(noId.status));
    const unknown = await runOp(url, 'no-such-token', { query: '{ hello }', extensions: { operationId: 'x' } });
    check(unknown.status === 404 && /Stream not found/.test(await unknown.text()), 'an operation with an unknown token: 404 Stream not found',
      String(unknown.status));
    const html = await runOp(url, token, { query: '{ hello }', extensions: { operationId: 'h' } }, { accept: 'text/html' });
    check(html.status === 406, 'an operation whose Accept allows no JSON: 406', String(html.status));
    const invalid = await runOp(url, token, { query: '{ nope }', extensions: { operationId: 'v' } });
    const invalidBody = await invalid.json();
    check(invalid.status === 400 && /Cannot query field/.test(invalidBody.errors?.[0]?.message),
      'a validation error: 400 with the errors, in the POST answer', JSON.stringify(invalidBody));
    const overGet = await fetch(`${url}?query=${encodeURIComponent('mutation { post(channel: "g", text: "t") { id } }')}` +
      `&extensions=${encodeURIComponent('{"operationId":"g"}')}`, { headers: { [TOKEN]: token } });
    check(overGet.status === 405, 'a mutation over GET: 405', String(overGet.status));

    const live = await runOp(url, token, { query: 'subscription { messages(channel: "raw") { text } }', extensions: { operationId: 'm' } });
    check(live.status === 202, 'a subscription on the stream: 202 Accepted', String(live.status));
    const duplicate = await runOp(url, token, { query: '{ hello }', extensions: { operationId: 'm' } });
    check(duplicate.status === 409 && /already exists/.test(await duplicate.text()),
      'an operation id already running: 409', String(duplicate.status));
    const q = await runOp(url, token, { query: '{ hello }', extensions: { operationId: 'q' } });
    check(q.status === 202, 'a query on the stream: 202', String(q.status));
    await stream.until((s) => completed(s, 'q'), 5000, 'query events');
    check(JSON.stringify(eventsOf(stream, 'q')) === JSON.stringify([
      { event: 'next', data: { id: 'q', payload: { data: { hello: 'Hello, world!' } } } },
      { event: 'complete', data: { id: 'q' } }]), 'the query result is next {id, payload}, then complete {id}',
    JSON.stringify(eventsOf(stream, 'q')));

    const noOpId = await fetch(url, { method: 'DELETE', headers: { [TOKEN]: token } });
    check(noOpId.status === 400, 'DELETE without operationId: 400', String(noOpId.status));
    const noStream = await fetch(`${url}?operationId=m`, { method: 'DELETE', headers: { [TOKEN]: 'no-such-token' } });
    check(noStream.status === 404, 'DELETE with an unknown token: 404', String(noStream.status));
    const noToken = await fetch(`${url}?operationId=m`, { method: 'DELETE' });
    check(noToken.status === 404, 'DELETE without a token: 404', String(noToken.status));
    const stop = await fetch(`${url}?operationId=m`, { method: 'DELETE', headers: { [TOKEN]: token } });
    check(stop.status === 200, 'DELETE ?operationId=: 200', String(stop.status));
    await stream.until((s) => completed(s, 'm'), 5000, 'complete after DELETE');
    check(completed(stream, 'm'), 'the stopped operation gets complete {id} on the stream');
    const stopUnknown = await fetch(`${url}?operationId=never`, { method: 'DELETE', headers: { [TOKEN]: token } });
    check(stopUnknown.status === 200, 'DELETE of an operation that is not running: 200 (as the reference)', String(stopUnknown.status));
    const patch = await fetch(url, { method: 'PATCH', headers: { [TOKEN]: token } });
    check(patch.status === 405 && patch.headers.get('allow') === 'GET, POST, PUT, DELETE',
      'another method: 405 with Allow: GET, POST, PUT, DELETE', `${patch.status} ${patch.headers.get('allow')}`);

    // The client leaves: the reservation is gone (a client reserves again to reconnect).
    stream.close();
    let after;
    for (let i = 0; i < 50; i++) {
      after = await runOp(url, token, { query: '{ hello }', extensions: { operationId: `gone${i}` } });
      if (after.status === 404) break;
      await sleep(20);
    }
    check(after.status === 404, 'after the stream closed, its token is unknown: 404', String(after.status));
  }
} catch (e) {
  fail(e);
} finally {
  const code = await stopServer(server);
  check(code === 0, `the server exits cleanly on SIGTERM (${code})`);
}

// The replace policy: a second PUT with the live token ends the old stream and answers a new token.
{
  const replacing = await startServer(sluice, ['--demo', '--sse-reservation-policy', 'replace']);
  const rurl = `${replacing.url}/stream`;
  try {
    const first = await (await reserve(rurl)).text();
    const stream = await openStream(rurl, { [TOKEN]: first });
    const live = await runOp(rurl, first, { query: 'subscription { messages(channel: "r") { text } }', extensions: { operationId: 'r' } });
    const put = await reserve(rurl, { [TOKEN]: first });
    const second = await put.text();
    check(live.status === 202 && put.status === 201 && second !== first, 'replace: a second PUT gets 201 and a new token',
      `${put.status} ${second}`);
    await stream.until((s) => s.ended, 5000, 'old stream ends');
    check(stream.ended, 'replace: the old stream ends');
    const old = await runOp(rurl, first, { query: '{ hello }', extensions: { operationId: 'o' } });
    check(old.status === 404, 'replace: the old token is unknown (404)', String(old.status));
    const fresh = await openStream(rurl, { [TOKEN]: second });
    check(fresh.status === 200, 'replace: the new token opens a stream', String(fresh.status));
    fresh.close();
  } catch (e) {
    fail(e);
  } finally {
    await stopServer(replacing);
  }
}

// Required authentication: single connection mode only with the token; the graphql-sse client sends it.
{
  const secured = await startServer(sluice, ['--demo', '--demo-token', 's3cret', '--sse-require-auth']);
  const surl = `${secured.url}/stream`;
  const auth = { authorization: 'Bearer s3cret' };
  try {
    const anonymous = await reserve(surl);
    check(anonymous.status === 401, 'require auth: a PUT without credentials is 401', String(anonymous.status));
    const put = await reserve(surl, auth);
    check(put.status === 201, 'require auth: a PUT with the token is 201', String(put.status));
    const client = createClient({ url: surl, singleConnection: true, retryAttempts: 0, headers: auth });
    const values = await withTimeout(new Promise((resolve) => {
      const results = [];
      client.subscribe({ query: 'subscription { countdown(from: 1) }' }, {
        next: (r) => results.push(r.data?.countdown), error: (e) => resolve(String(e)), complete: () => resolve(results),
      });
    }), 5000, 'authenticated client');
    check(JSON.stringify(values) === '[1,0]', 'require auth: the graphql-sse client with the token runs a subscription',
      JSON.stringify(values));
    client.dispose();
  } catch (e) {
    fail(e);
  } finally {
    await stopServer(secured);
  }
}
process.exit(failures() ? 1 : 0);
