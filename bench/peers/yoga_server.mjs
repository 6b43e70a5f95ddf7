// GraphQL Yoga on node:http serving the demo schema of `sluice serve --demo` (bench/peers/demo_schema.mjs), for
// side-by-side benchmarks: GraphQL over HTTP (Yoga's handler: POST JSON, also GET and SSE) and
// graphql-transport-ws on /graphql through graphql-ws wired to Yoga's envelop pipeline (bench/peers/yoga_ws.mjs).
// The chat goes through Yoga's createPubSub.
//
// Usage: node bench/peers/yoga_server.mjs [--host 127.0.0.1] [--port 4102] [--nested]
//   --nested: bench/data/schema.graphql over bench/data/nested_root.json instead (bench/peers/nested_schema.mjs)
import { createSchema } from 'graphql-yoga';
import { peerOptions } from './cli.mjs';
import { createDemoResolvers, demoTypeDefs } from './demo_schema.mjs';
import { createNestedSchema } from './nested_schema.mjs';
import { serveYoga, yogaDemoPubSub } from './yoga_ws.mjs';

const { host, port, nested } = peerOptions(4102);
const schema = nested
  ? createNestedSchema()
  : createSchema({ typeDefs: demoTypeDefs, resolvers: createDemoResolvers({ pubsub: yogaDemoPubSub() }) });
serveYoga('yoga', { host, port }, schema);
