// GraphQL over WebSocket, raw frames against `sluice serve --demo`: subprotocol choice, every close code of
// graphql-transport-ws, the legacy protocol's rules, keep-alive, shutdown with 1001, and the send-queue cap.
//
// Usage: node tests/conformance/ws_raw.mjs --sluice build/release/sluice
import WebSocket from 'ws';
import { check, fail, failures, startServer, stopServer } from './server.mjs';

const args = process.argv.slice(2);
const sluice = args[args.indexOf('--sluice') + 1];

// A socket that records messages and its close; `next(pred)` waits for a message matching pred.
async function open(url, protocols, options = {}) {
  const socket = new WebSocket(url, protocols, options);
  const messages = [];
  const waiters = [];
  let closeInfo = null;
  const closed = new Promise((resolve) => {
    socket.on('close', (code, reason) => {
      closeInfo = { code, reason: reason.toString() };
      resolve(closeInfo);
      for (const w of waiters.splice(0)) w.resolve(null);
    });
  });
  socket.on('error', () => {});
  socket.on('message', (data) => {
    const m = JSON.parse(data.toString());
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no open in 3000 ms')), 3000);
    socket.on('open', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('unexpected-response', (_, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
  const timeout = (ms, value) => new Promise((r) => setTimeout(() => r(value), ms));
  return {
    socket,
    messages,
    send: (m) => socket.send(typeof m === 'string' ? m : JSON.stringify(m)),
    next: (pred, ms = 3000) => {
      const found = messages.find(pred);
      if (found) return Promise.resolve(found);
      return Promise.race([new Promise((resolve) => waiters.push({ pred, resolve })), timeout(ms, null)]);
    },
    closed: (ms = 3000) => Promise.race([closed, timeout(ms, null)]),
    closeInfo: () => closeInfo,
  };
}

// Does `act` every 200 ms until `done()` gives something (at most 5 s): for a subscription that may take a moment
// to be in place on a busy machine.
async function until(act, done) {
  for (let i = 0; i < 25; i++) {
    await act();
    for (let j = 0; j < 10; j++) {
      const found = done();
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return done();
}

const server = await startServer(sluice, ['--demo', '--ws-init-timeout-ms', '300', '--ws-keep-alive-ms', '200',
  '--ws-max-send-queue', '65536']);
const url = server.url.replace(/^http/, 'ws');
const TWS = 'graphql-transport-ws';
const post = (channel, text) => fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: 'mutation($c: String!, $t: String!) { post(channel: $c, text: $t) { id } }', variables: { c: channel, t: text } }) });

try {
  // Subprotocols
  {
    // No subprotocol in common: the upgrade succeeds without one and the close says why.
    const c = await open(url, []);
    const closed = await c.closed();
    check(closed?.code === 4406, 'no subprotocol: closed with 4406', JSON.stringify(closed));
    const refused = await open(url, ['foo']).then(() => 'opened', (e) => e.message);
    check(/subprotocol/i.test(refused), 'an unknown subprotocol: the client sees none chosen and fails', refused);
  }
  {
    const c = await open(url, ['graphql-ws', TWS]);
    check(c.socket.protocol === TWS, 'graphql-transport-ws is chosen when offered with graphql-ws', c.socket.protocol);
    c.socket.close();
    const legacy = await open(url, ['graphql-ws']);
    check(legacy.socket.protocol === 'graphql-ws', 'graphql-ws alone gives the legacy protocol', legacy.socket.protocol);
    legacy.socket.close();
  }

  // graphql-transport-ws close codes
  const closeCase = async (what, code, steps) => {
    const c = await open(url, [TWS]);
    await steps(c);
    const closed = await c.closed();
    check(closed?.code === code, `${what}: close ${code}`, JSON.stringify(closed));
  };
  await closeCase('not JSON', 4400, async (c) => c.send('{nope'));
  await closeCase('an unknown type', 4400, async (c) => c.send({ type: 'hello' }));
  await closeCase('subscribe before connection_init', 4401, async (c) =>
    c.send({ id: '1', type: 'subscribe', payload: { query: '{ hello }' } }));
  await closeCase('a second connection_init', 4429, async (c) => {
    c.send({ type: 'connection_init' });
    await c.next((m) => m.type === 'connection_ack');
    c.send({ type: 'connection_init' });
  });
  await closeCase('a duplicate active id', 4409, async (c) => {
    c.send({ type: 'connection_init' });
    await c.next((m) => m.type === 'connection_ack');
    c.send({ id: 'a', type: 'subscribe', payload: { query: 'subscription { messages(channel: "dup") { id } }' } });
    c.send({ id: 'a', type: 'subscribe', payload: { query: 'subscription { countdown }' } });
  });
  await closeCase('no connection_init in time', 4408, async () => {});

  {
    const c = await open(url, [TWS]);
    c.send({ type: 'ping', payload: { n: 1 } });
    const pong = await c.next((m) => m.type === 'pong');
    check(pong?.payload?.n === 1, 'ping before init is answered with pong (payload echoed)', JSON.stringify(pong));
    c.send({ type: 'connection_init', payload: { token: 'x' } });
    check(!!(await c.next((m) => m.type === 'connection_ack')), 'connection_init is acknowledged');
    // A subscription the client completes: nothing more for that id.
    c.send({ id: 's', type: 'subscribe', payload: { query: 'subscription { messages(channel: "raw") { text } }' } });
    const first = await until(() => post('raw', 'first'), () => c.messages.find((m) => m.id === 's' && m.type === 'next'));
    check(first?.payload?.data?.messages?.text === 'first', 'a message arrives as next', JSON.stringify(first));
    c.send({ id: 's', type: 'complete' });
    await new Promise((r) => setTimeout(r, 100));
    const before = c.messages.filter((m) => m.id === 's').length;
    await post('raw', 'second');
    await new Promise((r) => setTimeout(r, 300));
    check(c.messages.filter((m) => m.id === 's').length === before, 'nothing is sent after the client completes');
    // A syntax error: an error message, the connection stays.
    c.send({ id: 'x', type: 'subscribe', payload: { query: '{' } });
    const err = await c.next((m) => m.id === 'x');
    check(err?.type === 'error' && /Syntax Error/.test(err.payload?.[0]?.message), 'a syntax error is an error message',
      JSON.stringify(err));
    c.send({ id: 'q', type: 'subscribe', payload: { query: '{ hello }' } });
    const q = await c.next((m) => m.id === 'q' && m.type === 'complete');
    check(!!q && c.messages.some((m) => m.id === 'q' && m.type === 'next'), 'a query: next then complete');
    c.socket.close(1000);
  }

  // The legacy protocol
  {
    const c = await open(url, ['graphql-ws']);
    // start right behind connection_init, before the ack (as the official client does)
    c.send({ type: 'connection_init', payload: {} });
    c.send({ id: '1', type: 'start', payload: { query: 'subscription { countdown(from: 1) }' } });
    const done = await c.next((m) => m.id === '1' && m.type === 'complete');
    const types = c.messages.map((m) => m.type);
    check(types[0] === 'connection_ack' && types[1] === 'ka', 'legacy: connection_ack, then ka at once', types.join(','));
    check(!!done && c.messages.filter((m) => m.id === '1' && m.type === 'data').length === 2,
      'legacy: a start before the ack is queued, then data, data, complete', JSON.stringify(c.messages));
    const before = c.messages.filter((m) => m.type === 'ka').length;
    await new Promise((r) => setTimeout(r, 500));
    check(c.messages.filter((m) => m.type === 'ka').length > before, 'legacy: ka keeps coming at its interval');
    c.send({ id: '2', type: 'start', payload: { query: 'subscription { messages(channel: "legacy") { text } }' } });
    await new Promise((r) => setTimeout(r, 100));
    c.send({ id: '2', type: 'stop' });
    const stopped = await c.next((m) => m.id === '2' && m.type === 'complete');
    check(!!stopped, 'legacy: stop is answered with complete');
    c.send('{nope');
    const error = await c.next((m) => m.type === 'connection_error');
    check(!!error && c.closeInfo() === null, 'legacy: bad JSON gets connection_error and the connection stays');
    c.send({ type: 'connection_terminate' });
    const closed = await c.closed();
    check(!!closed, 'legacy: connection_terminate closes', JSON.stringify(closed));
  }

  // A slow reader: the send queue is capped (65536 bytes here), the client is closed with 1008.
  {
    const c = await open(url, [TWS]);
    c.send({ type: 'connection_init' });
    await c.next((m) => m.type === 'connection_ack');
    c.send({ id: 'big', type: 'subscribe', payload: { query: 'subscription { messages(channel: "flood") { text } }' } });
    // The subscription is live once a probe comes through.
    await until(() => post('flood', 'probe'), () => c.messages.find((m) => m.id === 'big'));
    c.socket._socket.pause();  // stop reading
    const text = 'x'.repeat(400 * 1024);
    for (let i = 0; i < 16; i++) await post('flood', text);
    await new Promise((r) => setTimeout(r, 1000));
    c.socket._socket.resume();
    const closed = await c.closed(8000);
    const got = c.messages.filter((m) => m.id === 'big').length - 1;  // less the probe
    check(closed?.code === 1008 && got < 16, `a slow reader is closed with 1008 (it had received ${got} of 16)`, JSON.stringify(closed));
  }

  // Shutdown: open sockets are closed with 1001 after their operations are stopped.
  {
    const c = await open(url, [TWS]);
    c.send({ type: 'connection_init' });
    await c.next((m) => m.type === 'connection_ack');
    c.send({ id: 'live', type: 'subscribe', payload: { query: 'subscription { messages(channel: "bye") { text } }' } });
    await new Promise((r) => setTimeout(r, 100));
    const code = await stopServer(server);
    const closed = await c.closed();
    check(closed?.code === 1001, 'on SIGTERM the socket is closed with 1001', JSON.stringify(closed));
    check(code === 0, `the server exits cleanly (${code})`);
  }
  // The demo's authentication (--demo-token): the token in connection_init, or in a cookie from an allowed origin.
  const secured = await startServer(sluice, ['--demo', '--demo-token', 's3cret', '--cors-origin', 'https://app.example']);
  try {
    const surl = secured.url.replace(/^http/, 'ws');
    const refuse = await open(surl, [TWS]);
    refuse.send({ type: 'connection_init', payload: { token: 'wrong' } });
    check((await refuse.closed())?.code === 4403, 'auth: a wrong token is closed with 4403');
    const byParam = await open(surl, [TWS]);
    byParam.send({ type: 'connection_init', payload: { token: 's3cret' } });
    check(!!(await byParam.next((m) => m.type === 'connection_ack')), 'auth: the token in connection_init is accepted');
    byParam.socket.close();
    const byCookie = await open(surl, [TWS], { origin: 'https://app.example', headers: { cookie: 'sluice_token=s3cret' } });
    byCookie.send({ type: 'connection_init' });
    check(!!(await byCookie.next((m) => m.type === 'connection_ack')), 'auth: the cookie from an allowed origin is accepted');
    byCookie.socket.close();
    const crossSite = await open(surl, [TWS], { origin: 'https://evil.example', headers: { cookie: 'sluice_token=s3cret' } });
    crossSite.send({ type: 'connection_init' });
    check((await crossSite.closed())?.code === 4403, 'auth: the cookie from another origin is not read (4403)');
    const legacy = await open(surl, ['graphql-ws']);
    legacy.send({ type: 'connection_init', payload: {} });
    const error = await legacy.next((m) => m.type === 'connection_error');
    const closed = await legacy.closed();
    check(/token/.test(error?.payload?.message) && closed?.code === 1011,
      'auth: the legacy protocol gets connection_error with the reason, then 1011', JSON.stringify({ error, closed }));
  } finally {
    await stopServer(secured);
  }
} catch (e) {
  fail(e);
} finally {
  await stopServer(server);
}
process.exit(failures() ? 1 : 0);
