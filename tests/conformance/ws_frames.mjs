// WebSocket framing at the byte level (RFC 6455 after the opening handshake), over a raw node:net socket with
// hand-built frames: the handshake, control frames, fragmentation, partial frames, bursts of server frames, the
// close handshake both ways, every framing error's close code, the message size limit, and keep-alive pings.
//
// Usage: node tests/conformance/ws_frames.mjs --sluice build/release/sluice
import crypto from 'node:crypto';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { check, fail, failures, startServer, stopServer } from './server.mjs';

const args = process.argv.slice(2);
const sluice = args[args.indexOf('--sluice') + 1];
const TWS = 'graphql-transport-ws';
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP = { cont: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const hex = (b) => Buffer.from(b).toString('hex').replace(/(..)(?!$)/g, '$1 ');
const badServerFrames = [];  // server frames that were masked or had RSV bits set (asserted once at the end)

// One client frame, masked unless mask is false; the length takes 7, 16 or 64 bits as the payload needs.
function frame({ opcode, payload = Buffer.alloc(0), fin = true, mask = true, rsv = 0, key }) {
  payload = Buffer.from(payload);
  const n = payload.length;
  const head = Buffer.from([(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0xf), mask ? 0x80 : 0]);
  let ext = Buffer.alloc(0);
  if (n < 126) {
    head[1] |= n;
  } else if (n <= 0xffff) {
    head[1] |= 126;
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(n);
  } else {
    head[1] |= 127;
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(n));
  }
  if (!mask) return Buffer.concat([head, ext, payload]);
  key = Buffer.from(key ?? crypto.randomBytes(4));
  return Buffer.concat([head, ext, key, Buffer.from(payload.map((b, i) => b ^ key[i % 4]))]);
}
const closePayload = (code, reason = '') => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(code);
  return Buffer.concat([b, Buffer.from(reason)]);
};
const closeOf = (f) => f && { code: f.payload.length >= 2 ? f.payload.readUInt16BE(0) : null, reason: f.payload.subarray(2).toString() };
const show = (f) => ({ fin: f.fin, opcode: f.opcode, payload: f.opcode === OP.close ? closeOf(f) : f.payload.toString().slice(0, 200) });

