// The server benchmarks (issue 9): Sluice, the raw Beast broadcaster and the Node.js peers, one at a time, each
// driven by the same load generator (bench/load, sluice_loadgen) in the same run; prints one table with ratios and
// writes it into docs/BENCHMARKS.md.
//
// Usage: node bench/servers.mjs [--build build/release] [--scenarios fanout,idle,http,churn,live] [--quick]
//        [--servers sluice,raw,graphql-ws,mercurius,yoga,apollo] [--no-docs] [--out build/bench-results]
// On two or more CPUs the server runs on CPU 0 and the load generator on CPU 1 (taskset), so each gets one core.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const build = option('--build', 'build/release');
const quick = args.includes('--quick');
const scenarios = option('--scenarios', 'fanout,idle,http,churn,live').split(',');
const only = option('--servers', '');
const out = option('--out', 'build/bench-results');
mkdirSync(out, { recursive: true });

const sluice = `${build}/sluice`;
const loadgen = `${build}/bench/load/sluice_loadgen`;
const raw = `${build}/bench/load/raw_broadcaster`;
for (const f of [sluice, loadgen, raw]) {
  if (!existsSync(f)) {
    console.error(`bench/servers.mjs: ${f} not found; build first (make build)`);
    process.exit(2);
  }
}
const pinned = cpus().length >= 2 && existsSync('/usr/bin/taskset');
const pin = (cpu, argv) => (pinned ? ['taskset', '-c', String(cpu), ...argv] : argv);

// The hard limit on open files bounds the connections one process holds (server and load generator alike).
const hardFiles = Number(execFileSync('bash', ['-c', 'ulimit -Hn']).toString().trim()) || 1024;
const idleConnections = Math.min(quick ? 2000 : 20000, hardFiles - 500);

// The servers: how to start each for the demo schema and for the nested query (null: it does not serve it).
const servers = [
  { name: 'sluice', title: 'Sluice',
    demo: [sluice, 'serve', '--demo', '--port', '0', '--threads', '1', '--log-level', 'warn'],
    nested: [sluice, 'serve', '--schema', 'bench/data/schema.graphql', '--root', 'bench/data/nested_root.json',
      '--port', '0', '--threads', '1', '--log-level', 'warn'] },
  { name: 'raw', title: 'raw Beast (no GraphQL)', demo: [raw, '--port', '0', '--threads', '1'], nested: null },
  { name: 'graphql-ws', title: 'graphql-ws', demo: ['node', 'bench/peers/graphql_ws_server.mjs', '--port', '0'] },
  { name: 'mercurius', title: 'Mercurius', demo: ['node', 'bench/peers/mercurius_server.mjs', '--port', '0'] },
  { name: 'yoga', title: 'GraphQL Yoga', demo: ['node', 'bench/peers/yoga_server.mjs', '--port', '0'] },
  { name: 'apollo', title: 'Apollo Server', demo: ['node', 'bench/peers/apollo_server.mjs', '--port', '0'] },
].filter((s) => !only || only.split(',').includes(s.name));
for (const s of servers) if (s.nested === undefined) s.nested = [...s.demo, '--nested'];
// Live queries: Sluice's cohorts against GraphQL Yoga with @envelop/live-query (both `query @live`).
const liveServers = [
  { name: 'sluice', title: 'Sluice', demo: servers.find((s) => s.name === 'sluice')?.demo ??
      [sluice, 'serve', '--demo', '--port', '0', '--threads', '1', '--log-level', 'warn'] },
  { name: 'yoga-live', title: 'Yoga + @envelop/live-query', demo: ['node', 'bench/peers/yoga_live_server.mjs', '--port', '0'] },
];

// Starts a server (pinned to CPU 0) and waits for "serving GraphQL at URL".
function start(argv) {
  return new Promise((resolve, reject) => {
    const full = pin(0, argv);
    const child = spawn(full[0], full.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    let errors = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${argv.join(' ')}: no address in 20 s`)); }, 20000);
    child.stdout.on('data', (d) => {
      text += d;
      const m = /serving GraphQL at (http:\/\/\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], pid: child.pid });
      }
    });
    child.stderr.on('data', (d) => { errors += d; if (errors.length > 20000) errors = errors.slice(-10000); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${argv.join(' ')} exited ${code}: ${errors.slice(-500)}`)); });
  });
}

