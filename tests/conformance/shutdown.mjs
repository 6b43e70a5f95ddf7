// Graceful shutdown of `sluice serve`: SIGTERM with connections open (idle ones, and one in the middle of sending
// a request) ends the process cleanly (exit code 0) within the grace period, and closes every connection.
//
// Usage: node tests/conformance/shutdown.mjs --sluice build/release/sluice
import { connect } from 'node:net';
import { once } from 'node:events';
import { startServer, stopServer } from './server.mjs';

const args = process.argv.slice(2);
const sluice = args[args.indexOf('--sluice') + 1];
const server = await startServer(sluice, ['--demo', '--shutdown-grace-ms', '500']);
const { hostname, port } = new URL(server.url);

// Opens a connection, sends `text`, and records when the server closes it.
async function open(text) {
  const socket = connect({ host: hostname, port: Number(port) });
  await once(socket, 'connect');
  const closed = once(socket, 'close');
  let received = '';
  socket.on('data', (d) => (received += d));
  socket.on('error', () => {});
  socket.write(text);
  return { closed, received: () => received };
}

const idle = await open('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');  // answered, then kept alive
const body = JSON.stringify({ query: '{ hello }' });
const partial = await open(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
  `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);  // the rest never comes
await new Promise((r) => setTimeout(r, 200));

const t0 = Date.now();
let failed = 0;
const code = await stopServer(server, 'SIGTERM', 10000);
const took = Date.now() - t0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failed++;
};
check(code === 0, `exit code 0 after SIGTERM (got ${code})`);
check(took < 5000, `exited within the grace period and a margin (${took} ms)`);
const timeout = (ms) => new Promise((_, reject) => setTimeout(() => reject(new Error('still open')), ms));
for (const [name, c] of [['idle', idle], ['partial', partial]]) {
  try {
    await Promise.race([c.closed, timeout(2000)]);
    check(true, `${name} connection closed`);
  } catch {
    check(false, `${name} connection closed`);
  }
}
check(idle.received().startsWith('HTTP/1.1 200'), 'the idle connection had its answer');
process.exit(failed ? 1 : 0);
