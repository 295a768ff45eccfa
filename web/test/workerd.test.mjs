// The edge worker (web/worker/) in workerd, through miniflare: bundled by
// esbuild with the `workerd` condition, the .wasm kept as a CompiledWasm
// module. Two workers in one workerd: one with an API key secret, one with
// no key and a KV namespace for OAuth tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Miniflare } from 'miniflare';
import { buildWorker } from '../worker/build.mjs';
import { startServer } from './servers/sdk-server.mjs';
import { closedPort, settlesWithin } from './helpers.mjs';

const T = { timeout: 60000 };
const KEY = 'dv_worker_test_key';
const outdir = mkdtempSync(path.join(tmpdir(), 'mcpw-worker-'));
let mf, bundle, server, refusedUrl;

const SCHEDULED_CALLS = [
  { tool: 'add', arguments: { a: 2, b: 40 } },
  { tool: 'no_such_tool', arguments: {} },
];

before(async () => {
  bundle = await buildWorker(outdir);
  server = await startServer({ mode: 'sse', acceptToken: (t) => t === KEY });
  refusedUrl = `http://127.0.0.1:${await closedPort()}/mcp`;
  const modules = [
    { type: 'ESModule', path: bundle.entry },
    ...bundle.wasm.map((w) => ({ type: 'CompiledWasm', path: path.join(outdir, w) })),
  ];
  const worker = (name, bindings, kv = []) => ({ name, modulesRoot: outdir, modules, compatibilityDate: '2025-01-01', bindings, kvNamespaces: kv });
  mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    workers: [
      worker('key', { MCP_URL: server.url, MCP_API_KEY: KEY, SCHEDULED_CALLS: JSON.stringify(SCHEDULED_CALLS) }, ['TOKENS', 'RESULTS']),
      worker('badkey', { MCP_URL: server.url, MCP_API_KEY: 'dv_wrong' }),
      worker('refused', { MCP_URL: refusedUrl, MCP_API_KEY: KEY, SCHEDULED_CALLS: '[{"tool":"add"}]' }, ['RESULTS']),
    ],
  });
  await settlesWithin(mf.ready, 30000, 'miniflare start');
});

after(async () => {
  await mf?.dispose();
  await server?.close();
  rmSync(outdir, { recursive: true, force: true });
});

/// A request to worker `name`: {status, body}.
async function ask(name, pathname, init) {
  const w = await mf.getWorker(name);
  const res = await settlesWithin(w.fetch(`http://worker${pathname}`, init), 30000, `${name} ${pathname}`);
  return { status: res.status, body: await res.json() };
}
const call = (name, tool, args) => ask(name, '/call', { method: 'POST', body: JSON.stringify({ tool, arguments: args }) });

test('the bundle keeps the package wasm as a separate module', () => {
  assert.deepEqual(bundle.wasm, ['mcpw.wasm']);
  const wasm = readFileSync(path.join(outdir, 'mcpw.wasm'));
  assert.ok(wasm.equals(readFileSync(new URL('../dist/mcpw.wasm', import.meta.url))), 'same bytes as dist/mcpw.wasm');
  const code = readFileSync(bundle.entry, 'utf8');
  assert.match(code, /from\s*["']\.\/mcpw\.wasm["']/);
  assert.doesNotMatch(code, /\beval\s*\(|new\s+Function\b/);
});

test('miniflare runs the real workerd binary', async () => {
  const { body } = await ask('key', '/');
  assert.equal(body.runtime, 'Cloudflare-Workers');
  const children = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(process.pid); } catch { return false; }
  });
  const exes = children.map((p) => { try { return realpathSync(`/proc/${p}/exe`); } catch { return ''; } });
  assert.ok(exes.some((e) => /workerd-linux-64\/bin\/workerd$/.test(e)), `child processes: ${exes.join(', ')}`);
});

test('workerd, API key: GET /tools and POST /call, the key on every request', T, async () => {
  const before = server.log.length;
  const tools = await ask('key', '/tools');
  assert.equal(tools.status, 200, JSON.stringify(tools.body));
  const add = tools.body.tools.find((t) => t.name === 'add');
  assert.deepEqual(add.inputSchema.required, ['a', 'b']);
  const sum = await call('key', 'add', { a: 20, b: 22 });
  assert.equal(sum.status, 200, JSON.stringify(sum.body));
  assert.deepEqual(sum.body.result.structuredContent, { sum: 42 });
  const failed = await call('key', 'fail', {});
  assert.equal(failed.status, 200);
  assert.equal(failed.body.result.isError, true);
  const seen = server.log.slice(before);
  assert.ok(seen.length >= 6, `${seen.length} requests`);
  assert.ok(seen.every((r) => r.headers.authorization === `Bearer ${KEY}`));
  assert.ok(seen.some((r) => r.method === 'DELETE'), 'each request closes its session');
});

test('workerd: the wasm is instantiated once per isolate, however many requests', T, async () => {
  const first = (await ask('key', '/')).body.isolate;
  for (let i = 0; i < 3; i++) assert.equal((await call('key', 'echo', { text: `n${i}` })).status, 200);
  const last = (await ask('key', '/')).body.isolate;
  assert.equal(last.id, first.id, 'the same isolate served every request');
  assert.ok(last.requests >= first.requests + 4, JSON.stringify({ first, last }));
  assert.equal(last.wasmInstances, 1);
});

test('workerd: a cron trigger calls the configured tools and keeps the outcome in KV', T, async () => {
  const worker = await mf.getWorker('key');
  const before = server.log.length;
  const r = await settlesWithin(worker.scheduled({ cron: '*/5 * * * *' }), 30000, 'scheduled');
  assert.equal(r.outcome, 'ok');
  const results = await mf.getKVNamespace('RESULTS', 'key');
  const outcome = JSON.parse(await results.get('scheduled:last'));
  assert.equal(outcome.cron, '*/5 * * * *');
  assert.deepEqual(outcome.results.map((x) => [x.tool, x.ok]), [['add', true], ['no_such_tool', true]]);
  assert.deepEqual(outcome.results[0].result.structuredContent, { sum: 42 });
  assert.equal(outcome.results[1].result.isError, true, 'an unknown tool is a tool error, and the run goes on');
  assert.ok(server.log.length > before, 'the trigger reached the server');
});

test('workerd: wrong key, bad body and an unreachable server are typed JSON errors', T, async () => {
  const denied = await ask('badkey', '/tools');
  assert.equal(denied.status, 401, JSON.stringify(denied.body));
  assert.equal(denied.body.error.code, 'auth.unauthorized');
  assert.match(denied.body.error.message, /API key/);
  const noTool = await ask('key', '/call', { method: 'POST', body: '{"arguments":{}}' });
  assert.equal(noTool.status, 400);
  const notJson = await ask('key', '/call', { method: 'POST', body: 'nope' });
  assert.equal(notJson.status, 400);
  const refused = await call('refused', 'add', { a: 1, b: 2 });
  assert.equal(refused.status, 502);
  assert.equal(refused.body.error.name, 'TransportError');
  assert.equal(refused.body.error.isMcpError, true);
  const worker = await mf.getWorker('refused');
  await settlesWithin(worker.scheduled({ cron: '0 * * * *' }), 30000, 'scheduled');
  const outcome = JSON.parse(await (await mf.getKVNamespace('RESULTS', 'refused')).get('scheduled:last'));
  assert.equal(outcome.error.name, 'TransportError');
  assert.deepEqual(outcome.results, []);
});
