// Connection-state events and the opt-in, redacted trace, in Node against
// the SDK server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'mcp-wasm';
import { startServer } from './servers/sdk-server.mjs';

const T = { timeout: 30000 };
let srv;
before(async () => { srv = await startServer({ mode: 'sse' }); });
after(() => srv?.close());

test('state changes: connecting, ready, reconnecting, ready, closed', T, async () => {
  const states = [];
  const client = await Client.connect(srv.url, { onStateChange: (s) => states.push(s), protocolVersion: '2025-11-25' });
  assert.equal(client.state, 'ready');
  await srv.forgetSessions();
  await client.callTool('echo', { text: 'x' });  // 404 -> new session
  await client.close();
  assert.deepEqual(states, ['connecting', 'ready', 'reconnecting', 'ready', 'closed']);
  assert.equal(client.state, 'closed');
});

test('trace: every exchange, credentials redacted, no bodies', T, async () => {
  const records = [];
  const client = await Client.connect(srv.url, {
    headers: { Authorization: 'Bearer sk-very-secret', 'X-Request-Tag': 'kept' },
    onTrace: (r) => records.push(r),
  });
  await client.callTool('echo', { text: 'trace me' });
  await client.close();
  const text = JSON.stringify(records);
  assert.ok(!text.includes('sk-very-secret'), 'the token never appears');
  assert.ok(!text.includes('trace me'), 'bodies are not traced');
  assert.ok(text.includes('kept'));
  const requests = records.filter((r) => r.event === 'request');
  assert.ok(requests.length >= 4, `initialize, initialized, call, delete: ${requests.length}`);
  assert.ok(requests.every((r) => r.headers.Authorization === '[redacted]'));
  assert.ok(records.some((r) => r.event === 'response' && r.status === 200));
});
