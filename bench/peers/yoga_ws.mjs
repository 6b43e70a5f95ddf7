// graphql-ws (graphql-transport-ws on `ws`) in front of a GraphQL Yoga instance, wired as Yoga's documentation
// describes ("Subscriptions: GraphQL over WebSocket"): each operation is run by Yoga's envelop pipeline
// (yoga.getEnveloped: its parse and validate caches, its plugins, its execute and subscribe), so a plugin that
// replaces execute (as @envelop/live-query does, returning an AsyncIterable) works over the WebSocket too.
import { createServer } from 'node:http';
import { createPubSub, createYoga } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { announce, closeWebSockets, onShutdown } from './cli.mjs';

export function useYogaOverGraphqlWs(yoga, wss) {
  return useServer(
    {
      execute: (args) => args.rootValue.execute(args),
      subscribe: (args) => args.rootValue.subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        const args = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
    },
    wss,
  );
}

// The demo's chat topics on Yoga's createPubSub.
export function yogaDemoPubSub() {
  const yogaPubSub = createPubSub();
  return {
    publish: (channel, message) => yogaPubSub.publish('demo:messages', channel, message),
    subscribe: (channel) => yogaPubSub.subscribe('demo:messages', channel),
  };
}

// Serves `schema` with Yoga (and `plugins`) over HTTP and graphql-transport-ws on /graphql, as the peer `name`:
// errors as graphql-js reports them (Yoga would mask them as "Unexpected error."), no GraphiQL or landing page.
export function serveYoga(name, { host, port }, schema, plugins = []) {
  const yoga = createYoga({
    schema,
    plugins,
    graphqlEndpoint: '/graphql',
    graphiql: false,
    landingPage: false,
    maskedErrors: false,
    logging: 'warn',
  });
  const http = createServer(yoga);
  const wss = new WebSocketServer({ server: http, path: yoga.graphqlEndpoint });
  useYogaOverGraphqlWs(yoga, wss);
  http.listen(port, host, () => announce(name, host, http.address().port));
  onShutdown(async () => {
    await closeWebSockets(wss);
    http.closeAllConnections();
    await new Promise((r) => http.close(r));
  });
}
