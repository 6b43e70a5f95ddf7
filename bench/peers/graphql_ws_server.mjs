// The graphql-ws reference server (graphql-ws on `ws`, graphql-js executing) serving the same demo schema as
// `sluice serve --demo`, for side-by-side benchmarks: GraphQL over HTTP (POST JSON) and graphql-transport-ws on
// /graphql. Prints "serving GraphQL at http://HOST:PORT/graphql" once listening, as sluice does.
//
// Usage: node bench/peers/graphql_ws_server.mjs [--host 127.0.0.1] [--port 4100]
import { createServer } from 'node:http';
import { buildSchema, execute, parse, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const host = option('--host', '127.0.0.1');
const port = Number(option('--port', '4100'));

// The schema of src/app/demo.cpp.
const schema = buildSchema(`
  type Query { hello(name: String = "world"): String!, time: Float! }
  type Mutation { post(channel: String!, text: String!): Message! }
  type Message { id: ID!, channel: String!, text: String! }
  type Subscription { countdown(from: Int! = 3): Int!, messages(channel: String!): Message!, failing: Int! }
`);

// An in-memory topic per channel: each subscriber's own queue, as graphql-subscriptions' PubSub keeps.
const topics = new Map();
function listen(channel) {
  const queue = [];
  let wake = null;
  const push = (event) => {
    if (wake) {
      const w = wake;
      wake = null;
      w({ value: event, done: false });
    } else queue.push(event);
  };
  if (!topics.has(channel)) topics.set(channel, new Set());
  topics.get(channel).add(push);
  const stop = () => {
    topics.get(channel)?.delete(push);
    if (wake) wake({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next: () => (queue.length ? Promise.resolve({ value: queue.shift(), done: false }) : new Promise((r) => (wake = r))),
    return: stop,
    throw: stop,
    [Symbol.asyncIterator]() { return this; },
  };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let nextId = 0;

const root = {
  hello: ({ name }) => `Hello, ${name}!`,
  time: () => Date.now() / 1000,
  post: ({ channel, text }) => {
    const message = { id: String(++nextId), channel, text };
    for (const push of topics.get(channel) ?? []) push({ messages: message });
    return message;
  },
  countdown: async function* countdown({ from }) {
    for (let i = from; i >= 0; i--) {
      yield { countdown: i };
      if (i > 0) await sleep(10);
    }
  },
  messages: ({ channel }) => listen(channel),
  failing: async function* failing() {
    yield { failing: 1 };
    await sleep(10);
    throw new Error('The failing subscription failed, as it always does.');
  },
};

// GraphQL over HTTP: POST application/json, queries and mutations (enough for the benchmarks).
const http = createServer((req, res) => {
  if (req.method !== 'POST' || !req.url.startsWith('/graphql')) {
    res.writeHead(404).end();
    return;
  }
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', async () => {
    let result;
    try {
      const { query, variables, operationName } = JSON.parse(body);
      const document = parse(query);
      const errors = validate(schema, document);
      result = errors.length
        ? { errors }
        : await execute({ schema, document, rootValue: root, variableValues: variables, operationName });
    } catch (e) {
      result = { errors: [{ message: String(e.message ?? e) }] };
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(result));
  });
});

// Subscriptions resolve from the root value: graphql-js's default subscribe reads root.<field>(args).
const wss = new WebSocketServer({ server: http, path: '/graphql' });
useServer({ schema, roots: { query: root, mutation: root, subscription: root } }, wss);

http.listen(port, host, () => {
  const { port: actual } = http.address();
  console.log(`peer graphql-ws ${host}: serving GraphQL at http://${host}:${actual}/graphql`);
});
const stop = () => {
  wss.close();
  http.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
