// API keys as bearer tokens (Duvo's scripts and CI mode), against the SDK
// server behind a key check: sent from the first request, a getter asked
// again once after a 401, and a typed error when the key is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, UnauthorizedError } from 'mcp-wasm';
import { startServer } from './servers/sdk-server.mjs';

const T = { timeout: 30000 };

test('a static key is sent on every request', T, async () => {
  const srv = await startServer({ mode: 'json', acceptToken: (t) => t === 'dv_good' });
  try {
    const client = await Client.connect(srv.url, { bearer: 'dv_good' });
    assert.equal((await client.callTool('echo', { text: 'k' })).content[0].text, 'k');
    await client.close();
    assert.ok(srv.log.every((r) => r.headers.authorization === 'Bearer dv_good'));
  } finally {
    await srv.close();
  }
});

test('a rotated key: the getter is asked again once after a 401', T, async () => {
  let valid = 'dv_one';
  const srv = await startServer({ mode: 'sse', acceptToken: (t) => t === valid });
  try {
    let asked = 0;
    const client = await Client.connect(srv.url, { bearer: async () => { asked++; return valid; }, listen: false });
    assert.equal(asked, 1);
    valid = 'dv_two';  // the key is rotated server-side
    assert.equal((await client.callTool('echo', { text: 'after rotation' })).content[0].text, 'after rotation');
    assert.equal(asked, 2);
    await client.close();
  } finally {
    await srv.close();
  }
});

test('a refused key is an UnauthorizedError, and no OAuth discovery happens', T, async () => {
  const srv = await startServer({ mode: 'json', acceptToken: () => false });
  try {
    const e = await Client.connect(srv.url, { bearer: 'dv_bad' }).catch((x) => x);
    assert.ok(e instanceof Error && e.name.length > 0, String(e));
    assert.ok(e instanceof UnauthorizedError || e.code === 'auth.unauthorized', `got ${e.name} ${e.code}`);
    assert.ok(!srv.log.some((r) => r.path.includes('.well-known')), 'no discovery requests');
  } finally {
    await srv.close();
  }
});
