// GraphQL over WebSocket with real clients against `sluice serve --demo`: the graphql-ws client (countdown,
// messages posted over HTTP, the failing subscription, a query), subscriptions-transport-ws's SubscriptionClient
// (the legacy protocol) and @apollo/client with GraphQLWsLink.
//
// Usage: node tests/conformance/ws_clients.mjs --sluice build/release/sluice
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import { SubscriptionClient } from 'subscriptions-transport-ws';
import WebSocket from 'ws';
import { check, collect, fail, failures, startServer, stopServer, withTimeout } from './server.mjs';

const args = process.argv.slice(2);
const sluice = args[args.indexOf('--sluice') + 1];
const server = await startServer(sluice, ['--demo']);
const wsUrl = server.url.replace(/^http/, 'ws');


const post = (channel, text) =>
  fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `mutation { post(channel: "${channel}", text: "${text}") { id } }` }),
  });

try {
  // graphql-ws
  const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
  const countdown = await withTimeout(collect(client, { query: 'subscription { countdown(from: 3) }' }), 5000, 'countdown');
  check(JSON.stringify(countdown.results.map((r) => r.data.countdown)) === '[3,2,1,0]' && countdown.completed,
    'graphql-ws: countdown 3, 2, 1, 0, then complete', JSON.stringify(countdown));

  const hello = await withTimeout(collect(client, { query: '{ hello(name: "ws") }' }), 5000, 'query');
  check(hello.results.length === 1 && hello.results[0].data.hello === 'Hello, ws!' && hello.completed,
    'graphql-ws: a query over the socket', JSON.stringify(hello));

  const failing = await withTimeout(collect(client, { query: 'subscription { failing }' }), 5000, 'failing');
  check(failing.results.length === 1 && failing.results[0].data.failing === 1 && Array.isArray(failing.error) &&
    /failed/.test(failing.error[0].message), 'graphql-ws: failing yields 1, then an error (no complete)',
    JSON.stringify(failing));

  const invalid = await withTimeout(collect(client, { query: 'subscription { nope }' }), 5000, 'invalid');
  check(Array.isArray(invalid.error) && /Cannot query field "nope"/.test(invalid.error[0].message),
    'graphql-ws: a validation error is an error message', JSON.stringify(invalid));

  const received = [];
  let unsubscribe;
  const gotMessage = new Promise((resolve) => {
    unsubscribe = client.subscribe({ query: 'subscription { messages(channel: "conf") { channel text } }' }, {
      next: (r) => {
        received.push(r.data.messages);
        resolve();
      },
      error: resolve,
      complete: resolve,
    });
  });
  // Posted until the first arrives (the subscription may take a moment to be in place on a busy machine).
  await post('elsewhere', 'not for us');
  for (let i = 0; i < 25 && received.length === 0; i++) {
    await post('conf', 'over http');
    await Promise.race([gotMessage, new Promise((r) => setTimeout(r, 200))]);
  }
  check(received.length >= 1 && received.every((m) => m.text === 'over http' && m.channel === 'conf'),
    'graphql-ws: messages posted over HTTP arrive (and only those of the channel)', JSON.stringify(received));
  unsubscribe();
  await client.dispose();

  // subscriptions-transport-ws (the legacy graphql-ws subprotocol)
  const legacy = new SubscriptionClient(wsUrl, { reconnect: false }, WebSocket);
  const legacyCountdown = await withTimeout(new Promise((resolve) => {
    const values = [];
    legacy.request({ query: 'subscription { countdown(from: 2) }' }).subscribe({
      next: (r) => values.push(r.data.countdown),
      error: (e) => resolve({ values, error: e }),
      complete: () => resolve({ values, completed: true }),
    });
  }), 5000, 'legacy countdown');
  check(JSON.stringify(legacyCountdown.values) === '[2,1,0]' && legacyCountdown.completed,
    'subscriptions-transport-ws: countdown 2, 1, 0, then complete', JSON.stringify(legacyCountdown));
  legacy.close();

  // @apollo/client with GraphQLWsLink
  const apolloWs = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
  const apollo = new ApolloClient({ link: new GraphQLWsLink(apolloWs), cache: new InMemoryCache() });
  const apolloValues = await withTimeout(new Promise((resolve) => {
    const values = [];
    apollo.subscribe({ query: gql`subscription { countdown(from: 2) }` }).subscribe({
      next: (r) => values.push(r.data?.countdown),
      error: (e) => resolve({ values, error: String(e) }),
      complete: () => resolve({ values, completed: true }),
    });
  }), 5000, 'apollo countdown');
  check(JSON.stringify(apolloValues.values) === '[2,1,0]' && apolloValues.completed,
    '@apollo/client + GraphQLWsLink: countdown 2, 1, 0', JSON.stringify(apolloValues));
  const apolloQuery = await withTimeout(apollo.query({ query: gql`{ hello }` }), 5000, 'apollo query');
  check(apolloQuery.data?.hello === 'Hello, world!', '@apollo/client + GraphQLWsLink: a query', JSON.stringify(apolloQuery));
  await apolloWs.dispose();
} catch (e) {
  fail(e);
} finally {
  const code = await stopServer(server);
  check(code === 0, `the server exits cleanly on SIGTERM (${code})`);
}
process.exit(failures() ? 1 : 0);
