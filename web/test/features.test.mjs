// Client features beyond tools, against the real SDK server: resources,
// templates, prompts, completion, logging level, ping, and the tool cache.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, RpcError } from 'mcp-wasm';
import { startServer } from './servers/sdk-server.mjs';

const T = { timeout: 30000 };
let srv;
let client;
before(async () => { srv = await startServer({ mode: 'json' }); client = await Client.connect(srv.url); });
after(async () => { await client?.close(); await srv?.close(); });

// spec: 2025-11-25 server/resources
test('resources: list, templates, read', T, async () => {
  const resources = await client.listResources();
  assert.deepEqual(resources.map((r) => r.uri), ['docs://readme']);
  const templates = await client.listResourceTemplates();
  assert.equal(templates[0].uriTemplate, 'greeting://{name}');
  const r = await client.readResource('docs://readme');
  assert.equal(r.contents[0].text, 'Read me first.');
  const g = await client.readResource('greeting://ada');
  assert.equal(g.contents[0].text, 'Hello, ada!');
});

// spec: 2025-11-25 server/prompts, server/utilities/completion
test('prompts and completion', T, async () => {
  const prompts = await client.listPrompts();
  assert.equal(prompts[0].name, 'review');
  const p = await client.getPrompt('review', { language: 'C++' });
  assert.equal(p.messages[0].content.text, 'Review this C++ code.');
  const c = await client.complete({ type: 'ref/resource', uri: 'greeting://{name}' }, { name: 'name', value: 'a' });
  assert.deepEqual(c.completion.values, ['ada', 'alan']);
});

test('logging level, ping, unknown methods', T, async () => {
  assert.deepEqual(await client.setLoggingLevel('warning'), {});
  assert.deepEqual(await client.ping(), {});
  const e = await client.request('no/such/method').catch((x) => x);
  assert.ok(e instanceof RpcError);
  assert.equal(e.rpcCode, -32601);
});

test('listTools is cached until refreshed', T, async () => {
  const first = await client.listTools({ refresh: true });
  const n = srv.log.length;
  const again = await client.listTools();
  assert.equal(srv.log.length, n, 'served from the cache');
  assert.equal(again, first);
  const hits = client.stats().listMemoHits;
  const refreshed = await client.listTools({ refresh: true });
  assert.equal(srv.log.length, n + 1);
  // The server sent the same list: settled from the memo of the last one (the
  // same text, fresh objects for the host).
  assert.equal(client.stats().listMemoHits, hits + 1);
  assert.notEqual(refreshed, first);
  assert.deepEqual(refreshed, first);
});

// spec: 2025-11-25 server/tools#list-changed-notification, over the GET stream
test('tools/list_changed on the GET stream refreshes the cached list', T, async () => {
  const sse = await startServer({ mode: 'sse' });
  const seen = [];
  const c = await Client.connect(sse.url, { onNotification: (n) => seen.push(n.method) });
  const before = await c.listTools();
  assert.ok(!before.some((t) => t.name.startsWith('grown-')));
  await c.callTool('grow');
  const deadline = Date.now() + 5000;
  while (!seen.includes('notifications/tools/list_changed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.ok(seen.includes('notifications/tools/list_changed'), `notifications: ${seen}`);
  const after = await c.listTools();  // no refresh flag: the notification dropped the cache
  assert.ok(after.some((t) => t.name === 'grown-1'));
  await c.close();
  await sse.close();
});