async function stop(server) {
  server.child.removeAllListeners('exit');
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

// Runs the load generator (pinned to CPU 1); its JSON report, or { error }.
function load(scenario, url, pid, extra, deadline) {
  return new Promise((resolve) => {
    const argv = pin(1, [loadgen, scenario, '--url', url, '--server-pid', String(pid), '--deadline', String(deadline), ...extra]);
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => { stderr += d; process.stderr.write(d); });
    child.on('exit', (code) => {
      const line = stdout.trim().split('\n').pop();
      try {
        if (code !== 0) throw new Error(stderr.trim().split('\n').pop() || `exit ${code}`);
        resolve(JSON.parse(line));
      } catch (e) {
        resolve({ error: String(e.message ?? e) });
      }
    });
  });
}

const plan = {
  fanout: { args: ['--subscribers', quick ? '1000' : '10000', '--rates', quick ? '5,20' : '1,2,5,10,20,50,100',
    '--window', quick ? '1' : '2', '--fixed-rate', '1', '--publishers', '4'], deadline: 120 },
  idle: { args: ['--connections', String(idleConnections), '--settle', '2'], deadline: 120 },
  http: { args: ['--query-file', 'bench/data/nested_query.graphql', '--connections', '8', '--duration', quick ? '2' : '4',
    '--warmup', '1'], deadline: 60, nested: true },
  churn: { args: ['--clients', '50', '--duration', quick ? '2' : '4', '--warmup', '1'], deadline: 60 },
  live: { args: ['--subscriptions', quick ? '1000' : '10000', '--cohorts', '100', '--per-connection', '10',
    '--query-template', 'query @live { recent(channel: "{channel}") { id text } }', '--interval-ms', '1000',
    '--rounds', quick ? '2' : '5'], deadline: 120 },
};

// Loopback bursts overflow the kernel's input queue at its default length (1000 packets): raise it if allowed.
let backlog = '';
try {
  backlog = readFileSync('/proc/sys/net/core/netdev_max_backlog', 'utf8').trim();
  if (Number(backlog) < 30000) {
    writeFileSync('/proc/sys/net/core/netdev_max_backlog', '30000');
    backlog = `30000 (raised from ${backlog})`;
  }
} catch {
  backlog += ' (could not be raised)';
}

const results = {};
const started = Date.now();
for (const scenario of scenarios) {
  const p = plan[scenario];
  if (!p) { console.error(`bench/servers.mjs: unknown scenario ${scenario}`); process.exit(2); }
  results[scenario] = {};
  for (const s of scenario === 'live' ? liveServers : servers) {
    const argv = p.nested ? s.nested : s.demo;
    if (!argv) continue;
    if (scenario === 'churn' && s.name === 'raw') continue;  // nothing to start per subscription
    console.error(`== ${scenario}: ${s.title}`);
    let server;
    try {
      server = await start(argv);
      // (The nested query's variables have defaults: every server applies them.)
      results[scenario][s.name] = await load(scenario, server.url, server.pid, p.args, p.deadline);
    } catch (e) {
      results[scenario][s.name] = { error: String(e.message ?? e) };
    } finally {
      if (server) await stop(server);
    }
    if (results[scenario][s.name].error) console.error(`   ${s.title}: ${results[scenario][s.name].error}`);
  }
}
writeFileSync(`${out}/servers.json`, JSON.stringify({ pinned, idleConnections, results }, null, 1));

