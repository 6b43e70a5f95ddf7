// graphql-ws (graphql-transport-ws on `ws`) in front of a GraphQL Yoga instance, wired as Yoga's documentation
// describes ("Subscriptions: GraphQL over WebSocket"): each operation is run by Yoga's envelop pipeline
// (yoga.getEnveloped: its parse and validate caches, its plugins, its execute and subscribe), so a plugin that
// replaces execute (as @envelop/live-query does, returning an AsyncIterable) works over the WebSocket too.
import { useServer } from 'graphql-ws/use/ws';

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
