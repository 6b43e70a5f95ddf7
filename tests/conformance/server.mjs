// Helpers for conformance tests: start `sluice serve` on a free loopback port and stop it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

// Starts the server with the given arguments (port 0: the system picks one) and resolves once it prints the
// address it serves. Fails after `timeoutMs`.
export async function startServer(sluice, args = [], timeoutMs = 10000) {
  const child = spawn(sluice, ['serve', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let out = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sluice serve did not start in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /serving GraphQL at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sluice serve exited with ${code} before serving: ${stderr}`));
    });
  });
  // stdout holds the log lines (spdlog writes there) after the line with the address.
  return { child, url, stderr: () => stderr, stdout: () => out };
}

// Sends a signal and resolves with the exit code (or rejects after `timeoutMs`).
export async function stopServer(server, signal = 'SIGTERM', timeoutMs = 10000) {
  if (server.child.exitCode !== null) return server.child.exitCode;
  const exited = once(server.child, 'exit');
  server.child.kill(signal);
  const timer = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`no exit ${timeoutMs} ms after ${signal}`)), timeoutMs).unref(),
  );
  const [code, sig] = await Promise.race([exited, timer]);
  return sig ? `signal ${sig}` : code;
}

// Results: check() prints one line per assertion and counts the failures; fail() counts an exception;
// failures() is the count (the exit code is non-zero when it is).
let failureCount = 0;
export function check(ok, what, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok || !detail ? '' : `: ${detail}`}`);
  if (!ok) failureCount++;
}
export function fail(error) {
  failureCount++;
  console.log(`FAIL ${error?.stack ?? error}`);
}
export const failures = () => failureCount;

// Resolves as `promise` does, or rejects after `ms` milliseconds.
export const withTimeout = (promise, ms, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms))]);

// Collects a subscription of a graphql-ws or graphql-sse client (both have subscribe(payload, sink)): every
// result, then how it ended ({ results, completed: true } or { results, error }).
export function collect(client, payload) {
  return new Promise((resolve) => {
    const results = [];
    client.subscribe(payload, {
      next: (r) => results.push(r),
      error: (e) => resolve({ results, error: e }),
      complete: () => resolve({ results, completed: true }),
    });
  });
}
