// GraphQL Yoga on node:http serving the demo schema of `sluice serve --demo` (bench/peers/demo_schema.mjs), for
// side-by-side benchmarks: GraphQL over HTTP (Yoga's handler: POST JSON, also GET and SSE) and
// graphql-transport-ws on /graphql through graphql-ws wired to Yoga's envelop pipeline (bench/peers/yoga_ws.mjs).
// The chat goes through Yoga's createPubSub.
//
// Usage: node bench/peers/yoga_server.mjs [--host 127.0.0.1] [--port 4102] [--nested]
//   --nested: bench/data/schema.graphql over bench/data/nested_root.json instead (bench/peers/nested_schema.mjs)
import { createServer } from 'node:http';
import { createPubSub, createSchema, createYoga } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { announce, closeWebSockets, onShutdown, peerOptions } from './cli.mjs';
import { createDemoResolvers, demoTypeDefs } from './demo_schema.mjs';
import { createNestedSchema } from './nested_schema.mjs';
import { useYogaOverGraphqlWs } from './yoga_ws.mjs';

const { host, port, nested } = peerOptions(4102);

const yogaPubSub = createPubSub();
const pubsub = {
  publish: (channel, message) => yogaPubSub.publish('demo:messages', channel, message),
  subscribe: (channel) => yogaPubSub.subscribe('demo:messages', channel),
};

const yoga = createYoga({
  schema: nested
    ? createNestedSchema()
    : createSchema({ typeDefs: demoTypeDefs, resolvers: createDemoResolvers({ pubsub }) }),
  graphqlEndpoint: '/graphql',
  graphiql: false,
  landingPage: false,
  // Errors as graphql-js reports them (the failing subscription's message), as the other peers do; Yoga would
  // mask them as "Unexpected error.".
  maskedErrors: false,
  logging: 'warn',
});

const http = createServer(yoga);
const wss = new WebSocketServer({ server: http, path: yoga.graphqlEndpoint });
useYogaOverGraphqlWs(yoga, wss);

http.listen(port, host, () => announce('yoga', host, http.address().port));
onShutdown(async () => {
  await closeWebSockets(wss);
  http.closeAllConnections();
  await new Promise((r) => http.close(r));
});