// A raw client: the upgrade request, then the server's frames ({fin, rsv, opcode, masked, payload, at}) parsed from
// the byte stream as it comes. next(pred) takes the first unread frame matching pred (passing over the others),
// ended(ms) gives the time the TCP connection ended; every wait is bounded.
async function connect(url, { protocol = TWS, autoPong = false } = {}) {
  const u = new URL(url);
  const sock = net.connect({ host: '127.0.0.1', port: Number(u.port) });
  sock.setNoDelay(true);
  const key = crypto.randomBytes(16).toString('base64');
  const c = { key, frames: [], chunks: [], cursor: 0, sent: [], status: 0, headers: {}, endedAt: null, error: null };
  let buf = Buffer.alloc(0);
  let upgraded = false;
  const waiters = new Set();
  c.until = (test, ms) => new Promise((resolve) => {
    const w = () => {
      const v = test();
      if (v === undefined) return;
      waiters.delete(w);
      clearTimeout(timer);
      resolve(v);
    };
    const timer = setTimeout(() => (waiters.delete(w), resolve(null)), ms);
    waiters.add(w);
    w();
  });
  const changed = () => { for (const w of [...waiters]) w(); };
  const parse = () => {
    for (;;) {
      if (buf.length < 2) return;
      const fin = (buf[0] & 0x80) !== 0, rsv = (buf[0] >> 4) & 7, opcode = buf[0] & 0xf, masked = (buf[1] & 0x80) !== 0;
      let len = buf[1] & 0x7f, off = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        len = Number(buf.readBigUInt64BE(2));
        off = 10;
      }
      if (masked) off += 4;
      if (buf.length < off + len) return;
      let payload = Buffer.from(buf.subarray(off, off + len));
      if (masked) payload = Buffer.from(payload.map((b, i) => b ^ buf[off - 4 + (i % 4)]));
      buf = buf.subarray(off + len);
      const f = { fin, rsv, opcode, masked, payload, at: Date.now() };
      if (masked || rsv) badServerFrames.push(f);
      c.frames.push(f);
      c.chunks.at(-1).frames++;
      if (autoPong && opcode === OP.ping) c.send({ opcode: OP.pong, payload });
    }
  };
  sock.on('data', (d) => {
    c.chunks.push({ bytes: d.length, frames: 0 });
    buf = Buffer.concat([buf, d]);
    if (!upgraded) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [status, ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
      c.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(status)?.[1] ?? 0);
      for (const l of lines) c.headers[l.slice(0, l.indexOf(':')).trim().toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      buf = buf.subarray(end + 4);
      upgraded = true;
    }
    parse();
    changed();
  });
  const gone = () => { c.endedAt ??= Date.now(); changed(); };
  sock.on('end', gone);
  sock.on('close', gone);
  sock.on('error', (e) => { c.error = e.code; gone(); });
  Object.assign(c, {
    sendRaw: (bytes) => { c.sent.push(hex(bytes)); sock.write(bytes); },
    send: (f) => c.sendRaw(frame(f)),
    text: (s) => c.send({ opcode: OP.text, payload: typeof s === 'string' ? s : JSON.stringify(s) }),
    trickle: async (bytes) => {  // one byte at a time, 1 or 2 ms apart
      c.sent.push(hex(bytes));
      for (let i = 0; i < bytes.length; i++) {
        sock.write(bytes.subarray(i, i + 1));
        await sleep(1 + (i % 2));
      }
    },
    next: (pred = () => true, ms = 3000) => c.until(() => {
      const i = c.frames.findIndex((f, j) => j >= c.cursor && pred(f));
      if (i >= 0) {
        c.cursor = i + 1;
        return c.frames[i];
      }
      return c.endedAt ? null : undefined;
    }, ms),
    message: (pred = () => true, ms = 3000) => c.next((f) => f.opcode === OP.text && pred(JSON.parse(f.payload)), ms),
    closeFrame: (ms = 3000) => c.next((f) => f.opcode === OP.close, ms),
    ended: (ms = 3000) => c.until(() => c.endedAt ?? undefined, ms),
    destroy: () => sock.destroy(),
    pause: () => sock.pause(),  // nothing is read until resume() (the server's writes back up)
    resume: () => sock.resume(),
    // Writes `bytes` again and again (waiting for drain, each wait bounded) until `limit` bytes are sent, `seconds`
    // pass or the socket ends.
    flood: async (bytes, limit, seconds) => {
      const end = Date.now() + seconds * 1000;
      let sent = 0;
      while (sent < limit && Date.now() < end && !sock.destroyed && c.endedAt === null) {
        if (!sock.write(bytes)) await new Promise((r) => { sock.once('drain', r); setTimeout(r, 200); });
        sent += bytes.length;
      }
      return sent;
    },
    // What was sent and what came back, for a failure's detail.
    trace: () => JSON.stringify({ sent: c.sent, got: c.frames.map(show), ended: c.endedAt !== null, error: c.error }),
  });
  sock.write(`GET ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`);
  if (!(await c.until(() => (upgraded ? true : c.endedAt ? false : undefined), 3000)))
    throw new Error(`no answer to the upgrade (${c.error ?? 'nothing'})`);
  return c;
}

// A connection past connection_init (the ack received).
async function initialized(url, options) {
  const c = await connect(url, options);
  c.text({ type: 'connection_init' });
  if (!(await c.message((m) => m.type === 'connection_ack'))) throw new Error(`no connection_ack: ${c.trace()}`);
  return c;
}

// Sends what `act` sends on a fresh connection; the server must close with `code`, then end the TCP connection
// within 1 s: by itself (a framing error), or once our close answers its own (`answer`).
async function closeCase(what, url, code, act, { init = false, answer = false } = {}) {
  const c = init ? await initialized(url) : await connect(url);
  await act(c);
  const f = await c.closeFrame();
  if (f && answer) c.send({ opcode: OP.close, payload: f.payload });
  const from = Date.now();
  const ended = f && (await c.ended(1500));
  check(closeOf(f)?.code === code && ended && ended - from <= 1000,
    `${what}: close ${code}, then the server ends the TCP connection${answer ? ' once we answer' : ''}`,
    `${c.trace()} (ended ${ended ? ended - from : '-'} ms after)`);
  c.destroy();
}

const [main, small, pinging] = await Promise.all([
  startServer(sluice, ['--demo']),
  startServer(sluice, ['--demo', '--ws-max-message', '1024', '--ws-max-send-queue', '65536']),
  startServer(sluice, ['--demo', '--ws-ping-interval-ms', '300']),
]);
const post = (channel, text) => fetch(main.url, { method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: 'mutation($c: String!, $t: String!) { post(channel: $c, text: $t) { id } }', variables: { c: channel, t: text } }) });

