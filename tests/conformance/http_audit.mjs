// GraphQL over HTTP conformance: the graphql-http audit suite (serverAudits) against `sluice serve --demo`, plus
// the requests a user makes with curl. Every MUST and SHOULD audit must pass; MAY audits are reported.
//
// Usage: node tests/conformance/http_audit.mjs --sluice build/release/sluice
import { serverAudits } from 'graphql-http';
import { strict as assert } from 'node:assert';
import { startServer, stopServer } from './server.mjs';

const args = process.argv.slice(2);
const sluice = args[args.indexOf('--sluice') + 1];
if (!sluice || args.indexOf('--sluice') < 0) throw new Error('usage: http_audit.mjs --sluice PATH');

const server = await startServer(sluice, ['--demo']);
let failed = 0;
try {
  // The audits, one at a time (the suite's auditServer runs them all at once).
  let passed = 0;
  const notices = [];
  for (const audit of serverAudits({ url: server.url })) {
    const result = await audit.fn();
    if (result.status === 'ok') passed++;
    else if (result.status === 'notice') notices.push(`${result.id} ${result.name}: ${result.reason}`);
    else {
      failed++;
      console.log(`FAIL ${result.status} ${result.id} ${result.name}: ${result.reason}`);
    }
  }
  console.log(`graphql-http audits: ${passed} passed, ${failed} failed (MUST or SHOULD), ${notices.length} MAY notices`);
  for (const n of notices) console.log(`  notice: ${n}`);

  // What a user does with curl.
  const checks = [
    ['GET query', () => fetch(`${server.url}?query=${encodeURIComponent('{ hello(name: "curl") }')}`), 200,
      '{"data":{"hello":"Hello, curl!"}}'],
    ['POST query', () => fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hello }' }) }), 200, '{"data":{"hello":"Hello, world!"}}'],
    ['POST mutation', () => fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { post(channel: "c", text: "hi") { channel text } }' }) }), 200,
      '{"data":{"post":{"channel":"c","text":"hi"}}}'],
    ['mutation over GET', () => fetch(`${server.url}?query=${encodeURIComponent('mutation { post(channel: "c", text: "x") { id } }')}`),
      405, null],
  ];
  for (const [name, request, status, body] of checks) {
    const res = await request();
    const text = await res.text();
    try {
      assert.equal(res.status, status, `${name}: status`);
      if (body !== null) assert.equal(text, body, `${name}: body`);
      if (status === 405) assert.equal(res.headers.get('allow'), 'POST', `${name}: Allow`);
      console.log(`ok   ${name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}: ${e.message}`);
    }
  }
  const time = await (await fetch(`${server.url}?query={time}`)).json();
  if (Math.abs(time.data.time - Date.now() / 1000) > 60) {
    failed++;
    console.log(`FAIL time: ${JSON.stringify(time)}`);
  } else console.log('ok   time is now');
} finally {
  const code = await stopServer(server);
  if (code !== 0) {
    failed++;
    console.log(`FAIL the server exited with ${code} on SIGTERM\n${server.stderr()}`);
  }
}
process.exit(failed ? 1 : 0);
