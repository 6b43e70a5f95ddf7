// Mercurius on Fastify serving the demo schema of `sluice serve --demo` (bench/peers/demo_schema.mjs), for
// side-by-side benchmarks: GraphQL over HTTP (POST JSON) and WebSocket subscriptions on /graphql through
// Mercurius's own pubsub (mqemitter). Mercurius speaks both WebSocket subprotocols on that route, picked by the
// client's Sec-WebSocket-Protocol: graphql-transport-ws (graphql-ws) and the legacy graphql-ws
// (subscriptions-transport-ws). `fullWsTransport` lets queries and mutations run over the WebSocket too, as the
// other peers allow; Mercurius refuses them there by default.
//
// Usage: node bench/peers/mercurius_server.mjs [--host 127.0.0.1] [--port 4101] [--nested]
//   --nested: bench/data/schema.graphql over bench/data/nested_root.json instead (bench/peers/nested_schema.mjs)
import Fastify from 'fastify';
import mercurius from 'mercurius';
import { announce, onShutdown, peerOptions } from './cli.mjs';
import { createDemoResolvers, demoTypeDefs } from './demo_schema.mjs';
import { createNestedSchema } from './nested_schema.mjs';

const { host, port, nested } = peerOptions(4101);

// The chat on Mercurius's pubsub: a mutation's context has the server's PubSub (publish({ topic, payload }, cb)),
// a subscription's its own SubscriptionContext (subscribe(topic) gives a stream of the payloads).
const topic = (channel) => `demo:messages:${channel}`;
const pubsub = {
  publish: (channel, message, context) =>
    new Promise((resolve, reject) =>
      context.pubsub.publish({ topic: topic(channel), payload: message }, (e) => (e ? reject(e) : resolve())),
    ),
  subscribe: (channel, context) => context.pubsub.subscribe(topic(channel)),
};

const app = Fastify({ logger: false });
await app.register(mercurius, {
  ...(nested ? { schema: createNestedSchema() } : { schema: demoTypeDefs, resolvers: createDemoResolvers({ pubsub }) }),
  path: '/graphql',
  graphiql: false,
  subscription: { fullWsTransport: true },
});

await app.listen({ host, port });
announce('mercurius', host, app.server.address().port);
onShutdown(async () => {
  for (const client of app.websocketServer?.clients ?? []) client.terminate();
  await app.close();
});