try {
  // 13, run alongside the rest (it takes 5 s): a client that never answers the server's close is dropped after 5 s.
  const silent = (async () => {
    const c = await initialized(main.url);
    c.text({ type: 'nonsense' });
    const f = await c.closeFrame();
    const ended = f && (await c.ended(8000));
    const after = ended ? ended - f.at : null;
    check(closeOf(f)?.code === 4400 && after >= 4500 && after <= 7000,
      `a client that never answers the server's close: the TCP connection ends ${after} ms after the close frame (5-7 s)`, c.trace());
    c.destroy();
  })();

  // 1-6 on one connection.
  const c = await connect(main.url);
  const accept = crypto.createHash('sha1').update(c.key + GUID).digest('base64');
  check(c.status === 101 && c.headers['sec-websocket-accept'] === accept && c.headers['sec-websocket-protocol'] === TWS,
    'handshake: 101, Sec-WebSocket-Accept matches the key, graphql-transport-ws answered', JSON.stringify({ status: c.status, headers: c.headers, accept }));

  c.send({ opcode: OP.ping, payload: 'hello' });
  const pong = await c.next();
  check(pong?.opcode === OP.pong && pong.fin && pong.payload.toString() === 'hello', 'a ping "hello" is answered with a pong "hello"', c.trace());

  // connection_init in three fragments, a ping between the first two, each in its own TCP segment.
  const init = '{"type":"connection_init"}';
  c.send({ opcode: OP.text, payload: init.slice(0, 9), fin: false });
  await sleep(20);
  c.send({ opcode: OP.ping, payload: 'between' });
  await sleep(20);
  c.send({ opcode: OP.cont, payload: init.slice(9, 18), fin: false });
  await sleep(20);
  c.send({ opcode: OP.cont, payload: init.slice(18) });
  const [p2, ack] = [await c.next(), await c.next()];
  check(p2?.opcode === OP.pong && p2.payload.toString() === 'between' && ack?.opcode === OP.text && ack.fin &&
    ack.payload.toString() === '{"type":"connection_ack"}',
  'a fragmented connection_init with a ping between fragments: pong, then connection_ack in one text frame', c.trace());

  await c.trickle(frame({ opcode: OP.text, payload: '{"type":"ping"}' }));
  const gpong = await c.next();
  check(gpong?.opcode === OP.text && gpong.fin && JSON.parse(gpong.payload).type === 'pong',
    'a frame written one byte at a time ({"type":"ping"}): {"type":"pong"}', c.trace());

  // 16- and 64-bit lengths both ways: graphql pings whose payload the pong echoes.
  for (const size of [300, 70000]) {
    c.text({ type: 'ping', payload: { pad: 'x'.repeat(size) } });
    const big = await c.next();
    check(big?.opcode === OP.text && big.fin && JSON.parse(big.payload).payload?.pad?.length === size,
      `a ${size}-byte pad in a ${size > 0xffff ? 64 : 16}-bit-length frame comes back in a pong (${big?.payload.length} bytes)`,
      big && show(big).payload);
  }

  // A burst: 20 results, each in its own whole text frame.
  const channel = `frames-${process.pid}`;
  c.text({ id: 's', type: 'subscribe', payload: { query: `subscription { messages(channel: "${channel}") { text } }` } });
  let live = null;
  for (let i = 0; i < 25 && !live; i++) {
    await post(channel, 'probe');
    live = await c.message((m) => m.id === 's' && m.type === 'next', 200);
  }
  check(!!live, 'the subscription is live (a probe message arrived)', c.trace());
  const from = c.frames.length;
  const chunksFrom = c.chunks.length;
  await Promise.all(Array.from({ length: 20 }, (_, i) => post(channel, `m${i}`)));
  const nexts = () => c.frames.slice(from).filter((f) => f.payload.includes('"m'));
  await c.until(() => (nexts().length >= 20 ? true : undefined), 5000);
  const texts = new Set();
  let wellFormed = true;
  for (const f of nexts()) {
    let m = null;
    try { m = JSON.parse(f.payload); } catch {}
    if (!(f.opcode === OP.text && f.fin && m?.id === 's' && m.type === 'next')) wellFormed = false;
    texts.add(m?.payload?.data?.messages?.text);
  }
  const perChunk = Math.max(0, ...c.chunks.slice(chunksFrom).map((k) => k.frames));
  check(wellFormed && texts.size === 20 && [...Array(20).keys()].every((i) => texts.has(`m${i}`)),
    `20 messages published at once: 20 next messages, each one whole text frame of JSON (up to ${perChunk} frames in one read)`,
    JSON.stringify(nexts().map(show)));

  c.send({ opcode: OP.close, payload: closePayload(1000, 'bye') });
  const bye = await c.closeFrame();
  const byeEnd = bye && (await c.ended(2000));
  check(closeOf(bye)?.code === 1000 && byeEnd !== null && byeEnd - bye.at <= 2000,
    'our close 1000 "bye": the server answers close 1000, then ends the TCP connection', c.trace());
  c.destroy();

  // 7: a close without a payload is answered with one.
  {
    const e = await connect(main.url);
    e.send({ opcode: OP.close });
    const f = await e.closeFrame();
    const end = f && (await e.ended(2000));
    check(f?.payload.length === 0 && end !== null && end - f.at <= 2000, 'a close without a code: an empty close, then TCP end', e.trace());
    e.destroy();
  }

  // 8-10, 15: framing errors fail the connection without waiting for the client's close.
  await closeCase('an unmasked frame', main.url, 1002, (k) => k.send({ opcode: OP.text, payload: '{"type":"ping"}', mask: false }));
  await closeCase('invalid UTF-8 in a text frame (c3 28)', main.url, 1007, (k) => k.send({ opcode: OP.text, payload: [0xc3, 0x28] }));
  await closeCase('RSV1 set', main.url, 1002, (k) => k.send({ opcode: OP.text, payload: '{"type":"ping"}', rsv: 4 }));
  await closeCase('opcode 0x3', main.url, 1002, (k) => k.send({ opcode: 0x3, payload: 'x' }));
  await closeCase('a continuation with no message started', main.url, 1002, (k) => k.send({ opcode: OP.cont, payload: 'x' }));
  await closeCase('a ping with fin=0', main.url, 1002, (k) => k.send({ opcode: OP.ping, payload: 'x', fin: false }));
  await closeCase('a close frame carrying 1005', main.url, 1002, (k) => k.send({ opcode: OP.close, payload: closePayload(1005) }));
  // 11: the size limit (--ws-max-message 1024).
  await closeCase('a 2000-byte message over --ws-max-message 1024', small.url, 1009, (k) => k.send({ opcode: OP.text, payload: 'a'.repeat(2000) }));
  // 15: graphql-transport-ws takes no binary frames.
  await closeCase('a binary frame after init', main.url, 4400, (k) => k.send({ opcode: OP.binary, payload: [1, 2, 3] }), { init: true, answer: true });

  // Pings from a client that reads nothing: the pongs count against the send-queue cap (--ws-max-send-queue
  // 65536), so the connection is ended and the server's memory stays flat.
  {
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${small.child.pid}/status`, 'utf8'))[1]);
    const p = await initialized(small.url);
    p.pause();
    const before = rss();
    const ping = frame({ opcode: OP.ping, payload: 'p'.repeat(125) });
    const sent = await p.flood(Buffer.concat(Array(8000).fill(ping)), 64e6, 5);
    const grown = rss() - before;
    p.resume();
    const f = await p.closeFrame(8000);
    const ended = await p.ended(8000);
    check(closeOf(f)?.code === 1008 && ended !== null && grown < 16 * 1024,
      `a client flooding pings and reading nothing is closed with 1008 (${(sent / 1e6).toFixed(0)} MB sent, server RSS +${grown} KiB)`,
      `close: ${JSON.stringify(closeOf(f))}, ended: ${ended !== null}, error: ${p.error}`);
    p.destroy();
  }

  // 12: a protocol error: close 4400; our close answers it and the server ends the connection at once.
  {
    const e = await initialized(main.url);
    e.text({ type: 'nonsense' });
    const f = await e.closeFrame();
    e.send({ opcode: OP.close, payload: closePayload(4400) });
    const sent = Date.now();
    const end = f && (await e.ended(1500));
    check(closeOf(f)?.code === 4400 && closeOf(f).reason === 'Invalid message received' && end !== null && end - sent <= 1000,
      `{"type":"nonsense"}: close 4400; after our close the TCP connection ends (${end ? end - sent : '-'} ms)`, e.trace());
    e.destroy();
  }

  // 14: keep-alive (--ws-ping-interval-ms 300): a silent client gets a ping, then is dropped; one that answers stays.
  {
    const [quiet, lively] = await Promise.all([initialized(pinging.url), initialized(pinging.url, { autoPong: true })]);
    const acked = Date.now();
    const ping = await quiet.next((f) => f.opcode === OP.ping, 1500);
    check(ping !== null && ping.at - acked <= 1200, `a silent client gets a ping frame (${ping ? ping.at - acked : '-'} ms after the ack)`, quiet.trace());
    const end = ping && (await quiet.ended(2000));
    check(end !== null && end - ping.at <= 1500, `a client that does not answer is dropped (${end ? end - ping.at : '-'} ms after the ping)`, quiet.trace());
    await sleep(Math.max(0, acked + 1800 - Date.now()));
    const pings = lively.frames.filter((f) => f.opcode === OP.ping).length;
    check(lively.endedAt === null && pings >= 1, `a client answering pings with pongs stays open 1.8 s (${pings} pings)`, lively.trace());
    quiet.destroy();
    lively.destroy();
  }

  await silent;
  check(badServerFrames.length === 0, 'every server frame is unmasked with the RSV bits clear', JSON.stringify(badServerFrames.map(show)));
} catch (e) {
  fail(e);
} finally {
  for (const s of [main, small, pinging]) await stopServer(s);
}
process.exit(failures() ? 1 : 0);
