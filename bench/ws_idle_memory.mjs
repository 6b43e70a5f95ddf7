// A quick measurement: how many idle WebSocket connections, each with one subscription, one `sluice serve --demo`
// holds, and its resident memory per connection (from /proc). Not part of `make bench` (issue 9 brings the
// full load generator); run it by hand: node bench/ws_idle_memory.mjs --sluice build/release/sluice --count 10000
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { startServer, stopServer } from '../tests/conformance/server.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const sluice = arg('--sluice', 'build/release/sluice');
const count = Number(arg('--count', '5000'));

const server = await startServer(sluice, ['--demo', '--threads', '1']);
const url = server.url.replace(/^http/, 'ws');
const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))[1]);
await new Promise((r) => setTimeout(r, 300));
const before = rss();

const sockets = [];
let acked = 0;
for (let i = 0; i < count; i++) {
  const s = new WebSocket(url, ['graphql-transport-ws'], { perMessageDeflate: false });
  sockets.push(s);
  s.on('error', () => {});
  s.on('open', () => s.send(JSON.stringify({ type: 'connection_init' })));
  s.on('message', (d) => {
    const m = JSON.parse(d.toString());
    if (m.type === 'connection_ack') {
      acked++;
      s.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { messages(channel: "c${i % 100}") { id } }` } }));
    }
  });
  if (i % 500 === 499) await new Promise((r) => setTimeout(r, 50));
}
const deadline = Date.now() + 60000;
while (acked < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
await new Promise((r) => setTimeout(r, 1000));
const after = rss();
console.log(JSON.stringify({ connections: acked, rss_before_kib: before, rss_after_kib: after,
  kib_per_connection: +((after - before) / Math.max(acked, 1)).toFixed(2) }));
for (const s of sockets) s.terminate();
await stopServer(server);