// ---- the table ----
const n = (x, digits = 0) => (x === undefined || x === null || Number.isNaN(x) ? '—'
  : Number(x).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
// Sluice's advantage: higher is better (value / sluice inverted) or lower is better.
const ratio = (sluiceValue, peerValue, higherIsBetter) => {
  if (!sluiceValue || !peerValue) return '';
  const r = higherIsBetter ? sluiceValue / peerValue : peerValue / sluiceValue;
  return ` (${r >= 10 ? r.toFixed(0) : r.toFixed(1)}x)`;
};
const metrics = [
  ['fanout', 'fan-out, 10,000 subscribers: delivered messages/s at saturation', (r) => r.saturation_msgs_per_s, true, 0],
  ['fanout', 'fan-out: p50 latency at 1 event/s (10,000 messages/s), ms', (r) => r.fixed?.latency_ms?.p50, false, 1],
  ['fanout', 'fan-out: p99 latency at 1 event/s, ms', (r) => r.fixed?.latency_ms?.p99, false, 1],
  ['idle', `idle: server memory per subscribed connection (${n(idleConnections)} connections), KiB`,
    (r) => r.bytes_per_connection / 1024, false, 1],
  ['http', 'HTTP nested query: requests per server CPU second', (r) => r.requests_per_server_cpu_s, true, 0],
  ['http', 'HTTP nested query: requests/s (8 connections)', (r) => r.requests_per_s, true, 0],
  ['churn', 'churn: server CPU per subscribe + complete, µs', (r) => r.server_cpu_us_per_subscribe, false, 1],
];
const names = servers.map((s) => s.name);
const lines = [
  `| scenario | ${servers.map((s) => s.title).join(' | ')} |`,
  `| --- | ${servers.map(() => '---:').join(' | ')} |`,
];
for (const [scenario, title, get, higher, digits] of metrics) {
  if (!results[scenario]) continue;
  const sv = results[scenario].sluice && !results[scenario].sluice.error ? get(results[scenario].sluice) : undefined;
  const cells = names.map((name) => {
    const r = results[scenario][name];
    if (!r) return '—';
    if (r.error) return 'failed';
    const v = get(r);
    if (v === undefined) return '—';
    return `${n(v, digits)}${name === 'sluice' ? '' : ratio(sv, v, higher)}`;
  });
  lines.push(`| ${title} | ${cells.join(' | ')} |`);
}
const liveLines = [];
if (results.live) {
  liveLines.push('| live queries, 10,000 in 100 cohorts, a post to every channel each second | Sluice | Yoga + @envelop/live-query |',
    '| --- | ---: | ---: |');
  const L = results.live;
  const row = (title, get, higher, digits) => {
    const sv = L.sluice && !L.sluice.error ? get(L.sluice) : undefined;
    const yv = L['yoga-live'] && !L['yoga-live'].error ? get(L['yoga-live']) : undefined;
    liveLines.push(`| ${title} | ${L.sluice?.error ? 'failed' : n(sv, digits)} | ${L['yoga-live']?.error ? 'failed' : `${n(yv, digits)}${ratio(sv, yv, higher)}`} |`);
  };
  row('server CPU per round of 100 posts, ms', (r) => r.server_cpu_s_per_round * 1000, false, 1);
  row('server CPU per quiet second (no posts), ms', (r) => r.server_cpu_s_per_quiet_interval * 1000, false, 1);
  row('updates received per round (10,000 expected)', (r) => r.updates_per_round_avg, true, 0);
  row('post-to-update latency p50, ms', (r) => r.latency_ms?.p50, false, 1);
  row('post-to-update latency p99, ms', (r) => r.latency_ms?.p99, false, 1);
  row('live subscriptions one core sustains at a 1 s interval (60% CPU)', (r) =>
    (r.server_cpu_s_per_round > 0 ? (0.6 * (r.subscriptions ?? 10000)) / r.server_cpu_s_per_round : undefined), true, 0);
}
const notes = [];
const F = results.fanout;
if (F?.sluice && !F.sluice.error && F['graphql-ws'] && !F['graphql-ws'].error) {
  const x = F.sluice.saturation_msgs_per_s / F['graphql-ws'].saturation_msgs_per_s;
  const p = F['graphql-ws'].fixed?.latency_ms?.p99 / F.sluice.fixed?.latency_ms?.p99;
  notes.push(`- Fan-out against the graphql-ws reference server: ${x.toFixed(1)}x the delivered messages per second (target ≥ 10x ${x >= 10 ? '✓' : '✗'}); ` +
    `p99 latency ${p ? `${p.toFixed(1)}x lower` : 'not compared'} (target ≥ 5x ${p >= 5 ? '✓' : '✗'}).`);
  if (F.raw && !F.raw.error)
    notes.push(`- Against the raw Beast broadcaster (the same fan-out with no GraphQL): Sluice delivers ${(100 * F.sluice.saturation_msgs_per_s / F.raw.saturation_msgs_per_s).toFixed(0)}% of its messages per second.`);
}
const I = results.idle?.sluice;
if (I && !I.error) notes.push(`- Idle memory: ${(I.bytes_per_connection / 1024).toFixed(1)} KiB per subscribed connection (target ≤ 8 KiB ${I.bytes_per_connection <= 8192 ? '✓' : '✗'}).`);
const H = results.http;
if (H?.sluice && !H.sluice.error && H.mercurius && !H.mercurius.error) {
  const x = H.sluice.requests_per_server_cpu_s / H.mercurius.requests_per_server_cpu_s;
  notes.push(`- HTTP query throughput per CPU second: ${x.toFixed(1)}x Mercurius (target ≥ 3x ${x >= 3 ? '✓' : '✗'}).`);
}
if (H) {
  const hashes = Object.entries(H).filter(([, r]) => !r.error).map(([k, r]) => `${k} ${r.response_fnv1a} (${n(r.response_bytes)} bytes)`);
  const same = new Set(Object.values(H).filter((r) => !r.error).map((r) => r.response_fnv1a)).size === 1;
  notes.push(`- The nested query's response body (FNV-1a) ${same ? 'is the same from every server' : 'differs between servers'}: ${hashes.join(', ')}` +
    (same ? '.' : '. (Apollo Server ends its body with a newline; `bench/peers/check.mjs` shows every server returns the same `data`.)'));
}
for (const [scenario, byServer] of Object.entries(results))
  for (const [name, r] of Object.entries(byServer))
    if (r.error) notes.push(`- ${scenario}, ${name}: failed: ${r.error.slice(0, 300)}`);
const loadCpu = Object.values(results).flatMap((byServer) => Object.values(byServer)).filter((r) => r.loadgen);
const machine = [
  `- Measured ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} on ${cpus().length} CPUs, ${cpus()[0]?.model ?? 'unknown'}; ` +
    (pinned ? 'each server on CPU 0 and the load generator on CPU 1 (taskset).' : 'not pinned (one CPU).'),
  `- Node.js ${process.version}; Sluice and the raw broadcaster with one event loop thread; ${Math.round((Date.now() - started) / 1000)} s in all` +
    (loadCpu.length ? `; the load generator used at most ${Math.max(...loadCpu.map((r) => r.loadgen.cpu_s / Math.max(r.loadgen.wall_s, 0.001))).toFixed(2)} CPU seconds per second.` : '.'),
  `- Open files limit ${hardFiles}: the idle scenario holds ${n(idleConnections)} connections. net.core.netdev_max_backlog: ${backlog}.`,
];
const table = [...lines, '', ...liveLines].join('\n');
console.log(table);
if (notes.length) console.log(`\n${notes.join('\n')}`);

if (!args.includes('--no-docs') && existsSync('docs/BENCHMARKS.md')) {
  const section = ['<!-- servers:begin -->', ...machine, '', table, '', ...notes, '<!-- servers:end -->'].join('\n');
  const doc = readFileSync('docs/BENCHMARKS.md', 'utf8');
  const re = /<!-- servers:begin -->[\s\S]*<!-- servers:end -->/;
  writeFileSync('docs/BENCHMARKS.md', re.test(doc) ? doc.replace(re, () => section) : `${doc.trimEnd()}\n\n${section}\n`);
  console.error('\nbench/servers.mjs: updated docs/BENCHMARKS.md');
}
