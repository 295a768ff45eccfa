// Server-to-client requests answered by the host's handlers, and progress,
// against the real SDK server (SSE mode: requests ride the call's stream).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, TimeoutError, RpcError } from 'mcp-wasm';
import { startServer } from './servers/sdk-server.mjs';

const T = { timeout: 30000 };
let srv;
before(async () => { srv = await startServer({ mode: 'sse' }); });
after(() => srv?.close());

const text = (r) => r.content[0].text;

// spec: 2025-11-25 client/elicitation (form mode, defaults applied)
test('elicitation: the handler answers; schema defaults fill the gaps', T, async () => {
  const seen = [];
  const client = await Client.connect(srv.url, {
    onElicit: async (params) => { seen.push(params); return { action: 'accept', content: { name: 'Ada' } }; },
  });
  const r = JSON.parse(text(await client.callTool('ask')));
  assert.deepEqual(r, { action: 'accept', content: { name: 'Ada', color: 'blue' } });
  assert.equal(seen.length, 1);
  assert.equal(seen[0].message, 'Your name?');
  await client.close();
});

test('elicitation: without a handler the server gets "method not found"', T, async () => {
  const client = await Client.connect(srv.url);
  const r = await client.callTool('ask').catch((e) => e);
  // The SDK turns the client's JSON-RPC error into a tool error or an RPC error.
  assert.ok(r instanceof RpcError || r.isError === true, `got ${JSON.stringify(r)}`);
  await client.close();
});

// spec: 2025-11-25 client/sampling, client/roots
test('sampling and roots handlers', T, async () => {
  const client = await Client.connect(srv.url, {
    onSample: async (p) => ({ role: 'assistant', model: 'test', content: { type: 'text', text: `hi (${p.maxTokens})` } }),
    roots: async () => [{ uri: 'file:///work', name: 'work' }, { uri: 'file:///tmp' }],
  });
  assert.equal(text(await client.callTool('sample')), 'hi (10)');
  assert.equal(text(await client.callTool('roots')), 'file:///work,file:///tmp');
  await client.close();
});

test('a throwing handler becomes an error answer, the client stays usable', T, async () => {
  const client = await Client.connect(srv.url, { onSample: () => { throw new Error('no model here'); } });
  const r = await client.callTool('sample').catch((e) => e);
  assert.ok(r instanceof RpcError || r.isError === true);
  assert.equal(text(await client.callTool('echo', { text: 'still fine' })), 'still fine');
  await client.close();
});

// spec: 2025-11-25 basic/utilities/progress
test('progress: onProgress sees every step and restarts the timeout', T, async () => {
  const client = await Client.connect(srv.url);
  const steps = [];
  // 6 steps 150 ms apart = 900 ms in all, far past the 400 ms timeout, but
  // each progress restarts it.
  const r = await client.callTool('slow', { steps: 6, gapMs: 150 }, { timeoutMs: 400, onProgress: (p) => steps.push(p.progress) });
  assert.equal(text(r), 'slept 6x150ms');
  assert.deepEqual(steps, [1, 2, 3, 4, 5, 6]);
  // Without resetting, the same call times out.
  const e = await client.callTool('slow', { steps: 6, gapMs: 150 },
    { timeoutMs: 400, onProgress: () => {}, resetTimeoutOnProgress: false }).catch((x) => x);
  assert.ok(e instanceof TimeoutError, `got ${e}`);
  // And the absolute cap holds even with progress.
  const capped = await client.callTool('slow', { steps: 6, gapMs: 150 },
    { timeoutMs: 400, maxTotalTimeoutMs: 500, onProgress: () => {} }).catch((x) => x);
  assert.ok(capped instanceof TimeoutError, `got ${capped}`);
  assert.equal(text(await client.callTool('echo', { text: 'ok' })), 'ok');
  await client.close();
});
