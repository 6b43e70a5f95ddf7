// The demo application of `sluice serve --demo` (src/app/demo.cpp) for the peer servers: its SDL, its resolvers
// (a greeting, the time, a chat where `post` publishes and `messages` subscribes, and two generators) and an
// in-memory topic per channel. Every peer serves these same resolvers, so all of them give identical data.
//
// The resolvers are a graphql-tools style map ({ Query: { hello }, Subscription: { countdown: { subscribe,
// resolve } } }), which makeExecutableSchema, Yoga's createSchema and Mercurius take as they are; createDemoSchema
// attaches them to a plain graphql-js buildSchema schema.
//
// The chat goes through a `pubsub` the server chooses (its own where it has one: Mercurius's, Yoga's):
//   publish(channel, message, context)  -> (a promise of) nothing
//   subscribe(channel, context)         -> (a promise of) an AsyncIterable of messages
import { buildSchema } from 'graphql';

// The SDL of src/app/demo.cpp (descriptions included, so introspection matches too).
export const demoTypeDefs = /* GraphQL */ `
type Query {
  "A greeting."
  hello(name: String = "world"): String!
  "The server's clock, in seconds since the epoch."
  time: Float!
}

type Mutation {
  "Posts a message to a channel: every subscriber of the channel receives it."
  post(channel: String!, text: String!): Message!
}

type Message {
  id: ID!
  channel: String!
  text: String!
}

type Subscription {
  "Counts down from \`from\` to 0, 10 ms apart, then completes."
  countdown(from: Int! = 3): Int!
  "Every message posted to the channel from now on."
  messages(channel: String!): Message!
  "Yields 1, then fails."
  failing: Int!
}
`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function* countdown(from) {
  for (let i = from; i >= 0; i--) {
    yield i;
    if (i > 0) await sleep(10);
  }
}

async function* failing() {
  yield 1;
  await sleep(10);
  throw new Error('The failing subscription failed, as it always does.');
}

// An in-memory topic per channel: each subscriber has its own queue, as graphql-subscriptions' PubSub keeps. For
// the peers without a pubsub of their own (graphql-ws, Apollo).
export function createTopics() {
  const topics = new Map();
  function listen(channel) {
    const queue = [];
    let wake = null;
    let done = false;
    const push = (message) => {
      if (wake) {
        const w = wake;
        wake = null;
        w({ value: message, done: false });
      } else queue.push(message);
    };
    if (!topics.has(channel)) topics.set(channel, new Set());
    topics.get(channel).add(push);
    const stop = () => {
      done = true;
      const subscribers = topics.get(channel);
      subscribers?.delete(push);
      if (subscribers?.size === 0) topics.delete(channel);
      queue.length = 0;
      if (wake) {
        const w = wake;
        wake = null;
        w({ value: undefined, done: true });
      }
      return Promise.resolve({ value: undefined, done: true });
    };
    return {
      next: () => {
        if (queue.length) return Promise.resolve({ value: queue.shift(), done: false });
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((r) => (wake = r));
      },
      return: stop,
      throw: stop,
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
  return {
    publish(channel, message) {
      for (const push of topics.get(channel) ?? []) push(message);
    },
    subscribe: (channel) => listen(channel),
  };
}

// The resolvers of the demo schema. `onPost(message)` (optional) sees each message before it is published.
export function createDemoResolvers({ pubsub = createTopics(), onPost } = {}) {
  let nextId = 0;
  return {
    Query: {
      hello: (_, { name }) => `Hello, ${name}!`,
      time: () => Date.now() / 1000,
    },
    Mutation: {
      post: async (_, { channel, text }, context) => {
        const message = { id: String(++nextId), channel, text };
        onPost?.(message);
        await pubsub.publish(channel, message, context);
        return message;
      },
    },
    Subscription: {
      // Each event is the field's value itself.
      countdown: { subscribe: (_, args) => countdown(args.from), resolve: (value) => value },
      messages: { subscribe: (_, { channel }, context) => pubsub.subscribe(channel, context), resolve: (m) => m },
      failing: { subscribe: () => failing(), resolve: (value) => value },
    },
  };
}

// Sets the resolvers of a graphql-tools style map on a graphql-js schema's fields (and __resolveType on its
// abstract types), as makeExecutableSchema does, without graphql-tools.
export function attachResolvers(schema, resolvers) {
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!type) throw new Error(`no type ${typeName} in the schema`);
    for (const [fieldName, resolver] of Object.entries(fields)) {
      if (fieldName === '__resolveType') {
        type.resolveType = resolver;
        continue;
      }
      const field = type.getFields()[fieldName];
      if (!field) throw new Error(`no field ${typeName}.${fieldName} in the schema`);
      if (typeof resolver === 'function') field.resolve = resolver;
      else {
        if (resolver.subscribe) field.subscribe = resolver.subscribe;
        if (resolver.resolve) field.resolve = resolver.resolve;
      }
    }
  }
  return schema;
}

// The demo schema as one graphql-js schema, resolvers attached (for servers that take a GraphQLSchema).
export function createDemoSchema(options) {
  return attachResolvers(buildSchema(demoTypeDefs), createDemoResolvers(options));
}
