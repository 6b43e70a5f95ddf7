// graphql-js fan-out, the way a graphql-ws server runs it: 10,000 subscriptions to one topic, each its own
// subscribe() and its own execution per event, each result serialised for its socket (JSON.stringify).
// Prints {results: {fanout_10k_subscribers: {ns_per_op, cpu_ns_per_op}}} on stdout, like graphqljs_bench.mjs.
//
// Usage: node bench/graphqljs_fanout.mjs [--min-time=SECONDS] [--rounds=N]
import { buildSchema, parse, subscribe, version } from 'graphql';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unknown argument ${a}`);
    return [m[1], m[2] ?? 'true'];
  }),
);
const minTimeNs = BigInt(Math.round(Number(args['min-time'] ?? 0.5) * 1e9));
const rounds = Number(args.rounds ?? 5);
const subscribers = 10_000;

// The schema and query of bench/fanout_bench.cpp.
const schema = buildSchema(`
  type Query { a: Int }
  type Author { id: ID!, name: String! }
  type Message { id: ID!, channel: String!, text: String!, author: Author!, likes: Int! }
  type Subscription { messages(channel: String!): Message! }
`);
const document = parse('subscription { messages(channel: "general") { id text likes author { id name } } }');

// A minimal in-memory topic: one queue per subscriber, as graphql-subscriptions' PubSub keeps.
const listeners = new Set();
function topicIterator() {
  const queue = [];
  let wake = null;
  const push = (v) => {
    if (wake) {
      const w = wake;
      wake = null;
      w({ value: v, done: false });
    } else queue.push(v);
  };
  listeners.add(push);
  return {
    next: () => (queue.length ? Promise.resolve({ value: queue.shift(), done: false }) : new Promise((r) => (wake = r))),
    return: () => {
      listeners.delete(push);
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
const publish = (payload) => {
  for (const push of listeners) push(payload);
};
schema.getSubscriptionType().getFields().messages.subscribe = () => topicIterator();
schema.getSubscriptionType().getFields().messages.resolve = (payload) => payload;

let received = 0;
let bytes = 0;
let target = 0;
let reached = null;
const iterators = [];
for (let i = 0; i < subscribers; i++) {
  const it = await subscribe({ schema, document });
  if (!it[Symbol.asyncIterator]) throw new Error(`subscribe failed: ${JSON.stringify(it)}`);
  iterators.push(it);
  (async () => {
    for await (const result of it) {
      bytes += JSON.stringify(result).length;
      if (++received === target && reached) reached();
    }
  })();
}

let n = 0;
const message = () => {
  n++;
  return { id: String(n), channel: 'general', text: `message number ${n}`, likes: 3, author: { id: 'u1', name: 'Ada' } };
};
async function oneEvent() {
  target = received + subscribers;
  const done = new Promise((r) => (reached = r));
  publish(message());
  await done;
}

for (let i = 0; i < 5; i++) await oneEvent();  // warm-up
const wall = [];
const cpu = [];
for (let r = 0; r < rounds; r++) {
  let events = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  while (process.hrtime.bigint() - t0 < minTimeNs || events < 3) {
    await oneEvent();
    events++;
  }
  const c = process.cpuUsage(c0);
  wall.push(Number(process.hrtime.bigint() - t0) / events);
  cpu.push(((c.user + c.system) * 1000) / events);
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const it of iterators) await it.return();
const result = { ns_per_op: median(wall), cpu_ns_per_op: median(cpu), result_bytes: Math.round(bytes / received) };
process.stderr.write(`fanout_10k_subscribers: ${(result.cpu_ns_per_op / 1e6).toFixed(1)} ms cpu per event\n`);
console.log(JSON.stringify({ engine: 'graphql-js', graphql_version: version, node_version: process.version,
  results: { fanout_10k_subscribers: result } }));
