// Apollo Server 5 (@apollo/server with the Express 5 integration) serving the demo schema of `sluice serve --demo`
// (bench/peers/demo_schema.mjs), for side-by-side benchmarks: GraphQL over HTTP (POST JSON) through Apollo's
// pipeline, and graphql-transport-ws on /graphql through graphql-ws's useServer on the same http server — Apollo's
// documented subscriptions setup (Apollo Server itself has no WebSocket transport). The schema is
// @graphql-tools/schema's makeExecutableSchema; the chat uses the in-memory topics of demo_schema.mjs (Apollo has no
// pubsub of its own; its docs use graphql-subscriptions' in-memory PubSub, which this equals).
//
// Usage: node bench/peers/apollo_server.mjs [--host 127.0.0.1] [--port 4103] [--nested]
//   --nested: bench/data/schema.graphql over bench/data/nested_root.json instead (bench/peers/nested_schema.mjs)
import { createServer } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { makeExecutableSchema } from '@graphql-tools/schema';
import express from 'express';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { announce, onShutdown, peerOptions } from './cli.mjs';
import { createDemoResolvers, demoTypeDefs } from './demo_schema.mjs';
import { createNestedResolvers, nestedTypeDefs } from './nested_schema.mjs';

const { host, port, nested } = peerOptions(4103);

const schema = nested
  ? makeExecutableSchema({ typeDefs: nestedTypeDefs, resolvers: createNestedResolvers() })
  : makeExecutableSchema({ typeDefs: demoTypeDefs, resolvers: createDemoResolvers() });

const app = express();
const http = createServer(app);
const wss = new WebSocketServer({ server: http, path: '/graphql' });
const wsCleanup = useServer({ schema }, wss);

const server = new ApolloServer({
  schema,
  // Errors as graphql-js reports them, without a stack trace (Apollo adds one outside NODE_ENV=production).
  includeStacktraceInErrorResponses: false,
  // onShutdown below stops the server (Apollo's own handlers would re-raise the signal after stopping).
  stopOnTerminationSignals: false,
  plugins: [
    ApolloServerPluginDrainHttpServer({ httpServer: http }),
    {
      async serverWillStart() {
        return {
          async drainServer() {
            for (const client of wss.clients) client.terminate();
            await wsCleanup.dispose();
          },
        };
      },
    },
  ],
});
await server.start();
// express.json()'s default limit (100 kB) is ample for the benchmark's requests.
app.use('/graphql', express.json(), expressMiddleware(server));

http.listen(port, host, () => announce('apollo', host, http.address().port));
onShutdown(() => server.stop());
