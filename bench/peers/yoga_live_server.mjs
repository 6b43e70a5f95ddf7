// The live query peer (issue 8): GraphQL Yoga with @envelop/live-query and @n1ru4l/in-memory-live-query-store,
// serving the demo schema of `sluice serve --demo` (bench/peers/demo_schema.mjs) plus
//
//   extend type Query { recent(channel: String!, limit: Int = 20): [Message!]! }   # newest first
//
// `query @live { recent(channel: "x") { text } }` over graphql-transport-ws (graphql-ws wired to Yoga's envelop
// pipeline, bench/peers/yoga_ws.mjs, so the live query's execute returns an AsyncIterable) sends the result, then
// sends it again whenever `post` adds a message to channel "x": post invalidates `Query.recent(channel:"x")`.
//
// Identifiers: the store tracks `Query.<field>` for every root field of a live query, `Query.<field>(id:"...")`
// for an argument named `id` of type ID, and `Typename:<id>` for every `id: ID!` field it resolves; other
// arguments are tracked only when listed in `indexBy` ({ field: 'Query.recent', args: ['channel'] } below), as
// `Query.recent(channel:"x")` — the argument's raw value between double quotes, unescaped. Invalidating
// `Query.recent` would re-run every channel's live queries.
//
// Usage: node bench/peers/yoga_live_server.mjs [--host 127.0.0.1] [--port 4104] [--nested]
//   --nested: bench/data/schema.graphql over bench/data/nested_root.json instead (bench/peers/nested_schema.mjs)
import { GraphQLLiveDirectiveSDL, useLiveQuery } from '@envelop/live-query';
import { InMemoryLiveQueryStore } from '@n1ru4l/in-memory-live-query-store';
import { createSchema } from 'graphql-yoga';
import { peerOptions } from './cli.mjs';
import { createDemoResolvers, demoTypeDefs } from './demo_schema.mjs';
import { createNestedResolvers, nestedTypeDefs } from './nested_schema.mjs';
import { serveYoga, yogaDemoPubSub } from './yoga_ws.mjs';

const { host, port, nested } = peerOptions(4104);

const liveQueryStore = new InMemoryLiveQueryStore({ indexBy: [{ field: 'Query.recent', args: ['channel'] }] });
const recentIdentifier = (channel) => `Query.recent(channel:"${channel}")`;

// The latest messages of each channel, oldest first: at most 100 per channel and 10,000 channels, as
// src/app/demo.cpp keeps for its Query.recent.
const perChannel = 100;
const maxChannels = 10000;
const history = new Map();
const demo = createDemoResolvers({
  pubsub: yogaDemoPubSub(),
  onPost: (message) => {
    if (!history.has(message.channel)) {
      if (history.size >= maxChannels) history.delete(history.keys().next().value); // forget the oldest channel
      history.set(message.channel, []);
    }
    const messages = history.get(message.channel);
    messages.push(message);
    if (messages.length > perChannel) messages.shift();
    liveQueryStore.invalidate(recentIdentifier(message.channel));
  },
});

const recentTypeDefs = /* GraphQL */ `
  extend type Query {
    "The channel's latest messages, newest first (at most 100 are kept per channel). Live: query it with @live."
    recent(channel: String!, limit: Int = 20): [Message!]!
  }
`;
const recent = (_, { channel, limit }) => (limit > 0 ? (history.get(channel) ?? []).slice(-limit).reverse() : []);

const schema = nested
  ? createSchema({ typeDefs: [nestedTypeDefs, GraphQLLiveDirectiveSDL], resolvers: createNestedResolvers() })
  : createSchema({
      typeDefs: [demoTypeDefs, recentTypeDefs, GraphQLLiveDirectiveSDL],
      resolvers: { ...demo, Query: { ...demo.Query, recent } },
    });

serveYoga('yoga-live', { host, port }, schema, [useLiveQuery({ liveQueryStore })]);
