// The graphql-ws reference server (graphql-ws on `ws`, graphql-js executing) serving the same demo schema as
// `sluice serve --demo` (bench/peers/demo_schema.mjs), for side-by-side benchmarks: GraphQL over HTTP (POST JSON)
// and graphql-transport-ws on /graphql. Prints "serving GraphQL at http://HOST:PORT/graphql" once listening, as
// sluice does.
//
// Usage: node bench/peers/graphql_ws_server.mjs [--host 127.0.0.1] [--port 4100] [--nested]
//   --nested: bench/data/schema.graphql over bench/data/nested_root.json instead (bench/peers/nested_schema.mjs)
import { createServer } from 'node:http';
import { execute, parse, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { announce, closeWebSockets, onShutdown, peerOptions } from './cli.mjs';
import { createDemoSchema } from './demo_schema.mjs';
import { createNestedSchema } from './nested_schema.mjs';

const { host, port, nested } = peerOptions(4100);

// Resolvers are attached to the schema's fields; subscriptions use the in-memory topics of demo_schema.mjs.
const schema = nested ? createNestedSchema() : createDemoSchema();

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
      result = errors.length ? { errors } : await execute({ schema, document, variableValues: variables, operationName });
    } catch (e) {
      result = { errors: [{ message: String(e.message ?? e) }] };
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(result));
  });
});

const wss = new WebSocketServer({ server: http, path: '/graphql' });
useServer({ schema }, wss);

http.listen(port, host, () => announce('graphql-ws', host, http.address().port));
onShutdown(async () => {
  await closeWebSockets(wss);
  http.closeAllConnections();
  await new Promise((r) => http.close(r));
});
