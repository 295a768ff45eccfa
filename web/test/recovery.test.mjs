// Recovery against the real SDK server: a forgotten session (404) is
// re-initialized and the request replayed; 429 with Retry-After.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, RateLimitedError } from 'mcp-wasm';
import { startServer } from './servers/sdk-server.mjs';

const T = { timeout: 30000 };
let srv;
before(async () => { srv = await startServer({ mode: 'sse' }); });
after(() => srv?.close());

// spec: 2025-11-25 transports#session-management (404 -> new session)
test('a server restart that forgets the session is invisible to the caller', T, async () => {
  const client = await Client.connect(srv.url);
  const before = srv.log.length;
  await srv.forgetSessions();
  const r = await client.callTool('echo', { text: 'after restart' });
  assert.equal(r.content[0].text, 'after restart');
  const posts = srv.log.slice(before).filter((x) => x.method === 'POST');
  assert.equal(posts.length, 4, 'call (404), initialize, initialized, replayed call');
  assert.equal(srv.sessionCount(), 1);
  await client.close();
  assert.equal(srv.sessionCount(), 0);
});

test('429 on a list waits out Retry-After and retries', T, async () => {
  const client = await Client.connect(srv.url);
  srv.injectNext({ status: 429, headers: { 'retry-after': '1', 'content-type': 'application/json' }, body: '{"error":"slow down"}' });
  const t0 = Date.now();
  const tools = await client.listTools();
  const waited = Date.now() - t0;
  assert.ok(tools.length > 0);
  assert.ok(waited >= 950, `waited ${waited} ms`);
  await client.close();
});

test('429 on a tool call is a RateLimitedError with the wait', T, async () => {
  const client = await Client.connect(srv.url);
  srv.injectNext({ status: 429, headers: { 'retry-after': '7' } });
  const e = await client.callTool('echo', { text: 'x' }).catch((x) => x);
  assert.ok(e instanceof RateLimitedError, `got ${e}`);
  assert.equal(e.status, 429);
  assert.equal(e.retryAfterMs, 7000);
  assert.equal(e.code, 'http.status');
  assert.equal((await client.callTool('echo', { text: 'y' })).content[0].text, 'y');
  await client.close();
});
