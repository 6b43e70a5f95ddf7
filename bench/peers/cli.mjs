// The command line every peer server shares: `--host 127.0.0.1 --port N [--nested]` (port 0: any free port), the
// one line it prints once listening, and a clean exit on SIGINT/SIGTERM.
//
//   --nested  serve bench/data/schema.graphql with bench/data/nested_root.json as the root value (the
//             query-throughput scenario) instead of the demo schema of `sluice serve --demo`

export function peerOptions(defaultPort) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const usage = (problem) => {
    console.error(`${problem} (usage: --host 127.0.0.1 --port ${defaultPort} [--nested])`);
    process.exit(2);
  };
  const known = new Set(['--host', '--port', '--nested']);
  for (let i = 0; i < args.length; i++) {
    if (!known.has(args[i])) usage(`unknown argument ${args[i]}`);
    if (args[i] !== '--nested') i++;
  }
  const port = Number(option('--port', String(defaultPort)));
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`bad --port ${option('--port')}`);
  return { host: option('--host', '127.0.0.1'), port, nested: args.includes('--nested') };
}

// The line bench scripts wait for, in the form sluice prints it ("serving GraphQL at http://HOST:PORT/graphql").
export function announce(name, host, port) {
  console.log(`peer ${name} ${host}: serving GraphQL at http://${host}:${port}/graphql`);
}

// Runs `stop` (which may return a promise) on SIGINT or SIGTERM, then exits 0; exits anyway after a second.
export function onShutdown(stop) {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 1000).unref();
    Promise.resolve()
      .then(stop)
      .catch((e) => console.error(`stopping: ${e?.message ?? e}`))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

// Closes a `ws` WebSocketServer and every connection it still has (wss.close() alone leaves them open).
export function closeWebSockets(wss) {
  for (const client of wss.clients) client.terminate();
  return new Promise((resolve) => wss.close(() => resolve()));
}
